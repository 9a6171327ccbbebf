"""Every change of a booking leaves an audit entry: who, what, status before and after, why."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEntry, Stage
from app.services import policy
from app.services.bookings import approve, cancel, check_in, reject
from app.services.errors import Conflict, RuleViolation
from app.services.recurrence import Recurrence
from tests.fixtures.bookings import DAY, NOW, book, local, make_world

START, END = local(DAY, "10:00"), local(DAY, "12:00")


@pytest.fixture
def world(app):
    return make_world()


def trail(booking) -> list[tuple]:
    entries = db.session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.object_type == "booking", AuditEntry.object_id == booking.id)
        .order_by(AuditEntry.id)
    )
    return [(e.actor_id, e.action, e.before, e.after, e.note) for e in entries]


def test_a_confirmed_booking_and_its_check_in(world) -> None:
    (booking,) = book(world.tenant, world.room, START, END)
    check_in(world.tenant, booking, now=START)
    assert trail(booking) == [
        (world.tenant.id, "booking.created", None, {"status": "confirmed"}, ""),
        (
            world.tenant.id,
            "booking.checked_in",
            None,
            {"checked_in_at": START.isoformat()},
            "",
        ),
    ]


def test_a_request_approved(world) -> None:
    (booking,) = book(world.tenant, world.hall, START, END)
    approve(world.manager, booking, now=NOW)
    assert trail(booking) == [
        (world.tenant.id, "booking.created", None, {"status": "pending"}, "approval"),
        (
            world.manager.id,
            "booking.confirmed",
            {"status": "pending"},
            {"status": "confirmed"},
            "",
        ),
    ]


def test_a_request_rejected(world) -> None:
    (booking,) = book(world.tenant, world.hall, START, END)
    reject(world.manager, booking, "当天有区里的活动", now=NOW)
    assert trail(booking)[1:] == [
        (
            world.manager.id,
            "booking.rejected",
            {"status": "pending"},
            {"status": "rejected"},
            "当天有区里的活动",
        )
    ]


@pytest.mark.parametrize("by", ["tenant", "manager"])
def test_a_cancellation(world, by) -> None:
    (booking,) = book(world.tenant, world.room, START, END)
    actor = getattr(world, by)
    reason = "空调故障" if by == "manager" else ""
    cancel(actor, booking, reason, now=NOW)
    assert trail(booking)[1:] == [
        (actor.id, "booking.cancelled", {"status": "confirmed"}, {"status": "cancelled"}, reason)
    ]


def test_an_over_allowance_booking_says_why_it_waits(world) -> None:

    policy.save_allowance(world.manager, Stage.INCUBATED, 60)
    (booking,) = book(world.tenant, world.room, START, END)
    assert trail(booking) == [
        (world.tenant.id, "booking.created", None, {"status": "pending"}, "over_allowance")
    ]


def test_each_occurrence_of_a_cancelled_series_has_its_entry(world) -> None:
    bookings = book(world.tenant, world.room, START, END, recurrence=Recurrence("daily", count=3))
    cancel(world.tenant, bookings[1], scope="following", now=NOW)
    assert [len(trail(b)) for b in bookings] == [1, 2, 2]
    assert trail(bookings[2])[1][1] == "booking.cancelled"


def test_a_refused_change_leaves_no_entry(world) -> None:
    (booking,) = book(world.tenant, world.room, START, END)
    with pytest.raises(RuleViolation):  # it has started
        cancel(world.tenant, booking, now=START + timedelta(minutes=1))
    cancel(world.tenant, booking, now=NOW)
    with pytest.raises(Conflict):  # cancelled already
        cancel(world.tenant, booking, now=NOW)
    assert [entry[1] for entry in trail(booking)] == ["booking.created", "booking.cancelled"]
