"""Browsers that signed in before: a signed cookie naming the account and the browser.

Their wrong passwords count apart from the account's (``app.services.sign_in_limits``), so that
someone guessing from elsewhere cannot keep the owner out of their own account.
"""

import secrets

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response

from app.models import User

COOKIE = "czg_device"
MAX_AGE = 365 * 24 * 3600


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="known-device")


def known_device() -> tuple[int, str] | None:
    """(user id, browser id) from this browser's cookie, when it is genuine and recent."""
    value = request.cookies.get(COOKIE)
    if not value:
        return None
    try:
        user_id, device = _serializer().loads(value, max_age=MAX_AGE)
    except (BadSignature, ValueError, TypeError):
        return None
    return (int(user_id), str(device))


def remember_device(response: Response, user: User) -> Response:
    """Mark this browser as one ``user`` signed in with."""
    found = known_device()
    device = found[1] if found and found[0] == user.id else secrets.token_urlsafe(16)
    response.set_cookie(
        COOKIE,
        _serializer().dumps([user.id, device]),
        max_age=MAX_AGE,
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
        httponly=True,
        samesite="Lax",
    )
    return response
