"""Reports, computed by hand on a small building in October 2026.

October 2026: National Day runs 10-01 (Thursday) to 10-07; Saturday 10-10 is a make-up working
day (调休). Working days: 10-08, 10-09, 10-10, then 15 weekdays from 10-12 to 10-30 = 18.
November 2026 has 21 working days and no make-up day.

The building:
- MTG (sort 1), open 08:00–22:00 every day = 14 h a day: rooms M-1 (closed 10-12 09:00–12:00)
  and M-2, and M-3, inactive and never booked (left out);
- HALL (sort 2), open 08:30–21:00 on working days only = 12.5 h a day: hall H-1;
- NIGHT (sort 3), open 00:00–23:45 every day = 23.75 h a day: room N-1, for bookings that
  cross midnight and the month end.
"""

import csv
import io
import math
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from app.extensions import db
from app.models import BookingStatus, Closure, Company, Space, SpaceKind, User
from app.render.exports import Wording, content_disposition, csv_stream, xlsx_bytes
from app.services import report_rows, reports
from app.services.report_rows import (
    AREA_OCCUPANCY_COLUMNS,
    BOOKING_COLUMNS,
    UTILIZATION_COLUMNS,
    AreaOccupancyRow,
    BookingRow,
    UtilizationRow,
    periods,
)
from app.services.reports import area_occupancy_rows, booking_rows, utilization_rows
from tests.fixtures.bookings import insert_booking, local
from tests.fixtures.factories import make_company, make_lease, make_space, make_user, make_zone
from tests.fixtures.queries import recorded_statements

NOW = local("2026-12-01", "09:00")  # every booking below is in the past
OCT = (date(2026, 10, 1), date(2026, 10, 31))
HYPERLINK = '=HYPERLINK("http://x","y")'
LOCAL = ZoneInfo("Asia/Shanghai")


@dataclass
class Building:
    m1: Space
    m2: Space
    hall: Space
    night: Space
    company: Company
    plus86: Company
    user: User


@pytest.fixture
def building(app) -> Building:
    mtg = make_zone(code="MTG", name="座谈会议室", sort_order=1)
    halls = make_zone(
        code="HALL",
        name="多功能路演厅",
        sort_order=2,
        working_days_only=True,
        opens_at=time(8, 30),
        closes_at=time(21, 0),
    )
    night = make_zone(
        code="NIGHT", name="通宵区", sort_order=3, opens_at=time(0, 0), closes_at=time(23, 45)
    )
    room = {"kind": SpaceKind.MEETING_ROOM, "zone": mtg}
    m2 = make_space(code="M-2", name="二号会议室", **room)  # made first: rows still go by code
    m1 = make_space(code="M-1", name="一号会议室", **room)
    make_space(code="M-3", name="三号会议室", active=False, **room)
    hall = make_space(code="H-1", name="路演厅", kind=SpaceKind.HALL, zone=halls)
    n1 = make_space(code="N-1", name="夜间会议室", kind=SpaceKind.MEETING_ROOM, zone=night)
    company = make_company(name="四川护能科技有限公司")
    plus86 = make_company(name="+86 乐山")
    user = make_user(company=company, name="张三")
    b = Building(m1, m2, hall, n1, company, plus86, user)

    def book(space, day, start, end_day, end, status=BookingStatus.CONFIRMED, **values):
        return insert_booking(
            space, values.pop("company", company), user, local(day, start), local(end_day, end),
            status, **values,
        )  # fmt: skip

    # M-1: 2 h checked in; 11–13 over the 09–12 closure (1 h open); cancelled; a no-show;
    # 07–09 before opening (1 h open). Booked 2 + 1 + 1 = 4 h.
    book(m1, "2026-10-08", "09:00", "2026-10-08", "11:00",
         requires_check_in=True, checked_in_at=local("2026-10-08", "08:55"))  # fmt: skip
    book(m1, "2026-10-12", "11:00", "2026-10-12", "13:00")
    book(m1, "2026-10-13", "14:00", "2026-10-13", "15:00", BookingStatus.CANCELLED)
    book(m1, "2026-10-14", "10:00", "2026-10-14", "11:00", requires_check_in=True)
    book(m1, "2026-10-20", "07:00", "2026-10-20", "09:00")
    db.session.add(
        Closure(
            space_id=m1.id,
            start_at=local("2026-10-12", "09:00"),
            end_at=local("2026-10-12", "12:00"),
            reason="空调维修",
        )
    )
    # M-2: the whole holiday Saturday 10-03, typed by a tenant who tries a formula.
    book(m2, "2026-10-03", "08:00", "2026-10-03", "22:00", title=HYPERLINK, company=plus86)
    # H-1: the make-up Saturday is open (3 h); holiday Monday 10-05 is closed (0 h, 1 booking).
    book(hall, "2026-10-10", "09:00", "2026-10-10", "12:00")
    book(hall, "2026-10-05", "10:00", "2026-10-05", "12:00")
    # N-1: across midnight (23:00–23:45 + 00:00–01:00) and across the month end.
    book(n1, "2026-10-15", "23:00", "2026-10-16", "01:00")
    book(n1, "2026-10-31", "22:00", "2026-11-01", "02:00")
    db.session.flush()
    return b


