"""Changing a booking in Chromium on a phone-sized screen, in Chinese.

1. A tenant moves a booking to another time and room from "我的预订" and sees it moved.
2. A change into a taken slot says so at the top of the form and leaves the booking as it was.
"""

from datetime import time

import pytest

from app.extensions import db
from app.models import Booking, Space, User
from app.services.booking_rules import BookingRequest
from app.services.bookings import create_bookings
from app.services.localtime import local_datetime, to_local
from tests.conftest import future_day
from tests.e2e.test_booking_flows import building, sign_in  # noqa: F401  (the fixture)
from tests.e2e.test_sign_in import no_sideways_scroll


def booked(email: str, space_id: int, day, start: time, end: time, title: str) -> int:
    """A booking made through the service, as the person with ``email``."""
    import sqlalchemy as sa

    person = db.session.scalar(sa.select(User).where(User.email == email))
    space = db.session.get(Space, space_id)
    assert person is not None and space is not None
    wanted = BookingRequest(
        space, person.company, local_datetime(day, start), local_datetime(day, end), title, 4
    )
    (made,) = create_bookings(person, wanted)
    db.session.commit()
    booking_id = made.id
    db.session.rollback()  # the server's requests write; the test keeps no snapshot open
    return booking_id


def where(booking_id: int) -> tuple[str, str, str, str]:
    db.session.rollback()
    booking = db.session.get(Booking, booking_id)
    assert booking is not None
    start, end = to_local(booking.start_at), to_local(booking.end_at)
    result = (booking.space.code, start.date().isoformat(), f"{start:%H:%M}", f"{end:%H:%M}")
    db.session.rollback()
    return result


@pytest.fixture
def day():
    return future_day()


def test_a_tenant_moves_a_booking_to_another_time_and_room(
    building,  # noqa: F811
    live_server,
    phone_page,
    day,
) -> None:
    ids, emails = building
    booking_id = booked(emails["huneng"], ids["room"], day, time(10), time(11), "产品评审会")
    page = phone_page
    sign_in(page, live_server, emails["huneng"])
    page.get_by_role("link", name="我的预订").click()
    page.get_by_role("link", name="更改").first.click()
    page.wait_for_url(f"{live_server}/bookings/{booking_id}/change")
    assert page.locator("#title").input_value() == "产品评审会"
    assert page.locator("#start").input_value() == "10:00"
    assert no_sideways_scroll(page)
    page.locator("#space_id").select_option(
        label=page.locator("#space_id option", has_text="MTG-202").inner_text()
    )
    page.locator("#start").select_option("15:00")
    page.locator("#end").select_option("16:30")
    page.get_by_role("button", name="保存更改").click()
    page.wait_for_url(f"{live_server}/bookings/{booking_id}")
    assert page.get_by_text("已更改：MTG-202").is_visible()
    assert page.get_by_text("15:00–16:30").first.is_visible()
    assert no_sideways_scroll(page)
    assert where(booking_id) == ("MTG-202", day.isoformat(), "15:00", "16:30")


def test_a_change_into_a_taken_slot_leaves_the_booking_intact(
    building,  # noqa: F811
    live_server,
    phone_page,
    day,
) -> None:
    ids, emails = building
    booking_id = booked(emails["huneng"], ids["room"], day, time(10), time(11), "产品评审会")
    booked(emails["yuecheng"], ids["room"], day, time(14), time(15), "越成周会")
    page = phone_page
    sign_in(page, live_server, emails["huneng"])
    page.goto(f"{live_server}/bookings/{booking_id}")
    page.get_by_role("link", name="更改").click()
    page.locator("#start").select_option("14:30")
    page.locator("#end").select_option("15:30")
    page.locator("#title").fill("改到下午")
    page.get_by_role("button", name="保存更改").click()
    page.wait_for_load_state()
    alert = page.locator("#problems")
    assert alert.is_visible()
    assert "未作任何更改" in alert.inner_text()
    assert "14:00–15:00" in alert.inner_text()
    top = page.evaluate("document.getElementById('problems').getBoundingClientRect().top")
    form_top = page.evaluate(
        "document.querySelector('form.booking-form').getBoundingClientRect().top"
    )
    assert top < form_top  # the reason is above the form, not beside a field far below
    assert page.locator("#title").input_value() == "改到下午"  # what was typed stays
    assert no_sideways_scroll(page)
    assert where(booking_id) == ("MTG-201", day.isoformat(), "10:00", "11:00")
    page.get_by_role("link", name="保持不变").click()
    assert page.get_by_text("10:00–11:00").first.is_visible()
    assert page.get_by_role("heading", name="产品评审会").is_visible()
