"""Every rule a booking request must keep, one row per case, through ``create_bookings``."""

from datetime import date, timedelta

import chinese_calendar
import holidays
import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.models import Booking, BookingStatus, Closure, CompanyStatus, SpaceKind
from app.services.booking_rules import check_times
from app.services.errors import Conflict, NotAllowed, RuleViolation
from tests.fixtures.bookings import DAY, NOW, SHANGHAI, book, local, make_world, meeting_room
from tests.fixtures.factories import make_space


@pytest.fixture
def world(app):
    return make_world()


def stored() -> int:
    return db.session.scalar(sa.select(sa.func.count(Booking.id)))


def english(error) -> str:
    with force_locale("en"):
        return str(error.message)


# (day, start, end, field) for a tenant booking the meeting room at NOW (Tue 2026-09-01 09:00).
REFUSED_TIMES = {
    "start off the 15-minute grid": (DAY, "10:05", "11:00", "start"),
    "end off the 15-minute grid": (DAY, "10:00", "11:10", "end"),
    "start with seconds": (DAY, "10:00:30", "11:00", "start"),
    "shorter than 30 minutes": (DAY, "10:00", "10:15", "end"),
    "longer than 4 hours": (DAY, "10:00", "14:15", "end"),
    "end before start": (DAY, "11:00", "10:00", "end"),
    "end equals start": (DAY, "10:00", "10:00", "end"),
    "in the past": (date(2026, 9, 1), "08:00", "09:00", "start"),
    "61 days ahead": (date(2026, 11, 1), "10:00", "11:00", "start"),
    "before opening": (DAY, "07:30", "08:30", "start"),
    "after closing": (DAY, "21:30", "22:15", "start"),
}


@pytest.mark.parametrize(
    ("day", "start", "end", "field"), REFUSED_TIMES.values(), ids=REFUSED_TIMES.keys()
)
def test_timing_rules_refuse(world, day, start, end, field) -> None:
    with pytest.raises(RuleViolation) as caught:
        book(world.tenant, world.room, local(day, start), local(day, end))
    assert caught.value.field == field
    assert stored() == 0


ALLOWED_TIMES = {
    "exactly 30 minutes": (DAY, "10:00", "10:30"),
    "exactly 4 hours": (DAY, "10:00", "14:00"),
    "starting now": (date(2026, 9, 1), "09:00", "10:00"),
    "60 days ahead": (date(2026, 10, 31), "10:00", "11:00"),
    "on the quarter hours": (DAY, "10:15", "11:45"),
    "opening to closing edges": (DAY, "08:00", "09:00"),
    "until closing time": (DAY, "21:00", "22:00"),
    "on a Sunday (rooms open every day)": (date(2026, 9, 13), "10:00", "11:00"),
    "on National Day (rooms open every day)": (date(2026, 10, 1), "10:00", "11:00"),
}


@pytest.mark.parametrize(("day", "start", "end"), ALLOWED_TIMES.values(), ids=ALLOWED_TIMES.keys())
def test_timing_rules_allow(world, day, start, end) -> None:
    (booking,) = book(world.tenant, world.room, local(day, start), local(day, end))
    assert booking.status == BookingStatus.CONFIRMED
    assert (booking.start_at, booking.end_at) == (local(day, start), local(day, end))


def test_days_ahead_are_counted_from_the_local_date(world) -> None:
    # 07:00 on 1 September in Leshan is still 31 August in UTC; 60 days on is 31 October.
    early = local("2026-09-01", "07:00")
    day = date(2026, 10, 31)
    book(world.tenant, world.room, local(day, "21:00"), local(day, "22:00"), now=early)
    with pytest.raises(RuleViolation):
        book(
            world.tenant,
            world.room,
            local("2026-11-01", "08:00"),
            local("2026-11-01", "09:00"),
            now=early,
        )


