"""Configuration defaults.

Order of precedence: these defaults < ``instance/config.py`` < environment variables
(``APP_<NAME>``, plus the conventional ``DATABASE_URL`` and ``SECRET_KEY``) < the mapping
passed to ``create_app``.
"""

import json
import os
import secrets
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any


class Config:
    # Filled in by load_config() when left empty: sqlite file in instance/, generated secret.
    SQLALCHEMY_DATABASE_URI = ""
    SECRET_KEY = ""
    # hide_parameters: a failed statement's message and log never show its values (password
    # hashes, token digests); create_app keeps it on unless these options say otherwise.
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True, "hide_parameters": True}
    SQLITE_BUSY_TIMEOUT_MS = 5000
    # Seconds in Retry-After of the 503 answered while the database is unreachable or busy.
    DATABASE_RETRY_AFTER = 30

    TIMEZONE = "Asia/Shanghai"
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ["zh_CN", "en"]

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "czg_session"
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024  # bytes of a request body; larger ones get 413
    # Host names the app answers to, e.g. ["czg.example.cn"] (".example.cn" for every
    # subdomain); any other Host header gets 400. Empty: every host (development).
    TRUSTED_HOSTS: list[str] = []

    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "10 per minute"

    PER_PAGE = 25

    # Accounts: how long an invitation and a link to choose a new password work; how often a new
    # password may be asked for, per address and per IP; failed sign-ins allowed per account
    # (whatever address they come from) before it waits: each limit is a step of the back-off.
    INVITATION_DAYS = 7
    PASSWORD_RESET_MINUTES = 60
    PASSWORD_RESET_RATE_LIMIT = "3 per hour"
    PASSWORD_RESET_IP_RATE_LIMIT = "10 per hour"
    ACCOUNT_SIGN_IN_LIMITS = "5 per 5 minutes;10 per hour;20 per day"

    # Where people reach the app, e.g. "https://czg.example.cn": the base of the links in mails
    # (never taken from a request's Host header). Empty: mails say where to find the page.
    PUBLIC_URL = ""

    # Notification e-mail, sent by `flask notifications send`. No MAIL_SERVER: mails are written
    # to the log instead (development).
    MAIL_SERVER = ""
    MAIL_PORT = 25
    MAIL_USE_TLS = False  # STARTTLS after connecting
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_FROM = "创智谷预订 <noreply@czg.example.cn>"
    MAIL_TIMEOUT = 10  # seconds
    REMINDER_MINUTES_DEFAULT = 60

    # `flask backup`: where backups go (empty: instance/backups) and how many timestamped ones
    # it keeps there, removing older ones (0 keeps them all). APP_BACKUP_DIR, APP_BACKUP_KEEP.
    BACKUP_DIR = ""
    BACKUP_KEEP = 14


def _coerce(value: str) -> Any:
    """Environment values are strings; JSON literals (true, 5, [..]) become Python values."""
    try:
        return json.loads(value)
    except ValueError:
        return value


def env_overrides(environ: dict[str, str]) -> dict[str, Any]:
    """Settings taken from the environment."""
    found: dict[str, Any] = {}
    for key, value in environ.items():
        if key.startswith("APP_"):
            found[key[4:]] = _coerce(value)
    if environ.get("DATABASE_URL"):
        found["SQLALCHEMY_DATABASE_URI"] = environ["DATABASE_URL"]
    if environ.get("SECRET_KEY"):
        found["SECRET_KEY"] = environ["SECRET_KEY"]
    return found


def complete(config: MutableMapping[str, Any]) -> None:
    """Finish the loaded settings: statement parameters stay out of messages and logs unless the
    engine options say ``hide_parameters: False``; TRUSTED_HOSTS may be one comma-separated
    string (``APP_TRUSTED_HOSTS=czg.example.cn,www.czg.example.cn``)."""
    config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        "hide_parameters": True,
        **config["SQLALCHEMY_ENGINE_OPTIONS"],
    }
    hosts = config["TRUSTED_HOSTS"]
    if isinstance(hosts, str):
        config["TRUSTED_HOSTS"] = [name.strip() for name in hosts.split(",") if name.strip()]


def project_root(package_dir: Path, cwd: Path) -> Path:
    """The directory holding migrations/ and instance/: the checkout the ``app`` package sits
    in; for a copy installed elsewhere (site-packages), the working directory."""
    checkout = package_dir.parent
    return checkout if (checkout / "migrations").is_dir() else cwd


def instance_path(environ: dict[str, str], root: Path) -> Path:
    """The instance folder (local config, secret key, SQLite file): ``APP_INSTANCE_PATH`` when
    set, else ``instance/`` in the project root."""
    chosen = environ.get("APP_INSTANCE_PATH")
    return Path(chosen).resolve() if chosen else root / "instance"


def instance_secret_key(instance_path: str) -> str:
    """Read the secret key kept in instance/, generating it on first use."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()
