"""Two app servers behind one proxy, on one PostgreSQL and one Redis (README, Production).

Each server is its own gunicorn; they share the database, the Redis that counts rate limits and
the SECRET_KEY that signs sessions. A client may reach either one for each request: its limits
are counted once, its session works on both, and the mail their bookings queue is sent once
even with a notification worker running beside each server. The second server connects the
way PgBouncer (transaction pooling) needs: no server-side prepared statements.

PostgreSQL only (tests/services/conftest.py leaves this file out on SQLite, where one file on
one machine has no second server to share it with).
"""

import http.client
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.models import MailStatus, OutgoingMail, SpaceKind
from tests.api.conftest import booking_body, booking_day, issue
from tests.fixtures.factories import PASSWORD, make_company, make_space, make_user, make_zone
from tests.fixtures.servers import Inbox, free_port, redis_server

ROOT = Path(__file__).resolve().parents[2]
API_LIMIT = 8  # requests a minute per token, over both servers together
# What README (Production) gives for PgBouncer: psycopg prepares no statements on the server.
PGBOUNCER_ENGINE_OPTIONS = {"pool_pre_ping": True, "connect_args": {"prepare_threshold": None}}


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str


class Server:
    """One gunicorn serving the app; requests to it from the test."""

    def __init__(self, name: str, env: dict[str, str], log: Path) -> None:
        self.name = name
        self.port = free_port()
        self.log = log
        with log.open("wb") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{self.port}"]
                + ["wsgi:app"],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, body: str = ""
    ) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body or None, headers=headers or {})
            answer = connection.getresponse()
            return Response(answer.status, dict(answer.getheaders()), answer.read().decode())
        finally:
            connection.close()

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + 60
        while True:
            try:
                if self.request("GET", "/healthz").status == 200:
                    return
            except OSError:
                pass
            assert self.process.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, self.log.read_text()
            time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Redis server of the test's own."""
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


def shared_environment(database_url: str, redis_url: str) -> dict[str, str]:
    """What every server and worker of the installation gets alike."""
    return os.environ | {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "one-key-for-every-server",
        "APP_RATELIMIT_ENABLED": "true",
        "APP_RATELIMIT_STORAGE_URI": redis_url,
        "APP_API_RATE_LIMIT": f"{API_LIMIT} per minute",
        "APP_SESSION_COOKIE_SECURE": "false",
    }


@pytest.fixture(scope="module")
def servers(
    migrated_app: Flask, database_url: str, redis_url: str, tmp_path_factory
) -> Iterator[tuple[Server, Server]]:
    env = shared_environment(database_url, redis_url)
    logs = tmp_path_factory.mktemp("servers")
    first = Server("first", env, logs / "first.log")
    second = Server(
        "second",
        env | {"APP_SQLALCHEMY_ENGINE_OPTIONS": json.dumps(PGBOUNCER_ENGINE_OPTIONS)},
        logs / "second.log",
    )
    try:
        first.wait_until_up()
        second.wait_until_up()
        yield first, second
    finally:
        first.stop()
        second.stop()


def test_the_api_limit_is_counted_once_over_both_servers(app, servers) -> None:
    token = issue(make_user())
    headers = {"Authorization": f"Bearer {token}"}
    statuses = [
        servers[n % 2].request("GET", "/api/v1/me", headers).status for n in range(API_LIMIT + 2)
    ]
    # Counted by each server alone, five requests each would all pass.
    assert statuses == [200] * API_LIMIT + [429, 429]


def test_a_session_begun_on_one_server_works_on_the_other(app, servers) -> None:
    first, second = servers
    tenant = make_user()
    db.session.commit()
    page = first.request("GET", "/auth/login")
    cookie = page.headers["Set-Cookie"].split(";")[0]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
    assert token, page.text
    form = {"email": tenant.email, "password": PASSWORD, "csrf_token": token.group(1)}
    signed_in = second.request(
        "POST",
        "/auth/login",
        {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        urllib.parse.urlencode(form),
    )
    assert signed_in.status == 302, signed_in.text  # the first server's CSRF token is good here
    session = signed_in.headers["Set-Cookie"].split(";")[0]
    home = first.request("GET", "/", {"Cookie": session})
    assert home.status == 200, home.headers
    assert tenant.company.name in home.text


def run_worker(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "notifications", "send", "--once"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_mail_of_bookings_on_both_servers_is_sent_once_by_two_workers(
    app, servers, inbox: Inbox, database_url: str, redis_url: str
) -> None:
    zone = make_zone(code="MTG")
    rooms = [make_space(kind=SpaceKind.TABLE, zone=zone, capacity=4) for _ in range(2)]
    company = make_company()
    people = [make_user(company=company) for _ in range(3)]
    db.session.commit()
    tokens = [issue(person) for person in people]
    for n in range(6):
        body = booking_body(rooms[n % 2].id, booking_day(n // 2), "10:00", "11:00")
        answer = servers[n % 2].request(
            "POST",
            "/api/v1/bookings",
            {"Authorization": f"Bearer {tokens[n % 3]}", "Content-Type": "application/json"},
            json.dumps(body),
        )
        assert answer.status == 201, answer.text
    db.session.rollback()
    queued = db.session.scalar(sa.select(sa.func.count()).select_from(OutgoingMail))
    assert queued >= 6, "each booking queues its confirmation"

    env = shared_environment(database_url, redis_url) | {
        "APP_MAIL_SERVER": "127.0.0.1",
        "APP_MAIL_PORT": str(app.config["MAIL_PORT"]),
    }
    workers = [run_worker(env), run_worker(env)]
    outputs = [worker.communicate(timeout=120)[0] for worker in workers]
    assert all(worker.returncode == 0 for worker in workers), outputs

    delivered = [(tuple(to), message["Subject"]) for to, message in inbox.messages()]
    assert len(delivered) == queued, outputs
    db.session.rollback()
    statuses = db.session.scalars(sa.select(OutgoingMail.status)).all()
    assert set(statuses) == {MailStatus.SENT}
    expected = db.session.execute(sa.select(OutgoingMail.to_address, OutgoingMail.subject)).all()
    assert sorted(delivered) == sorted(((to,), subject) for to, subject in expected)