def test_a_manager_may_book_beyond_the_advance_limit(world) -> None:
    day = date(2026, 11, 20)
    (booking,) = book(
        world.manager, world.room, local(day, "10:00"), local(day, "11:00"), company=world.company
    )
    assert booking.status == BookingStatus.CONFIRMED


@pytest.mark.parametrize(
    ("offset", "allowed"), [(180, True), (181, False)], ids=["180 days", "181 days"]
)
def test_a_hall_can_be_requested_180_days_ahead(world, offset, allowed) -> None:
    day = date(2026, 7, 2)  # a Thursday; 2026-07-03 is a working Friday too
    now = local(day - timedelta(days=180), "09:00")
    target = day + timedelta(days=offset - 180)
    start, end = local(target, "10:00"), local(target, "12:00")
    if allowed:
        (booking,) = book(world.tenant, world.hall, start, end, now=now)
        assert booking.status == BookingStatus.PENDING
    else:
        with pytest.raises(RuleViolation) as caught:
            book(world.tenant, world.hall, start, end, now=now)
        assert caught.value.field == "start"
        assert "180 days ahead" in english(caught.value)


HALL_HOURS = {
    "before 08:30": ("08:00", "09:00", False),
    "from 08:30": ("08:30", "09:30", True),
    "until 21:00": ("20:00", "21:00", True),
    "past 21:00": ("20:30", "21:15", False),
}


@pytest.mark.parametrize(("start", "end", "allowed"), HALL_HOURS.values(), ids=HALL_HOURS.keys())
def test_hall_opening_hours(world, start, end, allowed) -> None:
    if allowed:
        (booking,) = book(world.tenant, world.hall, local(DAY, start), local(DAY, end))
        assert booking.status == BookingStatus.PENDING
    else:
        with pytest.raises(RuleViolation) as caught:
            book(world.tenant, world.hall, local(DAY, start), local(DAY, end))
        assert caught.value.field == "start"
        assert "open from 08:30 to 21:00" in english(caught.value)


HALL_DAYS = {
    "make-up Saturday 2026-10-10 (调休)": (date(2026, 10, 10), True),
    "make-up Sunday 2026-09-20 (调休)": (date(2026, 9, 20), True),
    "National Day Thursday 2026-10-01": (date(2026, 10, 1), False),
    "National Day Monday 2026-10-05": (date(2026, 10, 5), False),
    "Mid-autumn Friday 2026-09-25": (date(2026, 9, 25), False),
    "ordinary Saturday 2026-09-12": (date(2026, 9, 12), False),
    "ordinary Tuesday": (DAY, True),
}


@pytest.mark.parametrize(("day", "allowed"), HALL_DAYS.values(), ids=HALL_DAYS.keys())
def test_halls_open_on_working_days_of_the_chinese_calendar(world, day, allowed) -> None:
    start, end = local(day, "14:00"), local(day, "16:00")
    if allowed:
        (booking,) = book(world.tenant, world.hall, start, end)
        assert booking.status == BookingStatus.PENDING
    else:
        with pytest.raises(RuleViolation) as caught:
            book(world.tenant, world.hall, start, end)
        assert caught.value.field == "start"
        assert "not a working day" in english(caught.value)
        assert stored() == 0


def _another_company(world):
    return world.tenant, world.room, world.other.company


def _leased_office(world):
    return world.tenant, make_space(kind=SpaceKind.OFFICE, zone=world.room.zone), None


def _unbookable_room(world):
    return world.tenant, meeting_room(bookable=False), None


def _inactive_room(world):
    return world.tenant, meeting_room(active=False), None


def _moved_out(world):
    world.company.status = CompanyStatus.LEFT
    return world.manager, world.room, world.company


WHO_AND_WHAT = {
    "tenant booking for another company": (_another_company, NotAllowed, None),
    "leased office": (_leased_office, RuleViolation, "space_id"),
    "room not bookable": (_unbookable_room, RuleViolation, "space_id"),
    "room inactive": (_inactive_room, RuleViolation, "space_id"),
    "company moved out": (_moved_out, RuleViolation, "company_id"),
}


