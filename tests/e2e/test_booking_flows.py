"""The booking journeys people make, in Chromium on a phone-sized screen, in Chinese.

1. A tenant books a meeting room for tomorrow from the day timeline, finds it under
   "我的预订" and cancels it.
2. A tenant requests the roadshow hall; a manager sees the badge and approves it; the tenant sees
   it confirmed.
3. Two tenants want the same slot: the second gets a clear conflict and keeps what was typed.
4. Switching to English changes the page and is remembered at the next sign-in.
"""

from datetime import time, timedelta

import pytest

from app.extensions import db
from app.models import Role, SpaceKind
from app.services.booking_rules import BookingRequest
from app.services.bookings import create_bookings
from app.services.localtime import local_datetime
from app.web import today_local
from tests.conftest import future_day
from tests.e2e.test_sign_in import no_sideways_scroll
from tests.fixtures.bookings import hall_zone
from tests.fixtures.factories import PASSWORD, make_company, make_space, make_user, make_zone


@pytest.fixture
def building(app):
    """A meeting-room zone with two rooms, the roadshow hall, two companies and a manager."""
    meeting = make_zone(code="MTG", name="座谈会议室", name_en="Meeting Rooms")
    room = make_space(
        kind=SpaceKind.MEETING_ROOM,
        zone=meeting,
        code="MTG-201",
        name="会议室 201",
        name_en="Meeting Room 201",
        capacity=12,
    )
    make_space(
        kind=SpaceKind.MEETING_ROOM, zone=meeting, code="MTG-202", name="会议室 202", capacity=8
    )
    hall = make_space(
        kind=SpaceKind.HALL,
        zone=hall_zone(code="RSH", name="多功能路演厅"),
        code="RSH-1",
        name="多功能路演厅",
        capacity=200,
        requires_approval=True,
    )
    huneng = make_user(
        role=Role.TENANT,
        email="tenant@hunengtech.example.cn",
        company=make_company(name="四川护能科技有限公司"),
    )
    yuecheng = make_user(
        role=Role.TENANT,
        email="li.na@yuecheng.example.cn",
        company=make_company(name="四川越成科技有限公司"),
    )
    manager = make_user(role=Role.MANAGER, email="manager@czg.example.cn", name="王敏")
    db.session.commit()
    ids = {"room": room.id, "hall": hall.id}
    emails = {"huneng": huneng.email, "yuecheng": yuecheng.email, "manager": manager.email}
    db.session.rollback()  # the server's requests write; the test keeps no snapshot open
    return ids, emails


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/auth/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_book_from_the_timeline_then_cancel(building, live_server, phone_page) -> None:
    ids, emails = building
    page = phone_page
    sign_in(page, live_server, emails["huneng"])
    tomorrow = today_local() + timedelta(days=1)
    page.goto(f"{live_server}/timeline?zone=MTG&date={tomorrow.isoformat()}")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert no_sideways_scroll(page)
    room = f'a[href*="space_id={ids["room"]}&"]'
    page.locator(f'{room}[href*="start=10:00"], {room}[href*="start=10%3A00"]').first.click()
    assert page.locator("#start").input_value() == "10:00"
    assert page.locator("#end").input_value() == "11:00"
    page.locator("#title").fill("产品评审会")
    page.locator("button[value=book]").click()
    page.wait_for_url(f"{live_server}/bookings/*")
    assert page.get_by_text("已确认").first.is_visible()

    page.get_by_role("link", name="我的预订").click()
    assert page.get_by_text("产品评审会").first.is_visible()
    page.locator("details summary").first.click()
    page.locator("button.danger").first.click()
    page.wait_for_load_state()
    assert page.get_by_text("已取消").first.is_visible()
    assert no_sideways_scroll(page)


def test_hall_request_is_approved_by_a_manager(building, live_server, browser, phone_page) -> None:
    ids, emails = building
    page = phone_page
    sign_in(page, live_server, emails["huneng"])
    day = future_day()
    page.goto(
        f"{live_server}/book?space_id={ids['hall']}&date={day.isoformat()}&start=14:00&end=16:00"
    )
    page.locator("#title").fill("新能源材料项目路演")
    page.locator("#attendees").fill("80")
    page.locator("button[value=book]").click()
    page.wait_for_url(f"{live_server}/bookings/*")
    booking_url = page.url
    assert page.get_by_text("待审批").first.is_visible()

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    manager = desk.new_page()
    sign_in(manager, live_server, emails["manager"])
    badge = manager.locator('nav a[href="/manage/approvals"] .badge.count')
    assert badge.inner_text().strip() == "1"
    badge.click()
    assert manager.get_by_text("新能源材料项目路演").first.is_visible()
    manager.locator("form.inline-decision button[value=approve]").first.click()
    manager.wait_for_load_state()
    assert manager.locator('nav a[href="/manage/approvals"] .badge.count').count() == 0
    desk.close()

    page.goto(booking_url)
    assert page.get_by_text("已确认").first.is_visible()


def test_second_tenant_gets_a_conflict_and_keeps_the_form(
    building, live_server, phone_page
) -> None:
    ids, emails = building
    tomorrow = today_local() + timedelta(days=1)
    from app.models import Space, User

    first = db.session.get(
        User, db.session.scalar(db.select(User.id).where(User.email == emails["huneng"]))
    )
    start = local_datetime(tomorrow, time(14))
    create_bookings(
        first,
        BookingRequest(
            space=db.session.get(Space, ids["room"]),
            company=first.company,
            title="护能周会",
            start=start,
            end=start + timedelta(hours=1),
        ),
    )
    db.session.commit()
    db.session.rollback()

    page = phone_page
    sign_in(page, live_server, emails["yuecheng"])
    page.goto(
        f"{live_server}/book?space_id={ids['room']}&date={tomorrow.isoformat()}"
        "&start=14:00&end=15:00"
    )
    page.locator("#title").fill("越成客户洽谈")
    page.locator("#attendees").fill("5")
    page.locator("button[value=book]").click()
    page.wait_for_load_state()
    alert = page.locator("#problems")
    assert alert.is_visible()
    assert "14:00" in alert.inner_text()
    assert "护能周会" not in page.content()  # another company's title stays private
    assert page.locator("#title").input_value() == "越成客户洽谈"
    assert page.locator("#attendees").input_value() == "5"
    assert page.locator("#start").input_value() == "14:00"
    assert no_sideways_scroll(page)


def test_english_is_remembered_at_the_next_sign_in(building, live_server, phone_page) -> None:
    _ids, emails = building
    page = phone_page
    sign_in(page, live_server, emails["yuecheng"])
    assert page.get_by_role("link", name="我的预订").is_visible()
    page.locator("form.lang button[value=en]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="My bookings").is_visible()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server}/auth/login")
    sign_in(page, live_server, emails["yuecheng"])
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="My bookings").is_visible()
