"""The rules a booking must keep: who may book what, timing, conflicts and allowances."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

import sqlalchemy as sa
from flask_babel import LazyString, get_locale
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import (
    HOLDING_STATUSES,
    Booking,
    BookingHold,
    BookingStatus,
    Company,
    CompanyStatus,
    Space,
    SpaceKind,
    User,
    Zone,
)
from app.services import policy
from app.services.errors import NotAllowed, RuleViolation
from app.services.localtime import local_datetime, minutes_between, month_bounds, to_local
from app.services.open_time import closures_overlapping, opening_interval
from app.services.recurrence import Recurrence

PENDING_APPROVAL = "approval"
PENDING_OVER_ALLOWANCE = "over_allowance"
TITLE_MAX = 120


@dataclass
class BookingRequest:
    space: Space
    company: Company
    start: datetime
    end: datetime
    title: str
    attendees: int = 1
    recurrence: Recurrence | None = None
    request_key: str | None = None  # makes a repeated submit of one form book only once


def iso(moment: datetime, zone: tzinfo | None = None) -> str:
    """A UTC datetime as local ISO 8601 with its offset, as the API and messages show it
    (``zone``: the local zone, when the caller already looked it up)."""
    return (moment.astimezone(zone) if zone else to_local(moment)).isoformat()


def is_no_show(booking: Booking | sa.Row[Any], now: datetime) -> bool:
    """A confirmed booking (or a row of its columns) that needed a check-in and got none in time:
    its slot is free again."""
    return (
        booking.status == BookingStatus.CONFIRMED
        and booking.requires_check_in
        and booking.checked_in_at is None
        and now > booking.start_at + policy.NO_SHOW_AFTER
    )


def is_lapsed(booking: Booking, now: datetime) -> bool:
    """A request nobody decided before its start: it no longer holds the slot."""
    return booking.status == BookingStatus.PENDING and now >= booking.start_at


def is_released(booking: Booking, now: datetime) -> bool:
    """Still marked as holding, but its slot is free again (a no-show or a lapsed request)."""
    return is_no_show(booking, now) or is_lapsed(booking, now)


def unit_ids(space: Space) -> list[int]:
    """The units a booking of ``space`` holds: its parts if it has any, else itself."""
    return [part.id for part in space.parts] or [space.id]


def can_see(viewer: User, booking: Booking) -> bool:
    """Managers see every booking; tenants only their own company's."""
    return viewer.is_staff or viewer.company_id == booking.company_id


def check_may_book(actor: User, space: Space, company: Company) -> None:
    if not actor.is_staff and actor.company_id != company.id:
        raise NotAllowed(_l("You can only book for your own company."))
    if not (space.bookable and space.active):
        raise RuleViolation("space_id", _l("%(space)s cannot be booked.", space=space.code))
    if company.status != CompanyStatus.ACTIVE:
        raise RuleViolation("company_id", _l("%(name)s has moved out.", name=company.name))


def check_fields(request: BookingRequest) -> None:
    if not request.title.strip():
        raise RuleViolation("title", _l("Give the booking a title."))
    if len(request.title) > TITLE_MAX:
        raise RuleViolation("title", _l("At most %(count)d characters.", count=TITLE_MAX))
    if request.attendees < 1:
        raise RuleViolation("attendees", _l("At least one person attends."))
    capacity = request.space.capacity
    if capacity and request.attendees > capacity:
        raise RuleViolation(
            "attendees",
            _l(
                "%(space)s holds at most %(count)d people.",
                space=request.space.code,
                count=capacity,
            ),
        )


def last_bookable_day(actor: User, kind: SpaceKind, today: date) -> date | None:
    """The last local day ``actor`` may book a space of ``kind`` on; None: no limit (managers)."""
    if actor.is_staff:
        return None
    return today + timedelta(days=policy.limits_for(kind).advance_days)


def _zone_name(zone: Zone) -> LazyString:
    """The zone's name in the language of whoever reads the message, as the message is."""
    return LazyString(lambda: zone.display_name(str(get_locale() or "zh_CN")))


