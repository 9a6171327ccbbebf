"""Benchmark over HTTP: the pages and API calls people use, with N bookings behind them.

``make bench`` fills the demo building with ``BENCH_BOOKINGS`` past bookings (default 100,000;
the production figure is 1,000,000) in SQLite in a temporary file, or in the PostgreSQL database
of ``BENCH_DATABASE_URL`` (its ``public`` schema is dropped and rebuilt), serves the app with
gunicorn (``BENCH_WORKERS`` sync workers, default 2) and loads each route with wrk from a separate
process (one thread, 8 connections, ``BENCH_SECONDS`` each, default 5). Every route runs between
two runs of ``/healthz`` on the same server: its throughput is given as a share of that ceiling,
which changes with the machine and its other load. CPU per request is read from /proc: the
gunicorn workers plus, on PostgreSQL, the backends serving their connections. Then a year of
utilization.csv and bookings.csv are downloaded once each, the workers' RSS is read, and the
holds are checked for overlaps with a self-join. The table is printed and written to
``tests/bench/results/<database>-<bookings>.md``.
"""

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from app.models import Booking, Role, Space, SpaceKind, User
from app.services.availability import day_plans
from app.services.localtime import to_local
from app.services.open_time import open_intervals
from app.services.tokens import issue_token
from tests.bench.fill import DEMO_HISTORY_DAYS, fill
from tests.bench.load import POST_BOOKINGS, Run, children, lua_list, rss_mb, wrk
from tests.fixtures.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
COUNT = int(os.environ.get("BENCH_BOOKINGS", "100000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
REUSE = os.environ.get("BENCH_REUSE") == "1"
# Serve another checkout of the app (an older commit, to measure before and after a change).
APP_DIR = Path(os.environ.get("BENCH_APP_DIR") or ROOT)
TENANT = "tenant@hunengtech.example.cn", "tenant123"
MANAGER = "manager@czg.example.cn", "manager123"


@dataclass
class Setup:
    """What the load needs from the database: tokens, days and the slots to book."""

    tenant_token: str
    manager_token: str
    booking_tokens: list[str]
    room_id: int
    day: date  # a working day ahead, with the demo's bookings
    month: tuple[date, date]  # a month of history, full at every size
    slots: list[str]  # JSON bodies of POST /api/v1/bookings, no two overlapping


def prepare(url: str) -> Setup:
    """Migrate, load the demo, fill the history, and read what the load needs.

    With BENCH_REUSE=1 a database filled by an earlier run is used as it is (after migrating).
    """
    if url.startswith("postgresql") and not REUSE:
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
        began = time.perf_counter()
        if not REUSE:
            app.test_cli_runner().invoke(args=["seed-demo"])
            fill(COUNT)
        total = db.session.scalar(sa.select(sa.func.count(Booking.id)))
        print(f"{total:,} bookings (history filled in {time.perf_counter() - began:.0f} s)")
        tenant = db.session.scalar(sa.select(User).where(User.email == TENANT[0]))
        manager = db.session.scalar(sa.select(User).where(User.email == MANAGER[0]))
        assert tenant is not None and manager is not None
        bookers = list(
            db.session.scalars(
                sa.select(User)
                .where(User.role == Role.TENANT, User.active.is_(True))
                .order_by(User.id)
                .limit(8)
            )
        )
        setup = Setup(
            tenant_token=issue_token(tenant, "bench")[0],
            manager_token=issue_token(manager, "bench")[0],
            booking_tokens=[issue_token(user, "bench")[0] for user in bookers],
            room_id=0,
            day=date.today(),
            month=(date.today(), date.today()),
            slots=[],
        )
        rooms = list(
            db.session.scalars(
                sa.select(Space)
                .where(Space.kind == SpaceKind.MEETING_ROOM, Space.bookable.is_(True))
                .order_by(Space.code)
            )
        )
        tables = list(
            db.session.scalars(
                sa.select(Space)
                .where(Space.kind == SpaceKind.TABLE, Space.bookable.is_(True))
                .order_by(Space.code)
            )
        )
        today = to_local(datetime.now(UTC)).date()
        setup.room_id = rooms[0].id
        setup.day = next(
            today + timedelta(days=n)
            for n in range(1, 14)
            if open_intervals(rooms[0], today + timedelta(days=n))
        )
        last = today - timedelta(days=DEMO_HISTORY_DAYS + 1)
        setup.month = (last - timedelta(days=29), last)
        setup.slots = booking_slots([*tables, *rooms], today)
        db.session.commit()
        db.engine.dispose()
    return setup


def booking_slots(spaces: list[Space], today: date) -> list[str]:
    """Half-hour bookings from day 7 to day 50, on every free half hour of the spaces."""
    slots = []
    now = datetime.now(UTC)
    for offset in range(7, 50):
        day = today + timedelta(days=offset)
        for plan in day_plans(spaces, day, now):
            space = plan.space
            for low, high in plan.open:
                start = low
                while start + timedelta(minutes=30) <= high:
                    if not plan.is_free(start, start + timedelta(minutes=30)):
                        start += timedelta(minutes=30)
                        continue  # the demo's own bookings
                    body = {
                        "space_id": space.id,
                        "start": to_local(start).isoformat(),
                        "end": to_local(start + timedelta(minutes=30)).isoformat(),
                        "title": "基准测试",
                    }
                    slots.append(json.dumps(body))
                    start += timedelta(minutes=30)
    # Interleave spaces and days so that the clients rarely wait for one another's space.
    return slots[::7] + [slot for n, slot in enumerate(slots) if n % 7]


class Server:
    """gunicorn serving the app on the bench database."""

    def __init__(self, url: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.database_url = url
        self.log = Path(tempfile.mkdtemp()) / "gunicorn.log"
        env = os.environ | {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench",
            "APP_RATELIMIT_ENABLED": "false",
            "APP_SESSION_COOKIE_SECURE": "false",
            "APP_PUBLIC_URL": self.base,
            "PYTHONPATH": str(APP_DIR),
        }
        command = [sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "--log-level", "warning"]
        with self.log.open("wb") as output:
            self.process = subprocess.Popen(
                [*command, "-b", f"127.0.0.1:{self.port}", "wsgi:app"],
                cwd=APP_DIR,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=2).read()
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(self.log.read_text()) from None
                time.sleep(0.3)
        self.engine = sa.create_engine(url)

    def workers(self) -> list[int]:
        return children(self.process.pid)

    def processes(self) -> list[int]:
        """The workers, and on PostgreSQL the backends serving their connections (not
        autovacuum, whose work comes and goes with what earlier runs wrote)."""
        pids = self.workers()
        if self.engine.dialect.name == "postgresql":
            with self.engine.connect() as connection:
                pids += connection.scalars(
                    sa.text(
                        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                        "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
                    )
                ).all()
        return pids

    def sign_in(self, email: str, password: str) -> str:
        """Sign in through the form; the session cookie as a Cookie header."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(self.base + "/auth/login").read().decode()
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        assert match, page[:500]
        form = {"email": email, "password": password, "csrf_token": match.group(1)}
        opener.open(self.base + "/auth/login", urllib.parse.urlencode(form).encode()).read()
        cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
        assert "session=" in cookie, cookie
        return cookie

    def get(self, path: str, headers: dict[str, str]) -> tuple[int, bytes, float]:
        """One request: status, body and seconds."""
        request = urllib.request.Request(self.base + path, headers=headers)
        began = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=600) as response:
                return response.status, response.read(), time.perf_counter() - began
        except urllib.error.HTTPError as error:
            return error.code, error.read(), time.perf_counter() - began

    def stop(self) -> None:
        self.engine.dispose()
        self.process.terminate()
        self.process.wait(timeout=30)


@dataclass
class Measured:
    name: str
    run: Run
    ceiling: float  # requests per second of /healthz around the run

    @property
    def ratio(self) -> float:
        return self.run.per_second / self.ceiling if self.ceiling else 0.0


def measure_routes(server: Server, setup: Setup) -> list[Measured]:
    """Each route between two runs of /healthz."""
    tenant = {"Cookie": server.sign_in(*TENANT)}
    manager = {"Cookie": server.sign_in(*MANAGER)}
    tenant_api = {"Authorization": f"Bearer {setup.tenant_token}"}
    manager_api = {"Authorization": f"Bearer {setup.manager_token}"}
    day = setup.day.isoformat()
    month = f"from={setup.month[0].isoformat()}&to={setup.month[1].isoformat()}"
    routes = [
        ("availability API", f"/api/v1/spaces/{setup.room_id}/availability?date={day}", tenant_api),
        ("day timeline", f"/timeline?zone=MTG&date={day}", tenant),
        ("find", f"/find?date={day}&start=10:00&duration=60", tenant),
        ("tenant home", "/", tenant),
        ("bookings list, a month (tenant)", f"/api/v1/bookings?{month}", tenant_api),
        ("bookings list, a month (manager)", f"/api/v1/bookings?{month}", manager_api),
        ("bookings page, upcoming (manager)", "/bookings", manager),
        ("bookings page, past (manager)", "/bookings?tab=past", manager),
    ]
    for name, path, headers in routes:
        status, body, _seconds = server.get(path, headers)
        assert status == 200, (name, status, body[:300])
    measured = []
    health = wrk(server.base + "/healthz", SECONDS, server.processes)
    measured.append(Measured("/healthz", health, health.per_second))
    for name, path, headers in routes:
        run = wrk(server.base + path, SECONDS, server.processes, headers=headers)
        after = wrk(server.base + "/healthz", SECONDS, server.processes)
        measured.append(Measured(name, run, (health.per_second + after.per_second) / 2))
        health = after
        print(f"  {name}: {run.per_second:.0f}/s", file=sys.stderr)
    return measured


def measure_bookings(server: Server, setup: Setup, ceiling: float) -> Measured:
    """POST /api/v1/bookings from 8 clients, each request a slot nobody else takes."""
    script = lua_list("slots", setup.slots) + lua_list("tokens", setup.booking_tokens)
    run = wrk(server.base + "/", SECONDS * 2, server.processes, script=script + POST_BOOKINGS)
    return Measured("POST /api/v1/bookings", run, ceiling)


def overlapping_holds(server: Server) -> int:
    """Pairs of active holds of one space that overlap: must be 0.

    A self-join, written so that an index finds each hold's partners: the exclusion
    constraint's GiST index on PostgreSQL, (space_id, end_at) bounded on both sides on SQLite
    (a hold is at most a day plus its buffer long).
    """
    if server.engine.dialect.name == "postgresql":
        join = (
            "b.space_id = a.space_id AND b.active AND b.id <> a.id AND "
            "tstzrange(b.start_at, b.end_at, '[)') && tstzrange(a.start_at, a.end_at, '[)')"
        )
    else:
        join = (
            "b.space_id = a.space_id AND b.active AND b.id <> a.id AND "
            "b.end_at > a.start_at AND b.end_at < datetime(a.end_at, '+2 days') "
            "AND b.start_at < a.end_at"
        )
    statement = (
        f"SELECT count(*) FROM booking_holds a JOIN booking_holds b ON {join} WHERE a.active"
    )
    with server.engine.connect() as connection:
        return connection.scalar(sa.text(statement)) or 0


def reports(server: Server, setup: Setup) -> list[tuple[str, float, int]]:
    """A year of utilization.csv by day and space, and of bookings.csv: seconds and lines."""
    manager_api = {"Authorization": f"Bearer {setup.manager_token}"}
    last = setup.month[1]
    first = last - timedelta(days=364)
    span = f"from={first.isoformat()}&to={last.isoformat()}"
    timed = []
    for name, path in (
        (
            "utilization.csv, a year by day × space",
            f"/api/v1/reports/utilization.csv?{span}&period=day",
        ),
        ("bookings.csv, a year", f"/api/v1/reports/bookings.csv?{span}"),
    ):
        status, body, seconds = server.get(path, manager_api)
        assert status == 200, (name, status, body[:300])
        timed.append((name, seconds, body.count(b"\n")))
    return timed


def app_commit() -> str:
    """The commit of the checkout being served (with + when it has uncommitted changes)."""
    run = subprocess.run(
        ["git", "-C", str(APP_DIR), "describe", "--always", "--dirty=+"],
        capture_output=True,
        text=True,
    )
    return run.stdout.strip() or "?"


def table(dialect: str, measured: list[Measured], timed, rss, overlaps: int) -> str:
    """The results as Markdown."""
    lines = [
        f"# Benchmark: {COUNT:,} bookings on {dialect}",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, app at commit {app_commit()}, "
        f"gunicorn {WORKERS} sync workers, "
        f"wrk -t1 -c8 -d{SECONDS}s per route, {os.cpu_count()} CPUs (shared), load average "
        f"{os.getloadavg()[0]:.1f} at the end. *of /healthz*: requests per second as a share of "
        "/healthz's, run before and after the route on the same server; *CPU of /healthz ÷ "
        "CPU*: the same share computed from CPU per request (workers and PostgreSQL backends), "
        "which other load on the machine disturbs less.",
        "",
        "| route | req/s | of /healthz | p50 ms | p95 ms | p99 ms | CPU ms/req | CPU of "
        "/healthz ÷ CPU | failed |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    health_cpu = measured[0].run.cpu_ms
    for item in measured:
        run = item.run
        lines.append(
            f"| {item.name} | {run.per_second:.0f} | {item.ratio:.3f} | {run.p50:.1f} | "
            f"{run.p95:.1f} | {run.p99:.1f} | {run.cpu_ms:.1f} | "
            f"{health_cpu / run.cpu_ms if run.cpu_ms else 0:.3f} | {run.errors} |"
        )
    posted = measured[-1].run.statuses
    lines += [
        "",
        f"POST answers: {json.dumps(posted, sort_keys=True)}",
        "",
        "| report | seconds | lines |",
        "|---|---:|---:|",
        *(f"| {name} | {seconds:.2f} | {count:,} |" for name, seconds, count in timed),
        "",
        f"Worker RSS (MB) at start / end: {rss[0]} / {rss[1]}",
        "",
        f"Overlapping active holds (self-join): {overlaps}",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    setup = prepare(url)
    server = Server(url)
    try:
        rss_start = [round(rss_mb(pid)) for pid in server.workers()]
        measured = measure_routes(server, setup)
        posts = measure_bookings(server, setup, measured[-1].ceiling)
        measured.append(posts)
        timed = reports(server, setup)
        rss_end = [round(rss_mb(pid)) for pid in server.workers()]
        overlaps = overlapping_holds(server)
        dialect = server.engine.dialect.name
    finally:
        server.stop()
    text = table(dialect, measured, timed, (rss_start, rss_end), overlaps)
    print(text)
    results = ROOT / "tests" / "bench" / "results"
    results.mkdir(exist_ok=True)
    suffix = os.environ.get("BENCH_RESULT_SUFFIX", "")
    (results / f"{dialect}-{COUNT}{suffix}.md").write_text(text)
    if overlaps:
        raise SystemExit("overlapping holds")


if __name__ == "__main__":
    main()
