"""Tokens: issued for an e-mail and password, stored hashed, expiring, revocable on the profile."""

from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import ApiToken, Role, User
from app.sqltypes import utcnow
from tests.api.conftest import assert_error, bearer
from tests.conftest import csrf_token, sign_in
from tests.fixtures.factories import PASSWORD


def test_good_credentials_give_a_token_that_works(client, make_user) -> None:
    user = make_user(email="li.lei@example.cn")
    response = client.post(
        "/api/v1/auth/token", json={"email": "Li.Lei@example.cn", "password": PASSWORD}
    )
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"token", "expires_at"}
    assert body["expires_at"].endswith("+08:00")
    me = client.get("/api/v1/me", headers=bearer(body["token"]))
    assert me.status_code == 200
    assert me.get_json() | {"company": None} == {
        "id": user.id,
        "email": "li.lei@example.cn",
        "name": user.name,
        "role": "tenant",
        "company": None,
        "locale": "zh_CN",
    }
    assert me.get_json()["company"] == {"id": user.company_id, "name": user.company.name}
    assert me.headers["Cache-Control"] == "private, no-store"
    assert "Set-Cookie" not in me.headers


def test_the_token_is_stored_only_as_a_hash(client, make_user) -> None:
    make_user(email="han.mei@example.cn")
    response = client.post(
        "/api/v1/auth/token", json={"email": "han.mei@example.cn", "password": PASSWORD}
    )
    secret = response.get_json()["token"]
    db.session.rollback()
    stored = db.session.scalars(sa.select(ApiToken)).one()
    assert secret not in stored.token_hash and stored.token_hash != secret
    columns = db.session.execute(sa.select(ApiToken.__table__)).one()
    assert all(secret not in str(value) for value in columns)


def test_wrong_password_or_unknown_user_is_401(client, make_user) -> None:
    user = make_user()
    for body in (
        {"email": user.email, "password": "not-the-password"},
        {"email": "nobody@example.cn", "password": PASSWORD},
    ):
        response = client.post("/api/v1/auth/token", json=body)
        assert_error(response, 401, "unauthorized")
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_disabled_account_loses_its_tokens_and_gets_no_new_one(client, world) -> None:
    assert world.tenant_a.get("/api/v1/me").status_code == 200
    user = db.session.get(User, world.ids["tenant_a"])
    user.active = False
    db.session.commit()
    assert_error(world.tenant_a.get("/api/v1/me"), 401, "unauthorized")
    response = client.post("/api/v1/auth/token", json={"email": user.email, "password": PASSWORD})
    assert_error(response, 401, "unauthorized")


def test_missing_members_of_the_token_request_are_400(client) -> None:
    details = assert_error(
        client.post("/api/v1/auth/token", json={"email": "a@example.cn"}), 400, "bad_request"
    )
    assert "password" in details["fields"]
    assert_error(client.post("/api/v1/auth/token", data="not json"), 400, "bad_request")


def test_requests_without_a_valid_token_are_401(client, world) -> None:
    for headers in (
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer czg_not-a-real-token"},
        {"Authorization": f"Basic {world.tenant_a.token}"},
        {"Authorization": world.tenant_a.token},
    ):
        response = client.get("/api/v1/me", headers=headers)
        assert_error(response, 401, "unauthorized")


def test_the_session_cookie_does_not_open_the_api(app, signed_in) -> None:
    web, _user = signed_in(Role.TENANT)
    assert web.get("/profile").status_code == 200
    assert_error(web.get("/api/v1/me"), 401, "unauthorized")


def test_an_expired_token_is_401(client, world) -> None:
    db.session.execute(sa.update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert_error(world.tenant_a.get("/api/v1/me"), 401, "unauthorized")


def test_a_token_revoked_on_the_profile_page_stops_working(app, client, make_user) -> None:
    user = make_user()
    secret = client.post(
        "/api/v1/auth/token",
        json={"email": user.email, "password": PASSWORD, "name": "东门门禁终端"},
    ).get_json()["token"]
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
    db.session.rollback()

    web = app.test_client()
    sign_in(web, user)
    page = web.get("/profile")
    assert "东门门禁终端" in page.text
    assert secret not in page.text
    token_id = db.session.scalars(sa.select(ApiToken.id)).one()
    response = web.post(
        f"/profile/tokens/{token_id}/revoke", data={"csrf_token": csrf_token(page.text)}
    )
    assert response.status_code == 302
    assert (
        "东门门禁终端" not in web.get("/profile").text.split('id="tokens"')[1].split("</table>")[0]
    )
    assert_error(client.get("/api/v1/me", headers=bearer(secret)), 401, "unauthorized")


def test_revoking_needs_the_csrf_token_and_ones_own_token(app, client, make_user) -> None:
    owner, other = make_user(), make_user()
    secret = client.post(
        "/api/v1/auth/token", json={"email": owner.email, "password": PASSWORD}
    ).get_json()["token"]
    db.session.rollback()
    token_id = db.session.scalars(sa.select(ApiToken.id)).one()
    web = app.test_client()
    sign_in(web, other)
    page = web.get("/profile")
    assert web.post(f"/profile/tokens/{token_id}/revoke").status_code == 400
    revoke = web.post(
        f"/profile/tokens/{token_id}/revoke", data={"csrf_token": csrf_token(page.text)}
    )
    assert revoke.status_code == 404
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200


def test_a_token_created_on_the_profile_page_is_shown_once_and_works(app, client, make_user):
    user = make_user()
    web = app.test_client()
    sign_in(web, user)
    page = web.get("/profile")
    created = web.post(
        "/profile/tokens", data={"name": "小程序", "csrf_token": csrf_token(page.text)}
    )
    assert created.status_code == 302  # redirected: a reload never makes a second token
    assert created.headers["Location"].endswith("/profile#tokens")
    shown = web.get(created.headers["Location"])
    secret = shown.text.split('id="new-token" readonly value="')[1].split('"')[0]
    assert secret.startswith("czg_")
    assert client.get("/api/v1/me", headers=bearer(secret)).get_json()["id"] == user.id
    again = web.get("/profile")
    assert "小程序" in again.text and secret not in again.text
    with web.session_transaction() as session:
        assert secret not in repr(dict(session))  # gone from the session once shown
    db.session.rollback()
    assert len(db.session.scalars(sa.select(ApiToken)).all()) == 1


def test_a_token_needs_a_name_on_the_profile_page(app, make_user) -> None:
    web = app.test_client()
    sign_in(web, make_user())
    page = web.get("/profile")
    response = web.post("/profile/tokens", data={"name": " ", "csrf_token": csrf_token(page.text)})
    assert response.status_code == 302  # to the profile, which answers a reload or a GET
    shown = web.get(response.headers["Location"]).text
    assert 'class="field has-error"' in shown
    assert '<a href="#name">' in shown.split('id="error-summary"')[1].split("</div>")[0]
    assert db.session.scalars(sa.select(ApiToken)).first() is None