@pytest.mark.parametrize(
    ("setup", "error", "field"), WHO_AND_WHAT.values(), ids=WHO_AND_WHAT.keys()
)
def test_who_may_book_what(world, setup, error, field) -> None:
    actor, space, company = setup(world)
    with pytest.raises(error) as caught:
        book(actor, space, local(DAY, "10:00"), local(DAY, "11:00"), company=company)
    if field:
        assert caught.value.field == field
    assert stored() == 0


FIELDS = {
    "more attendees than seats": ({"attendees": 13}, "attendees"),
    "nobody attends": ({"attendees": 0}, "attendees"),
    "blank title": ({"title": "   "}, "title"),
    "title too long": ({"title": "会" * 121}, "title"),
}


@pytest.mark.parametrize(("fields", "field"), FIELDS.values(), ids=FIELDS.keys())
def test_request_fields(world, fields, field) -> None:
    with pytest.raises(RuleViolation) as caught:
        book(world.tenant, world.room, local(DAY, "10:00"), local(DAY, "11:00"), **fields)
    assert caught.value.field == field


def test_a_full_room_and_a_long_title_are_fine(world) -> None:
    (booking,) = book(
        world.tenant,
        world.room,
        local(DAY, "10:00"),
        local(DAY, "11:00"),
        attendees=12,
        title="会" * 120,
    )
    assert booking.attendees == 12


def _closure(space=None, zone=None, start="09:00", end="12:00", day=DAY):
    return Closure(
        space=space, zone=zone, start_at=local(day, start), end_at=local(day, end), reason="检修"
    )


CLOSURES = {
    "room closed": (lambda w: _closure(space=w.room), "room", True),
    "room's zone closed": (lambda w: _closure(zone=w.room.zone), "room", True),
    "whole building closed": (lambda w: _closure(), "room", True),
    "building closed, touching the end": (lambda w: _closure(end="10:00"), "room", False),
    "building closed from the end on": (lambda w: _closure(start="11:00"), "room", False),
    "another room closed": (lambda w: _closure(space=meeting_room()), "room", False),
    "whole event area closed, half booked": (lambda w: _closure(space=w.whole), "east", True),
    "half closed, whole booked": (lambda w: _closure(space=w.east), "whole", True),
    "one half closed, other half booked": (lambda w: _closure(space=w.east), "west", False),
    "hall's zone closed": (lambda w: _closure(zone=w.hall.zone), "hall", True),
}


@pytest.mark.parametrize(("closure", "target", "blocked"), CLOSURES.values(), ids=CLOSURES.keys())
def test_closures(world, closure, target, blocked) -> None:
    made = closure(world)
    db.session.add(made)
    db.session.flush()
    space = getattr(world, target)
    if target in ("room",):
        start, end = local(DAY, "10:00"), local(DAY, "11:00")
    else:
        start, end = local(DAY, "14:00"), local(DAY, "16:00")
        made.start_at, made.end_at = local(DAY, "13:00"), local(DAY, "15:00")
        db.session.flush()
    if blocked:
        with pytest.raises(Conflict) as caught:
            book(world.tenant, space, start, end)
        assert [c["kind"] for c in caught.value.conflicts] == ["closure"]
        assert caught.value.conflicts[0]["id"] == made.id
        assert stored() == 0
    else:
        (booking,) = book(world.tenant, space, start, end)
        assert booking.holding


@pytest.mark.parametrize(
    ("start", "end", "blocked"),
    [("12:00", "13:00", True), ("08:30", "10:00", True), ("13:00", "14:00", False)],
    ids=["starting at the end", "ending at the start", "an hour later"],
)
def test_a_hall_keeps_a_buffer_around_each_booking(world, start, end, blocked) -> None:
    book(world.manager, world.hall, local(DAY, "10:00"), local(DAY, "12:00"), company=world.company)
    if blocked:
        with pytest.raises(Conflict) as caught:
            book(world.other, world.hall, local(DAY, start), local(DAY, end))
        assert [c["kind"] for c in caught.value.conflicts] == ["booking"]
        assert "id" not in caught.value.conflicts[0]  # another company's booking stays anonymous
    else:
        book(world.other, world.hall, local(DAY, start), local(DAY, end))
    assert stored() == (1 if blocked else 2)


