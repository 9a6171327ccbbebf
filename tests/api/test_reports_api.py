"""GET /api/v1/reports/*.csv: managers read everything, tenants their own company's bookings."""

import csv
import io
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

import openpyxl
import pytest

from app.extensions import db
from app.models import BookingStatus
from tests.api.conftest import SHANGHAI, Api, World, assert_error, bearer, insert_booking, local_utc

OCTOBER = {"from": "2026-10-01", "to": "2026-10-31"}
DAY = date(2026, 10, 13)  # a Tuesday


def get(api: Api, path: str, query: dict[str, str] | None = None, /, **more: str) -> Any:
    """GET with the body read inside the request, as a WSGI server reads a streamed response.

    (The test client would otherwise iterate the stream after the request's context is gone.)
    """
    query_string = {**(query or {}), **more}
    response = api.client.get(
        path, query_string=query_string, headers=bearer(api.token), buffered=True
    )
    db.session.rollback()
    return response


def read_csv(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


@pytest.fixture
def booked(world: World) -> World:
    ids = world.ids
    insert_booking(world.room, world.company_a, ids["tenant_a"], local_utc(DAY, "09:00"),
                   local_utc(DAY, "11:00"), title="=1+1")  # fmt: skip
    insert_booking(world.room, world.company_b, ids["tenant_b"], local_utc(DAY, "14:00"),
                   local_utc(DAY, "15:00"), BookingStatus.CANCELLED, title="乙的会")  # fmt: skip
    return world


def test_a_manager_reads_utilization_as_csv(booked: World) -> None:
    response = get(booked.manager, "/api/v1/reports/utilization.csv", OCTOBER)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.get_data().startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in response.get_data()
    header, hall, room = read_csv(response)  # by zone, then space code
    assert header[:3] == ["period_start", "period_end", "zone_code"]
    # 31 × 14 h open; 2 h confirmed (the cancelled one apart) = 0.46 %.
    assert room[4:] == ["M-101", room[5], "434.0", "2.0", "0.5", "1", "1", "0"]
    assert hall[4] == "H-1"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="utilization-2026-10.csv"')
    assert f"filename*=UTF-8''{quote('会议室使用率-2026-10.csv')}" in disposition


def test_utilization_by_zone_and_week(booked: World) -> None:
    query = {**OCTOBER, "period": "week", "group": "zone"}
    rows = read_csv(get(booked.manager, "/api/v1/reports/utilization.csv", query))
    assert [r[0] for r in rows[1:]] == [
        "2026-10-01", "2026-10-05", "2026-10-12", "2026-10-19", "2026-10-26",
    ]  # fmt: skip
    assert {r[4] for r in rows[1:]} == {""}


def test_a_tenant_may_not_read_the_building_reports(booked: World) -> None:
    for path in ("/api/v1/reports/utilization.csv", "/api/v1/reports/area-occupancy.csv"):
        assert_error(booked.tenant_a.get(path, OCTOBER), 403, "forbidden")


def test_a_tenant_reads_only_their_company_bookings(booked: World) -> None:
    rows = read_csv(get(booked.tenant_a, "/api/v1/reports/bookings.csv", OCTOBER))
    assert rows[0][6] == "title"
    assert [(r[4], r[6]) for r in rows[1:]] == [("甲科技有限公司", "'=1+1")]
    everyone = read_csv(get(booked.manager, "/api/v1/reports/bookings.csv", OCTOBER))
    assert [r[4] for r in everyone[1:]] == ["甲科技有限公司", "乙科技有限公司"]
    cancelled = get(booked.manager, "/api/v1/reports/bookings.csv", OCTOBER, status="cancelled")
    assert [r[9] for r in read_csv(cancelled)[1:]] == ["cancelled"]


def test_area_occupancy_as_xlsx(booked: World) -> None:
    response = get(booked.manager, "/api/v1/reports/area-occupancy.csv", OCTOBER, format="xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert (
        "filename*=UTF-8''" + quote("入驻率-2026-10.xlsx")
        in response.headers["Content-Disposition"]
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[2]][2:] == ["MTG", "会议区", 50, 0, 0.0, 1, 0, 0]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-13-01"}, "from"),
        ({"from": "2026-10-31", "to": "2026-10-01"}, "to"),
        ({"from": "2020-01-01", "to": "2026-12-31"}, "to"),
        ({"period": "year"}, "period"),
        ({"group": "floor"}, "group"),
        ({"format": "pdf"}, "format"),
    ],
)
def test_bad_parameters_are_400(booked: World, query, field) -> None:
    response = get(booked.manager, "/api/v1/reports/utilization.csv", query)
    details = assert_error(response, 400, "bad_request")
    assert field in details["fields"]


def test_a_bad_status_is_400_and_no_token_is_401(booked: World, client) -> None:
    response = get(booked.tenant_a, "/api/v1/reports/bookings.csv", status="lost")
    assert_error(response, 400, "bad_request")
    assert_error(client.get("/api/v1/reports/bookings.csv"), 401, "unauthorized")


def test_the_default_range_is_this_month(booked: World) -> None:
    response = get(booked.manager, "/api/v1/reports/bookings.csv")
    assert response.status_code == 200
    today = datetime.now(SHANGHAI).date()
    assert f"bookings-{today:%Y-%m}.csv" in response.headers["Content-Disposition"]
