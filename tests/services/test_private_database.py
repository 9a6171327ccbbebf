"""The database's secrets stay private: the SQLite files are the app user's alone, and a failed
statement's message and log never carry its values (password hashes, token digests)."""

import logging
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from app.models import Role, User
from tests.fixtures.factories import make_user


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """Nothing may rely on the operator's umask."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def test_a_new_sqlite_database_its_wal_and_the_instance_folder_are_private(
    tmp_path: Path, monkeypatch, open_umask
) -> None:
    instance = tmp_path / "instance"
    monkeypatch.setenv("APP_INSTANCE_PATH", str(instance))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "RATELIMIT_ENABLED": False})
    try:
        with app.app_context():
            upgrade()
            make_user(email="first@example.cn")
            db.session.commit()
            files = {name: instance / name for name in ("app.db", "app.db-wal", "app.db-shm")}
            assert all(path.exists() for path in files.values())
            assert {name: mode(path) for name, path in files.items()} == {
                name: 0o600 for name in files
            }
            assert mode(instance) == 0o700
    finally:
        with app.app_context():
            db.engine.dispose()


def test_an_older_database_readable_by_others_is_made_private_when_opened(
    tmp_path: Path, open_umask
) -> None:
    path = tmp_path / "old.db"
    sqlite3.connect(path).close()
    path.chmod(0o644)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "RATELIMIT_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
        }
    )
    try:
        with app.app_context():
            db.session.execute(sa.text("CREATE TABLE notes (body TEXT)"))
            db.session.commit()
            assert mode(path) == 0o600
            assert mode(tmp_path / "old.db-wal") == 0o600
    finally:
        with app.app_context():
            db.engine.dispose()


def test_a_failed_statement_shows_and_logs_no_values(app, caplog) -> None:
    existing = make_user(email="taken@example.cn")
    db.session.commit()
    secret_hash = "$argon2id$v=19$m=65536,t=3,p=4$c2VjcmV0LXNhbHQ$NOT-A-REAL-HASH-BUT-SECRET"
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")

    with pytest.raises(sa.exc.IntegrityError) as failed:
        db.session.add(
            User(email=existing.email, name="重名", role=Role.MANAGER, password_hash=secret_hash)
        )
        db.session.flush()
    db.session.rollback()
    # What the app's error log would write about it, traceback included.
    logging.getLogger("app").error("Exception on /manage/people", exc_info=failed.value)

    # (PostgreSQL's own DETAIL of a unique violation still names the duplicate e-mail.)
    assert secret_hash not in str(failed.value)
    assert "parameters hidden" in str(failed.value)
    assert "INSERT INTO users" in caplog.text  # the statement is logged, its values are not
    assert secret_hash not in caplog.text
