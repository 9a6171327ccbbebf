"""Monthly figures for the zone administration: room utilisation, area occupancy, bookings.

Every report is a generator of rows (``report_rows``) whose fields are the CSV columns of
API.md, so the CSV and XLSX writers, the manager page and the dashboard read the same rows. Reports
stream: they work through one period at a time and read only that period's bookings, so a
year by day costs a few queries per day and constant memory.
"""

import bisect
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    LEASABLE_KINDS,
    Booking,
    BookingStatus,
    Company,
    Lease,
    Space,
    User,
    Zone,
)
from app.services.booking_rules import is_no_show
from app.services.localtime import Interval, local_day_bounds, local_zone
from app.services.open_time import Closures, closures_between
from app.services.policy import LONGEST_BOOKING
from app.services.report_rows import (
    GROUPS,
    AreaOccupancyRow,
    BookingRow,
    UtilizationRow,
    periods,
)
from app.sqltypes import utcnow

# Rows of bookings.csv fetched per round trip: a year at a million bookings is 83,000 lines
# (500 a trip was 170 trips); 5,000 rows are a few MB.
BOOKINGS_BATCH = 5000


def _window(first: date, last: date) -> Interval:
    """Local midnight of ``first`` to local midnight after ``last``, in UTC."""
    return local_day_bounds(first)[0], local_day_bounds(last)[1]


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Overlapping or touching intervals joined, by start."""
    merged: list[Interval] = []
    for low, high in sorted(intervals):
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def _overlap_seconds(pieces: list[Interval], intervals: list[Interval]) -> float:
    """Seconds where two lists of disjoint intervals overlap."""
    return sum(
        max(0.0, (min(high, b_high) - max(low, b_low)).total_seconds())
        for low, high in pieces
        for b_low, b_high in intervals
    )


def _hours(seconds: float) -> float:
    return round(seconds / 3600, 2)


def _pct(part: float, whole: float) -> float:
    return round(part / whole * 100, 1) if whole else 0.0


@dataclass
class _Tally:
    """One space's (or one zone's) figures for one period, before rounding."""

    open_seconds: float = 0.0
    booked_seconds: float = 0.0
    bookings: set[int] = field(default_factory=set)
    cancelled: set[int] = field(default_factory=set)
    no_shows: set[int] = field(default_factory=set)


def _report_spaces(start: date, end: date) -> list[Space]:
    """Bookable spaces to report on: the active ones, and inactive ones booked in the range."""
    window_start, window_end = _window(start, end)
    booked_in_range = (
        sa.select(Booking.id)
        .where(
            Booking.space_id == Space.id,
            Booking.start_at < window_end,
            Booking.end_at > window_start,
        )
        .exists()
    )
    return list(
        db.session.scalars(
            sa.select(Space)
            .join(Zone, Zone.id == Space.zone_id)
            .where(Space.bookable.is_(True), sa.or_(Space.active.is_(True), booked_in_range))
            .options(selectinload(Space.zone), selectinload(Space.parts))
            .order_by(Zone.sort_order, Zone.code, Space.code)
        )
    )


def _open_pieces(space: Space, first: date, last: date, closures: Closures) -> list[Interval]:
    """The space's open time from ``first`` to ``last``."""
    return [piece for day in _days(first, last) for piece in closures.open_time(space, day)]


def bookings_overlapping(space_ids: list[int], window: Interval, lookback: timedelta) -> sa.Select:
    """Confirmed and cancelled bookings of the spaces overlapping the window.

    ``start_at`` is bounded on both sides (by ``lookback``, the longest booking), so the query
    reads one short range of the (space_id, start_at) index per space. Rows of the columns the
    tallies read, not Booking objects: a year by day reads every booking of the year.
    """
    return sa.select(
        Booking.id,
        Booking.space_id,
        Booking.status,
        Booking.start_at,
        Booking.end_at,
        Booking.requires_check_in,
        Booking.checked_in_at,
    ).where(
        Booking.space_id.in_(space_ids),
        Booking.start_at >= window[0] - lookback,
        Booking.start_at < window[1],
        Booking.end_at > window[0],
        Booking.status.in_((BookingStatus.CONFIRMED, BookingStatus.CANCELLED)),
    )


@dataclass
class _Batch:
    """Consecutive periods read together: their bookings (rows by start) and closures."""

    spans: list[tuple[date, date]]
    rows: list[Any]  # rows with a booking's attribute names: is_no_show reads them as a Booking
    starts: list[datetime]
    closures: Closures

    def overlapping(self, window: Interval, lookback: timedelta) -> list[Any]:
        """The batch's bookings overlapping the window (they start at most ``lookback`` before)."""
        low = bisect.bisect_left(self.starts, window[0] - lookback)
        high = bisect.bisect_left(self.starts, window[1])
        return [row for row in self.rows[low:high] if row.end_at > window[0]]


