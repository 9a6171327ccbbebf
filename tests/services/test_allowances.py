"""Free monthly meeting-room hours per company stage, counted in local calendar months."""

from datetime import date, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.models import BookingStatus, SpaceKind, Stage
from app.services import policy
from app.services.booking_rules import (
    PENDING_OVER_ALLOWANCE,
    allowance_used_minutes,
)
from app.services.bookings import approve, cancel
from app.services.errors import RuleViolation
from app.services.recurrence import Recurrence
from tests.fixtures.bookings import (
    DAY,
    NOW,
    book,
    hall,
    insert_booking,
    local,
    manager,
    meeting_room,
    tenant,
)
from tests.fixtures.factories import make_company, make_zone


def status_of(booking) -> tuple[str, str]:
    return booking.status.value, booking.reason


CONFIRMED = ("confirmed", "")
OVER = ("pending", PENDING_OVER_ALLOWANCE)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    stage=st.sampled_from([Stage.TEAM, Stage.INCUBATED, Stage.ACCELERATING]),
    halves=st.lists(st.integers(1, 8), min_size=1, max_size=14),
)
def test_the_booking_that_crosses_the_allowance_and_all_after_it_wait(app, stage, halves) -> None:
    room = meeting_room()
    person = tenant(stage=stage)
    allowance = policy.DEFAULT_ALLOWANCE_MINUTES[stage]
    running, expected, got = 0, [], []
    for number, length in enumerate(halves):  # one booking a day, 30 min to 4 h, in September
        day = date(2026, 9, 2) + timedelta(days=number)
        start = local(day, "09:00")
        (booking,) = book(person, room, start, start + timedelta(minutes=30 * length))
        running += 30 * length
        expected.append(CONFIRMED if running <= allowance else OVER)
        got.append(status_of(booking))
    assert got == expected
    assert allowance_used_minutes(person.company, date(2026, 9, 1)) == running


def test_months_are_local_calendar_months(app) -> None:
    room, person = meeting_room(), tenant()
    company = person.company

    def put(start: str, end: str) -> None:
        insert_booking(room, company, person, local(*start.split()), local(*end.split()))

    put("2026-12-01 00:30", "2026-12-01 01:30")  # still 30 November in UTC
    put("2026-11-30 23:00", "2026-12-01 00:00")  # November, though it ends in December
    put("2026-12-31 23:30", "2027-01-01 00:00")  # the last half hour of December
    put("2027-01-01 00:00", "2027-01-01 02:00")  # the first hours of January
    assert allowance_used_minutes(company, date(2026, 11, 15)) == 60
    assert allowance_used_minutes(company, date(2026, 12, 1)) == 90
    assert allowance_used_minutes(company, date(2027, 1, 31)) == 120


def test_only_holding_meeting_room_bookings_of_the_company_count(app) -> None:
    room, person = meeting_room(), tenant()
    company = person.company

    def put(day: int, hours: int, **kwargs) -> None:
        start = local(date(2026, 9, day), "10:00")
        kwargs.setdefault("space", room)
        kwargs.setdefault("company", company)
        kwargs.setdefault("user", person)
        insert_booking(start=start, end=start + timedelta(hours=hours), **kwargs)

    put(2, 1)
    put(3, 2, status=BookingStatus.PENDING)
    put(4, 3, status=BookingStatus.CANCELLED)
    put(5, 3, status=BookingStatus.REJECTED)
    put(6, 4, space=hall())
    stranger = tenant()
    put(7, 4, company=stranger.company, user=stranger)
    assert allowance_used_minutes(company, DAY) == 180


def test_a_series_crossing_the_allowance_confirms_the_occurrences_within_it(app) -> None:
    room, person = meeting_room(), tenant(stage=Stage.INCUBATED)  # 20 hours
    start = local("2026-09-02", "09:00")
    bookings = book(
        person, room, start, start + timedelta(hours=4), recurrence=Recurrence("daily", count=6)
    )
    assert [status_of(b) for b in bookings] == [CONFIRMED] * 5 + [OVER]


def test_a_series_starts_afresh_in_a_new_month(app) -> None:
    room, person = meeting_room(), tenant(stage=Stage.TEAM)  # 8 hours
    start = local("2026-09-28", "09:00")
    bookings = book(
        person, room, start, start + timedelta(hours=3), recurrence=Recurrence("daily", count=6)
    )
    # 28, 29, 30 September (3 + 3 + 3 h: the third crosses 8 h), then 1, 2, 3 October likewise.
    assert [status_of(b) for b in bookings] == [CONFIRMED, CONFIRMED, OVER] * 2


