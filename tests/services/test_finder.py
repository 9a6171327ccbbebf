"""Finding a space ranked by fit: free for the whole slot, confirmed at once before waiting for
a manager, then the fewest seats that fit, then the zone nearest the company."""

from dataclasses import dataclass
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import BookingStatus, Company, Role, Space, SpaceKind, Stage, User, Zone
from app.services.equipment import english_name, equipment_label, stored_name
from app.services.errors import RuleViolation
from app.services.finder import Wish, check_slot, find_spaces
from app.services.spaces import normalise_equipment
from tests.fixtures.bookings import DAY, NOW, hall_zone, local, make_booking
from tests.fixtures.factories import make_company, make_lease, make_space, make_user, make_zone

HOUR = timedelta(hours=1)


@dataclass
class Building:
    """Zones in the demo's order (sort_order) and the bookable spaces in them."""

    zones: dict[str, Zone]
    spaces: list[Space]

    def __getitem__(self, code: str) -> Space:
        return next(space for space in self.spaces if space.code == code)


@pytest.fixture
def building(app) -> Building:
    zones = {
        "INC": make_zone(code="INC", name="孵化空间", name_en="Incubation Space", sort_order=2),
        "MTG": make_zone(code="MTG", name="座谈会议室", name_en="Meeting rooms", sort_order=5),
        "RSH": hall_zone(code="RSH", name="多功能路演厅", name_en="Roadshow Hall", sort_order=6),
        "EVT": hall_zone(code="EVT", name="活动区", name_en="Event Area", sort_order=8),
        "LNG": make_zone(code="LNG", name="休闲洽谈区", name_en="Lounge", sort_order=9),
    }

    def space(code: str, zone: str, kind: SpaceKind, seats: int, kit: str = "", **more) -> Space:
        return make_space(
            code=code, zone=zones[zone], kind=kind, capacity=seats, equipment=kit.split(), **more
        )

    room, hall, area, table = (
        SpaceKind.MEETING_ROOM,
        SpaceKind.HALL,
        SpaceKind.EVENT_AREA,
        SpaceKind.TABLE,
    )
    whole = space("EVT-A", "EVT", area, 300, "音响 展架", requires_approval=True)
    spaces = [
        space("MTG-201", "MTG", room, 12, "投影仪 视频会议 白板"),
        space("MTG-202", "MTG", room, 6, "电视屏 白板"),
        space("MTG-209", "MTG", room, 4, "电视屏", requires_approval=True),
        space("RSH-A", "RSH", hall, 200, "LED大屏 音响", requires_approval=True),
        whole,
        space("EVT-A1", "EVT", area, 150, "音响 展架", requires_approval=True, parent=whole),
        space("LNG-T1", "LNG", table, 4, "电源插座"),
        space("LNG-T3", "LNG", table, 6, "电源插座"),
    ]
    db.session.flush()
    return Building(zones, spaces)


def tenant_in(building: Building, zone: str | None, **company: object) -> User:
    """A tenant whose company leases an office in ``zone`` (None: leases nothing)."""
    firm: Company = make_company(**company)
    if zone is not None:
        office = make_space(code=f"{zone}-301", zone=building.zones[zone], kind=SpaceKind.OFFICE)
        make_lease(company=firm, space=office)
    return make_user(role=Role.TENANT, company=firm)


def codes(actor: User, building: Building, **wish: object) -> list[str]:
    """The codes of the free spaces, best fit first, for 10:00–11:00 on DAY."""
    found = find_spaces(actor, building.spaces, Wish(local(DAY, "10:00"), HOUR, **wish), NOW)
    return [slot.space.code for slot in found.free]


def test_two_people_get_the_smallest_confirmed_space_first(building) -> None:
    actor = tenant_in(building, "INC")
    assert codes(actor, building, people=2) == [
        "LNG-T1",  # 4 seats, confirmed at once
        "MTG-202",  # 6 seats, the meeting rooms are nearer the incubation offices …
        "LNG-T3",  # … than the lounge
        "MTG-201",  # 12 seats
        "MTG-209",  # 4 seats but needs approval: after every space confirmed at once
        "EVT-A1",
        "RSH-A",
        "EVT-A",
    ]


def test_people_who_do_not_fit_leave_the_small_spaces_out(building) -> None:
    actor = tenant_in(building, "INC")
    assert codes(actor, building, people=10) == ["MTG-201", "EVT-A1", "RSH-A", "EVT-A"]


@pytest.mark.parametrize(
    ("home", "six_seats"),
    [("INC", ["MTG-202", "LNG-T3"]), ("LNG", ["LNG-T3", "MTG-202"]), (None, ["MTG-202", "LNG-T3"])],
)
def test_of_equal_size_the_space_nearest_the_company_comes_first(building, home, six_seats):
    actor = tenant_in(building, home)
    found = codes(actor, building, people=5)
    assert found[:2] == six_seats


