"""Signing in and out, sessions, CSRF and the session cookie."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Role, User
from tests.conftest import csrf_token, sign_in


def test_sign_in_with_the_right_password(client, make_user) -> None:
    user = make_user(role=Role.TENANT)
    response = sign_in(client, user)
    assert response.status_code == 302
    assert client.get("/company").status_code == 200


def test_wrong_password_is_refused_and_keeps_the_email(client, make_user) -> None:
    user = make_user()
    response = sign_in(client, user, password="not-the-password")
    assert response.status_code == 200
    assert user.email in response.text
    assert client.get("/company").status_code == 302


def test_disabled_account_cannot_sign_in(client, make_user) -> None:
    user = make_user(active=False)
    assert sign_in(client, user).status_code == 200
    assert client.get("/company").status_code == 302


def test_email_is_case_insensitive(client, make_user) -> None:
    user = make_user(email="wang.min@example.cn")
    page = client.get("/auth/login")
    response = client.post(
        "/auth/login",
        data={
            "email": "Wang.Min@Example.CN",
            "password": "correct-horse-9",
            "csrf_token": csrf_token(page.text),
        },
    )
    assert response.status_code == 302, user


def test_login_form_without_csrf_token_is_refused(client, make_user) -> None:
    user = make_user()
    client.get("/auth/login")
    response = client.post("/auth/login", data={"email": user.email, "password": "correct-horse-9"})
    assert response.status_code == 400
    assert client.get("/company").status_code == 302


def test_sign_out_without_csrf_token_does_nothing(signed_in) -> None:
    client, _user = signed_in()
    assert client.post("/auth/logout").status_code == 400
    assert client.get("/company").status_code == 200


def test_a_copied_cookie_stops_working_after_sign_out(app, signed_in) -> None:
    client, _user = signed_in()
    stolen = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    page = client.get("/profile")
    assert (
        client.post("/auth/logout", data={"csrf_token": csrf_token(page.text)}).status_code == 302
    )
    thief = app.test_client()
    thief.set_cookie(app.config["SESSION_COOKIE_NAME"], stolen)
    response = thief.get("/company")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_session_cookie_flags(other_app) -> None:
    cookie = (
        other_app(SESSION_COOKIE_SECURE=True).test_client().get("/auth/login").headers["Set-Cookie"]
    )
    assert "HttpOnly" in cookie
    assert "Secure" in cookie
    assert "SameSite=Lax" in cookie


def test_secure_cookie_is_the_default() -> None:
    from app.config import Config

    assert Config.SESSION_COOKIE_SECURE is True


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/manage/companies", "/manage/companies"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
    ],
)
def test_only_local_next_urls_are_followed(client, make_user, next_url, expected) -> None:
    user = make_user(role=Role.MANAGER)
    page = client.get("/auth/login", query_string={"next": next_url})
    response = client.post(
        "/auth/login",
        data={
            "email": user.email,
            "password": "correct-horse-9",
            "next": next_url,
            "csrf_token": csrf_token(page.text),
        },
    )
    assert response.headers["Location"] == expected


def test_password_change_signs_out_other_devices(app, signed_in) -> None:
    phone, user = signed_in()
    laptop = app.test_client()
    sign_in(laptop, user)
    page = phone.get("/auth/password")
    response = phone.post(
        "/auth/password",
        data={
            "current_password": "correct-horse-9",
            "new_password": "new-secret-42",
            "confirm": "new-secret-42",
            "csrf_token": csrf_token(page.text),
        },
    )
    assert response.status_code == 302
    assert phone.get("/company").status_code == 200
    assert laptop.get("/company").status_code == 302
    fresh = app.test_client()
    assert sign_in(fresh, user, password="new-secret-42").status_code == 302


def test_password_change_needs_the_current_password(signed_in) -> None:
    client, user = signed_in()
    page = client.get("/auth/password")
    response = client.post(
        "/auth/password",
        data={
            "current_password": "wrong-one-1",
            "new_password": "new-secret-42",
            "confirm": "new-secret-42",
            "csrf_token": csrf_token(page.text),
        },
    )
    assert response.status_code == 200
    assert 'id="current_password-error"' in response.text


def test_passwords_are_stored_as_argon2id(app, make_user) -> None:
    from app.services.users import save_user

    user = save_user(
        None,
        None,
        email="a@example.cn",
        name="甲",
        role=Role.MANAGER,
        company=None,
        password="long-enough-1",
    )
    stored = db.session.scalar(sa.select(User.password_hash).where(User.id == user.id))
    assert stored.startswith("$argon2id$")
    assert "long-enough-1" not in stored


def test_too_many_sign_in_attempts_are_slowed_down(other_app) -> None:
    client = other_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute").test_client()
    token = csrf_token(client.get("/auth/login").text)
    codes = [
        client.post(
            "/auth/login",
            data={"email": "x@example.cn", "password": "nope-nope", "csrf_token": token},
        ).status_code
        for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    assert "请一分钟后再试" in client.post("/auth/login", data={"csrf_token": token}).text


def test_language_choice_is_remembered_for_the_user(app, signed_in) -> None:
    client, user = signed_in()
    page = client.get("/profile")
    assert "个人资料" in page.text
    client.post("/auth/language", data={"locale": "en", "csrf_token": csrf_token(page.text)})
    db.session.rollback()  # end the test's read snapshot to see the request's write
    assert db.session.get(User, user.id).locale == "en"
    assert 'lang="en"' in client.get("/profile").text
