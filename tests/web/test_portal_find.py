"""Finding a free space: only free ones that fit, else nearby free times as booking links."""

import re
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Role, SpaceKind
from app.sqltypes import utcnow
from app.web import today_local
from tests.conftest import future_day
from tests.fixtures.bookings import hall, make_booking, meeting_room
from tests.fixtures.factories import make_zone


def results(page: str) -> str:
    """What the page shows below the search form."""
    return page.split('role="search"')[1].split("</form>", 1)[1]


@pytest.fixture
def rooms(app):
    """Two meeting rooms of one zone; the big one with a projector is booked 10:00–11:00."""
    zone = make_zone(code="MTG", name="座谈会议室", name_en="Meeting rooms")
    big = meeting_room(
        zone=zone, code="MTG-201", name="会议室 201", capacity=12, equipment=["投影仪", "白板"]
    )
    small = meeting_room(zone=zone, code="MTG-202", name="会议室 202", capacity=6, equipment=[])
    make_booking(space=big, day=future_day(), start="10:00", end="11:00", now=utcnow())
    db.session.commit()
    return big, small


def test_only_free_rooms_are_offered(app, signed_in, rooms) -> None:
    big, small = rooms
    client, _user = signed_in(Role.TENANT, locale="en")
    page = client.get(f"/find?date={future_day()}&start=10:00&duration=60").text
    assert "MTG-202" in page and "MTG-201" not in results(page)
    assert f"/book?space_id={small.id}&amp;date={future_day()}&amp;start=10:00&amp;end=11:00" in (
        page
    )
    assert "Meeting room" in page and "6 seats" in page


@pytest.mark.parametrize("wish", ["people=8", "equipment=投影仪"])
def test_nearby_free_times_when_nothing_fitting_is_free(app, signed_in, rooms, wish) -> None:
    big, _small = rooms
    client, _user = signed_in(Role.TENANT, locale="en")
    page = client.get(f"/find?date={future_day()}&start=10:00&duration=60&{wish}").text
    found = results(page)
    assert "No space that fits is free then." in found
    assert "Nearby free times that day" in found
    assert "MTG-202" not in found  # too small, or no projector
    for start, end in (("09:00", "10:00"), ("11:00", "12:00")):
        link = f"/book?space_id={big.id}&amp;date={future_day()}&amp;start={start}&amp;end={end}"
        assert link in found
    assert found.count(f"/book?space_id={big.id}") == 3


def test_long_slots_are_for_the_halls(app, signed_in, rooms) -> None:
    hall(code="RSH-A", name="多功能路演厅")
    db.session.commit()
    client, _user = signed_in(Role.TENANT, locale="en")
    page = client.get(f"/find?date={future_day()}&start=09:00&duration=360").text
    found = results(page)
    assert "RSH-A" in found and "MTG-20" not in found  # meeting rooms: 4 hours at most
    assert "Needs a manager's approval" in found


def test_a_start_in_the_past_is_pointed_out(app, signed_in, rooms) -> None:
    client, _user = signed_in(Role.TENANT, locale="en")
    yesterday = today_local() - timedelta(days=1)
    page = client.get(f"/find?date={yesterday}&start=10:00&duration=60").text
    assert 'id="start-error"' in page and "This time has passed" in page


def test_the_zone_filter_and_equipment_choices(app, signed_in, rooms) -> None:
    hall(code="RSH-A")
    db.session.commit()
    client, _user = signed_in(Role.TENANT, locale="en")
    page = client.get("/find").text
    assert 'value="投影仪"' in page and 'value="白板"' in page
    zone_id = rooms[0].zone_id
    only = client.get(f"/find?date={future_day()}&start=14:00&duration=60&zone_id={zone_id}").text
    found = results(only)
    assert "MTG-201" in found and "MTG-202" in found and "RSH-A" not in found


@pytest.fixture
def building(app, rooms):
    """Besides the two rooms: a lounge with two tables and the roadshow hall."""
    lounge = make_zone(
        code="LNG", name="休闲洽谈区", name_en="Lounge & Negotiation Area", sort_order=9
    )
    tables = [
        meeting_room(
            zone=lounge,
            kind=SpaceKind.TABLE,
            code=f"LNG-T{n}",
            name=f"洽谈桌 T{n}（{seats}人）",
            name_en=f"Table T{n}",
            capacity=seats,
            equipment=["电源插座"],
        )
        for n, seats in ((1, 4), (3, 6))
    ]
    roadshow = hall(code="RSH-A", name="多功能路演厅", name_en="Roadshow Hall", equipment=["音响"])
    db.session.commit()
    return rooms, tables, roadshow


def space_codes(page: str) -> list[str]:
    """The codes of the result rows, in the page's order."""
    return re.findall(r'data-space-code="([^"]+)"', results(page))


def test_two_people_see_the_smallest_space_first_and_the_hall_last(app, signed_in, building):
    client, _user = signed_in(Role.TENANT)
    page = client.get(f"/find?date={future_day()}&start=14:00&duration=60&people=2").text
    assert space_codes(page) == ["LNG-T1", "MTG-202", "LNG-T3", "MTG-201", "RSH-A"]
    assert "需管理人员审批" in results(page).split("RSH-A", 1)[1]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("table", ["LNG-T1", "LNG-T3"]),
        ("meeting_room", ["MTG-202", "MTG-201"]),
        ("hall", ["RSH-A"]),
    ],
)
def test_the_kind_filter(app, signed_in, building, kind, expected) -> None:
    client, _user = signed_in(Role.TENANT)
    page = client.get(f"/find?date={future_day()}&start=14:00&duration=60&kind={kind}").text
    assert space_codes(page) == expected
    assert f'<option selected value="{kind}">' in page


def test_an_unknown_kind_is_pointed_out(app, signed_in, building) -> None:
    client, _user = signed_in(Role.TENANT, locale="en")
    page = client.get(f"/find?date={future_day()}&start=14:00&duration=60&kind=office").text
    assert 'id="kind-error"' in page and space_codes(page) == []


def test_english_readers_see_english_names_of_spaces_zones_and_equipment(
    app, signed_in, building
) -> None:
    client, _user = signed_in(Role.TENANT, locale="en")
    page = client.get(f"/find?date={future_day()}&start=14:00&duration=60&people=2").text
    found = results(page)
    assert "LNG-T1 Table T1" in found and "Lounge &amp; Negotiation Area" in found
    assert "Power sockets" in found and "Sound system" in found
    assert not re.search(r"[\u4e00-\u9fff]", found)  # not one Chinese character
    # the equipment choices are labelled in English and still send the stored name
    assert 'value="电源插座"> Power sockets' in page.replace('" ', '"').replace("  ", " ")


def test_chinese_readers_see_chinese_names(app, signed_in, building) -> None:
    client, _user = signed_in(Role.TENANT)
    page = client.get(f"/find?date={future_day()}&start=14:00&duration=60&people=2").text
    found = results(page)
    assert "洽谈桌 T1（4人）" in found and "休闲洽谈区" in found and "电源插座" in found


def test_equipment_sent_by_its_stored_name_filters_and_is_folded_away(app, signed_in, building):
    client, _user = signed_in(Role.TENANT, locale="en")
    page = client.get(
        f"/find?date={future_day()}&start=14:00&duration=60&equipment=投影仪&equipment=白板"
    ).text
    assert space_codes(page) == ["MTG-201"]
    form = page.split('role="search"')[1].split("</form>")[0]
    assert '<details class="finder-kit">' in form  # closed: the Search button stays in view
    assert "Equipment: Projector, Whiteboard" in form or "Equipment: Whiteboard, Projector" in form