# Periods are read in batches of about a month: a year by day is 12 queries, not 730, and
# holds one month of bookings in memory at a time.
BATCH_DAYS = 31


def _batches(
    spans: list[tuple[date, date]], spaces: list[Space], lookback: timedelta
) -> Iterator[_Batch]:
    group: list[tuple[date, date]] = []
    for span in spans:
        group.append(span)
        if (span[1] - group[0][0]).days + 1 >= BATCH_DAYS or span == spans[-1]:
            window = _window(group[0][0], group[-1][1])
            query = bookings_overlapping([space.id for space in spaces], window, lookback)
            rows = list(db.session.execute(query.order_by(Booking.start_at)))
            starts = [row.start_at for row in rows]
            yield _Batch(group, rows, starts, closures_between(*window))
            group = []


def _period_tallies(
    spaces: list[Space],
    first: date,
    last: date,
    group: str,
    now: datetime,
    lookback: timedelta,
    batch: _Batch,
) -> dict[int, _Tally]:
    """Figures of one period, keyed by space id (group=space) or zone id (group=zone)."""
    window = _window(first, last)
    closures = batch.closures
    by_space: dict[int, list[Any]] = defaultdict(list)
    for booking in batch.overlapping(window, lookback):
        by_space[booking.space_id].append(booking)
    included = {space.id for space in spaces}
    tallies: dict[int, _Tally] = defaultdict(_Tally)
    for space in spaces:
        tally = tallies[space.id if group == "space" else space.zone_id]
        for booking in by_space[space.id]:
            if booking.status == BookingStatus.CANCELLED:
                tally.cancelled.add(booking.id)
            else:
                tally.bookings.add(booking.id)
                if is_no_show(booking, now):
                    tally.no_shows.add(booking.id)
        # A zone counts the time of its bookable units: a whole made of parts (the event area)
        # is counted through its halves, each taken by its own bookings and by the whole's,
        # so the zone's open hours are not counted twice.
        if group == "zone" and any(part.id in included for part in space.parts):
            continue
        holders = [space.id] if group == "space" else [space.id, space.parent_id or 0]
        booked = _merge(
            (max(booking.start_at, window[0]), min(booking.end_at, window[1]))
            for holder in holders
            for booking in by_space[holder]
            # A no-show's room was released 15 minutes after its start: not booked time.
            if booking.status == BookingStatus.CONFIRMED and not is_no_show(booking, now)
        )
        pieces = _open_pieces(space, first, last, closures)
        tally.open_seconds += sum((high - low).total_seconds() for low, high in pieces)
        tally.booked_seconds += _overlap_seconds(pieces, booked)
    return tallies


def utilization_rows(
    start: date,
    end: date,
    period: str = "month",
    group: str = "space",
    *,
    now: datetime | None = None,
) -> Iterator[UtilizationRow]:
    """Open and booked hours of the bookable spaces (or zones), one row per period and group.

    Booked hours count confirmed bookings that were not no-shows, clipped to the period and to
    the open time; a booking across midnight or a month end is split between the periods.
    ``bookings`` counts confirmed bookings overlapping the period (no-shows included, so
    ``no_shows`` ⊆ ``bookings``); a booking spanning two periods counts in both.
    """
    if group not in GROUPS:
        raise ValueError(f"unknown group {group!r}")
    spans = periods(start, end, period)
    now = now or utcnow()
    spaces = _report_spaces(start, end)
    # No booking is longer: a window's bookings started at most this long before it.
    lookback = LONGEST_BOOKING
    zones: dict[int, Zone] = {}
    for space in spaces:
        zones.setdefault(space.zone_id, space.zone)
    for batch in _batches(spans, spaces, lookback):
        yield from _utilization_of(batch, spaces, zones, group, now, lookback)


def _utilization_of(
    batch: _Batch,
    spaces: list[Space],
    zones: dict[int, Zone],
    group: str,
    now: datetime,
    lookback: timedelta,
) -> Iterator[UtilizationRow]:
    for first, last in batch.spans:
        tallies = _period_tallies(spaces, first, last, group, now, lookback, batch)
        keyed: list[tuple[Zone, Space | None, _Tally]]
        if group == "space":
            keyed = [(space.zone, space, tallies[space.id]) for space in spaces]
        else:
            keyed = [(zone, None, tallies[zone_id]) for zone_id, zone in zones.items()]
        for zone, row_space, tally in keyed:
            yield UtilizationRow(
                period_start=first,
                period_end=last,
                zone_code=zone.code,
                zone_name=zone.name,
                space_code=row_space.code if row_space else "",
                space_name=row_space.name if row_space else "",
                open_hours=_hours(tally.open_seconds),
                booked_hours=_hours(tally.booked_seconds),
                utilization_pct=_pct(tally.booked_seconds, tally.open_seconds),
                bookings=len(tally.bookings),
                cancelled=len(tally.cancelled),
                no_shows=len(tally.no_shows),
            )


