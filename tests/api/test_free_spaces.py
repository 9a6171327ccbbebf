"""GET /api/v1/spaces/free: spaces free for the whole slot, best fit first."""

from typing import Any

import pytest

from app.extensions import db
from app.models import SpaceKind
from tests.api.conftest import World, assert_error, booking_body, booking_day, local
from tests.fixtures.factories import make_space, make_zone

FREE = "/api/v1/spaces/free"


@pytest.fixture
def lounge(world: World) -> World:
    """The API world plus a lounge with a 4-seat table and a 6-seat table."""
    zone = make_zone(code="LNG", name="休闲洽谈区", name_en="Lounge", sort_order=9)
    for n, seats in ((1, 4), (3, 6)):
        make_space(
            kind=SpaceKind.TABLE,
            zone=zone,
            code=f"LNG-T{n}",
            name=f"洽谈桌 T{n}",
            name_en=f"Table T{n}",
            capacity=seats,
            equipment=["电源插座"],
        )
    db.session.commit()
    return world


def slot(start: str = "10:00", end: str = "11:00", **more: Any) -> dict[str, Any]:
    day = booking_day()
    return {"start": local(day, start), "end": local(day, end), **more}


def codes(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["code"] for item in response.get_json()["items"]]


def test_two_people_get_the_smallest_confirmed_space_first(lounge: World) -> None:
    response = lounge.tenant_a.get(FREE, slot(attendees=2))
    # M-101 has 8 seats, H-1 100 and needs approval
    assert codes(response) == ["LNG-T1", "LNG-T3", "M-101", "H-1"]
    body = response.get_json()
    assert body["total"] == 4 and body["page"] == 1
    first, last = body["items"][0], body["items"][-1]
    assert first["requires_approval"] is False and first["confirmed_at_once"] is True
    assert first["pending_reason"] is None
    assert first["equipment"] == ["电源插座"] and first["equipment_en"] == ["Power sockets"]
    assert last["requires_approval"] is True and last["confirmed_at_once"] is False
    assert last["pending_reason"] == "approval"


def test_a_space_booked_for_part_of_the_slot_is_left_out(lounge: World) -> None:
    day = booking_day()
    booked = lounge.tenant_b.post(
        "/api/v1/bookings", booking_body(lounge.room, day, "10:30", "11:30")
    )
    assert booked.status_code == 201
    assert "M-101" not in codes(lounge.tenant_a.get(FREE, slot(attendees=2)))
    assert "M-101" in codes(lounge.tenant_a.get(FREE, slot("11:30", "12:30", attendees=2)))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "table"}, ["LNG-T1", "LNG-T3"]),
        ({"kind": "meeting_room,hall"}, ["M-101", "H-1"]),
        ({"kind": ["hall", "meeting_room"]}, ["M-101", "H-1"]),
        ({"attendees": 7}, ["M-101", "H-1"]),
        ({"equipment": "电源插座"}, ["LNG-T1", "LNG-T3"]),
        ({"equipment": "Power sockets", "attendees": 5}, ["LNG-T3"]),
        ({"equipment": "投影仪"}, []),
    ],
)
def test_filters(lounge: World, query: dict[str, Any], expected: list[str]) -> None:
    assert codes(lounge.tenant_a.get(FREE, slot(**query))) == expected


def test_paging(lounge: World) -> None:
    response = lounge.tenant_a.get(FREE, slot(per_page=2, page=2))
    assert codes(response) == ["M-101", "H-1"] and response.get_json()["total"] == 4


def test_a_manager_books_at_once_so_the_hall_waits_for_nothing(lounge: World) -> None:
    items = lounge.manager.get(FREE, slot()).get_json()["items"]
    hall = next(item for item in items if item["code"] == "H-1")
    assert hall["requires_approval"] is True and hall["confirmed_at_once"] is True


@pytest.mark.parametrize(
    ("start", "end", "more", "field"),
    [
        ("11:00", "10:00", {}, "end"),
        ("10:00", "10:00", {}, "end"),
        ("10:05", "11:00", {}, "start"),
        ("10:00", "10:15", {}, "end"),
        ("10:00", "11:00", {"attendees": 0}, "attendees"),
        ("10:00", "11:00", {"equipment": "x" * 61}, "equipment"),
    ],
)
def test_a_slot_no_booking_could_have_is_422(lounge: World, start, end, more, field) -> None:
    details = assert_error(lounge.tenant_a.get(FREE, slot(start, end, **more)), 422, "invalid")
    assert field in details["fields"]


def test_a_start_that_has_passed_is_422(lounge: World) -> None:
    query = {"start": "2020-01-07T10:00", "end": "2020-01-07T11:00"}
    details = assert_error(lounge.tenant_a.get(FREE, query), 422, "invalid")
    assert set(details["fields"]) == {"start"}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "start"),
        ({"start": "2026-12-01T10:00"}, "end"),
        ({"start": "2026-12-01", "end": "2026-12-01T11:00"}, "start"),
        ({"start": "tomorrow", "end": "2026-12-01T11:00"}, "start"),
        ({"start": "2026-12-01T10:00", "end": "2026-12-01T11:00", "kind": "office"}, "kind"),
        ({"start": "2026-12-01T10:00", "end": "2026-12-01T11:00", "kind": "table,desk"}, "kind"),
        ({"start": "2026-12-01T10:00", "end": "2026-12-01T11:00", "attendees": "two"}, "attendees"),
        ({"start": "1999-12-01T10:00", "end": "2026-12-01T11:00"}, "start"),
    ],
)
def test_what_cannot_be_read_is_400(lounge: World, query, field) -> None:
    details = assert_error(lounge.tenant_a.get(FREE, query), 400, "bad_request")
    assert field in details["fields"]


def test_without_a_token_401(client, lounge: World) -> None:
    assert_error(client.get(FREE, query_string=slot()), 401, "unauthorized")


def test_the_space_list_carries_equipment_in_both_languages(lounge: World) -> None:
    items = lounge.tenant_a.get("/api/v1/spaces", {"zone": "LNG"}).get_json()["items"]
    assert [(i["equipment"], i["equipment_en"]) for i in items] == [
        (["电源插座"], ["Power sockets"]),
        (["电源插座"], ["Power sockets"]),
    ]