def row(period: tuple[str, str], zone: str, space: str, open_h, booked, pct, n, cancelled, no):
    first, last = period
    names = {"MTG": "座谈会议室", "HALL": "多功能路演厅", "NIGHT": "通宵区"}
    space_names = {"M-1": "一号会议室", "M-2": "二号会议室", "H-1": "路演厅", "N-1": "夜间会议室"}
    return UtilizationRow(
        period_start=date.fromisoformat(first),
        period_end=date.fromisoformat(last),
        zone_code=zone,
        zone_name=names[zone],
        space_code=space,
        space_name=space_names.get(space, ""),
        open_hours=open_h,
        booked_hours=booked,
        utilization_pct=pct,
        bookings=n,
        cancelled=cancelled,
        no_shows=no,
    )


OCTOBER = ("2026-10-01", "2026-10-31")
NOVEMBER = ("2026-11-01", "2026-11-30")


def test_utilization_by_month_and_space(building) -> None:
    rows = list(utilization_rows(date(2026, 10, 1), date(2026, 11, 30), "month", now=NOW))
    assert rows == [
        # 31 × 14 = 434 h, minus the 3 h closure = 431; 4 / 431 = 0.93 %.
        # Bookings: checked in, over the closure, the no-show, before opening (cancelled apart).
        row(OCTOBER, "MTG", "M-1", 431.0, 4.0, 0.9, 4, 1, 1),
        # 14 / 434 = 3.23 %.
        row(OCTOBER, "MTG", "M-2", 434.0, 14.0, 3.2, 1, 0, 0),
        # 18 working days × 12.5 = 225 h; 3 / 225 = 1.33 %; the holiday booking counts, 0 h.
        row(OCTOBER, "HALL", "H-1", 225.0, 3.0, 1.3, 2, 0, 0),
        # 31 × 23.75 = 736.25 h; 0.75 + 1 (10-15/16) + 1.75 (10-31 22:00–23:45) = 3.5 h;
        # 3.5 / 736.25 = 0.48 %.
        row(OCTOBER, "NIGHT", "N-1", 736.25, 3.5, 0.5, 2, 0, 0),
        row(NOVEMBER, "MTG", "M-1", 420.0, 0.0, 0.0, 0, 0, 0),  # 30 × 14
        row(NOVEMBER, "MTG", "M-2", 420.0, 0.0, 0.0, 0, 0, 0),
        row(NOVEMBER, "HALL", "H-1", 262.5, 0.0, 0.0, 0, 0, 0),  # 21 × 12.5
        # 30 × 23.75 = 712.5 h; 11-01 00:00–02:00 = 2 h; 2 / 712.5 = 0.28 %.
        row(NOVEMBER, "NIGHT", "N-1", 712.5, 2.0, 0.3, 1, 0, 0),
    ]


