"""What a space looks like on a day: when it is open and when it is taken, and which spaces
are free for a slot."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any

import sqlalchemy as sa

from app.extensions import db
from app.models import Booking, BookingHold, BookingStatus, Closure, Space, User
from app.services import policy
from app.services.booking_permissions import decidable
from app.services.booking_rules import (
    can_see,
    hold_interval,
    holds_overlapping,
    is_released,
    iso,
    unit_ids,
)
from app.services.localtime import Interval, local_day_bounds, to_local
from app.services.open_time import closures_between, open_intervals
from app.services.policy import LONGEST_BOOKING, LONGEST_BUFFER, LONGEST_HOLD
from app.sqltypes import utcnow


def busy_bookings(space: Space, start: datetime, end: datetime, now: datetime) -> list[Booking]:
    """Bookings holding the space (or a part of it) within [start, end), released ones left out."""
    unique: dict[int, Booking] = {}
    for booking in db.session.scalars(holds_overlapping(space, start, end)):
        if not is_released(booking, now):
            unique.setdefault(booking.id, booking)
    return sorted(unique.values(), key=lambda booking: booking.start_at)


@dataclass
class DayPlan:
    """One space on one local day: when it is open and which bookings hold it."""

    space: Space
    buffer_minutes: int
    open: list[Interval]
    closures: list[Closure]
    holds: list[tuple[Interval, Booking]] = field(default_factory=list)

    @cached_property
    def bookings(self) -> list[Booking]:
        """The bookings holding the space this day, once each, by start."""
        unique = {booking.id: booking for _interval, booking in self.holds}
        return sorted(unique.values(), key=lambda booking: booking.start_at)

    @cached_property
    def spans(self) -> list[tuple[datetime, datetime, Booking]]:
        """``bookings`` as (start, end, booking), read once: a timeline asks for every cell."""
        return [(booking.start_at, booking.end_at, booking) for booking in self.bookings]

    def is_free(self, start: datetime, end: datetime) -> bool:
        """Whether [start, end) is open and, buffers included, touches no other booking."""
        if not any(low <= start and end <= high for low, high in self.open):
            return False
        hold_start, hold_end = hold_interval(start, end, self.buffer_minutes)
        return all(not (low < hold_end and hold_start < high) for (low, high), _b in self.holds)


def day_plans(spaces: list[Space], day: date, now: datetime) -> list[DayPlan]:
    """Plans of several spaces for a local day in a fixed number of queries.

    Load the spaces with their zone and parts (``selectinload``) so that none is read one by one.
    """
    day_start, day_end = local_day_bounds(day)
    units = {space.id: unit_ids(space) for space in spaces}
    all_units = {unit for ids in units.values() for unit in ids}
    holds_by_unit: dict[int, list[tuple[Interval, Booking]]] = defaultdict(list)
    for hold, booking in db.session.execute(
        sa.select(BookingHold, Booking)
        .join(Booking, Booking.id == BookingHold.booking_id)
        .where(
            BookingHold.space_id.in_(all_units),
            # Holds reach beyond their booking by the set-up buffer: read that much around the
            # day, and no further than the longest hold beyond it (an index range, both ways).
            BookingHold.end_at > day_start - LONGEST_BUFFER,
            BookingHold.end_at < day_end + LONGEST_BUFFER + LONGEST_HOLD,
            BookingHold.start_at < day_end + LONGEST_BUFFER,
            BookingHold.active.is_(True),
        )
    ):
        if not is_released(booking, now):
            holds_by_unit[hold.space_id].append(((hold.start_at, hold.end_at), booking))
    closures = closures_between(day_start, day_end)
    buffers = {kind: policy.limits_for(kind).buffer_minutes for kind in {s.kind for s in spaces}}
    plans = []
    for space in spaces:
        open_times = closures.open_time(space, day)
        seen: set[int] = set()
        holds = []
        for unit in units[space.id]:
            for interval, booking in holds_by_unit[unit]:
                if booking.id not in seen:
                    seen.add(booking.id)
                    holds.append((interval, booking))
        holds.sort(key=lambda hold: hold[0])
        plans.append(
            DayPlan(space, buffers[space.kind], open_times, closures.cutting(space), holds)
        )
    return plans


def free_slots(
    plan: DayPlan, length: timedelta, now: datetime, step: timedelta = policy.GRID
) -> list[Interval]:
    """Every start on the grid where ``length`` fits in the plan, from ``now`` on."""
    found = []
    for low, high in plan.open:
        start = max(low, ceil_to_grid(now))
        while start + length <= high:
            if plan.is_free(start, start + length):
                found.append((start, start + length))
            start += step
    return found


def ceil_to_grid(moment: datetime) -> datetime:
    """The first time on the 15-minute grid at or after ``moment`` (seconds count)."""
    grid_seconds = int(policy.GRID.total_seconds())
    seconds = int(moment.timestamp())
    return datetime.fromtimestamp(-(-seconds // grid_seconds) * grid_seconds, tz=moment.tzinfo)


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
        # The lower bound on start_at lets an index on start_at read only the window; without
        # it every booking that ever started before ``end`` is read to test its end_at.
        query = query.where(Booking.end_at > start, Booking.start_at > start - LONGEST_BOOKING)
    if end is not None:
        query = query.where(Booking.start_at < end)
    if space_id is not None:
        query = query.where(Booking.space_id == space_id)
    if status is not None:
        query = query.where(Booking.status == status)
    return query.order_by(Booking.start_at, Booking.id)


def pending_requests_count(now: datetime | None = None) -> int:
    """Requests waiting for a manager's decision whose time has not begun."""
    query = sa.select(sa.func.count(Booking.id)).where(decidable(now or utcnow()))
    return db.session.scalar(query) or 0


