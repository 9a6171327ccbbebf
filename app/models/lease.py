"""Leases of offices, desks, booths and shops to companies."""

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Base
from app.sqltypes import UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.company import Company
    from app.models.space import Space


class Lease(Base):
    """A company's use of a space from ``starts_on`` to ``ends_on``, both days included.

    ``ends_on`` may be empty for an open-ended lease. No two leases of one space overlap: the
    lease service checks it for a friendly message, and on PostgreSQL an exclusion constraint
    (added by the migration and by ``LEASE_NO_OVERLAP`` below) guarantees it.
    """

    __tablename__ = "leases"
    __table_args__ = (
        sa.CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
        sa.Index("ix_leases_space_id_starts_on", "space_id", "starts_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        sa.ForeignKey("companies.id", ondelete="RESTRICT"), index=True
    )
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("spaces.id", ondelete="RESTRICT"))
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date | None] = mapped_column(sa.Date)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    company: Mapped["Company"] = relationship(back_populates="leases")
    space: Mapped["Space"] = relationship(back_populates="leases")

    def covers(self, day: date) -> bool:
        """Whether the lease is in force on ``day``."""
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


LEASE_NO_OVERLAP = sa.DDL(
    "ALTER TABLE leases ADD CONSTRAINT ex_leases_space_period EXCLUDE USING gist "
    "(space_id WITH =, daterange(starts_on, ends_on, '[]') WITH &&)"
)
sa.event.listen(
    Lease.__table__,
    "after_create",
    sa.DDL("CREATE EXTENSION IF NOT EXISTS btree_gist").execute_if(dialect="postgresql"),
)
sa.event.listen(Lease.__table__, "after_create", LEASE_NO_OVERLAP.execute_if(dialect="postgresql"))
