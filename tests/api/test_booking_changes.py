"""PATCH /api/v1/bookings/{id}: change a booking, all or nothing, as the owner or a manager."""

from typing import Any

import pytest

from tests.api.conftest import World, assert_error, booking_body, booking_day, local


def book(api, space_id: int, start: str = "10:00", end: str = "11:00", **extra: Any) -> dict:
    response = api.post(
        "/api/v1/bookings", booking_body(space_id, booking_day(), start, end, **extra)
    )
    assert response.status_code == 201, response.text
    body: dict = response.get_json()
    return body


def fetch(world: World, booking_id: int) -> dict:
    body: dict = world.manager.get(f"/api/v1/bookings/{booking_id}").get_json()
    return body


def test_the_owner_moves_a_booking_and_gets_it_back(world: World) -> None:
    booking = book(world.tenant_a, world.room)
    day = booking_day()
    response = world.tenant_a.patch(
        f"/api/v1/bookings/{booking['id']}",
        {
            "start": local(day, "14:00"),
            "end": local(day, "15:30"),
            "title": "改到下午",
            "attendees": 5,
        },
    )
    assert response.status_code == 200, response.text
    changed = response.get_json()
    assert (changed["start"], changed["end"]) == (local(day, "14:00"), local(day, "15:30"))
    assert (changed["title"], changed["attendees"], changed["status"]) == (
        "改到下午",
        5,
        "confirmed",
    )
    assert fetch(world, booking["id"]) == changed
    # The old slot is free again, the new one is taken.
    assert book(world.tenant_b, world.room)["status"] == "confirmed"
    taken = world.tenant_b.post("/api/v1/bookings", booking_body(world.room, day, "15:00", "16:00"))
    assert_error(taken, 409, "conflict")


def test_a_colleague_and_a_manager_may_change_it(world: World) -> None:
    booking = book(world.tenant_a, world.room)
    path = f"/api/v1/bookings/{booking['id']}"
    assert world.tenant_a2.patch(path, {"title": "同事改的"}).get_json()["title"] == "同事改的"
    assert world.manager.patch(path, {"attendees": 8}).get_json()["attendees"] == 8


def test_a_hall_moved_by_the_tenant_is_pending_again(world: World) -> None:
    booking = book(world.tenant_a, world.approval_room, "14:00", "16:00")
    path = f"/api/v1/bookings/{booking['id']}"
    assert world.manager.post(f"{path}/approve").get_json()["status"] == "confirmed"
    moved = world.tenant_a.patch(path, {"start": local(booking_day(), "15:00")}).get_json()
    assert (moved["status"], moved["reason"]) == ("pending", "approval")
    assert moved["end"] == local(booking_day(), "17:00")


def test_a_move_into_another_booking_is_409_and_changes_nothing(world: World) -> None:
    mine = book(world.tenant_a, world.room)
    theirs = book(world.tenant_b, world.room, "14:00", "15:00")
    response = world.tenant_a.patch(
        f"/api/v1/bookings/{mine['id']}",
        {"start": local(booking_day(), "14:30"), "title": "不该保存"},
    )
    details = assert_error(response, 409, "conflict")
    (conflict,) = details["conflicts"]
    assert (conflict["start"], conflict["kind"]) == (theirs["start"], "booking")
    assert "id" not in conflict  # another company's booking
    assert fetch(world, mine["id"]) == mine


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"start": "T21:30"}, "start"),  # after closing time
        ({"end": "T10:15"}, "end"),  # shorter than 30 minutes
        ({"start": "T10:05"}, "start"),  # off the 15-minute grid
        ({"attendees": 9}, "attendees"),  # the room holds 8
        ({"title": "  "}, "title"),
        ({"space_id": 999999}, "space_id"),
        ({"scope": "series"}, "scope"),
    ],
)
def test_a_broken_rule_is_422_and_changes_nothing(world: World, body: dict, field: str) -> None:
    mine = book(world.tenant_a, world.room)
    day = booking_day().isoformat()
    body = {
        name: f"{day}{value}" if isinstance(value, str) and value.startswith("T") else value
        for name, value in body.items()
    }
    response = world.tenant_a.patch(f"/api/v1/bookings/{mine['id']}", body)
    details = assert_error(response, 422, "invalid")
    assert field in details["fields"]
    assert fetch(world, mine["id"]) == mine


