"""What POST /bookings refuses, and how: 400 for shapes, 409 for overlaps, 422 for rules."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Booking, Closure, Space
from tests.api.conftest import (
    assert_error,
    booking_body,
    booking_day,
    local,
    local_utc,
)


def stored() -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Booking))


def test_an_overlapping_request_is_409_and_names_what_is_in_the_way(world) -> None:
    day = booking_day()
    first = world.tenant_a.post("/api/v1/bookings", booking_body(world.room, day)).get_json()
    overlapping = booking_body(world.room, day, "10:30", "11:30")
    own = assert_error(world.tenant_a2.post("/api/v1/bookings", overlapping), 409, "conflict")
    assert own["conflicts"] == [
        {
            "id": first["id"],
            "start": f"{day}T10:00:00+08:00",
            "end": f"{day}T11:00:00+08:00",
            "kind": "booking",
            "status": "confirmed",
        }
    ]
    other = assert_error(world.tenant_b.post("/api/v1/bookings", overlapping), 409, "conflict")
    assert other["conflicts"] == [
        {
            "start": f"{day}T10:00:00+08:00",
            "end": f"{day}T11:00:00+08:00",
            "kind": "booking",
            "status": "confirmed",
        }
    ]
    assert stored() == 1


def test_a_pending_request_holds_its_slot_too(world) -> None:
    day = booking_day()
    world.tenant_a.post("/api/v1/bookings", booking_body(world.approval_room, day))
    again = world.tenant_b.post("/api/v1/bookings", booking_body(world.approval_room, day))
    details = assert_error(again, 409, "conflict")
    assert details["conflicts"][0]["status"] == "pending"


@pytest.mark.parametrize(("start", "end"), [("11:00", "12:00"), ("09:00", "10:00")])
def test_touching_bookings_do_not_overlap(world, start, end) -> None:
    day = booking_day()
    assert world.tenant_a.post("/api/v1/bookings", booking_body(world.room, day)).status_code == 201
    touching = world.tenant_b.post("/api/v1/bookings", booking_body(world.room, day, start, end))
    assert touching.status_code == 201, touching.text


def test_a_closure_is_409_of_kind_closure(world) -> None:
    day = booking_day()
    closure = Closure(
        space_id=world.room,
        start_at=local_utc(day, "09:00"),
        end_at=local_utc(day, "12:00"),
        reason="空调维修",
    )
    db.session.add(closure)
    db.session.commit()
    details = assert_error(
        world.tenant_a.post("/api/v1/bookings", booking_body(world.room, day)), 409, "conflict"
    )
    assert details["conflicts"] == [
        {
            "id": closure.id,
            "start": f"{day}T09:00:00+08:00",
            "end": f"{day}T12:00:00+08:00",
            "kind": "closure",
            "reason": "空调维修",
        }
    ]
    assert stored() == 0


RULES = [
    pytest.param({"start": "07:00", "end": "08:00"}, "start", id="before opening"),
    pytest.param({"start": "21:30", "end": "22:30"}, "start", id="after closing"),
    pytest.param({"start": "10:10", "end": "11:00"}, "start", id="off the grid"),
    pytest.param({"start": "10:00", "end": "10:50"}, "end", id="end off the grid"),
    pytest.param({"start": "10:00", "end": "10:15"}, "end", id="shorter than 30 minutes"),
    pytest.param({"start": "11:00", "end": "10:00"}, "end", id="end before start"),
    pytest.param({"start": "10:00", "end": "10:00"}, "end", id="end at start"),
    pytest.param({"start": "09:00", "end": "14:00"}, "end", id="longer than 4 hours"),
    pytest.param({"attendees": 9}, "attendees", id="more than the capacity"),
    pytest.param({"attendees": 0}, "attendees", id="nobody attends"),
    pytest.param({"title": "  "}, "title", id="empty title"),
    pytest.param({"title": "长" * 121}, "title", id="title too long"),
    pytest.param({"space_id": 424242}, "space_id", id="no such space"),
]


@pytest.mark.parametrize(("change", "field"), RULES)
def test_a_broken_rule_is_422_naming_the_field(world, change, field) -> None:
    day = booking_day()
    body = booking_body(world.room, day)
    for key in ("start", "end"):
        if key in change:
            body[key] = local(day, change.pop(key))
    response = world.tenant_a.post("/api/v1/bookings", body | change)
    details = assert_error(response, 422, "invalid")
    assert list(details["fields"]) == [field]
    assert stored() == 0


def test_the_past_is_422(world) -> None:
    day = booking_day() - timedelta(days=60)
    details = assert_error(
        world.tenant_a.post("/api/v1/bookings", booking_body(world.room, day)), 422, "invalid"
    )
    assert list(details["fields"]) == ["start"]


def test_too_far_ahead_is_422_for_a_tenant(world) -> None:
    day = booking_day(weeks_ahead=10)
    response = world.tenant_a.post("/api/v1/bookings", booking_body(world.room, day))
    assert list(assert_error(response, 422, "invalid")["fields"]) == ["start"]


def test_a_space_that_is_leased_not_booked_is_422(world) -> None:
    office_id = db.session.scalar(sa.select(Space.id).where(Space.code == "O-301"))
    response = world.tenant_a.post("/api/v1/bookings", booking_body(office_id, booking_day()))
    assert list(assert_error(response, 422, "invalid")["fields"]) == ["space_id"]


SHAPES = [
    pytest.param({"attendees": "x"}, "attendees", id="attendees text"),
    pytest.param({"attendees": 2.5}, "attendees", id="attendees float"),
    pytest.param({"attendees": True}, "attendees", id="attendees boolean"),
    pytest.param({"attendees": 2**40}, "attendees", id="attendees huge"),
    pytest.param({"space_id": "abc"}, "space_id", id="space_id text"),
    pytest.param({"space_id": None}, "space_id", id="space_id null"),
    pytest.param({"title": 5}, "title", id="title number"),
    pytest.param({"title": "a\x00b"}, "title", id="title with NUL"),
    pytest.param({"title": "\ud800"}, "title", id="title lone surrogate"),
    pytest.param({"start": "tomorrow at ten"}, "start", id="unparsable start"),
    pytest.param({"start": 1764554400}, "start", id="start as a number"),
    pytest.param({"end": "2026-12-01"}, "end", id="date without time"),
    pytest.param({"end": "9999-12-31T23:59:59+00:00"}, "end", id="far future"),
    pytest.param({"start": "0001-01-01T00:00"}, "start", id="year one"),
    pytest.param({"company_id": "mine"}, "company_id", id="company text"),
    pytest.param({"recurrence": "weekly"}, "recurrence", id="recurrence text"),
    pytest.param({"recurrence": {"count": 2}}, "recurrence.freq", id="recurrence no freq"),
    pytest.param({"recurrence": {"freq": "weekly", "count": "2"}}, "recurrence.count", id="count"),
    pytest.param(
        {"recurrence": {"freq": "daily", "until": "soon"}}, "recurrence.until", id="until"
    ),
    pytest.param(
        {"recurrence": {"freq": "weekly", "count": 2, "exclude": "2026-12-01"}},
        "recurrence.exclude",
        id="exclude not a list",
    ),
    pytest.param(
        {"recurrence": {"freq": "weekly", "count": 2, "weekdays": ["Mon"]}},
        "recurrence.weekdays[0]",
        id="weekday text",
    ),
]


@pytest.mark.parametrize(("change", "field"), SHAPES)
def test_a_wrong_type_or_unreadable_value_is_400_naming_the_field(world, change, field) -> None:
    body = booking_body(world.room, booking_day()) | change
    details = assert_error(world.tenant_a.post("/api/v1/bookings", body), 400, "bad_request")
    assert list(details["fields"]) == [field]
    assert stored() == 0


@pytest.mark.parametrize("missing", ["space_id", "start", "end", "title"])
def test_a_missing_member_is_400_naming_it(world, missing) -> None:
    body = booking_body(world.room, booking_day())
    del body[missing]
    details = assert_error(world.tenant_a.post("/api/v1/bookings", body), 400, "bad_request")
    assert list(details["fields"]) == [missing]


@pytest.mark.parametrize("raw", ["", "{", "[]", "null", '"text"', "[" * 100_000, "{" * 5000])
def test_a_body_that_is_not_a_json_object_is_400(world, raw) -> None:
    assert_error(world.tenant_a.post_data("/api/v1/bookings", raw), 400, "bad_request")


def test_a_huge_body_is_400(world) -> None:
    body = booking_body(world.room, booking_day(), title="x" * 100_000)
    assert_error(world.tenant_a.post("/api/v1/bookings", body), 400, "bad_request")
