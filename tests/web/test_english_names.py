"""English readers see the English names of zones and spaces: closures, the zones list, the
reports page and its downloads, and the booking rules' messages. The API's CSV keeps the Chinese
names of API.md."""

import csv
import io
from datetime import date, timedelta

import openpyxl
import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from app.extensions import db
from app.models import Role, Space, SpaceKind
from app.services.booking_rules import check_times
from tests.api.conftest import bearer, issue
from tests.conftest import csrf_token
from tests.fixtures.bookings import NOW, hall_zone, insert_booking, local, manager
from tests.fixtures.factories import make_company, make_space, make_user, make_zone

OCTOBER = "from=2026-10-01&to=2026-10-31"


@pytest.fixture
def building(app) -> None:
    zone = make_zone(code="MTG", name="座谈会议室", name_en="Meeting rooms")
    room = make_space(
        code="MTG-201",
        name="会议室 201（6人）",
        name_en="Meeting Room 201",
        kind=SpaceKind.MEETING_ROOM,
        zone=zone,
    )
    make_space(
        code="INC-301",
        name="孵化办公室 301",
        name_en="Incubation Office 301",
        kind=SpaceKind.OFFICE,
        zone=make_zone(code="INC", name="孵化空间", name_en="Incubation Space"),
    )
    user = make_user(company=make_company(name="乐山测试科技有限公司"))
    start = local("2026-10-13", "09:00")
    insert_booking(room, user.company, user, start, start + timedelta(hours=2), title="周会")
    db.session.commit()


def test_the_reports_page_names_zones_and_spaces_in_english(signed_in, building) -> None:
    client, _manager = signed_in(Role.MANAGER, locale="en")
    text = client.get(f"/manage/reports?{OCTOBER}&group=space").text
    assert "MTG Meeting rooms" in text and "MTG-201 Meeting Room 201" in text
    assert "座谈会议室" not in text and "会议室 201" not in text
    chinese = signed_in(Role.MANAGER, locale="zh_CN")[0].get(f"/manage/reports?{OCTOBER}").text
    assert "MTG 座谈会议室" in chinese and "会议室 201（6人）" in chinese


@pytest.mark.parametrize("report", ["utilization", "bookings", "area-occupancy"])
def test_downloads_in_english_carry_english_names(signed_in, building, report) -> None:
    client, _manager = signed_in(Role.MANAGER, locale="en")
    text = client.get(f"/manage/reports/{report}.csv?{OCTOBER}", buffered=True).get_data(
        as_text=True
    )
    rows = list(csv.DictReader(io.StringIO(text[1:], newline="")))
    assert rows
    for row in rows:
        if row.get("zone_name"):
            assert row["zone_name"] in {"Meeting rooms", "Incubation Space"}, row
        if row.get("space_name"):
            assert row["space_name"] == "Meeting Room 201", row
    workbook = client.get(f"/manage/reports/{report}.xlsx?{OCTOBER}", buffered=True)
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.get_data())).active
    cells = {str(cell.value) for line in sheet.iter_rows(min_row=2) for cell in line}
    assert cells & {"Meeting rooms", "Incubation Space", "Meeting Room 201"}
    assert not cells & {"座谈会议室", "孵化空间", "会议室 201（6人）"}


def test_the_apis_csv_keeps_the_chinese_names(app, client, building) -> None:
    token = issue(make_user(role=Role.MANAGER, locale="en"))
    response = client.get(
        f"/api/v1/reports/bookings.csv?{OCTOBER}", headers=bearer(token), buffered=True
    )
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True)[1:], newline="")))
    assert [row["space_name"] for row in rows] == ["会议室 201（6人）"]


def test_closures_offer_zones_and_spaces_by_their_english_names(signed_in, building) -> None:
    client, _manager = signed_in(Role.MANAGER, locale="en")
    text = client.get("/manage/closures").text
    assert "MTG Meeting rooms" in text and "MTG-201 Meeting Room 201" in text
    assert "座谈会议室" not in text


def test_the_zones_list_in_english(signed_in, building) -> None:
    client, _manager = signed_in(Role.MANAGER, locale="en")
    text = client.get("/manage/zones").text
    assert "Meeting rooms" in text and "座谈会议室" not in text


def test_a_rule_names_the_zone_in_the_readers_language(app) -> None:
    roadshow = make_space(
        kind=SpaceKind.HALL,
        zone=hall_zone(code="RSH", name="多功能路演厅", name_en="Roadshow Hall"),
        requires_approval=True,
    )
    early = local(date(2026, 9, 8), "07:00")
    _field, message = check_times(roadshow, early, early + timedelta(hours=2), NOW, manager())
    with app.test_request_context(), force_locale("en"):
        assert str(message) == "Roadshow Hall is open from 08:30 to 21:00."
    with app.test_request_context(), force_locale("zh_CN"):
        assert str(message).startswith("多功能路演厅")


def test_a_manager_edits_equipment_in_english_and_it_is_stored_under_one_name(
    signed_in, building
) -> None:
    room = db.session.scalars(sa.select(Space).where(Space.code == "MTG-201")).one()
    room.equipment = ["投影仪", "白板"]
    db.session.commit()
    client, _manager = signed_in(Role.MANAGER, locale="en")
    page = client.get(f"/manage/spaces/{room.id}/edit").text
    assert 'value="Projector, Whiteboard"' in page
    form = {
        "csrf_token": csrf_token(page),
        "zone_id": room.zone_id,
        "parent_id": "",
        "code": room.code,
        "name": room.name,
        "name_en": room.name_en,
        "kind": room.kind.value,
        "area_m2": room.area_m2,
        "capacity": 6,
        "equipment": "Projector, whiteboard, Video conferencing, Coffee machine",
        "bookable": "y",
        "active": "y",
    }
    response = client.post(f"/manage/spaces/{room.id}/edit", data=form)
    assert response.status_code == 302, response.text
    db.session.rollback()
    stored = db.session.get(Space, room.id)
    assert stored is not None
    assert stored.equipment == ["投影仪", "白板", "视频会议", "Coffee machine"]
    chinese = signed_in(Role.MANAGER, locale="zh_CN")[0].get(f"/manage/spaces/{room.id}/edit")
    assert 'value="投影仪, 白板, 视频会议, Coffee machine"' in chinese.text
