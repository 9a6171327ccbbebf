"""Finding a free space: only free ones that fit, else nearby free times as booking links."""

from datetime import date, timedelta

import pytest

from app.extensions import db
from app.models import Role
from app.sqltypes import utcnow
from app.web import today_local
from tests.fixtures.bookings import hall, make_booking, meeting_room, next_working_day
from tests.fixtures.factories import make_zone


def future_day() -> date:
    return next_working_day(today_local() + timedelta(days=2))


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
    assert "Meeting room" in page and "Seats" in page


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