def test_utilization_by_zone(building) -> None:
    rows = list(utilization_rows(*OCT, "month", "zone", now=NOW))
    assert rows == [
        # 431 + 434 = 865 h; 4 + 14 = 18 h; 18 / 865 = 2.08 %.
        row(OCTOBER, "MTG", "", 865.0, 18.0, 2.1, 5, 1, 1),
        row(OCTOBER, "HALL", "", 225.0, 3.0, 1.3, 2, 0, 0),
        row(OCTOBER, "NIGHT", "", 736.25, 3.5, 0.5, 2, 0, 0),
    ]


def test_utilization_by_day_splits_at_midnight_and_follows_the_calendar(building) -> None:
    rows = {
        (r.period_start.isoformat(), r.space_code): r
        for r in utilization_rows(date(2026, 10, 5), date(2026, 10, 16), "day", now=NOW)
    }
    assert len(rows) == 12 * 4
    # Holiday Monday: the working-days-only hall is closed, its booking counts but adds 0 h.
    assert rows["2026-10-05", "H-1"] == row(
        ("2026-10-05",) * 2, "HALL", "H-1", 0.0, 0.0, 0.0, 1, 0, 0
    )
    # Make-up Saturday 10-10: open 12.5 h, booked 3 h = 24 %.
    assert rows["2026-10-10", "H-1"] == row(
        ("2026-10-10",) * 2, "HALL", "H-1", 12.5, 3.0, 24.0, 1, 0, 0
    )
    # A plain Sunday: closed.
    assert rows["2026-10-11", "H-1"].open_hours == 0.0
    # M-1 on 10-12: 14 − 3 h closure = 11 h open; 11:00–13:00 minus the closure = 1 h = 9.1 %.
    assert rows["2026-10-12", "M-1"] == row(
        ("2026-10-12",) * 2, "MTG", "M-1", 11.0, 1.0, 9.1, 1, 0, 0
    )
    # 23:00–01:00 split: 23:00–23:45 on 10-15 (0.75 / 23.75 = 3.16 %), 00:00–01:00 on 10-16
    # (1 / 23.75 = 4.21 %); the booking counts on both days.
    assert rows["2026-10-15", "N-1"] == row(
        ("2026-10-15",) * 2, "NIGHT", "N-1", 23.75, 0.75, 3.2, 1, 0, 0
    )
    assert rows["2026-10-16", "N-1"] == row(
        ("2026-10-16",) * 2, "NIGHT", "N-1", 23.75, 1.0, 4.2, 1, 0, 0
    )
    # The no-show of 10-14 is counted as a booking and a no-show, never as booked time.
    assert rows["2026-10-14", "M-1"] == row(
        ("2026-10-14",) * 2, "MTG", "M-1", 14.0, 0.0, 0.0, 1, 0, 1
    )


def test_utilization_by_week(building) -> None:
    rows = {
        (r.period_start.isoformat(), r.space_code): r
        for r in utilization_rows(*OCT, "week", now=NOW)
    }
    # Week 10-05..10-11: the hall is open 10-08, 10-09 and 10-10 = 3 × 12.5 = 37.5 h;
    # 3 h booked = 8 %; two bookings (the make-up Saturday and the holiday Monday).
    assert rows["2026-10-05", "H-1"] == row(
        ("2026-10-05", "2026-10-11"), "HALL", "H-1", 37.5, 3.0, 8.0, 2, 0, 0
    )
    # Week 10-12..10-18 for M-1: 7 × 14 − 3 = 95 h; 1 h booked (cancelled and no-show apart);
    # 1 / 95 = 1.05 %.
    assert rows["2026-10-12", "M-1"] == row(
        ("2026-10-12", "2026-10-18"), "MTG", "M-1", 95.0, 1.0, 1.1, 2, 1, 1
    )
    # The last week is clipped to the range: Monday 10-26 to Saturday 10-31 (6 × 14 h).
    assert rows["2026-10-26", "M-2"].period_end == date(2026, 10, 31)
    assert rows["2026-10-26", "M-2"].open_hours == 84.0


