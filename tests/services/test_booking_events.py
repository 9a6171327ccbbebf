"""Booking events reach listeners as the change commits, in its transaction; never after a
rollback."""

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from app.extensions import db
from app.services.bookings import approve, cancel, reject
from app.services.errors import Conflict
from app.services.events import booking_changed, muted
from app.services.recurrence import Recurrence
from tests.fixtures.bookings import DAY, NOW, book, local, make_world

START, END = local(DAY, "10:00"), local(DAY, "12:00")


@pytest.fixture
def world(app):
    return make_world()


@pytest.fixture
def heard() -> Iterator[list[tuple]]:
    received: list[tuple] = []

    def listener(name: str, *, session: Session, **details) -> None:
        # Inside the change's own transaction, not yet committed: what a listener writes is
        # stored with the change.
        assert session is db.session() and session.in_transaction()
        received.append((name, details))

    with booking_changed.connected_to(listener):
        yield received


def test_a_confirmed_booking_is_announced_as_it_commits(world, heard) -> None:
    (booking,) = book(world.tenant, world.room, START, END)
    assert heard == []
    db.session.commit()
    assert heard == [("confirmed", {"booking_id": booking.id})]
    db.session.commit()
    assert len(heard) == 1  # once only


def test_a_pending_request_is_announced_as_it_commits(world, heard) -> None:
    (booking,) = book(world.tenant, world.hall, START, END)
    db.session.flush()
    assert heard == []
    db.session.commit()
    assert heard == [("pending", {"booking_id": booking.id})]


def test_nothing_is_announced_after_a_rollback(world, heard) -> None:
    db.session.commit()  # the world is stored; only the booking is rolled back
    book(world.tenant, world.room, START, END)
    db.session.rollback()
    assert heard == []
    (later,) = book(world.tenant, world.room, START, END)
    db.session.commit()
    assert heard == [("confirmed", {"booking_id": later.id})]


def test_decisions_are_announced(world, heard) -> None:
    (first,) = book(world.tenant, world.hall, START, END)
    (second,) = book(world.tenant, world.hall, local(DAY, "14:00"), local(DAY, "16:00"))
    db.session.commit()
    heard.clear()
    approve(world.manager, first, now=NOW)
    reject(world.manager, second, " 场地维修 ", now=NOW)
    assert heard == []
    db.session.commit()
    assert heard == [
        ("approved", {"booking_id": first.id}),
        ("rejected", {"booking_id": second.id, "reason": "场地维修"}),
    ]


def test_cancellations_are_announced(world, heard) -> None:
    (single,) = book(world.tenant, world.room, START, END)
    series = book(
        world.tenant,
        world.room,
        local(DAY, "14:00"),
        local(DAY, "15:00"),
        recurrence=Recurrence("daily", count=2),
    )
    db.session.commit()
    heard.clear()
    cancel(world.manager, single, "停电", now=NOW)
    cancel(world.tenant, series[0], scope="series", now=NOW)
    db.session.commit()
    assert heard == [
        ("cancelled", {"booking_id": single.id, "reason": "停电", "by_manager": True}),
        ("series_cancelled", {"booking_id": series[0].id, "reason": "", "by_manager": False}),
        ("series_cancelled", {"booking_id": series[1].id, "reason": "", "by_manager": False}),
    ]


def test_a_refused_request_announces_nothing(world, heard) -> None:
    book(world.tenant, world.room, START, END)
    db.session.commit()
    heard.clear()
    with pytest.raises(Conflict):
        book(world.other, world.room, START, END)
    db.session.rollback()
    db.session.commit()
    assert heard == []


def test_muted_changes_announce_nothing(world, heard) -> None:
    with muted():
        book(world.tenant, world.room, local(DAY, "10:00"), local(DAY, "11:00"))
    db.session.commit()
    assert heard == []
    book(world.tenant, world.room, local(DAY, "12:00"), local(DAY, "13:00"))
    db.session.commit()
    assert [name for name, _booking_id in heard] == ["confirmed"]
