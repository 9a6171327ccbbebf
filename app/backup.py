"""Backups of the database while the app keeps running, and restoring SQLite from one.

SQLite is copied through its online backup API from one read snapshot; PostgreSQL is dumped by
``pg_dump --format=custom``. Every backup is written under a temporary name, readable by its owner
only from the moment it exists, and renamed when complete, so a backup interrupted half-way is
never mistaken for a good one.
"""

import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

# 4096 pages of 4 KiB: 16 MiB per step.
PAGES_PER_STEP = 4096
STAMP_FORMAT = "%Y%m%d-%H%M%S"
PRIVATE_FILE = 0o600
PRIVATE_DIRECTORY = 0o700

# Called between the steps of a SQLite backup with (pages still to copy, pages in all).
Progress = Callable[[int, int], None]


class BackupError(Exception):
    """A backup or restore that cannot be done; the message tells the operator why."""


@dataclass(frozen=True)
class Backup:
    """A backup written: where, how big, how long it took and which old ones were removed."""

    path: Path
    size: int
    seconds: float
    pruned: tuple[Path, ...] = ()


def is_sqlite(url: sa.URL) -> bool:
    """Whether the URL is an SQLite database (else PostgreSQL is assumed)."""
    return url.get_backend_name() == "sqlite"


def sqlite_path(url: sa.URL) -> Path:
    """The database file of an SQLite URL."""
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise BackupError(f"Only an SQLite database in a file can be backed up, not {url}.")
    return Path(url.database)


def backup_name(url: sa.URL, moment: datetime, label: str = "") -> str:
    """``app-20261126-140500.db`` for instance/app.db, ``czg-20261126-140500.dump`` for czg.

    A ``label`` is appended to the time (``app-20261126-140500-before-restore.db``); such
    backups are never pruned.
    """
    stamp = moment.strftime(STAMP_FORMAT) + (f"-{label}" if label else "")
    if is_sqlite(url):
        return f"{sqlite_path(url).stem}-{stamp}.db"
    return f"{url.database}-{stamp}.dump"


def _timestamped(url: sa.URL) -> re.Pattern[str]:
    """The names :func:`backup_name` gives this database's backups."""
    if is_sqlite(url):
        stem, suffix = sqlite_path(url).stem, ".db"
    else:
        stem, suffix = str(url.database), ".dump"
    return re.compile(rf"{re.escape(stem)}-\d{{8}}-\d{{6}}{re.escape(suffix)}")


def prune(directory: Path, url: sa.URL, keep: int) -> list[Path]:
    """Remove this database's timestamped backups in ``directory`` but the newest ``keep``.

    ``keep`` 0 or less keeps them all. Other files (a named ``--output``) are left alone.
    """
    if keep <= 0:
        return []
    pattern = _timestamped(url)
    backups = sorted(p for p in directory.iterdir() if pattern.fullmatch(p.name) and p.is_file())
    removed = backups[:-keep]
    for path in removed:
        path.unlink()
    return removed


