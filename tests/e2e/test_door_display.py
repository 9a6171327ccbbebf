"""The door display outside a room, and the manager's calendar after a meeting, in Chromium at
375 px, in Chinese.

1. The tablet shows the meeting under way and a QR code; the code's address, opened on the
   tenant's phone, signs in and checks in; the tablet then shows no code.
2. On the manager's calendar a meeting that has ended offers no cancellation; one under way does.
"""

import re
from datetime import time, timedelta

import pytest

from app.extensions import db
from app.models import Role, SpaceKind
from app.render.qr import qr_svg
from app.services import door_displays
from app.services.localtime import to_local
from app.sqltypes import utcnow
from tests.e2e.test_booking_flows import sign_in
from tests.e2e.test_sign_in import no_sideways_scroll
from tests.fixtures.bookings import insert_booking
from tests.fixtures.factories import PASSWORD, make_company, make_space, make_user, make_zone


@pytest.fixture
def room(app):
    """MTG-201, open all day, with a meeting that began five minutes ago and waits for its
    check-in, one later, and one that ended two hours ago; the display's key."""
    zone = make_zone(code="MTG", name="座谈会议室", opens_at=time(0, 0), closes_at=time(23, 59))
    space = make_space(
        kind=SpaceKind.MEETING_ROOM, zone=zone, code="MTG-201", name="会议室 201", capacity=12
    )
    tenant = make_user(
        role=Role.TENANT,
        email="tenant@hunengtech.example.cn",
        company=make_company(name="四川护能科技有限公司"),
    )
    manager = make_user(role=Role.MANAGER, email="manager@czg.example.cn", name="王敏")
    start = utcnow().replace(second=0, microsecond=0) - timedelta(minutes=5)
    company = tenant.company

    def meeting(begins, title):
        return insert_booking(
            space,
            company,
            tenant,
            begins,
            begins + timedelta(hours=1),
            title=title,
            requires_check_in=True,
            created_at=start - timedelta(days=1),
        )

    now_meeting = meeting(start, "客户洽谈")
    later = meeting(start + timedelta(hours=2), "项目周会")
    ended = meeting(start - timedelta(hours=3), "早间例会")
    ended.checked_in_at = ended.start_at
    key = door_displays.issue_display(manager, space)
    db.session.commit()
    values = {
        "key": key,
        "booking": now_meeting.id,
        "ended": ended.id,
        "start": to_local(now_meeting.start_at),
        "later": to_local(later.start_at),
        "ended_day": to_local(ended.start_at).date(),
        "tenant": tenant.email,
        "manager": manager.email,
    }
    db.session.rollback()  # the server's requests write; the test keeps no snapshot open
    return values


def test_the_door_display_offers_check_in_on_the_tenants_phone(
    app, room, live_server, browser, phone_page
) -> None:
    app.config["PUBLIC_URL"] = live_server  # where phones reach the app
    try:
        tablet_context = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN")
        tablet = tablet_context.new_page()
        tablet.goto(f"{live_server}/display/MTG-201?key={room['key']}")
        assert tablet.locator("h2.door-state").inner_text() == "使用中"
        now_line = tablet.locator(".door-now .door-booking").inner_text()
        assert now_line.startswith(f"{room['start']:%H:%M}–") and "已预订" in now_line
        assert f"{room['later']:%H:%M}–" in tablet.locator(".door-next").inner_text()
        assert "客户洽谈" not in tablet.content()  # nobody's titles on the door
        assert tablet.locator("svg.qr").is_visible()
        assert no_sideways_scroll(tablet)
        tablet.screenshot(path="test-artifacts/door-display-375.png", full_page=True)

        # The code is the booking's page under PUBLIC_URL: the same drawing, byte for byte.
        check_in_url = f"{live_server}/bookings/{room['booking']}"
        drawn = re.sub(r"\s+", " ", tablet.locator("svg.qr").evaluate("e => e.outerHTML"))
        expected = re.sub(r"\s+", " ", str(qr_svg(check_in_url, "二维码：为本场预订签到")))
        assert drawn.replace('"/>', '"></path>') == expected.replace('"/>', '"></path>')

        phone = phone_page
        phone.goto(check_in_url)
        assert "/auth/login" in phone.url  # the tenant signs in on the phone first
        phone.locator("#email").fill(room["tenant"])
        phone.locator("#password").fill(PASSWORD)
        phone.locator("main form button[type=submit]").click()
        phone.wait_for_url(check_in_url)
        phone.get_by_role("button", name="签到").click()
        phone.wait_for_load_state()
        assert phone.get_by_text("已在 MTG-201 签到，祝会议顺利。").is_visible()
        assert phone.get_by_role("button", name="签到").count() == 0

        tablet.reload()
        assert tablet.locator("h2.door-state").inner_text() == "使用中"
        assert tablet.locator("svg.qr").count() == 0
        tablet_context.close()
    finally:
        app.config["PUBLIC_URL"] = ""


def test_the_manager_cannot_cancel_a_meeting_that_has_ended(room, live_server, phone_page) -> None:
    page = phone_page
    sign_in(page, live_server, room["manager"])
    page.goto(f"{live_server}/manage/calendar?date={room['ended_day'].isoformat()}")
    ended = page.locator("li.cal-booking", has_text="早间例会")
    assert ended.is_visible()
    assert ended.locator("details.cal-cancel").count() == 0
    assert ended.get_by_text("填写原因并取消").count() == 0
    page.goto(f"{live_server}/manage/calendar?date={room['start'].date().isoformat()}")
    ongoing = page.locator("li.cal-booking", has_text="客户洽谈")
    ongoing.locator("details.cal-cancel summary").click()
    assert ongoing.locator("input[name=reason]").is_visible()
    assert no_sideways_scroll(page)
