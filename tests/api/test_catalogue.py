"""Reading the building: zones, spaces, a space's day; the list envelope and its paging."""

import pytest

from app.extensions import db
from app.models import SpaceKind
from tests.api.conftest import assert_error, booking_body, booking_day
from tests.fixtures.factories import make_space, make_zone


def test_zones_in_the_list_envelope(world) -> None:
    response = world.tenant_a.get("/api/v1/zones")
    assert response.status_code == 200
    assert response.get_json() == {
        "items": [
            {
                "id": world.space(world.room).zone_id,
                "code": "MTG",
                "name": "会议区",
                "name_en": "Meeting rooms",
                "area_m2": 0.0,
            }
        ],
        "page": 1,
        "per_page": 50,
        "total": 1,
    }


def test_spaces_of_a_zone_and_only_the_bookable_ones(world) -> None:
    make_space(kind=SpaceKind.MEETING_ROOM, code="X-1", zone=make_zone(code="OTHER"))
    make_space(kind=SpaceKind.MEETING_ROOM, code="M-OLD", active=False)
    db.session.commit()
    everything = world.tenant_a.get("/api/v1/spaces").get_json()
    assert [s["code"] for s in everything["items"]] == ["H-1", "M-101", "O-301", "X-1"]
    bookable = world.tenant_a.get("/api/v1/spaces", zone="MTG", bookable="true").get_json()
    assert [s["code"] for s in bookable["items"]] == ["H-1", "M-101"]
    room = bookable["items"][1]
    assert room == {
        "id": world.room,
        "code": "M-101",
        "name": room["name"],
        "name_en": room["name_en"],
        "zone": {"id": world.space(world.room).zone_id, "code": "MTG"},
        "kind": "meeting_room",
        "area_m2": 50.0,
        "capacity": 8,
        "equipment": [],
        "equipment_en": [],
        "bookable": True,
        "requires_approval": False,
    }
    leased = world.tenant_a.get("/api/v1/spaces", bookable="false").get_json()
    assert [s["code"] for s in leased["items"]] == ["O-301"]
    assert world.tenant_a.get("/api/v1/spaces", zone="NOPE").get_json()["total"] == 0


def test_paging_walks_the_list_and_caps_per_page(world) -> None:
    for n in range(5):
        make_space(kind=SpaceKind.TABLE, code=f"T-{n}", zone=world.space(world.room).zone)
    db.session.commit()
    first = world.tenant_a.get("/api/v1/spaces", per_page=3).get_json()
    third = world.tenant_a.get("/api/v1/spaces", per_page=3, page=3).get_json()
    assert (first["total"], first["page"], first["per_page"]) == (8, 1, 3)
    assert [s["code"] for s in first["items"]] == ["H-1", "M-101", "O-301"]
    assert [s["code"] for s in third["items"]] == ["T-3", "T-4"]
    beyond = world.tenant_a.get("/api/v1/spaces", per_page=3, page=9).get_json()
    assert beyond["items"] == [] and beyond["total"] == 8
    assert world.tenant_a.get("/api/v1/spaces", per_page=1000).get_json()["per_page"] == 200


@pytest.mark.parametrize(
    "query",
    [{"page": "0"}, {"page": "x"}, {"per_page": "0"}, {"per_page": "-5"}, {"bookable": "maybe"}],
)
def test_bad_paging_or_filters_are_400(world, query) -> None:
    details = assert_error(world.tenant_a.get("/api/v1/spaces", **query), 400, "bad_request")
    assert set(details["fields"]) == set(query)


def test_availability_shows_another_companys_booking_without_its_title(world) -> None:
    day = booking_day()
    made = world.tenant_b.post("/api/v1/bookings", booking_body(world.room, day, title="融资谈判"))
    assert made.status_code == 201
    response = world.tenant_a.get(f"/api/v1/spaces/{world.room}/availability", date=str(day))
    assert response.status_code == 200
    body = response.get_json()
    assert body["space_id"] == world.room and body["date"] == day.isoformat()
    assert body["open"] == [{"start": f"{day}T08:00:00+08:00", "end": f"{day}T22:00:00+08:00"}]
    assert body["busy"] == [
        {"start": f"{day}T10:00:00+08:00", "end": f"{day}T11:00:00+08:00", "status": "confirmed"}
    ]
    assert "融资谈判" not in response.text
    own = world.tenant_b.get(f"/api/v1/spaces/{world.room}/availability", date=str(day))
    assert own.get_json()["busy"][0]["title"] == "融资谈判"


def test_availability_errors(world) -> None:
    path = f"/api/v1/spaces/{world.room}/availability"
    assert "date" in assert_error(world.tenant_a.get(path), 400, "bad_request")["fields"]
    assert_error(world.tenant_a.get(path, date="2026-13-01"), 400, "bad_request")
    assert_error(world.tenant_a.get(path, date="0001-01-01"), 400, "bad_request")
    assert_error(
        world.tenant_a.get("/api/v1/spaces/999999/availability", date="2026-12-01"),
        404,
        "not_found",
    )
    assert_error(world.tenant_a.get("/api/v1/spaces/99999999999999/availability"), 404, "not_found")