def test_each_hall_booking_holds_its_own_set_up_and_tear_down_buffer(world) -> None:
    # 30 minutes before and after each booking, so two hall bookings lie an hour apart.
    (booking,) = book(
        world.manager, world.hall, local(DAY, "10:00"), local(DAY, "12:00"), company=world.company
    )
    assert [(h.start_at, h.end_at) for h in booking.holds] == [
        (local(DAY, "09:30"), local(DAY, "12:30"))
    ]
    with pytest.raises(Conflict):
        book(world.other, world.hall, local(DAY, "12:30"), local(DAY, "14:00"))


def test_meeting_rooms_have_no_buffer(world) -> None:
    book(world.tenant, world.room, local(DAY, "10:00"), local(DAY, "11:00"))
    (booking,) = book(world.other, world.room, local(DAY, "11:00"), local(DAY, "12:00"))
    assert booking.status == BookingStatus.CONFIRMED


def test_a_conflict_names_ones_own_booking_but_not_anothers(world) -> None:
    (mine,) = book(world.tenant, world.room, local(DAY, "10:00"), local(DAY, "11:00"))
    with pytest.raises(Conflict) as caught:
        book(world.tenant, world.room, local(DAY, "10:30"), local(DAY, "11:30"))
    assert caught.value.conflicts == [
        {
            "start": "2026-09-08T10:00:00+08:00",
            "end": "2026-09-08T11:00:00+08:00",
            "kind": "booking",
            "status": "confirmed",
            "id": mine.id,
        }
    ]
    with pytest.raises(Conflict) as caught:
        book(world.other, world.room, local(DAY, "10:30"), local(DAY, "11:30"))
    assert "id" not in caught.value.conflicts[0]


def oracle_allows(kind: str, start, end, now, staff: bool) -> bool:
    """The timing rules written out plainly, in Leshan wall-clock time."""
    local_start, local_end = start.astimezone(SHANGHAI), end.astimezone(SHANGHAI)
    minutes = (end - start) / timedelta(minutes=1)
    on_grid = all(t.minute % 15 == 0 and t.second == 0 for t in (local_start, local_end))
    longest, ahead = (240, 60) if kind == "room" else (24 * 60, 180)
    if not (on_grid and 30 <= minutes <= longest and start >= now):
        return False
    if not staff and (local_start.date() - now.astimezone(SHANGHAI).date()).days > ahead:
        return False
    day = local_start.date()
    if kind == "room":
        opens, closes = local(day, "08:00"), local(day, "22:00")
    else:
        try:
            working = chinese_calendar.is_workday(day)
        except NotImplementedError:  # a year not published yet: the statutory days by law
            working = day.weekday() < 5 and day not in holidays.China(years=day.year)
        if not working:
            return False
        opens, closes = local(day, "08:30"), local(day, "21:00")
    return opens <= start and end <= closes


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from(["room", "hall"]),
    staff=st.booleans(),
    quarters=st.integers(-4 * 24, 4 * 24 * 190),
    off_grid=st.sampled_from([0, 0, 0, 0, 5, 10]),
    length=st.integers(-8, 30),
)
def test_check_times_agrees_with_the_rules_written_out(
    world, kind, staff, quarters, off_grid, length
):
    space = world.room if kind == "room" else world.hall
    actor = world.manager if staff else world.tenant
    start = NOW + timedelta(minutes=15 * quarters + off_grid)
    end = start + timedelta(minutes=15 * length)
    broken = check_times(space, start, end, NOW, actor)
    event("allowed" if broken is None else f"refused: {broken[0]}")
    assert (broken is None) == oracle_allows(kind, start, end, NOW, staff), broken