def test_an_inactive_space_appears_only_when_booked(building) -> None:
    building.m2.active = False
    db.session.flush()
    codes = {r.space_code for r in utilization_rows(*OCT, now=NOW)}
    assert codes == {"M-1", "M-2", "H-1", "N-1"}  # M-2 booked in October; M-3 never
    codes = {r.space_code for r in utilization_rows(date(2026, 11, 1), date(2026, 11, 30))}
    assert codes == {"M-1", "H-1", "N-1"}


def test_an_event_area_counts_its_halves_once_in_the_zone(app) -> None:
    zone = make_zone(code="EVT", name="活动区")
    area = {"kind": SpaceKind.EVENT_AREA, "zone": zone}
    whole = make_space(code="E-A", **area)
    east = make_space(code="E-A1", parent=whole, **area)
    make_space(code="E-A2", parent=whole, **area)
    user = make_user()
    insert_booking(
        whole, user.company, user, local("2026-10-08", "10:00"), local("2026-10-08", "12:00")
    )
    insert_booking(
        east, user.company, user, local("2026-10-09", "10:00"), local("2026-10-09", "11:00")
    )
    (zone_row,) = utilization_rows(date(2026, 10, 8), date(2026, 10, 9), "month", "zone", now=NOW)
    # Two halves × 2 days × 14 h = 56 h open (the whole is not counted a third time);
    # the whole's 2 h hold both halves (4 h) + the east half's 1 h = 5 h; 5 / 56 = 8.9 %.
    assert (zone_row.open_hours, zone_row.booked_hours) == (56.0, 5.0)
    assert (zone_row.utilization_pct, zone_row.bookings) == (8.9, 2)


def test_a_year_by_day_streams_a_month_at_a_time(building) -> None:
    rows = utilization_rows(date(2026, 1, 1), date(2026, 12, 31), "day", now=NOW)
    with recorded_statements() as statements:
        first_day = [next(rows) for _space in range(4)]
        reads = sum(window_read(s) for s in statements)
        rest = sum(1 for _row in rows)
    assert first_day[0].period_start == date(2026, 1, 1)
    # The first day's rows come after reading one month's bookings, not a year's; the year
    # takes one read per month, not one per day.
    assert reads == 1
    assert rest == 365 * 4 - 4
    assert sum(window_read(s) for s in statements) == math.ceil(365 / reports.BATCH_DAYS)


def window_read(statement: str) -> bool:
    """Whether the statement reads the bookings of one window (bounded below by start_at)."""
    return "bookings.start_at >=" in statement


def test_the_window_query_reads_a_bounded_range_of_the_index(building) -> None:
    from tests.services.test_query_plans import plan

    query = reports.bookings_overlapping(
        [building.m1.id, building.m2.id],
        (local("2026-10-12"), local("2026-10-13")),
        timedelta(hours=4),
    )
    text = plan(query)
    # Either index on (…, start_at) will do, as long as start_at is bounded on both sides.
    if db.engine.dialect.name == "postgresql":
        conditions = [line for line in text.splitlines() if "Index Cond" in line]
        assert "Seq Scan" not in text, text
        assert any("start_at >=" in c and "start_at <" in c for c in conditions), text
    else:
        assert "SCAN bookings" not in text and "start_at>? AND start_at<?" in text, text


@pytest.mark.parametrize(
    ("start", "end", "period", "expected"),
    [
        ("2026-10-30", "2026-11-02", "day", [("2026-10-30",) * 2, ("2026-10-31",) * 2,
                                            ("2026-11-01",) * 2, ("2026-11-02",) * 2]),
        # Thursday to the next Wednesday: clipped ISO weeks.
        ("2026-10-01", "2026-10-07", "week", [("2026-10-01", "2026-10-04"),
                                             ("2026-10-05", "2026-10-07")]),
        ("2026-12-28", "2027-01-03", "week", [("2026-12-28", "2027-01-03")]),  # ISO week 53
        ("2026-01-15", "2026-03-10", "month", [("2026-01-15", "2026-01-31"),
                                              ("2026-02-01", "2026-02-28"),
                                              ("2026-03-01", "2026-03-10")]),
        ("2028-02-01", "2028-02-29", "month", [("2028-02-01", "2028-02-29")]),  # leap year
        ("2026-10-10", "2026-10-10", "month", [("2026-10-10", "2026-10-10")]),
    ],
)  # fmt: skip
def test_periods_cover_the_range_clipped(start, end, period, expected) -> None:
    found = periods(date.fromisoformat(start), date.fromisoformat(end), period)
    assert [(a.isoformat(), b.isoformat()) for a, b in found] == [tuple(p) for p in expected]