def test_cancelling_gives_the_hours_back(app) -> None:
    room, person = meeting_room(), tenant(stage=Stage.TEAM)
    (first,) = book(person, room, local(DAY, "09:00"), local(DAY, "13:00"))
    (second,) = book(person, room, local(DAY, "13:00"), local(DAY, "17:00"))
    assert allowance_used_minutes(person.company, DAY) == 480
    cancel(person, second, now=NOW)
    assert allowance_used_minutes(person.company, DAY) == 240
    (third,) = book(person, room, local(DAY, "17:00"), local(DAY, "21:00"))
    assert status_of(third) == CONFIRMED
    assert status_of(first) == CONFIRMED


def test_a_graduated_company_has_no_free_hours(app) -> None:
    person = tenant(stage=Stage.GRADUATED, graduated_on=date(2026, 6, 30))
    (booking,) = book(person, meeting_room(), local(DAY, "10:00"), local(DAY, "10:30"))
    assert status_of(booking) == OVER
    assert booking.holding  # it keeps the slot while a manager decides


def test_a_managers_booking_is_confirmed_whatever_the_allowance(app) -> None:
    company = make_company(stage=Stage.GRADUATED, graduated_on=date(2026, 6, 30))
    (booking,) = book(
        manager(), meeting_room(), local(DAY, "10:00"), local(DAY, "14:00"), company=company
    )
    assert status_of(booking) == CONFIRMED


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(60, [CONFIRMED, OVER]), (90, [CONFIRMED, CONFIRMED]), (0, [OVER, OVER])],
    ids=["one hour", "exactly enough", "none"],
)
def test_save_allowance_changes_the_limit(app, minutes, expected) -> None:
    policy.save_allowance(manager(), Stage.INCUBATED, minutes)
    assert policy.monthly_allowance_minutes(Stage.INCUBATED) == minutes
    assert policy.monthly_allowance_minutes(Stage.TEAM) == 8 * 60  # other stages untouched
    room, person = meeting_room(), tenant(stage=Stage.INCUBATED)
    (first,) = book(person, room, local(DAY, "10:00"), local(DAY, "11:00"))
    (second,) = book(person, room, local(DAY, "11:00"), local(DAY, "11:30"))
    assert [status_of(first), status_of(second)] == expected


def test_rooms_stop_counting_when_the_policy_says_so(app) -> None:
    limits = policy.limits_for(SpaceKind.MEETING_ROOM)
    policy.save_limits(
        manager(),
        SpaceKind.MEETING_ROOM,
        policy.KindLimits(
            limits.max_minutes,
            limits.advance_days,
            limits.buffer_minutes,
            limits.requires_check_in,
            counts_against_allowance=False,
        ),
    )
    person = tenant(stage=Stage.GRADUATED, graduated_on=date(2026, 6, 30))
    (booking,) = book(person, meeting_room(), local(DAY, "10:00"), local(DAY, "11:00"))
    assert status_of(booking) == CONFIRMED
    assert allowance_used_minutes(person.company, DAY) == 0


def test_a_booking_just_after_local_midnight_counts_for_the_new_month(app) -> None:
    room = meeting_room(zone=make_zone(opens_at=time(0, 0), closes_at=time(23, 45)))
    person = tenant(stage=Stage.TEAM)  # 8 hours
    book(person, room, local("2026-09-30", "08:00"), local("2026-09-30", "12:00"))
    book(person, room, local("2026-09-30", "13:00"), local("2026-09-30", "17:00"))
    # 1 October 00:00 in Leshan is 30 September 16:00 UTC: still a fresh month locally.
    (october,) = book(person, room, local("2026-10-01", "00:00"), local("2026-10-01", "01:00"))
    (september,) = book(person, room, local("2026-09-30", "23:00"), local("2026-09-30", "23:45"))
    assert status_of(october) == CONFIRMED
    assert status_of(september) == OVER


def test_a_manager_approves_a_booking_beyond_the_allowance(app) -> None:
    person = tenant(stage=Stage.GRADUATED, graduated_on=date(2026, 6, 30))
    (booking,) = book(person, meeting_room(), local(DAY, "10:00"), local(DAY, "12:00"))
    approve(manager(), booking, now=NOW)
    assert status_of(booking) == CONFIRMED


@pytest.mark.parametrize(
    ("hours", "allowed"), [(2, True), (3, False)], ids=["within the new limit", "beyond it"]
)
def test_save_limits_changes_the_longest_booking(app, hours, allowed) -> None:
    policy.save_limits(manager(), SpaceKind.MEETING_ROOM, policy.KindLimits(120, 60, 0, True, True))
    room, person = meeting_room(), tenant()
    start = local(DAY, "10:00")
    if allowed:
        book(person, room, start, start + timedelta(hours=hours))
    else:
        with pytest.raises(RuleViolation) as caught:
            book(person, room, start, start + timedelta(hours=hours))
        assert caught.value.field == "end"
