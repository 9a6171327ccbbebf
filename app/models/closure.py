"""Closures: a room, a zone or the whole building closed for a holiday or maintenance."""

from datetime import datetime
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Base
from app.sqltypes import UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.space import Space
    from app.models.zone import Zone


class Closure(Base):
    """``[start_at, end_at)`` closed for one space, one zone, or (neither given) everything."""

    __tablename__ = "closures"
    __table_args__ = (
        sa.CheckConstraint("end_at > start_at", name="ends_after_start"),
        sa.CheckConstraint("space_id IS NULL OR zone_id IS NULL", name="one_scope"),
        sa.Index("ix_closures_end_at", "end_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int | None] = mapped_column(sa.ForeignKey("spaces.id", ondelete="CASCADE"))
    zone_id: Mapped[int | None] = mapped_column(sa.ForeignKey("zones.id", ondelete="CASCADE"))
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(sa.String(200))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    space: Mapped[Optional["Space"]] = relationship()
    zone: Mapped[Optional["Zone"]] = relationship()
