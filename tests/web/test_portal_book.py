"""Booking a space through the form: confirmed, pending, refused, repeated, never twice."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Booking, BookingStatus, Closure, Role
from app.sqltypes import utcnow
from tests.conftest import csrf_token, future_day
from tests.fixtures.bookings import (
    hall,
    local,
    make_booking,
    meeting_room,
    tenant,
)
from tests.fixtures.factories import make_company


def form_data(page: str, **fields: object) -> dict[str, object]:
    """The form's CSRF token and one-time key, with the fields a person fills in."""
    key = re.search(r'name="request_key" type="hidden" value="([0-9a-f]{32})"', page)
    assert key, "no request key on the booking form"
    values = {"csrf_token": csrf_token(page), "request_key": key.group(1), "action": "book"}
    values.update({"title": "客户洽谈", "attendees": "4", "start": "10:00", "end": "11:00"})
    values.update(fields)
    return values


def bookings_of(company_id: int) -> list[Booking]:
    db.session.rollback()  # see what the requests committed
    return list(
        db.session.scalars(
            sa.select(Booking).where(Booking.company_id == company_id).order_by(Booking.start_at)
        )
    )


def selected(page: str, name: str) -> str | None:
    """The value of the selected option of the select called ``name``."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no select {name}"
    option = re.search(r'<option [^>]*\bselected value="([^"]*)"', select.group(1))
    return option.group(1) if option else None


@pytest.fixture
def room(app):
    space = meeting_room(code="MTG-201", name="会议室 201", name_en="Meeting Room 201")
    db.session.commit()
    return space


def test_booking_a_free_room_confirms_it_at_once(app, signed_in, room) -> None:
    day = future_day()
    client, user = signed_in(Role.TENANT, locale="en")
    page = client.get(f"/book?space_id={room.id}&date={day}&start=10:00&end=11:00").text
    assert selected(page, "space_id") == str(room.id)
    assert selected(page, "start") == "10:00" and selected(page, "end") == "11:00"
    assert f'value="{day.isoformat()}"' in page

    response = client.post("/book", data=form_data(page, space_id=room.id, date=day))

    assert response.status_code == 302
    (booking,) = bookings_of(user.company_id)
    assert response.headers["Location"] == f"/bookings/{booking.id}"
    assert booking.status == BookingStatus.CONFIRMED
    shown = client.get(response.headers["Location"]).text
    assert "It is confirmed." in shown  # the flash
    assert "Confirmed" in shown and "客户洽谈" in shown and "MTG-201" in shown
    assert f"{day.isoformat()}" in shown and "10:00–11:00" in shown


def test_the_hall_waits_for_approval(app, signed_in) -> None:
    roadshow = hall(code="RSH-A")
    db.session.commit()
    day = future_day()
    client, user = signed_in(Role.TENANT, locale="en")
    page = client.get("/book").text
    response = client.post(
        "/book", data=form_data(page, space_id=roadshow.id, date=day, start="14:00", end="17:00")
    )
    assert response.status_code == 302
    shown = client.get(response.headers["Location"]).text
    assert "waits for a manager&#39;s approval" in shown
    assert "Pending: needs approval" in shown
    assert bookings_of(user.company_id)[0].status == BookingStatus.PENDING


def test_a_conflict_keeps_everything_typed_and_says_what_is_in_the_way(
    app, signed_in, room
) -> None:
    day = future_day()
    make_booking(space=room, day=day, start="10:00", end="11:00", now=utcnow())
    db.session.commit()
    client, user = signed_in(Role.TENANT, locale="en")
    page = client.get("/book").text
    typed = form_data(
        page, space_id=room.id, date=day, start="10:30", end="11:30", title="投资人路演彩排"
    )
    typed["attendees"] = "7"

    response = client.post("/book", data=typed)

    assert response.status_code == 200
    page = response.text
    assert 'role="alert"' in page
    assert "MTG-201 is not free then." in page
    assert "booked 10:00–11:00" in page
    assert 'id="times-conflict"' in page  # beside the time fields too
    assert selected(page, "space_id") == str(room.id)
    assert selected(page, "start") == "10:30" and selected(page, "end") == "11:30"
    assert 'value="投资人路演彩排"' in page and 'value="7"' in page
    assert f'value="{day.isoformat()}"' in page
    assert f'value="{typed["request_key"]}"' in page
    assert bookings_of(user.company_id) == []


def test_a_time_outside_opening_hours_is_shown_beside_the_start(app, signed_in) -> None:
    roadshow = hall(code="RSH-A")  # open 08:30–21:00
    db.session.commit()
    client, _user = signed_in(Role.TENANT, locale="en")
    page = client.get("/book").text
    response = client.post(
        "/book",
        data=form_data(page, space_id=roadshow.id, date=future_day(), start="08:00", end="09:00"),
    )
    assert response.status_code == 200
    error = re.search(r'<p id="start-error" class="error">([^<]*)</p>', response.text)
    assert error and "open from 08:30 to 21:00" in error.group(1)


def test_the_end_must_come_after_the_start(app, signed_in, room) -> None:
    client, _user = signed_in(Role.TENANT, locale="en")
    page = client.get("/book").text
    response = client.post(
        "/book",
        data=form_data(page, space_id=room.id, date=future_day(), start="11:00", end="10:00"),
    )
    assert response.status_code == 200
    assert re.search(r'id="end-error"[^>]*>The end must come after the start.', response.text)


def test_a_double_submit_books_once(app, signed_in, room) -> None:
    client, user = signed_in(Role.TENANT, locale="en")
    page = client.get("/book").text
    data = form_data(page, space_id=room.id, date=future_day())

    first = client.post("/book", data=data)
    second = client.post("/book", data=data)

    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert len(bookings_of(user.company_id)) == 1


def test_each_visit_of_the_form_gets_its_own_key(app, signed_in, room) -> None:
    client, _user = signed_in(Role.TENANT, locale="en")
    assert (
        form_data(client.get("/book").text)["request_key"]
        != (form_data(client.get("/book").text)["request_key"])
    )


@pytest.mark.parametrize("obstacle", ["booking", "closure"])
def test_weekly_repeat_preview_and_booking_the_rest(app, signed_in, room, obstacle) -> None:
    first = future_day()
    second = first + timedelta(weeks=1)
    if obstacle == "booking":
        make_booking(space=room, day=second, start="10:00", end="11:00", now=utcnow())
        expected_reason = "booked 10:00–11:00"
    else:
        db.session.add(
            Closure(
                space_id=room.id,
                start_at=local(second, "00:00"),
                end_at=local(second + timedelta(days=1), "00:00"),
                reason="空调维修",
            )
        )
        expected_reason = "空调维修"
    db.session.commit()
    client, user = signed_in(Role.TENANT, locale="en")
    page = client.get("/book").text
    series = form_data(page, space_id=room.id, date=first, repeat="weekly", interval="1")
    series |= {"weekdays": str(first.weekday()), "count": "3", "action": "preview"}

    preview = client.post("/book", data=series)

    assert preview.status_code == 200
    text = preview.text
    assert "2 of 3 dates can be booked." in text
    for day in (first, second, second + timedelta(weeks=1)):
        assert day.isoformat() in text
    assert "Cannot be booked:" in text and expected_reason in text
    assert f'name="exclude" value="{second.isoformat()}"' in text
    assert bookings_of(user.company_id) == []  # a preview books nothing

    # Booking all of them is refused as a whole, with the failing date marked.
    refused = client.post("/book", data=series | {"action": "book"})
    assert refused.status_code == 200
    assert "1 of the occurrences cannot be booked." in refused.text
    assert f'name="exclude" value="{second.isoformat()}"' in refused.text
    assert 'value="weekly" checked' in refused.text or 'checked id="repeat-3"' in refused.text
    assert bookings_of(user.company_id) == []

    booked = client.post("/book", data=series | {"action": "book", "exclude": second.isoformat()})

    assert booked.status_code == 302
    made = bookings_of(user.company_id)
    assert [b.start_at for b in made] == [
        local(first, "10:00"),
        local(first + timedelta(weeks=2), "10:00"),
    ]
    assert "Booked 2 dates of MTG-201" in client.get(booked.headers["Location"]).text


def test_a_skipped_date_stays_skipped_in_the_preview(app, signed_in, room) -> None:
    first = future_day()
    client, _user = signed_in(Role.TENANT, locale="en")
    page = client.get("/book").text
    series = form_data(page, space_id=room.id, date=first, repeat="daily", count="3")
    series |= {"action": "preview", "exclude": (first + timedelta(days=1)).isoformat()}
    text = client.post("/book", data=series).text
    assert "2 of 3 dates can be booked." in text
    assert f'value="{(first + timedelta(days=1)).isoformat()}" checked' in text


def test_a_repeat_needs_an_end(app, signed_in, room) -> None:
    client, _user = signed_in(Role.TENANT, locale="en")
    page = client.get("/book").text
    response = client.post(
        "/book", data=form_data(page, space_id=room.id, date=future_day(), repeat="weekly")
    )
    assert response.status_code == 200
    assert "Give an end date or a number of times." in response.text
    assert '<details class="repeat" open>' in response.text


def test_a_manager_books_for_a_company(app, signed_in, room) -> None:
    company = make_company(name="四川越成科技有限公司")
    db.session.commit()
    client, _manager = signed_in(Role.MANAGER, locale="en")
    page = client.get(f"/book?company_id={company.id}").text
    assert selected(page, "company_id") == str(company.id)

    missing = client.post("/book", data=form_data(page, space_id=room.id, date=future_day()))
    assert missing.status_code == 200
    assert "Choose the company this booking is for." in missing.text

    response = client.post(
        "/book",
        data=form_data(page, space_id=room.id, date=future_day(), company_id=company.id),
    )
    assert response.status_code == 302
    (booking,) = bookings_of(company.id)
    assert booking.status == BookingStatus.CONFIRMED


def test_tenants_see_no_company_choice_and_book_for_their_own(app, signed_in, room) -> None:
    other = tenant()
    db.session.commit()
    client, user = signed_in(Role.TENANT, locale="en")
    page = client.get("/book").text
    assert 'name="company_id"' not in page
    client.post(
        "/book",
        data=form_data(page, space_id=room.id, date=future_day(), company_id=other.company_id),
    )
    assert len(bookings_of(user.company_id)) == 1
    assert bookings_of(other.company_id) == []


def test_a_missing_title_keeps_the_skipped_dates(app, signed_in, room) -> None:
    first = future_day()
    client, _user = signed_in(Role.TENANT, locale="en")
    page = client.get("/book").text
    skipped = (first + timedelta(days=1)).isoformat()
    series = form_data(page, space_id=room.id, date=first, repeat="daily", count="3", title="")
    response = client.post("/book", data=series | {"exclude": skipped})
    assert response.status_code == 200
    assert re.search(r'id="title-error"[^>]*>Give the booking a title.', response.text)
    assert f'<input type="hidden" name="exclude" value="{skipped}">' in response.text
