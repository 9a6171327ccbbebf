"""Spaces: leasable offices, desks, booths and shops, and bookable rooms, halls and tables."""

import enum
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Base
from app.sqltypes import enum_column

if TYPE_CHECKING:
    from app.models.lease import Lease
    from app.models.zone import Zone


class SpaceKind(enum.StrEnum):
    OFFICE = "office"
    DESK = "desk"
    BOOTH = "booth"
    SHOP = "shop"
    MEETING_ROOM = "meeting_room"
    HALL = "hall"
    EVENT_AREA = "event_area"
    TABLE = "table"

    @property
    def leasable(self) -> bool:
        return self in LEASABLE_KINDS


LEASABLE_KINDS = frozenset({SpaceKind.OFFICE, SpaceKind.DESK, SpaceKind.BOOTH, SpaceKind.SHOP})
_LEASABLE_SQL = ", ".join(f"'{kind.value}'" for kind in sorted(LEASABLE_KINDS))


class Space(Base):
    __tablename__ = "spaces"
    __table_args__ = (
        sa.CheckConstraint("area_m2 >= 0", name="area_not_negative"),
        sa.CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        # Offices, desks, booths and shops are leased, never booked.
        sa.CheckConstraint(
            f"NOT bookable OR kind NOT IN ({_LEASABLE_SQL})", name="leased_not_bookable"
        ),
        sa.CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_part"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(sa.ForeignKey("zones.id", ondelete="RESTRICT"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("spaces.id", ondelete="RESTRICT"), index=True
    )
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(sa.String(60))
    name_en: Mapped[str] = mapped_column(sa.String(80), default="")
    kind: Mapped[SpaceKind] = mapped_column(enum_column(SpaceKind, "space_kind"))
    area_m2: Mapped[float] = mapped_column(sa.Float, default=0)
    capacity: Mapped[int] = mapped_column(default=0)
    equipment: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    bookable: Mapped[bool] = mapped_column(default=False)
    requires_approval: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)

    zone: Mapped["Zone"] = relationship(back_populates="spaces")
    parent: Mapped[Optional["Space"]] = relationship(remote_side=[id], back_populates="parts")
    parts: Mapped[list["Space"]] = relationship(back_populates="parent")
    leases: Mapped[list["Lease"]] = relationship(back_populates="space")

    def display_name(self, locale: str) -> str:
        """The space's name in the reader's language."""
        return self.name_en if locale.startswith("en") and self.name_en else self.name

    def __repr__(self) -> str:
        return f"<Space {self.code}>"
