"""What the mails of an account say: the invitation and the link to choose a new password.

Called inside ``force_locale``: ``_`` answers in the reader's language.
"""

from flask import current_app
from flask_babel import format_datetime
from flask_babel import gettext as _

from app.models import Invitation, User
from app.services.links import page_url
from app.services.localtime import to_local


def link_or_path(endpoint: str, **values: object) -> str:
    """The page's absolute address under ``PUBLIC_URL``; without that setting, its path."""
    found = page_url(endpoint, **values)
    if found is not None:
        return found
    adapter = current_app.url_map.bind("localhost")
    return str(adapter.build(endpoint, values))


def _render(greeting: str, paragraphs: list[str], link: str, after: list[str]) -> str:
    template = current_app.jinja_env.get_template("mail/account.txt")
    return template.render(
        greeting=greeting,
        paragraphs=paragraphs,
        link=link,
        after=after,
        signature=_(
            "Gaoxin · Chuangzhigu (Zhilehui) Technology Business Incubator, Leshan High-tech Zone"
        ),
    )


def invitation_mail(invitation: Invitation, link: str) -> tuple[str, str]:
    """Subject and body of the mail inviting someone to create their account."""
    inviter = invitation.invited_by.name if invitation.invited_by else ""
    where = invitation.company.name if invitation.company else _("the incubator's team")
    until = format_datetime(to_local(invitation.expires_at), "yyyy-MM-dd HH:mm")
    subject = _("Your account at Chuangzhigu: choose your password")
    greeting = _("Hello %(name)s,", name=invitation.name) if invitation.name else _("Hello,")
    paragraphs = [
        _(
            "%(inviter)s invites you to the booking app of Gaoxin · Chuangzhigu, for %(where)s. "
            "There you book meeting rooms and halls and see your company's bookings.",
            inviter=inviter or _("The incubator"),
            where=where,
        ),
        _("Open this link to choose your password; you are then signed in:"),
    ]
    after = [
        _(
            "The link works once, until %(until)s (Beijing time). If it has expired, ask the "
            "incubator's office for a new one.",
            until=until,
        ),
        _("If you did not expect this mail, ignore it: no account is made without you."),
    ]
    return subject, _render(greeting, paragraphs, link, after)


def reset_mail(user: User, link: str, minutes: int) -> tuple[str, str]:
    """Subject and body of the mail with a link to choose a new password."""
    subject = _("Choose a new password for Chuangzhigu booking")
    paragraphs = [
        _("Someone (we hope you) asked for a new password for %(email)s.", email=user.email),
        _("Open this link to choose a new password; you are then signed in:"),
    ]
    after = [
        _(
            "The link works once, within %(minutes)d minutes. Choosing a new password signs you "
            "out on every other device and stops your API tokens.",
            minutes=minutes,
        ),
        _("If you did not ask for it, ignore this mail: your password stays as it is."),
    ]
    return subject, _render(_("Hello %(name)s,", name=user.name), paragraphs, link, after)
