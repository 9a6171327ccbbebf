"""Notifications: booking events and due notices become in-app messages and queued e-mails.

Booking events arrive through ``booking_changed`` as the booking's transaction commits: the
listener writes its rows in that transaction, from the objects already in its session, inside a
savepoint, so the notices are stored with the booking, and a failure here is logged, rolled back
to the savepoint and never undoes or breaks the booking. Reminders and "lease ending" notices are
produced by the worker (``flask notifications send``); each carries a ``once_key`` so nobody is
told twice.

Every title and body is written in its reader's language when it is created, and every reader
gets the e-mail too unless they turned that event off. A confirmation's mail names the bookings
its calendar file shows; the worker writes the file when it sends the mail (app.services.mailer).
"""

import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, scoped_session

from app.extensions import db
from app.models import (
    Booking,
    Lease,
    Notification,
    NotificationPreference,
    OutgoingMail,
    Role,
    Space,
    User,
)
from app.render.notification_texts import booking_texts, mail_body, page_line
from app.services import transaction_notes
from app.services.errors import RuleViolation
from app.services.events import booking_changed
from app.services.localtime import to_local
from app.sqltypes import utcnow

logger = logging.getLogger(__name__)

# The session being committed (the listener), the worker's, or ``db.session``.
DbSession = Session | scoped_session[Any]

# The events a person can choose to receive by mail too, in the order the settings list them.
EVENT_LABELS = {
    "confirmed": _l("A booking is confirmed"),
    "pending": _l("A request waits for approval"),
    "approved": _l("A request is approved"),
    "rejected": _l("A request is declined"),
    "changed": _l("A booking is changed"),
    "cancelled": _l("Someone else cancels a booking"),
    "series_cancelled": _l("Someone else cancels bookings of a series"),
    "reminder": _l("Reminder before a booking starts"),
    "lease_ending": _l("A lease ends within 30 days"),
    "approval_requested": _l("A request needs a manager's approval"),
}
STAFF_ONLY_EVENTS = frozenset({"approval_requested"})
REMINDER_CHOICES = (0, 15, 30, 60, 120, 1440)  # minutes before the start; 0: no reminders
LEASE_NOTICE_DAYS = 30
# Confirmations carry the booking's calendar file.
ICS_EVENTS = frozenset({"confirmed", "approved", "changed"})


# ---------------------------------------------------------------------------------------------
# Preferences


def preferences(session: DbSession, user: User) -> NotificationPreference:
    """The user's choices; the defaults, unsaved, when they never changed them."""
    found = session.get(NotificationPreference, user.id)
    if found is None:
        found = NotificationPreference(
            user_id=user.id,
            reminder_minutes=current_app.config["REMINDER_MINUTES_DEFAULT"],
            muted_mail_events=[],
        )
    return found


def mail_muted(session: DbSession, users: Iterable[User]) -> dict[int, list[str]]:
    """The events each of ``users`` does not want by mail, in one query."""
    ids = sorted({user.id for user in users})
    if not ids:
        return {}
    rows = session.execute(
        sa.select(NotificationPreference.user_id, NotificationPreference.muted_mail_events).where(
            NotificationPreference.user_id.in_(ids)
        )
    )
    found = {user_id: events for user_id, events in rows}
    return {user_id: found.get(user_id) or [] for user_id in ids}


def events_for(user: User) -> list[str]:
    """The events ``user`` may receive, for the settings page."""
    return [event for event in EVENT_LABELS if user.is_staff or event not in STAFF_ONLY_EVENTS]


def save_preferences(user: User, mail_events: Iterable[str], reminder_minutes: int) -> None:
    """Keep which events the user also wants by mail and how early to remind them."""
    if reminder_minutes not in REMINDER_CHOICES:
        raise RuleViolation("reminder_minutes", _l("Choose one of the reminder times."))
    wanted = set(mail_events)
    choice = preferences(db.session, user)
    choice.reminder_minutes = reminder_minutes
    choice.muted_mail_events = [event for event in events_for(user) if event not in wanted]
    db.session.add(choice)


# ---------------------------------------------------------------------------------------------
# Who is told


def company_people(session: DbSession, company_id: int) -> list[User]:
    return list(
        session.scalars(
            sa.select(User)
            .where(User.company_id == company_id, User.active.is_(True))
            .order_by(User.id)
        )
    )


def managers(session: DbSession) -> list[User]:
    staff = (Role.MANAGER, Role.ADMIN)
    return list(
        session.scalars(
            sa.select(User).where(User.role.in_(staff), User.active.is_(True)).order_by(User.id)
        )
    )


