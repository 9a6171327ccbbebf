"""An account made with a password someone else chose (flask create-user) changes it first."""

import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.models import User
from tests.conftest import csrf_token
from tests.fixtures.factories import make_company

GIVEN = "given-by-admin-7"
OWN = "my own 峨眉 password"


def create(app: Flask, *extra: str) -> User:
    company = make_company(name="四川越成科技有限公司")
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["create-user", "chen.li@example.cn", "--company", company.name, *extra],
        input=f"{GIVEN}\n{GIVEN}\n",
    )
    assert result.exit_code == 0, result.output
    return db.session.scalars(sa.select(User).where(User.email == "chen.li@example.cn")).one()


def sign_in(client, password: str = GIVEN):
    page = client.get("/auth/login")
    return client.post(
        "/auth/login",
        data={
            "email": "chen.li@example.cn",
            "password": password,
            "csrf_token": csrf_token(page.text),
        },
    )


def test_a_cli_password_is_changed_at_first_sign_in(app: Flask) -> None:
    assert create(app).must_change_password
    client = app.test_client()
    response = sign_in(client)
    assert response.headers["Location"] == "/auth/password"
    page = client.get("/auth/password")
    assert "您的密码是由他人设置的" in page.text
    for path in ("/", "/company", "/find", "/profile"):
        assert client.get(path).headers.get("Location") == "/auth/password", path
    token = client.post(
        "/api/v1/auth/token", json={"email": "chen.li@example.cn", "password": GIVEN}
    )
    assert token.status_code == 401

    changed = client.post(
        "/auth/password",
        data={
            "current_password": GIVEN,
            "new_password": OWN,
            "confirm": OWN,
            "csrf_token": csrf_token(page.text),
        },
    )
    assert changed.status_code == 302
    assert client.get("/company").status_code == 200
    assert sign_in(app.test_client(), OWN).headers["Location"] == "/"
    db.session.rollback()
    user = db.session.scalars(sa.select(User).where(User.email == "chen.li@example.cn")).one()
    assert not user.must_change_password


def test_the_policy_applies_to_the_forced_change_too(app: Flask) -> None:
    create(app)
    client = app.test_client()
    sign_in(client)
    page = client.get("/auth/password")
    refused = client.post(
        "/auth/password",
        data={
            "current_password": GIVEN,
            "new_password": "password",
            "confirm": "password",
            "csrf_token": csrf_token(page.text),
        },
    )
    assert refused.status_code == 200 and "这是最常见的密码之一" in refused.text
    assert client.get("/company").headers["Location"] == "/auth/password"


def test_an_operators_own_password_needs_no_change(app: Flask) -> None:
    assert not create(app, "--own-password").must_change_password
    client = app.test_client()
    assert sign_in(client).headers["Location"] == "/"
