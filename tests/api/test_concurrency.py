"""Real concurrency: gunicorn with 4 workers, many simultaneous requests for one slot or decision.

The database must let exactly one win (an exclusion constraint on PostgreSQL, write transactions
taken up front on SQLite); every loser gets 409 and nothing half-done is left behind.
"""

import http.client
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import (
    HOLDING_STATUSES,
    AuditEntry,
    Booking,
    BookingHold,
    BookingStatus,
    Role,
    SpaceKind,
    User,
)
from tests.api.conftest import booking_body, booking_day, insert_booking, issue, local_utc
from tests.fixtures.factories import make_company, make_space, make_user, make_zone
from tests.fixtures.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 4


class Server:
    """The app under gunicorn, on the test database, and a way to call it."""

    def __init__(self, port: int, log: Path) -> None:
        self.port = port
        self.log = log

    def call(self, method: str, path: str, token: str, body: Any = None) -> tuple[int, Any]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            payload = None if body is None else json.dumps(body)
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            connection.request(method, path, body=payload, headers=headers)
            response = connection.getresponse()
            raw = response.read()
            try:
                return response.status, json.loads(raw or b"null")
            except ValueError:
                return response.status, raw.decode("utf-8", "replace")
        finally:
            connection.close()

    def all_at_once(self, calls: list[tuple[str, str, str, Any]]) -> list[tuple[int, Any]]:
        """Send every call from its own thread, released together by a barrier."""
        barrier = threading.Barrier(len(calls))
        results: list[tuple[int, Any]] = [(0, None)] * len(calls)

        def send(n: int) -> None:
            barrier.wait()
            try:
                results[n] = self.call(*calls[n])
            except Exception as error:  # reported through the result: a thread cannot fail a test
                results[n] = (-1, repr(error))

        threads = [threading.Thread(target=send, args=(n,)) for n in range(len(calls))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert all(status != 500 for status, _body in results), self.log.read_text()[-5000:]
        return results


def healthy(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


@pytest.fixture(scope="module")
def server(migrated_app, database_url: str, tmp_path_factory) -> Iterator[Server]:
    port = free_port()
    log = tmp_path_factory.mktemp("gunicorn") / "server.log"
    env = os.environ | {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret",
        "APP_RATELIMIT_ENABLED": "false",
        "APP_SESSION_COOKIE_SECURE": "false",
    }
    command = [sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}"]
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, "wsgi:app"], cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 30
        while not healthy(port):
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield Server(port, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def statuses(results: list[tuple[int, Any]]) -> Counter[int]:
    return Counter(status for status, _body in results)


def fresh_booking(booking_id: int) -> Booking:
    db.session.rollback()  # see what the server committed
    booking = db.session.get(Booking, booking_id)
    assert booking is not None
    db.session.refresh(booking)
    return booking


@pytest.mark.parametrize("companies", [1, 4])
def test_forty_requests_for_one_slot_give_one_booking(app, server, companies) -> None:
    zone = make_zone(code="MTG")
    room = make_space(kind=SpaceKind.MEETING_ROOM, zone=zone, capacity=10)
    tenants = [make_user(company=make_company()) for _ in range(companies)]
    db.session.commit()
    tokens = [issue(tenant) for tenant in tenants]
    day = booking_day()
    # All overlap one another: each contains 10:30-10:45.
    slots = [("10:00", "11:00"), ("10:15", "11:15"), ("10:30", "11:30"), ("09:45", "10:45")]
    bodies = [booking_body(room.id, day, *slots[n % 4]) for n in range(40)]
    calls = [("POST", "/api/v1/bookings", tokens[n % companies], bodies[n]) for n in range(40)]
    db.session.rollback()

    results = server.all_at_once(calls)

    assert statuses(results) == {201: 1, 409: 39}, (results, server.log.read_text()[-5000:])
    for status, body in results:
        if status == 409:
            assert body["error"]["code"] == "conflict"
    db.session.rollback()
    holding = db.session.scalars(sa.select(Booking).where(Booking.status.in_(HOLDING_STATUSES)))
    assert len(holding.all()) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Booking)) == 1
    active_holds = db.session.scalar(
        sa.select(sa.func.count()).select_from(BookingHold).where(BookingHold.active.is_(True))
    )
    assert active_holds == 1


