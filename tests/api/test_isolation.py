"""A tenant never reads or changes another company's bookings; managers see them all."""

import pytest

from tests.api.conftest import assert_error, booking_body, booking_day


@pytest.fixture
def bookings_of_b(world) -> dict[str, int]:
    """A confirmed booking and a pending request of company B."""
    day = booking_day()
    confirmed = world.tenant_b.post(
        "/api/v1/bookings", booking_body(world.room, day, title="乙公司董事会")
    )
    pending = world.tenant_b.post(
        "/api/v1/bookings", booking_body(world.approval_room, day, title="乙公司发布会")
    )
    assert confirmed.status_code == pending.status_code == 201
    return {"confirmed": confirmed.get_json()["id"], "pending": pending.get_json()["id"]}


@pytest.mark.parametrize("which", ["confirmed", "pending"])
@pytest.mark.parametrize(
    ("method", "action", "body"),
    [
        ("get", "", None),
        ("get", "/ics", None),
        ("post", "/cancel", None),
        ("post", "/cancel", {"scope": "series", "reason": "x"}),
        ("post", "/check-in", None),
        ("post", "/approve", None),
        ("post", "/reject", {"reason": "x"}),
    ],
)
def test_another_companys_booking_is_forbidden(world, bookings_of_b, which, method, action, body):
    booking_id = bookings_of_b[which]
    path = f"/api/v1/bookings/{booking_id}{action}"
    response = world.tenant_a.get(path) if method == "get" else world.tenant_a.post(path, body)
    assert_error(response, 403, "forbidden")
    assert "乙公司" not in response.text
    unchanged = world.tenant_b.get(f"/api/v1/bookings/{booking_id}").get_json()
    assert unchanged["status"] == which
    assert unchanged["checked_in_at"] is None


def test_the_list_shows_only_the_own_companys_bookings(world, bookings_of_b) -> None:
    own = world.tenant_a.post(
        "/api/v1/bookings", booking_body(world.room, booking_day(), "14:00", "15:00")
    ).get_json()
    for query in ({}, {"space_id": world.room}, {"status": "pending"}):
        listed = world.tenant_a.get("/api/v1/bookings", **query).get_json()
        assert all(item["company_id"] == world.company_a for item in listed["items"])
    assert [i["id"] for i in world.tenant_a.get("/api/v1/bookings").get_json()["items"]] == [
        own["id"]
    ]
    everything = world.manager.get("/api/v1/bookings").get_json()
    assert everything["total"] == 3


def test_availability_shows_their_busy_slot_without_title_or_id(world, bookings_of_b) -> None:
    day = booking_day()
    for space in (world.room, world.approval_room):
        response = world.tenant_a.get(f"/api/v1/spaces/{space}/availability", date=str(day))
        (busy,) = response.get_json()["busy"]
        assert set(busy) == {"start", "end", "status"}
        assert "乙公司" not in response.text
    seen_by_manager = world.manager.get(
        f"/api/v1/spaces/{world.room}/availability", date=str(day)
    ).get_json()
    assert seen_by_manager["busy"][0]["title"] == "乙公司董事会"


def test_a_colleague_sees_and_cancels_the_companys_booking(world) -> None:
    made = world.tenant_a.post("/api/v1/bookings", booking_body(world.room, booking_day()))
    booking_id = made.get_json()["id"]
    assert world.tenant_a2.get(f"/api/v1/bookings/{booking_id}").status_code == 200
    assert world.tenant_a2.post(f"/api/v1/bookings/{booking_id}/cancel").status_code == 200
