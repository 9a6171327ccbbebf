"""Notices the worker produces on its own: reminders before bookings, leases about to end."""

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from app.models import (
    Booking,
    BookingStatus,
    Lease,
    Notification,
)
from app.render.notification_texts import booking_texts, lease_texts
from app.services.notifications import (
    LEASE_NOTICE_DAYS,
    REMINDER_CHOICES,
    DbSession,
    booking_people,
    company_people,
    managers,
    preferences,
    tell_once,
)
from app.sqltypes import utcnow


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
    # Keyed by the start too: a booking moved after its reminder is reminded of at its new time.
    keys = {
        booking.id: f"reminder:{booking.id}:{booking.start_at:%Y%m%dT%H%M}" for booking in bookings
    }
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
                return booking_texts("reminder", booking, locale, {})

            made += tell_once(
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
    staff = managers(session)
    for lease in leases:
        if lease.ends_on is None or _renewed(session, lease):
            continue
        once_key = f"lease_ending:{lease.id}:{lease.ends_on.isoformat()}"
        people = {user.id: user for user in staff + company_people(session, lease.company_id)}

        def texts(locale: str, lease: Lease = lease) -> tuple[str, str]:
            return lease_texts(lease, locale, today)

        for user in people.values():
            made += tell_once(
                session,
                user,
                once_key,
                event="lease_ending",
                texts=texts,
                lease=lease,
                now=now,
            )
    return made
