"""What a person sees after sending a form: the result at the top, errors linked to their fields,
and a reload that shows the page again instead of sending anything twice."""

import re
from datetime import timedelta

import sqlalchemy as sa
from stdnum.cn import uscc

from app.extensions import db
from app.models import ApiToken, Booking, Company, Role
from app.models.feed import CalendarFeed
from app.services import workdays
from app.sqltypes import utcnow
from tests.conftest import csrf_token
from tests.fixtures.bookings import make_booking, meeting_room, tenant
from tests.fixtures.factories import make_user
from tests.web.test_portal_book import bookings_of, form_data, future_day

BAD_CODE = "91511100MA62A1B2C3"  # the example the form used to give: a wrong check character


def summary(page: str) -> str:
    """The error summary's markup (it must be there)."""
    match = re.search(r'<div class="error-summary"[^>]*>.*?</div>', page, re.S)
    assert match, "no error summary on the page"
    return match.group(0)


def company_form(client, **values: str):
    page = client.get("/manage/companies/new").text
    data = {
        "name": "乐山晶硅新材料科技有限公司",
        "uscc": "",
        "stage": "incubated",
        "status": "active",
        "industry": "新能源材料",
        "contact_name": "周磊",
        "contact_phone": "13800000000",
        "contact_email": "zhou.lei@jinggui.example.cn",
        "joined_on": "2025-03-01",
        "notes": "",
        "csrf_token": csrf_token(page),
        **values,
    }
    return client.post("/manage/companies/new", data=data)


def test_a_long_forms_errors_are_listed_at_the_top_each_linked_to_its_field(signed_in) -> None:
    client, _manager = signed_in(Role.MANAGER, locale="en")

    response = company_form(client, uscc=BAD_CODE, contact_email="zhou.lei@")

    assert response.status_code == 200
    page = response.text
    box = summary(page)
    # Both errors at once (the credit code no longer waits for a second round), in the order of
    # the form, each a link to the field it is about, which carries the same message beside it.
    links = re.findall(r'<a href="#([a-z_]+)">([^<]+)</a>', box)
    assert [anchor for anchor, _text in links] == ["uscc", "contact_email"]
    assert links[0][1].startswith("Unified Social Credit Code: The check character")
    assert links[1][1].startswith("Contact e-mail: ")
    assert 'id="uscc"' in page and 'id="contact_email"' in page
    assert 'id="uscc-error"' in page and 'id="contact_email-error"' in page
    # Where the eye is: before the page's heading, announced and focused as the page loads.
    assert page.index('class="error-summary"') < page.index("<h1")
    opening = box.split(">", 1)[0]
    assert 'role="alert"' in opening and 'tabindex="-1"' in opening and "autofocus" in opening
    assert f'value="{BAD_CODE}"' in page and 'value="zhou.lei@"' in page  # nothing typed is lost
    assert db.session.scalar(sa.select(sa.func.count(Company.id))) == 0


def test_the_company_forms_example_code_is_a_valid_one(signed_in) -> None:
    client, _manager = signed_in(Role.MANAGER, locale="en")
    page = client.get("/manage/companies/new").text
    example = re.search(r"e\.g\. ([0-9A-Z]{18})", page)
    assert example and uscc.is_valid(example.group(1))
    assert company_form(client, uscc=example.group(1)).status_code == 302


def test_a_page_without_errors_has_no_summary(signed_in) -> None:
    client, _manager = signed_in(Role.MANAGER, locale="en")
    assert 'class="error-summary"' not in client.get("/manage/companies/new").text


def test_reloading_after_creating_a_token_shows_the_profile_and_makes_no_second_token(
    signed_in,
) -> None:
    client, _user = signed_in(Role.TENANT, locale="en")
    page = client.get("/profile").text

    created = client.post("/profile/tokens", data={"name": "门禁", "csrf_token": csrf_token(page)})

    assert created.status_code == 302  # the address bar ends on the profile, not on the POST
    shown = client.get(created.headers["Location"])
    assert shown.status_code == 200
    secret = re.search(r'id="new-token" readonly value="([^"]+)"', shown.text)
    assert secret and 'data-copy="new-token"' in shown.text  # with its copy button
    reloaded = client.get(created.headers["Location"])  # what a reload asks for
    assert reloaded.status_code == 200
    assert secret.group(1) not in reloaded.text  # shown once
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 1


def test_reloading_after_a_feed_is_made_shows_the_page_and_keeps_the_address_working(
    app, signed_in
) -> None:
    client, user = signed_in(Role.TENANT, locale="en")
    company_id = user.company_id
    page = client.get("/feeds").text

    made = client.post(f"/feeds/company/{company_id}", data={"csrf_token": csrf_token(page)})

    assert made.status_code == 302
    assert made.headers["Location"].endswith("/feeds#company-feed")
    shown = client.get(made.headers["Location"]).text
    url = re.search(r'id="feed-url" readonly value="([^"]+)"', shown)
    assert url and 'data-copy="feed-url"' in shown
    reloaded = client.get(made.headers["Location"])
    assert reloaded.status_code == 200 and url.group(1) not in reloaded.text
    # The reload regenerated nothing: the address just handed out still works.
    assert app.test_client().get(url.group(1).removeprefix("http://localhost")).status_code == 200
    db.session.rollback()
    feed = db.session.scalars(sa.select(CalendarFeed)).one()
    assert feed.rotated_at is None


