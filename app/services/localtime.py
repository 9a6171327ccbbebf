"""Local time: the incubator's zone, local days and weeks, and minutes between two times."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app

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
