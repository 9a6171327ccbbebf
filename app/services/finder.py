"""Finding a space for a slot, ranked by how well it fits the person asking.

The find page and ``GET /api/v1/spaces/free`` both ask ``find_spaces``; the order of its answer
is written once, in ``fit_key``.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import BookingStatus, Company, Lease, Space, SpaceKind, User, Zone
from app.services.availability import Found, find_free
from app.services.booking_rules import (
    BookingRequest,
    initial_statuses,
    last_bookable_day,
    slot_shape_problem,
)
from app.services.errors import RuleViolation
from app.services.localtime import to_local

# The kinds a tenant can book, in the order the find page offers them.
BOOKABLE_KINDS = (SpaceKind.MEETING_ROOM, SpaceKind.TABLE, SpaceKind.HALL, SpaceKind.EVENT_AREA)
UNLIMITED = 10**9  # a capacity of 0 means "no limit": it fits anyone, so it sorts last


@dataclass(frozen=True)
class Wish:
    """What the person is looking for: a slot, and optionally people, kinds and equipment."""

    start: datetime
    length: timedelta
    people: int | None = None
    kinds: frozenset[SpaceKind] = frozenset()
    equipment: frozenset[str] = frozenset()

    @property
    def end(self) -> datetime:
        return self.start + self.length


@dataclass(frozen=True)
class Fit:
    """How a space fits the person: the status a booking of it would get now, and how far its
    zone is from the company's own (0: the same zone, or the company leases nothing)."""

    status: BookingStatus
    reason: str  # why it would wait: "approval", "over_allowance", or ""
    distance: int

    @property
    def confirmed_at_once(self) -> bool:
        return self.status == BookingStatus.CONFIRMED


@dataclass
class Finding(Found):
    """``Found`` (free spaces, else nearby free times) ranked by fit, with each space's fit."""

    fits: dict[int, Fit] = field(default_factory=dict)

    def fit(self, space: Space) -> Fit:
        return self.fits[space.id]


def check_slot(start: datetime, end: datetime, now: datetime) -> None:
    """A slot that a booking could have: in order, on the grid, long enough and not begun."""
    problem = slot_shape_problem(start, end)
    if problem is None and start < now:
        problem = ("start", _l("The start is in the past."))
    if problem is not None:
        raise RuleViolation(*problem)


def home_zones(company: Company | None, day: date) -> set[int]:
    """The sort orders of the zones where the company leases a space (an office, desk, booth or
    shop) on ``day``: where its people come from."""
    if company is None:
        return set()
    # One query rather than the company's leases, each lease's space and its zone one by one.
    in_force = sa.select(Zone.sort_order).join(Space, Space.zone_id == Zone.id)
    in_force = in_force.join(Lease, Lease.space_id == Space.id).where(
        Lease.company_id == company.id,
        Lease.starts_on <= day,
        sa.or_(Lease.ends_on.is_(None), Lease.ends_on >= day),
    )
    return set(db.session.scalars(in_force))


def zone_distance(space: Space, homes: set[int]) -> int:
    """How far the space's zone is from the company's own.

    "Nearest" is measured with ``Zone.sort_order``, the order the building's zones are listed in
    (managers set it on the zone form; lists, the timeline and reports follow it), which keeps
    neighbouring zones next to each other. The distance is the smallest difference between the
    space's zone's sort order and that of a zone the company leases in, so a space in the
    company's own zone is 0. A company that leases nothing that day, or a manager, is equally
    near every zone (0).
    """
    return min((abs(space.zone.sort_order - home) for home in homes), default=0)


def _fits(actor: User, spaces: list[Space], wish: Wish) -> dict[int, Fit]:
    """Each space's fit. The status comes from the booking rules themselves (approval of the
    space, free monthly hours of the company), asked once per kind of space and approval."""
    company = actor.company
    homes = home_zones(company, to_local(wish.start).date())
    statuses: dict[tuple[SpaceKind, bool], tuple[BookingStatus, str]] = {}
    fits = {}
    for space in spaces:
        key = (space.kind, space.requires_approval)
        if key not in statuses:
            if company is None:  # staff book for others: initial_statuses confirms them
                statuses[key] = (BookingStatus.CONFIRMED, "")
            else:
                wanted = BookingRequest(space, company, wish.start, wish.end, "")
                statuses[key] = initial_statuses(actor, wanted, [(wish.start, wish.end)])[0]
        status, reason = statuses[key]
        fits[space.id] = Fit(status, reason, zone_distance(space, homes))
    return fits


def fit_key(space: Space, fit: Fit) -> tuple[bool, int, int, int, str]:
    """The ranking: confirmed at once before waiting for a manager, then the smallest capacity
    that fits (no limit last), then the nearest zone, then the building's order."""
    return (
        not fit.confirmed_at_once,
        space.capacity or UNLIMITED,
        fit.distance,
        space.zone.sort_order,
        space.code,
    )


def find_spaces(actor: User, spaces: list[Space], wish: Wish, now: datetime) -> Finding:
    """The spaces among ``spaces`` that fit the wish and are free for the whole slot, best fit
    first; when none is, nearby free times that day per fitting space, best fit first.

    A space fits when it is of a wished kind, holds the people, has every wished piece of
    equipment, may be booked for that long, and ``actor`` may book it that far ahead.
    """
    day = to_local(wish.start).date()
    today = to_local(now).date()
    candidates = []
    for space in spaces:
        if wish.kinds and space.kind not in wish.kinds:
            continue
        last_day = last_bookable_day(actor, space.kind, today)
        if last_day is not None and day > last_day:
            continue
        candidates.append(space)
    found = find_free(candidates, wish.start, wish.length, now, wish.people, wish.equipment)
    fits = _fits(actor, [slot.space for slot in found.free] + [s for s, _t in found.nearby], wish)
    return Finding(
        free=sorted(found.free, key=lambda slot: fit_key(slot.space, fits[slot.space.id])),
        nearby=sorted(found.nearby, key=lambda pair: fit_key(pair[0], fits[pair[0].id])),
        fits=fits,
    )
