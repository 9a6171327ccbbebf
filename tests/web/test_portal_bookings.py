"""The company's bookings: lists, one booking, cancelling, checking in, the calendar file."""

import re
from datetime import timedelta

import pytest
from icalendar import Calendar

from app.extensions import db
from app.models import Booking, BookingStatus, Role
from app.services.recurrence import Recurrence
from app.sqltypes import utcnow
from app.web import today_local
from tests.conftest import csrf_token, future_day
from tests.fixtures.bookings import (
    book,
    insert_booking,
    local,
    make_booking,
    meeting_room,
    tenant,
)


def status_of(booking_id: int) -> BookingStatus:
    db.session.rollback()  # see what the requests committed
    return db.session.get(Booking, booking_id).status


@pytest.fixture
def world(app):
    """A meeting room, our company with a booking on a future day, and another company."""
    room = meeting_room(code="MTG-201", name="会议室 201", name_en="Meeting Room 201")
    ours = tenant(name="四川护能科技有限公司")
    theirs = tenant(name="四川越成科技有限公司")
    booking = make_booking(space=room, actor=ours, day=future_day(), title="周例会", now=utcnow())
    db.session.commit()
    return {"room": room, "ours": ours, "theirs": theirs, "booking": booking}


def test_upcoming_and_past_bookings_of_the_company(app, signed_in, world) -> None:
    yesterday = today_local() - timedelta(days=1)
    past = insert_booking(
        world["room"],
        world["ours"].company,
        world["ours"],
        local(yesterday, "09:00"),
        local(yesterday, "10:00"),
        title="上周复盘",
    )
    make_booking(
        space=world["room"],
        actor=world["theirs"],
        day=future_day(),
        start="14:00",
        end="15:00",
        title="别家的会",
        now=utcnow(),
    )
    db.session.commit()
    client, _user = signed_in(Role.TENANT, locale="en", company=world["ours"].company)

    upcoming = client.get("/bookings").text
    assert "周例会" in upcoming and "上周复盘" not in upcoming
    assert "别家的会" not in upcoming  # another company's booking
    assert f"{future_day().isoformat()}" in upcoming and "10:00–11:00" in upcoming
    assert "Confirmed" in upcoming and world["ours"].name in upcoming  # booked by

    earlier = client.get("/bookings?tab=past").text
    assert "上周复盘" in earlier and "周例会" not in earlier
    assert f'href="/bookings/{past.id}"' in earlier


def test_status_and_space_filters(app, signed_in, world) -> None:
    other_room = meeting_room(code="MTG-202")
    make_booking(
        space=other_room, actor=world["ours"], day=future_day(), title="面试", now=utcnow()
    )
    db.session.commit()
    client, _user = signed_in(Role.TENANT, locale="en", company=world["ours"].company)
    page = client.get(f"/bookings?space_id={other_room.id}").text
    assert "面试" in page and "周例会" not in page
    assert "No booking here yet." in client.get("/bookings?status=cancelled").text


def test_managers_see_every_company_and_filter_by_one(app, signed_in, world) -> None:
    make_booking(
        space=world["room"],
        actor=world["theirs"],
        day=future_day(),
        start="14:00",
        end="15:00",
        title="别家的会",
        now=utcnow(),
    )
    db.session.commit()
    client, _manager = signed_in(Role.MANAGER, locale="en")
    everything = client.get("/bookings").text
    assert "周例会" in everything and "别家的会" in everything
    assert "四川越成科技有限公司" in everything
    only = client.get(f"/bookings?company_id={world['theirs'].company_id}").text
    assert "别家的会" in only and "周例会" not in only


def test_the_booking_page_shows_the_details(app, signed_in, world) -> None:
    client, _user = signed_in(Role.TENANT, locale="en", company=world["ours"].company)
    page = client.get(f"/bookings/{world['booking'].id}").text
    assert "周例会" in page and "MTG-201 Meeting Room 201" in page
    assert "Confirmed" in page and "10:00–11:00" in page
    assert f'href="/bookings/{world["booking"].id}.ics"' in page


def test_another_companys_booking_is_forbidden(app, signed_in, world) -> None:
    client, _user = signed_in(Role.TENANT, locale="en", company=world["theirs"].company)
    booking_id = world["booking"].id
    page = client.get(f"/bookings/{booking_id}")
    assert page.status_code == 403
    assert client.get(f"/bookings/{booking_id}.ics").status_code == 403
    token = csrf_token(client.get("/bookings").text)
    cancel = client.post(f"/bookings/{booking_id}/cancel", data={"csrf_token": token})
    assert cancel.status_code == 403
    assert status_of(booking_id) == BookingStatus.CONFIRMED
    assert client.get("/bookings/99999").status_code == 404


