"""Who may do what to a booking, and until when: cancel, change, check in, approve or reject.

Each permission is written once, as the reason it is refused. ``may_…`` asks (a page decides
which buttons to show); ``check_may_…`` raises that reason (the booking service enforces it),
so a button is on the page exactly when the service would do what it says.
"""

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.models import Booking, BookingStatus, User
from app.services import policy
from app.services.booking_rules import can_see
from app.services.errors import Conflict, DomainError, NotAllowed, RuleViolation


def decided_already() -> Conflict:
    """A booking that is no longer pending or holding: someone decided or cancelled it first."""
    return Conflict(_l("This booking has already been decided or cancelled."), [])


def another_companys() -> NotAllowed:
    return NotAllowed(_l("This is another company's booking."))


# Cancelling: tenants until the start, managers until the end; a booking that has ended stays
# as it was (its company was there, and the reports count it).


def _cancel_refusal(actor: User, booking: Booking, now: datetime) -> DomainError | None:
    if not can_see(actor, booking):
        return another_companys()
    if not actor.is_staff and booking.start_at <= now:
        return RuleViolation("start", _l("A booking can be cancelled until it starts."))
    if booking.end_at <= now:
        return RuleViolation("start", _l("This booking has already ended; it cannot be cancelled."))
    if not booking.holding:
        return decided_already()
    return None


def may_cancel(actor: User, booking: Booking, now: datetime) -> bool:
    """Whether ``actor`` may cancel ``booking`` now."""
    return _cancel_refusal(actor, booking, now) is None


def check_may_cancel(actor: User, booking: Booking, now: datetime) -> None:
    """Raise why ``actor`` may not cancel ``booking`` now, if they may not."""
    refusal = _cancel_refusal(actor, booking, now)
    if refusal is not None:
        raise refusal


# Changing (time, space, title, people): as cancelling, tenants until the start and managers
# until the end; a cancelled, declined or ended booking stays as it was.


def _change_refusal(actor: User, booking: Booking, now: datetime) -> DomainError | None:
    if not can_see(actor, booking):
        return another_companys()
    if not actor.is_staff and booking.start_at <= now:
        return RuleViolation("start", _l("A booking can be changed until it starts."))
    if booking.end_at <= now:
        return RuleViolation("start", _l("This booking has already ended; it cannot be changed."))
    if not booking.holding:
        return decided_already()
    return None


def may_change(actor: User, booking: Booking, now: datetime) -> bool:
    """Whether ``actor`` may change ``booking`` now."""
    return _change_refusal(actor, booking, now) is None


def check_may_change(actor: User, booking: Booking, now: datetime) -> None:
    """Raise why ``actor`` may not change ``booking`` now, if they may not."""
    refusal = _change_refusal(actor, booking, now)
    if refusal is not None:
        raise refusal


# Checking in: a confirmed booking that asks for it, from CHECK_IN_OPENS before the start until
# NO_SHOW_AFTER after it.


def check_in_minutes() -> tuple[int, int]:
    """The check-in window: minutes before the start it opens, minutes after it that it closes."""
    minute = timedelta(minutes=1)
    return policy.CHECK_IN_OPENS // minute, policy.NO_SHOW_AFTER // minute


def check_in_window_text() -> Any:
    """The check-in window in words (kept lazy, as the services' messages are)."""
    before, after = check_in_minutes()
    return _l(
        "Check in from %(before)d minutes before the start until %(after)d minutes after it.",
        before=before,
        after=after,
    )


def _check_in_refusal(actor: User, booking: Booking, now: datetime) -> DomainError | None:
    if not can_see(actor, booking):
        return another_companys()
    if booking.status != BookingStatus.CONFIRMED:
        return RuleViolation("status", _l("Only a confirmed booking can be checked in."))
    if not booking.requires_check_in:
        return RuleViolation("status", _l("This booking needs no check-in."))
    if booking.checked_in_at is not None:
        return None  # checking in again changes nothing, whenever it comes
    if not in_check_in_window(booking, now):
        return RuleViolation("start", check_in_window_text())
    return None


def in_check_in_window(booking: Booking, now: datetime) -> bool:
    """Whether ``now`` lies in the booking's check-in window."""
    return (
        booking.start_at - policy.CHECK_IN_OPENS <= now <= booking.start_at + policy.NO_SHOW_AFTER
    )


def awaits_check_in(booking: Booking, now: datetime) -> bool:
    """A confirmed booking that asks for a check-in, has none yet and whose window is open:
    what a door display offers to check in (its company's people may, ``may_check_in``)."""
    return (
        booking.status == BookingStatus.CONFIRMED
        and booking.requires_check_in
        and booking.checked_in_at is None
        and in_check_in_window(booking, now)
    )


def may_check_in(actor: User, booking: Booking, now: datetime) -> bool:
    """Whether ``actor`` may check in to ``booking`` now (not once it is checked in)."""
    return booking.checked_in_at is None and _check_in_refusal(actor, booking, now) is None


def check_may_check_in(actor: User, booking: Booking, now: datetime) -> None:
    """Raise why ``actor`` may not check in to ``booking`` now; a repeated check-in passes."""
    refusal = _check_in_refusal(actor, booking, now)
    if refusal is not None:
        raise refusal


# Deciding: managers approve a pending request until its time begins (after that it has lapsed
# and no longer holds its slot); they may turn it down whenever it is still pending.


NOT_STAFF = {
    "approve": _l("Only incubator managers approve requests."),
    "reject": _l("Only incubator managers reject requests."),
}


def _decide_refusal(
    actor: User, booking: Booking, now: datetime, decision: str = "approve"
) -> DomainError | None:
    if not actor.is_staff:
        return NotAllowed(NOT_STAFF[decision])
    if booking.status != BookingStatus.PENDING:
        return decided_already()
    if decision == "approve" and booking.start_at <= now:
        return RuleViolation("start", _l("This request's time has already begun."))
    return None


def may_decide(actor: User, booking: Booking, now: datetime, decision: str = "approve") -> bool:
    """Whether ``actor`` may ``decision`` (approve or reject) ``booking`` now."""
    return _decide_refusal(actor, booking, now, decision) is None


def check_may_decide(
    actor: User, booking: Booking, now: datetime, decision: str = "approve"
) -> None:
    """Raise why ``actor`` may not ``decision`` (approve or reject) ``booking`` now."""
    refusal = _decide_refusal(actor, booking, now, decision)
    if refusal is not None:
        raise refusal


def decidable(now: datetime) -> sa.ColumnElement[bool]:
    """The requests a manager may approve now, as a query filter (the queue, the menu's count)."""
    return sa.and_(Booking.status == BookingStatus.PENDING, Booking.start_at > now)
