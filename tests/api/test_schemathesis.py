"""Schemathesis against the OpenAPI document, as a manager and as a tenant.

Requests generated from the document (its examples, its bounds, random valid and invalid
values) get no server error, only documented statuses and content types, and JSON bodies that
match the documented schemas. Runs on whichever database the suite runs on.
"""

from datetime import timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.api.openapi import DOCUMENT
from app.extensions import db
from app.models import BookingStatus
from app.sqltypes import utcnow
from tests.api.conftest import World, bearer, booking_body, booking_day, insert_booking
from tests.api.conftest import local_utc as at

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
# Each operation gets the document's examples, a value for every bound and enum member
# (positive "coverage" cases) and a few random requests, half of them invalid ("fuzzing").
# Requests with undocumented methods are left out: they only ever meet the 405 of the router.
CONFIG = schemathesis.Config.from_dict(
    {
        "phases": {
            "coverage": {"unexpected-methods": [], "generation": {"mode": "positive"}},
            "stateful": {"enabled": False},
        }
    }
)
BOUNDED = settings(
    max_examples=10,
    deadline=None,
    # The test incubator (a function-scoped fixture) is shared by the examples of an
    # operation on purpose: bookings cancelled or approved by one example stay so for the next.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

FEW_MINUTES, AN_HOUR = timedelta(minutes=5), timedelta(hours=1)
# The document as served, but for the operationIds that the view adds from the URL map.
SCHEMA = schemathesis.openapi.from_dict(DOCUMENT, config=CONFIG)


@pytest.fixture
def booked(world: World) -> tuple[World, list[int]]:
    """The test incubator with bookings of each company: confirmed, pending, cancelled."""
    day = booking_day()
    made = [
        world.tenant_a.post("/api/v1/bookings", booking_body(world.room, day)),
        world.tenant_b.post("/api/v1/bookings", booking_body(world.approval_room, day)),
    ]
    assert [response.status_code for response in made] == [201, 201]
    now = utcnow()
    soon = insert_booking(  # starting in a few minutes: it can be checked in
        world.room, world.company_a, world.ids["tenant_a2"], now + FEW_MINUTES, now + AN_HOUR,
        requires_check_in=True,
    )  # fmt: skip
    begun = insert_booking(  # a request whose time began before anyone decided
        world.approval_room, world.company_b, world.ids["tenant_b"], now - AN_HOUR,
        now + AN_HOUR, BookingStatus.PENDING,
    )  # fmt: skip
    cancelled = insert_booking(
        world.room, world.company_b, world.ids["tenant_b"], at(day, "14:00"),
        at(day, "15:00"), BookingStatus.CANCELLED,
    )  # fmt: skip
    ids = [made[0].get_json()["id"], made[1].get_json()["id"], soon.id, begun.id, cancelled.id]
    return world, ids


@SCHEMA.parametrize()
@BOUNDED
def test_generated_requests_get_documented_answers(case, app, client, booked) -> None:
    """Each request is sent with a manager's token, then with a tenant's.

    Most generated booking ids are swapped for one of the incubator's, so that the booking
    operations meet real bookings (their own, another company's, pending, begun, cancelled)
    and, now and then, an id that does not exist.
    """
    world, booking_ids = booked
    generated = (case.path_parameters or {}).get("booking_id")
    slot = generated % (len(booking_ids) + 1) if isinstance(generated, int) and generated > 0 else 0
    if slot:  # a positive id: one of the incubator's (slot 0 keeps it)
        case.path_parameters["booking_id"] = booking_ids[slot - 1]
    public = case.operation.definition.raw.get("security") == []
    for api in [world.manager] if public else [world.manager, world.tenant_a]:
        # buffered: a streamed CSV is read inside the request, as a WSGI server reads it.
        case.call_and_validate(
            app=app, session=client, headers=bearer(api.token), checks=CHECKS, buffered=True
        )
        db.session.rollback()