def test_the_calendar_file_has_the_local_start(app, signed_in, world) -> None:
    client, _user = signed_in(Role.TENANT, locale="en", company=world["ours"].company)
    response = client.get(f"/bookings/{world['booking'].id}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    (event,) = Calendar.from_ical(response.data).walk("VEVENT")
    start = event.decoded("dtstart")
    assert start == local(future_day(), "10:00")
    assert (start.hour, start.minute) == (10, 0)
    assert start.utcoffset() == timedelta(hours=8)
    assert str(event["summary"]) == "周例会"
    assert "MTG-201" in str(event["location"])


def test_a_tenant_cancels_before_the_start(app, signed_in, world) -> None:
    client, _user = signed_in(Role.TENANT, locale="en", company=world["ours"].company)
    booking_id = world["booking"].id
    page = client.get(f"/bookings/{booking_id}").text
    assert "Cancel booking" in page
    response = client.post(
        f"/bookings/{booking_id}/cancel",
        data={"csrf_token": csrf_token(page), "next": "/bookings"},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/bookings"
    assert status_of(booking_id) == BookingStatus.CANCELLED
    shown = client.get(f"/bookings/{booking_id}").text
    assert "Cancelled" in shown and "Cancel booking" not in shown


def test_cancelling_after_the_start_is_refused_with_a_message(app, signed_in, world) -> None:
    now = utcnow()
    started = insert_booking(
        world["room"],
        world["ours"].company,
        world["ours"],
        now - timedelta(minutes=5),
        now + timedelta(minutes=55),
    )
    db.session.commit()
    client, _user = signed_in(Role.TENANT, locale="en", company=world["ours"].company)
    page = client.get(f"/bookings/{started.id}").text
    assert "Cancel booking" not in page
    response = client.post(f"/bookings/{started.id}/cancel", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert (
        "A booking can be cancelled until it starts."
        in client.get(response.headers["Location"]).text
    )
    assert status_of(started.id) == BookingStatus.CONFIRMED


def test_a_manager_must_say_why_when_cancelling(app, signed_in, world) -> None:
    client, _manager = signed_in(Role.MANAGER, locale="en")
    booking_id = world["booking"].id
    page = client.get(f"/bookings/{booking_id}").text
    assert 'name="reason"' in page
    refused = client.post(f"/bookings/{booking_id}/cancel", data={"csrf_token": csrf_token(page)})
    assert "Say why, so the company knows." in client.get(refused.headers["Location"]).text
    assert status_of(booking_id) == BookingStatus.CONFIRMED
    client.post(
        f"/bookings/{booking_id}/cancel",
        data={"csrf_token": csrf_token(page), "reason": "消防检查"},
    )
    assert status_of(booking_id) == BookingStatus.CANCELLED
    assert "消防检查" in client.get(f"/bookings/{booking_id}").text


def test_cancelling_a_series_from_one_date_on(app, signed_in, world) -> None:
    first = future_day() + timedelta(days=1)
    made = book(
        world["ours"],
        world["room"],
        local(first, "15:00"),
        local(first, "16:00"),
        recurrence=Recurrence("weekly", count=3),
        now=utcnow(),
    )
    db.session.commit()
    client, _user = signed_in(Role.TENANT, locale="en", company=world["ours"].company)
    page = client.get(f"/bookings/{made[1].id}").text
    assert "This and the following ones" in page
    assert page.count(f"{first.isoformat()}") >= 1  # every date of the series is listed
    client.post(
        f"/bookings/{made[1].id}/cancel",
        data={"csrf_token": csrf_token(page), "scope": "following"},
    )
    assert [status_of(b.id) for b in made] == [
        BookingStatus.CONFIRMED,
        BookingStatus.CANCELLED,
        BookingStatus.CANCELLED,
    ]


def test_check_in_only_within_its_window(app, signed_in, world) -> None:
    now = utcnow()
    starting = insert_booking(
        world["room"],
        world["ours"].company,
        world["ours"],
        now + timedelta(minutes=5),
        now + timedelta(minutes=65),
        requires_check_in=True,
    )
    later = insert_booking(
        world["room"],
        world["ours"].company,
        world["ours"],
        now + timedelta(hours=3),
        now + timedelta(hours=4),
        requires_check_in=True,
    )
    db.session.commit()
    client, _user = signed_in(Role.TENANT, locale="en", company=world["ours"].company)

    too_early = client.get(f"/bookings/{later.id}").text
    assert not re.search(r">\s*Check in\s*<", too_early)
    refused = client.post(
        f"/bookings/{later.id}/check-in", data={"csrf_token": csrf_token(too_early)}
    )
    assert (
        "Check in from 10 minutes before the start" in client.get(refused.headers["Location"]).text
    )

    page = client.get(f"/bookings/{starting.id}").text
    assert re.search(r">\s*Check in\s*<", page)
    response = client.post(
        f"/bookings/{starting.id}/check-in", data={"csrf_token": csrf_token(page)}
    )
    shown = client.get(response.headers["Location"]).text
    assert "Checked in to MTG-201" in shown
    assert "Checked in at" in shown and not re.search(r">\s*Check in\s*<", shown)
    db.session.rollback()
    assert db.session.get(Booking, starting.id).checked_in_at is not None


def test_past_bookings_page_by_page_without_a_total(app, signed_in, world) -> None:
    """The past tab is not counted: it pages with "next" and "previous" only."""
    for back in range(1, 6):
        day = today_local() - timedelta(days=back)
        insert_booking(
            world["room"],
            world["ours"].company,
            world["ours"],
            local(day, "09:00"),
            local(day, "10:00"),
            title=f"复盘 {back}",
        )
    db.session.commit()
    client, _user = signed_in(Role.TENANT, locale="en", company=world["ours"].company)

    first = client.get("/bookings?tab=past&per_page=2").text
    assert "复盘 1" in first and "复盘 2" in first and "复盘 3" not in first
    assert "Page 1" in first and "in all" not in first and 'rel="prev"' not in first
    assert 'href="/bookings?tab=past&amp;per_page=2&amp;page=2" rel="next"' in first

    last = client.get("/bookings?tab=past&per_page=2&page=3").text
    assert "复盘 5" in last and "复盘 4" not in last
    assert 'rel="next"' not in last and 'rel="prev"' in last
    # Exactly a page's worth: no "next" to an empty page.
    assert 'rel="next"' not in client.get("/bookings?tab=past&per_page=5").text
    assert client.get("/bookings?tab=past&per_page=2&page=4").status_code == 404
