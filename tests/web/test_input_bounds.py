"""Crafted input on the pages gets a clean answer: the years, ids and texts the API refuses.

Years 1 and 9999 used to overflow date arithmetic, a 20-digit id the database's INTEGER, and a
NUL broke PostgreSQL's text; each is now refused where it comes in (``app/web/bounds.py``):
beside the form field in Chinese, or with the page's default, a 400 or a 404.
"""

import re
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask_wtf import FlaskForm

from app.extensions import db
from app.models import ApiToken, Booking, Closure, Company, Lease, Role, SpaceKind
from app.services import tokens
from app.services.importing import import_kind
from app.services.importing.columns import CellError
from app.web import today_local
from app.web.bounds import MAX_INT, digits_up_to
from app.web.forms import WebForm
from tests.conftest import csrf_token, sign_in
from tests.fixtures.bookings import meeting_room, next_working_day
from tests.fixtures.factories import make_company, make_lease, make_space, make_user

BIG = "100000000000000000000"  # 20 digits: beyond any INTEGER column
BAD_YEARS = ["0001-01-01", "9999-12-31"]
YEAR_ERROR = "请填写 2000 年至 2999 年之间的日期。"
TEXT_ERROR = "文本包含无法保存的字符。"


@pytest.fixture
def room(app):
    space = meeting_room(code="MTG-301")
    db.session.commit()
    return space


def count(model: Any) -> int:
    db.session.rollback()  # see what the requests committed
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def post_form(client: Any, path: str, page: str | None = None, **fields: Any) -> Any:
    """Open the form's page (``page``, else ``path``) and send the fields to ``path``."""
    shown = client.get(page or path)
    assert shown.status_code == 200
    return client.post(path, data={"csrf_token": csrf_token(shown.text), **fields})


@pytest.mark.parametrize("day", BAD_YEARS)
@pytest.mark.parametrize(
    "path",
    [
        "/timeline?date={day}",
        "/find?date={day}&start=09:00&duration=60",
        "/book?date={day}",
        "/manage/calendar?date={day}",
        "/manage/calendar?date={day}&view=week",
        "/manage/audit?from={day}&to={day}",
    ],
)
def test_a_far_year_in_a_query_string_falls_back_or_is_explained(signed_in, room, path, day):
    client, _manager = signed_in(Role.MANAGER)
    response = client.get(path.format(day=day))
    assert response.status_code == 200
    if path.startswith("/find"):
        assert YEAR_ERROR in response.text  # the search form says why it found nothing
    else:
        assert f'value="{day}"' not in response.text  # the default day, not year 1 or 9999


@pytest.mark.parametrize("day", BAD_YEARS)
def test_reports_refuse_a_far_year(signed_in, day) -> None:
    client, _manager = signed_in(Role.MANAGER)
    page = client.get(f"/manage/reports?from={day}&to={day}")
    assert page.status_code == 200 and YEAR_ERROR in page.text
    for name in ("utilization", "area-occupancy", "bookings"):
        for fmt in ("csv", "xlsx"):
            response = client.get(f"/manage/reports/{name}.{fmt}?from={day}&to={day}")
            assert response.status_code == 400, (name, fmt)


@pytest.mark.parametrize("day", BAD_YEARS)
@pytest.mark.parametrize("action", ["preview", "book"])
def test_the_booking_form_refuses_a_far_year_beside_the_date(signed_in, room, day, action):
    client, _tenant = signed_in(Role.TENANT)
    response = post_form(
        client,
        "/book",
        action=action,
        space_id=room.id,
        date=day,
        start="10:00",
        end="11:00",
        title="路演",
        attendees="3",
        repeat="weekly",
        weekdays="0",
        count="3",
    )
    assert response.status_code == 200
    assert YEAR_ERROR in response.text
    assert count(Booking) == 0


def test_a_twenty_digit_space_in_the_booking_form_is_refused(signed_in, room) -> None:
    client, _tenant = signed_in(Role.TENANT)
    day = next_working_day(today_local() + timedelta(days=3)).isoformat()
    response = post_form(
        client, "/book", action="book", space_id=BIG, date=day, start="10:00", end="11:00"
    )
    assert response.status_code == 200
    assert 'id="space_id-error"' in response.text
    assert count(Booking) == 0


