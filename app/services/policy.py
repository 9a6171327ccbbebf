"""Booking policy: limits per space kind and free monthly hours per company stage.

Managers can change both; without a stored value the defaults below apply.
"""

from dataclasses import dataclass
from datetime import timedelta

from app.extensions import db
from app.models import KindRule, SpaceKind, Stage, StageAllowance, User
from app.services import audit, reference

GRID = timedelta(minutes=15)
MIN_DURATION = timedelta(minutes=30)
CHECK_IN_OPENS = timedelta(minutes=10)  # before the start
NO_SHOW_AFTER = timedelta(minutes=15)  # after the start
MAX_OCCURRENCES = 100
# No booking is longer, whatever a kind's limit says (the policy form stops at 24 hours too):
# lists and reports find the bookings overlapping a window by a bounded range of start times.
LONGEST_BOOKING = timedelta(hours=24)
# No set-up and clearing buffer is longer (the policy form stops at 240 minutes too).
LONGEST_BUFFER = timedelta(hours=4)
# A hold is its booking with the buffer on both sides: none is longer than this, so the holds
# overlapping a window are found by a range of the (space_id, end_at) index bounded both ways.
LONGEST_HOLD = LONGEST_BOOKING + 2 * LONGEST_BUFFER


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

    Worked out once per revision of the reference data: a page asks for every room and cell.
    """
    stored = reference.current().derived("policy.limits", _stored_limits)
    return stored.get(kind) or DEFAULT_LIMITS.get(kind, KindLimits(240, 60))


def _stored_limits(held: reference.Reference) -> dict[SpaceKind, KindLimits]:
    """Every stored rule (a kind without one has the defaults)."""
    longest = int(LONGEST_BOOKING.total_seconds()) // 60
    longest_buffer = int(LONGEST_BUFFER.total_seconds()) // 60
    return {
        row.kind: KindLimits(
            min(row.max_minutes, longest),
            row.advance_days,
            min(row.buffer_minutes, longest_buffer),
            row.requires_check_in,
            row.counts_against_allowance,
        )
        for row in held.kind_rules.values()
    }


def allowance_kinds() -> set[SpaceKind]:
    """The kinds whose bookings use up the company's free monthly hours."""
    return {kind for kind in DEFAULT_LIMITS if limits_for(kind).counts_against_allowance}


def monthly_allowance_minutes(stage: Stage) -> int:
    """Free meeting-room minutes a month for a company at this stage."""
    stored = reference.current().stage_minutes
    return stored.get(stage, DEFAULT_ALLOWANCE_MINUTES[stage])


def save_limits(actor: User | None, kind: SpaceKind, limits: KindLimits) -> KindRule:
    """Store the limits of a space kind."""
    row = db.session.get(KindRule, kind) or KindRule(kind=kind)
    before = {"limits": vars(limits_for(kind))}
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
