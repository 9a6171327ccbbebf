"""Wiring shared by every page: sign-in, security headers, template filters and globals."""

from typing import Any

from flask import Flask, abort, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from app.extensions import login_manager
from app.i18n import select_locale
from app.services import users
from app.services.availability import pending_requests_count
from app.services.booking_permissions import may_cancel, may_change, may_check_in, may_decide
from app.sqltypes import utcnow
from app.web.access import SESSION_TOKEN_KEY, current_actor
from app.web.bounds import IdConverter, has_control_characters
from app.web.form_errors import page_problems
from app.web.formatting import format_date, format_datetime_local
from app.web.labels import KIND_LABELS, LANGUAGE_NAMES, ROLE_LABELS, STAGE_LABELS, STATUS_LABELS


def _load_user(user_id: str) -> Any:
    return users.session_user(user_id, session.get(SESSION_TOKEN_KEY))


def _refuse_control_characters() -> None:
    """A query string or URL with a NUL or another control character is refused (400/404)
    before a view could hand it to the database; forms refuse theirs beside the field."""
    if request.blueprint == "api":
        return  # the API refuses them itself, naming the parameter in its error JSON
    if any(
        has_control_characters(text) for item in request.args.items(multi=True) for text in item
    ):
        abort(400)
    if any(
        isinstance(v, str) and has_control_characters(v) for v in (request.view_args or {}).values()
    ):
        abort(404)


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


def _booking_permissions() -> dict[str, Any]:
    """``may_cancel(booking)``, ``may_change(booking)`` and their siblings for the signed-in
    user, as the services decide."""
    if not current_user.is_authenticated:
        return {}
    actor, now = current_actor(), utcnow()
    return {
        "may_cancel": lambda booking: may_cancel(actor, booking, now),
        "may_change": lambda booking: may_change(actor, booking, now),
        "may_check_in": lambda booking: may_check_in(actor, booking, now),
        "may_decide": lambda booking, decision="approve": may_decide(actor, booking, now, decision),
    }


def bound_routes(app: Flask) -> None:
    """Bound every ``<int:…>`` of the URL map (call before the blueprints add their routes)."""
    app.url_map.converters["int"] = IdConverter


def register(app: Flask) -> None:
    """Wire login, template helpers and headers into the app."""
    app.before_request(_refuse_control_characters)
    login_manager.user_loader(_load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.after_request(_security_headers)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["local_dt"] = format_datetime_local
    app.jinja_env.filters["iso_date"] = format_date
    app.jinja_env.globals["page_problems"] = page_problems
    app.context_processor(_booking_permissions)

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
