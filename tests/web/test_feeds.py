"""Calendar feeds: secret URLs shown once, regenerated on request, readable without signing in."""

import re

import pytest
from icalendar import Calendar

from app.extensions import db
from app.models import Role
from app.sqltypes import utcnow
from tests.conftest import csrf_token, future_day
from tests.fixtures.bookings import make_booking, meeting_room, tenant


@pytest.fixture
def world(app):
    """A meeting room with a booking of ours and one of another company, on a coming day."""
    room = meeting_room(code="MTG-201", name="会议室 201", name_en="Meeting Room 201")
    ours = tenant(name="四川护能科技有限公司")
    theirs = tenant(name="四川越成科技有限公司")
    day = future_day()
    now = utcnow()
    make_booking(space=room, actor=ours, day=day, title="周例会", now=now)
    make_booking(
        space=room,
        actor=theirs,
        day=day,
        start="14:00",
        end="15:00",
        title="融资谈判",
        now=utcnow(),
    )
    db.session.commit()
    return {"room": room, "ours": ours, "theirs": theirs}


def feed_url(page: str) -> str:
    match = re.search(r'id="feed-url" readonly value="([^"]+)"', page)
    assert match, "no feed address on the page"
    return match.group(1)


def post(client, path: str) -> str:
    """Post, then follow the redirect to the page that shows the new address (once)."""
    token = csrf_token(client.get("/feeds").text)
    response = client.post(path, data={"csrf_token": token})
    assert response.status_code == 302, response.text
    return client.get(response.headers["Location"]).text


def test_the_company_feed_is_shown_once_and_regenerating_retires_the_old_url(
    app, signed_in, world
) -> None:
    client, _user = signed_in(Role.TENANT, locale="en", company=world["ours"].company)
    page = client.get("/feeds").text
    assert "四川护能科技有限公司: bookings" in page and "MTG-201 Meeting Room 201" in page
    assert 'id="feed-url"' not in page

    company_id = world["ours"].company_id
    created = post(client, f"/feeds/company/{company_id}")
    first = feed_url(created)
    assert first.startswith("http://localhost/feeds/") and first.endswith(".ics")
    assert f'href="webcal://{first.removeprefix("http://")}"' in created
    later = client.get("/feeds").text
    assert first not in later and "Regenerate it to see a new address." in later

    anonymous = app.test_client()  # calendar apps do not sign in
    response = anonymous.get(first)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    titles = {str(event["SUMMARY"]) for event in Calendar.from_ical(response.data).walk("VEVENT")}
    assert titles == {"周例会"}

    second = feed_url(post(client, f"/feeds/company/{company_id}"))
    assert second != first
    assert anonymous.get(first).status_code == 404
    fresh = anonymous.get(second)
    assert fresh.status_code == 200 and fresh.mimetype == "text/calendar"


def test_a_tenant_cannot_regenerate_another_companys_feed(app, signed_in, world) -> None:
    company_id = world["ours"].company_id
    ours, _user = signed_in(Role.TENANT, locale="en", company=world["ours"].company)
    theirs, _other = signed_in(Role.TENANT, locale="en", company=world["theirs"].company)
    url = feed_url(post(ours, f"/feeds/company/{company_id}"))
    token = csrf_token(theirs.get("/feeds").text)
    response = theirs.post(f"/feeds/company/{company_id}", data={"csrf_token": token})
    assert response.status_code == 403
    assert app.test_client().get(url).status_code == 200  # still works
    # and a company_id in the query string does not show another company's feed
    page = theirs.get(f"/feeds?company_id={company_id}").text
    assert "四川护能科技有限公司" not in page


def test_regenerating_needs_the_csrf_token(app, signed_in, world) -> None:
    client, _user = signed_in(Role.TENANT, locale="en", company=world["ours"].company)
    assert client.post(f"/feeds/company/{world['ours'].company_id}").status_code == 400


def test_a_room_feed_shows_busy_times_without_titles(app, signed_in, world) -> None:
    client, _user = signed_in(Role.TENANT, locale="en", company=world["ours"].company)
    url = feed_url(post(client, f"/feeds/spaces/{world['room'].id}"))
    response = app.test_client().get(url)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    text = response.data.decode()
    assert "融资谈判" not in text and "四川越成科技有限公司" not in text
    assert "周例会" not in text  # busy times only, even our own
    events = Calendar.from_ical(response.data).walk("VEVENT")
    assert [str(event["SUMMARY"]) for event in events] == ["Booked", "Booked"]
    assert "Subscribed" in client.get("/feeds").text


def test_staff_choose_a_company(app, signed_in, world) -> None:
    client, _user = signed_in(Role.MANAGER, locale="en")
    company_id = world["theirs"].company_id
    page = client.get(f"/feeds?company_id={company_id}").text
    assert "四川越成科技有限公司: bookings" in page
    url = feed_url(post(client, f"/feeds/company/{company_id}"))
    titles = {
        str(event["SUMMARY"])
        for event in Calendar.from_ical(app.test_client().get(url).data).walk("VEVENT")
    }
    assert titles == {"融资谈判"}


def test_an_unknown_feed_is_404_and_the_page_needs_signing_in(app, client) -> None:
    assert client.get("/feeds/not-a-secret.ics").status_code == 404
    assert client.get("/feeds").status_code == 302


def test_the_profile_links_to_the_feeds(app, signed_in) -> None:
    client, _user = signed_in(Role.TENANT, locale="en")
    assert 'href="/feeds"' in client.get("/profile").text


def test_with_a_public_url_the_feed_address_is_under_it(app, signed_in, world, monkeypatch) -> None:
    """Behind a proxy the request may name the app server itself; calendar apps need the
    address people reach."""
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://czg.example.cn")
    client, _user = signed_in(Role.TENANT, company=world["ours"].company)

    created = post(client, f"/feeds/company/{world['ours'].company_id}")

    url = feed_url(created)
    assert url.startswith("https://czg.example.cn/feeds/") and url.endswith(".ics")
    assert f'href="webcal://{url.removeprefix("https://")}"' in created
    assert app.test_client().get(url.removeprefix("https://czg.example.cn")).status_code == 200