def test_an_office_cannot_be_booked_by_moving_there(world: World) -> None:
    mine = book(world.tenant_a, world.room)
    office = world.manager.get("/api/v1/spaces", zone="MTG", bookable="false").get_json()
    (office_id,) = [s["id"] for s in office["items"] if s["code"] == "O-301"]
    response = world.tenant_a.patch(f"/api/v1/bookings/{mine['id']}", {"space_id": office_id})
    assert "space_id" in assert_error(response, 422, "invalid")["fields"]
    assert fetch(world, mine["id"]) == mine


@pytest.mark.parametrize(
    "body", [{"start": "tomorrow"}, {"attendees": "5"}, {"title": 3}, {"space_id": True}]
)
def test_a_malformed_change_is_400(world: World, body: dict) -> None:
    mine = book(world.tenant_a, world.room)
    response = world.tenant_a.patch(f"/api/v1/bookings/{mine['id']}", body)
    assert_error(response, 400, "bad_request")
    assert fetch(world, mine["id"]) == mine


def test_another_companys_booking_is_403_and_unchanged(world: World) -> None:
    theirs = book(world.tenant_b, world.room, title="乙公司董事会")
    response = world.tenant_a.patch(
        f"/api/v1/bookings/{theirs['id']}",
        {"title": "甲公司占用", "start": local(booking_day(), "15:00")},
    )
    assert_error(response, 403, "forbidden")
    assert "乙公司" not in response.text
    assert fetch(world, theirs["id"]) == theirs


def test_an_unknown_booking_is_404(world: World) -> None:
    assert_error(world.tenant_a.patch("/api/v1/bookings/987654", {"title": "x"}), 404, "not_found")


def test_a_cancelled_booking_cannot_be_changed(world: World) -> None:
    mine = book(world.tenant_a, world.room)
    path = f"/api/v1/bookings/{mine['id']}"
    cancelled = world.tenant_a.post(f"{path}/cancel").get_json()
    assert_error(world.tenant_a.patch(path, {"title": "复活"}), 409, "conflict")
    assert fetch(world, mine["id"]) == cancelled


def test_this_and_the_following_occurrences_of_a_series(world: World) -> None:
    day = booking_day()
    made = world.tenant_a.post(
        "/api/v1/bookings",
        booking_body(world.room, day, recurrence={"freq": "weekly", "count": 4}),
    ).get_json()
    ids = [b["id"] for b in made["bookings"]]
    third = fetch(world, ids[2])
    new_start = third["start"].replace("T10:00", "T16:00")
    response = world.tenant_a.patch(
        f"/api/v1/bookings/{ids[1]}",
        {"start": made["bookings"][1]["start"].replace("T10:00", "T16:00"), "scope": "following"},
    )
    assert response.status_code == 200, response.text
    starts = [fetch(world, booking_id)["start"][11:16] for booking_id in ids]
    assert starts == ["10:00", "16:00", "16:00", "16:00"]
    assert fetch(world, ids[2])["start"] == new_start
    assert {fetch(world, booking_id)["series_id"] for booking_id in ids} == {made["series_id"]}


def test_the_change_is_in_the_audit_log(world: World) -> None:
    mine = book(world.tenant_a, world.room)
    world.tenant_a.patch(f"/api/v1/bookings/{mine['id']}", {"title": "新主题"})
    entries = world.manager.get(
        "/api/v1/audit", object_type="booking", object_id=mine["id"]
    ).get_json()["items"]
    newest = entries[0]
    assert newest["action"] == "booking.updated"
    assert newest["actor"]["id"] == world.ids["tenant_a"]
    assert (newest["before"], newest["after"]) == ({"title": "周会"}, {"title": "新主题"})