@pytest.mark.parametrize(("period", "start", "end"), [("year", 1, 2), ("day", 2, 1)])
def test_periods_refuse_unknown_periods_and_reversed_ranges(period, start, end) -> None:
    with pytest.raises(ValueError):
        periods(date(2026, 10, start), date(2026, 10, end), period)


def test_area_occupancy_prorates_leases_by_day(app) -> None:
    inc = make_zone(code="INC", name="孵化空间", sort_order=1)
    seed = make_zone(code="SEED", name="创业苗圃", sort_order=2)
    make_zone(code="MTG", name="座谈会议室", sort_order=0)  # no leasable space: no row
    a, b, team = make_company(), make_company(), make_company()
    o1 = make_space(code="O-1", kind=SpaceKind.OFFICE, zone=inc, area_m2=40)
    o2 = make_space(code="O-2", kind=SpaceKind.OFFICE, zone=inc, area_m2=60)
    make_space(code="O-3", kind=SpaceKind.OFFICE, zone=inc, area_m2=30)  # never leased
    d1 = make_space(code="D-1", kind=SpaceKind.DESK, zone=seed, area_m2=6)
    d2 = make_space(code="D-2", kind=SpaceKind.DESK, zone=seed, area_m2=6)
    make_lease(space=o1, company=a, starts_on=date(2026, 10, 16))  # open-ended
    make_lease(space=o2, company=b, starts_on=date(2026, 1, 1), ends_on=date(2026, 10, 10))
    make_lease(space=d1, company=team, starts_on=date(2026, 9, 1), ends_on=date(2026, 12, 31))
    make_lease(space=d2, company=team, starts_on=date(2026, 10, 1), ends_on=date(2026, 10, 31))
    rows = list(area_occupancy_rows(date(2026, 10, 1), date(2026, 11, 30)))
    oct_, nov = ("2026-10-01", "2026-10-31"), ("2026-11-01", "2026-11-30")

    def area(period, zone, name, leasable, leased, pct, units, leased_units, companies):
        return AreaOccupancyRow(
            date.fromisoformat(period[0]),
            date.fromisoformat(period[1]),
            zone,
            name,
            leasable,
            leased,
            pct,
            units,
            leased_units,
            companies,
        )

    assert rows == [
        # 40 × 16/31 (10-16..10-31) + 60 × 10/31 (10-01..10-10) = 1240/31 = 40 m² of 130
        # = 30.8 %.
        area(oct_, "INC", "孵化空间", 130.0, 40.0, 30.8, 3, 2, 2),
        # Both desks all month, one company.
        area(oct_, "SEED", "创业苗圃", 12.0, 12.0, 100.0, 2, 2, 1),
        area(nov, "INC", "孵化空间", 130.0, 40.0, 30.8, 3, 1, 1),
        area(nov, "SEED", "创业苗圃", 12.0, 6.0, 50.0, 2, 1, 1),
    ]
    # A range clipped to 10-01..10-15: only O-2, 10 of the 15 days: 60 × 10/15 = 40 m².
    first_half = next(area_occupancy_rows(date(2026, 10, 1), date(2026, 10, 15)))
    assert (first_half.leased_m2, first_half.units_leased) == (40.0, 1)
    # 10-16..10-31: O-1 all 16 days = 40 m²; O-2 none.
    second_half = next(area_occupancy_rows(date(2026, 10, 16), date(2026, 10, 31)))
    assert (second_half.leased_m2, second_half.companies) == (40.0, 1)
    # O-1 alone in October: 40 × 16/31 = 20.645… = 20.65 m² of 130 − 60 = 70 m² = 29.5 %.
    o2.area_m2 = 0
    db.session.flush()
    october = next(area_occupancy_rows(*OCT))
    assert (october.leasable_m2, october.leased_m2, october.occupancy_pct) == (
        70.0,
        20.65,
        29.5,
    )


