"""Bookings: who may book what and when, approval, cancellation, check-in, and no overlaps.

The friendly checks here say *which* bookings or closures are in the way; the database is the
backstop (an exclusion constraint on PostgreSQL, write transactions taken up front on SQLite).
"""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import (
    HOLDING_STATUSES,
    Booking,
    BookingHold,
    BookingSeries,
    BookingStatus,
    Company,
    User,
)
from app.services import audit, events, policy
from app.services.booking_permissions import (
    another_companys,
    check_may_cancel,
    check_may_check_in,
    check_may_decide,
    decided_already,
    may_cancel,
)
from app.services.booking_rules import (
    BookingRequest,
    can_see,
    check_fields,
    check_may_book,
    check_times,
    closure_conflicts,
    hold_interval,
    holding_conflicts,
    initial_statuses,
    iso,
    unit_ids,
)
from app.services.errors import Conflict, DomainError, RuleViolation
from app.services.localtime import to_local
from app.services.recurrence import expand
from app.sqltypes import utcnow


class SeriesRejected(DomainError):
    """Some occurrences of a recurring request fail; nothing was booked."""

    def __init__(self, failures: list[dict[str, Any]]) -> None:
        conflict = any(failure["code"] == "conflict" for failure in failures)
        self.code = "conflict" if conflict else "invalid"
        super().__init__(
            _l("%(count)d of the occurrences cannot be booked.", count=len(failures)),
            {"occurrences": [_as_text(failure) for failure in failures]},
        )
        self.failures = failures


def _as_text(failure: dict[str, Any]) -> dict[str, Any]:
    """A failure with its (lazily translated) messages turned into text, for JSON."""
    text = dict(failure, message=str(failure["message"]))
    if "fields" in failure:
        text["fields"] = {name: str(message) for name, message in failure["fields"].items()}
    return text


def _occurrences(request: BookingRequest) -> list[tuple[datetime, datetime]]:
    rule = request.recurrence
    if rule is None:
        return [(request.start, request.end)]
    if (rule.count is None) == (rule.until is None):
        raise RuleViolation("recurrence", _l("Say either until when or how many times."))
    if rule.until is not None and rule.until < to_local(request.start).date():
        raise RuleViolation("recurrence", _l("The last day comes before the first booking."))
    found = expand(request.start, request.end, rule, policy.MAX_OCCURRENCES + 1)
    if len(found) > policy.MAX_OCCURRENCES:
        raise RuleViolation(
            "recurrence", _l("At most %(count)d occurrences.", count=policy.MAX_OCCURRENCES)
        )
    if not found:
        raise RuleViolation("recurrence", _l("This repeat rule gives no date to book."))
    return found


def occurrence_failures(
    actor: User,
    request: BookingRequest,
    occurrences: list[tuple[datetime, datetime]],
    now: datetime,
) -> list[dict[str, Any]]:
    """The occurrences that cannot be booked: a broken rule of timing, an overlap with the
    previous occurrence, a closure or another booking in the way."""
    space = request.space
    buffer = policy.limits_for(space.kind).buffer_minutes
    failures = []
    previous_hold: tuple[datetime, datetime] | None = None
    for start, end in occurrences:
        failure: dict[str, Any] = {"start": iso(start), "end": iso(end)}
        broken = check_times(space, start, end, now, actor)
        hold = hold_interval(start, end, buffer)
        if broken:
            field, message = broken
            failure |= {"code": "invalid", "message": message, "fields": {field: message}}
        elif previous_hold and hold[0] < previous_hold[1]:
            message = _l("Overlaps the previous occurrence of this series.")
            failure |= {"code": "conflict", "message": message, "conflicts": []}
        else:
            conflicts = closure_conflicts(space, *hold) + holding_conflicts(
                space, *hold, now, actor
            )
            if conflicts:
                message = _l("%(space)s is not free then.", space=space.code)
                failure |= {"code": "conflict", "message": message, "conflicts": conflicts}
        previous_hold = hold
        if "code" in failure:
            failures.append(failure)
    return failures


