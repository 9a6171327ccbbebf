"""Door displays: a secret address per room, and what the tablet shows at a moment."""

from datetime import datetime

import pytest

from app.extensions import db
from app.models import BookingStatus, Role, SpaceKind
from app.services import door_displays
from app.services.errors import NotAllowed, RuleViolation
from tests.fixtures.bookings import DAY, insert_booking, local, meeting_room
from tests.fixtures.factories import make_company, make_space, make_user


def at(clock: str) -> datetime:
    return local(DAY, clock)


@pytest.fixture
def room(app):
    return meeting_room(code="MTG-201")  # open 08:00–22:00


@pytest.fixture
def tenant(app):
    return make_user(role=Role.TENANT, company=make_company(name="四川护能科技有限公司"))


def book(room, tenant, start: str, end: str, **overrides):
    status = overrides.pop("status", BookingStatus.CONFIRMED)
    return insert_booking(
        room,
        tenant.company,
        tenant,
        at(start),
        at(end),
        status,
        requires_check_in=True,
        **overrides,
    )


def test_free_until_the_next_booking(room, tenant) -> None:
    meeting = book(room, tenant, "10:00", "11:00")
    state = door_displays.door_state(room, at("09:00"))
    assert (state.open_now, state.current, state.next) == (True, None, meeting)
    assert state.free_until == at("10:00")
    assert state.check_in is None  # its window opens at 09:50


def test_free_until_closing_time_when_nothing_follows(room, tenant) -> None:
    book(room, tenant, "10:00", "11:00")
    state = door_displays.door_state(room, at("20:00"))
    assert (state.current, state.next, state.free_until) == (None, None, at("22:00"))


def test_taken_until_back_to_back_bookings_end_and_the_check_in_is_offered(room, tenant) -> None:
    first = book(room, tenant, "10:00", "11:00")
    second = book(room, tenant, "11:00", "12:00")
    book(room, tenant, "14:00", "15:00")
    state = door_displays.door_state(room, at("10:05"))
    assert (state.current, state.next) == (first, second)
    assert state.free_from == at("12:00")
    assert state.check_in == first


def test_the_next_booking_is_offered_for_check_in_ten_minutes_before_it(room, tenant) -> None:
    meeting = book(room, tenant, "10:00", "11:00")
    assert door_displays.door_state(room, at("09:49")).check_in is None
    assert door_displays.door_state(room, at("09:50")).check_in == meeting


def test_a_checked_in_booking_needs_no_code(room, tenant) -> None:
    book(room, tenant, "10:00", "11:00", checked_in_at=at("09:58"))
    state = door_displays.door_state(room, at("10:05"))
    assert state.current is not None and state.check_in is None


def test_a_no_show_frees_the_room(room, tenant) -> None:
    book(room, tenant, "10:00", "11:00")
    state = door_displays.door_state(room, at("10:16"))  # nobody checked in by 10:15
    assert (state.current, state.free_until) == (None, at("22:00"))


def test_a_request_not_decided_in_time_is_not_shown_but_a_coming_one_is(room, tenant) -> None:
    book(room, tenant, "10:00", "11:00", status=BookingStatus.PENDING)
    later = book(room, tenant, "15:00", "16:00", status=BookingStatus.PENDING)
    state = door_displays.door_state(room, at("10:30"))
    assert (state.current, state.next, state.free_until) == (None, later, at("15:00"))
    assert state.check_in is None  # only a confirmed booking is checked in


def test_closed_at_night(room) -> None:
    state = door_displays.door_state(room, at("23:00"))
    assert (state.open_now, state.current, state.free_until) == (False, None, None)


def test_a_key_opens_its_own_room_until_a_new_one_is_made(room) -> None:
    manager = make_user(role=Role.MANAGER)
    key = door_displays.issue_display(manager, room)
    db.session.commit()
    assert door_displays.display_for_key("MTG-201", key).space == room
    assert door_displays.display_for_key("MTG-202", key) is None
    assert door_displays.display_for_key("MTG-201", key[:-1] + "x") is None
    assert door_displays.display_for_key("MTG-201", "") is None
    new_key = door_displays.issue_display(manager, room)
    db.session.commit()
    assert new_key != key
    assert door_displays.display_for_key("MTG-201", key) is None
    display = door_displays.display_for_key("MTG-201", new_key)
    assert display is not None and display.rotated_at is not None
    assert new_key not in display.key_hash  # only the digest is kept
    room.active = False
    db.session.commit()
    assert door_displays.display_for_key("MTG-201", new_key) is None


def test_only_managers_set_up_displays_of_bookable_rooms(room, tenant) -> None:
    with pytest.raises(NotAllowed):
        door_displays.issue_display(tenant, room)
    office = make_space(kind=SpaceKind.OFFICE)
    with pytest.raises(RuleViolation):
        door_displays.issue_display(make_user(role=Role.MANAGER), office)
