"""Expanding a recurring request into its occurrences, keeping the local wall-clock time."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from dateutil import rrule

from app.services.localtime import local_zone

FREQUENCIES = {"daily": rrule.DAILY, "weekly": rrule.WEEKLY}


@dataclass(frozen=True)
class Recurrence:
    """Daily or weekly (every ``interval`` weeks, on ``weekdays`` 0=Monday), until or count."""

    freq: str
    interval: int = 1
    count: int | None = None
    until: date | None = None
    weekdays: tuple[int, ...] = ()
    exclude: frozenset[date] = field(default_factory=frozenset)


def expand(
    start: datetime, end: datetime, rule: Recurrence, limit: int
) -> list[tuple[datetime, datetime]]:
    """The occurrences of [start, end) under ``rule``, as UTC pairs, at most ``limit`` of them.

    Each occurrence keeps the first one's local wall-clock time; ``until`` is inclusive; dates in
    ``exclude`` are dropped after counting, so a count keeps meaning "this many from the start".
    """
    zone = local_zone()
    local_start = start.astimezone(zone).replace(tzinfo=None)
    wall_duration = end.astimezone(zone).replace(tzinfo=None) - local_start
    weekdays = rule.weekdays if rule.freq == "weekly" and rule.weekdays else None
    # dateutil refuses count and until together; apply the count here, whichever ends first.
    dates = rrule.rrule(
        FREQUENCIES[rule.freq],
        dtstart=local_start,
        interval=rule.interval,
        count=None if rule.until else rule.count,
        until=datetime.combine(rule.until, time.max) if rule.until else None,
        byweekday=weekdays,
    )
    occurrences: list[tuple[datetime, datetime]] = []
    for number, wall_clock in enumerate(dates):
        if len(occurrences) >= limit or (rule.count is not None and number >= rule.count):
            break
        if wall_clock.date() in rule.exclude:
            continue
        occurrences.append(
            (
                wall_clock.replace(tzinfo=zone).astimezone(UTC),
                (wall_clock + wall_duration).replace(tzinfo=zone).astimezone(UTC),
            )
        )
    return occurrences
