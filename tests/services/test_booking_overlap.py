"""No two bookings hold the same unit at the same time: the service against a brute-force oracle."""

from datetime import timedelta
from itertools import combinations

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.models import HOLDING_STATUSES, Booking, BookingHold, BookingStatus, SpaceKind, Stage
from app.services.bookings import reject
from app.services.errors import Conflict, RuleViolation
from app.services.spaces import save_space
from tests.fixtures.bookings import (
    DAY,
    book,
    event_area,
    hall_zone,
    local,
    make_world,
    meeting_room,
    tenant,
)

DB_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
SLOT = timedelta(minutes=15)


def requests(first_slot: int, last_slot: int, max_slots: int, units: int = 1):
    """Requests (unit, start slot, end slot) on a 15-minute grid within opening hours."""

    @st.composite
    def one(draw):
        start = draw(st.integers(first_slot, last_slot - 2))
        length = draw(st.integers(2, min(max_slots, last_slot - start)))
        return draw(st.integers(0, units - 1)), start, start + length

    return st.lists(one(), min_size=1, max_size=12)


def oracle(wanted, blocks, gap_slots: int = 0) -> list[int]:
    """Greedy: a request is accepted when it overlaps (half-open) no accepted one it blocks."""
    accepted: list[int] = []
    for index, (unit, start, end) in enumerate(wanted):
        clash = any(
            blocks(unit, wanted[other][0])
            and start < wanted[other][2] + gap_slots
            and wanted[other][1] < end + gap_slots
            for other in accepted
        )
        if not clash:
            accepted.append(index)
    return accepted


def holding_pairs_overlap(space_ids) -> list[tuple[int, int]]:
    holds = db.session.execute(
        sa.select(BookingHold.space_id, BookingHold.start_at, BookingHold.end_at, Booking.id)
        .join(Booking)
        .where(
            BookingHold.space_id.in_(space_ids),
            BookingHold.active.is_(True),
            Booking.status.in_(HOLDING_STATUSES),
        )
    ).all()
    return [
        (a.id, b.id)
        for a, b in combinations(holds, 2)
        if a.space_id == b.space_id and a.start_at < b.end_at and b.start_at < a.end_at
    ]


@DB_SETTINGS
@given(wanted=requests(first_slot=0, last_slot=14 * 4, max_slots=16))
def test_a_meeting_room_accepts_exactly_what_the_greedy_oracle_accepts(app, wanted) -> None:
    room = meeting_room()  # a fresh room (and zone, 08:00–22:00) for every example
    people = [tenant(stage=Stage.ACCELERATING), tenant(stage=Stage.TEAM)]
    opening = local(DAY, "08:00")
    accepted = []
    for number, (_, start, end) in enumerate(wanted):
        try:
            book(people[number % 2], room, opening + start * SLOT, opening + end * SLOT)
        except Conflict as conflict:
            assert conflict.conflicts and {c["kind"] for c in conflict.conflicts} == {"booking"}
        else:
            accepted.append(number)
    assert accepted == oracle(wanted, lambda a, b: True)
    stored = db.session.scalars(
        sa.select(Booking).where(Booking.space_id == room.id).order_by(Booking.id)
    ).all()
    assert [(b.start_at, b.end_at) for b in stored] == [
        (opening + wanted[i][1] * SLOT, opening + wanted[i][2] * SLOT) for i in accepted
    ]
    assert holding_pairs_overlap([room.id]) == []


