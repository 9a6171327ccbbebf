"""Invitations: a manager invites, the person follows the mailed link, sets a password, is in."""

import re

import pytest
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.models import Role, User
from app.services import invitations
from tests.conftest import csrf_token
from tests.fixtures.factories import make_company, make_user
from tests.fixtures.servers import Inbox

PUBLIC = "https://czg.example.cn"
GOOD_PASSWORD = "蓝色 山峰 2026 tea"


@pytest.fixture(autouse=True)
def public_url(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "PUBLIC_URL", PUBLIC)


def send(app: Flask) -> str:
    result = app.test_cli_runner().invoke(args=["notifications", "send", "--once"])
    assert result.exit_code == 0, result.output
    return str(result.output)


def link_path(body: str, kind: str) -> str:
    match = re.search(rf"{PUBLIC}(/auth/{kind}/[A-Za-z0-9_-]+)", body)
    assert match, body
    return match.group(1)


def accept(client, path: str, **overrides: str):
    page = client.get(path)
    data = {
        "name": "李娜",
        "phone": "13800000000",
        "password": GOOD_PASSWORD,
        "confirm": GOOD_PASSWORD,
        "csrf_token": csrf_token(page.text),
        **overrides,
    }
    return client.post(path, data=data)


def test_an_invited_tenant_follows_the_mail_and_lands_signed_in(app: Flask, inbox: Inbox) -> None:
    manager = make_user(role=Role.MANAGER, name="王敏")
    company = make_company(name="四川护能科技有限公司")
    invitations.invite(
        manager, email="Li.Na@Example.cn", role=Role.TENANT, company_id=company.id, language="zh_CN"
    )
    db.session.commit()

    assert "1 sent" in send(app)
    ((to, message),) = inbox.messages()
    body = message.get_body().get_content()
    assert to == ["li.na@example.cn"]
    assert "选择" in message["Subject"] or "密码" in message["Subject"]
    assert "王敏" in body and "四川护能科技有限公司" in body
    path = link_path(body, "invitation")

    client = app.test_client()
    response = accept(client, path)
    assert response.status_code == 302, response.text
    home = client.get(response.headers["Location"])
    assert home.status_code == 200
    assert "李娜" in home.text
    user = db.session.scalars(sa.select(User).where(User.email == "li.na@example.cn")).one()
    assert (user.name, user.phone, user.role, user.company_id) == (
        "李娜",
        "13800000000",
        Role.TENANT,
        company.id,
    )
    assert not user.must_change_password

    # The link worked once.
    again = app.test_client().get(path)
    assert again.status_code == 404
    assert "链接已失效" in again.text or "no longer" in again.text
