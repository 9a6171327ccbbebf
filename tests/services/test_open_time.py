"""The working calendar: 调休, opening hours, closures and what a day looks like."""

from datetime import date, timedelta

import pytest

from app.extensions import db
from app.models import Closure
from app.services.availability import day_availability
from app.services.open_time import closures_overlapping, open_intervals, opening_interval
from app.services.workdays import holiday_name, is_working_day
from tests.fixtures.bookings import DAY, book, local, make_world, next_working_day

WORKING_DAYS = {
    "ordinary Tuesday": (date(2026, 9, 8), True),
    "ordinary Saturday": (date(2026, 9, 12), False),
    "make-up Sunday before National Day": (date(2026, 9, 20), True),
    "Mid-autumn Festival Friday": (date(2026, 9, 25), False),
    "National Day Thursday": (date(2026, 10, 1), False),
    "National Day Monday": (date(2026, 10, 5), False),
    "make-up Saturday after National Day": (date(2026, 10, 10), True),
    "Sunday after it": (date(2026, 10, 11), False),
    "a year not published yet: Friday": (date(2027, 3, 5), True),
    "a year not published yet: Saturday": (date(2027, 3, 6), False),
    "a year not published yet: New Year's Day by law": (date(2027, 1, 1), False),
    "a year not published yet: Spring Festival by law": (date(2027, 2, 8), False),
}


@pytest.mark.parametrize(("day", "working"), WORKING_DAYS.values(), ids=WORKING_DAYS.keys())
def test_is_working_day(app, day, working) -> None:
    assert is_working_day(day) is working


def test_holiday_names(app) -> None:
    assert holiday_name(date(2026, 10, 1)) == "国庆节"
    assert holiday_name(date(2026, 10, 10)) is None  # a make-up working day
    assert holiday_name(date(2027, 10, 1)) == "国庆节"  # by law, before the arrangement
    assert holiday_name(date(2027, 10, 6)) is None


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (date(2026, 9, 30), date(2026, 10, 8)),
        (date(2026, 10, 8), date(2026, 10, 9)),
        (date(2026, 10, 9), date(2026, 10, 10)),
        (date(2026, 9, 18), date(2026, 9, 20)),
    ],
    ids=["over National Day", "next day", "onto the make-up Saturday", "onto the make-up Sunday"],
)
def test_next_working_day_helper(app, after, expected) -> None:
    assert next_working_day(after) == expected


@pytest.fixture
def world(app):
    return make_world()


def test_opening_interval_is_local_time(world) -> None:
    assert opening_interval(world.hall.zone, DAY) == (local(DAY, "08:30"), local(DAY, "21:00"))
    assert opening_interval(world.room.zone, date(2026, 10, 1)) == (
        local("2026-10-01", "08:00"),
        local("2026-10-01", "22:00"),
    )
    assert opening_interval(world.hall.zone, date(2026, 10, 1)) is None
    assert opening_interval(world.hall.zone, date(2026, 10, 10)) is not None


def close(start, end, **scope) -> Closure:
    closure = Closure(start_at=start, end_at=end, reason="维护", **scope)
    db.session.add(closure)
    db.session.flush()
    return closure


def test_open_intervals_cut_out_closures_of_every_scope(world) -> None:
    close(local(DAY, "09:00"), local(DAY, "10:00"), space=world.whole)
    close(local(DAY, "12:00"), local(DAY, "13:00"), zone=world.east.zone)
    close(local(DAY, "18:00"), local(DAY, "19:00"))  # the whole building
    close(local(DAY, "15:00"), local(DAY, "16:00"), space=world.west)  # the other half
    close(local(DAY, "07:00"), local(DAY, "23:00"), zone=world.room.zone)  # another zone
    assert open_intervals(world.east, DAY) == [
        (local(DAY, "08:30"), local(DAY, "09:00")),
        (local(DAY, "10:00"), local(DAY, "12:00")),
        (local(DAY, "13:00"), local(DAY, "18:00")),
        (local(DAY, "19:00"), local(DAY, "21:00")),
    ]
    assert open_intervals(world.room, DAY) == []
    assert open_intervals(world.east, date(2026, 10, 1)) == []


def test_a_closure_over_several_days_closes_each_of_them(world) -> None:
    spring = close(local("2026-09-12", "00:00"), local("2026-09-15", "00:00"), space=world.room)
    for offset in range(3):
        day = date(2026, 9, 12) + timedelta(days=offset)
        assert open_intervals(world.room, day) == []
        closing = closures_overlapping(world.room, *opening_interval(world.room.zone, day))
        assert [closure.id for closure in closing] == [spring.id]
    assert open_intervals(world.room, date(2026, 9, 15)) == [
        (local("2026-09-15", "08:00"), local("2026-09-15", "22:00"))
    ]


def test_day_availability_hides_other_companies_titles_and_no_shows(world) -> None:
    (mine,) = book(
        world.tenant, world.room, local(DAY, "10:00"), local(DAY, "11:00"), title="融资洽谈"
    )
    book(world.other, world.room, local(DAY, "14:00"), local(DAY, "15:00"), title="保密")
    seen = day_availability(world.room, DAY, world.tenant, now=local(DAY, "09:00"))
    assert seen["open"] == [
        {"start": "2026-09-08T08:00:00+08:00", "end": "2026-09-08T22:00:00+08:00"}
    ]
    assert seen["busy"] == [
        {
            "start": "2026-09-08T10:00:00+08:00",
            "end": "2026-09-08T11:00:00+08:00",
            "status": "confirmed",
            "booking_id": mine.id,
            "title": "融资洽谈",
        },
        {
            "start": "2026-09-08T14:00:00+08:00",
            "end": "2026-09-08T15:00:00+08:00",
            "status": "confirmed",
        },
    ]
    later = day_availability(world.room, DAY, world.manager, now=local(DAY, "10:16"))
    assert [b["title"] for b in later["busy"]] == ["保密"]  # the unchecked 10:00 is a no-show
