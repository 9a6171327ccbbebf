"""Backups taken while bookings keep arriving, what they keep, and restoring them.

SQLite is always tested (on its own file database when the suite runs on PostgreSQL); pg_dump
and pg_restore are tested too when the suite runs on PostgreSQL.
"""

import os
import stat
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from app import backup as backups
from app.extensions import db
from app.models import Booking, SpaceKind
from tests.api.conftest import bearer, booking_body, booking_day, issue
from tests.conftest import TEST_DATABASE_URL, _empty_tables, build_app
from tests.fixtures.bookings import event_area, make_booking, tenant
from tests.fixtures.factories import make_space, make_zone

ON_POSTGRESQL = TEST_DATABASE_URL.startswith("postgresql")
BACKENDS = ["sqlite", "postgresql"] if ON_POSTGRESQL else ["sqlite"]
SCRATCH_DATABASE = "czg_backup_restore"
MOMENT = datetime(2026, 11, 26, 14, 5, 0)


@pytest.fixture(scope="module")
def own_sqlite_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """A migrated SQLite file database, for the SQLite tests of a run on PostgreSQL."""
    app = build_app(f"sqlite:///{tmp_path_factory.mktemp('backup') / 'app.db'}")
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def sqlite_app(request: pytest.FixtureRequest) -> Iterator[Flask]:
    """An app on an SQLite file database (the suite's own when the suite runs on SQLite)."""
    if not ON_POSTGRESQL:
        yield request.getfixturevalue("app")
        return
    app: Flask = request.getfixturevalue("own_sqlite_app")
    with app.app_context():
        yield app
        db.session.rollback()
        _empty_tables()
        db.session.remove()


@pytest.fixture(params=BACKENDS)
def live_app(request: pytest.FixtureRequest) -> Flask:
    """The app on each database under test."""
    name = "sqlite_app" if request.param == "sqlite" else "app"
    app: Flask = request.getfixturevalue(name)
    return app


class Writer(threading.Thread):
    """Books meeting-room slots through the API, one request after another, until stopped."""

    def __init__(self, app: Flask, token: str, bodies: list[dict[str, Any]]) -> None:
        super().__init__(daemon=True)
        self.client = app.test_client()
        self.token = token
        self.bodies = bodies
        self.halt = threading.Event()
        self.changed = threading.Condition()
        # Booking id, when its request was sent and when its 201 came back.
        self.committed: list[tuple[int, float, float]] = []
        self.failure = ""

    def run(self) -> None:
        try:
            for body in self.bodies:
                if self.halt.is_set():
                    break
                sent = time.monotonic()
                response = self.client.post(
                    "/api/v1/bookings", json=body, headers=bearer(self.token)
                )
                if response.status_code != 201:
                    self.failure = response.text
                    break
                with self.changed:
                    self.committed.append((response.get_json()["id"], sent, time.monotonic()))
                    self.changed.notify_all()
        finally:
            with self.changed:
                self.halt.set()
                self.changed.notify_all()

    def write_more(self, count: int) -> list[int]:
        """Wait until ``count`` bookings asked for from now on are committed; their ids."""
        now = time.monotonic()
        with self.changed:
            self.changed.wait_for(lambda: len(self.since(now)) >= count or self.halt.is_set(), 60)
            assert len(self.since(now)) >= count, self.failure or "the writer stopped"
            return self.since(now)

    def since(self, moment: float) -> list[int]:
        return [booking_id for booking_id, sent, _done in self.committed if sent > moment]

    def finish(self) -> list[tuple[int, float, float]]:
        self.halt.set()
        self.join(timeout=60)
        assert not self.failure, self.failure
        return self.committed


