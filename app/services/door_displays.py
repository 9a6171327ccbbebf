"""Door displays: the tablet outside a bookable room shows whether it is taken now, until when,
and what comes next, and offers the current booking's check-in as a QR code.

The tablet cannot sign in, so its address carries a secret key; only the key's SHA-256 is
stored (like calendar feeds and API tokens), so a manager sees an address once, right after
creating or regenerating it. A display is nobody's: every booking on it shows as "Booked",
the timeline's rule for another company's booking.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import Booking, DoorDisplay, Space, User
from app.services import audit
from app.services.availability import day_plans
from app.services.booking_permissions import awaits_check_in
from app.services.errors import NotAllowed, RuleViolation
from app.services.localtime import Interval, to_local
from app.services.passwords import secret_digest
from app.sqltypes import utcnow


def display_of(space: Space) -> DoorDisplay | None:
    """The room's door display, if a manager has created it."""
    return db.session.scalars(
        sa.select(DoorDisplay).where(DoorDisplay.space_id == space.id)
    ).first()


def issue_display(actor: User, space: Space, now: datetime | None = None) -> str:
    """Create the room's door display, or give it a new key (the old address stops working);
    return the key, to be shown once. Managers only, bookable rooms in use only."""
    if not actor.is_staff:
        raise NotAllowed(_l("Only incubator managers set up door displays."))
    if not (space.bookable and space.active):
        raise RuleViolation("space_id", _l("%(space)s cannot be booked.", space=space.code))
    now = now or utcnow()
    key = secrets.token_urlsafe(32)
    display = display_of(space)
    if display is None:
        display = DoorDisplay(space=space, created_at=now)
        db.session.add(display)
        action = "space.door_display_created"
    else:
        display.rotated_at = now
        action = "space.door_display_regenerated"
    display.key_hash = secret_digest(key)
    db.session.flush()
    audit.record(actor, action, space)
    return key


def display_for_key(space_code: str, key: str) -> DoorDisplay | None:
    """The display a URL opens: the room's code and its current key must match, and the room
    must still be bookable and in use."""
    if not key:
        return None
    display = db.session.scalars(
        sa.select(DoorDisplay)
        .join(Space, Space.id == DoorDisplay.space_id)
        .where(DoorDisplay.key_hash == secret_digest(key), Space.code == space_code)
    ).first()
    if display is None or not (display.space.bookable and display.space.active):
        return None
    return display


@dataclass
class DoorState:
    """What the door shows at ``now``: the booking under way, the next one today, when the
    room is free (from and until), and the booking whose check-in is open."""

    space: Space
    now: datetime
    open_now: bool
    current: Booking | None
    next: Booking | None
    free_from: datetime | None  # when the room is free again (None: not again today)
    free_until: datetime | None  # while free: until the next booking or closing time
    check_in: Booking | None  # confirmed, asks for a check-in, its window open, none yet


def _end_of_open(open_times: list[Interval], moment: datetime) -> datetime | None:
    """The end of the opening stretch that holds ``moment``."""
    return next((high for low, high in open_times if low <= moment < high), None)


def door_state(space: Space, now: datetime | None = None) -> DoorState:
    """The room at ``now`` (local day): taken or free, until when, and what comes next.

    Bookings holding the room or a part of it count, released ones (no-shows, requests not
    decided in time) do not; bookings that follow each other keep the room taken.
    """
    now = now or utcnow()
    plan = day_plans([space], to_local(now).date(), now)[0]
    bookings = [booking for booking in plan.bookings if booking.end_at > now]
    current = next((b for b in bookings if b.start_at <= now), None)
    upcoming = [b for b in bookings if b.start_at > now]
    open_now = _end_of_open(plan.open, now) is not None
    free_from = free_until = None
    if current is not None:
        free_from = current.end_at
        for booking in upcoming:  # back to back: taken until the last of them ends
            if booking.start_at > free_from:
                break
            free_from = max(free_from, booking.end_at)
        if _end_of_open(plan.open, free_from) is None:
            free_from = None  # closes when the bookings end
    elif open_now:
        ends = [b.start_at for b in upcoming] + [_end_of_open(plan.open, now) or now]
        free_until = min(ends)
    waiting = [b for b in ([current] if current else []) + upcoming if awaits_check_in(b, now)]
    return DoorState(
        space=space,
        now=now,
        open_now=open_now,
        current=current,
        next=upcoming[0] if upcoming else None,
        free_from=free_from,
        free_until=free_until,
        check_in=waiting[0] if waiting else None,
    )
