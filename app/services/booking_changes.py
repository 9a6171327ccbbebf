"""Changing a booking: its time, space, title or number of people, for one occurrence of a
series or for it and the following ones.

A change is one transaction. The bookings are locked, their old holds let go and the new ones
taken, and every rule a new booking meets is checked again (a hall moved by a tenant waits for
approval again, free hours are recounted without the old slot). A refusal rolls all of it back:
the booking stays exactly as it was, and no racer can take its old or new slot in between.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import Booking, BookingHold, BookingStatus, Space, User
from app.services import audit, events, policy
from app.services.booking_permissions import another_companys, check_may_change, may_change
from app.services.booking_rules import (
    BookingRequest,
    can_see,
    check_fields,
    check_may_book,
    hold_interval,
    iso,
    slot_statuses,
    unit_ids,
)
from app.services.bookings import (
    flush_or_conflict,
    lock_company,
    occurrence_failures,
    raise_failures,
)
from app.services.errors import RuleViolation
from app.services.localtime import local_datetime, to_local
from app.sqltypes import utcnow

CHANGE_SCOPES = ("this", "following")
# What the audit log records of a change, before and after.
CHANGED_FIELDS = ["start_at", "end_at", "space_id", "title", "attendees", "status"]


@dataclass(frozen=True)
class BookingChange:
    """What to change; None keeps it. A new start without an end keeps the length."""

    start: datetime | None = None
    end: datetime | None = None
    space: Space | None = None
    title: str | None = None
    attendees: int | None = None


@dataclass
class _Plan:
    """One booking and what it becomes."""

    booking: Booking
    space: Space
    start: datetime
    end: datetime
    title: str
    attendees: int

    @property
    def moves(self) -> bool:
        """Whether the slot changes (time or space): then every rule of timing applies again."""
        booking = self.booking
        return (self.space.id, self.start, self.end) != (
            booking.space_id,
            booking.start_at,
            booking.end_at,
        )

    @property
    def changes(self) -> bool:
        booking = self.booking
        return self.moves or (self.title, self.attendees) != (booking.title, booking.attendees)

    def request(self) -> BookingRequest:
        booking = self.booking
        return BookingRequest(
            self.space, booking.company, self.start, self.end, self.title, self.attendees
        )


def _new_times(
    booking: Booking, chosen: Booking, change: BookingChange
) -> tuple[datetime, datetime]:
    """The new start and end of ``booking`` when ``chosen`` (the occurrence the person changed)
    gets ``change``: the following ones move to the same clock times, as many days on."""
    start = change.start or chosen.start_at
    end = change.end or (
        start + (chosen.end_at - chosen.start_at) if change.start else chosen.end_at
    )
    if booking is chosen:
        return start, end
    days = to_local(start).date() - to_local(chosen.start_at).date()
    new_start = local_datetime(to_local(booking.start_at).date() + days, to_local(start).time())
    return new_start, new_start + (end - start)


def _plans(bookings: list[Booking], chosen: Booking, change: BookingChange) -> list[_Plan]:
    plans = []
    for booking in bookings:
        start, end = _new_times(booking, chosen, change)
        plans.append(
            _Plan(
                booking=booking,
                space=change.space or booking.space,
                start=start,
                end=end,
                title=booking.title if change.title is None else change.title.strip(),
                attendees=booking.attendees if change.attendees is None else change.attendees,
            )
        )
    return plans


def _locked(bookings: list[Booking]) -> None:
    """Lock the bookings' rows and read them afresh: a cancellation or decision that committed
    meanwhile is seen (SQLite's write transaction, taken up front, serialises it already)."""
    db.session.execute(
        sa.select(Booking)
        .where(Booking.id.in_([booking.id for booking in bookings]))
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()


def _targets(actor: User, booking: Booking, scope: str, now: datetime) -> list[Booking]:
    """The booking, and with ``following`` the later occurrences of its series still changeable."""
    if booking.series is None or scope != "following":
        return [booking]
    later = [
        other
        for other in booking.series.bookings
        if other.start_at > booking.start_at and other.id != booking.id
    ]
    _locked(later)
    return [booking, *(other for other in later if may_change(actor, other, now))]


def _status_after(
    actor: User, plans: list[_Plan], excluding: list[int]
) -> list[tuple[BookingStatus, str]]:
    """What each booking's status becomes: a tenant's moved booking is judged as a new one
    (approval, free hours counted without the old slots); anything else keeps its status."""
    moving = [plan for plan in plans if plan.moves]
    fresh: dict[int, tuple[BookingStatus, str]] = {}
    if moving and not actor.is_staff:
        company = plans[0].booking.company
        slots = [(plan.space, plan.start, plan.end) for plan in moving]
        judged = slot_statuses(actor, company, slots, excluding)
        fresh = {plan.booking.id: status for plan, status in zip(moving, judged, strict=True)}
    return [
        fresh.get(plan.booking.id, (plan.booking.status, plan.booking.reason)) for plan in plans
    ]


def _release(plans: list[_Plan]) -> None:
    """Let go of the holds of the bookings that move, so that their new slots may overlap
    their old ones; undone with the transaction when the change is refused."""
    moving = [plan.booking.id for plan in plans if plan.moves]
    if not moving:
        return
    db.session.execute(
        sa.delete(BookingHold)
        .where(BookingHold.booking_id.in_(moving))
        .execution_options(synchronize_session=False)
    )
    for plan in plans:
        if plan.moves:
            db.session.expire(plan.booking, ["holds"])


def _apply(plan: _Plan, status: tuple[BookingStatus, str]) -> None:
    booking = plan.booking
    if plan.moves:
        limits = policy.limits_for(plan.space.kind)
        booking.space = plan.space
        booking.start_at, booking.end_at = plan.start, plan.end
        booking.buffer_minutes = limits.buffer_minutes
        booking.requires_check_in = limits.requires_check_in
        booking.checked_in_at = None
        hold_start, hold_end = hold_interval(plan.start, plan.end, limits.buffer_minutes)
        booking.holds = [
            BookingHold(space_id=unit, start_at=hold_start, end_at=hold_end)
            for unit in unit_ids(plan.space)
        ]
    booking.title, booking.attendees = plan.title, plan.attendees
    new_status, reason = status
    if new_status != booking.status or reason != booking.reason:
        if new_status == BookingStatus.PENDING:
            booking.decided_at, booking.decided_by_id = None, None  # to be decided again
        booking.status, booking.reason = new_status, reason
    booking.sequence += 1


def _was(booking: Booking) -> dict[str, Any]:
    """What a notice of the change says it was."""
    return {
        "start": iso(booking.start_at),
        "end": iso(booking.end_at),
        "space_id": booking.space_id,
        "title": booking.title,
        "attendees": booking.attendees,
        "status": booking.status.value,
    }


def change_booking(
    actor: User,
    booking: Booking,
    change: BookingChange,
    scope: str = "this",
    now: datetime | None = None,
) -> list[Booking]:
    """Change a booking, or it and the following occurrences of its series, all or nothing.

    Answers the bookings changed (none when nothing differs). Raises what a new booking of the
    new slot would raise (``Conflict``, ``RuleViolation``, ``SeriesRejected``), or why the actor
    may not change it; the caller rolls back, and the bookings stay as they were.
    """
    now = now or utcnow()
    if scope not in CHANGE_SCOPES:
        raise RuleViolation("scope", _l("Change this booking or the following ones."))
    if not can_see(actor, booking):
        raise another_companys()
    lock_company(booking.company)
    _locked([booking])
    check_may_change(actor, booking, now)
    plans = [
        plan
        for plan in _plans(_targets(actor, booking, scope, now), booking, change)
        if plan.changes
    ]
    if not plans:
        return []
    for plan in plans:
        if plan.moves:
            check_may_book(actor, plan.space, booking.company)
        check_fields(plan.request())
    before = {plan.booking.id: audit.snapshot(plan.booking, CHANGED_FIELDS) for plan in plans}
    was = _was(plans[0].booking)
    _release(plans)
    failures = [
        failure
        for plan in plans
        if plan.moves
        for failure in occurrence_failures(actor, plan.request(), [(plan.start, plan.end)], now)
    ]
    raise_failures(failures, single=len(plans) == 1)
    statuses = _status_after(actor, plans, [plan.booking.id for plan in plans])
    for plan, status in zip(plans, statuses, strict=True):
        _apply(plan, status)
    flush_or_conflict()
    changed = [plan.booking for plan in plans]
    for changed_booking in changed:
        audit.record(
            actor,
            "booking.updated",
            changed_booking,
            before[changed_booking.id],
            audit.snapshot(changed_booking, CHANGED_FIELDS),
        )
    events.emit(
        "changed",
        changed[0].id,
        occurrence_ids=[b.id for b in changed],
        was=was,
        by_manager=actor.is_staff,
        actor_id=actor.id,
        now_pending=was["status"] != "pending" and changed[0].status == BookingStatus.PENDING,
    )
    return changed
