"""Notifications: booking events and due notices become in-app messages and queued e-mails.

Booking events arrive through ``booking_changed`` once the booking's transaction has committed;
the listener writes its rows in a transaction of its own, so a failure here is logged and never
undoes or breaks the booking. Reminders and "lease ending" notices are produced by the worker
(``flask notifications send``); each carries a ``once_key`` so nobody is told twice.

Every title and body is written in its reader's language when it is created, and every reader
gets the e-mail too unless they turned that event off.
"""

import logging
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_babel import force_locale, format_date, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from icalendar import Calendar
from sqlalchemy.orm import Session, scoped_session

from app.extensions import db
from app.models import (
    Booking,
    BookingStatus,
    Lease,
    Notification,
    NotificationPreference,
    OutgoingMail,
    Role,
    User,
)
from app.services.booking_rules import PENDING_OVER_ALLOWANCE
from app.services.calendar import to_local
from app.services.errors import RuleViolation
from app.services.events import booking_changed
from app.services.ical import booking_calendar, space_label
from app.sqlite import IMMEDIATE
from app.sqltypes import utcnow

logger = logging.getLogger(__name__)

# The listener passes a session of its own; everything else passes ``db.session``.
DbSession = Session | scoped_session[Any]

# The events a person can choose to receive by mail too, in the order the settings list them.
EVENT_LABELS = {
    "confirmed": _l("A booking is confirmed"),
    "pending": _l("A request waits for approval"),
    "approved": _l("A request is approved"),
    "rejected": _l("A request is declined"),
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
ICS_EVENTS = frozenset({"confirmed", "approved"})


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


def _company_people(session: DbSession, company_id: int) -> list[User]:
    return list(
        session.scalars(
            sa.select(User)
            .where(User.company_id == company_id, User.active.is_(True))
            .order_by(User.id)
        )
    )


def _managers(session: DbSession) -> list[User]:
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
    return _company_people(session, booking.company_id)


# ---------------------------------------------------------------------------------------------
# What they are told (called inside force_locale: ``_`` answers in the reader's language)


def _when(booking: Booking) -> str:
    """Local day, weekday and times: 2026-09-08 周二 10:00–11:00."""
    start, end = to_local(booking.start_at), to_local(booking.end_at)
    return (
        f"{start.date().isoformat()} {format_date(start.date(), 'EEE')} {start:%H:%M}–{end:%H:%M}"
    )


def _booking_texts(
    event: str, booking: Booking, locale: str, details: dict[str, Any]
) -> tuple[str, str]:
    facts = {
        "title": booking.title,
        "space": space_label(booking.space, locale),
        "when": _when(booking),
        "company": booking.company.name,
    }
    reason = details.get("reason") or ""
    if event == "confirmed":
        title = _("Booking confirmed: %(space)s", **facts)
        body = _("Your booking “%(title)s” of %(space)s on %(when)s is confirmed.", **facts)
    elif event == "pending":
        title = _("Request received: %(space)s", **facts)
        if booking.reason == PENDING_OVER_ALLOWANCE:
            body = _(
                "Your request “%(title)s” for %(space)s on %(when)s is over your company's free "
                "hours and waits for a manager's approval.",
                **facts,
            )
        else:
            body = _(
                "Your request “%(title)s” for %(space)s on %(when)s waits for a manager's "
                "approval.",
                **facts,
            )
    elif event == "approval_requested":
        title = _("To approve: %(space)s for %(company)s", **facts)
        body = ngettext(
            "%(company)s asks for %(space)s on %(when)s: “%(title)s”, %(num)d person.",
            "%(company)s asks for %(space)s on %(when)s: “%(title)s”, %(num)d people.",
            booking.attendees,
            **facts,
        )
    elif event == "approved":
        title = _("Request approved: %(space)s", **facts)
        body = _("Your request “%(title)s” for %(space)s on %(when)s is approved.", **facts)
    elif event == "rejected":
        title = _("Request declined: %(space)s", **facts)
        body = _("Your request “%(title)s” for %(space)s on %(when)s was declined.", **facts)
    elif event == "cancelled":
        title = _("Booking cancelled: %(space)s", **facts)
        body = _(
            "Your booking “%(title)s” of %(space)s on %(when)s was cancelled by %(person)s.",
            person=_canceller(booking, details),
            **facts,
        )
    elif event == "series_cancelled":
        count = details["count"]
        title = _("Bookings cancelled: %(space)s", **facts)
        body = ngettext(
            "%(num)d booking of the series “%(title)s” in %(space)s, from %(when)s, was "
            "cancelled by %(person)s.",
            "%(num)d bookings of the series “%(title)s” in %(space)s, from %(when)s, were "
            "cancelled by %(person)s.",
            count,
            person=_canceller(booking, details),
            **facts,
        )
    elif event == "reminder":
        title = _("Soon: “%(title)s” in %(space)s", **facts)
        body = _("Your booking “%(title)s” of %(space)s starts on %(when)s.", **facts)
    else:
        raise ValueError(f"unknown booking notification {event!r}")
    if details.get("count", 1) > 1 and event != "series_cancelled":
        body += "\n" + ngettext(
            "The series has %(num)d such booking, the last on %(day)s.",
            "The series has %(num)d such bookings, the last on %(day)s.",
            details["count"],
            day=details["last"],
        )
    if reason:
        body = f"{body}\n{_('Reason: %(reason)s', reason=reason)}"
    return title, body


def _canceller(booking: Booking, details: dict[str, Any]) -> str:
    if details.get("by_manager") or booking.decided_by is None:
        return _("the incubator's management")
    return booking.decided_by.name


def _lease_texts(lease: Lease, locale: str, today: date) -> tuple[str, str]:
    days = (lease.ends_on - today).days if lease.ends_on else 0
    facts = {
        "space": space_label(lease.space, locale),
        "company": lease.company.name,
        "day": lease.ends_on.isoformat() if lease.ends_on else "",
    }
    title = _("Lease ending: %(space)s, %(company)s", **facts)
    body = ngettext(
        "The lease of %(space)s by %(company)s ends on %(day)s, in %(num)d day.",
        "The lease of %(space)s by %(company)s ends on %(day)s, in %(num)d days.",
        days,
        **facts,
    )
    return title, body


def _mail_body(user: User, body: str) -> str:
    template = current_app.jinja_env.get_template("mail/notification.txt")
    return template.render(
        greeting=_("Hello %(name)s,", name=user.name),
        body=body,
        settings_hint=_(
            "You can choose which notices also come by e-mail under Notifications in the "
            "booking app."
        ),
        signature=_(
            "Gaoxin · Chuangzhigu (Zhilehui) Technology Business Incubator, Leshan High-tech Zone"
        ),
    )


def _calendar_file(bookings: list[Booking], locale: str) -> str:
    """The bookings as one calendar file: the single booking's, or every occurrence's VEVENT."""
    location = space_label(bookings[0].space, locale)
    merged = Calendar.from_ical(booking_calendar(bookings[0], location))
    for other in bookings[1:]:
        for event in Calendar.from_ical(booking_calendar(other, location)).walk("VEVENT"):
            merged.add_component(event)
    return bytes(merged.to_ical()).decode()


# ---------------------------------------------------------------------------------------------
# Writing them down


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
    now: datetime,
) -> Notification:
    """One notification for ``user`` in their language, and its e-mail unless they opted out."""
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
        if user.email and event not in preferences(session, user).muted_mail_events:
            attachment = None
            if booking is not None and event in ICS_EVENTS:
                attachment = _calendar_file(occurrences or [booking], locale)
            session.add(
                OutgoingMail(
                    notification=notification,
                    to_address=user.email,
                    subject=title[:200],
                    body=_mail_body(user, body),
                    attachment_ics=attachment,
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
    if name == "pending":
        managers = [user for user in _managers(session) if user.id != booking.user_id]
        audience.append(("approval_requested", managers))
    together, series_key = _together(session, booking, name)
    first = together[0]
    details = {
        **details,
        "count": len(together),
        "last": to_local(together[-1].start_at).date().isoformat(),
    }
    told: list[Notification] = []
    for event, users in audience:
        once_key = f"{event}:{series_key}" if series_key else None

        def texts(locale: str, event: str = event) -> tuple[str, str]:
            return _booking_texts(event, first, locale, details)

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
                    now=now,
                )
            )
    session.flush()
    return told


