"""GET /api/v1/audit: every change, newest first, for managers only; nothing else on that path."""

from datetime import datetime

import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEntry, Company, User
from app.services import audit
from tests.api.conftest import assert_error, booking_body, booking_day, local_utc

ENTRY_KEYS = {"id", "at", "actor", "action", "object_type", "object_id", "before", "after", "note"}


def _name(user_id: int) -> str:
    user = db.session.get(User, user_id)
    assert user is not None
    return user.name


def _booking_trail(world) -> int:
    """A request for the hall by tenant A, approved by the manager, cancelled by tenant A."""
    made = world.tenant_a.post("/api/v1/bookings", booking_body(world.approval_room, booking_day()))
    booking_id = made.get_json()["id"]
    assert world.manager.post(f"/api/v1/bookings/{booking_id}/approve").status_code == 200
    cancelled = world.tenant_a.post(f"/api/v1/bookings/{booking_id}/cancel", {"reason": "改期"})
    assert cancelled.status_code == 200
    return int(booking_id)


def test_a_bookings_changes_newest_first_with_their_actors(world) -> None:
    booking_id = _booking_trail(world)
    response = world.manager.get("/api/v1/audit", object_type="booking", object_id=booking_id)
    assert response.status_code == 200, response.text
    body = response.get_json()
    assert {key: body[key] for key in ("page", "per_page", "total")} == {
        "page": 1,
        "per_page": 50,
        "total": 3,
    }
    items = body["items"]
    assert all(set(item) == ENTRY_KEYS for item in items)
    tenant, manager = world.ids["tenant_a"], world.ids["manager"]
    assert [(i["action"], i["actor"], i["before"], i["after"], i["note"]) for i in items] == [
        (
            "booking.cancelled",
            {"id": tenant, "name": _name(tenant)},
            {"status": "confirmed"},
            {"status": "cancelled"},
            "改期",
        ),
        (
            "booking.confirmed",
            {"id": manager, "name": _name(manager)},
            {"status": "pending"},
            {"status": "confirmed"},
            "",
        ),
        (
            "booking.created",
            {"id": tenant, "name": _name(tenant)},
            None,
            {"status": "pending"},
            "approval",
        ),
    ]
    assert {(i["object_type"], i["object_id"]) for i in items} == {("booking", booking_id)}
    assert all(i["at"].endswith("+08:00") for i in items)
    assert items[0]["id"] > items[1]["id"] > items[2]["id"]


def test_a_tenant_is_forbidden(world) -> None:
    _booking_trail(world)
    assert_error(world.tenant_a.get("/api/v1/audit"), 403, "forbidden")
    assert world.manager2.get("/api/v1/audit").status_code == 200  # an admin may


def test_filters_by_type_object_actor_and_time(world) -> None:
    booking_id = _booking_trail(world)
    first = db.session.get(Company, world.company_a)
    entry = audit.record(db.session.get(User, world.ids["manager2"]), "company.updated", first)
    entry.at = local_utc(datetime(2026, 3, 1).date(), "10:00")
    db.session.commit()

    def actions(**query) -> list[str]:
        response = world.manager.get("/api/v1/audit", **query)
        assert response.status_code == 200, response.text
        return [item["action"] for item in response.get_json()["items"]]

    assert actions(object_type="company") == ["company.updated"]
    assert actions(object_type="booking") == [
        "booking.cancelled",
        "booking.confirmed",
        "booking.created",
    ]
    assert actions(object_type="booking", object_id=booking_id + 1) == []
    assert actions(actor_id=world.ids["manager"]) == ["booking.confirmed", "token.issued"]
    assert actions(actor_id=world.ids["manager2"], object_type="company") == ["company.updated"]
    assert actions(object_type="company", to="2026-03-01") == ["company.updated"]
    assert actions(object_type="company", to="2026-02-28") == []
    assert actions(object_type="company", **{"from": "2026-03-02"}) == []
    assert actions(**{"from": "2026-03-01T10:00:00+08:00", "to": "2026-03-01T10:00:01+08:00"}) == [
        "company.updated"
    ]
    # Issuing the test clients' five tokens was recorded too.
    assert world.manager.get("/api/v1/audit").get_json()["total"] == 5 + 3 + 1


def test_paging_as_other_lists(world) -> None:
    _booking_trail(world)
    page = world.manager.get("/api/v1/audit", per_page=2, page=2).get_json()
    assert (page["page"], page["per_page"], page["total"], len(page["items"])) == (2, 2, 8, 2)
    assert world.manager.get("/api/v1/audit", per_page=500).get_json()["per_page"] == 200
    assert (
        "object_id"
        in assert_error(world.manager.get("/api/v1/audit", object_id="x"), 400, "bad_request")[
            "fields"
        ]
    )
    assert (
        "from"
        in assert_error(
            world.manager.get("/api/v1/audit", **{"from": "yesterday"}), 400, "bad_request"
        )["fields"]
    )


def test_entries_cannot_be_changed_or_deleted(world, client) -> None:
    _booking_trail(world)
    count = sa.select(sa.func.count()).select_from(AuditEntry)
    before = db.session.scalar(count)
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(
            "/api/v1/audit", headers={"Authorization": f"Bearer {world.manager.token}"}
        )
        assert_error(response, 405, "bad_request")
    db.session.rollback()
    assert db.session.scalar(count) == before
