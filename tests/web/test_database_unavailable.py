"""A database that is away or busy: 503 with Retry-After, the app's own page or error JSON.

The page must not need the database to be shown: the signed-in user, the menu and the language
all come from it on every other page. PostgreSQL is a private server started for these tests and
stopped hard under the app; SQLite is a file whose write lock another connection holds.
"""

import os
import pwd
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade

from app.extensions import db
from app.models import Role, SpaceKind
from app.services import tokens
from tests.api.conftest import bearer, booking_body, booking_day
from tests.conftest import build_app, csrf_token
from tests.fixtures.factories import PASSWORD, make_company, make_space, make_user, make_zone
from tests.fixtures.servers import free_port
from tests.web.test_portal_book import form_data, future_day

BUSY_ZH = "系统繁忙，请稍后再试。"
BUSY_EN = "The service is busy. Please try again in a moment."
# As in production: an error that escapes every handler becomes the 500 page, not a traceback.
PRODUCTION_LIKE = {"PROPAGATE_EXCEPTIONS": False}


@dataclass
class Incubator:
    """A meeting room and a tenant with a bearer token, in one test database."""

    room: int
    email: str
    token: str


def make_incubator() -> Incubator:
    zone = make_zone(code="MTG", name="会议区", name_en="Meeting rooms")
    room = make_space(kind=SpaceKind.MEETING_ROOM, zone=zone, code="M-101", capacity=8)
    tenant = make_user(role=Role.TENANT, company=make_company())
    db.session.commit()
    secret, _token = tokens.issue_token(tenant, "test")
    db.session.commit()
    return Incubator(room=room.id, email=tenant.email, token=secret)


def sign_in(client: FlaskClient, email: str) -> Any:
    page = client.get("/auth/login")
    return client.post(
        "/auth/login",
        data={"email": email, "password": PASSWORD, "csrf_token": csrf_token(page.text)},
    )


def assert_busy_page(response: Any, text: str = BUSY_ZH) -> None:
    assert response.status_code == 503, response.text[:500]
    assert response.headers["Retry-After"] == "30"
    assert response.mimetype == "text/html"
    assert text in response.text
    assert "Internal Server Error" not in response.text


def assert_busy_json(response: Any, message: str = BUSY_ZH) -> None:
    assert response.status_code == 503, response.text[:500]
    assert response.headers["Retry-After"] == "30"
    assert response.get_json() == {
        "error": {"code": "unavailable", "message": message, "details": {}}
    }


# --- SQLite: the write lock held by another connection past the busy timeout ---------------


@pytest.fixture
def busy_sqlite(tmp_path: Path) -> Iterator[tuple[Flask, Incubator, Path]]:
    """An app on its own SQLite file that waits 200 ms for the write lock, not 5 s."""
    path = tmp_path / "busy.db"
    app = build_app(f"sqlite:///{path}", SQLITE_BUSY_TIMEOUT_MS=200, **PRODUCTION_LIKE)
    with app.app_context():
        upgrade()
        incubator = make_incubator()
    yield app, incubator, path
    with app.app_context():
        db.engine.dispose()


def hold_write_lock(path: Path) -> sqlite3.Connection:
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def test_an_api_booking_while_another_writer_holds_sqlite_is_503_then_goes_through(
    busy_sqlite,
) -> None:
    app, incubator, path = busy_sqlite
    client = app.test_client()
    with app.app_context():
        body = booking_body(incubator.room, booking_day())

    holder = hold_write_lock(path)
    try:
        assert_busy_json(
            client.post("/api/v1/bookings", json=body, headers=bearer(incubator.token))
        )
    finally:
        holder.rollback()
        holder.close()

    response = client.post("/api/v1/bookings", json=body, headers=bearer(incubator.token))
    assert response.status_code == 201, response.text
    assert response.get_json()["status"] == "confirmed"


def test_the_booking_form_while_another_writer_holds_sqlite_is_503_then_books(busy_sqlite) -> None:
    app, incubator, path = busy_sqlite
    client = app.test_client()
    assert sign_in(client, incubator.email).status_code == 302
    with app.app_context():
        day = future_day()
    page = client.get(f"/book?space_id={incubator.room}&date={day}").text
    data = form_data(page, space_id=incubator.room, date=day)

    holder = hold_write_lock(path)
    try:
        assert_busy_page(client.post("/book", data=data))
    finally:
        holder.rollback()
        holder.close()

    booked = client.post("/book", data=data)
    assert booked.status_code == 302, booked.text[:500]
    assert re.fullmatch(r"/bookings/\d+", booked.headers["Location"])


# --- PostgreSQL: a private server, stopped with the app running ------------------------------


