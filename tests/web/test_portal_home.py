"""The tenant's home page: allowance, the next bookings and a meeting room free right now."""

import re
from datetime import date, datetime, timedelta

from app.extensions import db
from app.models import Role
from app.services.localtime import local_datetime
from app.sqltypes import utcnow
from app.web import today_local
from tests.conftest import future_day
from tests.fixtures.bookings import hall, make_booking, meeting_room, tenant


def test_managers_keep_going_to_the_console(app, signed_in) -> None:
    client, _manager = signed_in(Role.MANAGER)
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/manage/"


def test_home_shows_allowance_next_bookings_and_a_free_room(app, signed_in) -> None:
    room = meeting_room(code="MTG-203", name="会议室 203", name_en="Meeting Room 203")
    hall(code="RSH-A")  # halls are not offered for "a room now"
    booker = tenant(name="四川护能科技有限公司")
    make_booking(space=room, actor=booker, day=future_day(), title="季度复盘", now=utcnow())
    db.session.commit()
    client, user = signed_in(Role.TENANT, locale="en", company=booker.company, name="王敏")

    page = client.get("/").text

    assert "Hello, 王敏" in page
    assert f"Free meeting-room hours in {today_local():%Y-%m}" in page
    assert "hours used" in page
    assert "季度复盘" in page and 'href="/bookings"' in page
    link = re.search(
        r'href="/book\?space_id=(\d+)&amp;date=([\d-]+)&amp;start=([\d:]+)&amp;end=([\d:]+)"', page
    )
    assert link, "no slot offered"
    space_id, day, start, end = link.groups()
    assert int(space_id) == room.id and "MTG-203 Meeting Room 203" in page
    begins = local_datetime(date.fromisoformat(day), datetime.strptime(start, "%H:%M").time())
    assert utcnow() <= begins < utcnow() + timedelta(days=2)
    assert datetime.strptime(end, "%H:%M") - datetime.strptime(start, "%H:%M") == timedelta(hours=1)


def test_home_says_so_when_no_meeting_room_exists(app, signed_in) -> None:
    client, _user = signed_in(Role.TENANT, locale="en")
    page = client.get("/").text
    assert "No meeting room has a free hour today or tomorrow." in page
    assert "Your company has no booking coming up." in page
