"""What every page shares: the signed-in user, role checks, security headers, formatting."""

from collections.abc import Callable
from datetime import date, datetime
from functools import wraps
from typing import Any, TypeGuard, TypeVar
from urllib.parse import urlsplit

from flask import Flask, abort, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.extensions import login_manager
from app.i18n import select_locale
from app.models import CompanyStatus, Role, SpaceKind, Stage
from app.services import users
from app.services.availability import pending_requests_count
from app.services.localtime import local_zone

SESSION_TOKEN_KEY = "sid"

F = TypeVar("F", bound=Callable[..., Any])

STAGE_LABELS = {
    Stage.TEAM: _l("Startup team"),
    Stage.INCUBATED: _l("Incubated"),
    Stage.ACCELERATING: _l("Accelerating"),
    Stage.GRADUATED: _l("Graduated"),
}
STATUS_LABELS = {CompanyStatus.ACTIVE: _l("In the building"), CompanyStatus.LEFT: _l("Moved out")}
ROLE_LABELS = {Role.TENANT: _l("Tenant"), Role.MANAGER: _l("Manager"), Role.ADMIN: _l("Admin")}
KIND_LABELS = {
    SpaceKind.OFFICE: _l("Office"),
    SpaceKind.DESK: _l("Desk"),
    SpaceKind.BOOTH: _l("Booth"),
    SpaceKind.SHOP: _l("Shop"),
    SpaceKind.MEETING_ROOM: _l("Meeting room"),
    SpaceKind.HALL: _l("Hall"),
    SpaceKind.EVENT_AREA: _l("Event area"),
    SpaceKind.TABLE: _l("Table"),
}
LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}


def staff_required(view: F) -> F:
    """Managers and admins only; tenants get 403."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_staff:
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def is_safe_next(target: str | None) -> TypeGuard[str]:
    """Only same-site paths may be used after sign-in (no //evil.example, no scheme)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and "\\" not in target


def format_datetime_local(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M")


def format_date(value: date | None) -> str:
    return value.isoformat() if value else ""


def today_local() -> date:
    """Today's date in the incubator's time zone."""
    return datetime.now(local_zone()).date()


def _load_user(user_id: str) -> Any:
    return users.session_user(user_id, session.get(SESSION_TOKEN_KEY))


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'",
    )
    if request.endpoint and request.endpoint != "static" and current_user.is_authenticated:
        response.headers.setdefault("Cache-Control", "private, no-store")
    return response


def register(app: Flask) -> None:
    """Wire login, template helpers and headers into the app."""
    login_manager.user_loader(_load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.after_request(_security_headers)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["local_dt"] = format_datetime_local
    app.jinja_env.filters["iso_date"] = format_date

    @app.context_processor
    def _template_globals() -> dict[str, Any]:
        locale = select_locale()
        staff = current_user.is_authenticated and current_user.is_staff
        return {
            "pending_approvals": pending_requests_count() if staff else 0,
            "locale": locale,
            "html_lang": "zh-CN" if locale.startswith("zh") else "en",
            "languages": LANGUAGE_NAMES,
            "stage_labels": STAGE_LABELS,
            "status_labels": STATUS_LABELS,
            "role_labels": ROLE_LABELS,
            "kind_labels": KIND_LABELS,
        }
