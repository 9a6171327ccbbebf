"""Benchmark: conflict checks and day plans stay fast with a million bookings behind them.

Run with ``make bench`` (SQLite in a temporary file) or with BENCH_DATABASE_URL pointing at an
empty PostgreSQL database. It fills the demo building with ``BENCH_BOOKINGS`` past bookings
(default 1,000,000, spread over the years before today), then times the operations a tenant
triggers on every page and every booking: the conflict check of a new booking, a zone's day plan,
and creating a booking. Prints median and 95th percentile in milliseconds.
"""

import contextlib
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy.orm import selectinload

from app import create_app
from app.extensions import db
from app.models import Booking, BookingHold, BookingStatus, Role, Space, User
from app.render.exports import csv_stream
from app.services.availability import day_plans
from app.services.booking_rules import BookingRequest, holding_conflicts
from app.services.bookings import create_bookings
from app.services.errors import DomainError
from app.services.localtime import local_datetime, to_local
from app.services.report_rows import REPORTS
from app.services.reports import utilization_rows

COUNT = int(os.environ.get("BENCH_BOOKINGS", "1000000"))
RUNS = 200
DEMO_HISTORY_DAYS = 40  # older than the demo's own bookings


def fill(spaces: list[Space], users: list[User], count: int) -> None:
    """Insert ``count`` confirmed one-hour bookings ending before today, with their holds."""
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    per_space_hours = count // len(spaces) + 1
    batch: list[dict] = []
    holds: list[dict] = []
    next_id = (db.session.scalar(sa.select(sa.func.max(Booking.id))) or 0) + 1
    made = 0
    for hour in range(per_space_hours):
        # Oldest first, as bookings arrive in real life (the overlap checks read the tail).
        start = now - timedelta(days=DEMO_HISTORY_DAYS, hours=2 * (per_space_hours - hour))
        for index, space in enumerate(spaces):
            if made == count:
                break
            user = users[(hour + index) % len(users)]
            batch.append(
                dict(
                    id=next_id,
                    space_id=space.id,
                    company_id=user.company_id,
                    user_id=user.id,
                    title="历史会议",
                    attendees=4,
                    start_at=start,
                    end_at=start + timedelta(hours=1),
                    buffer_minutes=0,
                    status=BookingStatus.CONFIRMED,
                    reason="",
                    requires_check_in=False,
                    created_at=start,
                    sequence=0,
                )
            )
            holds.append(
                dict(
                    booking_id=next_id,
                    space_id=space.id,
                    start_at=start,
                    end_at=start + timedelta(hours=1),
                    active=True,
                )
            )
            next_id += 1
            made += 1
        if len(batch) >= 20000 or made == count:
            db.session.execute(sa.insert(Booking), batch)
            db.session.execute(sa.insert(BookingHold), holds)
            db.session.commit()
            batch, holds = [], []
            print(f"\r  {made:,} bookings", end="", file=sys.stderr)
        if made == count:
            break
    print(file=sys.stderr)
    if db.engine.dialect.name == "postgresql":
        # The rows above carry their ids; move the sequence past them for the bookings to come.
        db.session.execute(
            sa.text(
                "SELECT setval(pg_get_serial_sequence('bookings', 'id'), max(id)) FROM bookings"
            )
        )
        db.session.commit()


def timed(label: str, action) -> None:
    samples = []
    for _ in range(RUNS):
        began = time.perf_counter()
        action()
        samples.append((time.perf_counter() - began) * 1000)
        db.session.rollback()
    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"{label:<44} median {statistics.median(samples):7.2f} ms   p95 {p95:7.2f} ms")


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        url = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
        app.test_cli_runner().invoke(args=["seed-demo"])
        spaces = list(
            db.session.scalars(
                sa.select(Space)
                .where(Space.bookable.is_(True), Space.parent_id.is_(None))
                .options(selectinload(Space.zone), selectinload(Space.parts))
            )
        )
        users = list(db.session.scalars(sa.select(User).where(User.role == Role.TENANT)))
        began = time.perf_counter()
        fill(spaces, users, COUNT)
        total = db.session.scalar(sa.select(sa.func.count(Booking.id)))
        print(
            f"{db.engine.dialect.name}: {total:,} bookings "
            f"(filled in {time.perf_counter() - began:.0f} s)"
        )
        room = next(s for s in spaces if s.code.startswith("MTG"))
        rooms = [s for s in spaces if s.zone_id == room.zone_id]
        tenant = users[0]
        tomorrow = to_local(datetime.now(UTC)).date() + timedelta(days=1)
        start = local_datetime(tomorrow, datetime.min.time().replace(hour=20))
        now = datetime.now(UTC)

        timed(
            "conflict check, one meeting room",
            lambda: holding_conflicts(room, start, start + timedelta(hours=1), now, tenant),
        )
        timed(f"day plan of a zone ({len(rooms)} rooms)", lambda: day_plans(rooms, tomorrow, now))

        def book() -> None:
            request = BookingRequest(
                space=room,
                company=tenant.company,
                title="基准测试",
                start=start,
                end=start + timedelta(hours=1),
            )
            with contextlib.suppress(DomainError):
                create_bookings(tenant, request, now=now)

        timed("create a booking (rolled back)", book)
        year_of_utilization_csv()
        db.engine.dispose()


def year_of_utilization_csv() -> None:
    """Stream a year of utilization.csv by day for every space; report time and peak memory."""
    last = to_local(datetime.now(UTC)).date() - timedelta(days=DEMO_HISTORY_DAYS)
    first = last - timedelta(days=364)
    tracemalloc.start()
    began = time.perf_counter()
    size = rows = 0
    for chunk in csv_stream(REPORTS["utilization"].columns, utilization_rows(first, last, "day")):
        size += len(chunk.encode())
        rows += chunk.count("\r\n")
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"utilization.csv, a year by day: {rows:,} lines, {size / 1e6:.1f} MB in "
        f"{time.perf_counter() - began:.1f} s, peak Python memory {peak / 1e6:.1f} MB"
    )


if __name__ == "__main__":
    main()
