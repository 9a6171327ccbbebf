"""The overview's charts for managers and the monthly statement for tenants."""

import re
from datetime import time, timedelta

import pytest

from app.extensions import db
from app.models import Role, SpaceKind, Stage
from app.services.dashboard import months_back
from app.services.localtime import local_datetime
from app.web import today_local
from tests.fixtures.bookings import insert_booking, meeting_room, tenant
from tests.fixtures.factories import make_lease, make_space, make_zone
from tests.fixtures.queries import recorded_statements

HOUR = timedelta(hours=1)


def at(days_ago: int, hour: int):
    """A local time some days before today, as UTC."""
    return local_datetime(today_local() - timedelta(days=days_ago), time(hour))


@pytest.fixture
def building(app):
    """Two meeting rooms, a leased office and two companies with bookings today."""
    zone = make_zone(code="MTG", name="座谈会议室", name_en="Meeting rooms")
    rooms = [meeting_room(code=f"MTG-20{n}", zone=zone) for n in (1, 2)]
    offices = make_zone(code="INC", name="孵化空间", name_en="Incubation Space")
    office = make_space(kind=SpaceKind.OFFICE, zone=offices, area_m2=60)
    make_space(kind=SpaceKind.OFFICE, zone=offices, area_m2=40)
    people = [
        tenant(name="四川护能科技有限公司", stage=Stage.ACCELERATING),
        tenant(name="<script>alert(1)</script>科技"),
    ]
    make_lease(company=people[0].company, space=office, starts_on=today_local() - timedelta(400))
    for number, person in enumerate(people):
        start = at(0, 8 + number)
        insert_booking(rooms[0], person.company, person, start, start + HOUR)
    db.session.commit()
    return rooms, people


def add_bookings(rooms, people, count: int) -> None:
    """``count`` more bookings over the past four weeks, some of them no-shows."""
    for number in range(count):
        person = people[number % len(people)]
        start = at(1 + number % 27, 8 + number // 27 % 12)
        insert_booking(
            rooms[number % 2],
            person.company,
            person,
            start,
            start + HOUR,
            requires_check_in=True,
            checked_in_at=start if number % 3 else None,
        )
    db.session.commit()


def manager_page(signed_in) -> str:
    client, _manager = signed_in(Role.MANAGER, locale="en")
    response = client.get("/manage/")
    assert response.status_code == 200
    return response.text


def test_the_overview_draws_each_chart_with_its_labels(building, signed_in) -> None:
    add_bookings(*building, count=12)
    page = manager_page(signed_in)

    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"') == 6
    for chart_id in (
        "occupancy-now",
        "occupancy-trend",
        "room-utilization",
        "room-heat-map",
        "top-companies",
        "no-shows",
    ):
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in page
    today = today_local()
    assert f"Occupancy by zone on {today.isoformat()}" in page
    assert "INC Incubation Space" in page and "60% · 60/100 m²" in page
    assert "Meeting-room utilisation by week" in page and f"W{today.isocalendar().week:02d}" in page
    assert "MTG-201" in page and "MTG-202" in page
    assert f"Companies booking most in {today:%Y-%m}" in page and "四川护能科技有限公司" in page
    assert re.search(r"\d+(\.\d)? h / 40 h free", page)
    assert "No-shows by week" in page and "bookings that needed a check-in had none." in page
    assert page.count("Show the numbers") == 6
    # A company's name is text, never markup.
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;科技" in page


def test_an_empty_building_gets_an_overview_that_says_so(app, signed_in) -> None:
    page = manager_page(signed_in)
    assert page.count("No data for this period.") >= 3
    assert "No meeting-room bookings this month yet." in page


def test_the_overview_costs_the_same_queries_for_few_or_many_bookings(building, signed_in) -> None:
    client, _manager = signed_in(Role.MANAGER, locale="en")

    def count() -> int:
        with recorded_statements() as statements:
            assert client.get("/manage/").status_code == 200
        return len(statements)

    count()  # warm up: the first request may fill caches
    few = count()
    add_bookings(*building, count=120)
    many = count()
    assert many == few


def test_a_tenant_sees_their_statement_but_not_the_console(building, signed_in) -> None:
    _rooms, people = building
    own = people[0].company
    client, _user = signed_in(Role.TENANT, locale="en", company=own)

    page = client.get("/statement").text
    months = [months_back(today_local(), 6 - n) for n in range(6)]

    assert own.name in page and "Meeting-room hours, last 6 months" in page
    assert 'role="img"' in page and 'aria-labelledby="statement-title statement-desc"' in page
    assert all(f"{month:%Y-%m}" in page for month in months)
    assert re.search(rf"{today_local():%Y-%m}</td>\s*<td[^>]*>1</td>\s*<td[^>]*>40</td>", page)
    assert client.get("/manage/").status_code == 403
    assert 'href="/statement"' in client.get("/").text


def test_a_tenant_cannot_read_another_companys_statement(building, signed_in) -> None:
    _rooms, people = building
    other = people[1].company
    client, user = signed_in(Role.TENANT, locale="en", company=people[0].company)

    response = client.get(f"/statement?company_id={other.id}")

    assert response.status_code == 200
    assert user.company.name in response.text
    assert "alert(1)" not in response.text


def test_staff_choose_the_company_of_a_statement(building, signed_in) -> None:
    _rooms, people = building
    client, _manager = signed_in(Role.MANAGER, locale="en")

    chooser = client.get("/statement").text
    assert "Choose a company to see its statement." in chooser
    assert "四川护能科技有限公司" in chooser  # as an option

    page = client.get(f"/statement?company_id={people[1].company.id}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;科技 · Incubated" in page
    assert client.get("/statement?company_id=999999").status_code == 404
