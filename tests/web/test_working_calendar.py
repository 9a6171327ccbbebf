"""Managers see a year of the working calendar, declare make-up days and days off."""

from datetime import date, time

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Booking, BookingStatus, CalendarDay, Closure, Role, SpaceKind
from app.services import workdays
from app.services.localtime import local_datetime
from app.services.workdays import DayKind
from tests.conftest import csrf_token
from tests.fixtures.bookings import insert_booking
from tests.fixtures.factories import make_company, make_space, make_user, make_zone


@pytest.fixture
def manager_client(signed_in):
    client, _manager = signed_in(Role.MANAGER)
    return client


def declare(client, day: str, working: bool, name: str = "", provisional: bool = False):
    page = client.get(f"/manage/working-calendar?year={day[:4]}")
    data = {"day": day, "working": "1" if working else "0", "name": name}
    if provisional:
        data["provisional"] = "y"
    response = client.post(
        "/manage/working-calendar", data={**data, "csrf_token": csrf_token(page.text)}
    )
    db.session.rollback()
    return response


def test_a_year_not_yet_published_shows_the_statutory_days_as_provisional(manager_client) -> None:
    page = manager_client.get("/manage/working-calendar?year=2027")
    assert page.status_code == 200
    assert "工作日历 2027" in page.text
    assert "2027 年的官方放假安排尚未收录" in page.text
    new_year = page.text.split('href="/manage/working-calendar/2027-01-01"')[0].rsplit("<a", 1)[1]
    assert "holiday" in new_year and "provisional" in new_year
    spring = page.text.split('href="/manage/working-calendar/2027-02-08"')[0].rsplit("<a", 1)[1]
    assert "holiday" in spring


def test_a_published_year_marks_holidays_and_make_up_days(manager_client) -> None:
    page = manager_client.get("/manage/working-calendar?year=2026")
    assert "官方放假安排尚未收录" not in page.text
    make_up = page.text.split('href="/manage/working-calendar/2026-10-10"')[0].rsplit("<a", 1)[1]
    assert "makeup" in make_up and "provisional" not in make_up
    assert 'aria-label="2026-10-01 节假日 国庆节"' in page.text


def test_declaring_a_make_up_saturday_opens_it(app, manager_client) -> None:
    response = declare(manager_client, "2027-02-20", working=True, name="春节调休上班")
    assert response.status_code == 302
    assert response.headers["Location"] == "/manage/working-calendar/2027-02-20"
    day = manager_client.get(response.headers["Location"])
    assert "调休上班日" in day.text and "管理人员设定" in day.text
    assert "撤销设定" in day.text
    assert workdays.day_info(date(2027, 2, 20)).kind is DayKind.MAKEUP
    year = manager_client.get("/manage/working-calendar?year=2027")
    assert "2027 年已设定的日期（1）" in year.text
    assert "2027 年的官方放假安排尚未收录。" not in year.text  # the warning: somebody is on it
    assert "此处已设定 1 天" in year.text


def test_withdrawing_a_declaration_returns_the_day_to_the_calendar(app, manager_client) -> None:
    declare(manager_client, "2027-02-20", working=True, name="春节调休上班")
    page = manager_client.get("/manage/working-calendar/2027-02-20")
    response = manager_client.post(
        "/manage/working-calendar/2027-02-20/withdraw", data={"csrf_token": csrf_token(page.text)}
    )
    assert response.status_code == 302
    db.session.rollback()
    assert db.session.get(CalendarDay, date(2027, 2, 20)) is None
    assert "这一天已恢复为官方日历" in manager_client.get(response.headers["Location"]).text


def test_a_day_off_without_a_name_is_refused_beside_the_field(app, manager_client) -> None:
    response = declare(manager_client, "2026-12-02", working=False)
    assert response.status_code == 200
    assert 'id="name-error"' in response.text
    assert "请填写休息日的名称" in response.text
    assert 'value="2026-12-02"' in response.text  # what was typed stays
    assert db.session.get(CalendarDay, date(2026, 12, 2)) is None


def test_a_declared_day_off_lists_the_hall_bookings_it_affects(app, manager_client) -> None:
    zone = make_zone(code="RSH", working_days_only=True, opens_at=time(8, 30))
    hall = make_space(kind=SpaceKind.HALL, zone=zone, code="RSH-A", requires_approval=True)
    room = make_space(kind=SpaceKind.MEETING_ROOM, code="MTG-1")
    company = make_company(name="四川越成科技有限公司")
    user = make_user(company=company)
    day = date(2026, 12, 2)
    start, end = local_datetime(day, time(14)), local_datetime(day, time(16))
    in_hall = insert_booking(hall, company, user, start, end, BookingStatus.CONFIRMED, title="路演")
    insert_booking(room, company, user, start, end, BookingStatus.CONFIRMED, title="例会")
    db.session.commit()
    hall_booking = in_hall.id

    response = declare(manager_client, "2026-12-02", working=False, name="设备检修")
    page = manager_client.get(response.headers["Location"])
    assert "这一休息日的预订（1）" in page.text
    assert "RSH-A" in page.text and "四川越成科技有限公司" in page.text
    assert "MTG-1" not in page.text  # the meeting rooms open every day
    cancel = manager_client.post(
        f"/manage/bookings/{hall_booking}/cancel",
        data={
            "reason": "设备检修",
            "next": "/manage/working-calendar/2026-12-02",
            "csrf_token": csrf_token(page.text),
        },
    )
    assert cancel.headers["Location"] == "/manage/working-calendar/2026-12-02"
    db.session.rollback()
    booking = db.session.get(Booking, hall_booking)
    assert booking is not None and booking.status is BookingStatus.CANCELLED


def test_tenants_cannot_open_the_working_calendar(signed_in) -> None:
    client, _tenant = signed_in(Role.TENANT, company=make_company())
    assert client.get("/manage/working-calendar").status_code == 403
    assert client.get("/manage/working-calendar/2027-02-20").status_code == 403


def test_importing_a_year_not_yet_published_says_what_it_could_not_know(
    app, manager_client
) -> None:
    page = manager_client.get("/manage/closures")
    response = manager_client.post(
        "/manage/closures/import",
        data={"year": "2027", "csrf_token": csrf_token(page.text)},
        follow_redirects=True,
    )
    db.session.rollback()
    reasons = set(db.session.scalars(sa.select(Closure.reason)))
    assert {"元旦", "春节", "劳动节", "国庆节"} <= reasons
    assert f"已新增 {len(reasons)} 个节假日关闭时段" in response.text
    assert "2027 年的官方放假安排尚未收录到日历库" in response.text


@pytest.mark.parametrize(
    ("today", "years"),
    [
        (date(2026, 5, 1), []),
        (date(2026, 11, 26), [2027]),
        (date(2027, 1, 1), [2027]),
        (date(2027, 10, 1), [2027, 2028]),
    ],
)
def test_which_years_managers_are_told_to_confirm(app, today, years) -> None:
    assert [status.year for status in workdays.years_to_confirm(today)] == years


def test_a_declaration_in_the_year_ends_the_reminder(app) -> None:
    workdays.set_day(None, date(2027, 2, 20), working=True, name="春节调休上班")
    db.session.commit()
    assert workdays.years_to_confirm(date(2026, 11, 26)) == []
