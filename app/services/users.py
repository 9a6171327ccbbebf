"""People: accounts, roles, passwords and signed-in sessions."""

import functools
import secrets
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Company, Role, User, UserSession
from app.services import audit, notifications, passwords, reference, sign_in_limits
from app.services.errors import NotAllowed, RuleViolation
from app.services.passwords import secret_digest
from app.sqltypes import utcnow

AUDITED_FIELDS = ["email", "name", "phone", "role", "company_id", "locale", "active"]


def can_manage_user(actor: User, role: Role) -> bool:
    """Managers look after tenants; only admins create or change managers and admins."""
    if actor.role == Role.ADMIN:
        return True
    return actor.role == Role.MANAGER and role == Role.TENANT


def check_password_strength(password: str, email: str = "", field: str = "password") -> None:
    """Refuse a new password that is short, common or made of the e-mail address."""
    problem = passwords.password_problem(password, email)
    if problem is not None:
        raise RuleViolation(field, problem)


def save_user(
    actor: User | None,
    user: User | None,
    *,
    email: str,
    name: str,
    role: Role,
    company: Company | None,
    phone: str = "",
    locale: str = "zh_CN",
    active: bool = True,
    password: str | None = None,
) -> User:
    """Create (``user`` None, with a password) or update a person's account."""
    email = email.strip().lower()
    if actor is not None and (
        not can_manage_user(actor, role) or (user and not can_manage_user(actor, user.role))
    ):
        raise NotAllowed(_l("Only an administrator can manage managers and administrators."))
    if role == Role.TENANT and company is None:
        raise RuleViolation("company_id", _l("A tenant belongs to a company."))
    if role != Role.TENANT:
        company = None
    clash = db.session.scalars(
        sa.select(User).where(User.email == email, User.id != (user.id if user else -1))
    ).first()
    if clash:
        raise RuleViolation("email", _l("Someone already signs in with this e-mail address."))
    creating = user is None
    before = None if user is None else audit.snapshot(user, AUDITED_FIELDS)
    if user is None:
        if not password:
            raise RuleViolation("password", _l("A new account needs a password."))
        user = User()
    if password:
        check_password_strength(password, email)
        user.password_hash = passwords.hash_password(password)
    user.email, user.name, user.phone, user.role = email, name.strip(), phone.strip(), role
    user.company, user.locale, user.active = company, locale, active
    db.session.add(user)
    db.session.flush()
    if not active:
        end_all_sessions(user)
    audit.record(
        actor,
        "user.created" if creating else "user.updated",
        user,
        before,
        audit.snapshot(user, AUDITED_FIELDS),
    )
    return user


def authenticate(email: str, password: str, device: tuple[int, str] | None = None) -> User | None:
    """The active user with this e-mail and password, or None.

    Wrong passwords count against the account (``sign_in_limits``); past its limits this raises
    ``TooManyFailures`` without checking the password. ``device`` is (user id, browser id) of a
    browser that signed in before: its failures count apart from everyone else's.
    """
    user = db.session.scalars(sa.select(User).where(User.email == email.strip().lower())).first()
    known = device is not None and user is not None and device[0] == user.id
    counter = sign_in_limits.Counter.of(email, device[1] if known and device else None)
    sign_in_limits.check(counter)
    if user is None:
        # Spend the same time as a real check so the answer does not reveal who has an account.
        passwords.verify_password(_dummy_hash(), password)
        sign_in_limits.failed(counter)
        return None
    if not passwords.verify_password(user.password_hash, password):
        sign_in_limits.failed(counter)
        return None
    if not user.active:
        return None
    sign_in_limits.clear(counter)
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_login_at = utcnow()
    return user


@functools.cache
def _dummy_hash() -> str:
    return passwords.hash_password(secrets.token_hex(8))


def start_session(user: User, user_agent: str = "") -> str:
    """Open a signed-in session for ``user``; returns the secret the browser keeps."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(user=user, token_hash=secret_digest(token), user_agent=user_agent[:200])
    )
    return token


@functools.cache
def _session_query() -> sa.Select[User, str, int]:
    # Built once: the statement, its options and its cache key cost more than the query.
    # With the company, the reference data's revision and the unread notifications: nearly
    # every page shows or reads them.
    return (
        sa.select(User, reference.revision_column(), notifications.unread_column())
        .join(UserSession, UserSession.user_id == User.id)
        .where(UserSession.token_hash == sa.bindparam("token_hash"), UserSession.ended_at.is_(None))
        .options(joinedload(User.company))
    )


def session_user(user_id: Any, token: str | None) -> User | None:
    """The user of a still-open session, or None when it was ended or never existed."""
    if not token:
        return None
    found = db.session.execute(_session_query(), {"token_hash": secret_digest(token)}).first()
    if found is None or str(found.User.id) != str(user_id) or not found.User.active:
        return None
    reference.note_revision(found.reference_token)
    notifications.note_unread(found.User.id, found.unread_notifications)
    return found.User


def end_session(token: str | None) -> None:
    """Sign one browser out for good."""
    if token:
        db.session.execute(
            sa.update(UserSession)
            .where(UserSession.token_hash == secret_digest(token), UserSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )


def end_all_sessions(user: User, keep_token: str | None = None) -> None:
    """Sign the user out everywhere, except the browser holding ``keep_token``."""
    query = sa.update(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)
    )
    if keep_token:
        query = query.where(UserSession.token_hash != secret_digest(keep_token))
    db.session.execute(query.values(ended_at=utcnow()))


def set_locale(user: User, locale: str) -> None:
    """The language the user reads the pages and their mail in (one the app offers)."""
    user.locale = locale


def change_password(user: User, current: str, new: str, keep_token: str | None) -> None:
    """Change the password after checking the current one; other browsers are signed out."""
    if not passwords.verify_password(user.password_hash, current):
        raise RuleViolation("current_password", _l("The current password is not right."))
    check_password_strength(new, user.email, "new_password")
    user.password_hash = passwords.hash_password(new)
    user.must_change_password = False
    end_all_sessions(user, keep_token)
    audit.record(user, "user.password_changed", user)
