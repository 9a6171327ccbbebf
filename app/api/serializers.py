"""The API's JSON shapes of users, zones, spaces and bookings."""

from datetime import datetime, tzinfo
from typing import Any

import sqlalchemy as sa

from app.models import Booking, Space, User, Zone
from app.services import reference
from app.services.booking_rules import is_no_show, iso
from app.services.equipment import english_name
from app.services.finder import Fit
from app.services.localtime import local_zone
from app.sqltypes import utcnow


def iso_or_none(moment: datetime | None, zone: tzinfo | None = None) -> str | None:
    """A local ISO 8601 time with its offset, or None."""
    return iso(moment, zone) if moment is not None else None


def user_json(user: User) -> dict[str, Any]:
    """``GET /me``: who the token belongs to."""
    company = user.company
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role.value,
        "company": {"id": company.id, "name": company.name} if company else None,
        "locale": user.locale,
    }


def zone_json(zone: Zone) -> dict[str, Any]:
    """A zone of the building."""
    return {
        "id": zone.id,
        "code": zone.code,
        "name": zone.name,
        "name_en": zone.name_en,
        "area_m2": zone.area_m2,
    }


def space_json(space: Space) -> dict[str, Any]:
    """A space, with the zone it is in."""
    return {
        "id": space.id,
        "code": space.code,
        "name": space.name,
        "name_en": space.name_en,
        "zone": {"id": space.zone.id, "code": space.zone.code},
        "kind": space.kind.value,
        "area_m2": space.area_m2,
        "capacity": space.capacity,
        "equipment": list(space.equipment),
        "equipment_en": [english_name(item) for item in space.equipment],
        "bookable": space.bookable,
        "requires_approval": space.requires_approval,
    }


def free_space_json(space: Space, fit: Fit) -> dict[str, Any]:
    """A space free for a slot: the space, and whether a booking of it now would be confirmed at
    once or wait for a manager, and why (``approval`` or ``over_allowance``)."""
    return space_json(space) | {
        "confirmed_at_once": fit.confirmed_at_once,
        "pending_reason": fit.reason or None,
    }


def booking_json(booking: Booking | sa.Row[Any], now: datetime | None = None) -> dict[str, Any]:
    """The booking object of API.md, plus ``space_code`` and ``no_show``.

    ``booking`` may be a row of the bookings table's columns, as lists read them.
    """
    zone = local_zone()  # once, not five times
    return {
        "id": booking.id,
        "space_id": booking.space_id,
        # From the spaces held in memory: a page of bookings reads no space.
        "space_code": reference.current().spaces[booking.space_id].code,
        "company_id": booking.company_id,
        "user_id": booking.user_id,
        "title": booking.title,
        "attendees": booking.attendees,
        "start": iso(booking.start_at, zone),
        "end": iso(booking.end_at, zone),
        "status": booking.status.value,
        "series_id": booking.series_id,
        "checked_in_at": iso_or_none(booking.checked_in_at, zone),
        "created_at": iso(booking.created_at, zone),
        "decided_at": iso_or_none(booking.decided_at, zone),
        "decided_by": booking.decided_by_id,
        "reason": booking.reason or None,
        "no_show": is_no_show(booking, now or utcnow()),
    }
