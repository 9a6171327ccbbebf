"""A day's plan of several rooms: open time, bookings, closures and free slots."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Closure, Space, SpaceKind
from app.services.availability import day_plans, free_slots
from tests.fixtures.bookings import DAY, NOW, book, local, tenant
from tests.fixtures.factories import make_space, make_zone
from tests.fixtures.queries import recorded_statements


@pytest.fixture
def rooms(app):
    zone = make_zone(code="MTG")
    first = make_space(kind=SpaceKind.MEETING_ROOM, zone=zone, code="MTG-201")
    second = make_space(kind=SpaceKind.MEETING_ROOM, zone=zone, code="MTG-202")
    book(tenant(), first, local(DAY, "10:00"), local(DAY, "11:00"))
    db.session.add(
        Closure(
            space=second,
            start_at=local(DAY, "14:00"),
            end_at=local(DAY, "15:00"),
            reason="设备检修",
        )
    )
    db.session.commit()
    return first, second


def _load(codes):
    return list(
        db.session.scalars(
            sa.select(Space)
            .where(Space.code.in_(codes))
            .options(selectinload(Space.zone), selectinload(Space.parts))
            .order_by(Space.code)
        )
    )


def test_bookings_and_closures_shape_the_free_time(rooms) -> None:
    first, second = day_plans(_load(["MTG-201", "MTG-202"]), DAY, NOW)
    assert [b.title for b in first.bookings] == ["路演彩排"]
    assert not first.is_free(local(DAY, "10:30"), local(DAY, "11:30"))
    assert first.is_free(local(DAY, "11:00"), local(DAY, "12:00"))  # touching is fine
    assert not second.is_free(local(DAY, "14:00"), local(DAY, "15:00"))
    assert [c.reason for c in second.closures] == ["设备检修"]
    starts = [s for s, _e in free_slots(first, timedelta(hours=1), local(DAY, "08:00"))]
    assert local(DAY, "09:00") in starts and local(DAY, "11:00") in starts
    assert not any(local(DAY, "09:15") <= s <= local(DAY, "10:45") for s in starts)


def test_a_plan_costs_the_same_queries_for_two_rooms_or_ten(rooms) -> None:
    zone = rooms[0].zone
    for n in range(8):
        make_space(kind=SpaceKind.MEETING_ROOM, zone=zone, code=f"MTG-3{n:02d}")
    db.session.commit()

    def count(codes) -> int:
        db.session.rollback()  # each plan in a transaction of its own, as each page is
        spaces = _load(codes)
        with recorded_statements() as statements:
            day_plans(spaces, DAY, NOW)
        return len(statements)

    count(["MTG-201"])  # reads the building's reference data into memory, once
    few = count(["MTG-201", "MTG-202"])
    many = count(["MTG-201", "MTG-202", *(f"MTG-3{n:02d}" for n in range(8))])
    assert many == few