def rows(engine: sa.Engine, booking_ids: list[int]) -> dict[int, list[tuple[Any, ...]]]:
    """Each booking's space and times, and its holds, as the database stores them."""
    found: dict[int, list[tuple[Any, ...]]] = {}
    with engine.connect() as connection:
        bookings = sa.text("SELECT id, space_id, start_at, end_at, status FROM bookings")
        for booking_id, *values in connection.execute(bookings):
            found[booking_id] = [tuple(values)]
        holds = sa.text(
            "SELECT booking_id, space_id, start_at, end_at, active FROM booking_holds "
            "ORDER BY booking_id, space_id"
        )
        for booking_id, *values in connection.execute(holds):
            found[booking_id].append(tuple(values))
    return {booking_id: found[booking_id] for booking_id in booking_ids if booking_id in found}


@contextmanager
def pg_dump_held(during: Callable[[], None]) -> Iterator[None]:
    """Make pg_dump, once it has taken its snapshot, wait on a lock of alembic_version (which no
    booking touches) until ``during()`` has run in another thread."""
    engine = sa.create_engine(TEST_DATABASE_URL)
    locked = threading.Event()
    failures: list[BaseException] = []
    pg_dump_waits = sa.text(
        "SELECT count(*) FROM pg_locks WHERE relation = 'alembic_version'::regclass AND NOT granted"
    )

    def hold() -> None:
        try:
            with engine.connect() as holder:
                holder.execute(sa.text("LOCK TABLE alembic_version IN ACCESS EXCLUSIVE MODE"))
                locked.set()
                deadline = time.monotonic() + 30
                with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as watcher:
                    while not watcher.scalar(pg_dump_waits):
                        assert time.monotonic() < deadline, "pg_dump never waited for the lock"
                        time.sleep(0.01)
                during()
                holder.rollback()
        except BaseException as error:  # raised again in the test's thread
            failures.append(error)
        finally:
            locked.set()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    locked.wait(30)
    try:
        yield
    finally:
        thread.join(timeout=60)
        engine.dispose()
    if failures:
        raise failures[0]


@contextmanager
def restore_into_new_database(backup: Path, tmp_path: Path) -> Iterator[sa.Engine]:
    """The backup restored into a database of its own: a new file, or a scratch PostgreSQL one."""
    if backup.suffix == ".db":
        restored = tmp_path / "restored.db"
        backups.restore_sqlite(backup, restored)
        assert stat.S_IMODE(restored.stat().st_mode) == 0o600
        engine = sa.create_engine(f"sqlite:///{restored}")
        yield engine
        engine.dispose()
        return
    listing = subprocess.run(["pg_restore", "--list", str(backup)], capture_output=True, text=True)
    assert listing.returncode == 0, listing.stderr
    assert "TABLE DATA public bookings" in listing.stdout
    assert "TABLE DATA public booking_holds" in listing.stdout
    admin = sa.create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {SCRATCH_DATABASE}"))
        connection.execute(sa.text(f"CREATE DATABASE {SCRATCH_DATABASE}"))
    url = sa.make_url(TEST_DATABASE_URL).set(database=SCRATCH_DATABASE)
    _conninfo, password = backups.libpq_target(url)
    restore = subprocess.run(
        backups.pg_restore_arguments(url, backup),  # the command flask restore explains
        capture_output=True,
        text=True,
        env=os.environ | password,
    )
    engine = sa.create_engine(url)
    try:
        assert restore.returncode == 0, restore.stderr
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE {SCRATCH_DATABASE} WITH (FORCE)"))
        admin.dispose()


