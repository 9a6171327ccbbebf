"""Calendar feeds: secret URLs that calendar apps subscribe to, stored as hashes."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Base
from app.sqltypes import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from app.models.company import Company
    from app.models.space import Space
    from app.models.user import User


class FeedKind(enum.StrEnum):
    COMPANY = "company"
    SPACE = "space"


class CalendarFeed(Base):
    """One subscribable feed; only the SHA-256 of its secret is kept.

    A company feed (all of the company's bookings, with titles) is shared by the company: one per
    company, and any of its users may regenerate it. A room feed (busy times of one space) is
    personal: one per (space, subscriber), so a user who regenerates theirs breaks nobody else's.
    """

    __tablename__ = "calendar_feeds"
    __table_args__ = (
        sa.CheckConstraint(
            "(kind = 'company' AND company_id IS NOT NULL AND space_id IS NULL "
            "AND user_id IS NULL) OR "
            "(kind = 'space' AND space_id IS NOT NULL AND user_id IS NOT NULL "
            "AND company_id IS NULL)",
            name="one_owner",
        ),
        # Column order gives the constraints distinct conventional names.
        sa.UniqueConstraint("company_id", "kind"),
        sa.UniqueConstraint("space_id", "user_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[FeedKind] = mapped_column(enum_column(FeedKind, "feed_kind"))
    company_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("companies.id", ondelete="CASCADE")
    )
    space_id: Mapped[int | None] = mapped_column(sa.ForeignKey("spaces.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    company: Mapped[Optional["Company"]] = relationship()
    space: Mapped[Optional["Space"]] = relationship()
    user: Mapped[Optional["User"]] = relationship()
