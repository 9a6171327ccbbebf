"""Recurring requests: all occurrences or none, conflicts listed per occurrence, exclusions."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Booking, BookingSeries
from tests.api.conftest import assert_error, booking_body, booking_day


def weekly(space_id: int, day: date, **rule) -> dict:
    return booking_body(space_id, day, recurrence={"freq": "weekly", "count": 4, **rule})


def counts() -> tuple[int, int]:
    db.session.rollback()
    bookings = db.session.scalar(sa.select(sa.func.count()).select_from(Booking))
    series = db.session.scalar(sa.select(sa.func.count()).select_from(BookingSeries))
    return bookings, series


def test_weekly_four_times_books_four_tuesdays_at_the_same_local_time(world) -> None:
    day = booking_day()
    response = world.tenant_a.post("/api/v1/bookings", weekly(world.room, day))
    assert response.status_code == 201, response.text
    body = response.get_json()
    assert set(body) == {"series_id", "bookings"}
    assert [b["start"] for b in body["bookings"]] == [
        f"{day + timedelta(weeks=n)}T10:00:00+08:00" for n in range(4)
    ]
    assert [b["end"] for b in body["bookings"]] == [
        f"{day + timedelta(weeks=n)}T11:00:00+08:00" for n in range(4)
    ]
    assert {b["series_id"] for b in body["bookings"]} == {body["series_id"]}
    assert {b["status"] for b in body["bookings"]} == {"confirmed"}
    listed = world.tenant_a.get("/api/v1/bookings").get_json()
    assert listed["total"] == 4


def test_one_conflicting_occurrence_refuses_the_whole_series(world) -> None:
    day = booking_day()
    second = day + timedelta(weeks=1)
    taken = world.tenant_b.post(
        "/api/v1/bookings", booking_body(world.room, second, "10:30", "11:30")
    )
    assert taken.status_code == 201
    response = world.tenant_a.post("/api/v1/bookings", weekly(world.room, day))
    details = assert_error(response, 409, "conflict")
    (failure,) = details["occurrences"]
    assert failure["start"] == f"{second}T10:00:00+08:00"
    assert failure["end"] == f"{second}T11:00:00+08:00"
    assert failure["code"] == "conflict"
    assert [c["kind"] for c in failure["conflicts"]] == ["booking"]
    assert "id" not in failure["conflicts"][0]  # another company's booking
    assert counts() == (1, 0)

    excluded = world.tenant_a.post(
        "/api/v1/bookings", weekly(world.room, day, exclude=[second.isoformat()])
    )
    assert excluded.status_code == 201, excluded.text
    starts = [b["start"][:10] for b in excluded.get_json()["bookings"]]
    assert starts == [str(day), str(day + timedelta(weeks=2)), str(day + timedelta(weeks=3))]
    assert counts() == (4, 1)


def test_occurrences_beyond_the_advance_window_are_422(world) -> None:
    response = world.tenant_a.post("/api/v1/bookings", weekly(world.room, booking_day(), count=12))
    details = assert_error(response, 422, "invalid")
    assert details["occurrences"]
    assert all(
        o["code"] == "invalid" and list(o["fields"]) == ["start"] for o in details["occurrences"]
    )
    assert counts() == (0, 0)


def test_daily_until_a_date_includes_that_date(world) -> None:
    day = booking_day()
    until = day + timedelta(days=2)
    body = booking_body(world.room, day, recurrence={"freq": "daily", "until": str(until)})
    response = world.tenant_a.post("/api/v1/bookings", body)
    assert response.status_code == 201, response.text
    assert [b["start"][:10] for b in response.get_json()["bookings"]] == [
        str(day + timedelta(days=n)) for n in range(3)
    ]


def test_weekly_on_chosen_weekdays(world) -> None:
    day = booking_day()  # a Tuesday
    body = weekly(world.room, day, count=4, weekdays=[1, 3])
    response = world.tenant_a.post("/api/v1/bookings", body)
    assert response.status_code == 201, response.text
    assert [b["start"][:10] for b in response.get_json()["bookings"]] == [
        str(day + timedelta(days=n)) for n in (0, 2, 7, 9)
    ]


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        ({"freq": "monthly", "count": 2}, "recurrence.freq"),
        ({"freq": "weekly", "count": 0}, "recurrence.count"),
        ({"freq": "weekly", "count": 2, "until": "2099-01-01"}, "recurrence.count"),
        ({"freq": "weekly", "count": 2, "interval": 0}, "recurrence.interval"),
        ({"freq": "daily", "count": 2, "interval": 10_000}, "recurrence.interval"),
        ({"freq": "weekly", "count": 2, "weekdays": [7]}, "recurrence.weekdays[0]"),
        ({"freq": "weekly"}, "recurrence"),
        ({"freq": "daily", "count": 1000}, "recurrence"),
        ({"freq": "daily", "until": "2001-01-01"}, "recurrence"),
    ],
)
def test_a_rule_that_cannot_be_followed_is_422(world, rule, field) -> None:
    body = booking_body(world.room, booking_day(), recurrence=rule)
    details = assert_error(world.tenant_a.post("/api/v1/bookings", body), 422, "invalid")
    assert list(details["fields"]) == [field]
    assert counts() == (0, 0)


def test_cancelling_the_following_occurrences_or_the_whole_series(world) -> None:
    made = world.tenant_a.post("/api/v1/bookings", weekly(world.room, booking_day())).get_json()
    ids = [b["id"] for b in made["bookings"]]
    following = world.tenant_a.post(f"/api/v1/bookings/{ids[2]}/cancel", {"scope": "following"})
    assert following.status_code == 200
    assert following.get_json()["id"] == ids[2]
    statuses = [world.tenant_a.get(f"/api/v1/bookings/{i}").get_json()["status"] for i in ids]
    assert statuses == ["confirmed", "confirmed", "cancelled", "cancelled"]

    series = world.tenant_a.post(f"/api/v1/bookings/{ids[1]}/cancel", {"scope": "series"})
    assert series.status_code == 200 and series.get_json()["status"] == "cancelled"
    statuses = [world.tenant_a.get(f"/api/v1/bookings/{i}").get_json()["status"] for i in ids]
    assert statuses == ["cancelled"] * 4
