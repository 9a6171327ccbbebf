"""The overview's own figures: busy hours, who books most, no-shows, a company's statement."""

from datetime import date

import pytest

from app.extensions import db
from app.models import BookingStatus, Closure, SpaceKind, Stage
from app.services.booking_rules import allowance_status, allowance_used_minutes
from app.services.dashboard import (
    booking_heat_map,
    company_statement,
    meeting_room_zone_codes,
    months_back,
    no_show_rates,
    occupancy_trend,
    top_companies,
    weekly_utilization,
    weeks_back,
)
from tests.fixtures.bookings import hall, hall_zone, insert_booking, local, meeting_room, tenant
from tests.fixtures.factories import make_lease, make_space, make_zone
from tests.fixtures.queries import recorded_statements

MONDAY, SUNDAY = date(2026, 9, 7), date(2026, 9, 13)  # ISO week 37, no holiday
AFTER = local("2026-09-20", "09:00")


def booked(space, user, day: str, start: str, end: str, **fields):
    return insert_booking(space, user.company, user, local(day, start), local(day, end), **fields)


@pytest.fixture
def rooms(app):
    zone = make_zone(code="MTG")
    first = meeting_room(code="MTG-201", zone=zone)
    second = meeting_room(code="MTG-202", zone=zone)
    person = tenant()
    booked(first, person, "2026-09-08", "10:00", "12:00")  # Tuesday 10-12: all of it
    booked(first, person, "2026-09-09", "09:00", "10:00")  # Wednesday 08-10: half
    # A no-show's room was released, a cancelled booking never held it: neither is busy.
    booked(first, person, "2026-09-10", "14:00", "15:00", requires_check_in=True)
    booked(first, person, "2026-09-11", "14:00", "16:00", status=BookingStatus.CANCELLED)
    booked(first, person, "2026-09-14", "10:00", "12:00")  # the Monday after the window
    booked(
        second,
        person,
        "2026-09-12",
        "20:00",
        "21:00",
        requires_check_in=True,
        checked_in_at=local("2026-09-12", "20:05"),
    )
    booked(hall(code="RSH-A"), person, "2026-09-08", "10:00", "12:00")  # halls are not rooms
    db.session.add(
        Closure(
            space=second,
            start_at=local(MONDAY, "08:00"),
            end_at=local(MONDAY, "10:00"),
            reason="设备检修",
        )
    )
    db.session.flush()
    return first, second


def test_the_heat_map_shows_the_booked_share_by_weekday_and_block(rooms) -> None:
    heat = booking_heat_map(MONDAY, SUNDAY, AFTER)

    assert heat.blocks == [(8, 10), (10, 12), (12, 14), (14, 16), (16, 18), (18, 20), (20, 22)]
    assert [row.space.code for row in heat.rows] == ["MTG-201", "MTG-202"]
    first, second = (row.shares for row in heat.rows)
    busy = {
        (weekday, block): first[heat.cell(weekday, block)]
        for weekday in range(7)
        for block in range(7)
        if first[heat.cell(weekday, block)]
    }
    assert busy == {(1, 1): 1.0, (2, 0): 0.5}
    assert second[heat.cell(5, 6)] == 0.5  # Saturday 20-22, checked in
    assert second[heat.cell(0, 0)] is None  # closed for maintenance all that block
    assert second[heat.cell(0, 1)] == 0.0


def test_over_two_weeks_each_cell_averages_its_two_days(rooms) -> None:
    heat = booking_heat_map(MONDAY, date(2026, 9, 20), AFTER)
    first = heat.rows[0].shares
    assert first[heat.cell(1, 1)] == 0.5  # one of two Tuesdays
    assert first[heat.cell(0, 1)] == 0.5  # one of two Mondays (the 14th)


def test_closed_days_and_late_openings_count_only_the_open_time(app) -> None:
    room = meeting_room(code="BIZ-R1", zone=hall_zone())  # working days only, 08:30-21:00
    person = tenant()
    booked(room, person, "2026-09-07", "08:30", "10:00")
    heat = booking_heat_map(MONDAY, SUNDAY, AFTER)
    (row,) = heat.rows
    assert heat.blocks[0] == (8, 10) and heat.blocks[-1] == (20, 22)
    assert row.shares[heat.cell(0, 0)] == 1.0  # 90 of 90 open minutes
    assert row.shares[heat.cell(5, 0)] is None and row.shares[heat.cell(6, 3)] is None


