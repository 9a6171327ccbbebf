"""Invitations: a manager asks someone by e-mail to create their own account.

The invited person gets a mail in the language the inviter chose, with a link that works once and
expires (``INVITATION_DAYS``, 7 by default); on it they give their name, phone and password and
are signed in. An address has at most one open invitation: inviting it again sends that
invitation anew (a fresh link; the old one stops working) with the latest role and company.
"""

import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import Company, Invitation, Role, User
from app.render.account_texts import invitation_mail, link_or_path
from app.services import audit
from app.services.account_mail import queue_mail
from app.services.errors import NotAllowed, NotFound, RuleViolation
from app.services.passwords import secret_digest
from app.services.users import can_manage_user, save_user
from app.sqltypes import utcnow

AUDITED_FIELDS = ["email", "name", "role", "company_id", "locale", "expires_at"]
NAME_MAX = 60
PHONE_MAX = 30


def lifetime() -> timedelta:
    """How long an invitation's link works."""
    return timedelta(days=int(current_app.config["INVITATION_DAYS"]))


def may_manage_invitation(actor: User, invitation: Invitation) -> bool:
    """Managers invite tenants; admins also invite managers and admins."""
    return can_manage_user(actor, invitation.role)


def _normal_email(email: str) -> str:
    try:
        found = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError:
        raise RuleViolation("email", _l("Enter a valid e-mail address.")) from None
    return str(found.normalized).lower()


def open_invitation(email: str) -> Invitation | None:
    """The address's invitation that is neither accepted nor revoked (it may have expired)."""
    return db.session.scalars(
        sa.select(Invitation).where(
            Invitation.email == email.strip().lower(),
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
    ).first()


def _send(invitation: Invitation, now: datetime) -> None:
    """A new secret for the invitation (the old link stops working), and its mail queued."""
    secret = secrets.token_urlsafe(32)
    invitation.token_hash = secret_digest(secret)
    invitation.sent_at = now
    invitation.expires_at = now + lifetime()
    db.session.flush()
    link = link_or_path("auth.accept_invitation", secret=secret)
    queue_mail(invitation.email, invitation.locale, lambda: invitation_mail(invitation, link), now)


def invite(
    actor: User,
    *,
    email: str,
    name: str = "",
    role: Role,
    company_id: int | None,
    language: str,
    now: datetime | None = None,
) -> Invitation:
    """Invite ``email`` to create an account with ``role`` (a tenant: of ``company_id``).

    Refused when the address already has an account. When it already has an open invitation,
    that one is sent again, with these choices.
    """
    now = now or utcnow()
    if not can_manage_user(actor, role):
        raise NotAllowed(_l("Only an administrator can manage managers and administrators."))
    address = _normal_email(email)
    name = name.strip()
    if len(name) > NAME_MAX:
        raise RuleViolation("name", _l("Use at most %(count)d characters.", count=NAME_MAX))
    if language not in current_app.config["LANGUAGES"]:
        raise RuleViolation("language", _l("Choose one of the languages offered."))
    company = None
    if role == Role.TENANT:
        company = db.session.get(Company, company_id) if company_id else None
        if company is None:
            raise RuleViolation("company_id", _l("A tenant belongs to a company."))
    if db.session.scalar(sa.select(User.id).where(User.email == address)) is not None:
        raise RuleViolation("email", _l("This e-mail address already has an account."))
    invitation = open_invitation(address)
    if invitation is not None and not may_manage_invitation(actor, invitation):
        raise NotAllowed(_l("Only an administrator can manage managers and administrators."))
    before = None if invitation is None else audit.snapshot(invitation, AUDITED_FIELDS)
    if invitation is None:
        invitation = Invitation(email=address, created_at=now, times_sent=0)
        db.session.add(invitation)
    invitation.name = name or invitation.name or ""
    invitation.role, invitation.company, invitation.locale = role, company, language
    invitation.invited_by = actor
    invitation.times_sent = (invitation.times_sent or 0) + 1
    _send(invitation, now)
    audit.record(
        actor,
        "invitation.sent" if before is None else "invitation.resent",
        invitation,
        before,
        audit.snapshot(invitation, AUDITED_FIELDS),
    )
    return invitation


def resend(actor: User, invitation: Invitation, now: datetime | None = None) -> Invitation:
    """Send an open invitation again, with a fresh link valid for the whole lifetime."""
    now = now or utcnow()
    if not may_manage_invitation(actor, invitation):
        raise NotAllowed(_l("Only an administrator can manage managers and administrators."))
    if not invitation.is_open:
        raise RuleViolation("invitation", _l("This invitation was already accepted or revoked."))
    invitation.invited_by = actor
    invitation.times_sent += 1
    _send(invitation, now)
    audit.record(actor, "invitation.resent", invitation)
    return invitation


def revoke(actor: User, invitation: Invitation, now: datetime | None = None) -> None:
    """Withdraw an open invitation: its link stops working."""
    if not may_manage_invitation(actor, invitation):
        raise NotAllowed(_l("Only an administrator can manage managers and administrators."))
    if not invitation.is_open:
        raise RuleViolation("invitation", _l("This invitation was already accepted or revoked."))
    invitation.revoked_at = now or utcnow()
    audit.record(actor, "invitation.revoked", invitation)


def open_invitations() -> sa.Select[Invitation]:
    """Invitations not yet accepted nor revoked, most recently sent first (expired ones too)."""
    return (
        sa.select(Invitation)
        .where(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
        .order_by(Invitation.sent_at.desc(), Invitation.id.desc())
    )


def invitation_for(secret: str, now: datetime | None = None) -> Invitation | None:
    """The open, unexpired invitation whose link carries ``secret``; None for any other."""
    now = now or utcnow()
    if not secret:
        return None
    invitation = db.session.scalars(
        sa.select(Invitation).where(Invitation.token_hash == secret_digest(secret))
    ).first()
    if invitation is None or not invitation.is_open or invitation.expires_at <= now:
        return None
    return invitation


def accept(
    secret: str, *, name: str, phone: str, password: str, now: datetime | None = None
) -> User:
    """Create the invited person's account with their own name, phone and password."""
    now = now or utcnow()
    invitation = invitation_for(secret, now)
    if invitation is None:
        raise NotFound(_l("This invitation link is no longer valid."))
    name, phone = name.strip(), phone.strip()
    if not name:
        raise RuleViolation("name", _l("Please enter your name."))
    if len(name) > NAME_MAX:
        raise RuleViolation("name", _l("Use at most %(count)d characters.", count=NAME_MAX))
    if len(phone) > PHONE_MAX:
        raise RuleViolation("phone", _l("Use at most %(count)d characters.", count=PHONE_MAX))
    if db.session.scalar(sa.select(User.id).where(User.email == invitation.email)) is not None:
        raise RuleViolation("email", _l("This e-mail address already has an account."))
    user = save_user(
        None,
        None,
        email=invitation.email,
        name=name,
        role=invitation.role,
        company=invitation.company,
        phone=phone,
        locale=invitation.locale,
        password=password,
    )
    user.last_login_at = now
    invitation.accepted_at, invitation.user = now, user
    audit.record(user, "invitation.accepted", invitation)
    return user
