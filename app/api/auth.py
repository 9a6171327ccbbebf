"""Bearer-token authentication, the token endpoint, rate limits and the token user's language.

The API never reads the session cookie: a request is authenticated by its token alone, so the
blueprint can be exempt from CSRF. The user is kept in ``flask.g``, not in Flask-Login.
"""

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import current_app, g, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address

from app.api import bp
from app.api.errors import ApiError
from app.api.parsing import json_body
from app.extensions import db, limiter
from app.models import User
from app.services import tokens, users
from app.services.booking_rules import iso
from app.services.sign_in_limits import TooManyFailures

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_API_RATE_LIMIT = "600 per minute"
BEARER = "bearer "
UNAUTHORIZED_HEADERS = {"WWW-Authenticate": 'Bearer realm="api"'}
TOKEN_NAME_MAX = 60  # api_tokens.name


def public(view: F) -> F:
    """Mark a view of the blueprint as open without a token."""
    view.public = True  # type: ignore[attr-defined]
    return view


def api_user() -> User:
    """The user the request's token belongs to."""
    user: User = g.api_user
    return user


def bearer_token() -> str | None:
    """The secret of ``Authorization: Bearer <token>``, if given."""
    header = request.headers.get("Authorization", "")
    if header[: len(BEARER)].lower() != BEARER:
        return None
    return header[len(BEARER) :].strip() or None


def _api_rate_key() -> str:
    # A client is its token (many tenants share the building's one public address), else its IP.
    secret = bearer_token()
    if secret:
        return "token:" + hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()[:32]
    return "ip:" + (get_remote_address() or "")


def _api_rate_limit() -> str:
    return str(current_app.config.get("API_RATE_LIMIT", DEFAULT_API_RATE_LIMIT))


def _login_rate_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def _outside_api() -> bool:
    # /healthz is on this blueprint too, and monitoring must never be turned away.
    return not request.path.startswith("/api/")


# One allowance per client across all API routes (a route's own limit replaces it).
limiter.shared_limit(
    _api_rate_limit, scope="api", key_func=_api_rate_key, exempt_when=_outside_api
)(bp)


@bp.before_request
def _authenticate() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None or getattr(view, "public", False):
        return
    secret = bearer_token()
    user = tokens.user_for_token(secret) if secret else None
    if user is None:
        raise ApiError(
            401,
            _l("Send a valid token: Authorization: Bearer <token>."),
            None,
            UNAUTHORIZED_HEADERS,
        )
    g.api_user = user
    # Kept as a plain string: messages may be translated while the session is unusable (a
    # failed flush), when reading an expired attribute of the user would raise.
    g.api_locale = user.locale
    if db.session.dirty:
        # The token's "last used" mark is bookkeeping: kept even if the request then fails,
        # and not worth failing the request for when another writer holds the database.
        try:
            db.session.commit()
        except sa.exc.OperationalError:
            db.session.rollback()


@bp.after_request
def _no_store(response: Any) -> Any:
    if g.get("api_user") is not None:
        response.headers["Cache-Control"] = "private, no-store"
        response.vary.add("Authorization")
    return response


@bp.post("/api/v1/auth/token")
@public
@limiter.limit(_login_rate_limit, override_defaults=True)
def issue_token() -> ResponseReturnValue:
    """Trade an e-mail and password for a bearer token."""
    body = json_body()
    email = body.text("email", required=True)
    password = body.text("password", required=True)
    name = body.text("name", max_length=TOKEN_NAME_MAX).strip() or "API"
    try:
        user = users.authenticate(email, password)
    except TooManyFailures as refused:
        # The same per-account back-off as the sign-in page, whatever address asks.
        raise ApiError(
            429, refused.message, None, {"Retry-After": str(refused.retry_after)}
        ) from None
    if user is None:
        raise ApiError(401, _l("Wrong e-mail or password."), None, UNAUTHORIZED_HEADERS)
    if user.must_change_password:
        raise ApiError(
            401,
            _l("Sign in on the web and choose your own password first."),
            None,
            UNAUTHORIZED_HEADERS,
        )
    secret, token = tokens.issue_token(user, name)
    db.session.commit()
    return {"token": secret, "expires_at": iso(token.expires_at)}, 201