@pytest.mark.parametrize(
    "path",
    [
        f"/bookings/{BIG}",
        f"/bookings/{BIG}.ics",
        f"/manage/companies/{BIG}",
        f"/manage/spaces/{BIG}/edit",
    ],
)
def test_a_twenty_digit_id_in_a_url_is_not_found(signed_in, path) -> None:
    client, _manager = signed_in(Role.MANAGER)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        f"/bookings?space_id={BIG}&company_id={BIG}",
        f"/manage/calendar?company_id={BIG}",
        f"/manage/people?company_id={BIG}",
        f"/manage/leases?company_id={BIG}",
        f"/manage/leases/new?company_id={BIG}&space_id={BIG}",
        f"/manage/audit?object_id={BIG}&actor_id={BIG}",
        f"/feeds?company_id={BIG}",
        f"/book?space_id={BIG}&company_id={BIG}",
        f"/statement?company_id={BIG}",
    ],
)
def test_a_twenty_digit_id_in_a_query_string_counts_as_none(signed_in, path) -> None:
    client, _manager = signed_in(Role.MANAGER)
    assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/bookings",
        "/notifications",
        "/manage/approvals",
        "/manage/companies",
        "/manage/people",
        "/manage/spaces",
        "/manage/leases",
        "/manage/audit",
    ],
)
def test_a_twenty_digit_page_is_past_the_last(signed_in, path) -> None:
    client, _manager = signed_in(Role.MANAGER)
    assert client.get(f"{path}?page={BIG}").status_code == 404
    assert client.get(f"{path}?per_page={BIG}").status_code == 200


@pytest.mark.parametrize(
    "query", ["q=%00", "q=a%01b", "zone=%00", "status=%7F", "date=2026%00", "%00=1"]
)
@pytest.mark.parametrize(
    "path", ["/manage/companies", "/manage/people", "/manage/spaces", "/manage/leases", "/timeline"]
)
def test_a_control_character_in_a_query_string_is_a_bad_request(signed_in, path, query) -> None:
    client, _manager = signed_in(Role.MANAGER)
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    assert "无法处理该请求" in response.text  # the translated error page, not a server error


def test_the_booking_title_refuses_a_nul_beside_the_field(signed_in, room) -> None:
    client, _tenant = signed_in(Role.TENANT)
    day = next_working_day(today_local() + timedelta(days=3)).isoformat()
    response = post_form(
        client,
        "/book",
        action="book",
        space_id=room.id,
        date=day,
        start="10:00",
        end="11:00",
        title="路演\x00",
        attendees="3",
    )
    assert response.status_code == 200
    assert TEXT_ERROR in response.text
    assert count(Booking) == 0


def test_a_token_name_with_a_nul_is_refused(signed_in) -> None:
    client, _tenant = signed_in(Role.TENANT)
    response = post_form(client, "/profile/tokens", page="/profile", name="门禁\x00")
    shown = client.get(response.headers["Location"]) if response.status_code == 302 else response
    assert TEXT_ERROR in shown.text
    assert count(ApiToken) == 0


@pytest.mark.parametrize("text", ["四川\x00科技", "四川\x1b科技", "四川\x85科技"])
def test_a_company_name_with_a_control_character_is_refused(signed_in, text) -> None:
    client, _manager = signed_in(Role.MANAGER)
    response = post_form(
        client,
        "/manage/companies/new",
        name=text,
        stage="team",
        joined_on="2026-01-05",
        status="active",
        notes="第一行\r\n第二行\t备注",  # line breaks and tabs are fine
    )
    assert response.status_code == 200 and TEXT_ERROR in response.text
    assert count(Company) == 0


@pytest.mark.parametrize("day", BAD_YEARS)
def test_manager_forms_refuse_dates_the_api_would_refuse(signed_in, room, day) -> None:
    client, _manager = signed_in(Role.MANAGER)
    closure = post_form(
        client,
        "/manage/closures",
        scope="space",
        space_id=room.id,
        zone_id=room.zone_id,
        start_day=day,
        start_time="09:00",
        end_day=day,
        end_time="10:00",
        reason="检修",
    )
    company = post_form(
        client,
        "/manage/companies/new",
        name="乐山远年科技有限公司",
        stage="team",
        joined_on=day,
        status="active",
    )
    lease = make_lease(company=make_company(), space=make_space(kind=SpaceKind.OFFICE))
    db.session.commit()
    ends = post_form(
        client,
        f"/manage/leases/{lease.id}/edit",
        company_id=lease.company_id,
        space_id=lease.space_id,
        starts_on="2026-01-01",
        ends_on=day,
    )
    working_day = post_form(client, "/manage/working-calendar", day=day, working="1", name="调休")
    for response in (closure, company, ends, working_day):
        assert response.status_code == 200
        assert YEAR_ERROR in response.text
    assert count(Closure) == 0
    assert count(Company) == 1  # the lease's own
    assert db.session.get(Lease, lease.id).ends_on is None


