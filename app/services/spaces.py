"""Zones and spaces: the building's areas, and the offices, desks, rooms and halls in them."""

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import Lease, Space, User, Zone
from app.services import audit
from app.services.equipment import stored_name
from app.services.errors import RuleViolation

ZONE_AUDITED_FIELDS = [
    "name",
    "name_en",
    "area_m2",
    "description",
    "sort_order",
    "opens_at",
    "closes_at",
    "working_days_only",
]
SPACE_AUDITED_FIELDS = [
    "zone_id",
    "parent_id",
    "code",
    "name",
    "name_en",
    "kind",
    "area_m2",
    "capacity",
    "equipment",
    "bookable",
    "requires_approval",
    "active",
]


def normalise_equipment(items: list[str] | None) -> list[str]:
    """The equipment list without blanks, surrounding spaces or repeats, in the given order;
    a standard item typed in English is stored under its name in the vocabulary."""
    seen: dict[str, None] = {}
    for item in items or []:
        if item.strip():
            seen.setdefault(stored_name(item), None)
    return list(seen)


def save_zone(actor: User | None, zone: Zone, **values: Any) -> Zone:
    """Update a zone's names, area, description and place in lists (its code never changes)."""
    values.pop("code", None)
    for key in ("name", "name_en", "description"):
        if key in values:
            values[key] = (values[key] or "").strip()
    before = audit.snapshot(zone, ZONE_AUDITED_FIELDS)
    for key, value in values.items():
        setattr(zone, key, value)
    if not zone.name:
        raise RuleViolation("name", _l("A zone needs a name."))
    if (zone.area_m2 or 0) < 0:
        raise RuleViolation("area_m2", _l("The area cannot be negative."))
    if zone.closes_at <= zone.opens_at:
        raise RuleViolation("closes_at", _l("Closing time must come after opening time."))
    db.session.flush()
    audit.record(actor, "zone.updated", zone, before, audit.snapshot(zone, ZONE_AUDITED_FIELDS))
    return zone


def _check_space(space: Space) -> None:
    if not space.code:
        raise RuleViolation("code", _l("A space needs a code."))
    clash = db.session.scalars(
        sa.select(Space).where(
            Space.id != (space.id or -1), sa.func.upper(Space.code) == space.code
        )
    ).first()
    if clash:
        raise RuleViolation(
            "code",
            _l("%(code)s is already the code of %(name)s.", code=clash.code, name=clash.name),
        )
    if space.bookable and space.kind.leasable:
        raise RuleViolation(
            "bookable", _l("Offices, desks, booths and shops are leased, never booked.")
        )
    if (space.area_m2 or 0) < 0:
        raise RuleViolation("area_m2", _l("The area cannot be negative."))
    if (space.capacity or 0) < 0:
        raise RuleViolation("capacity", _l("The capacity cannot be negative."))
    if space.id and not space.kind.leasable:
        leased = db.session.scalars(sa.select(Lease).where(Lease.space_id == space.id)).first()
        if leased:
            raise RuleViolation(
                "kind",
                _l(
                    "%(code)s has leases, so it stays an office, desk, booth or shop.",
                    code=space.code,
                ),
            )
    _check_parent(space)


def _check_parent(space: Space) -> None:
    parent = space.parent
    if parent is None:
        return
    if parent is space:
        raise RuleViolation("parent_id", _l("A space cannot be part of itself."))
    if parent.zone is not space.zone:
        raise RuleViolation(
            "parent_id",
            _l("%(code)s is in another zone; pick a space in the same zone.", code=parent.code),
        )
    # One level only: a whole is divided into parts, and parts are not divided again, so that
    # booking a whole holds exactly its parts (see services.booking_rules.unit_ids).
    if parent.parent is not None:
        raise RuleViolation(
            "parent_id", _l("%(code)s is itself a part; pick the whole space.", code=parent.code)
        )
    if space.parts:
        raise RuleViolation(
            "parent_id", _l("%(code)s is divided into parts itself.", code=space.code)
        )


def save_space(actor: User | None, space: Space | None, **values: Any) -> Space:
    """Create (``space`` None) or update a space; ``zone`` and ``parent`` are given as objects."""
    values["code"] = (values.get("code") or "").strip().upper()
    for key in ("name", "name_en"):
        if key in values:
            values[key] = (values[key] or "").strip()
    if "equipment" in values:
        values["equipment"] = normalise_equipment(values["equipment"])
    creating = space is None
    before = None if space is None else audit.snapshot(space, SPACE_AUDITED_FIELDS)
    # Objects assigned to a new space's relationships pull it into the session early; keep it
    # from being flushed before the checks have run and given their friendly message.
    with db.session.no_autoflush:
        space = space or Space()
        for key, value in values.items():
            setattr(space, key, value)
        _check_space(space)
    db.session.add(space)
    db.session.flush()
    audit.record(
        actor,
        "space.created" if creating else "space.updated",
        space,
        before,
        audit.snapshot(space, SPACE_AUDITED_FIELDS),
    )
    return space
