"""What a space looks like on a day: when it is open and when it is taken."""

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from app.extensions import db
from app.models import Booking, BookingStatus, Space, User
from app.services.booking_rules import can_see, holds_overlapping, is_released, iso
from app.services.calendar import local_day_bounds, open_intervals


def busy_bookings(space: Space, start: datetime, end: datetime, now: datetime) -> list[Booking]:
    """Bookings holding the space (or a part of it) within [start, end), released ones left out."""
    unique: dict[int, Booking] = {}
    for _hold, booking in db.session.execute(holds_overlapping(space, start, end)):
        if not is_released(booking, now):
            unique.setdefault(booking.id, booking)
    return sorted(unique.values(), key=lambda booking: booking.start_at)


def day_availability(space: Space, day: date, viewer: User, now: datetime) -> dict[str, Any]:
    """Open and busy intervals of a local day; other companies' titles never appear."""
    start, end = local_day_bounds(day)
    busy = []
    for booking in busy_bookings(space, start, end, now):
        entry: dict[str, Any] = {
            "start": iso(booking.start_at),
            "end": iso(booking.end_at),
            "status": booking.status.value,
        }
        if can_see(viewer, booking):
            entry |= {"booking_id": booking.id, "title": booking.title}
        busy.append(entry)
    return {
        "space_id": space.id,
        "date": day.isoformat(),
        "open": [{"start": iso(s), "end": iso(e)} for s, e in open_intervals(space, day)],
        "busy": busy,
    }


def visible_bookings(
    viewer: User,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    space_id: int | None = None,
    status: BookingStatus | None = None,
) -> sa.Select[Any]:
    """The bookings a viewer may list (tenants: their company's), filtered, by start time."""
    query = sa.select(Booking)
    if not viewer.is_staff:
        query = query.where(Booking.company_id == viewer.company_id)
    if start is not None:
        query = query.where(Booking.end_at > start)
    if end is not None:
        query = query.where(Booking.start_at < end)
    if space_id is not None:
        query = query.where(Booking.space_id == space_id)
    if status is not None:
        query = query.where(Booking.status == status)
    return query.order_by(Booking.start_at, Booking.id)