def preview(
    actor: User, request: BookingRequest, now: datetime | None = None
) -> list[dict[str, Any]]:
    """What the request would book, occurrence by occurrence, without booking anything.

    Each item has ``start``, ``end``, ``status`` and ``reason`` it would get, and ``failure``
    (the message, fields and conflicts) when that occurrence cannot be booked.
    """
    now = now or utcnow()
    check_may_book(actor, request.space, request.company)
    check_fields(request)
    occurrences = _occurrences(request)
    failures = {
        item["start"]: item for item in occurrence_failures(actor, request, occurrences, now)
    }
    statuses = initial_statuses(actor, request, occurrences)
    return [
        {
            "start": start,
            "end": end,
            "status": status,
            "reason": reason,
            "failure": failures.get(iso(start)),
        }
        for (start, end), (status, reason) in zip(occurrences, statuses, strict=True)
    ]


def raise_failures(failures: list[dict[str, Any]], single: bool) -> None:
    """Refuse a request whose occurrences fail: one booking's conflict or broken rule as such,
    a series' as ``SeriesRejected`` naming every failing occurrence."""
    if failures and single:
        failure = failures[0]
        if failure["code"] == "conflict":
            raise Conflict(failure["message"], failure["conflicts"])
        field = next(iter(failure["fields"]))
        raise RuleViolation(field, failure["message"])
    if failures:
        raise SeriesRejected(failures)


def lock_company(company: Company) -> None:
    """Take the company's row lock for the rest of the transaction."""
    # Serialises a company's concurrent requests so allowance arithmetic cannot be raced.
    db.session.execute(sa.select(Company.id).where(Company.id == company.id).with_for_update())


def flush_or_conflict() -> None:
    """Flush; a hold the database refuses as overlapping becomes a ``Conflict``."""
    try:
        db.session.flush()
    except sa.exc.IntegrityError as error:
        exclusion = getattr(error.orig, "sqlstate", None) == "23P01"  # PostgreSQL
        if exclusion or "booking_holds overlap" in str(error.orig):  # SQLite's trigger
            raise Conflict(_l("Someone else has just booked this time."), []) from error
        raise


def create_bookings(
    actor: User, request: BookingRequest, now: datetime | None = None
) -> list[Booking]:
    """Book one slot, or every occurrence of a series (all or nothing)."""
    now = now or utcnow()
    check_may_book(actor, request.space, request.company)
    check_fields(request)
    occurrences = _occurrences(request)
    lock_company(request.company)
    if request.request_key:
        earlier = list(
            db.session.scalars(
                sa.select(Booking)
                .where(Booking.user_id == actor.id, Booking.request_key == request.request_key)
                .order_by(Booking.start_at)
            )
        )
        if earlier:
            return earlier
    raise_failures(
        occurrence_failures(actor, request, occurrences, now), request.recurrence is None
    )

    limits = policy.limits_for(request.space.kind)
    series = None
    if request.recurrence is not None:
        rule = request.recurrence
        series = BookingSeries(
            space_id=request.space.id,
            company_id=request.company.id,
            user_id=actor.id,
            freq=rule.freq,
            interval=rule.interval,
            weekdays=list(rule.weekdays),
            count=rule.count,
            until=rule.until,
        )
        db.session.add(series)
    bookings = []
    statuses = initial_statuses(actor, request, occurrences)
    for (start, end), (status, reason) in zip(occurrences, statuses, strict=True):
        booking = Booking(
            space=request.space,
            company=request.company,
            user=actor,
            series=series,
            title=request.title.strip(),
            attendees=request.attendees,
            start_at=start,
            end_at=end,
            buffer_minutes=limits.buffer_minutes,
            status=status,
            reason=reason,
            requires_check_in=limits.requires_check_in,
            created_at=now,
            request_key=request.request_key,
        )
        hold_start, hold_end = hold_interval(start, end, limits.buffer_minutes)
        booking.holds = [
            BookingHold(space_id=unit, start_at=hold_start, end_at=hold_end)
            for unit in unit_ids(request.space)
        ]
        db.session.add(booking)
        bookings.append(booking)
    flush_or_conflict()
    for booking in bookings:
        audit.record(
            actor,
            "booking.created",
            booking,
            None,
            {"status": booking.status.value},
            note=booking.reason,
        )
        events.emit(booking.status.value, booking.id)
    return bookings