def booking_people(session: DbSession, booking: Booking) -> list[User]:
    """Who hears about a booking: the tenant who booked it; when a manager booked it for the
    company, the company's people."""
    booker = booking.user
    if booker.company_id == booking.company_id:
        return [booker] if booker.active else []
    return company_people(session, booking.company_id)


# ---------------------------------------------------------------------------------------------
# Writing them down (texts: app.render.notification_texts)


def _tell(
    session: DbSession,
    user: User,
    event: str,
    texts: Callable[[str], tuple[str, str]],
    *,
    booking: Booking | None = None,
    lease: Lease | None = None,
    occurrences: list[Booking] | None = None,
    once_key: str | None = None,
    muted: list[str] | None = None,
    now: datetime,
) -> Notification:
    """One notification for ``user`` in their language, and its e-mail unless they opted out
    (``muted``: the events they do not want by mail, when already known)."""
    if muted is None:
        muted = preferences(session, user).muted_mail_events
    locale = user.locale
    with force_locale(locale):
        title, body = texts(locale)
        notification = Notification(
            user_id=user.id,
            event=event,
            booking_id=booking.id if booking else None,
            lease_id=lease.id if lease else None,
            title=title[:200],
            body=body,
            once_key=once_key,
            created_at=now,
        )
        session.add(notification)
        if user.email and event not in muted:
            calendar = None
            if booking is not None and event in ICS_EVENTS:
                calendar = [occurrence.id for occurrence in occurrences or [booking]]
            session.add(
                OutgoingMail(
                    notification=notification,
                    to_address=user.email,
                    subject=title[:200],
                    body=mail_body(user, body, page_line(event, user, booking, lease)),
                    ics_booking_ids=calendar,
                    next_attempt_at=now,
                    created_at=now,
                )
            )
    return notification


# The moment the occurrences of a series that one action changed share, by event.
SERIES_STAMPS = {
    "confirmed": "created_at",
    "pending": "created_at",
    "approved": "decided_at",
    "rejected": "decided_at",
    "series_cancelled": "decided_at",
}


def _together(session: DbSession, booking: Booking, name: str) -> tuple[list[Booking], str | None]:
    """The occurrences of ``booking``'s series changed by the same action, and a key naming it.

    A series booked, decided or cancelled at once sends one event per occurrence; people get one
    notice for all of them (the key makes the later events find it done).
    """
    attribute = SERIES_STAMPS.get(name)
    stamp = getattr(booking, attribute) if attribute else None
    if booking.series_id is None or attribute is None or stamp is None:
        return [booking], None
    together = list(
        session.scalars(
            sa.select(Booking)
            .where(
                Booking.series_id == booking.series_id,
                Booking.status == booking.status,
                getattr(Booking, attribute) == stamp,
            )
            .order_by(Booking.start_at, Booking.id)
        )
    )
    return together or [booking], f"{booking.series_id}:{stamp.isoformat()}"


def _changed_together(
    session: DbSession, booking: Booking, details: dict[str, Any]
) -> list[Booking]:
    """The bookings one change changed (the occurrences of a series changed at once)."""
    ids = details.get("occurrence_ids") or [booking.id]
    found = session.scalars(
        sa.select(Booking).where(Booking.id.in_(ids)).order_by(Booking.start_at, Booking.id)
    )
    return list(found) or [booking]


def _changer(session: DbSession, details: dict[str, Any]) -> dict[str, Any]:
    """Who changed a booking (a tenant by name, a manager as the management) and its old space."""
    was = details.get("was") or {}
    found: dict[str, Any] = {"old_space": session.get(Space, was.get("space_id") or 0)}
    actor = session.get(User, details.get("actor_id") or 0)
    if actor is not None and not details.get("by_manager"):
        found["person"] = actor.name
    return found


def _already_told(session: DbSession, user_id: int, once_key: str) -> bool:
    return (
        session.scalar(
            sa.select(Notification.id).where(
                Notification.user_id == user_id, Notification.once_key == once_key
            )
        )
        is not None
    )


