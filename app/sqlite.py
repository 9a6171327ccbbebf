"""SQLite settings that make the embedded database behave under concurrent use, in private files."""

import contextlib
import os
import stat
from typing import Any

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Execution option that asks for a write transaction outside a request (CLI, jobs, tests).
IMMEDIATE = "sqlite_immediate"
# The database holds password hashes and token digests: readable by the app's user only.
PRIVATE_FILE = 0o600
COMPANION_SUFFIXES = ("", "-wal", "-shm", "-journal")


def database_file(engine: Engine) -> str | None:
    """The path of the engine's database file; None for an in-memory database."""
    name = engine.url.database
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return name


def create_private(path: str) -> None:
    """Create the database file 0600 before SQLite does (it would follow the umask)."""
    if not os.path.isdir(os.path.dirname(path) or "."):
        return  # a missing directory is reported by SQLite when it connects
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))


def keep_private(path: str) -> None:
    """Take group and other access away from the database file and its WAL, shared-memory and
    journal files, which SQLite creates next to it."""
    for name in (path + suffix for suffix in COMPANION_SUFFIXES):
        try:
            found = os.stat(name)
            if stat.S_IMODE(found.st_mode) & 0o077 and found.st_uid == os.geteuid():
                os.chmod(name, PRIVATE_FILE)
        except FileNotFoundError:
            continue


def configure(app: Flask) -> None:
    """Turn on foreign keys, WAL and a busy timeout on every SQLite connection; keep the files
    private."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    timeout_ms = int(app.config["SQLITE_BUSY_TIMEOUT_MS"])
    with app.app_context():
        engine: Engine = db.engine
    path = database_file(engine)
    if path:
        create_private(path)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's BEGIN reach the database instead of pysqlite's own guesswork.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()
        if path:
            keep_private(path)  # the WAL and shared-memory files exist from here on

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A request that changes data takes the write lock up front, so its checks and its
        # writes cannot be overtaken by another process in between. Reads stay concurrent.
        writing = connection.get_execution_options().get(IMMEDIATE) or (
            has_request_context() and request.method not in SAFE_METHODS
        )
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")
