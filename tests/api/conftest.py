"""A small incubator for API tests: a meeting room, two companies, their tenants, managers."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient

from app.extensions import db
from app.models import (
    Booking,
    BookingStatus,
    Company,
    Role,
    Space,
    SpaceKind,
    User,
)
from app.services import tokens
from app.services.workdays import is_working_day
from app.sqltypes import utcnow
from tests.fixtures.bookings import insert_booking as write_booking
from tests.fixtures.factories import make_company, make_space, make_user, make_zone

SHANGHAI = ZoneInfo("Asia/Shanghai")


def booking_day(weeks_ahead: int = 0) -> date:
    """A Tuesday at least two days from today that is a working day in China, plus some weeks."""
    day = datetime.now(SHANGHAI).date() + timedelta(days=2)
    while day.weekday() != 1 or not is_working_day(day):
        day += timedelta(days=1)
    return day + timedelta(weeks=weeks_ahead)


def local(day: date, clock: str) -> str:
    """A local wall-clock time as ISO 8601 with the +08:00 offset."""
    return datetime.combine(day, time.fromisoformat(clock), tzinfo=SHANGHAI).isoformat()


def local_utc(day: date, clock: str) -> datetime:
    """A local wall-clock time as an aware UTC datetime."""
    return datetime.combine(day, time.fromisoformat(clock), tzinfo=SHANGHAI).astimezone(UTC)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The response is an API error of this status and code; its details are returned."""
    assert response.status_code == status, response.text
    body = response.get_json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    assert body["error"]["code"] == code, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["details"], dict)
    details: dict[str, Any] = body["error"]["details"]
    return details


class Api:
    """A test client that speaks JSON with a bearer token.

    After each request the test's own session is rolled back, so that what the test reads next
    is what the request committed (not the test's older snapshot).
    """

    def __init__(self, client: FlaskClient, token: str) -> None:
        self.client = client
        self.token = token

    def get(self, path: str, query: dict[str, Any] | None = None, /, **more: Any) -> Any:
        """GET with a query string given as a mapping or as keywords."""
        query_string = {**(query or {}), **more}
        response = self.client.get(path, query_string=query_string, headers=bearer(self.token))
        db.session.rollback()
        return response

    def post_data(self, path: str, data: str | bytes) -> Any:
        """POST a raw body (e.g. malformed JSON)."""
        headers = bearer(self.token) | {"Content-Type": "application/json"}
        response = self.client.post(path, data=data, headers=headers)
        db.session.rollback()
        return response

    def put(self, path: str, body: Any) -> Any:
        response = self.client.put(path, json=body, headers=bearer(self.token))
        db.session.rollback()
        return response

    def patch(self, path: str, body: Any) -> Any:
        response = self.client.patch(path, json=body, headers=bearer(self.token))
        db.session.rollback()
        return response

    def delete(self, path: str) -> Any:
        response = self.client.delete(path, headers=bearer(self.token))
        db.session.rollback()
        return response

    def post(self, path: str, body: Any = None) -> Any:
        if body is None:
            response = self.client.post(path, headers=bearer(self.token))
        else:
            response = self.client.post(path, json=body, headers=bearer(self.token))
        db.session.rollback()
        return response


@dataclass
class World:
    """Ids of the test incubator's objects and an API client for each person."""

    room: int
    approval_room: int
    company_a: int
    company_b: int
    tenant_a: Api
    tenant_a2: Api
    tenant_b: Api
    manager: Api
    manager2: Api
    ids: dict[str, int]

    def space(self, space_id: int) -> Space:
        space = db.session.get(Space, space_id)
        assert space is not None
        return space


def issue(user: User) -> str:
    """A token for ``user``, committed."""
    secret, _token = tokens.issue_token(user, "test")
    db.session.commit()
    return secret


def build_world(client: FlaskClient) -> World:
    zone = make_zone(code="MTG", name="会议区", name_en="Meeting rooms")
    room = make_space(kind=SpaceKind.MEETING_ROOM, zone=zone, code="M-101", capacity=8)
    approval_room = make_space(
        kind=SpaceKind.HALL, zone=zone, code="H-1", capacity=100, requires_approval=True
    )
    make_space(kind=SpaceKind.OFFICE, zone=zone, code="O-301")
    company_a: Company = make_company(name="甲科技有限公司")
    company_b: Company = make_company(name="乙科技有限公司")
    people = {
        "tenant_a": make_user(company=company_a),
        "tenant_a2": make_user(company=company_a),
        "tenant_b": make_user(company=company_b),
        "manager": make_user(role=Role.MANAGER),
        "manager2": make_user(role=Role.ADMIN),
    }
    db.session.commit()
    apis = {name: Api(client, issue(user)) for name, user in people.items()}
    return World(
        room=room.id,
        approval_room=approval_room.id,
        company_a=company_a.id,
        company_b=company_b.id,
        ids={name: user.id for name, user in people.items()},
        **apis,
    )


@pytest.fixture
def world(app, client) -> World:
    return build_world(client)


def booking_body(space_id: int, day: date, start: str = "10:00", end: str = "11:00", **extra: Any):
    """The JSON of POST /bookings for a local slot."""
    return {
        "space_id": space_id,
        "start": local(day, start),
        "end": local(day, end),
        "title": "周会",
        **extra,
    }


def insert_booking(
    space_id: int,
    company_id: int,
    user_id: int,
    start: datetime,
    end: datetime,
    status: BookingStatus = BookingStatus.CONFIRMED,
    **values: Any,
) -> Booking:
    """A booking row (with its hold) written directly and committed, e.g. one starting soon."""
    booking = write_booking(
        db.session.get(Space, space_id),
        db.session.get(Company, company_id),
        db.session.get(User, user_id),
        start,
        end,
        status,
        **{"title": "站会", "created_at": utcnow(), **values},
    )
    db.session.commit()
    return booking
