"""Booking through the API: book, read, list, calendar file, cancel, check in, approve, reject."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from app.extensions import db
from app.models import Booking, BookingStatus, User
from app.sqltypes import utcnow
from tests.api.conftest import assert_error, bearer, booking_body, booking_day, insert_booking

BOOKING_KEYS = {
    "id",
    "space_id",
    "space_code",
    "company_id",
    "user_id",
    "title",
    "attendees",
    "start",
    "end",
    "status",
    "series_id",
    "checked_in_at",
    "created_at",
    "decided_at",
    "decided_by",
    "reason",
    "no_show",
}


def test_booking_a_free_room_confirms_it(world) -> None:
    day = booking_day()
    response = world.tenant_a.post(
        "/api/v1/bookings", booking_body(world.room, day, attendees=6, title="产品评审")
    )
    assert response.status_code == 201, response.text
    body = response.get_json()
    assert set(body) == BOOKING_KEYS
    assert body | {"id": 0, "created_at": ""} == {
        "id": 0,
        "space_id": world.room,
        "space_code": "M-101",
        "company_id": world.company_a,
        "user_id": world.ids["tenant_a"],
        "title": "产品评审",
        "attendees": 6,
        "start": f"{day}T10:00:00+08:00",
        "end": f"{day}T11:00:00+08:00",
        "status": "confirmed",
        "series_id": None,
        "checked_in_at": None,
        "created_at": "",
        "decided_at": None,
        "decided_by": None,
        "reason": None,
        "no_show": False,
    }
    assert body["created_at"].endswith("+08:00")
    assert response.headers["Location"] == f"/api/v1/bookings/{body['id']}"
    assert world.tenant_a.get(response.headers["Location"]).get_json() == body


def test_a_space_that_needs_approval_gives_a_pending_request(world) -> None:
    response = world.tenant_a.post(
        "/api/v1/bookings", booking_body(world.approval_room, booking_day())
    )
    assert response.status_code == 201
    assert response.get_json()["status"] == "pending"
    assert response.get_json()["reason"] == "approval"


def test_a_time_without_offset_is_shanghai_time(world) -> None:
    day = booking_day()
    body = booking_body(world.room, day) | {"start": f"{day}T14:00", "end": f"{day}T15:30:00"}
    response = world.tenant_a.post("/api/v1/bookings", body)
    assert response.status_code == 201, response.text
    assert response.get_json()["start"] == f"{day}T14:00:00+08:00"
    assert response.get_json()["end"] == f"{day}T15:30:00+08:00"


def test_a_time_with_another_offset_is_converted(world) -> None:
    day = booking_day()
    body = booking_body(world.room, day) | {"start": f"{day}T02:00:00Z", "end": f"{day}T03:00Z"}
    response = world.tenant_a.post("/api/v1/bookings", body)
    assert response.status_code == 201, response.text
    assert response.get_json()["start"] == f"{day}T10:00:00+08:00"


def test_a_manager_books_for_a_company_they_name(world) -> None:
    body = booking_body(world.room, booking_day())
    details = assert_error(world.manager.post("/api/v1/bookings", body), 400, "bad_request")
    assert "company_id" in details["fields"]
    details = assert_error(
        world.manager.post("/api/v1/bookings", body | {"company_id": 987654}), 422, "invalid"
    )
    assert "company_id" in details["fields"]
    response = world.manager.post("/api/v1/bookings", body | {"company_id": world.company_b})
    assert response.status_code == 201
    assert response.get_json()["company_id"] == world.company_b
    assert response.get_json()["user_id"] == world.ids["manager"]


def test_a_tenant_cannot_book_for_another_company(world) -> None:
    body = booking_body(world.room, booking_day(), company_id=world.company_b)
    assert_error(world.tenant_a.post("/api/v1/bookings", body), 403, "forbidden")
    own = booking_body(world.room, booking_day(), company_id=world.company_a)
    assert world.tenant_a.post("/api/v1/bookings", own).status_code == 201


def test_listing_filters_by_time_space_and_status(world) -> None:
    day, later = booking_day(), booking_day(weeks_ahead=1)
    first = world.tenant_a.post("/api/v1/bookings", booking_body(world.room, day)).get_json()
    second = world.tenant_a.post("/api/v1/bookings", booking_body(world.room, later)).get_json()
    pending = world.tenant_a.post(
        "/api/v1/bookings", booking_body(world.approval_room, day)
    ).get_json()

    def ids(**query) -> list[int]:
        response = world.tenant_a.get("/api/v1/bookings", **query)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.get_json()["items"]]

    assert ids() == [first["id"], pending["id"], second["id"]]
    assert ids(space_id=world.room) == [first["id"], second["id"]]
    assert ids(status="pending") == [pending["id"]]
    assert ids(**{"from": str(later)}) == [second["id"]]
    assert ids(to=str(day)) == [first["id"], pending["id"]]
    assert ids(**{"from": f"{day}T10:30", "to": f"{day}T10:45:00+08:00"}) == [
        first["id"],
        pending["id"],
    ]
    assert ids(**{"from": f"{day}T11:00:00+08:00", "to": str(day)}) == []
    page = world.tenant_a.get("/api/v1/bookings", per_page=2).get_json()
    assert (page["total"], page["per_page"], len(page["items"])) == (3, 2, 2)


@pytest.mark.parametrize(
    "query",
    [{"status": "done"}, {"from": "yesterday"}, {"to": "2026-02-30"}, {"space_id": "M-101"}],
)
def test_bad_list_filters_are_400(world, query) -> None:
    details = assert_error(world.tenant_a.get("/api/v1/bookings", **query), 400, "bad_request")
    assert set(details["fields"]) == set(query)


def test_unknown_booking_is_404(world) -> None:
    for path in ("/api/v1/bookings/424242", "/api/v1/bookings/424242/ics"):
        assert_error(world.tenant_a.get(path), 404, "not_found")
    for action in ("cancel", "check-in", "approve", "reject"):
        response = world.manager.post(f"/api/v1/bookings/424242/{action}", {"reason": "x"})
        assert_error(response, 404, "not_found")
    assert_error(world.tenant_a.get("/api/v1/bookings/9999999999999"), 404, "not_found")


def test_the_calendar_file_has_one_event_in_shanghai_time(world) -> None:
    day = booking_day()
    made = world.tenant_a.post(
        "/api/v1/bookings", booking_body(world.room, day, title="路演, 彩排; 第1轮")
    ).get_json()
    response = world.tenant_a.get(f"/api/v1/bookings/{made['id']}/ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"booking-{made['id']}@chuangzhigu"
    assert str(event["SUMMARY"]) == "路演, 彩排; 第1轮"
    assert str(event["LOCATION"]) == world.space(world.room).name
    assert str(event["STATUS"]) == "CONFIRMED"
    assert int(event["SEQUENCE"]) == 0
    start = event.decoded("DTSTART")
    assert start.isoformat() == f"{day}T10:00:00+08:00"
    assert str(start.tzinfo) == "Asia/Shanghai"
    assert event.decoded("DTEND").isoformat() == f"{day}T11:00:00+08:00"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]

    world.tenant_a.post(f"/api/v1/bookings/{made['id']}/cancel")
    cancelled = Calendar.from_ical(world.tenant_a.get(f"/api/v1/bookings/{made['id']}/ics").data)
    (event,) = cancelled.walk("VEVENT")
    assert (str(event["STATUS"]), int(event["SEQUENCE"])) == ("CANCELLED", 1)


def test_a_pending_request_is_tentative_in_the_calendar(world) -> None:
    made = world.tenant_a.post(
        "/api/v1/bookings", booking_body(world.approval_room, booking_day())
    ).get_json()
    calendar = Calendar.from_ical(world.tenant_a.get(f"/api/v1/bookings/{made['id']}/ics").data)
    assert str(calendar.walk("VEVENT")[0]["STATUS"]) == "TENTATIVE"


def test_cancelling_frees_the_slot_and_cannot_be_done_twice(world) -> None:
    body = booking_body(world.room, booking_day())
    made = world.tenant_a.post("/api/v1/bookings", body).get_json()
    response = world.tenant_a2.post(f"/api/v1/bookings/{made['id']}/cancel", {"reason": "改期"})
    assert response.status_code == 200
    cancelled = response.get_json()
    assert cancelled["status"] == "cancelled" and cancelled["reason"] == "改期"
    assert cancelled["decided_by"] == world.ids["tenant_a2"]
    assert cancelled["decided_at"].endswith("+08:00")
    again = world.tenant_a.post(f"/api/v1/bookings/{made['id']}/cancel")
    assert_error(again, 409, "conflict")
    assert world.tenant_b.post("/api/v1/bookings", body).status_code == 201


def test_a_manager_cancels_only_with_a_reason(world) -> None:
    made = world.tenant_a.post("/api/v1/bookings", booking_body(world.room, booking_day()))
    path = f"/api/v1/bookings/{made.get_json()['id']}/cancel"
    details = assert_error(world.manager.post(path), 422, "invalid")
    assert "reason" in details["fields"]
    assert world.manager.post(path, {"reason": "设备检修"}).get_json()["status"] == "cancelled"


@pytest.mark.parametrize(
    "body", [{"scope": "everything"}, {"reason": 5}, {"scope": ["this"]}, [1, 2]]
)
def test_bad_cancel_bodies_are_refused(world, body) -> None:
    made = world.tenant_a.post("/api/v1/bookings", booking_body(world.room, booking_day()))
    response = world.tenant_a.post(f"/api/v1/bookings/{made.get_json()['id']}/cancel", body)
    status, code = (422, "invalid") if body == {"scope": "everything"} else (400, "bad_request")
    assert_error(response, status, code)
    assert db.session.get(Booking, made.get_json()["id"]).status == BookingStatus.CONFIRMED


def test_check_in_opens_ten_minutes_before_the_start(world) -> None:
    now = utcnow().replace(second=0, microsecond=0)
    soon = insert_booking(
        world.room,
        world.company_a,
        world.ids["tenant_a"],
        now + timedelta(minutes=5),
        now + timedelta(minutes=35),
        requires_check_in=True,
    )
    later = insert_booking(
        world.room,
        world.company_a,
        world.ids["tenant_a"],
        now + timedelta(hours=2),
        now + timedelta(hours=3),
        requires_check_in=True,
    )
    response = world.tenant_a.post(f"/api/v1/bookings/{soon.id}/check-in")
    assert response.status_code == 200, response.text
    assert response.get_json()["checked_in_at"].endswith("+08:00")
    details = assert_error(
        world.tenant_a.post(f"/api/v1/bookings/{later.id}/check-in"), 422, "invalid"
    )
    assert details["fields"]


def test_check_in_closes_fifteen_minutes_after_the_start_and_then_it_is_a_no_show(world) -> None:
    now = utcnow().replace(second=0, microsecond=0)
    missed = insert_booking(
        world.room,
        world.company_a,
        world.ids["tenant_a"],
        now - timedelta(minutes=20),
        now + timedelta(minutes=40),
        requires_check_in=True,
    )
    assert_error(world.tenant_a.post(f"/api/v1/bookings/{missed.id}/check-in"), 422, "invalid")
    assert world.tenant_a.get(f"/api/v1/bookings/{missed.id}").get_json()["no_show"] is True


def test_only_a_confirmed_booking_can_be_checked_in(world) -> None:
    now = utcnow().replace(second=0, microsecond=0)
    pending = insert_booking(
        world.approval_room,
        world.company_a,
        world.ids["tenant_a"],
        now + timedelta(minutes=5),
        now + timedelta(hours=1),
        status=BookingStatus.PENDING,
    )
    assert_error(world.tenant_a.post(f"/api/v1/bookings/{pending.id}/check-in"), 422, "invalid")


def test_a_manager_approves_a_pending_request_once(world) -> None:
    made = world.tenant_a.post("/api/v1/bookings", booking_body(world.approval_room, booking_day()))
    path = f"/api/v1/bookings/{made.get_json()['id']}/approve"
    assert_error(world.tenant_a.post(path), 403, "forbidden")
    response = world.manager.post(path)
    assert response.status_code == 200
    approved = response.get_json()
    assert approved["status"] == "confirmed"
    assert approved["decided_by"] == world.ids["manager"]
    assert approved["reason"] is None
    assert_error(world.manager2.post(path), 409, "conflict")
    assert world.tenant_a.get(f"/api/v1/bookings/{approved['id']}").get_json() == approved


def test_approving_a_confirmed_booking_is_409(world) -> None:
    made = world.tenant_a.post("/api/v1/bookings", booking_body(world.room, booking_day()))
    assert_error(
        world.manager.post(f"/api/v1/bookings/{made.get_json()['id']}/approve"), 409, "conflict"
    )


def test_a_manager_rejects_with_a_reason(world) -> None:
    made = world.tenant_a.post("/api/v1/bookings", booking_body(world.approval_room, booking_day()))
    path = f"/api/v1/bookings/{made.get_json()['id']}/reject"
    assert "reason" in assert_error(world.manager.post(path, {}), 400, "bad_request")["fields"]
    assert (
        "reason"
        in assert_error(world.manager.post(path, {"reason": "  "}), 422, "invalid")["fields"]
    )
    assert_error(world.tenant_a.post(path, {"reason": "不要了"}), 403, "forbidden")
    assert_error(world.tenant_a.post(path, {}), 403, "forbidden")  # not "give a reason"
    response = world.manager.post(path, {"reason": "当天有活动"})
    assert response.status_code == 200
    assert response.get_json()["status"] == "rejected"
    assert response.get_json()["reason"] == "当天有活动"
    assert_error(world.manager.post(path, {"reason": "again"}), 409, "conflict")
    # A rejected request no longer holds the slot.
    again = world.tenant_b.post(
        "/api/v1/bookings", booking_body(world.approval_room, booking_day())
    )
    assert again.status_code == 201


def test_api_messages_follow_the_token_users_language(world) -> None:
    db.session.get(User, world.ids["tenant_b"]).locale = "en"
    db.session.commit()
    chinese = world.tenant_a.post_data("/api/v1/bookings", "{")
    english = world.tenant_b.post_data("/api/v1/bookings", "{")
    assert_error(chinese, 400, "bad_request")
    assert_error(english, 400, "bad_request")
    assert english.get_json()["error"]["message"] == "The request could not be understood."
    assert chinese.get_json()["error"]["message"] == "无法处理该请求。"


def test_a_request_repeated_with_its_idempotency_key_books_once(world) -> None:
    body = booking_body(world.room, booking_day())
    headers = bearer(world.tenant_a.token) | {"Idempotency-Key": "mini-program-7f3a"}
    first = world.tenant_a.client.post("/api/v1/bookings", json=body, headers=headers)
    again = world.tenant_a.client.post("/api/v1/bookings", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Booking)) == 1
    other_key = headers | {"Idempotency-Key": "another"}
    assert_error(
        world.tenant_a.client.post("/api/v1/bookings", json=body, headers=other_key),
        409,
        "conflict",
    )
    too_long = headers | {"Idempotency-Key": "k" * 65}
    response = world.tenant_a.client.post("/api/v1/bookings", json=body, headers=too_long)
    assert list(assert_error(response, 400, "bad_request")["fields"]) == ["Idempotency-Key"]