def test_regenerating_a_feed_asks_first(signed_in) -> None:
    client, user = signed_in(Role.TENANT, locale="en")
    page = client.get("/feeds").text
    client.post(f"/feeds/company/{user.company_id}", data={"csrf_token": csrf_token(page)})
    page = client.get("/feeds").text
    section = page.split('id="company-feed"')[1].split("</section>")[0]
    # The only button that posts sits inside a folded <details>, after a warning.
    confirm = section.split('<details class="confirm">')[1].split("</details>")[0]
    assert "<summary" in confirm and "stops working at once" in confirm
    assert '<button type="submit" class="danger">' in confirm
    assert section.count('type="submit"') == 1


def test_saved_notification_settings_are_said_at_the_top(signed_in) -> None:
    client, _user = signed_in(Role.TENANT, locale="en")
    page = client.get("/notifications").text
    response = client.post(
        "/notifications/preferences",
        data={
            "csrf_token": csrf_token(page),
            "mail_events": ["approved"],
            "reminder_minutes": "15",
        },
    )
    assert response.status_code == 302
    assert "#" not in response.headers["Location"]  # not down at the settings, far from the message
    shown = client.get(response.headers["Location"]).text
    assert shown.index("Your notification settings are saved.") < shown.index("<h1")


def test_every_weekday_books_monday_to_friday(app, signed_in) -> None:
    room = meeting_room(code="MTG-201")
    db.session.commit()
    client, user = signed_in(Role.TENANT, locale="en")
    first = future_day()
    page = client.get("/book").text
    series = form_data(page, space_id=room.id, date=first, repeat="weekdays", count="7")

    response = client.post("/book", data=series)

    assert response.status_code == 302, response.text
    days = [booking.start_at.date() for booking in bookings_of(user.company_id)]
    expected, day = [], first
    while len(expected) < 7:
        if day.weekday() < 5:
            expected.append(day)
        day += timedelta(days=1)
    assert [d.isoformat() for d in days] == [d.isoformat() for d in expected]


def test_the_preview_names_a_day_off(app, signed_in) -> None:
    room = meeting_room(code="MTG-201")
    first = future_day()
    off = first + timedelta(days=1)
    workdays.set_day(make_user(role=Role.MANAGER), off, working=False, name="园区停电检修")
    db.session.commit()
    client, _user = signed_in(Role.TENANT, locale="en")
    page = client.get("/book").text
    series = form_data(page, space_id=room.id, date=first, repeat="daily", count="3")
    preview = client.post("/book", data=series | {"action": "preview"}).text
    row = preview.split(off.isoformat(), 1)[1].split("</tr>")[0]
    assert "Day off: 园区停电检修" in row


def test_one_tap_skips_every_failing_date_and_books_the_rest(app, signed_in) -> None:
    room = meeting_room(code="MTG-201")
    first = future_day()
    blocked = [first + timedelta(weeks=1), first + timedelta(weeks=3)]
    for day in blocked:
        make_booking(space=room, actor=tenant(), day=day, start="10:00", end="11:00", now=utcnow())
    db.session.commit()
    client, user = signed_in(Role.TENANT, locale="en")
    page = client.get("/book").text
    series = form_data(page, space_id=room.id, date=first, repeat="weekly", count="5")
    series["weekdays"] = str(first.weekday())

    refused = client.post("/book", data=series)  # all or nothing: nothing booked
    assert refused.status_code == 200
    assert bookings_of(user.company_id) == []
    top = refused.text.split('id="problems"')[1].split("</div>")[0]
    button = re.search(r'<button[^>]*value="book-skipping"[^>]*>([^<]+)</button>', refused.text)
    assert button and "(2)" in button.group(1) and "(3)" in button.group(1)
    assert 'form="booking-form"' in top  # offered at the top, beside the message

    booked = client.post("/book", data=series | {"action": "book-skipping"})

    assert booked.status_code == 302
    made = bookings_of(user.company_id)
    assert len(made) == 3
    assert not {b.start_at.date() for b in made} & set(blocked)
    assert "Booked 3 dates of MTG-201" in client.get(booked.headers["Location"]).text
    assert db.session.scalar(sa.select(sa.func.count(Booking.id))) == 5  # 3 + the 2 in the way


def test_skipping_keeps_the_series_all_or_nothing_when_nothing_fails(app, signed_in) -> None:
    room = meeting_room(code="MTG-201")
    db.session.commit()
    client, user = signed_in(Role.TENANT, locale="en")
    page = client.get("/book").text
    series = form_data(page, space_id=room.id, date=future_day(), repeat="daily", count="2")
    preview = client.post("/book", data=series | {"action": "preview"}).text
    assert 'value="book-skipping"' not in preview  # nothing to skip: no such button
    assert 'formaction="/book#preview"' in preview  # the preview opens at the dates
    assert client.post("/book", data=series | {"action": "book-skipping"}).status_code == 302
    assert len(bookings_of(user.company_id)) == 2
