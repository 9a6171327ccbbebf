"""Managers keep the list of companies: credit codes checked, errors shown, nothing lost."""

import sqlalchemy as sa

from app.extensions import db
from app.models import Company, Role, Stage
from tests.conftest import csrf_token
from tests.fixtures.factories import make_company, valid_uscc


def _form(client, **values):
    page = client.get("/manage/companies/new")
    data = {
        "name": "乐山晶硅新材料科技有限公司",
        "uscc": "",
        "stage": "incubated",
        "status": "active",
        "industry": "新能源材料",
        "contact_name": "周磊",
        "contact_phone": "13800000000",
        "contact_email": "zhou.lei@jinggui.example.cn",
        "joined_on": "2025-03-01",
        "csrf_token": csrf_token(page.text),
        **values,
    }
    return client.post("/manage/companies/new", data=data)


def test_a_wrong_check_character_is_shown_beside_the_code_in_chinese(app, signed_in) -> None:
    client, _manager = signed_in(Role.MANAGER)
    good = valid_uscc(42)
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = _form(client, uscc=wrong)
    assert response.status_code == 200
    assert 'id="uscc-error"' in response.text
    assert "校验" in response.text.split('id="uscc-error"')[1].split("</p>")[0]
    assert f'value="{wrong}"' in response.text  # what was typed stays
    assert "周磊" in response.text
    assert db.session.scalar(sa.select(sa.func.count(Company.id))) == 0


def test_a_lowercase_code_is_saved_in_capitals(app, signed_in) -> None:
    client, _manager = signed_in(Role.MANAGER)
    code = valid_uscc(7)
    response = _form(client, uscc=code.lower())
    assert response.status_code == 302
    db.session.rollback()
    assert db.session.scalar(sa.select(Company.uscc)) == code


def test_a_registered_company_needs_a_code_but_a_team_does_not(app, signed_in) -> None:
    client, _manager = signed_in(Role.MANAGER)
    assert 'id="uscc-error"' in _form(client, stage="incubated").text
    assert _form(client, stage="team", name="光伏智能运维创业团队").status_code == 302


def test_the_list_filters_by_stage_and_search(app, signed_in) -> None:
    make_company(name="四川护能科技有限公司", stage=Stage.INCUBATED)
    make_company(name="光伏运维创业团队", stage=Stage.TEAM)
    db.session.commit()
    client, _manager = signed_in(Role.MANAGER)
    teams = client.get("/manage/companies", query_string={"stage": "team"}).text
    assert "光伏运维创业团队" in teams and "四川护能科技有限公司" not in teams
    found = client.get("/manage/companies", query_string={"q": "护能"}).text
    assert "四川护能科技有限公司" in found and "光伏运维创业团队" not in found


def test_the_list_is_paged(app, signed_in) -> None:
    for n in range(30):
        make_company(name=f"乐山测试企业{n:02d}")
    db.session.commit()
    client, _manager = signed_in(Role.MANAGER)
    first = client.get("/manage/companies").text
    second = client.get("/manage/companies", query_string={"page": 2}).text
    assert "乐山测试企业00" in first and "乐山测试企业29" not in first
    assert "乐山测试企业29" in second
    assert "第 2 页，共 2 页" in second
