"""Figures for the manager's overview and the tenant's statement that the reports do not give.

Occupancy and utilisation come from ``reports``; this module adds what only the charts need:
the hour-of-week heat map, the companies that book most, no-show rates and a company's
monthly statement. Each reads its bookings with one query and aggregates in Python, so the
overview costs the same number of queries whatever the number of bookings.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from app.extensions import db
from app.models import (
    Booking,
    BookingStatus,
    Company,
    CompanyStatus,
    Space,
    SpaceKind,
    Stage,
    Zone,
)
from app.services import policy
from app.services.booking_rules import allowance_bookings, is_no_show
from app.services.heatmap import HeatMap, booking_heat_map, pct
from app.services.localtime import (
    local_day_bounds,
    minutes_between,
    month_bounds,
    to_local,
    week_start,
)
from app.services.report_rows import AreaOccupancyRow, periods
from app.services.reports import area_occupancy_rows, utilization_rows

TREND_MONTHS = 12
UTILIZATION_WEEKS = 12
RECENT_WEEKS = 4
TOP_COMPANIES = 10


# Windows: the dashboard's "last 12 weeks", "last 6 months", as local dates.


def weeks_back(today: date, count: int) -> date:
    """The Monday that starts the ``count`` ISO weeks ending with this one."""
    return week_start(today) - timedelta(weeks=count - 1)


def months_back(today: date, count: int) -> date:
    """The first day of the ``count`` calendar months ending with this one."""
    first = today.replace(day=1)
    for _month in range(count - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    return first


def hours_text(minutes: float) -> str:
    """Minutes as hours without needless decimals: 90 → "1.5", 120 → "2"."""
    return f"{minutes / 60:.1f}".removesuffix(".0")


# Zones and occupancy (from the reports).


def zones_by_code() -> dict[str, Zone]:
    """Every zone by its code, for names in the reader's language and links."""
    return {zone.code: zone for zone in db.session.scalars(sa.select(Zone))}


def occupancy_now(day: date) -> list[AreaOccupancyRow]:
    """Leased share of each zone's leasable area on ``day`` (zones with leasable area only)."""
    return [row for row in area_occupancy_rows(day, day, period="day") if row.leasable_m2 > 0]


@dataclass(frozen=True)
class OccupancyTrend:
    """Monthly occupancy per zone: ``months`` are (first, last) days, ``by_zone`` aligned."""

    months: list[tuple[date, date]]
    by_zone: dict[str, list[float | None]]


def occupancy_trend(first: date, last: date) -> OccupancyTrend:
    """Occupancy % of each zone with leasable area, month by month from ``first`` to ``last``."""
    months = periods(first, last, "month")
    index = {start: number for number, (start, _end) in enumerate(months)}
    by_zone: dict[str, list[float | None]] = {}
    for row in area_occupancy_rows(first, last, period="month"):
        if row.leasable_m2 <= 0:
            continue
        values = by_zone.setdefault(row.zone_code, [None] * len(months))
        values[index[row.period_start]] = row.occupancy_pct
    return OccupancyTrend(months, by_zone)


# Meeting-room utilisation by week (from the reports).


def meeting_room_zone_codes() -> list[str]:
    """Zones holding active bookable meeting rooms, in the building's order."""
    return list(
        db.session.scalars(
            sa.select(Zone.code)
            .join(Space, Space.zone_id == Zone.id)
            .where(
                Space.kind == SpaceKind.MEETING_ROOM,
                Space.bookable.is_(True),
                Space.active.is_(True),
            )
            .group_by(Zone.id, Zone.code, Zone.sort_order)
            .order_by(Zone.sort_order, Zone.code)
        )
    )


@dataclass(frozen=True)
class WeekUse:
    """Open and booked hours of some zones' rooms in one ISO week (clipped to the window)."""

    first: date
    last: date
    open_hours: float
    booked_hours: float
    by_zone: dict[str, float]  # utilisation % per zone

    @property
    def iso_week(self) -> int:
        return self.first.isocalendar().week

    @property
    def utilization_pct(self) -> float:
        return pct(self.booked_hours, self.open_hours)


def weekly_utilization(
    first: date, last: date, zone_codes: Iterable[str], now: datetime
) -> list[WeekUse]:
    """Utilisation of the given zones' bookable spaces, ISO week by ISO week, zones combined."""
    wanted = set(zone_codes)
    weeks: dict[date, dict[str, Any]] = {}
    for start, end in periods(first, last, "week"):
        weeks[start] = {"last": end, "open": 0.0, "booked": 0.0, "by_zone": {}}
    if wanted:
        for row in utilization_rows(first, last, period="week", group="zone", now=now):
            if row.zone_code not in wanted:
                continue
            week = weeks[row.period_start]
            week["open"] += row.open_hours
            week["booked"] += row.booked_hours
            week["by_zone"][row.zone_code] = row.utilization_pct
    return [
        WeekUse(
            start, week["last"], round(week["open"], 2), round(week["booked"], 2), week["by_zone"]
        )
        for start, week in weeks.items()
    ]


# The hour-of-week heat map.


@dataclass(frozen=True)
class CompanyUse:
    company: Company
    used_minutes: int
    allowance_minutes: int

    @property
    def over_minutes(self) -> int:
        return max(0, self.used_minutes - self.allowance_minutes)


