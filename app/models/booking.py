"""Bookings of rooms, halls and tables, their series, and the slots they hold."""

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Base
from app.sqltypes import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from app.models.company import Company
    from app.models.space import Space
    from app.models.user import User


class BookingStatus(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


HOLDING_STATUSES = frozenset({BookingStatus.PENDING, BookingStatus.CONFIRMED})


class BookingSeries(Base):
    """A recurring request: the rule it was made from, for cancelling it as a whole."""

    __tablename__ = "booking_series"
    __table_args__ = (
        sa.CheckConstraint("interval >= 1", name="interval_positive"),
        sa.CheckConstraint("count IS NULL OR count >= 1", name="count_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("spaces.id", ondelete="RESTRICT"))
    company_id: Mapped[int] = mapped_column(
        sa.ForeignKey("companies.id", ondelete="RESTRICT"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    freq: Mapped[str] = mapped_column(sa.String(10))
    interval: Mapped[int] = mapped_column(default=1)
    weekdays: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    count: Mapped[int | None]
    until: Mapped[date | None] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    bookings: Mapped[list["Booking"]] = relationship(
        back_populates="series", order_by="Booking.start_at"
    )


class Booking(Base):
    """One booking of a space by a company, ``[start_at, end_at)`` in UTC."""

    __tablename__ = "bookings"
    __table_args__ = (
        sa.CheckConstraint("end_at > start_at", name="ends_after_start"),
        sa.CheckConstraint("attendees >= 0", name="attendees_not_negative"),
        sa.CheckConstraint("buffer_minutes >= 0", name="buffer_not_negative"),
        sa.Index("ix_bookings_space_id_start_at", "space_id", "start_at"),
        sa.Index("ix_bookings_company_id_start_at", "company_id", "start_at"),
        sa.Index("ix_bookings_status_start_at", "status", "start_at"),
        sa.Index("ix_bookings_start_at_id", "start_at", "id"),
        sa.Index("ix_bookings_user_id_request_key", "user_id", "request_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("spaces.id", ondelete="RESTRICT"))
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="RESTRICT"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    series_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("booking_series.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(120))
    attendees: Mapped[int] = mapped_column(default=1)
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    buffer_minutes: Mapped[int] = mapped_column(default=0)
    status: Mapped[BookingStatus] = mapped_column(enum_column(BookingStatus, "booking_status"))
    # Why it is pending ("approval", "over_allowance"), or why it was rejected or cancelled.
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    requires_check_in: Mapped[bool] = mapped_column(default=False)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    sequence: Mapped[int] = mapped_column(default=0)  # bumped on every change, for calendars
    # The form's one-time key: a second submit of the same form finds the first one's bookings.
    request_key: Mapped[str | None] = mapped_column(sa.String(64))

    space: Mapped["Space"] = relationship()
    company: Mapped["Company"] = relationship()
    user: Mapped["User"] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[Optional["User"]] = relationship(foreign_keys=[decided_by_id])
    series: Mapped[BookingSeries | None] = relationship(back_populates="bookings")
    holds: Mapped[list["BookingHold"]] = relationship(
        back_populates="booking", cascade="all, delete-orphan"
    )

    @property
    def holding(self) -> bool:
        return self.status in HOLDING_STATUSES


class BookingHold(Base):
    """The time a booking holds on one bookable unit, buffers included.

    A space made of parts (the event area) is held through its parts: booking the whole holds
    every part, booking a part holds that part, so the whole and a part can never overlap while
    the two halves can be booked side by side. The database guarantees that no two active holds
    of a unit overlap: an exclusion constraint on PostgreSQL, a trigger on SQLite (added by the
    migrations, and by the DDL below when tables are created directly).
    """

    __tablename__ = "booking_holds"
    __table_args__ = (
        sa.CheckConstraint("end_at > start_at", name="ends_after_start"),
        sa.Index("ix_booking_holds_space_id_end_at", "space_id", "end_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(
        sa.ForeignKey("bookings.id", ondelete="CASCADE"), index=True
    )
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("spaces.id", ondelete="RESTRICT"))
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(default=True)

    booking: Mapped[Booking] = relationship(back_populates="holds")


HOLD_NO_OVERLAP = sa.DDL(
    "ALTER TABLE booking_holds ADD CONSTRAINT ex_booking_holds_space_period EXCLUDE USING gist "
    "(space_id WITH =, tstzrange(start_at, end_at, '[)') WITH &&) WHERE (active)"
)
sa.event.listen(
    BookingHold.__table__, "after_create", HOLD_NO_OVERLAP.execute_if(dialect="postgresql")
)
# SQLite's backstop: the same rule as a trigger (migration 0004).
HOLD_NO_OVERLAP_SQLITE = sa.DDL(
    "CREATE TRIGGER tr_booking_holds_no_overlap BEFORE INSERT ON booking_holds "
    "WHEN NEW.active AND EXISTS (SELECT 1 FROM booking_holds AS other "
    "WHERE other.space_id = NEW.space_id AND other.active "
    "AND other.end_at > NEW.start_at AND other.start_at < NEW.end_at) "
    "BEGIN SELECT RAISE(ABORT, 'booking_holds overlap'); END"
)
sa.event.listen(
    BookingHold.__table__, "after_create", HOLD_NO_OVERLAP_SQLITE.execute_if(dialect="sqlite")
)