def _on_booking_changed(name: str, *, booking_id: int, **details: Any) -> None:
    """Runs after the booking's commit: notify in a separate transaction, never raise."""
    if not has_app_context():
        logger.error("Booking event %s of booking %s arrived outside the app", name, booking_id)
        return
    try:
        with Session(db.engine) as session:
            # Its own transaction, taking SQLite's write lock up front (as a request's does).
            session.connection(execution_options={IMMEDIATE: True})
            notify_booking_event(session, name, booking_id, dict(details))
            session.commit()
    except Exception:
        logger.exception("Could not notify booking event %s of booking %s", name, booking_id)


booking_changed.connect(_on_booking_changed)


# ---------------------------------------------------------------------------------------------
# The worker's notices


def _tell_once(session: DbSession, user: User, once_key: str, **kwargs: Any) -> bool:
    """``_tell`` unless done before; a concurrent worker's insert counts as done."""
    if _already_told(session, user.id, once_key):
        return False
    try:
        with session.begin_nested():
            _tell(session, user, once_key=once_key, **kwargs)
    except sa.exc.IntegrityError:
        return False
    return True


def produce_reminders(session: DbSession, now: datetime | None = None) -> int:
    """Remind people of confirmed bookings starting within their reminder time; once each."""
    now = now or utcnow()
    horizon = now + timedelta(minutes=max(REMINDER_CHOICES))
    bookings = list(
        session.scalars(
            sa.select(Booking)
            .where(
                Booking.status == BookingStatus.CONFIRMED,
                Booking.start_at > now,
                Booking.start_at <= horizon,
            )
            .order_by(Booking.start_at, Booking.id)
        )
    )
    # Run every minute over a day's bookings: find the reminders already made in one query.
    keys = {booking.id: f"reminder:{booking.id}" for booking in bookings}
    done = {
        (user_id, key)
        for user_id, key in session.execute(
            sa.select(Notification.user_id, Notification.once_key).where(
                Notification.once_key.in_(keys.values())
            )
        )
    }
    made = 0
    for booking in bookings:
        for user in booking_people(session, booking):
            if (user.id, keys[booking.id]) in done:
                continue
            minutes = preferences(session, user).reminder_minutes
            window = timedelta(minutes=minutes)
            if not minutes or booking.start_at - now > window:
                continue
            if booking.start_at - booking.created_at <= window:
                continue  # booked when it was already this close: they know it is soon

            def texts(locale: str, booking: Booking = booking) -> tuple[str, str]:
                return _booking_texts("reminder", booking, locale, {})

            made += _tell_once(
                session,
                user,
                keys[booking.id],
                event="reminder",
                texts=texts,
                booking=booking,
                now=now,
            )
    return made