def slot_shape_problem(start: datetime, end: datetime) -> tuple[str, Any] | None:
    """What makes [start, end) a slot no booking of any space can have (end not after start,
    off the 15-minute grid, too short), as (field, message), or None."""
    if end <= start:
        return "end", _l("The end must come after the start.")
    for field, moment in (("start", to_local(start)), ("end", to_local(end))):
        if moment.minute % 15 or moment.second or moment.microsecond:
            return field, _l("Times go in steps of 15 minutes (e.g. 09:00, 09:15).")
    if end - start < policy.MIN_DURATION:
        return "end", _l("A booking lasts at least 30 minutes.")
    return None


def check_times(
    space: Space, start: datetime, end: datetime, now: datetime, actor: User
) -> tuple[str, Any] | None:
    """The first rule of timing that [start, end) breaks, as (field, message), or None."""
    limits = policy.limits_for(space.kind)
    local_start = to_local(start)
    if (problem := slot_shape_problem(start, end)) is not None:
        return problem
    if end - start > timedelta(minutes=limits.max_minutes):
        return "end", _l(
            "%(space)s can be booked for at most %(hours)s hours.",
            space=space.code,
            hours=f"{limits.max_minutes / 60:g}",
        )
    if start < now:
        return "start", _l("The start is in the past.")
    last_day = last_bookable_day(actor, space.kind, to_local(now).date())
    if last_day is not None and local_start.date() > last_day:
        return "start", _l(
            "%(space)s can be booked at most %(days)d days ahead.",
            space=space.code,
            days=limits.advance_days,
        )
    hours = opening_interval(space.zone, local_start.date())
    if hours is None:
        return "start", _l(
            "%(zone)s is closed on %(day)s (not a working day).",
            zone=_zone_name(space.zone),
            day=local_start.date().isoformat(),
        )
    if start < hours[0] or end > hours[1]:
        return "start", _l(
            "%(zone)s is open from %(opens)s to %(closes)s.",
            zone=_zone_name(space.zone),
            opens=space.zone.opens_at.strftime("%H:%M"),
            closes=space.zone.closes_at.strftime("%H:%M"),
        )
    return None


def hold_interval(start: datetime, end: datetime, buffer_minutes: int) -> tuple[datetime, datetime]:
    buffer = timedelta(minutes=buffer_minutes)
    return start - buffer, end + buffer


def holds_overlapping(space: Space, start: datetime, end: datetime) -> sa.Select[Booking]:
    """The bookings of the active holds on any unit of ``space`` within [start, end), by the
    holds' start (a booking holding two units comes twice).

    Bounded on both sides by the (space_id, end_at) index: a hold starting before ``end`` ends
    before ``end + LONGEST_HOLD``, so the cost grows neither with the years of bookings behind
    nor with those ahead.
    """
    return (
        sa.select(Booking)
        .join(BookingHold, BookingHold.booking_id == Booking.id)
        .where(
            BookingHold.space_id.in_(unit_ids(space)),
            BookingHold.end_at > start,
            BookingHold.end_at < end + policy.LONGEST_HOLD,
            BookingHold.start_at < end,
            BookingHold.active.is_(True),
        )
        .order_by(BookingHold.start_at)
    )


def holding_conflicts(
    space: Space, start: datetime, end: datetime, now: datetime, viewer: User
) -> list[dict[str, Any]]:
    """Bookings holding any unit of ``space`` within [start, end), no-shows released."""
    rows = db.session.scalars(holds_overlapping(space, start, end)).all()
    released = {booking.id for booking in rows if is_released(booking, now)}
    if released:
        # The slot of a no-show is free again: let go of its holds so the database agrees.
        db.session.execute(
            sa.update(BookingHold)
            .where(BookingHold.booking_id.in_(released))
            .values(active=False)
            .execution_options(synchronize_session=False)
        )
    seen: dict[int, dict[str, Any]] = {}
    for booking in rows:
        if booking.id in released or booking.id in seen:
            continue
        entry: dict[str, Any] = {
            "start": iso(booking.start_at),
            "end": iso(booking.end_at),
            "kind": "booking",
            "status": booking.status.value,
        }
        if can_see(viewer, booking):
            entry["id"] = booking.id
        seen[booking.id] = entry
    return list(seen.values())


