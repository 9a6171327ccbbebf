"""The day timeline of a zone and the week of a room, as a tenant or a manager sees them."""

import html
import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from app.extensions import db
from app.models import Closure, Role, SpaceKind
from tests.fixtures.bookings import DAY, NOW, hall, hall_zone, local, make_booking, tenant
from tests.fixtures.factories import make_company, make_space, make_zone
from tests.fixtures.queries import recorded_statements


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    """Tuesday 1 September 2026, 09:00 in Leshan: "today" on every page of these tests."""
    monkeypatch.setattr("app.portal.timeline.utcnow", lambda: NOW)


@pytest.fixture
def mtg(app):
    """The meeting rooms' zone (08:00–22:00 every day) with two rooms."""
    zone = make_zone(code="MTG", name="座谈会议室", name_en="Meeting rooms")
    first = make_space(kind=SpaceKind.MEETING_ROOM, zone=zone, code="MTG-201")
    second = make_space(kind=SpaceKind.MEETING_ROOM, zone=zone, code="MTG-202")
    db.session.commit()
    return zone, first, second


def book_links(page: str) -> set[tuple[int, str, str, str]]:
    """(space id, date, start, end) of every link to the booking form on a page."""
    found = set()
    for href in re.findall(r'href="([^"]*)"', page):
        parts = urlsplit(html.unescape(href))
        if parts.path == "/book":
            args = {key: values[0] for key, values in parse_qs(parts.query).items()}
            found.add((int(args["space_id"]), args["date"], args["start"], args["end"]))
    return found


def row_of(page: str, code: str) -> str:
    """The HTML of one room's row on the day timeline."""
    match = re.search(rf'<tr>\s*<th scope="row"[^>]*>\s*<a [^>]*>{code}</a>.*?</tr>', page, re.S)
    assert match, f"no row for {code}"
    return match.group(0)


def english(signed_in, role=Role.TENANT, **overrides):
    return signed_in(role, locale="en", **overrides)


def test_a_free_cell_books_an_hour_or_what_fits(mtg, signed_in) -> None:
    _zone, first, _second = mtg
    make_booking(space=first, day=DAY, start="11:00", end="12:00")
    db.session.commit()
    client, _user = english(signed_in)
    page = client.get("/timeline?zone=MTG&date=2026-09-08").text
    links = book_links(page)
    assert (first.id, "2026-09-08", "10:00", "11:00") in links
    assert (first.id, "2026-09-08", "10:30", "11:00") in links  # the next booking starts at 11
    assert (first.id, "2026-09-08", "21:30", "22:00") in links  # closing time
    assert not any(start in {"11:00", "11:30"} for sid, _d, start, _e in links if sid == first.id)
    assert 'aria-label="MTG-201 10:00–10:30 free, book"' in page


def test_others_see_booked_own_company_sees_the_title(mtg, signed_in) -> None:
    _zone, first, second = mtg
    mine = make_company(name="四川护能科技有限公司")
    make_booking(space=first, actor=tenant(company=mine), title="产品评审会", start="10:00")
    make_booking(space=second, title="融资路演彩排", start="14:00", end="15:30")
    db.session.commit()
    client, _user = english(signed_in, company=mine)
    page = client.get("/timeline?zone=MTG&date=2026-09-08").text
    assert "产品评审会" in row_of(page, "MTG-201") and "ours" in row_of(page, "MTG-201")
    theirs = row_of(page, "MTG-202")
    assert "融资路演彩排" not in page
    assert "14:00–15:30" in theirs and "Booked" in theirs
    assert "乐山测试科技" not in page  # nor whose it is


def test_a_manager_sees_titles_and_companies(mtg, signed_in) -> None:
    _zone, first, _second = mtg
    make_booking(space=first, actor=tenant(name="四川越成科技有限公司"), title="客户来访")
    db.session.commit()
    client, _user = english(signed_in, Role.MANAGER)
    row = row_of(client.get("/timeline?zone=MTG&date=2026-09-08").text, "MTG-201")
    assert "客户来访" in row and "四川越成科技有限公司" in row


def test_a_request_waiting_for_approval_looks_pending(app, signed_in) -> None:
    room = hall(code="RSH-A", zone=hall_zone(code="RSH"))
    company = make_company()
    make_booking(space=room, actor=tenant(company=company), title="新品发布会")
    db.session.commit()
    client, _user = english(signed_in, company=company)
    row = row_of(client.get("/timeline?zone=RSH&date=2026-09-08").text, "RSH-A")
    assert "新品发布会" in row and "tl-pending" in row and "pending approval" in row


def test_a_closure_shows_its_reason_and_cannot_be_booked(mtg, signed_in) -> None:
    _zone, _first, second = mtg
    db.session.add(
        Closure(
            space=second,
            start_at=local(DAY, "14:00"),
            end_at=local(DAY, "15:00"),
            reason="空调检修",
        )
    )
    db.session.commit()
    client, _user = english(signed_in)
    page = client.get("/timeline?zone=MTG&date=2026-09-08").text
    assert "空调检修" in row_of(page, "MTG-202")
    starts = {start for sid, _d, start, _e in book_links(page) if sid == second.id}
    assert not starts & {"14:00", "14:30"}
    assert {"13:30", "15:00"} <= starts


