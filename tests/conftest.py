"""The app, a migrated database and signed-in clients for every test.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL points at one.
The schema is built once per run by the real migrations; each test then starts from empty tables.
"""

import contextvars
import os
import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade

from app import create_app
from app.extensions import db, limiter
from app.models import Role, User
from app.web import today_local
from tests.fixtures import factories
from tests.fixtures.bookings import next_working_day

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")


class IsolatedClient(FlaskClient):
    """Each request runs in its own context, as in production, not inside the test's context.

    Otherwise the test's app context (and its ``g`` and database session) would be shared by
    every request, hiding bugs such as a session cookie that outlives sign-out.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        return contextvars.Context().run(super().open, *args, **kwargs)


def base_config(database_url: str) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SESSION_COOKIE_SECURE": False,
        "RATELIMIT_ENABLED": False,
    }


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    if TEST_DATABASE_URL:
        engine = sa.create_engine(TEST_DATABASE_URL)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
        return TEST_DATABASE_URL
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def build_app(database_url: str, **overrides: Any) -> Flask:
    """An app on the test database whose client isolates requests like a real server."""
    app = create_app({**base_config(database_url), **overrides})
    app.test_client_class = IsolatedClient
    return app


@pytest.fixture(scope="session")
def migrated_app(database_url: str) -> Iterator[Flask]:
    app = build_app(database_url)
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def other_app(database_url: str, app: Flask) -> Iterator[Any]:
    """Build a second app with other settings on the same database, closed after the test."""
    built: list[Flask] = []

    def build(**overrides: Any) -> Flask:
        built.append(build_app(database_url, **overrides))
        return built[-1]

    yield build
    for extra in built:
        with extra.app_context():
            db.engine.dispose()
    # The limiter is one object shared by every app of the process: switch it back off.
    limiter.enabled = app.config["RATELIMIT_ENABLED"]


def _empty_tables() -> None:
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    else:
        db.session.execute(sa.text("PRAGMA defer_foreign_keys = ON"))  # spaces refer to spaces
        for table in tables:
            db.session.execute(sa.text(f"DELETE FROM {table}"))
    db.session.commit()


@pytest.fixture
def app(migrated_app: Flask) -> Iterator[Flask]:
    with migrated_app.app_context():
        yield migrated_app
        db.session.rollback()
        _empty_tables()
        db.session.remove()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def future_day() -> date:
    """A working day at least three days ahead of the real clock (pages use the real clock)."""
    return next_working_day(today_local() + timedelta(days=2))


def sign_in(client: FlaskClient, user: User, password: str = factories.PASSWORD) -> Any:
    page = client.get("/auth/login")
    return client.post(
        "/auth/login",
        data={"email": user.email, "password": password, "csrf_token": csrf_token(page.text)},
    )


@pytest.fixture
def make_user(app: Flask):
    def make(**overrides: Any) -> User:
        user = factories.make_user(**overrides)
        db.session.commit()
        return user

    return make


@pytest.fixture
def signed_in(app: Flask, make_user):
    """A test client signed in as a new user of the given role."""

    def sign(role: Role = Role.TENANT, **overrides: Any) -> tuple[FlaskClient, User]:
        user = make_user(role=role, **overrides)
        client = app.test_client()
        response = sign_in(client, user)
        assert response.status_code == 302, response.text
        # End the test's read snapshot: on SQLite a later write from this session would
        # otherwise find the snapshot outdated by the request's own write.
        db.session.rollback()
        return client, user

    return sign
