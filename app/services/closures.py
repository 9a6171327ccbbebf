"""Closures managers add: a room, a zone or the building closed for maintenance or a holiday."""

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import HOLDING_STATUSES, Booking, Closure, Space, User, Zone
from app.services import audit
from app.services.errors import RuleViolation
from app.services.localtime import local_datetime, local_day_bounds
from app.services.open_time import related_space_ids
from app.services.workdays import days_between, is_working_day

AUDITED_FIELDS = ["space_id", "zone_id", "start_at", "end_at", "reason"]


def add_closure(
    actor: User | None,
    *,
    start: datetime,
    end: datetime,
    reason: str,
    space: Space | None = None,
    zone: Zone | None = None,
) -> Closure:
    """Close one space, one zone or (neither given) the whole building for [start, end)."""
    if end <= start:
        raise RuleViolation("end", _l("The end must come after the start."))
    if not reason.strip():
        raise RuleViolation("reason", _l("Say why, so tenants understand."))
    if space is not None and zone is not None:
        raise RuleViolation("zone_id", _l("Close either a space or a zone, not both."))
    closure = Closure(
        space=space,
        zone=zone,
        start_at=start,
        end_at=end,
        reason=reason.strip(),
        created_by_id=actor.id if actor else None,
    )
    db.session.add(closure)
    db.session.flush()
    audit.record(actor, "closure.created", closure, None, audit.snapshot(closure, AUDITED_FIELDS))
    return closure


def remove_closure(actor: User | None, closure: Closure) -> None:
    """Reopen what a closure closed."""
    audit.record(actor, "closure.removed", closure, audit.snapshot(closure, AUDITED_FIELDS), None)
    db.session.delete(closure)


def affected_bookings(closure: Closure) -> list[Booking]:
    """Bookings still holding their slot that fall into the closure: to cancel with a reason."""
    query = (
        sa.select(Booking)
        .join(Space, Space.id == Booking.space_id)
        .where(
            Booking.status.in_(HOLDING_STATUSES),
            Booking.end_at > closure.start_at,
            Booking.start_at < closure.end_at,
        )
        .order_by(Booking.start_at)
    )
    if closure.space is not None:
        query = query.where(Booking.space_id.in_(related_space_ids(closure.space)))
    elif closure.zone_id is not None:
        query = query.where(Space.zone_id == closure.zone_id)
    return list(db.session.scalars(query))


def day_off_bookings(day: date) -> list[Booking]:
    """Bookings still holding a slot on a day off in zones that open on working days only."""
    if is_working_day(day):
        return []
    start, end = local_day_bounds(day)
    return list(
        db.session.scalars(
            sa.select(Booking)
            .join(Space, Space.id == Booking.space_id)
            .join(Zone, Zone.id == Space.zone_id)
            .where(
                Zone.working_days_only.is_(True),
                Booking.status.in_(HOLDING_STATUSES),
                Booking.end_at > start,
                Booking.start_at < end,
            )
            .order_by(Booking.start_at)
        )
    )


def statutory_holidays(year: int) -> list[tuple[date, str]]:
    """The named days off of a year in the working calendar (provisional ones included)."""
    year_days = days_between(date(year, 1, 1), date(year, 12, 31))
    return [(day.day, day.holiday_name) for day in year_days if day.holiday_name]


def holiday_periods(year: int) -> list[tuple[date, date, str]]:
    """Consecutive days off of one holiday as (first day, last day, name).

    Days in lieu count with their holiday (春节 and 春节（补假）).
    """
    periods: list[tuple[date, date, str]] = []
    for day, full_name in statutory_holidays(year):
        name = full_name.split("（")[0]
        if periods and periods[-1][2] == name and periods[-1][1] + timedelta(days=1) == day:
            periods[-1] = (periods[-1][0], day, name)
        else:
            periods.append((day, day, name))
    return periods


def import_holidays(actor: User | None, year: int) -> list[Closure]:
    """Close the whole building for each statutory holiday of ``year`` not already closed."""
    added = []
    for first, last, name in holiday_periods(year):
        start = local_datetime(first, time(0))
        end = local_datetime(last + timedelta(days=1), time(0))
        exists = db.session.scalars(
            sa.select(Closure.id).where(
                Closure.space_id.is_(None),
                Closure.zone_id.is_(None),
                Closure.start_at <= start,
                Closure.end_at >= end,
            )
        ).first()
        if not exists:
            added.append(add_closure(actor, start=start, end=end, reason=name))
    return added
