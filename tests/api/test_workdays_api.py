"""The working calendar through the API: every day's kind, and managers' declarations."""

from datetime import time

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEntry, SpaceKind
from tests.api.conftest import assert_error
from tests.fixtures.factories import make_space, make_zone


@pytest.fixture
def roadshow_hall(world) -> int:
    """The roadshow hall: open 08:30–21:00 on working days only."""
    zone = make_zone(code="RSH", working_days_only=True, opens_at=time(8, 30), closes_at=time(21))
    hall = make_space(kind=SpaceKind.HALL, zone=zone, code="RSH-A", requires_approval=True)
    db.session.commit()
    return hall.id


def open_times(world, space_id: int, day: str) -> list[dict[str, str]]:
    response = world.tenant_a.get(f"/api/v1/spaces/{space_id}/availability", date=day)
    assert response.status_code == 200, response.text
    return response.get_json()["open"]


def test_every_day_of_a_range_with_its_kind_and_source(world) -> None:
    response = world.tenant_a.get("/api/v1/calendar", {"from": "2026-09-30", "to": "2026-10-11"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 12
    days = {item["date"]: item for item in body["items"]}
    assert list(days) == sorted(days)
    assert days["2026-09-30"] == {
        "date": "2026-09-30",
        "working": True,
        "kind": "workday",
        "name": "",
        "source": "official",
        "provisional": False,
    }
    assert days["2026-10-01"]["kind"] == "holiday" and days["2026-10-01"]["name"] == "国庆节"
    assert days["2026-10-10"]["kind"] == "makeup" and days["2026-10-10"]["working"] is True
    assert days["2026-10-11"]["kind"] == "weekend"


def test_a_year_not_published_yet_follows_the_law_provisionally(world) -> None:
    response = world.tenant_a.get("/api/v1/calendar", {"from": "2027-01-01", "to": "2027-02-10"})
    days = {item["date"]: item for item in response.get_json()["items"]}
    assert days["2027-01-01"]["kind"] == "holiday" and days["2027-01-01"]["name"] == "元旦"
    assert days["2027-02-08"]["kind"] == "holiday" and "春节" in days["2027-02-08"]["name"]
    assert days["2027-01-04"]["kind"] == "workday"
    assert {day["source"] for day in days.values()} == {"law"}
    assert all(day["provisional"] for day in days.values())


def test_the_calendar_is_paged(world) -> None:
    query = {"from": "2027-01-01", "to": "2027-12-31", "per_page": 200, "page": 2}
    body = world.tenant_a.get("/api/v1/calendar", query).get_json()
    assert body["total"] == 365
    assert len(body["items"]) == 165
    assert body["items"][0]["date"] == "2027-07-20"


def test_roadshow_hall_is_closed_on_statutory_days_of_a_year_not_yet_published(
    world, roadshow_hall
) -> None:
    assert open_times(world, roadshow_hall, "2027-01-01") == []
    assert open_times(world, roadshow_hall, "2027-02-08") == []
    assert open_times(world, roadshow_hall, "2027-02-20") == []  # a Saturday
    assert open_times(world, roadshow_hall, "2027-02-22") != []  # an ordinary Monday


def test_a_declared_make_up_saturday_opens_the_hall_until_withdrawn(world, roadshow_hall) -> None:
    response = world.manager.put(
        "/api/v1/calendar/2027-02-20", {"working": True, "name": "春节调休上班"}
    )
    assert response.status_code == 200, response.text
    assert response.get_json() == {
        "date": "2027-02-20",
        "working": True,
        "kind": "makeup",
        "name": "春节调休上班",
        "source": "manager",
        "provisional": False,
    }
    assert open_times(world, roadshow_hall, "2027-02-20") == [
        {"start": "2027-02-20T08:30:00+08:00", "end": "2027-02-20T21:00:00+08:00"}
    ]

    response = world.manager.delete("/api/v1/calendar/2027-02-20")
    assert response.status_code == 200
    assert response.get_json()["source"] == "law"
    assert response.get_json()["kind"] == "weekend"
    assert open_times(world, roadshow_hall, "2027-02-20") == []

    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.object_type == "calendarday")
    ).all()
    assert actions == ["calendar.set", "calendar.cleared"]


def test_a_declared_day_off_refuses_bookings_of_the_hall(world, roadshow_hall) -> None:
    world.manager.put("/api/v1/calendar/2027-03-02", {"working": False, "name": "设备检修"})
    assert open_times(world, roadshow_hall, "2027-03-02") == []
    day = world.tenant_a.get("/api/v1/calendar", {"from": "2027-03-02", "to": "2027-03-02"})
    assert day.get_json()["items"][0]["kind"] == "holiday"


def test_a_day_off_needs_a_name(world) -> None:
    response = world.manager.put("/api/v1/calendar/2027-03-02", {"working": False})
    details = assert_error(response, 422, "invalid")
    assert "name" in details["fields"]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/calendar/2027-02-30", {"working": True}, "date"),
        ("/api/v1/calendar/1999-01-01", {"working": True}, "date"),
        ("/api/v1/calendar/2027-02-20", {"working": "yes"}, "working"),
        ("/api/v1/calendar/2027-02-20", {}, "working"),
    ],
)
def test_bad_input_is_a_400(world, path, body, field) -> None:
    details = assert_error(world.manager.put(path, body), 400, "bad_request")
    assert field in details["fields"]


def test_only_managers_change_the_calendar(world) -> None:
    response = world.tenant_a.put("/api/v1/calendar/2027-02-20", {"working": True, "name": "x"})
    assert_error(response, 403, "forbidden")
    assert_error(world.tenant_a.delete("/api/v1/calendar/2027-02-20"), 403, "forbidden")
    anonymous = world.tenant_a.client.get("/api/v1/calendar")
    assert anonymous.status_code == 401
