"""Days of the working calendar that differ from what the official calendar libraries say."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Base
from app.sqltypes import UTCDateTime, enum_column, utcnow


class DaySource(enum.StrEnum):
    """Where what is known of a day comes from, most authoritative last."""

    OFFICIAL = "official"  # the State Council's published arrangement (chinesecalendar)
    LAW = "law"  # the statutory days fixed by law, before the arrangement is published
    MANAGER = "manager"  # a manager's declaration, which overrides both


class CalendarDay(Base):
    """One local date declared a working day or a day off, with its name (春节, 调休上班)."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    working: Mapped[bool]
    name: Mapped[str] = mapped_column(sa.String(60), default="")
    source: Mapped[DaySource] = mapped_column(
        enum_column(DaySource, "day_source"), default=DaySource.MANAGER
    )
    provisional: Mapped[bool] = mapped_column(default=False)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def id(self) -> int:
        """The day as a number (20270220), so the audit log can point at it."""
        return int(self.day.strftime("%Y%m%d"))

    def __repr__(self) -> str:
        return f"<CalendarDay {self.day} working={self.working}>"
