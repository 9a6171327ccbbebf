"""The door display of a room: a secret address, now / next / free until, the check-in code."""

import re

import pytest
from flask import Flask

from app.extensions import db, limiter
from app.models import Booking, Role
from app.render.qr import qr_svg
from app.services import door_displays
from tests.conftest import csrf_token
from tests.fixtures.bookings import DAY, insert_booking, local, meeting_room
from tests.fixtures.factories import make_company, make_space, make_user

PUBLIC_URL = "https://czg.example.cn"


@pytest.fixture
def room(app: Flask, monkeypatch):
    """MTG-201 at 10:05 on DAY: a meeting under way that waits for its check-in, one at 11:30
    of another company, and the room's display key."""
    monkeypatch.setattr("app.services.door_displays.utcnow", lambda: local(DAY, "10:05"))
    app.config["PUBLIC_URL"] = PUBLIC_URL
    space = meeting_room(code="MTG-201", name="二〇一会议室")
    huneng = make_user(role=Role.TENANT, company=make_company(name="四川护能科技有限公司"))
    yuecheng = make_user(role=Role.TENANT, company=make_company(name="四川越成科技有限公司"))
    now_meeting = insert_booking(
        space,
        huneng.company,
        huneng,
        local(DAY, "10:00"),
        local(DAY, "11:00"),
        title="客户洽谈",
        requires_check_in=True,
    )
    insert_booking(
        space, yuecheng.company, yuecheng, local(DAY, "11:30"), local(DAY, "12:00"), title="周会"
    )
    key = door_displays.issue_display(make_user(role=Role.MANAGER), space)
    db.session.commit()
    yield {"space": space, "key": key, "booking": now_meeting}
    app.config["PUBLIC_URL"] = ""


def _svg(page: str) -> str:
    return re.search(r"<svg .*?</svg>", page, re.S).group(0)


def test_the_display_shows_now_next_and_free_from(client, room) -> None:
    page = client.get(f"/display/MTG-201?key={room['key']}")
    assert page.status_code == 200
    text = page.text
    assert "MTG-201" in text and "二〇一会议室" in text
    assert "使用中" in text
    assert "10:00–11:00</span> 已预订" in text
    assert "11:00 起空闲" in text
    assert "下一场" in text and "11:30–12:00</span> 已预订" in text
    # Nobody signed in: no booking's title or company, as for another company on the timeline.
    for private in ("客户洽谈", "周会", "四川护能科技有限公司", "四川越成科技有限公司"):
        assert private not in text
    assert '<meta http-equiv="refresh" content="60">' in text
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"


def test_the_qr_code_opens_the_bookings_check_in_page_under_the_public_url(client, room) -> None:
    text = client.get(f"/display/MTG-201?key={room['key']}").text
    expected = f"{PUBLIC_URL}/bookings/{room['booking'].id}"
    assert _svg(text) == str(qr_svg(expected, "二维码：为本场预订签到"))
    assert "用手机扫码签到" in text


def test_no_code_once_checked_in(client, room) -> None:
    booking = db.session.get(Booking, room["booking"].id)
    booking.checked_in_at = local(DAY, "10:01")
    db.session.commit()
    text = client.get(f"/display/MTG-201?key={room['key']}").text
    assert "<svg" not in text and "使用中" in text


@pytest.mark.parametrize(
    "path",
    [
        "/display/MTG-201",
        "/display/MTG-201?key=",
        "/display/MTG-201?key=wrong",
        "/display/MTG-202?key={key}",  # another room's code with this room's key
    ],
)
def test_a_wrong_or_missing_key_is_404(client, room, path) -> None:
    make_space(code="MTG-202")
    db.session.commit()
    assert client.get(path.format(key=room["key"])).status_code == 404


def test_a_manager_sets_up_and_renews_the_display_from_the_space_page(signed_in, app) -> None:
    app.config["PUBLIC_URL"] = PUBLIC_URL
    try:
        space = meeting_room(code="MTG-301")
        db.session.commit()
        client, _manager = signed_in(Role.MANAGER, locale="zh_CN")
        page = client.get(f"/manage/spaces/{space.id}/edit").text
        assert "门口显示屏" in page and "设置门口显示屏" in page
        action = f"/manage/spaces/{space.id}/door-display"
        created = client.post(action, data={"csrf_token": csrf_token(page)})
        assert created.status_code == 200
        first = re.search(rf'value="({PUBLIC_URL}/display/MTG-301\?key=[^"]+)"', created.text)
        assert first and "<svg" in created.text  # the address, and its QR code for the tablet
        first_url = first.group(1).removeprefix(PUBLIC_URL)
        assert client.get(first_url).status_code == 200

        page = client.get(f"/manage/spaces/{space.id}/edit").text
        assert "设置于" in page and "生成新地址…" in page and "设置门口显示屏" not in page
        renewed = client.post(action, data={"csrf_token": csrf_token(page)})
        second = re.search(rf'value="{PUBLIC_URL}(/display/MTG-301\?key=[^"]+)"', renewed.text)
        assert client.get(second.group(1)).status_code == 200
        assert client.get(first_url).status_code == 404  # the old tablet address stops
        audit = client.get(f"/manage/audit?object_type=space&object_id={space.id}").text
        assert "门口显示屏" in audit
    finally:
        app.config["PUBLIC_URL"] = ""


def test_tenants_cannot_set_up_a_display(signed_in, app) -> None:
    space = meeting_room()
    db.session.commit()
    client, _tenant = signed_in(Role.TENANT)
    token = csrf_token(client.get("/profile").text)
    response = client.post(f"/manage/spaces/{space.id}/door-display", data={"csrf_token": token})
    assert response.status_code == 403


def test_the_display_is_rate_limited_per_room(other_app, app) -> None:
    limited = other_app(RATELIMIT_ENABLED=True, DOOR_DISPLAY_RATE_LIMIT="3 per minute")
    limiter.reset()
    try:
        space = meeting_room(code="MTG-401")
        key = door_displays.issue_display(make_user(role=Role.MANAGER), space)
        db.session.commit()
        client = limited.test_client()
        codes = [client.get(f"/display/MTG-401?key={key}").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        # Another room's tablet behind the same address has its own allowance.
        assert client.get("/display/MTG-999?key=x").status_code == 404
    finally:
        limiter.reset()


def test_the_display_closes_at_night(client, room, monkeypatch) -> None:
    monkeypatch.setattr("app.services.door_displays.utcnow", lambda: local(DAY, "23:00"))
    text = client.get(f"/display/MTG-201?key={room['key']}").text
    assert "已关闭" in text and "今天没有其他预订" in text
