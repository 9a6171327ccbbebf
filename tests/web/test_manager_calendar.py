"""The managers' calendar of every company's bookings, by day or by week."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Booking, BookingStatus, Role, SpaceKind
from app.sqltypes import utcnow
from app.web import today_local
from tests.conftest import csrf_token, future_day
from tests.fixtures.bookings import (
    DAY,
    hall,
    hall_zone,
    insert_booking,
    local,
    make_booking,
    meeting_room,
    tenant,
)
from tests.fixtures.factories import make_company, make_space, make_zone
from tests.fixtures.queries import recorded_statements


@dataclass
class Bookings:
    huneng_company: int
    yuecheng_company: int
    room_meeting: int  # 护能, meeting room, confirmed
    hall_launch: int  # 越成, hall, pending


@pytest.fixture
def bookings(app) -> Bookings:
    room = meeting_room(code="MTG-201", zone=make_zone(code="MTG"))
    hall_space = hall(code="RSH-101", zone=hall_zone(code="RSH"))
    huneng = tenant(make_company(name="四川护能科技有限公司"))
    yuecheng = tenant(make_company(name="四川越成科技有限公司"))
    meeting = make_booking(space=room, actor=huneng, title="客户洽谈", start="10:00", end="11:00")
    launch = make_booking(
        space=hall_space, actor=yuecheng, title="产品发布会", start="14:00", end="16:00"
    )
    dropped = make_booking(
        space=room, actor=yuecheng, title="取消的周会", start="15:00", end="16:00"
    )
    dropped.status = BookingStatus.CANCELLED
    make_booking(space=room, actor=huneng, title="明天的培训", day=DAY + timedelta(days=1))
    db.session.commit()
    return Bookings(huneng.company_id, yuecheng.company_id, meeting.id, launch.id)


def _manager(signed_in):
    client, _user = signed_in(Role.MANAGER, locale="en")
    return client


def test_the_day_lists_every_company_s_bookings(signed_in, bookings) -> None:
    page = _manager(signed_in).get(f"/manage/calendar?date={DAY.isoformat()}")
    assert page.status_code == 200
    text = page.text
    assert "客户洽谈" in text and "四川护能科技有限公司" in text
    assert "产品发布会" in text and "四川越成科技有限公司" in text
    assert "10:00–11:00" in text and "14:00–16:00" in text
    assert "明天的培训" not in text  # another day
    assert "取消的周会" not in text  # only holding bookings by default
    assert "MTG-201" in text and "RSH-101" in text
    assert text.index("MTG-201") < text.index("客户洽谈")
    assert f'href="/bookings/{bookings.room_meeting}"' in text  # the booking's own page


def test_book_for_a_company_opens_the_form_with_company_and_day(signed_in, bookings) -> None:
    day = today_local() + timedelta(days=3)
    company = bookings.huneng_company
    text = _manager(signed_in).get(f"/manage/calendar?date={day}&company_id={company}").text
    assert f'href="/book?date={day.isoformat()}&amp;company_id={company}"' in text


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("zone=MTG", ["客户洽谈"], ["产品发布会"]),
        ("zone=RSH", ["产品发布会"], ["客户洽谈"]),
        ("company_id={yuecheng}", ["产品发布会"], ["客户洽谈"]),
        ("status=cancelled", ["取消的周会"], ["客户洽谈", "产品发布会"]),
        ("status=all", ["取消的周会", "客户洽谈", "产品发布会"], []),
        ("status=rejected", [], ["取消的周会", "客户洽谈", "产品发布会"]),
    ],
)
def test_filters(signed_in, bookings, query, shown, hidden) -> None:
    query = query.format(yuecheng=bookings.yuecheng_company)
    text = _manager(signed_in).get(f"/manage/calendar?date={DAY.isoformat()}&{query}").text
    for title in shown:
        assert title in text
    for title in hidden:
        assert title not in text


def test_the_week_shows_monday_to_sunday(signed_in, bookings) -> None:
    text = _manager(signed_in).get(f"/manage/calendar?date={DAY.isoformat()}&view=week").text
    days = re.findall(r'<h2 id="day-(\d{4}-\d{2}-\d{2})"', text)
    monday = DAY - timedelta(days=DAY.weekday())
    assert days == [(monday + timedelta(days=n)).isoformat() for n in range(7)]
    assert "客户洽谈" in text and "明天的培训" in text


def test_navigation_keeps_the_filters(signed_in, bookings) -> None:
    text = (
        _manager(signed_in).get(f"/manage/calendar?date={DAY.isoformat()}&view=week&zone=MTG").text
    )
    following = (DAY + timedelta(days=7)).isoformat()
    assert f'href="/manage/calendar?date={following}&amp;view=week&amp;zone=MTG' in text


def cancel_forms(page: str) -> set[int]:
    """The bookings the page offers to cancel."""
    return {int(found) for found in re.findall(r'action="/manage/bookings/(\d+)/cancel"', page)}


def test_cancelling_from_the_calendar(signed_in, bookings) -> None:
    day = future_day()
    room = db.session.get(Booking, bookings.room_meeting).space
    huneng = tenant(db.session.get(Booking, bookings.room_meeting).company)
    meeting = make_booking(space=room, actor=huneng, title="客户洽谈", day=day, now=utcnow())
    training = make_booking(
        space=room,
        actor=huneng,
        title="新员工培训",
        day=day,
        start="14:00",
        end="15:00",
        now=utcnow(),
    )
    db.session.commit()
    client = _manager(signed_in)
    here = f"/manage/calendar?date={day.isoformat()}"
    page = client.get(here)
    assert cancel_forms(page.text) == {meeting.id, training.id}
    response = client.post(
        f"/manage/bookings/{meeting.id}/cancel",
        data={"reason": "空调维修", "next": here, "csrf_token": csrf_token(page.text)},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == here
    db.session.rollback()
    booking = db.session.get(Booking, meeting.id)
    assert (booking.status, booking.reason) == (BookingStatus.CANCELLED, "空调维修")
    after = client.get(here).text
    assert "客户洽谈" not in after and "新员工培训" in after


def test_an_ended_booking_cannot_be_cancelled_one_in_progress_can(signed_in, app) -> None:
    room = meeting_room(code="MTG-301")
    huneng = tenant(make_company(name="四川护能科技有限公司"))
    now = utcnow()
    ended = insert_booking(
        room, huneng.company, huneng, now - timedelta(days=3, hours=1), now - timedelta(days=3)
    )
    ongoing = insert_booking(
        room, huneng.company, huneng, now - timedelta(minutes=30), now + timedelta(minutes=30)
    )
    ended_id, ongoing_id = ended.id, ongoing.id
    db.session.commit()
    client = _manager(signed_in)
    ended_day = (today_local() - timedelta(days=3)).isoformat()

    past_page = client.get(f"/manage/calendar?date={ended_day}").text
    assert f'href="/bookings/{ended_id}"' in past_page
    assert ended_id not in cancel_forms(past_page)
    assert ongoing_id in cancel_forms(client.get("/manage/calendar").text)

    refused = client.post(
        f"/manage/bookings/{ended_id}/cancel",
        data={"reason": "补录", "csrf_token": csrf_token(past_page)},
        follow_redirects=True,
    )
    assert "This booking has already ended; it cannot be cancelled." in refused.text
    db.session.rollback()
    assert db.session.get(Booking, ended_id).status == BookingStatus.CONFIRMED


def test_the_spaces_list_links_each_bookable_space_to_its_week(signed_in, bookings) -> None:
    text = _manager(signed_in).get("/manage/spaces?bookable=yes").text
    hall_id = db.session.scalar(
        sa.select(Booking.space_id).where(Booking.id == bookings.hall_launch)
    )
    assert f'href="/spaces/{hall_id}/week"' in text


def test_tenants_do_not_see_the_calendar(signed_in, bookings) -> None:
    client, _user = signed_in(Role.TENANT)
    assert client.get("/manage/calendar").status_code == 403


def test_the_company_page_lists_its_upcoming_bookings(signed_in) -> None:
    # Upcoming means after the real now: book well ahead of today.
    day = today_local() + timedelta(days=20)
    company = make_company(name="乐山晶硅新材料科技有限公司")
    user = tenant(company)
    insert_booking(
        meeting_room(code="MTG-301"),
        company,
        user,
        local(day, "10:00"),
        local(day, "11:00"),
        title="季度复盘",
    )
    db.session.commit()
    text = _manager(signed_in).get(f"/manage/companies/{company.id}").text
    assert "MTG-301 · 季度复盘" in text
    assert f"/manage/calendar?date={day.isoformat()}&amp;company_id={company.id}" in text


def test_a_busy_day_costs_the_same_queries_as_a_quiet_one(signed_in, app) -> None:
    quiet, busy = DAY, DAY + timedelta(days=1)
    zones = [make_zone(code=code) for code in ("MTG", "LNG", "RSH")]
    for day, count in ((quiet, 3), (busy, 20)):
        for n in range(count):
            space = make_space(
                kind=SpaceKind.MEETING_ROOM, zone=zones[n % 3], code=f"S-{day.day}-{n}"
            )
            user = tenant()
            insert_booking(
                space, user.company, user, local(day, "10:00"), local(day, "11:00"), title=f"会{n}"
            )
    db.session.commit()
    client = _manager(signed_in)

    def count(day: date) -> int:
        with recorded_statements() as statements:
            page = client.get(f"/manage/calendar?date={day.isoformat()}")
        assert page.status_code == 200
        assert "会2" in page.text
        return len(statements)

    count(quiet)  # reads the building's reference data into memory, once
    few = count(quiet)
    many = count(busy)
    assert many == few
