"""Reading the audit log: entries filtered by object, actor and time, and what they refer to.

The log is written by ``app.services.audit.record`` and only ever read here: nothing in the
app changes or deletes an entry.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.extensions import Base, db
from app.models import (
    ApiToken,
    AuditEntry,
    Booking,
    CalendarFeed,
    Company,
    Lease,
    Space,
    User,
    Zone,
)

M = TypeVar("M", bound=Base)

# What a reader looks for, as the ``object_type`` values it covers (``type(obj).__name__``,
# lower case). A filter value is one of these names or an ``object_type`` itself.
OBJECT_GROUPS: dict[str, tuple[str, ...]] = {
    "bookings": ("booking",),
    "companies": ("company",),
    "leases": ("lease",),
    "spaces": ("space",),
    "zones": ("zone",),
    "people": ("user",),
    "closures": ("closure",),
    "policies": ("kindrule", "stageallowance"),
    "calendar": ("calendarday",),
    "tokens": ("apitoken",),
    "feeds": ("calendarfeed",),
}
# Fields of the recorded values that hold the id of another object, and its type.
REFERENCE_FIELDS = {
    "company_id": "company",
    "space_id": "space",
    "parent_id": "space",
    "zone_id": "zone",
    "user_id": "user",
}


def object_types(value: str | None) -> tuple[str, ...]:
    """The ``object_type`` values a filter names: a group, one type, or (empty) all of them."""
    value = (value or "").strip().lower()
    if not value:
        return ()
    return OBJECT_GROUPS.get(value, (value,))


def group_of(object_type: str) -> str | None:
    """The group an ``object_type`` belongs to, if any."""
    return next((name for name, types in OBJECT_GROUPS.items() if object_type in types), None)


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to read; every part is optional. ``end`` is exclusive."""

    object_types: tuple[str, ...] = ()
    object_id: int | None = None
    actor_id: int | None = None
    start: datetime | None = None
    end: datetime | None = None


def audit_query(filters: AuditFilter) -> sa.Select[AuditEntry]:
    """The entries matching ``filters``, newest first, with their actors."""
    query = sa.select(AuditEntry).options(selectinload(AuditEntry.actor))
    if filters.object_types:
        query = query.where(AuditEntry.object_type.in_(filters.object_types))
    if filters.object_id is not None:
        query = query.where(AuditEntry.object_id == filters.object_id)
    if filters.actor_id is not None:
        query = query.where(AuditEntry.actor_id == filters.actor_id)
    if filters.start is not None:
        query = query.where(AuditEntry.at >= filters.start)
    if filters.end is not None:
        query = query.where(AuditEntry.at < filters.end)
    return query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def entries_of(object_type: str, object_id: int, limit: int) -> list[AuditEntry]:
    """The latest entries about one object."""
    query = audit_query(AuditFilter(object_types=(object_type,), object_id=object_id))
    return list(db.session.scalars(query.limit(limit)))


@dataclass
class AuditContext:
    """The objects a page of entries refers to, loaded a few queries at a time, by id."""

    users: dict[int, User] = field(default_factory=dict)
    companies: dict[int, Company] = field(default_factory=dict)
    spaces: dict[int, Space] = field(default_factory=dict)
    zones: dict[int, Zone] = field(default_factory=dict)
    bookings: dict[int, Booking] = field(default_factory=dict)
    leases: dict[int, Lease] = field(default_factory=dict)
    tokens: dict[int, ApiToken] = field(default_factory=dict)
    feeds: dict[int, CalendarFeed] = field(default_factory=dict)

    def user_name(self, user_id: Any) -> str | None:
        user = self.users.get(user_id) if isinstance(user_id, int) else None
        return user.name if user else None

    def company_name(self, company_id: Any) -> str | None:
        company = self.companies.get(company_id) if isinstance(company_id, int) else None
        return company.name if company else None

    def space(self, space_id: Any) -> Space | None:
        return self.spaces.get(space_id) if isinstance(space_id, int) else None

    def zone(self, zone_id: Any) -> Zone | None:
        return self.zones.get(zone_id) if isinstance(zone_id, int) else None


def _by_id(model: type[M], ids: Iterable[int]) -> dict[int, M]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    column = model.id  # type: ignore[attr-defined]
    rows = db.session.scalars(sa.select(model).where(column.in_(wanted)))
    return {row.id: row for row in rows}  # type: ignore[attr-defined]


def load_context(entries: Sequence[AuditEntry]) -> AuditContext:
    """Every object ``entries`` name, in at most eight queries whatever their number.

    The actors come with the entries (``audit_query`` loads them).
    """
    wanted: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        if entry.object_id is not None:
            wanted[entry.object_type].add(entry.object_id)
        for values in (entry.before, entry.after):
            for name, kind in REFERENCE_FIELDS.items():
                value = (values or {}).get(name)
                if isinstance(value, int) and not isinstance(value, bool):
                    wanted[kind].add(value)
    context = AuditContext(
        bookings=_by_id(Booking, wanted["booking"]),
        leases=_by_id(Lease, wanted["lease"]),
        tokens=_by_id(ApiToken, wanted["apitoken"]),
        feeds=_by_id(CalendarFeed, wanted["calendarfeed"]),
    )
    for booking in context.bookings.values():
        wanted["space"].add(booking.space_id)
        wanted["company"].add(booking.company_id)
    for lease in context.leases.values():
        wanted["space"].add(lease.space_id)
        wanted["company"].add(lease.company_id)
    for token in context.tokens.values():
        wanted["user"].add(token.user_id)
    for feed in context.feeds.values():
        for kind, value in (("company", feed.company_id), ("space", feed.space_id)):
            if value is not None:
                wanted[kind].add(value)
    context.users = _by_id(User, wanted["user"])
    context.companies = _by_id(Company, wanted["company"])
    context.spaces = _by_id(Space, wanted["space"])
    context.zones = _by_id(Zone, wanted["zone"])
    return context