def test_booking_rows(building) -> None:
    rows = list(booking_rows(*OCT))
    assert [r.start for r in rows] == sorted(r.start for r in rows)
    assert len(rows) == 10  # every status, the month-end one included
    first = rows[0]
    assert first == BookingRow(
        id=first.id,
        zone_code="MTG",
        space_code="M-2",
        space_name="二号会议室",
        company="+86 乐山",
        user="张三",
        title=HYPERLINK,
        start=datetime(2026, 10, 3, 8, 0, tzinfo=LOCAL),
        end=datetime(2026, 10, 3, 22, 0, tzinfo=LOCAL),
        status="confirmed",
        checked_in="",
    )
    # The CSV writes them as API.md says: local ISO 8601 with the offset.
    (_header, csv_line) = read_csv("".join(csv_stream(BOOKING_COLUMNS, rows[:1])))
    assert csv_line[7:9] == ["2026-10-03T08:00:00+08:00", "2026-10-03T22:00:00+08:00"]
    checked = [r for r in rows if r.checked_in]
    assert [(r.space_code, r.checked_in) for r in checked] == [("M-1", "yes")]
    cancelled = list(booking_rows(*OCT, status=BookingStatus.CANCELLED))
    assert [r.start.isoformat() for r in cancelled] == ["2026-10-13T14:00:00+08:00"]
    mine = list(booking_rows(*OCT, company_id=building.plus86.id))
    assert [r.title for r in mine] == [HYPERLINK]
    # 11-01 alone still shows the booking that began on 10-31.
    assert [r.start for r in booking_rows(date(2026, 11, 1), date(2026, 11, 1))] == [
        datetime(2026, 10, 31, 22, 0, tzinfo=LOCAL)
    ]


def read_csv(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def test_csv_has_a_bom_crlf_and_inert_formulas(building) -> None:
    text = "".join(csv_stream(BOOKING_COLUMNS, booking_rows(*OCT)))
    assert text.count("\r\n") == 11 and "\n" not in text.replace("\r\n", "")
    header, first, *_rest = read_csv(text)
    assert header == BOOKING_COLUMNS
    assert first[4] == "'+86 乐山"
    assert first[6] == "'" + HYPERLINK


def test_csv_numbers_stay_numbers(building) -> None:
    text = "".join(csv_stream(UTILIZATION_COLUMNS, utilization_rows(*OCT, now=NOW)))
    header, m1, *_rest = read_csv(text)
    assert header == UTILIZATION_COLUMNS
    assert m1 == ["2026-10-01", "2026-10-31", "MTG", "座谈会议室", "M-1", "一号会议室",
                  "431.0", "4.0", "0.9", "4", "1", "1"]  # fmt: skip
    rows = [
        SimpleNamespace(a=-3.5, b=-2, c="-2", d="@sum", e="\tx", f="\rx", g=None),
    ]
    (_header, line) = read_csv("".join(csv_stream(list("abcdefg"), rows)))
    assert line == ["-3.5", "-2", "'-2", "'@sum", "'\tx", "'\rx", ""]


def test_xlsx_is_typed_with_a_frozen_bold_header(building) -> None:
    data = xlsx_bytes(UTILIZATION_COLUMNS, utilization_rows(*OCT, now=NOW), "会议室使用率-2026-10")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.title == "会议室使用率-2026-10"
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == UTILIZATION_COLUMNS
    assert sheet["A1"].font.b
    values = [c.value for c in sheet[2]]
    assert values[:2] == [datetime(2026, 10, 1), datetime(2026, 10, 31)]
    assert sheet["A2"].is_date and sheet["A2"].number_format == "yyyy-mm-dd"
    assert values[6:] == [431.0, 4.0, 0.9, 4, 1, 1]
    # Numbers are numbers (a whole float like 431.0 reads back as 431: Excel has one type).
    assert isinstance(values[8], float) and isinstance(values[9], int)
    assert sheet.max_row == 5


def test_xlsx_neutralises_text_but_not_numbers(building) -> None:
    rows = [replace(row, id=-7) for row in list(booking_rows(*OCT))[:1]]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(BOOKING_COLUMNS, rows, "预订明细"))).active
    values = {name: cell.value for name, cell in zip(BOOKING_COLUMNS, sheet[2], strict=True)}
    assert values["id"] == -7
    assert values["company"] == "'+86 乐山"
    assert values["title"] == "'" + HYPERLINK
    assert sheet["G2"].data_type == "s"  # text, never a formula


