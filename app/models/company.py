"""Tenant companies and teams, on their way from seedbed to graduation."""

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Base
from app.sqltypes import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from app.models.lease import Lease
    from app.models.user import User


class Stage(enum.StrEnum):
    TEAM = "team"
    INCUBATED = "incubated"
    ACCELERATING = "accelerating"
    GRADUATED = "graduated"


class CompanyStatus(enum.StrEnum):
    ACTIVE = "active"
    LEFT = "left"


class Company(Base):
    __tablename__ = "companies"
    __table_args__ = (
        # Only a team without a registered company may lack a credit code.
        sa.CheckConstraint("uscc IS NOT NULL OR stage = 'team'", name="uscc_required"),
        sa.CheckConstraint(
            "uscc IS NULL OR (length(uscc) = 18 AND uscc = upper(uscc))", name="uscc_shape"
        ),
        sa.CheckConstraint(
            "graduated_on IS NULL OR graduated_on >= joined_on", name="graduated_after_joined"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    uscc: Mapped[str | None] = mapped_column(sa.String(18), unique=True)
    stage: Mapped[Stage] = mapped_column(enum_column(Stage, "company_stage"), index=True)
    industry: Mapped[str] = mapped_column(sa.String(60), default="")
    contact_name: Mapped[str] = mapped_column(sa.String(60), default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(30), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    joined_on: Mapped[date] = mapped_column(sa.Date)
    graduated_on: Mapped[date | None] = mapped_column(sa.Date)
    status: Mapped[CompanyStatus] = mapped_column(
        enum_column(CompanyStatus, "company_status"), default=CompanyStatus.ACTIVE
    )
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    users: Mapped[list["User"]] = relationship(back_populates="company")
    leases: Mapped[list["Lease"]] = relationship(
        back_populates="company", order_by="Lease.starts_on.desc()"
    )

    def __repr__(self) -> str:
        return f"<Company {self.name}>"
