"""Changing a booking on the web, and the bookings pages around it: one card per series, no
cancelled booking among the upcoming ones, a reason and the whole series when cancelling."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Booking, BookingHold, BookingStatus, Role
from app.services.bookings import cancel
from app.services.recurrence import Recurrence
from app.sqltypes import utcnow
from app.web import today_local
from tests.conftest import csrf_token, future_day
from tests.fixtures.bookings import (
    book,
    hall,
    insert_booking,
    local,
    make_booking,
    meeting_room,
    next_working_day,
    tenant,
)


def fresh(booking_id: int) -> Booking:
    db.session.rollback()  # see what the requests committed
    booking = db.session.get(Booking, booking_id)
    assert booking is not None
    return booking


def slot(booking_id: int) -> tuple:
    booking = fresh(booking_id)
    holds = db.session.execute(
        sa.select(BookingHold.space_id, BookingHold.start_at, BookingHold.end_at).where(
            BookingHold.booking_id == booking_id, BookingHold.active.is_(True)
        )
    ).all()
    return (booking.space_id, booking.start_at, booking.end_at, booking.title, holds)


@pytest.fixture
def world(app):
    """Two meeting rooms, our company with a booking on a future day, and another company."""
    room = meeting_room(code="MTG-201", name="会议室 201")
    other_room = meeting_room(code="MTG-202", name="会议室 202", zone=room.zone)
    ours = tenant(name="四川护能科技有限公司")
    theirs = tenant(name="四川越成科技有限公司")
    day = future_day()
    booking = make_booking(
        space=room, actor=ours, day=day, title="周例会", attendees=4, now=utcnow()
    )
    db.session.commit()
    return {
        "room": room,
        "other_room": other_room,
        "ours": ours,
        "theirs": theirs,
        "booking": booking,
        "day": day,
    }


def form_data(page: str, **values) -> dict:
    """The change form as the page fills it in, with ``values`` changed."""
    data = {"csrf_token": csrf_token(page)}
    for name in ("space_id", "start", "end"):
        select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
        assert select, name
        chosen = re.search(r"<option[^>]*\bselected\b[^>]*>", select.group(1))
        assert chosen, name
        value = re.search(r'value="([^"]*)"', chosen.group(0))
        assert value, name
        data[name] = value.group(1)
    for name in ("date", "title", "attendees"):
        match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) or re.search(
            rf'value="([^"]*)"[^>]*name="{name}"', page
        )
        assert match, name
        data[name] = match.group(1)
    return {**data, **{name: str(value) for name, value in values.items()}}


def test_the_change_page_opens_with_the_booking(signed_in, world) -> None:
    client, _user = signed_in(Role.TENANT, company=world["ours"].company)
    booking = world["booking"]
    page = client.get(f"/bookings/{booking.id}").text
    assert f'href="/bookings/{booking.id}/change"' in page
    form = form_data(client.get(f"/bookings/{booking.id}/change").text)
    assert form["space_id"] == str(world["room"].id)
    assert (form["date"], form["start"], form["end"]) == (
        world["day"].isoformat(),
        "10:00",
        "11:00",
    )
    assert (form["title"], form["attendees"]) == ("周例会", "4")


def test_moving_to_another_time_and_room(signed_in, world) -> None:
    client, _user = signed_in(Role.TENANT, company=world["ours"].company)
    booking = world["booking"]
    path = f"/bookings/{booking.id}/change"
    data = form_data(
        client.get(path).text, space_id=world["other_room"].id, start="14:00", end="15:30"
    )
    response = client.post(path, data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/bookings/{booking.id}"
    day = world["day"]
    space_id, start, end, _title, holds = slot(booking.id)
    assert (space_id, start, end) == (
        world["other_room"].id,
        local(day, "14:00"),
        local(day, "15:30"),
    )
    assert holds == [(world["other_room"].id, local(day, "14:00"), local(day, "15:30"))]
    shown = client.get(response.headers["Location"]).text
    assert "已更改：MTG-202" in shown


def test_a_conflict_is_said_at_the_top_and_changes_nothing(signed_in, world) -> None:
    make_booking(
        space=world["room"],
        actor=world["theirs"],
        day=world["day"],
        start="14:00",
        end="15:00",
        now=utcnow(),
    )
    db.session.commit()
    client, _user = signed_in(Role.TENANT, company=world["ours"].company)
    booking = world["booking"]
    before = slot(booking.id)
    path = f"/bookings/{booking.id}/change"
    data = form_data(client.get(path).text, start="14:30", end="15:30", title="不该保存")
    response = client.post(path, data=data)
    assert response.status_code == 200
    top = response.text.split('class="card booking-form"')[0]
    assert 'id="problems"' in top and "未作任何更改" in top
    assert "14:00–15:00" in top
    assert 'value="不该保存"' in response.text  # what was typed stays in the form
    assert slot(booking.id) == before


def test_a_field_error_keeps_the_booking(signed_in, world) -> None:
    client, _user = signed_in(Role.TENANT, company=world["ours"].company)
    booking = world["booking"]
    before = slot(booking.id)
    path = f"/bookings/{booking.id}/change"
    response = client.post(path, data=form_data(client.get(path).text, start="12:00", end="11:00"))
    assert response.status_code == 200
    assert '<p id="end-error" class="error"' in response.text
    assert "结束时间须晚于开始时间。" in response.text
    assert slot(booking.id) == before


def test_another_companys_booking_cannot_be_changed(signed_in, world) -> None:
    client, _user = signed_in(Role.TENANT, company=world["theirs"].company)
    booking = world["booking"]
    assert client.get(f"/bookings/{booking.id}/change").status_code == 403
    other, _me = signed_in(Role.TENANT, company=world["ours"].company)
    data = form_data(other.get(f"/bookings/{booking.id}/change").text, title="抢")
    data["csrf_token"] = csrf_token(client.get("/bookings").text)
    assert client.post(f"/bookings/{booking.id}/change", data=data).status_code == 403
    assert fresh(booking.id).title == "周例会"


def test_a_cancelled_booking_shows_no_change_and_refuses_it(signed_in, world) -> None:
    booking = world["booking"]
    cancel(world["ours"], booking, now=utcnow())
    db.session.commit()
    client, _user = signed_in(Role.TENANT, company=world["ours"].company)
    page = client.get(f"/bookings/{booking.id}").text
    assert f"/bookings/{booking.id}/change" not in page
    assert f"/bookings/{booking.id}.ics" not in page
    response = client.get(f"/bookings/{booking.id}/change", follow_redirects=True)
    assert "该预订已审批或已取消。" in response.text
    assert response.request.path == f"/bookings/{booking.id}"


def test_a_manager_changes_from_the_calendar(signed_in, world) -> None:
    client, _user = signed_in(Role.MANAGER)
    booking = world["booking"]
    calendar = client.get(f"/manage/calendar?date={world['day'].isoformat()}").text
    assert f'href="/bookings/{booking.id}/change"' in calendar
    path = f"/bookings/{booking.id}/change"
    response = client.post(path, data=form_data(client.get(path).text, attendees=9))
    assert response.status_code == 302
    assert fresh(booking.id).attendees == 9


def test_a_hall_moved_by_the_tenant_says_it_waits_again(signed_in, world) -> None:
    room = hall()
    day = next_working_day(world["day"])
    (booking,) = book(world["ours"], room, local(day, "14:00"), local(day, "16:00"), now=utcnow())
    booking.status = BookingStatus.CONFIRMED
    db.session.commit()
    client, _user = signed_in(Role.TENANT, company=world["ours"].company)
    path = f"/bookings/{booking.id}/change"
    response = client.post(path, data=form_data(client.get(path).text, start="15:00", end="17:00"))
    shown = client.get(response.headers["Location"]).text
    assert "需要管理人员审批" in shown
    assert fresh(booking.id).status == BookingStatus.PENDING


def test_a_series_is_one_card_and_changes_from_an_occurrence_on(signed_in, world) -> None:
    day = world["day"] + timedelta(days=1)
    series = book(
        world["ours"],
        world["room"],
        local(day, "08:00"),
        local(day, "08:30"),
        title="晨会",
        recurrence=Recurrence("weekly", count=8),
        now=utcnow(),
    )
    db.session.commit()
    client, _user = signed_in(Role.TENANT, company=world["ours"].company)
    listing = client.get("/bookings").text
    assert listing.count(">晨会<") == 1
    assert "共 8 场" in listing
    for occurrence in series:
        assert f'href="/bookings/{occurrence.id}"' in listing
    home = client.get("/").text
    assert home.count("晨会") == 1 and "共 8 场" in home

    third = series[2]
    path = f"/bookings/{third.id}/change"
    page = client.get(path).text
    assert 'name="scope"' in page
    data = form_data(page, start="09:00", end="09:30", scope="following")
    assert client.post(path, data=data).status_code == 302
    starts = [f"{fresh(b.id).start_at:%H:%M}" for b in series]
    assert starts == [f"{local(day, '08:00'):%H:%M}"] * 2 + [f"{local(day, '09:00'):%H:%M}"] * 6


def test_cancelled_bookings_leave_the_upcoming_list(signed_in, world) -> None:
    booking = world["booking"]
    client, _user = signed_in(Role.TENANT, company=world["ours"].company)
    page = client.get("/bookings").text
    data = {"csrf_token": csrf_token(page), "reason": "客户改期", "scope": "this"}
    assert client.post(f"/bookings/{booking.id}/cancel", data=data).status_code == 302
    assert fresh(booking.id).reason == "客户改期"
    upcoming = client.get("/bookings").text
    assert "周例会" not in upcoming and f"/bookings/{booking.id}.ics" not in upcoming
    past = client.get("/bookings?tab=past").text
    assert "周例会" in past and "客户改期" in past
    assert "周例会" not in client.get("/").text


def test_a_tenant_cancels_a_whole_series(signed_in, world) -> None:
    day = world["day"] + timedelta(days=1)
    series = book(
        world["ours"],
        world["room"],
        local(day, "08:00"),
        local(day, "08:30"),
        title="晨会",
        recurrence=Recurrence("weekly", count=4),
        now=utcnow(),
    )
    db.session.commit()
    client, _user = signed_in(Role.TENANT, company=world["ours"].company)
    page = client.get(f"/bookings/{series[2].id}").text
    assert 'value="series"' in page
    data = {"csrf_token": csrf_token(page), "scope": "series", "reason": "项目结束"}
    response = client.post(f"/bookings/{series[2].id}/cancel", data=data, follow_redirects=True)
    assert "已取消 4 个预订。" in response.text
    assert {fresh(b.id).status for b in series} == {BookingStatus.CANCELLED}
    assert ">晨会<" not in client.get("/bookings").text
    past = client.get("/bookings?tab=past").text
    assert past.count(">晨会<") == 1 and "共 4 场" in past


def test_a_past_booking_offers_no_change(signed_in, world) -> None:
    yesterday = today_local() - timedelta(days=1)
    past = insert_booking(
        world["room"],
        world["ours"].company,
        world["ours"],
        local(yesterday, "09:00"),
        local(yesterday, "10:00"),
        title="上周复盘",
    )
    db.session.commit()
    client, _user = signed_in(Role.TENANT, company=world["ours"].company)
    assert f"/bookings/{past.id}/change" not in client.get(f"/bookings/{past.id}").text
    response = client.get(f"/bookings/{past.id}/change")
    assert response.status_code == 302


def test_a_fortnightly_series_says_so(signed_in, world) -> None:
    day = world["day"] + timedelta(days=1)
    book(
        world["ours"],
        world["room"],
        local(day, "08:00"),
        local(day, "08:30"),
        title="双周会",
        recurrence=Recurrence("weekly", interval=2, count=3),
        now=utcnow(),
    )
    db.session.commit()
    client, _user = signed_in(Role.TENANT, company=world["ours"].company)
    listing = client.get("/bookings").text
    assert "每 2 周 · 共 3 场" in listing
