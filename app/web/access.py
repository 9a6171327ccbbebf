"""Who is asking: the signed-in user as the services take it, and the console's guard."""

from typing import TypeGuard
from urllib.parse import urlsplit

from flask import abort, current_app, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_login.config import EXEMPT_METHODS

from app.models import User

SESSION_TOKEN_KEY = "sid"


def current_actor() -> User:
    """The signed-in user, as the model (not Flask-Login's proxy) that views hand to services."""
    if not current_user.is_authenticated:
        abort(401)  # only reached by a view that forgot @login_required
    user: User = current_user._get_current_object()
    return user


def staff_only() -> ResponseReturnValue | None:
    """Guard every view of a blueprint: sign in first, then managers and admins only (403)."""
    if request.method in EXEMPT_METHODS:
        return None  # Flask answers OPTIONS itself, without calling a view
    signing_in = not current_app.config.get("LOGIN_DISABLED")
    if signing_in and not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
    if not current_user.is_staff:
        abort(403)
    return None


def is_safe_next(target: str | None) -> TypeGuard[str]:
    """Only same-site paths may be used after sign-in (no //evil.example, no scheme)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if any(not char.isprintable() for char in target):
        return False  # a CR LF would split the Location header
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and "\\" not in target
