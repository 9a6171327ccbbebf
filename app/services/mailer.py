"""The e-mail queue: claim due mails, hand them to the SMTP server, record how it went.

Mails are claimed in a short transaction (their next attempt is pushed a little into the future,
so a second worker leaves them alone), sent with no transaction open (a slow SMTP server never
holds the database), then marked sent, or retried later with exponential back-off. A crashed
worker's claimed mails are simply tried again once the claim runs out.

A notice's calendar file is written here, not by the request that booked: the claim renders the
bookings the mail names in its reader's language and keeps the file, so every try sends the same.
"""

import logging
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, scoped_session, selectinload

from app.models import Booking, MailStatus, Notification, OutgoingMail
from app.render.notification_texts import calendar_file

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
MAX_BACKOFF = timedelta(hours=1)  # 2, 4 … 32, 60, 60 minutes: given up after ~3 hours
# How long a claimed mail is left to the worker that claimed it.
CLAIM = timedelta(minutes=15)
BATCH = 100
ACCOUNT_MAIL_DONE = "(removed once sent: it held a single-use link)"


@dataclass(frozen=True)
class Envelope:
    """What is needed to send one queued mail, read before the claiming transaction ends."""

    id: int
    to_address: str
    subject: str
    body: str
    attachment_ics: str | None


@dataclass(frozen=True)
class Outcome:
    """How sending one mail went: ``error`` is None when the server accepted it."""

    envelope: Envelope
    error: str | None = None
    permanent: bool = False


def backoff(attempts: int) -> timedelta:
    """The wait before the next try: 2, 4, 8 … minutes after the 1st, 2nd, 3rd … failure."""
    return min(timedelta(minutes=2**attempts), MAX_BACKOFF)


def claim_due(
    session: Session | scoped_session[Any], now: datetime, limit: int = BATCH
) -> list[Envelope]:
    """Take the queued mails due by ``now`` for this worker; the caller commits."""
    mails = list(
        session.scalars(
            sa.select(OutgoingMail)
            .where(OutgoingMail.status == MailStatus.QUEUED, OutgoingMail.next_attempt_at <= now)
            .order_by(OutgoingMail.next_attempt_at, OutgoingMail.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    for mail in mails:
        mail.next_attempt_at = now + CLAIM
    attach_calendars(session, mails)
    return [
        Envelope(mail.id, mail.to_address, mail.subject, mail.body, mail.attachment_ics)
        for mail in mails
    ]


def attach_calendars(session: Session | scoped_session[Any], mails: list[OutgoingMail]) -> None:
    """Write the calendar file of each mail that names bookings and has none yet.

    In the language of the notice's reader; a file that cannot be written is logged and the mail
    goes without it rather than holding up the queue.
    """
    waiting = [mail for mail in mails if mail.ics_booking_ids and mail.attachment_ics is None]
    if not waiting:
        return
    ids = sorted({booking_id for mail in waiting for booking_id in mail.ics_booking_ids or []})
    bookings = {
        booking.id: booking
        for booking in session.scalars(
            sa.select(Booking).where(Booking.id.in_(ids)).options(selectinload(Booking.space))
        )
    }
    readers = {
        notification.id: notification.user.locale
        for notification in session.scalars(
            sa.select(Notification)
            .where(Notification.id.in_([mail.notification_id for mail in waiting]))
            .options(selectinload(Notification.user))
        )
    }
    for mail in waiting:
        shown = [bookings[i] for i in mail.ics_booking_ids or [] if i in bookings]
        locale = readers.get(mail.notification_id or 0)
        if not shown or locale is None:
            continue  # the bookings, or the notice, are gone
        try:
            mail.attachment_ics = calendar_file(shown, locale)
        except Exception:
            logger.exception("Could not write the calendar file of mail %s", mail.id)


def record(
    session: Session | scoped_session[Any], outcome: Outcome, now: datetime
) -> OutgoingMail | None:
    """Mark a mail sent, or count the failed try and schedule the next (or give up)."""
    mail = session.get(OutgoingMail, outcome.envelope.id)
    if mail is None:
        return None
    mail.attempts += 1
    if outcome.error is None:
        mail.status = MailStatus.SENT
        mail.sent_at = now
        mail.last_error = ""
    else:
        mail.last_error = outcome.error[:1000]
        if outcome.permanent or mail.attempts >= MAX_ATTEMPTS:
            mail.status = MailStatus.FAILED
        else:
            mail.next_attempt_at = now + backoff(mail.attempts)
    if mail.status != MailStatus.QUEUED and mail.notification_id is None:
        # An account's mail (invitation, new password) carries a link that signs someone in:
        # once it is out of the queue, nobody reading the database should find it.
        mail.body = ACCOUNT_MAIL_DONE
    return mail


def build_message(envelope: Envelope, sender: str) -> EmailMessage:
    """The MIME message: UTF-8 text, plus the booking's .ics when there is one."""
    message = EmailMessage()
    message["Subject"] = envelope.subject
    message["From"] = sender
    message["To"] = envelope.to_address
    message["Date"] = formatdate(localtime=False)
    domain = parseaddr(sender)[1].rpartition("@")[2] or None
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(envelope.body)
    if envelope.attachment_ics:
        message.add_attachment(
            envelope.attachment_ics,
            subtype="calendar",
            filename="booking.ics",
            params={"method": "PUBLISH"},
        )
    return message


def _error(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _refusal_is_permanent(error: smtplib.SMTPException) -> bool:
    """5xx answers about this one message or recipient will not change by trying again."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPDataError):
        return error.smtp_code >= 500
    return False


def _connect(config: Mapping[str, Any]) -> smtplib.SMTP:
    smtp = smtplib.SMTP(
        config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=float(config["MAIL_TIMEOUT"])
    )
    try:
        if config["MAIL_USE_TLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    except BaseException:
        smtp.close()
        raise
    return smtp


def deliver(config: Mapping[str, Any], envelopes: list[Envelope]) -> list[Outcome]:
    """Send over one SMTP connection; every failure becomes an outcome, nothing is raised.

    Without ``MAIL_SERVER`` (development) each mail is written to the log and counts as sent.
    """
    if not envelopes:
        return []
    sender = config["MAIL_FROM"]
    if not config["MAIL_SERVER"]:
        for envelope in envelopes:
            # A warning, so that it shows without any logging set up.
            logger.warning(
                "MAIL_SERVER is not set; this mail is logged, not sent. To %s: %s\n%s",
                envelope.to_address,
                envelope.subject,
                envelope.body,
            )
        return [Outcome(envelope) for envelope in envelopes]
    try:
        smtp = _connect(config)
    except OSError as error:  # smtplib's errors are OSErrors too
        logger.warning("Cannot reach the mail server: %s", _error(error))
        return [Outcome(envelope, _error(error)) for envelope in envelopes]
    outcomes: list[Outcome] = []
    try:
        for number, envelope in enumerate(envelopes):
            try:
                smtp.send_message(build_message(envelope, sender))
            except smtplib.SMTPServerDisconnected as error:
                outcomes += [Outcome(rest, _error(error)) for rest in envelopes[number:]]
                break
            except smtplib.SMTPException as error:  # the server refused this one mail
                outcomes.append(Outcome(envelope, _error(error), _refusal_is_permanent(error)))
            except OSError as error:
                # The connection is gone: this mail and the rest wait for the next round.
                outcomes += [Outcome(rest, _error(error)) for rest in envelopes[number:]]
                break
            else:
                outcomes.append(Outcome(envelope))
    finally:
        try:
            smtp.quit()
        except OSError:
            smtp.close()
    return outcomes
