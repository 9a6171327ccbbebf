"""The managers' report page: a range with presets, a preview, CSV and XLSX downloads."""

import csv
import html
import io
import re
from datetime import datetime, timedelta
from urllib.parse import quote

import openpyxl
import pytest

from app.extensions import db
from app.models import Role, SpaceKind
from app.web import today_local
from tests.fixtures.bookings import insert_booking, local
from tests.fixtures.factories import make_company, make_space, make_user, make_zone

OCTOBER = "from=2026-10-01&to=2026-10-31"


@pytest.fixture
def building(app) -> None:
    zone = make_zone(code="MTG", name="座谈会议室")
    room = make_space(code="MTG-201", name="二〇一", kind=SpaceKind.MEETING_ROOM, zone=zone)
    make_space(code="INC-301", kind=SpaceKind.OFFICE, zone=make_zone(code="INC"), area_m2=40)
    user = make_user(company=make_company(name="+86 乐山"))
    start = local("2026-10-13", "09:00")
    insert_booking(room, user.company, user, start, start + timedelta(hours=7), title="@评审")
    db.session.commit()


def test_a_manager_sees_the_form_presets_preview_and_downloads(signed_in, building) -> None:
    client, _manager = signed_in(Role.MANAGER)
    page = client.get(f"/manage/reports?{OCTOBER}&period=month")
    assert page.status_code == 200
    text = page.text
    for name in ("from", "to", "period", "group", "status"):
        field_id = f"report-{name}"
        assert f'<label for="{field_id}">' in text and f'id="{field_id}"' in text
    today = today_local()
    first = today.replace(day=1).isoformat()
    assert f"from={first}" in html.unescape(text)  # "This month" preset
    assert f"from={today.year}-01-01&amp;to={today.year}-12-31" in text  # "This year"
    links = set(re.findall(r'href="(/manage/reports/[^"]+)"', html.unescape(text)))
    for name in ("utilization", "area-occupancy", "bookings"):
        for fmt in ("csv", "xlsx"):
            assert any(link.startswith(f"/manage/reports/{name}.{fmt}?") for link in links), name
    # Preview: 31 × 14 = 434 h open, 7 h booked = 1.6 %.
    assert "MTG-201" in text and "434.00" in text and "7.00" in text and "1.6%" in text
    assert 'href="/manage/reports"' in text  # the menu link


def test_the_downloads_carry_chinese_names_and_typed_cells(signed_in, building) -> None:
    client, _manager = signed_in(Role.MANAGER)
    response = client.get(f"/manage/reports/bookings.csv?{OCTOBER}", buffered=True)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert (
        f"filename*=UTF-8''{quote('预订明细-2026-10.csv')}"
        in (response.headers["Content-Disposition"])
    )
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    header, row = csv.reader(io.StringIO(text[1:], newline=""))
    assert (row[4], row[6]) == ("'+86 乐山", "'@评审")
    workbook = client.get(f"/manage/reports/utilization.xlsx?{OCTOBER}", buffered=True)
    assert quote("会议室使用率-2026-10.xlsx") in workbook.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.get_data())).active
    assert [c.value for c in sheet[2]][4:9] == ["MTG-201", "二〇一", 434, 7, 1.6]
    occupancy = client.get(f"/manage/reports/area-occupancy.csv?{OCTOBER}", buffered=True)
    assert occupancy.get_data(as_text=True).splitlines()[1].startswith("2026-10-01,2026-10-31,INC")


def test_bad_choices_show_errors_on_the_page_and_refuse_a_download(signed_in, app) -> None:
    client, _manager = signed_in(Role.MANAGER)
    page = client.get("/manage/reports?from=2026-10-31&to=2026-10-01&period=year")
    assert page.status_code == 200
    assert 'id="report-to-error"' in page.text and 'id="report-period-error"' in page.text
    refused = client.get("/manage/reports/utilization.csv?from=someday", buffered=True)
    assert refused.status_code == 400
    assert client.get("/manage/reports/payroll.csv").status_code == 404


def test_a_tenant_gets_403(signed_in, app) -> None:
    client, _tenant = signed_in(Role.TENANT)
    assert client.get("/manage/reports").status_code == 403
    assert client.get("/manage/reports/bookings.csv", buffered=True).status_code == 403
    assert 'href="/manage/reports"' not in client.get("/").text


def test_the_managers_workbook_reads_in_chinese_with_date_time_cells(signed_in, building) -> None:
    client, _manager = signed_in(Role.MANAGER, locale="zh_CN")
    workbook = client.get(f"/manage/reports/bookings.xlsx?{OCTOBER}", buffered=True)
    assert workbook.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.get_data())).active
    header = [cell.value for cell in sheet[1]]
    assert header == [
        "预订编号",
        "区域代码",
        "空间代码",
        "空间",
        "企业",
        "预订人",
        "主题",
        "开始时间",
        "结束时间",
        "状态",
        "已签到",
    ]
    row = {name: cell for name, cell in zip(header, sheet[2], strict=True)}
    assert row["状态"].value == "已确认"
    assert row["开始时间"].value == datetime(2026, 10, 13, 9, 0)
    assert row["开始时间"].is_date and row["开始时间"].number_format == "yyyy-mm-dd hh:mm"
    assert row["结束时间"].value == datetime(2026, 10, 13, 16, 0)
    occupancy = client.get(f"/manage/reports/area-occupancy.xlsx?{OCTOBER}", buffered=True)
    sheet = openpyxl.load_workbook(io.BytesIO(occupancy.get_data())).active
    assert [cell.value for cell in sheet[1]][4:7] == ["可租面积（m²）", "已租面积（m²）", "入驻率"]


def test_the_workbook_follows_the_readers_language_and_the_csv_keeps_the_codes(
    signed_in, building
) -> None:
    client, _manager = signed_in(Role.MANAGER, locale="en")
    workbook = client.get(f"/manage/reports/bookings.xlsx?{OCTOBER}", buffered=True)
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.get_data())).active
    assert [cell.value for cell in sheet[1]][0] == "Booking number"
    assert sheet["J2"].value == "Confirmed"
    text = client.get(f"/manage/reports/bookings.csv?{OCTOBER}", buffered=True).get_data(
        as_text=True
    )
    header, row = csv.reader(io.StringIO(text[1:], newline=""))
    assert header == [
        "id",
        "zone_code",
        "space_code",
        "space_name",
        "company",
        "user",
        "title",
        "start",
        "end",
        "status",
        "checked_in",
    ]
    assert row[7:10] == ["2026-10-13T09:00:00+08:00", "2026-10-13T16:00:00+08:00", "confirmed"]


def test_the_page_names_the_count_of_bookings_and_how_rows_are_summed(signed_in, building) -> None:
    client, _manager = signed_in(Role.MANAGER, locale="zh_CN")
    text = client.get(f"/manage/reports?{OCTOBER}").text
    assert "<th>预订数</th>" in text and 'data-label="预订数"' in text
    assert '<label for="report-period">汇总方式</label>' in text
    assert "预订列表" not in text.split("</header>")[1]  # the menu's "Bookings" is a list
    assert "行数" not in text
    assert "<strong>预订明细</strong>" in text