@DB_SETTINGS
@given(wanted=requests(first_slot=0, last_slot=50, max_slots=24, units=3))
def test_the_event_area_and_its_halves_accept_what_the_oracle_accepts(app, wanted) -> None:
    # Unit 0 is the whole area, 1 and 2 its halves; each hall-like booking keeps 30 minutes of
    # buffer before and after, so two bookings of one unit need an hour between them.
    spaces = list(event_area())
    people = [tenant(), tenant()]
    opening = local(DAY, "08:30")
    accepted = []
    for number, (unit, start, end) in enumerate(wanted):
        try:
            book(people[number % 2], spaces[unit], opening + start * SLOT, opening + end * SLOT)
        except Conflict:
            pass
        else:
            accepted.append(number)

    def blocks(a: int, b: int) -> bool:
        return a == 0 or b == 0 or a == b

    assert accepted == oracle(wanted, blocks, gap_slots=4)
    assert holding_pairs_overlap([s.id for s in spaces]) == []


@pytest.fixture
def world(app):
    return make_world()


@pytest.mark.parametrize(
    ("first", "second", "clash"),
    [
        ("whole", "east", True),
        ("whole", "west", True),
        ("east", "whole", True),
        ("west", "whole", True),
        ("east", "west", False),
        ("west", "east", False),
        ("east", "east", True),
    ],
    ids=[
        "whole blocks east",
        "whole blocks west",
        "east blocks whole",
        "west blocks whole",
        "east then west",
        "west then east",
        "east twice",
    ],
)
def test_combined_spaces(world, first, second, clash) -> None:
    start, end = local(DAY, "14:00"), local(DAY, "17:00")
    (held,) = book(world.tenant, getattr(world, first), start, end)
    assert held.status == BookingStatus.PENDING
    if clash:
        with pytest.raises(Conflict) as caught:
            book(world.other, getattr(world, second), start, end)
        assert [c["kind"] for c in caught.value.conflicts] == ["booking"]
    else:
        (other,) = book(world.other, getattr(world, second), start, end)
        assert other.holding


def test_booking_the_whole_holds_both_halves(world) -> None:
    (booking,) = book(world.tenant, world.whole, local(DAY, "14:00"), local(DAY, "17:00"))
    assert sorted(h.space_id for h in booking.holds) == sorted([world.east.id, world.west.id])
    assert {(h.start_at, h.end_at) for h in booking.holds} == {
        (local(DAY, "13:30"), local(DAY, "17:30"))
    }


def test_a_rejected_whole_frees_both_halves(world) -> None:
    (booking,) = book(world.tenant, world.whole, local(DAY, "14:00"), local(DAY, "17:00"))
    reject(world.manager, booking, "场地另有安排")
    book(world.other, world.east, local(DAY, "14:00"), local(DAY, "17:00"))
    book(world.other, world.west, local(DAY, "14:00"), local(DAY, "17:00"))


def test_a_part_is_not_divided_again(app) -> None:
    # Booking a whole holds exactly its parts, so parts are one level deep.
    zone = hall_zone()
    values = {"kind": SpaceKind.EVENT_AREA, "zone": zone, "bookable": True}
    whole = save_space(None, None, code="EVT-T", name="活动区", **values)
    half = save_space(None, None, code="EVT-T-A", name="A", parent=whole, **values)
    other = save_space(None, None, code="EVT-U", name="活动区 2", **values)
    db.session.commit()
    with pytest.raises(RuleViolation) as caught:
        save_space(None, None, code="EVT-T-A1", name="A1", parent=half, **values)
    assert caught.value.field == "parent_id"
    db.session.rollback()
    with pytest.raises(RuleViolation):
        save_space(None, whole, code="EVT-T", name="活动区", parent=other, **values)
    db.session.rollback()


def test_the_database_refuses_an_overlap_the_friendly_check_missed(world, monkeypatch) -> None:
    # PostgreSQL: the exclusion constraint; SQLite: the trigger of migration 0004.
    book(world.tenant, world.room, local(DAY, "10:00"), local(DAY, "11:00"))
    # As if another request had committed between this one's check and its insert.
    monkeypatch.setattr("app.services.bookings.holding_conflicts", lambda *args: [])
    with pytest.raises(Conflict):
        book(world.other, world.room, local(DAY, "10:30"), local(DAY, "11:30"))
    db.session.rollback()