def test_a_backup_taken_while_bookings_arrive_restores_every_earlier_booking(
    live_app: Flask, tmp_path: Path
) -> None:
    zone = make_zone(code="MTG")
    rooms = [make_space(kind=SpaceKind.MEETING_ROOM, zone=zone, capacity=8) for _ in range(6)]
    person = tenant()
    hall_booking = make_booking(space=event_area()[0], actor=person)  # holds both halves
    db.session.commit()
    assert len(hall_booking.holds) == 2
    day = booking_day()
    slots = [
        booking_body(room.id, day + timedelta(days=offset), f"{hour:02d}:{minute}", end)
        for offset in range(2)
        for hour in range(8, 22)
        for minute, end in (("00", f"{hour:02d}:30"), ("30", f"{hour + 1:02d}:00"))
        for room in rooms
    ]
    writer = Writer(live_app, issue(person), slots)
    writer.start()
    writer.write_more(3)
    held: list[int] = []  # bookings asked for and committed while the backup was under way

    def between_steps(_left: int, _total: int) -> None:
        # SQLite copies in steps: bookings are committed after the first, the copy goes on.
        if not held:
            held.extend(writer.write_more(2))

    url = db.engine.url
    under_way = (
        nullcontext()
        if backups.is_sqlite(url)
        else pg_dump_held(lambda: held.extend(writer.write_more(2)))
    )
    began = time.monotonic()
    with under_way:
        backup = backups.create_backup(
            url, tmp_path / "backups", now=MOMENT, progress=between_steps, pages_per_step=8
        )
    committed = writer.finish()

    assert len(held) >= 2
    order = [booking_id for booking_id, _sent, _done in committed]
    before = [hall_booking.id] + [
        booking_id for booking_id, _sent, done in committed if done < began
    ]
    db.session.rollback()
    live = rows(db.engine, [hall_booking.id, *order])
    with restore_into_new_database(backup.path, tmp_path) as engine:
        restored = rows(engine, [hall_booking.id, *order])
    assert {booking_id: restored.get(booking_id) for booking_id in before} == {
        booking_id: live[booking_id] for booking_id in before
    }
    # The database as it was at one moment, before the bookings made while it was copied.
    assert not set(held) & set(restored)
    kept = [booking_id for booking_id in order if booking_id in restored]
    assert kept == order[: len(kept)]
    assert all(restored[booking_id] == live[booking_id] for booking_id in kept)


