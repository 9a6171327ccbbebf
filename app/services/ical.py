"""Calendar files and subscribable feeds (RFC 5545), built with ``icalendar``.

Three calendars come out of here: one booking as a ``.ics`` download, a company's feed (all its
bookings, with titles) and a room's feed (busy times only). Feeds are reached by a secret URL,
since calendar apps cannot sign in; only the SHA-256 of the secret is stored, like API tokens.

Each booking is one VEVENT, and so is each occurrence of a series, with its own UID. A series
could be one VEVENT with an RRULE, but every occurrence here is a booking of its own: it can be
cancelled, approved or rejected on its own, moves to its own SEQUENCE, and may have been booked
with days left out. As RRULE + EXDATE + RECURRENCE-ID overrides that would mean rewriting the
master event on every decision, and calendar apps handle such overrides unevenly.
"""

import contextlib
import functools
import secrets
from collections.abc import Iterable
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from icalendar import Calendar, Event, Timezone, vDuration
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    Booking,
    BookingHold,
    BookingStatus,
    CalendarFeed,
    Company,
    FeedKind,
    Space,
    User,
)
from app.services import audit
from app.services.booking_rules import unit_ids
from app.services.errors import NotAllowed, RuleViolation
from app.services.localtime import to_local
from app.services.passwords import secret_digest
from app.sqltypes import utcnow

PRODID = "-//Gaoxin Chuangzhigu//Space booking//EN"
ICS_STATUS = {
    BookingStatus.CONFIRMED: "CONFIRMED",
    BookingStatus.PENDING: "TENTATIVE",
    BookingStatus.REJECTED: "CANCELLED",
    BookingStatus.CANCELLED: "CANCELLED",
}
FEED_PAST = timedelta(days=30)
FEED_FUTURE = timedelta(days=180)
# How often subscribed calendars should fetch again (apps may poll less often).
FEED_REFRESH = timedelta(hours=1)


def booking_uid(booking: Booking) -> str:
    """The event's UID, stable across changes so calendars update instead of duplicating."""
    return f"booking-{booking.id}@chuangzhigu"


def busy_uid(booking: Booking) -> str:
    """The UID of a booking's untitled busy block in a room feed.

    Not the booking's own UID: someone subscribed to both their company's feed and a room's feed
    would otherwise have two different events under one UID, and some apps merge them.
    """
    return f"busy-{booking.id}@chuangzhigu"


def space_label(space: Space, locale: str) -> str:
    """Code and name, as the LOCATION of an event: ``MTG-201 Meeting Room 201``."""
    return f"{space.code} {space.display_name(locale)}"


def _event(
    booking: Booking,
    *,
    uid: str,
    summary: str,
    location: str,
    stamp: datetime,
    description: str | None = None,
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", to_local(booking.start_at))
    event.add("dtend", to_local(booking.end_at))
    event.add("summary", summary)
    event.add("location", location)
    if description:
        event.add("description", description)
    event.add("status", ICS_STATUS[booking.status])
    event.add("sequence", booking.sequence)
    return event


def _calendar(
    events: Iterable[Event], first: datetime, last: datetime, name: str | None = None
) -> bytes:
    """A VCALENDAR holding ``events``, with the VTIMEZONE of every zone they use."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if name is not None:
        calendar.add("x-wr-calname", name)
        calendar.add("refresh-interval", vDuration(FEED_REFRESH), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(FEED_REFRESH))
    for event in events:
        calendar.add_component(event)
    # Describe the zone only over the years shown: Shanghai's old summer times need not appear.
    first_year = (to_local(first).date() - timedelta(days=1)).year
    last_year = (to_local(last).date() + timedelta(days=1)).year
    for position, tzid in enumerate(sorted(calendar.get_missing_tzids())):
        with contextlib.suppress(ValueError):  # a zone icalendar does not know goes without
            calendar.subcomponents.insert(position, _timezone(tzid, first_year, last_year))
    return bytes(calendar.to_ical())


@functools.lru_cache(maxsize=64)
def _timezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """The VTIMEZONE of a zone over whole years, worked out once per process.

    icalendar finds a zone's changes by stepping through it (about 0.1 s of CPU a call, most of
    what booking a room cost when every confirmation carries its .ics); the answer never changes.
    """
    return Timezone.from_tzid(
        tzid, first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1)
    )


def booking_calendar(booking: Booking, location: str) -> bytes:
    """The booking as ``text/calendar``: local times with their VTIMEZONE, status and sequence."""
    event = _event(
        booking,
        uid=booking_uid(booking),
        summary=booking.title,
        location=location,
        stamp=utcnow(),
    )
    return _calendar([event], booking.start_at, booking.end_at)


def _in_window(now: datetime) -> tuple[sa.ColumnElement[bool], ...]:
    """Bookings overlapping 30 days back to 180 days ahead of ``now``."""
    return Booking.end_at > now - FEED_PAST, Booking.start_at < now + FEED_FUTURE


def company_bookings(company: Company, now: datetime) -> list[Booking]:
    """The company's bookings, every status, from 30 days back to 180 days ahead."""
    query = (
        sa.select(Booking)
        .where(Booking.company_id == company.id, *_in_window(now))
        .options(selectinload(Booking.space), selectinload(Booking.user))
        .order_by(Booking.start_at, Booking.id)
    )
    return list(db.session.scalars(query))