def top_companies(month: date, limit: int = 10) -> list[CompanyUse]:
    """The companies with the most allowance-counted hours in ``month``'s local month.

    Counts what ``booking_rules.allowance_used_minutes`` counts (holding bookings of the kinds
    that use up free hours), for all companies in one query.
    """
    first, following = month_bounds(month)
    used: dict[int, int] = defaultdict(int)
    for company_id, start, end in db.session.execute(allowance_bookings(first, following)):
        used[company_id] += minutes_between(start, end)
    if not used:
        return []
    companies = {
        company.id: company
        for company in db.session.scalars(sa.select(Company).where(Company.id.in_(list(used))))
    }
    ranked = sorted(used.items(), key=lambda item: (-item[1], companies[item[0]].name))[:limit]
    allowances: dict[Any, int] = {}
    listed = []
    for company_id, minutes in ranked:
        company = companies[company_id]
        if company.stage not in allowances:
            allowances[company.stage] = policy.monthly_allowance_minutes(company.stage)
        listed.append(CompanyUse(company, minutes, allowances[company.stage]))
    return listed


# No-shows.


@dataclass(frozen=True)
class NoShowWeek:
    first: date
    last: date
    due: int  # confirmed bookings that needed a check-in and whose check-in time has passed
    no_shows: int

    @property
    def rate_pct(self) -> float:
        return pct(self.no_shows, self.due)


@dataclass(frozen=True)
class NoShowRates:
    weeks: list[NoShowWeek]

    @property
    def due(self) -> int:
        return sum(week.due for week in self.weeks)

    @property
    def no_shows(self) -> int:
        return sum(week.no_shows for week in self.weeks)

    @property
    def rate_pct(self) -> float:
        return pct(self.no_shows, self.due)


def no_show_rates(first: date, last: date, now: datetime) -> NoShowRates:
    """No-shows among confirmed bookings needing a check-in that started in [first, last].

    A booking counts once its check-in time is over (``is_no_show`` could be true), so the
    bookings of the coming minutes do not make the rate look better than it is.
    """
    window = (local_day_bounds(first)[0], local_day_bounds(last)[1])
    weeks = periods(first, last, "week")
    due: dict[date, int] = defaultdict(int)
    missed: dict[date, int] = defaultdict(int)
    for booking in db.session.scalars(
        sa.select(Booking).where(
            Booking.status == BookingStatus.CONFIRMED,
            Booking.requires_check_in.is_(True),
            Booking.start_at >= window[0],
            Booking.start_at < min(window[1], now - policy.NO_SHOW_AFTER),
        )
    ):
        week = week_start(to_local(booking.start_at).date())
        due[week] += 1
        if is_no_show(booking, now):
            missed[week] += 1
    return NoShowRates(
        [
            NoShowWeek(start, end, due[week_start(start)], missed[week_start(start)])
            for start, end in weeks
        ]
    )


# A company's monthly statement.


@dataclass(frozen=True)
class MonthUse:
    first: date
    used_minutes: int
    allowance_minutes: int

    @property
    def over_minutes(self) -> int:
        return max(0, self.used_minutes - self.allowance_minutes)

    @property
    def left_minutes(self) -> int:
        return max(0, self.allowance_minutes - self.used_minutes)


def company_statement(company: Company, month: date, count: int = 6) -> list[MonthUse]:
    """The company's allowance-counted minutes in the ``count`` local months up to ``month``.

    The same figures as ``booking_rules.allowance_status`` month by month, read in one query;
    the free minutes are those of the company's present stage.
    """
    first = months_back(month, count)
    following = month_bounds(month)[1]
    used: dict[date, int] = defaultdict(int)
    query = allowance_bookings(first, following).where(Booking.company_id == company.id)
    for _company_id, start, end in db.session.execute(query):
        used[to_local(start).date().replace(day=1)] += minutes_between(start, end)
    allowance = policy.monthly_allowance_minutes(company.stage)
    return [
        MonthUse(start, used[start], allowance) for start, _end in periods(first, month, "month")
    ]


# The whole overview.


def companies_by_stage() -> dict[Stage, int]:
    """How many companies in the building are at each stage."""
    rows = db.session.execute(
        sa.select(Company.stage, sa.func.count())
        .where(Company.status == CompanyStatus.ACTIVE)
        .group_by(Company.stage)
    ).all()
    return {stage: count for stage, count in rows}


@dataclass(frozen=True)
class Overview:
    today: date
    by_stage: dict[Stage, int]
    zones: dict[str, Zone]
    occupancy: list[AreaOccupancyRow]
    trend: OccupancyTrend
    room_zones: list[str]
    weeks: list[WeekUse]
    heat: HeatMap
    companies: list[CompanyUse]
    no_shows: NoShowRates


def overview(today: date, now: datetime) -> Overview:
    """Everything the manager's overview shows, each over its window ending ``today``.

    Occupancy now and by month for 12 months; meeting-room utilisation by ISO week for 12
    weeks; busy hours over the 4 full weeks before today; this month's top 10 bookers; no-shows
    in the last 4 ISO weeks. A fixed number of queries, whatever the number of bookings.
    """
    room_zones = meeting_room_zone_codes()
    return Overview(
        today=today,
        by_stage=companies_by_stage(),
        zones=zones_by_code(),
        occupancy=occupancy_now(today),
        trend=occupancy_trend(months_back(today, TREND_MONTHS), today),
        room_zones=room_zones,
        weeks=weekly_utilization(weeks_back(today, UTILIZATION_WEEKS), today, room_zones, now),
        heat=booking_heat_map(
            today - timedelta(weeks=RECENT_WEEKS), today - timedelta(days=1), now
        ),
        companies=top_companies(today, TOP_COMPANIES),
        no_shows=no_show_rates(weeks_back(today, RECENT_WEEKS), today, now),
    )