def pending_request(start: str = "10:00", end: str = "11:00") -> tuple[int, User]:
    """A tenant's pending request for a hall that needs approval, and the tenant."""
    hall = make_space(kind=SpaceKind.HALL, capacity=100, requires_approval=True)
    tenant = make_user(company=make_company())
    db.session.commit()
    booking = insert_booking(
        hall.id,
        tenant.company_id,
        tenant.id,
        local_utc(booking_day(), start),
        local_utc(booking_day(), end),
        BookingStatus.PENDING,
        reason="approval",
    )
    return booking.id, tenant


def test_concurrent_approvals_decide_once(app, server) -> None:
    booking_id, _tenant = pending_request()
    managers = [make_user(role=Role.MANAGER), make_user(role=Role.ADMIN)]
    db.session.commit()
    tokens = {issue(manager): manager.id for manager in managers}
    calls = [
        ("POST", f"/api/v1/bookings/{booking_id}/approve", token, None)
        for token in list(tokens) * 5
    ]
    db.session.rollback()

    results = server.all_at_once(calls)

    assert statuses(results) == {200: 1, 409: 9}, results
    (winner,) = [calls[n][2] for n, (status, _b) in enumerate(results) if status == 200]
    booking = fresh_booking(booking_id)
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.decided_by_id == tokens[winner]
    assert booking.sequence == 1
    approvals = db.session.scalars(
        sa.select(AuditEntry).where(
            AuditEntry.object_id == booking_id, AuditEntry.action == "booking.confirmed"
        )
    ).all()
    assert len(approvals) == 1


def test_approve_against_reject_has_one_winner(app, server) -> None:
    booking_id, _tenant = pending_request()
    approver, rejecter = make_user(role=Role.MANAGER), make_user(role=Role.MANAGER)
    db.session.commit()
    calls = [
        ("POST", f"/api/v1/bookings/{booking_id}/approve", issue(approver), None),
        ("POST", f"/api/v1/bookings/{booking_id}/reject", issue(rejecter), {"reason": "冲突"}),
    ]
    db.session.rollback()

    (approved, _a), (rejected, _r) = server.all_at_once(calls)

    assert sorted([approved, rejected]) == [200, 409]
    expected = BookingStatus.CONFIRMED if approved == 200 else BookingStatus.REJECTED
    assert fresh_booking(booking_id).status == expected


def test_approve_against_the_tenants_cancel_ends_consistently(app, server) -> None:
    """The tenant's cancel always stands; the approval either came first or gets 409.

    Cancelling a confirmed booking is allowed, so "approve, then cancel" is a valid history in
    which both succeed; what must never happen is an approval landing after the cancellation.
    """
    manager = make_user(role=Role.MANAGER)
    db.session.commit()
    manager_token = issue(manager)
    outcomes: Counter[int] = Counter()
    for round_ in range(6):
        booking_id, tenant = pending_request(f"{10 + round_}:00", f"{10 + round_}:30")
        calls = [
            ("POST", f"/api/v1/bookings/{booking_id}/approve", manager_token, None),
            (
                "POST",
                f"/api/v1/bookings/{booking_id}/cancel",
                issue(tenant),
                {"reason": "不需要了"},
            ),
        ]
        db.session.rollback()

        (approved, _a), (cancelled, _c) = server.all_at_once(calls)

        booking = fresh_booking(booking_id)
        actions = db.session.scalars(
            sa.select(AuditEntry.action)
            .where(AuditEntry.object_id == booking_id, AuditEntry.object_type == "booking")
            .order_by(AuditEntry.id)
        ).all()
        assert cancelled == 200
        assert booking.status == BookingStatus.CANCELLED
        assert booking.decided_by_id == tenant.id
        if approved == 200:
            assert actions == ["booking.confirmed", "booking.cancelled"]
            assert booking.sequence == 2
        else:
            assert approved == 409
            assert actions == ["booking.cancelled"]
            assert booking.sequence == 1
        outcomes[approved] += 1
    assert sum(outcomes.values()) == 6
    print("approve outcomes against a concurrent cancel:", dict(outcomes))
