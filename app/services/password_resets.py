"""Forgotten passwords: a link by mail that works once, within the hour, to choose a new one.

Asking answers the same whether or not the address has an account (the caller shows one message
either way). Choosing the new password signs the person out everywhere else, stops their API
tokens and clears the failed sign-ins counted against the account.
"""

import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import ApiToken, PasswordReset, User
from app.render.account_texts import link_or_path, reset_mail
from app.services import audit, sign_in_limits
from app.services.account_mail import queue_mail
from app.services.errors import NotFound
from app.services.passwords import hash_password, secret_digest
from app.services.users import check_password_strength, end_all_sessions
from app.sqltypes import utcnow


def lifetime() -> timedelta:
    """How long a link to choose a new password works."""
    return timedelta(minutes=int(current_app.config["PASSWORD_RESET_MINUTES"]))


def request_reset(email: str, now: datetime | None = None) -> None:
    """Mail a link to choose a new password to ``email`` if an active account has it.

    Nothing tells the caller whether it had: an unknown address is silently left alone. An
    earlier link of the same person stops working (only the newest mail counts).
    """
    now = now or utcnow()
    user = db.session.scalars(
        sa.select(User).where(User.email == email.strip().lower(), User.active.is_(True))
    ).first()
    if user is None:
        return
    _retire_links(user, now)
    secret = secrets.token_urlsafe(32)
    db.session.add(
        PasswordReset(
            user=user, token_hash=secret_digest(secret), created_at=now, expires_at=now + lifetime()
        )
    )
    link = link_or_path("auth.reset_password", secret=secret)
    minutes = int(lifetime().total_seconds() // 60)
    queue_mail(user.email, user.locale, lambda: reset_mail(user, link, minutes), now)
    audit.record(None, "user.password_reset_requested", user)


def _retire_links(user: User, now: datetime) -> None:
    db.session.execute(
        sa.update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )


def reset_for(secret: str, now: datetime | None = None) -> PasswordReset | None:
    """The unused, unexpired link carrying ``secret`` whose person may still sign in."""
    now = now or utcnow()
    if not secret:
        return None
    reset = db.session.scalars(
        sa.select(PasswordReset).where(PasswordReset.token_hash == secret_digest(secret))
    ).first()
    if reset is None or reset.used_at is not None or reset.expires_at <= now:
        return None
    return reset if reset.user.active else None


def reset_password(secret: str, new_password: str, now: datetime | None = None) -> User:
    """Set the new password of the link's person; every session and API token of theirs ends."""
    now = now or utcnow()
    reset = reset_for(secret, now)
    if reset is None:
        raise NotFound(_l("This link to choose a new password is no longer valid."))
    user = reset.user
    check_password_strength(new_password, user.email, "password")
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    user.last_login_at = now
    _retire_links(user, now)
    end_all_sessions(user)
    db.session.execute(
        sa.update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    sign_in_limits.clear(sign_in_limits.Counter.of(user.email))
    audit.record(user, "user.password_reset", user)
    return user
