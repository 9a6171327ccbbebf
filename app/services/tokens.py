"""API tokens: issued on sign-in with e-mail and password, stored hashed, expiring, revocable."""

import functools
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import ApiToken, User
from app.services import audit, reference
from app.services.errors import NotAllowed
from app.services.passwords import secret_digest
from app.sqltypes import utcnow

TOKEN_LIFETIME = timedelta(days=30)
LAST_USED_PRECISION = timedelta(hours=1)


def issue_token(user: User, name: str = "", now: datetime | None = None) -> tuple[str, ApiToken]:
    """A new secret token for ``user``; only its hash is stored, so show it once."""
    now = now or utcnow()
    secret = "czg_" + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        token_hash=secret_digest(secret),
        name=name[:60],
        created_at=now,
        expires_at=now + TOKEN_LIFETIME,
    )
    db.session.add(token)
    db.session.flush()
    audit.record(user, "token.issued", token, None, {"name": token.name})
    return secret, token


@functools.cache
def _token_query() -> sa.Select[ApiToken, str]:
    # Built once: the statement, its options and its cache key cost more than the query.
    # The user with their company, and the reference data's revision: every API request asks.
    return (
        sa.select(ApiToken, reference.revision_column())
        .where(ApiToken.token_hash == sa.bindparam("token_hash"))
        .options(joinedload(ApiToken.user).joinedload(User.company))
    )


def user_for_token(secret: str, now: datetime | None = None) -> User | None:
    """The active user a valid, unexpired, unrevoked token belongs to."""
    now = now or utcnow()
    found = db.session.execute(_token_query(), {"token_hash": secret_digest(secret)}).first()
    if found is None:
        return None
    token = found.ApiToken
    reference.note_revision(found.reference_token)
    if token.revoked_at is not None or token.expires_at <= now:
        return None
    if not token.user.active:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        token.last_used_at = now  # not on every request: reads should not all become writes
    return token.user


def active_tokens(user: User, now: datetime | None = None) -> list[ApiToken]:
    """The user's tokens that still work, newest first."""
    now = now or utcnow()
    return list(
        db.session.scalars(
            sa.select(ApiToken)
            .where(
                ApiToken.user_id == user.id,
                ApiToken.revoked_at.is_(None),
                ApiToken.expires_at > now,
            )
            .order_by(ApiToken.created_at.desc())
        )
    )


def revoke_token(actor: User, token: ApiToken, now: datetime | None = None) -> None:
    """Stop a token from working; only its owner (or an admin) may."""
    if token.user_id != actor.id and not actor.is_admin:
        raise NotAllowed(_l("This is not your token."))
    token.revoked_at = now or utcnow()
    audit.record(actor, "token.revoked", token)