def notify_booking_event(
    session: DbSession,
    name: str,
    booking_id: int,
    details: dict[str, Any],
    now: datetime | None = None,
) -> list[Notification]:
    """Write the notifications (and queue the e-mails) that a booking event calls for."""
    now = now or utcnow()
    booking = session.get(Booking, booking_id)
    if booking is None:
        return []
    if name not in EVENT_LABELS:
        logger.warning("No notification for booking event %r", name)
        return []
    people = booking_people(session, booking)
    if name in ("cancelled", "series_cancelled"):
        # Nobody is told what they did themselves.
        people = [person for person in people if person.id != booking.decided_by_id]
    audience: list[tuple[str, list[User]]] = [(name, people)]
    if name == "pending" or details.get("now_pending"):
        deciders = [user for user in managers(session) if user.id != booking.user_id]
        audience.append(("approval_requested", deciders))
    if name == "changed":
        together, series_key = _changed_together(session, booking, details), None
        details = {**details, **_changer(session, details)}
    else:
        together, series_key = _together(session, booking, name)
    first = together[0]
    details = {
        **details,
        "count": len(together),
        "last": to_local(together[-1].start_at).date().isoformat(),
    }
    muted = mail_muted(session, [user for _event, users in audience for user in users])
    told: list[Notification] = []
    for event, users in audience:
        once_key = f"{event}:{series_key}" if series_key else None

        def texts(locale: str, event: str = event) -> tuple[str, str]:
            return booking_texts(event, first, locale, details)

        for user in users:
            if once_key and _already_told(session, user.id, once_key):
                continue
            told.append(
                _tell(
                    session,
                    user,
                    event,
                    texts,
                    booking=first,
                    occurrences=together,
                    once_key=once_key,
                    muted=muted[user.id],
                    now=now,
                )
            )
    session.flush()
    return told


def _on_booking_changed(name: str, *, session: Session, booking_id: int, **details: Any) -> None:
    """Runs as the booking's transaction commits: notify inside a savepoint, never raise."""
    if not has_app_context():
        logger.error("Booking event %s of booking %s arrived outside the app", name, booking_id)
        return
    try:
        with session.begin_nested():
            notify_booking_event(session, name, booking_id, details)
    except Exception:
        # Rolled back to the savepoint: the booking commits without its notices.
        logger.exception("Could not notify booking event %s of booking %s", name, booking_id)


booking_changed.connect(_on_booking_changed)


# ---------------------------------------------------------------------------------------------
# Reading them (the worker's own notices: app.services.reminders)


def tell_once(session: DbSession, user: User, once_key: str, **kwargs: Any) -> bool:
    """``_tell`` unless done before; a concurrent worker's insert counts as done."""
    if _already_told(session, user.id, once_key):
        return False
    try:
        with session.begin_nested():
            _tell(session, user, once_key=once_key, **kwargs)
    except sa.exc.IntegrityError:
        return False
    return True


def user_notifications(user: User) -> sa.Select[Notification]:
    """The user's notifications, newest first."""
    return (
        sa.select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


_UNREAD_KEY = transaction_notes.key("notifications.unread")
# The menu's badge counts this far and then reads 99+: a count that reads every unread notice
# would grow with years of them.
UNREAD_SHOWN = 99


def _unread(user_id: Any) -> sa.Select[int]:
    """Up to one more than ``UNREAD_SHOWN`` of the user's unread notifications."""
    return (
        sa.select(Notification.id)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .limit(UNREAD_SHOWN + 1)
    )


def unread_column() -> sa.Label[int]:
    """The unread count of the user a query reads, as a column of it: every page shows the
    signed-in user's, so it comes with the query that loads them (``note_unread``)."""
    counted = sa.select(sa.func.count()).select_from(_unread(User.id).correlate(User).subquery())
    return counted.scalar_subquery().label("unread_notifications")


def note_unread(user_id: int, count: int) -> None:
    """A user's unread count as the current transaction's first query read it."""
    db.session.info[_UNREAD_KEY] = (user_id, count)


@sa.event.listens_for(Session, "before_flush")
def _forget_unread_on_write(session: Session, _context: Any, _instances: Any) -> None:
    if any(isinstance(row, Notification) for row in (*session.new, *session.dirty)):
        session.info.pop(_UNREAD_KEY, None)


def unread_count(user: User) -> int:
    """How many of the user's notifications are unread, up to ``UNREAD_SHOWN`` + 1."""
    noted = db.session.info.get(_UNREAD_KEY)
    if noted is not None and noted[0] == user.id:
        return int(noted[1])
    counted = sa.select(sa.func.count()).select_from(_unread(user.id).subquery())
    return db.session.scalar(counted) or 0


def mark_read(user: User, notification_id: int | None = None, now: datetime | None = None) -> int:
    """Mark one of the user's notifications (or all of them) read; how many changed."""
    query = sa.update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    db.session.info.pop(_UNREAD_KEY, None)
    result = db.session.execute(
        query.values(read_at=now or utcnow()).execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