def postgres_binaries() -> Path | None:
    """The bin directory of the newest PostgreSQL server installed the Debian way."""
    found = [p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")]
    found.sort(key=lambda directory: int(re.sub(r"\D", "", directory.parent.name) or 0))
    return found[-1] if found else None


class PrivatePostgres:
    """A throwaway PostgreSQL server in a temporary directory, run by an unprivileged user.

    initdb refuses to run as root: as root the server runs as ``postgres`` (through runuser).
    """

    def __init__(self, binaries: Path, owner: pwd.struct_passwd | None) -> None:
        self.binaries = binaries
        self.owner = owner
        self.base = Path(tempfile.mkdtemp(prefix="czg-pg-"))
        if owner is not None:
            os.chown(self.base, owner.pw_uid, owner.pw_gid)
        self.data = self.base / "data"
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def run(self, program: str, *args: str, check: bool = True) -> None:
        command = [str(self.binaries / program), *args]
        if self.owner is not None:
            command = ["runuser", "-u", self.owner.pw_name, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 0 or not check, f"{program}: {done.stdout}\n{done.stderr}"

    def init(self) -> None:
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-N")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.base / "server.log")
        self.run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")

    def stop(self, check: bool = True) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=check)

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.stop(check=False)
        shutil.rmtree(self.base, ignore_errors=True)


def server_owner() -> pwd.struct_passwd | None:
    """Who runs the server: this user, or ``postgres`` when the suite runs as root."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("running as root without a postgres user: initdb cannot run")


@pytest.fixture(scope="module")
def private_postgres() -> Iterator[PrivatePostgres]:
    binaries = postgres_binaries()
    if binaries is None:
        pytest.skip("no PostgreSQL server binaries under /usr/lib/postgresql")
    server = PrivatePostgres(binaries, server_owner())
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture(scope="module")
def postgres_app(private_postgres: PrivatePostgres) -> Iterator[tuple[Flask, Incubator]]:
    """The app on the private server, its schema made by the migrations."""
    app = build_app(private_postgres.url, **PRODUCTION_LIKE)
    with app.app_context():
        upgrade()
        incubator = make_incubator()
    yield app, incubator
    with app.app_context():
        db.engine.dispose()


def signed_in_client(app: Flask, incubator: Incubator) -> FlaskClient:
    client = app.test_client()
    assert sign_in(client, incubator.email).status_code == 302
    return client


def test_a_lock_held_past_postgresqls_lock_timeout_is_503_then_goes_through(
    private_postgres, postgres_app
) -> None:
    app, incubator = postgres_app
    impatient = build_app(
        private_postgres.url,
        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"options": "-c lock_timeout=200"}},
        **PRODUCTION_LIKE,
    )
    client = impatient.test_client()
    with app.app_context():
        body = booking_body(incubator.room, booking_day(weeks_ahead=1))
    holder = sa.create_engine(private_postgres.url)
    try:
        with holder.connect() as connection:
            connection.execute(sa.text("LOCK TABLE bookings IN ACCESS EXCLUSIVE MODE"))
            locked = client.post("/api/v1/bookings", json=body, headers=bearer(incubator.token))
            connection.rollback()
        assert_busy_json(locked)
        response = client.post("/api/v1/bookings", json=body, headers=bearer(incubator.token))
        assert response.status_code == 201, response.text
    finally:
        holder.dispose()
        with impatient.app_context():
            db.engine.dispose()


def test_a_stopped_postgresql_gets_503_pages_and_json_in_the_visitors_language(
    private_postgres, postgres_app
) -> None:
    app, incubator = postgres_app
    tenant = signed_in_client(app, incubator)
    visitor = app.test_client()
    login_page = visitor.get("/auth/login").text
    english = app.test_client()
    english.post(
        "/auth/language",
        data={
            "locale": "en",
            "next": "/auth/login",
            "csrf_token": csrf_token(english.get("/auth/login").text),
        },
    )
    english_page = english.get("/auth/login").text
    assert '<html lang="en">' in english_page
    sign_in_form = {"email": incubator.email, "password": "wrong-password-1"}

    private_postgres.stop()  # -m immediate: connections are cut, nothing is listening

    home = tenant.get("/")
    assert_busy_page(home)
    assert '<html lang="zh-CN">' in home.text
    assert_busy_page(tenant.get("/bookings"))
    assert_busy_page(tenant.get("/auth/login"))  # the signed-in user is looked up first
    assert_busy_page(
        visitor.post("/auth/login", data={**sign_in_form, "csrf_token": csrf_token(login_page)})
    )
    english_busy = english.post(
        "/auth/login", data={**sign_in_form, "csrf_token": csrf_token(english_page)}
    )
    assert_busy_page(english_busy, BUSY_EN)
    assert '<html lang="en">' in english_busy.text
    assert_busy_json(app.test_client().get("/api/v1/me", headers=bearer(incubator.token)))
    # A page that needs no database, but whose response headers depend on who is signed in:
    # the failure comes after the view, from the hook, and still ends as 503, not 500.
    assert_busy_json(tenant.get("/api/v1/openapi.json"))
    health = app.test_client().get("/healthz")
    assert health.status_code == 503 and health.get_json() == {"status": "unavailable"}

    private_postgres.start()  # the pool reconnects: back to normal without a restart
    assert tenant.get("/").status_code == 200
