"""The heat map of the dashboard: hour-of-week × room, the booked share of the open time."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import (
    Booking,
    BookingStatus,
    Space,
    SpaceKind,
)
from app.services import reference
from app.services.booking_rules import is_no_show
from app.services.localtime import Interval, local_day_bounds, local_zone, to_local
from app.services.open_time import closures_between

DAYS_PER_WEEK = 7


def pct(part: float, whole: float) -> float:
    return round(part / whole * 100, 1) if whole else 0.0


def overlap_seconds(a: Interval, b: Interval) -> float:
    """Seconds that two intervals share."""
    return max(0.0, (min(a[1], b[1]) - max(a[0], b[0])).total_seconds())


@dataclass(frozen=True)
class HeatMapRow:
    space: Space
    # Booked share of the open time per (weekday, block), Monday's blocks first; None: closed.
    shares: list[float | None]


@dataclass(frozen=True)
class HeatMap:
    first: date
    last: date
    blocks: list[tuple[int, int]]  # local clock hours [start, end) of each block of a day
    rows: list[HeatMapRow]

    def cell(self, weekday: int, block: int) -> int:
        """The index in ``shares`` of one weekday's block (Monday = 0)."""
        return weekday * len(self.blocks) + block


def _blocks(spaces: Sequence[Space], block_hours: int) -> list[tuple[int, int]]:
    """Blocks of ``block_hours`` covering the earliest opening to the latest closing."""
    if not spaces:
        return []
    opens = min(space.zone.opens_at.hour for space in spaces)
    closes = max(
        space.zone.closes_at.hour + (1 if space.zone.closes_at.minute else 0) for space in spaces
    )
    return [(hour, min(hour + block_hours, 24)) for hour in range(opens, closes, block_hours)]


def _rooms(kinds: Iterable[SpaceKind]) -> list[Space]:
    wanted = set(kinds)
    return [space for space in reference.current().bookable if space.kind in wanted]


def booking_heat_map(
    first: date,
    last: date,
    now: datetime,
    *,
    kinds: Iterable[SpaceKind] = (SpaceKind.MEETING_ROOM,),
    block_hours: int = 2,
) -> HeatMap:
    """How much of each room's open time was booked, by weekday and block of hours.

    Over the local days [first, last]. Like the utilisation report, booked time is confirmed
    bookings minus no-shows (their room was released), and open time is the opening hours on
    the working calendar minus closures. One query reads the window's bookings.
    """
    spaces = _rooms(kinds)
    blocks = _blocks(spaces, block_hours)
    window = (local_day_bounds(first)[0], local_day_bounds(last)[1])
    # Booked intervals of each space by the local days they touch.
    booked: dict[tuple[int, date], list[Interval]] = defaultdict(list)
    if spaces:
        for booking in db.session.scalars(
            sa.select(Booking).where(
                Booking.space_id.in_([space.id for space in spaces]),
                Booking.status == BookingStatus.CONFIRMED,
                Booking.start_at < window[1],
                Booking.end_at > window[0],
            )
        ):
            if is_no_show(booking, now):
                continue
            day = to_local(booking.start_at).date()
            while local_day_bounds(day)[0] < booking.end_at:
                booked[booking.space_id, day].append((booking.start_at, booking.end_at))
                day += timedelta(days=1)
    closures = closures_between(*window)
    zone = local_zone()
    rows = []
    for space in spaces:
        open_seconds = [0.0] * (DAYS_PER_WEEK * len(blocks))
        booked_seconds = [0.0] * (DAYS_PER_WEEK * len(blocks))
        day = first
        while day <= last:
            pieces = closures.open_time(space, day)
            taken = booked.get((space.id, day), [])
            midnight = datetime.combine(day, time(0), tzinfo=zone)
            for number, (start_hour, end_hour) in enumerate(blocks):
                block = (
                    (midnight + timedelta(hours=start_hour)).astimezone(UTC),
                    (midnight + timedelta(hours=end_hour)).astimezone(UTC),
                )
                index = day.weekday() * len(blocks) + number
                for piece in pieces:
                    open_part = (max(piece[0], block[0]), min(piece[1], block[1]))
                    if open_part[0] >= open_part[1]:
                        continue
                    open_seconds[index] += (open_part[1] - open_part[0]).total_seconds()
                    booked_seconds[index] += sum(
                        overlap_seconds(open_part, interval) for interval in taken
                    )
            day += timedelta(days=1)
        shares: list[float | None] = [
            min(taken / opened, 1.0) if opened else None
            for taken, opened in zip(booked_seconds, open_seconds, strict=True)
        ]
        rows.append(HeatMapRow(space, shares))
    return HeatMap(first, last, blocks, rows)


# Who books most, against their free hours.
