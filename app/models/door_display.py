"""Door displays: the tablet outside a bookable room, reached by a secret URL stored as a hash."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Base
from app.models.space import Space
from app.sqltypes import UTCDateTime, utcnow


class DoorDisplay(Base):
    """The door display of one room; only the SHA-256 of its key is kept.

    One per room: a manager creates it, or regenerates its key (the tablet showing the old
    address then shows nothing until it is given the new one).
    """

    __tablename__ = "door_displays"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(
        sa.ForeignKey("spaces.id", ondelete="CASCADE"), unique=True
    )
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    space: Mapped[Space] = relationship()