def _transition(
    actor: User,
    bookings: list[Booking],
    allowed_from: frozenset[BookingStatus],
    to: BookingStatus,
    reason: str,
    now: datetime,
) -> list[Booking]:
    """Move bookings to ``to`` with a conditional update: only those still in ``allowed_from``."""
    ids = [booking.id for booking in bookings]
    before = {booking.id: booking.status.value for booking in bookings}
    changed = set(
        db.session.scalars(
            sa.update(Booking)
            .where(Booking.id.in_(ids), Booking.status.in_(allowed_from))
            .values(
                status=to,
                reason=reason,
                decided_at=now,
                decided_by_id=actor.id,
                sequence=Booking.sequence + 1,
            )
            .returning(Booking.id)
            .execution_options(synchronize_session=False)
        )
    )
    if to not in HOLDING_STATUSES and changed:
        db.session.execute(
            sa.update(BookingHold)
            .where(BookingHold.booking_id.in_(changed))
            .values(active=False)
            .execution_options(synchronize_session=False)
        )
    done = [booking for booking in bookings if booking.id in changed]
    for booking in done:
        db.session.refresh(booking)
        audit.record(
            actor,
            f"booking.{to.value}",
            booking,
            {"status": before[booking.id]},
            {"status": to.value},
            note=reason,
        )
    return done


def approve(actor: User, booking: Booking, now: datetime | None = None) -> Booking:
    """Confirm a pending request (managers only); 409 when another decision came first."""
    now = now or utcnow()
    check_may_decide(actor, booking, now, "approve")
    closed = closure_conflicts(
        booking.space, *hold_interval(booking.start_at, booking.end_at, booking.buffer_minutes)
    )
    if closed:
        raise Conflict(_l("%(space)s is closed then.", space=booking.space.code), closed)
    pending = frozenset({BookingStatus.PENDING})
    if not _transition(actor, [booking], pending, BookingStatus.CONFIRMED, "", now):
        raise decided_already()
    events.emit("approved", booking.id)
    return booking


def reject(actor: User, booking: Booking, reason: str, now: datetime | None = None) -> Booking:
    """Turn down a pending request with a reason (managers only)."""
    now = now or utcnow()
    if actor.is_staff and not reason.strip():
        raise RuleViolation("reason", _l("Say why, so the company knows."))
    check_may_decide(actor, booking, now, "reject")
    pending = frozenset({BookingStatus.PENDING})
    if not _transition(actor, [booking], pending, BookingStatus.REJECTED, reason.strip(), now):
        raise decided_already()
    events.emit("rejected", booking.id, reason=reason.strip())
    return booking


CANCEL_SCOPES = ("this", "following", "series")


def cancel(
    actor: User,
    booking: Booking,
    reason: str = "",
    scope: str = "this",
    now: datetime | None = None,
) -> list[Booking]:
    """Cancel a booking, or its series from this occurrence on, or the whole series.

    Only what ``may_cancel`` allows: of a series, the occurrences the actor may still cancel.
    """
    now = now or utcnow()
    if not can_see(actor, booking):
        raise another_companys()
    if actor.is_staff and not reason.strip():
        raise RuleViolation("reason", _l("Say why, so the company knows."))
    if scope not in CANCEL_SCOPES:
        raise RuleViolation("scope", _l("Cancel this booking, the following ones or the series."))
    targets = [booking]
    if booking.series is not None and scope != "this":
        targets = [
            other
            for other in booking.series.bookings
            if may_cancel(actor, other, now)
            and (scope == "series" or other.start_at >= booking.start_at)
        ]
    else:
        check_may_cancel(actor, booking, now)
    done = _transition(
        actor, targets, HOLDING_STATUSES, BookingStatus.CANCELLED, reason.strip(), now
    )
    if booking in targets and booking not in done:
        raise decided_already()
    name = "cancelled" if len(done) <= 1 else "series_cancelled"
    for cancelled in done:
        events.emit(name, cancelled.id, reason=reason.strip(), by_manager=actor.is_staff)
    return done


def check_in(actor: User, booking: Booking, now: datetime | None = None) -> Booking:
    """Check in within the window of ``may_check_in``; a second check-in keeps the first time."""
    now = now or utcnow()
    check_may_check_in(actor, booking, now)
    if booking.checked_in_at is not None:
        return booking
    booking.checked_in_at = now
    booking.sequence += 1
    audit.record(actor, "booking.checked_in", booking, None, {"checked_in_at": now.isoformat()})
    return booking
