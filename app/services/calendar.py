"""Local time, opening hours and closures: when a space is open on a day."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from app.models import Closure, Space, Zone
from app.services.workdays import is_working_day

Interval = tuple[datetime, datetime]


def local_zone() -> ZoneInfo:
    """The incubator's time zone (Asia/Shanghai unless configured otherwise)."""
    return ZoneInfo(current_app.config["TIMEZONE"])


def to_local(moment: datetime) -> datetime:
    return moment.astimezone(local_zone())


def local_datetime(day: date, clock: time) -> datetime:
    """A wall-clock time on a local day, as an aware UTC datetime."""
    return datetime.combine(day, clock, tzinfo=local_zone()).astimezone(UTC)


def local_day_bounds(day: date) -> Interval:
    """Midnight to midnight of a local day, in UTC."""
    return local_datetime(day, time(0)), local_datetime(day + timedelta(days=1), time(0))


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def month_bounds(day: date) -> tuple[date, date]:
    """The first day of ``day``'s month and of the next month."""
    first = day.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1)


def minutes_between(start: datetime, end: datetime) -> int:
    """Whole minutes from ``start`` to ``end``."""
    return int((end - start).total_seconds() // 60)


def opening_interval(zone: Zone, day: date) -> Interval | None:
    """When the zone's bookable spaces are open on a local day, or None when closed all day."""
    if zone.working_days_only and not is_working_day(day):
        return None
    return local_datetime(day, zone.opens_at), local_datetime(day, zone.closes_at)


def related_space_ids(space: Space) -> set[int]:
    """The space, the whole it is part of, and its parts: what a closure of any of them closes."""
    ids = {space.id} | {part.id for part in space.parts}
    if space.parent_id:
        ids.add(space.parent_id)
    return ids


def closures_overlapping(space: Space, start: datetime, end: datetime) -> list[Closure]:
    """Closures of the space (or its whole/parts), its zone or the building within [start, end)."""
    return list(
        db.session.scalars(
            sa.select(Closure)
            .where(
                Closure.end_at > start,
                Closure.start_at < end,
                sa.or_(
                    Closure.space_id.in_(related_space_ids(space)),
                    Closure.zone_id == space.zone_id,
                    sa.and_(Closure.space_id.is_(None), Closure.zone_id.is_(None)),
                ),
            )
            .order_by(Closure.start_at)
        )
    )


def subtract(interval: Interval, cuts: list[Interval]) -> list[Interval]:
    """What remains of ``interval`` after removing every cut (all half-open)."""
    pieces = [interval]
    for cut_start, cut_end in cuts:
        pieces = [
            piece
            for start, end in pieces
            for piece in ((start, min(end, cut_start)), (max(start, cut_end), end))
            if piece[0] < piece[1]
        ]
    return pieces


def open_intervals(space: Space, day: date) -> list[Interval]:
    """The space's open time on a local day: opening hours and working calendar minus closures."""
    hours = opening_interval(space.zone, day)
    if hours is None:
        return []
    cuts = [(c.start_at, c.end_at) for c in closures_overlapping(space, *hours)]
    return subtract(hours, cuts)