def test_halls_show_a_closed_note_on_a_holiday(app, signed_in) -> None:
    hall(code="LEC-A", zone=hall_zone(code="LEC", name_en="Lecture Hall"))
    make_space(kind=SpaceKind.OFFICE, zone=make_zone(code="INC", name_en="Incubation Space"))
    db.session.commit()
    client, _user = english(signed_in)
    page = client.get("/timeline?zone=LEC&date=2026-10-01").text
    assert "Lecture Hall is closed on 2026-10-01: 国庆节" in page
    assert book_links(page) == set()
    assert "Incubation Space" not in page  # nothing to book there: not in the zone picker


def test_past_cells_of_today_are_not_links(mtg, signed_in) -> None:
    _zone, first, _second = mtg
    client, _user = english(signed_in)
    page = client.get("/timeline?zone=MTG").text  # today, 09:00
    starts = {start for sid, day, start, _e in book_links(page) if sid == first.id}
    assert "08:00" not in starts and "08:30" not in starts
    assert "09:00" in starts
    assert "08:00–09:00" in row_of(page, "MTG-201") and "Past" in row_of(page, "MTG-201")


@pytest.mark.parametrize("role", [Role.TENANT, Role.MANAGER])
def test_two_rooms_or_ten_cost_the_same_queries(app, signed_in, role) -> None:
    booker = tenant()
    for code, count in (("SMALL", 2), ("LARGE", 10)):
        zone = make_zone(code=code)
        rooms = [
            make_space(kind=SpaceKind.MEETING_ROOM, zone=zone, code=f"{code}-{n}")
            for n in range(count)
        ]
        for room in rooms:
            make_booking(space=room, actor=booker, start="10:00", end="11:00")
        db.session.add(
            Closure(
                space=rooms[0],
                start_at=local(DAY, "14:00"),
                end_at=local(DAY, "15:00"),
                reason="设备检修",
            )
        )
    db.session.commit()
    client, _user = signed_in(role)

    def queries(url: str) -> int:
        with recorded_statements() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    queries("/timeline?zone=SMALL&date=2026-09-08")  # warm up
    small = queries("/timeline?zone=SMALL&date=2026-09-08")
    large = queries("/timeline?zone=LARGE&date=2026-09-08")
    assert large == small


def test_the_week_of_a_room(mtg, signed_in) -> None:
    _zone, first, _second = mtg
    company = make_company()
    make_booking(space=first, actor=tenant(company=company), title="周例会", day=DAY)
    db.session.commit()
    client, _user = english(signed_in, company=company)
    page = client.get(f"/spaces/{first.id}/week?start=2026-09-09").text  # a Wednesday
    days = re.findall(r'<section class="tl-weekday[^"]*" aria-labelledby="day-([\d-]+)"', page)
    assert days == [f"2026-09-{n:02d}" for n in range(7, 14)]  # Monday to Sunday
    tuesday = page.split('id="day-2026-09-08"')[1].split("</section>")[0]
    assert "周例会" in tuesday and "10:00–11:00" in tuesday
    assert "周例会" not in page.split('id="day-2026-09-08"')[0]
    assert f"/spaces/{first.id}/week?start=2026-08-31" in page
    assert f"/spaces/{first.id}/week?start=2026-09-14" in page
    assert (first.id, "2026-09-09", "10:00", "11:00") in book_links(page)


def test_rooms_link_to_their_week_and_back(mtg, signed_in) -> None:
    _zone, first, _second = mtg
    client, _user = english(signed_in)
    day_page = client.get("/timeline?zone=MTG&date=2026-09-10").text
    assert f'href="/spaces/{first.id}/week?start=2026-09-07"' in day_page
    week_page = client.get(f"/spaces/{first.id}/week?start=2026-09-07").text
    assert "/timeline?zone=MTG&amp;date=2026-09-07" in week_page


@pytest.mark.parametrize("role", [Role.TENANT, Role.MANAGER])
def test_tenants_and_managers_open_both_pages(mtg, signed_in, role) -> None:
    _zone, first, _second = mtg
    client, _user = signed_in(role)
    assert client.get("/timeline").status_code == 200
    assert client.get(f"/spaces/{first.id}/week").status_code == 200


def test_anonymous_is_sent_to_sign_in(mtg, client) -> None:
    _zone, first, _second = mtg
    for url in ("/timeline", f"/spaces/{first.id}/week"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/auth/login" in response.headers["Location"]


def test_unknown_zones_and_unbookable_spaces_are_not_found(mtg, signed_in) -> None:
    office = make_space(kind=SpaceKind.OFFICE)
    db.session.commit()
    client, _user = signed_in()
    assert client.get("/timeline?zone=NOPE").status_code == 404
    assert client.get(f"/spaces/{office.id}/week").status_code == 404


@pytest.mark.parametrize("role", [Role.TENANT, Role.MANAGER])
def test_far_ahead_only_managers_can_book(mtg, signed_in, role) -> None:
    client, _user = english(signed_in, role)
    far = date(2026, 12, 1).isoformat()  # beyond the meeting rooms' 60 days
    page = client.get(f"/timeline?zone=MTG&date={far}").text
    if role == Role.TENANT:
        assert book_links(page) == set()
        assert "Free, not yet bookable" in page
    else:
        assert book_links(page)