def _renewed(session: DbSession, lease: Lease) -> bool:
    """Whether the company already has the same space from the day after ``lease`` ends."""
    assert lease.ends_on is not None
    return (
        session.scalar(
            sa.select(Lease.id).where(
                Lease.id != lease.id,
                Lease.company_id == lease.company_id,
                Lease.space_id == lease.space_id,
                Lease.starts_on <= lease.ends_on + timedelta(days=1),
                Lease.starts_on > lease.starts_on,
            )
        )
        is not None
    )


def produce_lease_notices(session: DbSession, today: date, now: datetime | None = None) -> int:
    """Tell managers and the company, once, that a lease ends within 30 days (unless renewed)."""
    now = now or utcnow()
    leases = list(
        session.scalars(
            sa.select(Lease)
            .where(
                Lease.ends_on.is_not(None),
                Lease.ends_on >= today,
                Lease.ends_on <= today + timedelta(days=LEASE_NOTICE_DAYS),
            )
            .order_by(Lease.ends_on, Lease.id)
        )
    )
    made = 0
    managers = _managers(session)
    for lease in leases:
        if lease.ends_on is None or _renewed(session, lease):
            continue
        once_key = f"lease_ending:{lease.id}:{lease.ends_on.isoformat()}"
        people = {user.id: user for user in managers + _company_people(session, lease.company_id)}

        def texts(locale: str, lease: Lease = lease) -> tuple[str, str]:
            return _lease_texts(lease, locale, today)

        for user in people.values():
            made += _tell_once(
                session,
                user,
                once_key,
                event="lease_ending",
                texts=texts,
                lease=lease,
                now=now,
            )
    return made


# ---------------------------------------------------------------------------------------------
# Reading them


def user_notifications(user: User) -> sa.Select[Notification]:
    """The user's notifications, newest first."""
    return (
        sa.select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def unread_count(user: User) -> int:
    """How many of the user's notifications are unread."""
    return (
        db.session.scalar(
            sa.select(sa.func.count(Notification.id)).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def mark_read(user: User, notification_id: int | None = None, now: datetime | None = None) -> int:
    """Mark one of the user's notifications (or all of them) read; how many changed."""
    query = sa.update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    result = db.session.execute(
        query.values(read_at=now or utcnow()).execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