def _create_private(path: Path) -> int:
    """Create ``path`` readable and writable by its owner only, failing if it exists."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)


def copy_sqlite(
    database: Path,
    target: Path,
    *,
    pages_per_step: int = PAGES_PER_STEP,
    progress: Progress | None = None,
) -> None:
    """Copy a live SQLite database into the new file ``target`` through the backup API.

    The copy is the database as it was when the copy began. The source connection holds one
    read transaction for the whole copy: in WAL mode that snapshot blocks no writer, and it keeps
    SQLite from restarting the copy each time another connection commits (which, on a busy
    server, could go on for ever).
    """
    if not database.is_file():
        raise BackupError(f"There is no database at {database}.")
    os.close(_create_private(target))  # SQLite gives its journal files the same mode
    source = sqlite3.connect(database, isolation_level=None)
    copy = sqlite3.connect(target, isolation_level=None)
    try:
        source.execute("BEGIN")
        source.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot starts
        source.backup(
            copy,
            pages=pages_per_step,
            progress=None if progress is None else lambda _s, left, total: progress(left, total),
        )
        source.execute("COMMIT")
        # A self-contained file: no -wal or -shm beside it when it is copied elsewhere.
        copy.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as error:
        raise BackupError(f"Could not copy {database}: {error}") from error
    finally:
        copy.close()
        source.close()


def libpq_target(url: sa.URL) -> tuple[str, dict[str, str]]:
    """The connection URI for pg_dump/pg_restore, without the password, and the environment
    that carries the password (``PGPASSWORD``) so that it never shows in a process list."""
    # URL.set(password=None) would keep the password: build the URL without it.
    without_password = sa.URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    )
    conninfo = without_password.render_as_string(hide_password=False)
    env = {"PGPASSWORD": str(url.password)} if url.password else {}
    return conninfo, env


def dump_postgresql(url: sa.URL, target: Path, *, pg_dump: str = "pg_dump") -> None:
    """Write ``pg_dump --format=custom`` of the database into the new file ``target``.

    pg_dump reads one snapshot taken when it starts, without blocking the app's writes.
    """
    program = shutil.which(pg_dump)
    if program is None:
        raise BackupError(
            f"{pg_dump} was not found: install the PostgreSQL client tools "
            "(Debian: apt install postgresql-client) of the server's version or newer."
        )
    conninfo, password = libpq_target(url)
    fd = _create_private(target)
    try:
        finished = subprocess.run(
            # --no-password: fail at once rather than wait for a prompt nobody sees (cron).
            [program, "--format=custom", "--no-password", f"--dbname={conninfo}"],
            stdout=fd,
            stderr=subprocess.PIPE,
            env=os.environ | password,
            check=False,
        )
    finally:
        os.close(fd)
    if finished.returncode != 0:
        message = finished.stderr.decode(errors="replace").strip()
        raise BackupError(f"pg_dump failed: {message}")


def create_backup(
    url: sa.URL,
    output: Path,
    *,
    now: datetime,
    keep: int = 0,
    progress: Progress | None = None,
    pages_per_step: int = PAGES_PER_STEP,
) -> Backup:
    """Back up the database at ``url`` while the app keeps running.

    ``output`` is a directory (a timestamped file is written there, then all but the newest
    ``keep`` timestamped backups are removed) or the path of a new file. A missing directory is
    created readable by its owner only. ``progress`` and ``pages_per_step`` concern SQLite.
    """
    began = time.perf_counter()
    if output.is_dir() or not output.suffix:
        directory = output
        target = output / backup_name(url, now)
    else:
        directory, target = output.parent, output
        keep = 0
    directory.mkdir(mode=PRIVATE_DIRECTORY, parents=True, exist_ok=True)
    if target.exists():
        raise BackupError(f"{target} already exists: it was not overwritten.")
    partial = target.with_name(f".{target.name}.partial")
    try:
        if is_sqlite(url):
            copy_sqlite(sqlite_path(url), partial, pages_per_step=pages_per_step, progress=progress)
        else:
            dump_postgresql(url, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    size = target.stat().st_size
    pruned = prune(directory, url, keep)
    return Backup(target, size, time.perf_counter() - began, tuple(pruned))


def _open_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def check_sqlite_backup(backup: Path) -> None:
    """Refuse a file that is not an intact SQLite database of this app."""
    if not backup.is_file():
        raise BackupError(f"There is no file at {backup}.")
    try:
        with closing(_open_read_only(backup)) as connection:
            (verdict,) = connection.execute("PRAGMA quick_check").fetchone()
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{backup} is not an SQLite database: {error}") from error
    if verdict != "ok":
        raise BackupError(f"{backup} is damaged: {verdict}")
    if not {"alembic_version", "bookings"} <= tables:
        raise BackupError(f"{backup} is not a backup of this app's database.")


def restore_sqlite(backup: Path, database: Path) -> None:
    """Replace the contents of the SQLite ``database`` by those of ``backup``.

    Done as one write transaction through the backup API, so the database is never left half
    restored; the app should still be stopped, since its signed-in sessions refer to people
    of the replaced database.
    """
    check_sqlite_backup(backup)
    if database.exists() and database.resolve() == backup.resolve():
        raise BackupError(f"{backup} is the database itself.")
    if not database.exists():
        os.close(_create_private(database))  # a new database is as private as its backups
    source = _open_read_only(backup)
    target = sqlite3.connect(database, isolation_level=None)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode = WAL")  # as the app runs it, see app/sqlite.py
    except sqlite3.Error as error:
        raise BackupError(f"Could not restore {database}: {error}") from error
    finally:
        target.close()
        source.close()


def pg_restore_arguments(url: sa.URL, backup: Path) -> list[str]:
    """pg_restore's arguments that restore a pg_dump backup into the database at ``url``
    (its password goes in ``PGPASSWORD``, see :func:`libpq_target`)."""
    conninfo, _password = libpq_target(url)
    # One transaction: a restore that fails half-way leaves the database as it was.
    options = ["--clean", "--if-exists", "--no-owner", "--single-transaction"]
    return ["pg_restore", *options, "--dbname", conninfo, str(backup)]


def pg_restore_command(url: sa.URL, backup: Path) -> str:
    """The shell command an operator types to restore a pg_dump backup into ``url``."""
    prefix = "PGPASSWORD=… " if url.password else ""
    return prefix + shlex.join(pg_restore_arguments(url, backup))


def format_size(size: int) -> str:
    """Bytes as a person reads them: 812 B, 14.2 KB, 301.5 MB."""
    if size < 1000:
        return f"{size} B"
    amount = size / 1000
    for unit in ("KB", "MB"):
        if amount < 1000:
            return f"{amount:.1f} {unit}"
        amount /= 1000
    return f"{amount:.1f} GB"