def _leasable_spaces(start: date, end: date) -> list[Space]:
    """Active leasable spaces, and inactive ones leased at some time in the range."""
    leased_in_range = (
        sa.select(Lease.id)
        .where(
            Lease.space_id == Space.id,
            Lease.starts_on <= end,
            sa.or_(Lease.ends_on.is_(None), Lease.ends_on >= start),
        )
        .exists()
    )
    return list(
        db.session.scalars(
            sa.select(Space)
            .join(Zone, Zone.id == Space.zone_id)
            .where(Space.kind.in_(LEASABLE_KINDS), sa.or_(Space.active.is_(True), leased_in_range))
            .options(selectinload(Space.zone))
            .order_by(Zone.sort_order, Zone.code, Space.code)
        )
    )


def area_occupancy_rows(
    start: date, end: date, period: str = "month"
) -> Iterator[AreaOccupancyRow]:
    """Leasable and leased area of each zone, one row per period and zone with leasable spaces.

    A lease counts its space's area in proportion to the days of the period it covers.
    """
    spans = periods(start, end, period)
    spaces = _leasable_spaces(start, end)
    space_by_id = {space.id: space for space in spaces}
    zones: dict[int, list[Space]] = defaultdict(list)
    for space in spaces:
        zones[space.zone_id].append(space)
    for first, last in spans:
        period_days = (last - first).days + 1
        leased_days: dict[int, int] = defaultdict(int)
        companies: dict[int, set[int]] = defaultdict(set)
        for space_id, company_id, starts_on, ends_on in db.session.execute(
            sa.select(Lease.space_id, Lease.company_id, Lease.starts_on, Lease.ends_on).where(
                Lease.space_id.in_(space_by_id),
                Lease.starts_on <= last,
                sa.or_(Lease.ends_on.is_(None), Lease.ends_on >= first),
            )
        ):
            covered = (min(ends_on or last, last) - max(starts_on, first)).days + 1
            leased_days[space_id] += covered
            companies[space_by_id[space_id].zone_id].add(company_id)
        for zone_id, zone_spaces in zones.items():
            zone = zone_spaces[0].zone
            leasable = sum(space.area_m2 for space in zone_spaces)
            leased = sum(
                space.area_m2 * min(leased_days[space.id], period_days) / period_days
                for space in zone_spaces
            )
            yield AreaOccupancyRow(
                period_start=first,
                period_end=last,
                zone_code=zone.code,
                zone_name=zone.name,
                leasable_m2=round(leasable, 2),
                leased_m2=round(leased, 2),
                occupancy_pct=_pct(leased, leasable),
                units=len(zone_spaces),
                units_leased=sum(1 for space in zone_spaces if leased_days[space.id]),
                companies=len(companies[zone_id]),
            )


def booking_rows(
    start: date,
    end: date,
    status: BookingStatus | None = None,
    company_id: int | None = None,
) -> Iterator[BookingRow]:
    """Bookings overlapping the local days [start, end], by start, one row each.

    ``checked_in`` is "yes" or empty: it reads the same in CSV and XLSX and filters easily.
    """
    window = _window(start, end)
    query = (
        sa.select(
            Booking.id,
            Zone.code,
            Space.code,
            Space.name,
            Company.name,
            User.name,
            Booking.title,
            Booking.start_at,
            Booking.end_at,
            Booking.status,
            Booking.checked_in_at,
        )
        .join(Space, Space.id == Booking.space_id)
        .join(Zone, Zone.id == Space.zone_id)
        .join(Company, Company.id == Booking.company_id)
        .join(User, User.id == Booking.user_id)
        .where(
            Booking.start_at < window[1],
            Booking.start_at > window[0] - LONGEST_BOOKING,
            Booking.end_at > window[0],
        )
        .order_by(Booking.start_at, Booking.id)
        .execution_options(yield_per=BOOKINGS_BATCH)
    )
    if status is not None:
        query = query.where(Booking.status == status)
    if company_id is not None:
        query = query.where(Booking.company_id == company_id)
    zone = local_zone()  # once, not twice a row
    for row in db.session.execute(query):
        (ident, zone_code, space_code, space_name, company, user, title) = row[:7]
        start_at, end_at, booking_status, checked_in_at = row[7:]
        yield BookingRow(
            id=ident,
            zone_code=zone_code,
            space_code=space_code,
            space_name=space_name,
            company=company,
            user=user,
            title=title,
            start=start_at.astimezone(zone),
            end=end_at.astimezone(zone),
            status=BookingStatus(booking_status).value,
            checked_in="yes" if checked_in_at else "",
        )