def test_backups_are_private_from_the_first_byte(sqlite_app: Flask, tmp_path: Path) -> None:
    make_booking()
    db.session.commit()
    directory = tmp_path / "backups"
    modes: list[int] = []

    def look(_left: int, _total: int) -> None:
        # The copy being written, and SQLite's journal beside it.
        modes.extend(stat.S_IMODE(path.stat().st_mode) for path in directory.iterdir())

    umask = os.umask(0)  # nothing may rely on the operator's umask
    try:
        backup = backups.create_backup(
            db.engine.url, directory, now=MOMENT, progress=look, pages_per_step=4
        )
    finally:
        os.umask(umask)
    assert modes and set(modes) == {0o600}
    assert stat.S_IMODE(backup.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert backup.path.name == backups.backup_name(db.engine.url, MOMENT)
    assert backup.path.name.endswith("-20261126-140500.db")
    assert [p.name for p in directory.iterdir()] == [backup.path.name]


def test_only_the_newest_backups_are_kept(sqlite_app: Flask, tmp_path: Path) -> None:
    directory = tmp_path / "backups"
    directory.mkdir()
    (directory / "before-the-move.db").write_bytes(b"kept: not a timestamped backup")
    written = [
        backups.create_backup(
            db.engine.url, directory, now=MOMENT + timedelta(days=day), keep=3
        ).path.name
        for day in range(5)
    ]
    assert sorted(p.name for p in directory.iterdir()) == sorted(
        ["before-the-move.db", *written[-3:]]
    )


def test_flask_backup_says_what_it_wrote(
    live_app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(live_app.config, "BACKUP_DIR", str(tmp_path / "nightly"))
    monkeypatch.setitem(live_app.config, "BACKUP_KEEP", 1)
    make_booking()
    db.session.commit()
    (tmp_path / "nightly").mkdir()
    old = tmp_path / "nightly" / backups.backup_name(db.engine.url, datetime(2020, 1, 1))
    old.write_bytes(b"an older backup")

    result = live_app.test_cli_runner().invoke(args=["backup"])

    assert result.exit_code == 0, result.output
    (written,) = (tmp_path / "nightly").iterdir()
    size = backups.format_size(written.stat().st_size)
    assert f"Wrote {written} ({size}) in " in result.output
    assert f"Removed 1 older backup(s): {old.name}" in result.output
    named = live_app.test_cli_runner().invoke(args=["backup", "--output", str(tmp_path / "x.bak")])
    assert named.exit_code == 0, named.output
    assert (tmp_path / "x.bak").stat().st_size > 0
    if not backups.is_sqlite(db.engine.url):
        explained = live_app.test_cli_runner().invoke(args=["restore", str(written)])
        assert explained.exit_code == 1
        assert "pg_restore --clean --if-exists --no-owner" in explained.output
        assert str(written) in explained.output


def test_restore_asks_first_and_keeps_the_replaced_database(
    sqlite_app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sqlite_app.config, "BACKUP_DIR", str(tmp_path / "backups"))
    kept_id = make_booking(title="备份之前").id
    db.session.commit()
    backup = backups.create_backup(db.engine.url, tmp_path / "backups", now=MOMENT)
    make_booking(title="备份之后")
    db.session.commit()
    runner = sqlite_app.test_cli_runner()

    refused = runner.invoke(args=["restore", str(backup.path)], input="n\n")
    assert refused.exit_code == 1
    assert "Replace everything in" in refused.output and "Aborted" in refused.output
    db.session.rollback()
    assert set(db.session.scalars(sa.select(Booking.title))) == {"备份之前", "备份之后"}

    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("not a database")
    wrong = runner.invoke(args=["restore", "--yes", str(not_a_backup)])
    assert wrong.exit_code == 1 and "is not an SQLite database" in wrong.output

    restored = runner.invoke(args=["restore", "--yes", str(backup.path)])
    assert restored.exit_code == 0, restored.output
    db.session.rollback()
    assert set(db.session.scalars(sa.select(Booking.title))) == {"备份之前"}
    assert db.session.get(Booking, kept_id) is not None
    (saved,) = (tmp_path / "backups").glob("*-before-restore.db")
    assert f"Saved the current database as {saved}" in restored.output
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600


def test_pg_dump_gets_the_password_from_the_environment_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "bin" / "pg_dump"
    fake.parent.mkdir()
    fake.write_text(
        '#!/bin/sh\nprintf "%s\\n" "$@" > "${0%/*}/args"\n'
        'printf "%s" "$PGPASSWORD" > "${0%/*}/password"\nprintf PGDMP\n'
    )
    fake.chmod(0o700)
    monkeypatch.setenv("PATH", str(fake.parent))
    url = sa.make_url("postgresql+psycopg://czg:s3cret-pw@db.example.cn:5433/czg")

    backup = backups.create_backup(url, tmp_path / "backups", now=MOMENT)

    args = (fake.parent / "args").read_text().split("\n")
    assert "--format=custom" in args
    assert "--dbname=postgresql://czg@db.example.cn:5433/czg" in args
    assert "s3cret-pw" not in " ".join(args)
    assert (fake.parent / "password").read_text() == "s3cret-pw"
    assert backup.path == tmp_path / "backups" / "czg-20261126-140500.dump"
    assert backup.path.read_bytes() == b"PGDMP"
    assert stat.S_IMODE(backup.path.stat().st_mode) == 0o600


def test_without_pg_dump_the_error_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    url = sa.make_url("postgresql+psycopg://czg:pw@127.0.0.1:5432/czg")
    with pytest.raises(backups.BackupError, match="pg_dump was not found: install"):
        backups.create_backup(url, tmp_path / "backups", now=MOMENT)
    assert list((tmp_path / "backups").iterdir()) == []


def test_restoring_postgresql_is_explained_without_the_password() -> None:
    url = sa.make_url("postgresql+psycopg://czg:s3cret-pw@127.0.0.1:5432/czg")
    command = backups.pg_restore_command(url, Path("/srv/backups/czg-20261126-140500.dump"))
    assert command == (
        "PGPASSWORD=… pg_restore --clean --if-exists --no-owner --single-transaction "
        "--dbname postgresql://czg@127.0.0.1:5432/czg /srv/backups/czg-20261126-140500.dump"
    )
