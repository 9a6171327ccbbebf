"""Recurring bookings: all or nothing, and cancelling this, the following or the whole series."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Booking, BookingSeries, BookingStatus
from app.services.booking_rules import iso
from app.services.bookings import SeriesRejected, cancel
from app.services.recurrence import Recurrence
from tests.fixtures.bookings import DAY, NOW, book, local, make_world

WEEKLY_5 = Recurrence("weekly", count=5)
DAYS = [DAY + timedelta(weeks=n) for n in range(5)]  # Tuesdays 8 Sep – 6 Oct 2026


@pytest.fixture
def world(app):
    return make_world()


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def weekly(world, recurrence=WEEKLY_5, **kwargs):
    return book(
        world.tenant,
        world.room,
        local(DAY, "10:00"),
        local(DAY, "11:00"),
        **kwargs,
        recurrence=recurrence,
    )


def test_one_conflicting_occurrence_rejects_the_series_and_names_it(world) -> None:
    third = DAYS[2]
    book(world.other, world.room, local(third, "10:30"), local(third, "11:30"))
    with pytest.raises(SeriesRejected) as caught:
        weekly(world)
    assert caught.value.code == "conflict"
    (failure,) = caught.value.failures
    assert (failure["start"], failure["end"]) == (
        iso(local(third, "10:00")),
        iso(local(third, "11:00")),
    )
    assert failure["code"] == "conflict"
    assert [c["kind"] for c in failure["conflicts"]] == ["booking"]
    assert caught.value.details == {"occurrences": caught.value.failures}
    assert count(Booking) == 1 and count(BookingSeries) == 0


def test_excluding_the_conflicting_day_books_the_rest(world) -> None:
    book(world.other, world.room, local(DAYS[2], "10:30"), local(DAYS[2], "11:30"))
    rule = Recurrence("weekly", count=5, exclude=frozenset({DAYS[2]}))
    bookings = weekly(world, rule)
    assert [b.start_at for b in bookings] == [local(d, "10:00") for d in DAYS if d != DAYS[2]]
    assert {b.series_id for b in bookings} == {bookings[0].series_id} != {None}
    series = db.session.get(BookingSeries, bookings[0].series_id)
    assert (series.freq, series.count, series.company_id) == ("weekly", 5, world.company.id)
    assert all(b.status == BookingStatus.CONFIRMED for b in bookings)


def test_an_occurrence_breaking_a_rule_rejects_the_series_as_invalid(world) -> None:
    # Thursdays in the hall: 17 Sep, 24 Sep, 1 Oct (National Day: closed), 8 Oct.
    first = date(2026, 9, 17)
    with pytest.raises(SeriesRejected) as caught:
        book(
            world.tenant,
            world.hall,
            local(first, "14:00"),
            local(first, "16:00"),
            recurrence=Recurrence("weekly", count=4),
        )
    assert caught.value.code == "invalid"
    assert [f["start"] for f in caught.value.failures] == [iso(local("2026-10-01", "14:00"))]
    assert list(caught.value.failures[0]["fields"]) == ["start"]
    assert count(Booking) == 0 and count(BookingSeries) == 0


def test_every_failing_occurrence_is_listed(world) -> None:
    for day in (DAYS[1], DAYS[4]):
        book(world.other, world.room, local(day, "10:00"), local(day, "11:00"))
    with pytest.raises(SeriesRejected) as caught:
        weekly(world)
    assert [f["start"] for f in caught.value.failures] == [
        iso(local(DAYS[1], "10:00")),
        iso(local(DAYS[4], "10:00")),
    ]


@pytest.mark.parametrize(
    ("scope", "left"),
    [("this", [0, 1, 3, 4]), ("following", [0, 1]), ("series", [])],
    ids=["this", "following", "series"],
)
def test_cancelling_from_the_third_occurrence(world, scope, left) -> None:
    bookings = weekly(world)
    done = cancel(world.tenant, bookings[2], scope=scope, now=NOW)
    assert sorted(b.id for b in done) == sorted(
        b.id for n, b in enumerate(bookings) if n not in left
    )
    still = db.session.scalars(
        sa.select(Booking.start_at)
        .where(Booking.status == BookingStatus.CONFIRMED)
        .order_by(Booking.start_at)
    ).all()
    assert still == [local(DAYS[n], "10:00") for n in left]


def test_a_tenant_cancelling_a_running_series_keeps_what_is_past(world) -> None:
    bookings = weekly(world)
    later = local(DAYS[2], "10:30")  # during the third occurrence
    done = cancel(world.tenant, bookings[0], scope="series", now=later)
    assert [b.start_at for b in done] == [local(DAYS[3], "10:00"), local(DAYS[4], "10:00")]
    assert [b.status for b in bookings[:3]] == [BookingStatus.CONFIRMED] * 3


def test_a_manager_cancels_a_whole_series_with_one_reason(world) -> None:
    bookings = weekly(world)
    done = cancel(world.manager, bookings[3], "会议室改造", scope="series", now=NOW)
    assert len(done) == 5
    assert {(b.status, b.reason) for b in bookings} == {(BookingStatus.CANCELLED, "会议室改造")}


def test_cancelled_occurrences_are_not_cancelled_again(world) -> None:
    bookings = weekly(world)
    cancel(world.tenant, bookings[1], now=NOW)
    done = cancel(world.tenant, bookings[0], scope="series", now=NOW)
    assert sorted(b.id for b in done) == sorted(b.id for n, b in enumerate(bookings) if n != 1)
