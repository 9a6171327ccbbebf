"""Rate limits: the token endpoint like the sign-in form, the rest per token; 429 as JSON."""

from collections.abc import Iterator

import pytest
from flask import Flask

from app.extensions import limiter
from tests.api.conftest import assert_error, bearer, issue
from tests.fixtures.factories import PASSWORD


@pytest.fixture
def limited_app(other_app) -> Iterator[Flask]:
    """An app with small limits; the shared limiter is switched back off afterwards."""
    was_enabled = limiter.enabled
    built = other_app(
        RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute", API_RATE_LIMIT="5 per minute"
    )
    limiter.reset()
    yield built
    limiter.reset()
    limiter.enabled = was_enabled


def test_too_many_token_requests_are_429_in_the_error_shape(limited_app, make_user) -> None:
    user = make_user()
    client = limited_app.test_client()
    body = {"email": user.email, "password": "wrong-password"}
    codes = [client.post("/api/v1/auth/token", json=body).status_code for _ in range(3)]
    assert codes == [401, 401, 401]
    good = {"email": user.email, "password": PASSWORD}
    response = client.post("/api/v1/auth/token", json=good)
    assert_error(response, 429, "rate_limited")
    assert "Retry-After" in response.headers


def test_each_token_has_its_own_allowance_and_health_checks_are_not_limited(
    limited_app, make_user
) -> None:
    first, second = issue(make_user()), issue(make_user())
    client = limited_app.test_client()
    codes = [client.get("/api/v1/me", headers=bearer(first)).status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]
    assert_error(client.get("/api/v1/zones", headers=bearer(first)), 429, "rate_limited")
    assert client.get("/api/v1/me", headers=bearer(second)).status_code == 200
    assert all(client.get("/healthz").status_code == 200 for _ in range(10))