def test_the_heat_map_reads_the_bookings_with_one_query(rooms) -> None:
    booking_heat_map(MONDAY, date(2026, 9, 20), AFTER)  # reads the reference data into memory
    with recorded_statements() as statements:
        booking_heat_map(MONDAY, date(2026, 9, 20), AFTER)
    assert len([s for s in statements if "FROM bookings" in s]) == 1
    assert len(statements) <= 2  # the bookings (rooms, zones, closures are held in memory)


def test_top_companies_count_what_the_allowance_counts(app) -> None:
    room, other_room = meeting_room(), meeting_room()
    first = tenant(name="四川护能科技有限公司", stage=Stage.ACCELERATING)
    second = tenant(name="四川越成科技有限公司")
    third = tenant(name="光伏智能运维创业团队", stage=Stage.TEAM)
    booked(room, first, "2026-09-08", "09:00", "12:00")
    booked(hall(), first, "2026-09-08", "09:00", "17:00")  # halls use no free hours
    booked(room, second, "2026-09-09", "09:00", "11:00")
    booked(room, second, "2026-09-09", "11:00", "11:30", status=BookingStatus.PENDING)
    booked(room, second, "2026-09-09", "14:00", "16:00", status=BookingStatus.CANCELLED)
    # Months are Leshan's: 23:00 on 30 September is September, 00:00 on 1 October is not.
    booked(other_room, third, "2026-09-30", "23:00", "23:30")
    booked(other_room, third, "2026-10-01", "00:00", "01:00")

    listed = top_companies(date(2026, 9, 15))

    assert [(u.company.name, u.used_minutes, u.allowance_minutes) for u in listed] == [
        ("四川护能科技有限公司", 180, 40 * 60),
        ("四川越成科技有限公司", 150, 20 * 60),
        ("光伏智能运维创业团队", 30, 8 * 60),
    ]
    for use in listed:
        assert use.used_minutes == allowance_used_minutes(use.company, date(2026, 9, 1))
    assert [u.company.name for u in top_companies(date(2026, 9, 1), limit=2)] == [
        "四川护能科技有限公司",
        "四川越成科技有限公司",
    ]
    assert top_companies(date(2026, 8, 31)) == []


def test_a_company_over_its_free_hours_shows_how_far(app) -> None:
    person = tenant(stage=Stage.TEAM)  # 8 free hours
    room = meeting_room()
    for day in ("2026-09-07", "2026-09-08", "2026-09-09"):
        booked(room, person, day, "09:00", "12:00")
    (use,) = top_companies(date(2026, 9, 1))
    assert (use.used_minutes, use.over_minutes) == (540, 60)


def test_no_show_rate_counts_bookings_whose_check_in_time_is_over(app) -> None:
    room = meeting_room()
    person = tenant()
    now = local("2026-09-16", "10:10")

    def needing_check_in(day: str, clock: str, checked_in: bool, **fields):
        start = local(day, clock)
        end = local(day, f"{int(clock[:2]) + 1:02d}:{clock[3:]}")
        return insert_booking(
            room,
            person.company,
            person,
            start,
            end,
            requires_check_in=True,
            checked_in_at=start if checked_in else None,
            **fields,
        )

    needing_check_in("2026-09-06", "10:00", False)  # the Sunday before the window
    needing_check_in("2026-09-08", "10:00", True)
    needing_check_in("2026-09-09", "10:00", False)  # no-show, week 37
    booked(room, person, "2026-09-10", "10:00", "11:00")  # no check-in needed
    needing_check_in("2026-09-11", "10:00", False, status=BookingStatus.CANCELLED)
    needing_check_in("2026-09-14", "10:00", False)  # no-show, week 38
    needing_check_in("2026-09-15", "10:00", True)
    needing_check_in("2026-09-16", "08:00", True)
    needing_check_in("2026-09-16", "10:00", False)  # started 10 minutes ago: not late yet

    rates = no_show_rates(MONDAY, date(2026, 9, 16), now)

    assert [(w.first, w.last, w.due, w.no_shows) for w in rates.weeks] == [
        (MONDAY, SUNDAY, 2, 1),
        (date(2026, 9, 14), date(2026, 9, 16), 3, 1),
    ]
    assert [w.rate_pct for w in rates.weeks] == [50.0, 33.3]
    assert (rates.due, rates.no_shows, rates.rate_pct) == (5, 2, 40.0)