def test_a_number_beyond_an_integer_is_refused_beside_its_field(signed_in, room) -> None:
    client, _manager = signed_in(Role.MANAGER)
    response = post_form(
        client,
        f"/manage/spaces/{room.id}/edit",
        zone_id=room.zone_id,
        code=room.code,
        name=room.name,
        kind=room.kind.value,
        area_m2="1e400",
        capacity=BIG,
    )
    assert response.status_code == 200
    assert "数值超出范围。" in response.text
    assert 'id="area_m2-error"' in response.text  # infinite
    assert 'id="capacity-error"' in response.text  # beyond an INTEGER


def test_the_api_refuses_control_characters_like_the_pages(app, client, room) -> None:
    secret, _token = tokens.issue_token(make_user(role=Role.TENANT, company=make_company()), "门禁")
    db.session.commit()
    response = client.post(
        "/api/v1/bookings",
        headers={"Authorization": f"Bearer {secret}"},
        json={
            "space_id": room.id,
            "start": "2027-03-01T10:00",
            "end": "2027-03-01T11:00",
            "title": "路演\x01",
        },
    )
    assert response.status_code == 400
    assert "title" in response.get_json()["error"]["details"]["fields"]


def test_every_form_of_the_app_derives_from_web_form(app) -> None:
    def subclasses(cls: type) -> set[type]:
        found = set(cls.__subclasses__())
        return found.union(*(subclasses(sub) for sub in found))

    forms = {f for f in subclasses(FlaskForm) if f.__module__.startswith("app.")} - {WebForm}
    assert len(forms) > 15
    assert (
        sorted(f"{form.__module__}.{form.__name__}" for form in forms - subclasses(WebForm)) == []
    )


@pytest.mark.parametrize(
    "statement",
    ["SELECT CAST(:value AS INTEGER)", "SELECT * FROM nowhere WHERE id = :value"],
)
def test_a_statement_the_database_refuses_still_gets_the_error_page(other_app, statement) -> None:
    """Should a value slip past the bounds, the 500 page itself still renders: it rolls back
    first, so PostgreSQL's aborted transaction cannot fail the menu's own queries too."""
    manager = make_user(role=Role.MANAGER)
    db.session.commit()
    production_like = other_app(PROPAGATE_EXCEPTIONS=False)

    def refused() -> str:
        db.session.execute(sa.text(statement), {"value": 10**20})
        return "stored"  # pragma: no cover - the database refuses the value first

    production_like.add_url_rule("/refused", view_func=refused)
    client = production_like.test_client()
    assert sign_in(client, manager).status_code == 302
    response = client.get("/refused")
    assert response.status_code == 500
    assert "系统出现问题，请稍后再试。" in response.text
    assert "退出" in response.text  # the signed-in menu, read from the database after the error


@pytest.mark.parametrize(
    ("column", "cell", "message"),
    [
        ("name", "四川\x00科技有限公司", TEXT_ERROR),
        ("joined_on", "0001-01-01", YEAR_ERROR),
        ("joined_on", date(9999, 12, 31), YEAR_ERROR),
    ],
)
def test_an_import_refuses_what_the_forms_refuse(app, column, cell, message) -> None:
    columns = {found.key: found for found in import_kind("companies").build_columns()}
    with pytest.raises(CellError) as refused:
        columns[column].read(cell)
    assert str(refused.value.message) == message


@pytest.mark.parametrize("number", ["2147483648", "9999999999", BIG])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/bookings/{id}"),
        ("PATCH", "/api/v1/bookings/{id}"),  # was 405: its GET route matched the path first
        ("POST", "/api/v1/bookings/{id}/cancel"),
        ("GET", "/bookings/{id}"),
        ("POST", "/bookings/{id}/cancel"),
    ],
)
def test_an_id_beyond_an_integer_is_not_found_whatever_the_method(client, method, path, number):
    assert client.open(path.format(id=number), method=method).status_code == 404


def test_the_id_pattern_matches_exactly_the_numbers_up_to_its_bound() -> None:
    pattern = re.compile(digits_up_to(MAX_INT))
    inside = [0, 7, 10, 999_999_999, 1_000_000_000, 1_999_999_999, 2_147_483_599, MAX_INT]
    outside = [MAX_INT + 1, 2_147_483_650, 2_147_484_000, 2_200_000_000, 9_999_999_999, 10**20]
    assert all(pattern.fullmatch(str(number)) for number in inside)
    assert not any(pattern.fullmatch(str(number)) for number in outside)
    assert [n for n in range(1000) if re.fullmatch(digits_up_to(365), str(n))] == list(range(366))