def closure_conflicts(space: Space, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Closures within [start, end), in the shape of the API's conflict list."""
    return [
        {
            "id": closure.id,
            "start": iso(closure.start_at),
            "end": iso(closure.end_at),
            "kind": "closure",
            "reason": closure.reason,
        }
        for closure in closures_overlapping(space, start, end)
    ]


def allowance_bookings(first: date, following: date) -> sa.Select:
    """(company_id, start_at, end_at) of holding allowance-counted bookings starting in
    the local days [first, following): what the free monthly hours are counted from."""
    return (
        sa.select(Booking.company_id, Booking.start_at, Booking.end_at)
        .join(Space, Space.id == Booking.space_id)
        .where(
            Booking.status.in_(HOLDING_STATUSES),
            Booking.start_at >= local_datetime(first, datetime.min.time()),
            Booking.start_at < local_datetime(following, datetime.min.time()),
            Space.kind.in_(policy.allowance_kinds()),
        )
    )


def allowance_used_minutes(company: Company, month: date, excluding: Collection[int] = ()) -> int:
    """Minutes of the company's holding allowance-counted bookings in a local calendar month,
    leaving out the bookings ``excluding`` (those being changed)."""
    query = allowance_bookings(*month_bounds(month)).where(Booking.company_id == company.id)
    if excluding:
        query = query.where(Booking.id.not_in(list(excluding)))
    rows = db.session.execute(query).all()
    return sum(minutes_between(start, end) for _company, start, end in rows)


@dataclass(frozen=True)
class AllowanceStatus:
    allowance_minutes: int
    used_minutes: int

    @property
    def left_minutes(self) -> int:
        return max(0, self.allowance_minutes - self.used_minutes)


def allowance_status(company: Company, month: date) -> AllowanceStatus:
    """The company's free meeting-room minutes for the local month of ``month`` and their use."""
    return AllowanceStatus(
        policy.monthly_allowance_minutes(company.stage), allowance_used_minutes(company, month)
    )


def initial_statuses(
    actor: User, request: BookingRequest, occurrences: list[tuple[datetime, datetime]]
) -> list[tuple[BookingStatus, str]]:
    """The status (and why it is pending) each occurrence of a new request gets."""
    slots = [(request.space, start, end) for start, end in occurrences]
    return slot_statuses(actor, request.company, slots)


def slot_statuses(
    actor: User,
    company: Company,
    slots: list[tuple[Space, datetime, datetime]],
    excluding: Collection[int] = (),
) -> list[tuple[BookingStatus, str]]:
    """The status each slot booked by ``actor`` for ``company`` gets: pending when its space
    needs approval or when it goes beyond the month's free hours (counted without the bookings
    ``excluding``, those being changed), else confirmed; managers' bookings are confirmed."""
    if actor.is_staff:
        return [(BookingStatus.CONFIRMED, "")] * len(slots)
    allowance = policy.monthly_allowance_minutes(company.stage)
    used: dict[date, int] = {}
    statuses = []
    for space, start, end in slots:
        if space.requires_approval:
            statuses.append((BookingStatus.PENDING, PENDING_APPROVAL))
            continue
        if not policy.limits_for(space.kind).counts_against_allowance:
            statuses.append((BookingStatus.CONFIRMED, ""))
            continue
        month = month_bounds(to_local(start).date())[0]
        if month not in used:
            used[month] = allowance_used_minutes(company, month, excluding)
        used[month] += minutes_between(start, end)
        over = used[month] > allowance
        statuses.append(
            (BookingStatus.PENDING, PENDING_OVER_ALLOWANCE)
            if over
            else (BookingStatus.CONFIRMED, "")
        )
    return statuses