def test_no_bookings_make_a_rate_of_nothing_not_an_error(app) -> None:
    rates = no_show_rates(MONDAY, SUNDAY, AFTER)
    assert (rates.due, rates.rate_pct, len(rates.weeks)) == (0, 0.0, 1)


def test_a_statement_covers_six_local_months_and_agrees_with_the_allowance(app) -> None:
    person = tenant()  # incubated: 20 free hours
    other = tenant()
    room = meeting_room()
    booked(room, person, "2026-04-10", "09:00", "11:00")
    booked(room, person, "2026-06-30", "23:00", "23:30")  # June in Leshan, June in UTC
    booked(room, person, "2026-07-01", "00:30", "01:00")  # July in Leshan, June in UTC
    for day in ("2026-09-07", "2026-09-08", "2026-09-09"):
        booked(room, person, day, "08:00", "15:00")  # 21 hours in September
    booked(room, other, "2026-09-10", "09:00", "12:00")
    booked(hall(), person, "2026-09-10", "09:00", "12:00")
    booked(room, person, "2026-03-31", "09:00", "10:00")  # before the six months

    months = company_statement(person.company, date(2026, 9, 20))

    assert [(m.first, m.used_minutes) for m in months] == [
        (date(2026, 4, 1), 120),
        (date(2026, 5, 1), 0),
        (date(2026, 6, 1), 30),
        (date(2026, 7, 1), 30),
        (date(2026, 8, 1), 0),
        (date(2026, 9, 1), 21 * 60),
    ]
    september = months[-1]
    assert (september.allowance_minutes, september.over_minutes, september.left_minutes) == (
        1200,
        60,
        0,
    )
    assert (
        september.used_minutes == allowance_status(person.company, date(2026, 9, 20)).used_minutes
    )
    assert months[0].left_minutes == 1080


def test_weekly_utilisation_combines_the_meeting_room_zones(app) -> None:
    rooms_zone, reception = make_zone(code="MTG"), make_zone(code="BIZ")
    room = meeting_room(code="MTG-201", zone=rooms_zone)
    meeting_room(code="BIZ-R1", zone=reception)
    meeting_room(code="OLD-1", zone=make_zone(code="OLD"), active=False)
    table = make_space(kind=SpaceKind.TABLE, zone=make_zone(code="LNG"), code="LNG-T01")
    person = tenant()
    booked(room, person, "2026-09-08", "08:00", "15:00")  # 7 of MTG-201's 98 open hours
    booked(table, person, "2026-09-08", "08:00", "18:00")

    codes = meeting_room_zone_codes()
    (week,) = weekly_utilization(MONDAY, SUNDAY, codes, AFTER)

    assert codes == ["BIZ", "MTG"]
    assert (week.open_hours, week.booked_hours, week.utilization_pct) == (196, 7, 3.6)
    assert week.by_zone == {"BIZ": 0.0, "MTG": 7.1}
    assert week.iso_week == 37


def test_the_occupancy_trend_follows_each_zone_month_by_month(app) -> None:
    offices = make_zone(code="INC")
    first = make_space(kind=SpaceKind.OFFICE, zone=offices, area_m2=50)
    make_space(kind=SpaceKind.OFFICE, zone=offices, area_m2=50)
    meeting_room(zone=make_zone(code="MTG"))
    make_lease(space=first, starts_on=date(2026, 8, 1))

    trend = occupancy_trend(date(2026, 7, 1), date(2026, 9, 30))

    assert [month for month, _last in trend.months] == [
        date(2026, 7, 1),
        date(2026, 8, 1),
        date(2026, 9, 1),
    ]
    assert trend.by_zone == {"INC": [0.0, 50.0, 50.0]}


@pytest.mark.parametrize(
    ("today", "count", "weeks_start", "months_start"),
    [
        (date(2026, 9, 16), 4, date(2026, 8, 24), date(2026, 6, 1)),
        (date(2026, 1, 4), 12, date(2025, 10, 13), date(2025, 2, 1)),  # a Sunday in January
        (date(2026, 3, 31), 1, date(2026, 3, 30), date(2026, 3, 1)),
    ],
)
def test_windows_end_with_this_week_and_this_month(
    today: date, count: int, weeks_start: date, months_start: date
) -> None:
    assert weeks_back(today, count) == weeks_start
    assert months_back(today, count) == months_start
