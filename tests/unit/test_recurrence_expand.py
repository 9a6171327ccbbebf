"""``expand``: a recurring request's occurrences, checked against a day-by-day walk."""

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

import pytest
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st

from app.config import Config
from app.services.recurrence import Recurrence, expand
from tests.fixtures.bookings import SHANGHAI, local


@pytest.fixture(scope="module", autouse=True)
def incubator_time_zone() -> Iterator[None]:
    """``expand`` reads the incubator's time zone from the app config; no database needed."""
    app = Flask(__name__)
    app.config.from_object(Config)
    with app.app_context():
        yield


def oracle_days(first: date, rule: Recurrence, limit: int) -> list[date]:
    """Walk the calendar a day at a time from the first day and keep the days the rule names."""
    week_of_first = first - timedelta(days=first.weekday())  # weeks start on Monday
    days: list[date] = []
    day = first
    while (rule.until is None or day <= rule.until) and (
        rule.count is None or len(days) < rule.count
    ):
        offset = (day - first).days
        if rule.freq == "daily":
            wanted = offset % rule.interval == 0
        elif rule.weekdays:
            week = (day - week_of_first).days // 7
            wanted = day.weekday() in rule.weekdays and week % rule.interval == 0
        else:
            wanted = offset % (7 * rule.interval) == 0
        if wanted:
            days.append(day)
        day += timedelta(days=1)
    return [day for day in days if day not in rule.exclude][:limit]


@st.composite
def requests(draw):
    first = draw(st.dates(date(2025, 12, 1), date(2027, 3, 1)))
    clock = draw(st.integers(0, 95)) * 15
    minutes = draw(st.integers(1, 95)) * 15  # under 24 hours, may cross midnight
    start = local(first, f"{clock // 60:02d}:{clock % 60:02d}")
    freq = draw(st.sampled_from(["daily", "weekly"]))
    # Either a count or a last day, as the booking form asks (both together: see below).
    count = draw(st.none() | st.integers(1, 30))
    until = None
    if count is None:
        until = draw(st.integers(0, 120).map(lambda n: first + timedelta(days=n)))
    weekdays = tuple(sorted(draw(st.sets(st.integers(0, 6), max_size=7))))
    exclude = frozenset(
        draw(st.sets(st.integers(0, 120).map(lambda n: first + timedelta(days=n)), max_size=6))
    )
    rule = Recurrence(
        freq=freq,
        interval=draw(st.integers(1, 4)),
        count=count,
        until=until,
        weekdays=weekdays,
        exclude=exclude,
    )
    return start, start + timedelta(minutes=minutes), rule


@given(request=requests(), limit=st.integers(1, 150))
def test_expand_gives_the_days_a_day_by_day_walk_gives(request, limit) -> None:
    start, end, rule = request
    found = expand(start, end, rule, limit)
    first = start.astimezone(SHANGHAI).date()
    assert [s.astimezone(SHANGHAI).date() for s, _ in found] == oracle_days(first, rule, limit)


@given(request=requests())
def test_every_occurrence_keeps_the_wall_clock_and_none_overlaps(request) -> None:
    start, end, rule = request
    found = expand(start, end, rule, 1000)
    wall_start = start.astimezone(SHANGHAI).time()
    for occurrence_start, occurrence_end in found:
        assert occurrence_start.tzinfo is not None and occurrence_start.utcoffset() == timedelta(0)
        assert occurrence_start.astimezone(SHANGHAI).time() == wall_start
        assert occurrence_end - occurrence_start == end - start
    for (_, previous_end), (next_start, _) in zip(found, found[1:], strict=False):
        assert previous_end <= next_start


@given(request=requests())
def test_a_count_gives_exactly_that_many_when_nothing_is_excluded(request) -> None:
    start, end, rule = request
    rule = Recurrence(rule.freq, rule.interval, rule.count or 7, None, rule.weekdays)
    assert len(expand(start, end, rule, 1000)) == rule.count


def days_of(found: list[tuple[datetime, datetime]]) -> list[str]:
    return [s.astimezone(SHANGHAI).date().isoformat() for s, _ in found]


START = local("2026-09-09", "14:00")  # a Wednesday
END = local("2026-09-09", "15:30")


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (
            Recurrence("daily", until=date(2026, 9, 12)),
            ["2026-09-09", "2026-09-10", "2026-09-11", "2026-09-12"],
        ),
        (Recurrence("daily", interval=2, count=3), ["2026-09-09", "2026-09-11", "2026-09-13"]),
        (
            Recurrence("weekly", until=date(2026, 9, 30)),
            ["2026-09-09", "2026-09-16", "2026-09-23", "2026-09-30"],
        ),
        (
            Recurrence("weekly", interval=2, weekdays=(0, 2, 4), count=5),
            ["2026-09-09", "2026-09-11", "2026-09-21", "2026-09-23", "2026-09-25"],
        ),
        (
            Recurrence("weekly", weekdays=(0,), count=2),  # the first Monday after the start
            ["2026-09-14", "2026-09-21"],
        ),
        (
            Recurrence("daily", count=5, exclude=frozenset({date(2026, 9, 10)})),
            ["2026-09-09", "2026-09-11", "2026-09-12", "2026-09-13"],
        ),
        (Recurrence("weekly", until=date(2026, 9, 15)), ["2026-09-09"]),
    ],
    ids=[
        "until is inclusive",
        "every other day",
        "weekly until the last day",
        "every 2 weeks Mon Wed Fri",
        "weekdays not including the first day",
        "excluded day dropped after counting",
        "until before the second week",
    ],
)
def test_expand_table(rule, expected) -> None:
    found = expand(START, END, rule, 100)
    assert days_of(found) == expected
    assert all(s.astimezone(SHANGHAI).time() == time(14, 0) for s, _ in found)
    assert all(e - s == timedelta(minutes=90) for s, e in found)


def test_a_limit_stops_expansion() -> None:
    assert len(expand(START, END, Recurrence("daily", count=500), 101)) == 101


@pytest.mark.parametrize(
    ("count", "until", "expected"),
    [
        (3, date(2026, 9, 30), ["2026-09-09", "2026-09-10", "2026-09-11"]),
        (10, date(2026, 9, 10), ["2026-09-09", "2026-09-10"]),
    ],
    ids=["count comes first", "until comes first"],
)
def test_count_and_until_together_stop_at_whichever_comes_first(count, until, expected) -> None:
    # Recurrence and BookingSeries both carry a count and an until, and create_bookings accepts
    # a request with both. dateutil deprecates passing both to rrule (a DeprecationWarning now,
    # "future versions will raise an error"), so expand must apply one of them itself.
    rule = Recurrence("daily", count=count, until=until)
    assert days_of(expand(START, END, rule, 100)) == expected
