"""Booking policies managers can change: limits per space kind, allowances per stage.

A missing row means the default in ``app.services.policy`` applies.
"""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Base
from app.models.company import Stage
from app.models.space import SpaceKind
from app.sqltypes import enum_column


class KindRule(Base):
    __tablename__ = "kind_rules"
    __table_args__ = (
        sa.CheckConstraint("max_minutes >= 30", name="max_at_least_min"),
        sa.CheckConstraint("advance_days >= 0", name="advance_not_negative"),
        sa.CheckConstraint("buffer_minutes >= 0", name="buffer_not_negative"),
    )

    kind: Mapped[SpaceKind] = mapped_column(enum_column(SpaceKind, "rule_kind"), primary_key=True)
    max_minutes: Mapped[int]
    advance_days: Mapped[int]
    buffer_minutes: Mapped[int] = mapped_column(default=0)
    requires_check_in: Mapped[bool] = mapped_column(default=False)
    counts_against_allowance: Mapped[bool] = mapped_column(default=False)


class StageAllowance(Base):
    __tablename__ = "stage_allowances"
    __table_args__ = (sa.CheckConstraint("monthly_minutes >= 0", name="not_negative"),)

    stage: Mapped[Stage] = mapped_column(enum_column(Stage, "allowance_stage"), primary_key=True)
    monthly_minutes: Mapped[int]
