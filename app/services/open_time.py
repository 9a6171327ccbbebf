"""Open time: a zone's opening hours on the working calendar, minus the closures that cut a space.

The one place that says when a space can be used, read by booking rules, availability, the
timeline, reports, the heat map and the dashboard.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from app.models import Closure, Space, Zone
from app.services import reference
from app.services.localtime import Interval, local_datetime
from app.services.workdays import is_working_day


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


def subtract(interval: Interval, cuts: Iterable[Interval]) -> list[Interval]:
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


@dataclass(frozen=True)
class Closures:
    """The closures of a time window, read once, to cut the open time of many spaces."""

    items: list[Closure]

    def cutting(self, space: Space) -> list[Closure]:
        """Closures of the space (or its whole or parts), of its zone, or of the building."""
        related = related_space_ids(space)
        return [
            closure
            for closure in self.items
            if closure.space_id in related
            or closure.zone_id == space.zone_id
            or (closure.space_id is None and closure.zone_id is None)
        ]

    def open_time(self, space: Space, day: date) -> list[Interval]:
        """The space's open time on a local day: opening hours minus its closures."""
        hours = opening_interval(space.zone, day)
        if hours is None:
            return []
        return subtract(hours, ((c.start_at, c.end_at) for c in self.cutting(space)))


def closures_between(start: datetime, end: datetime) -> Closures:
    """Every closure overlapping [start, end), by start (from the reference data in memory)."""
    held = reference.current().closures
    return Closures(
        [closure for closure in held if closure.end_at > start and closure.start_at < end]
    )


def closures_overlapping(space: Space, start: datetime, end: datetime) -> list[Closure]:
    """Closures that cut the space within [start, end)."""
    return closures_between(start, end).cutting(space)


def open_intervals(space: Space, day: date) -> list[Interval]:
    """The space's open time on a local day."""
    hours = opening_interval(space.zone, day)
    if hours is None:
        return []
    return closures_between(*hours).open_time(space, day)