def test_a_space_taken_for_part_of_the_slot_is_left_out(building) -> None:
    actor = tenant_in(building, "INC")
    make_booking(space=building["LNG-T1"], start="10:30", end="11:30")
    make_booking(
        space=building["EVT-A1"],
        start="09:00",
        end="10:30",
        actor=make_user(role=Role.MANAGER),
        company=actor.company,
    )
    found = codes(actor, building, people=2)
    assert "LNG-T1" not in found and found[0] == "MTG-202"
    assert "EVT-A1" not in found and "EVT-A" not in found  # the half holds the whole


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        ({SpaceKind.TABLE}, ["LNG-T1", "LNG-T3"]),
        ({SpaceKind.MEETING_ROOM}, ["MTG-202", "MTG-201", "MTG-209"]),
        ({SpaceKind.HALL, SpaceKind.EVENT_AREA}, ["EVT-A1", "RSH-A", "EVT-A"]),
    ],
)
def test_the_kind_filter(building, kinds, expected) -> None:
    actor = tenant_in(building, "INC")
    assert codes(actor, building, people=2, kinds=frozenset(kinds)) == expected


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        ({"白板"}, ["MTG-202", "MTG-201"]),
        ({"白板", "投影仪"}, ["MTG-201"]),
        ({"音响"}, ["EVT-A1", "RSH-A", "EVT-A"]),
        ({"咖啡机"}, []),
    ],
)
def test_the_equipment_filter_wants_every_piece(building, wanted, expected) -> None:
    actor = tenant_in(building, "INC")
    assert codes(actor, building, people=2, equipment=frozenset(wanted)) == expected


def test_beyond_the_free_hours_meeting_rooms_wait_and_tables_come_first(building) -> None:
    actor = tenant_in(building, "INC", stage=Stage.GRADUATED)  # no free hours at all
    wish = Wish(local(DAY, "10:00"), HOUR, 2)
    found = find_spaces(actor, building.spaces, wish, NOW)
    order = [slot.space.code for slot in found.free]
    assert order[:2] == ["LNG-T1", "LNG-T3"]  # tables never count against the free hours
    room = found.fit(building["MTG-202"])
    assert (room.status, room.reason) == (BookingStatus.PENDING, "over_allowance")
    assert found.fit(building["RSH-A"]).reason == "approval"
    assert found.fit(building["LNG-T1"]).confirmed_at_once


def test_a_manager_books_everything_at_once_so_size_alone_decides(building) -> None:
    actor = make_user(role=Role.MANAGER)
    # four seats each, in the building's order; then six
    assert codes(actor, building, people=2)[:3] == ["MTG-209", "LNG-T1", "MTG-202"]


def test_a_tenant_is_not_offered_what_is_too_far_ahead(building) -> None:
    actor = tenant_in(building, "INC")
    later = Wish(local(DAY + timedelta(days=90), "10:00"), HOUR, 2)
    found = find_spaces(actor, building.spaces, later, NOW)
    # meeting rooms and tables 60 days ahead at most, the halls 180
    assert {slot.space.kind for slot in found.free} == {SpaceKind.HALL, SpaceKind.EVENT_AREA}


def test_nearby_free_times_are_ranked_the_same_way(building) -> None:
    actor = tenant_in(building, "INC")
    for code in ("LNG-T1", "LNG-T3"):
        make_booking(space=building[code], start="10:00", end="11:00")
    wish = Wish(local(DAY, "10:00"), HOUR, 2, frozenset({SpaceKind.TABLE}))
    found = find_spaces(actor, building.spaces, wish, NOW)
    assert found.free == []
    assert [space.code for space, _slots in found.nearby] == ["LNG-T1", "LNG-T3"]
    first = [slot.times for slot in found.nearby[0][1]]
    assert first == ["08:45–09:45", "09:00–10:00", "11:00–12:00"]


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        ("10:00", "10:00", "end"),
        ("11:00", "10:00", "end"),
        ("10:05", "11:00", "start"),
        ("10:00", "10:50", "end"),
        ("10:00", "10:15", "end"),
    ],
)
def test_a_slot_no_booking_could_have_is_refused(app, start, end, field) -> None:
    with pytest.raises(RuleViolation) as refused:
        check_slot(local(DAY, start), local(DAY, end), NOW)
    assert refused.value.field == field


def test_a_slot_that_has_begun_is_refused(app) -> None:
    with pytest.raises(RuleViolation) as refused:
        check_slot(NOW - timedelta(minutes=15), NOW + HOUR, NOW)
    assert refused.value.field == "start"
    check_slot(NOW, NOW + HOUR, NOW)  # starting now is fine


@pytest.mark.parametrize("typed", ["投影仪", "Projector", " projector ", "PROJECTOR"])
def test_a_standard_item_is_stored_under_one_name_whichever_language_it_is_typed_in(typed):
    assert stored_name(typed) == "投影仪"
    assert normalise_equipment([typed, "投影仪", "咖啡机 "]) == ["投影仪", "咖啡机"]


def test_equipment_names_follow_the_reader() -> None:
    assert equipment_label("电源插座", "en") == "Power sockets"
    assert equipment_label("电源插座", "zh_CN") == "电源插座"
    assert english_name("咖啡机") == "咖啡机"  # outside the vocabulary: as typed
