"""Guessing one account's password from many addresses: a per-account back-off, counted in the
limiter's storage (memory, or Redis shared by every worker), that never locks the owner out."""

import uuid
from collections.abc import Iterator

import pytest
from flask import Flask

from app.extensions import limiter
from app.services import passwords, users
from tests.conftest import csrf_token
from tests.fixtures.factories import PASSWORD
from tests.fixtures.servers import redis_server

BACK_OFF = "5 per 5 minutes;10 per hour;20 per day"


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture(params=["memory", "redis"])
def guarded(request, other_app) -> Iterator[Flask]:
    """An app with the per-IP limits of production and the per-account back-off, counted in
    memory or in Redis (as several workers would share them)."""
    storage = "memory://" if request.param == "memory" else request.getfixturevalue("redis_url")
    was = limiter.enabled
    built = other_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=storage,
        LOGIN_RATE_LIMIT="10 per minute",
        ACCOUNT_SIGN_IN_LIMITS=BACK_OFF,
    )
    assert type(limiter.storage).__name__ == f"{request.param.capitalize()}Storage"
    limiter.reset()
    yield built
    limiter.reset()
    limiter.enabled = was


def unique_email() -> str:
    return f"target-{uuid.uuid4().hex[:12]}@example.cn"


def attempt(client, email: str, password: str, ip: str):
    page = client.get("/auth/login", environ_base={"REMOTE_ADDR": ip})
    return client.post(
        "/auth/login",
        data={"email": email, "password": password, "csrf_token": csrf_token(page.text)},
        environ_base={"REMOTE_ADDR": ip},
    )


def test_a_hundred_guesses_from_25_addresses_are_not_all_checked(
    guarded: Flask, make_user, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_user(email=unique_email())
    checked = []
    real_verify = passwords.verify_password
    monkeypatch.setattr(
        passwords, "verify_password", lambda *a: checked.append(1) or real_verify(*a)
    )
    statuses = []
    for n in range(100):
        client = guarded.test_client()  # a fresh browser each time: no cookie to go by
        ip = f"203.0.113.{n % 25 + 1}"  # 4 guesses per address: under the per-IP limit
        statuses.append(attempt(client, user.email, f"guess-{n}-xyz", ip).status_code)
    assert statuses[:5] == [200] * 5  # "wrong e-mail or password"
    assert set(statuses[5:]) == {429}
    assert len(checked) == 5
    refused = attempt(guarded.test_client(), user.email, PASSWORD, "198.51.100.7")
    assert refused.status_code == 429  # even the right password waits
    assert "该账户密码错误次数过多" in refused.text and "忘记密码" in refused.text
    assert int(refused.headers["Retry-After"]) > 60


def test_the_owners_own_browser_still_gets_in(guarded: Flask, make_user) -> None:
    user = make_user(email=unique_email())
    owner = guarded.test_client()
    assert attempt(owner, user.email, PASSWORD, "192.0.2.10").status_code == 302
    owner.post("/auth/logout", data={"csrf_token": csrf_token(owner.get("/profile").text)})
    for n in range(12):
        attempt(guarded.test_client(), user.email, "wrong-guess-1", f"203.0.113.{n + 1}")
    assert attempt(guarded.test_client(), user.email, PASSWORD, "192.0.2.99").status_code == 429
    # The browser the owner signed in with before counts its own failures apart.
    assert attempt(owner, user.email, PASSWORD, "192.0.2.10").status_code == 302


def test_unknown_addresses_back_off_alike(guarded: Flask) -> None:
    email = unique_email()
    statuses = [
        attempt(guarded.test_client(), email, "whatever-1", f"203.0.113.{n + 1}").status_code
        for n in range(6)
    ]
    assert statuses == [200] * 5 + [429]


def test_the_token_endpoint_follows_the_same_back_off(guarded: Flask, make_user) -> None:
    user = make_user(email=unique_email())
    client = guarded.test_client()
    statuses = [
        client.post(
            "/api/v1/auth/token",
            json={"email": user.email, "password": f"guess-{n}-xyz"},
            environ_base={"REMOTE_ADDR": f"203.0.113.{n + 1}"},
        ).status_code
        for n in range(25)
    ]
    assert statuses[:5] == [401] * 5 and set(statuses[5:]) == {429}
    response = client.post(
        "/api/v1/auth/token",
        json={"email": user.email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "198.51.100.8"},
    )
    assert response.status_code == 429
    assert response.json["error"]["code"] == "rate_limited"
    assert "Retry-After" in response.headers


def test_an_unknown_address_costs_a_password_hash(app: Flask, monkeypatch) -> None:
    """Whether an account exists is not told by how long the answer takes."""
    checked = []
    real_verify = passwords.verify_password
    monkeypatch.setattr(
        passwords, "verify_password", lambda *a: checked.append(1) or real_verify(*a)
    )
    assert users.authenticate("nobody@example.cn", "some-password-1") is None
    assert checked == [1]