def space_bookings(space: Space, now: datetime) -> list[Booking]:
    """Bookings that hold ``space`` (the whole or its parts), every status, in the feed window.

    Cancelled and rejected ones stay in, so calendars that already have them remove them.
    """
    holds = sa.select(BookingHold.booking_id).where(BookingHold.space_id.in_(unit_ids(space)))
    query = (
        sa.select(Booking)
        .where(Booking.id.in_(holds), *_in_window(now))
        .order_by(Booking.start_at, Booking.id)
    )
    return list(db.session.scalars(query))


def company_calendar(company: Company, now: datetime, locale: str) -> bytes:
    """The company's feed: its bookings with titles, attendees and who booked."""
    with force_locale(locale):
        events = [
            _event(
                booking,
                uid=booking_uid(booking),
                summary=booking.title,
                location=space_label(booking.space, locale),
                stamp=now,
                description="\n".join(
                    [
                        _("Attendees: %(count)d", count=booking.attendees),
                        _("Booked by: %(name)s", name=booking.user.name),
                    ]
                ),
            )
            for booking in company_bookings(company, now)
        ]
        name = _("%(company)s: bookings", company=company.name)
    return _calendar(events, now - FEED_PAST, now + FEED_FUTURE, name)


def space_calendar(space: Space, now: datetime, locale: str) -> bytes:
    """A room's feed: when it is taken, and nothing about by whom or for what."""
    with force_locale(locale):
        summary = _("Booked")
        location = space_label(space, locale)
        name = _("%(space)s: busy times", space=location)
    events = [
        _event(booking, uid=busy_uid(booking), summary=summary, location=location, stamp=now)
        for booking in space_bookings(space, now)
    ]
    return _calendar(events, now - FEED_PAST, now + FEED_FUTURE, name)


def feed_calendar(feed: CalendarFeed, now: datetime | None = None) -> bytes:
    """The feed's calendar; a room feed in its subscriber's language, a company feed in the
    incubator's (it is shared by the whole company)."""
    now = now or utcnow()
    if feed.kind == FeedKind.SPACE:
        assert feed.space is not None and feed.user is not None
        return space_calendar(feed.space, now, feed.user.locale)
    assert feed.company is not None
    return company_calendar(feed.company, now, current_app.config["BABEL_DEFAULT_LOCALE"])


def feed_for_secret(secret: str) -> CalendarFeed | None:
    """The feed a URL's secret opens; none once regenerated, or when its subscriber is gone."""
    feed = db.session.scalars(
        sa.select(CalendarFeed).where(CalendarFeed.token_hash == secret_digest(secret))
    ).first()
    if feed is None or (feed.user is not None and not feed.user.active):
        return None
    return feed


def company_feed(company: Company) -> CalendarFeed | None:
    """The company's shared feed, if someone has created it."""
    return db.session.scalars(
        sa.select(CalendarFeed).where(
            CalendarFeed.kind == FeedKind.COMPANY, CalendarFeed.company_id == company.id
        )
    ).first()


def space_feeds(user: User) -> dict[int, CalendarFeed]:
    """The user's room feeds by space id."""
    feeds = db.session.scalars(
        sa.select(CalendarFeed).where(
            CalendarFeed.kind == FeedKind.SPACE, CalendarFeed.user_id == user.id
        )
    )
    return {feed.space_id: feed for feed in feeds if feed.space_id is not None}


def _issue(actor: User, feed: CalendarFeed, now: datetime) -> str:
    """Give ``feed`` a new secret (the old URL stops working) and return it, to show once."""
    secret = secrets.token_urlsafe(32)
    feed.token_hash = secret_digest(secret)
    if feed.id is None:
        feed.created_at = now
        db.session.add(feed)
        action = "feed.created"
    else:
        feed.rotated_at = now
        action = "feed.regenerated"
    db.session.flush()
    audit.record(actor, action, feed, None, {"kind": feed.kind.value})
    return secret


def issue_company_feed(
    actor: User, company: Company, now: datetime | None = None
) -> tuple[str, CalendarFeed]:
    """Create the company's feed, or give it a new URL; any of its users or a manager may."""
    if not actor.is_staff and actor.company_id != company.id:
        raise NotAllowed(_l("This is another company's calendar."))
    feed = company_feed(company) or CalendarFeed(kind=FeedKind.COMPANY, company=company)
    return _issue(actor, feed, now or utcnow()), feed


def issue_space_feed(
    actor: User, space: Space, now: datetime | None = None
) -> tuple[str, CalendarFeed]:
    """Create the user's own feed of a room's busy times, or give it a new URL."""
    if not (space.bookable and space.active):
        raise RuleViolation("space_id", _l("%(space)s cannot be booked.", space=space.code))
    feed = space_feeds(actor).get(space.id) or CalendarFeed(
        kind=FeedKind.SPACE, space=space, user=actor
    )
    return _issue(actor, feed, now or utcnow()), feed
