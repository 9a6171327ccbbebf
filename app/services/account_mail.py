"""The mails of an account (invitation, new password), queued with the notifications' mails.

They are rows of ``outgoing_mails`` added in the caller's transaction: the worker sees them only
once it has committed, and a rolled-back invitation sends nothing.
"""

from collections.abc import Callable
from datetime import datetime

from flask_babel import force_locale

from app.extensions import db
from app.models import OutgoingMail


def queue_mail(
    to_address: str, locale: str, texts: Callable[[], tuple[str, str]], now: datetime
) -> OutgoingMail:
    """Queue one mail whose subject and body ``texts`` writes in ``locale``."""
    with force_locale(locale):
        subject, body = texts()
    mail = OutgoingMail(
        notification=None,
        to_address=to_address,
        subject=subject[:200],
        body=body,
        next_attempt_at=now,
        created_at=now,
    )
    db.session.add(mail)
    return mail
