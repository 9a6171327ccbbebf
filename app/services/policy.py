"""Booking policy: limits per space kind and free monthly hours per company stage.

Managers can change both; without a stored value the defaults below apply.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import KindRule, SpaceKind, Stage, StageAllowance, User
from app.services import audit

GRID = timedelta(minutes=15)
MIN_DURATION = timedelta(minutes=30)
CHECK_IN_OPENS = timedelta(minutes=10)  # before the start
NO_SHOW_AFTER = timedelta(minutes=15)  # after the start
MAX_OCCURRENCES = 100
# No booking is longer, whatever a kind's limit says (the policy form stops at 24 hours too):
# lists and reports find the bookings overlapping a window by a bounded range of start times.
LONGEST_BOOKING = timedelta(hours=24)
# Limits read in the current transaction, per kind, in Session.info (see limits_for).
_LIMITS_CACHE = "policy.kind_limits"
# Free minutes per stage read in the current transaction, likewise (see monthly_allowance_minutes).
_ALLOWANCES_CACHE = "policy.stage_allowances"


@dataclass(frozen=True)
class KindLimits:
    max_minutes: int
    advance_days: int
    buffer_minutes: int = 0
    requires_check_in: bool = False
    counts_against_allowance: bool = False


DEFAULT_LIMITS = {
    SpaceKind.MEETING_ROOM: KindLimits(240, 60, 0, True, True),
    SpaceKind.TABLE: KindLimits(240, 60),
    SpaceKind.HALL: KindLimits(24 * 60, 180, 30),
    SpaceKind.EVENT_AREA: KindLimits(24 * 60, 180, 30),
}
DEFAULT_ALLOWANCE_MINUTES = {
    Stage.TEAM: 8 * 60,
    Stage.INCUBATED: 20 * 60,
    Stage.ACCELERATING: 40 * 60,
    Stage.GRADUATED: 0,
}


def limits_for(kind: SpaceKind) -> KindLimits:
    """The limits that apply to bookings of spaces of this kind.

    Read once per transaction: a page asks for them for every room and cell, and without a
    stored rule each ask would otherwise be a query (the identity map keeps only rows found).
    """
    cache: dict[SpaceKind, KindLimits] | None = db.session.info.get(_LIMITS_CACHE)
    if cache is None:
        cache = db.session.info[_LIMITS_CACHE] = _stored_limits()
    return cache.get(kind) or DEFAULT_LIMITS.get(kind, KindLimits(240, 60))


def _stored_limits() -> dict[SpaceKind, KindLimits]:
    """Every stored rule, in one query (a kind without one has no row to find by key)."""
    longest = int(LONGEST_BOOKING.total_seconds()) // 60
    return {
        row.kind: KindLimits(
            min(row.max_minutes, longest),
            row.advance_days,
            row.buffer_minutes,
            row.requires_check_in,
            row.counts_against_allowance,
        )
        for row in db.session.scalars(sa.select(KindRule))
    }


@sa.event.listens_for(Session, "after_transaction_end")
def _forget_limits(session: Session, _transaction: Any) -> None:
    """The next transaction reads the limits again: another worker may have changed them."""
    session.info.pop(_LIMITS_CACHE, None)
    session.info.pop(_ALLOWANCES_CACHE, None)


def allowance_kinds() -> set[SpaceKind]:
    """The kinds whose bookings use up the company's free monthly hours."""
    return {kind for kind in DEFAULT_LIMITS if limits_for(kind).counts_against_allowance}


def monthly_allowance_minutes(stage: Stage) -> int:
    """Free meeting-room minutes a month for a company at this stage.

    Every stored stage read once per transaction, like the kinds' limits: the finder asks for
    each room it offers, and a stage without a row would otherwise be a query each time.
    """
    cache: dict[Stage, int] | None = db.session.info.get(_ALLOWANCES_CACHE)
    if cache is None:
        rows = db.session.execute(sa.select(StageAllowance.stage, StageAllowance.monthly_minutes))
        cache = db.session.info[_ALLOWANCES_CACHE] = {stage: minutes for stage, minutes in rows}
    return cache.get(stage, DEFAULT_ALLOWANCE_MINUTES[stage])


def save_limits(actor: User | None, kind: SpaceKind, limits: KindLimits) -> KindRule:
    """Store the limits of a space kind."""
    row = db.session.get(KindRule, kind) or KindRule(kind=kind)
    before = {"limits": vars(limits_for(kind))}
    db.session.info.pop(_LIMITS_CACHE, None)
    for field, value in vars(limits).items():
        setattr(row, field, value)
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "policy.limits", row, before, {"limits": vars(limits)}, note=kind.value)
    return row


def save_allowance(actor: User | None, stage: Stage, monthly_minutes: int) -> StageAllowance:
    """Store the free monthly minutes of a stage."""
    row = db.session.get(StageAllowance, stage) or StageAllowance(stage=stage)
    before = {"monthly_minutes": monthly_allowance_minutes(stage)}
    db.session.info.pop(_ALLOWANCES_CACHE, None)
    row.monthly_minutes = monthly_minutes
    db.session.add(row)
    db.session.flush()
    audit.record(
        actor,
        "policy.allowance",
        row,
        before,
        {"monthly_minutes": monthly_minutes},
        note=stage.value,
    )
    return row