@dataclass
class Slot:
    """A space free from ``start`` to ``end`` (UTC)."""

    space: Space
    start: datetime
    end: datetime

    @property
    def times(self) -> str:
        """Local clock times, 10:00–11:00."""
        return f"{to_local(self.start):%H:%M}–{to_local(self.end):%H:%M}"

    def book_args(self) -> dict[str, Any]:
        """The slot as the booking form takes it: space, local date, start and end."""
        start, end = to_local(self.start), to_local(self.end)
        return {
            "space_id": self.space.id,
            "date": start.date().isoformat(),
            "start": f"{start:%H:%M}",
            "end": f"{end:%H:%M}",
        }


def next_free_room(
    rooms: list[Space], now: datetime, length: timedelta = timedelta(hours=1)
) -> Slot | None:
    """The earliest free ``length`` in any of ``rooms`` from now on, today or else tomorrow;
    of rooms free at the same time, the smallest."""
    today = to_local(now).date()
    for day in (today, today + timedelta(days=1)):
        found = [
            Slot(plan.space, *slots[0])
            for plan in day_plans(rooms, day, now)
            if (slots := free_slots(plan, length, now))
        ]
        if found:
            return min(found, key=lambda slot: (slot.start, slot.space.capacity))
    return None


@dataclass
class Found:
    """A search's answer: the spaces free for the slot, else nearby free times per space."""

    free: list[Slot]
    nearby: list[tuple[Space, list[Slot]]]


NEARBY_TIMES = 3


def find_free(
    spaces: list[Space],
    start: datetime,
    length: timedelta,
    now: datetime,
    people: int | None = None,
    equipment: frozenset[str] = frozenset(),
) -> Found:
    """Spaces that fit the people and equipment and are free for [start, start + length).

    When none is, up to three free times of the same length that day, closest to ``start``,
    for each fitting space.
    """
    limits = {kind: policy.limits_for(kind) for kind in {space.kind for space in spaces}}
    fitting = [
        space
        for space in spaces
        if (not people or not space.capacity or space.capacity >= people)
        and equipment <= set(space.equipment or [])
        and length <= timedelta(minutes=limits[space.kind].max_minutes)
    ]
    plans = day_plans(fitting, to_local(start).date(), now)
    end = start + length
    free = [
        Slot(plan.space, start, end) for plan in plans if start >= now and plan.is_free(start, end)
    ]
    nearby = []
    if not free:
        for plan in plans:
            slots = free_slots(plan, length, now)
            closest = sorted(sorted(slots, key=lambda slot: abs(slot[0] - start))[:NEARBY_TIMES])
            if closest:
                nearby.append((plan.space, [Slot(plan.space, *slot) for slot in closest]))
    return Found(free, nearby)
