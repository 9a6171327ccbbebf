"""Zones of the building: seedbed, incubation space, meeting rooms, …"""

from datetime import time
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Base

if TYPE_CHECKING:
    from app.models.space import Space


class Zone(Base):
    __tablename__ = "zones"
    __table_args__ = (
        sa.CheckConstraint("area_m2 >= 0", name="area_not_negative"),
        sa.CheckConstraint("length(code) BETWEEN 2 AND 10", name="code_length"),
        sa.CheckConstraint("closes_at > opens_at", name="closes_after_opening"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(10), unique=True)
    name: Mapped[str] = mapped_column(sa.String(60))
    name_en: Mapped[str] = mapped_column(sa.String(80))
    area_m2: Mapped[float] = mapped_column(sa.Float, default=0)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    sort_order: Mapped[int] = mapped_column(default=0)
    # Opening hours of the zone's bookable spaces, local time; some zones open on working days only.
    opens_at: Mapped[time] = mapped_column(sa.Time, default=time(8, 0))
    closes_at: Mapped[time] = mapped_column(sa.Time, default=time(22, 0))
    working_days_only: Mapped[bool] = mapped_column(default=False)

    spaces: Mapped[list["Space"]] = relationship(back_populates="zone", order_by="Space.code")

    def display_name(self, locale: str) -> str:
        """The zone's name in the reader's language."""
        return self.name_en if locale.startswith("en") and self.name_en else self.name

    def __repr__(self) -> str:
        return f"<Zone {self.code}>"
