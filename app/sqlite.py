"""SQLite settings that make the embedded database behave under concurrent use."""

from typing import Any

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Execution option that asks for a write transaction outside a request (CLI, jobs, tests).
IMMEDIATE = "sqlite_immediate"


def configure(app: Flask) -> None:
    """Turn on foreign keys, WAL and a busy timeout on every SQLite connection."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    timeout_ms = int(app.config["SQLITE_BUSY_TIMEOUT_MS"])
    with app.app_context():
        engine: Engine = db.engine

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's BEGIN reach the database instead of pysqlite's own guesswork.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A request that changes data takes the write lock up front, so its checks and its
        # writes cannot be overtaken by another process in between. Reads stay concurrent.
        writing = connection.get_execution_options().get(IMMEDIATE) or (
            has_request_context() and request.method not in SAFE_METHODS
        )
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")