def test_content_disposition_carries_the_chinese_name() -> None:
    header = content_disposition("会议室使用率-2026-11.csv", "utilization-2026-11.csv")
    assert header == (
        'attachment; filename="utilization-2026-11.csv"; '
        "filename*=UTF-8''%E4%BC%9A%E8%AE%AE%E5%AE%A4%E4%BD%BF%E7%94%A8%E7%8E%87-2026-11.csv"
    )
    assert content_disposition('a"b\\会.csv').startswith('attachment; filename="a_b.csv"')


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        ("2026-11-01", "2026-11-30", "2026-11"),
        ("2026-01-01", "2026-12-31", "2026"),
        ("2026-11-05", "2026-11-05", "2026-11-05"),
        ("2026-10-16", "2026-11-15", "2026-10-16_2026-11-15"),
    ],
)
def test_file_names_carry_the_period(start, end, label) -> None:
    kind = report_rows.REPORTS["area-occupancy"]
    names = report_rows.report_filenames(
        kind, date.fromisoformat(start), date.fromisoformat(end), "csv"
    )
    assert names == (f"入驻率-{label}.csv", f"area-occupancy-{label}.csv")


def test_the_columns_are_those_of_the_contract() -> None:
    """API.md's column lists, in order: the rows' fields must not drift from them."""
    assert ",".join(UTILIZATION_COLUMNS) == (
        "period_start,period_end,zone_code,zone_name,space_code,space_name,open_hours,"
        "booked_hours,utilization_pct,bookings,cancelled,no_shows"
    )
    assert ",".join(BOOKING_COLUMNS) == (
        "id,zone_code,space_code,space_name,company,user,title,start,end,status,checked_in"
    )
    assert ",".join(AREA_OCCUPANCY_COLUMNS) == (
        "period_start,period_end,zone_code,zone_name,leasable_m2,leased_m2,occupancy_pct,"
        "units,units_leased,companies"
    )


def test_a_workbook_in_words_with_date_time_cells(building) -> None:
    rows = list(booking_rows(*OCT))[:1]
    rows[0] = replace(rows[0], checked_in="yes")
    wording = Wording(
        labels={"id": "预订编号", "start": "开始时间", "status": "状态", "checked_in": "已签到"},
        values={"status": {"confirmed": "已确认"}, "checked_in": {"yes": "是"}},
    )
    sheet = openpyxl.load_workbook(
        io.BytesIO(xlsx_bytes(BOOKING_COLUMNS, rows, "预订明细", wording))
    )
    sheet = sheet.active
    header = [cell.value for cell in sheet[1]]
    assert header[0] == "预订编号" and header[7] == "开始时间" and header[9:] == ["状态", "已签到"]
    assert header[1] == "zone_code"  # a column without a label keeps its name
    values = [cell.value for cell in sheet[2]]
    assert values[7:] == [datetime(2026, 10, 3, 8, 0), datetime(2026, 10, 3, 22, 0), "已确认", "是"]
    assert sheet["H2"].is_date and sheet["H2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["I2"].is_date
    # Without wording the codes stay, as the API's workbook has them.
    plain = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(BOOKING_COLUMNS, rows, "x"))).active
    assert [cell.value for cell in plain[1]] == BOOKING_COLUMNS
    assert [cell.value for cell in plain[2]][9:] == ["confirmed", "yes"]
    assert plain["H2"].is_date


@pytest.mark.parametrize("row_type", [UtilizationRow, AreaOccupancyRow, BookingRow])
def test_every_report_column_has_a_label_for_people(row_type) -> None:
    assert set(report_rows.labels(row_type)) == set(report_rows.columns(row_type))
