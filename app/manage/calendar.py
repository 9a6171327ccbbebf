"""The calendar of everything: every company's bookings of a day or a week, by zone and space."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.manage import bp
from app.models import HOLDING_STATUSES, Booking, BookingStatus, Company, Space, Zone
from app.services.availability import visible_bookings
from app.services.booking_rules import is_lapsed, is_no_show
from app.services.localtime import (
    local_day_bounds,
    to_local,
    week_start,
)
from app.services.workdays import holiday_name, is_working_day
from app.sqltypes import utcnow
from app.web import BOOKING_STATUS_LABELS, current_actor, today_local
from app.web.bounds import parse_day, parse_id

VIEWS = ("day", "week")
# Which bookings a status filter shows; None shows every status.
STATUS_FILTERS: dict[str, frozenset[BookingStatus] | None] = {
    "holding": HOLDING_STATUSES,
    "all": None,
    "cancelled": frozenset({BookingStatus.CANCELLED}),
    "rejected": frozenset({BookingStatus.REJECTED}),
}
STATUS_FILTER_LABELS = {
    "holding": _l("Pending and confirmed"),
    "all": _l("All"),
    "cancelled": _l("Cancelled"),
    "rejected": _l("Rejected"),
}
UPCOMING_ON_COMPANY_PAGE = 10


def when(start: datetime, end: datetime) -> str:
    """A booking's local time: ``Thu 2026-12-03 14:00–16:00``, both dates when it spans days."""
    local_start, local_end = to_local(start), to_local(end)
    weekday = format_date(local_start.date(), "EEE")
    if local_start.date() == local_end.date():
        return f"{weekday} {local_start:%Y-%m-%d %H:%M}–{local_end:%H:%M}"
    return f"{weekday} {local_start:%Y-%m-%d %H:%M} – {local_end:%Y-%m-%d %H:%M}"


def _clock_on(moment: datetime, day: date) -> str:
    """``HH:MM`` on the day shown; with the date when the booking reaches into another day."""
    local = to_local(moment)
    return f"{local:%H:%M}" if local.date() == day else f"{local:%m-%d %H:%M}"


@dataclass(frozen=True)
class CalendarFilters:
    """What the calendar shows, read from the query string; anything unknown falls back."""

    day: date
    view: str
    zone: str
    company_id: int | None
    status: str

    @classmethod
    def from_args(cls, args: Any) -> "CalendarFilters":
        try:
            day = parse_day(args.get("date", ""))
        except ValueError:
            day = today_local()
        view = args.get("view", "day")
        status = args.get("status", "holding")
        return cls(
            day=day,
            view=view if view in VIEWS else "day",
            zone=args.get("zone", "").strip(),
            company_id=args.get("company_id", type=parse_id),
            status=status if status in STATUS_FILTERS else "holding",
        )

    @property
    def days(self) -> list[date]:
        if self.view == "day":
            return [self.day]
        monday = week_start(self.day)
        return [monday + timedelta(days=n) for n in range(7)]

    @property
    def step(self) -> timedelta:
        return timedelta(days=1 if self.view == "day" else 7)

    def args(self, **changes: Any) -> dict[str, Any]:
        """Query arguments of this view, with ``changes``, for links that keep the filters."""
        values: dict[str, Any] = {
            "date": self.day.isoformat(),
            "view": self.view,
            "zone": self.zone,
            "company_id": self.company_id,
            "status": self.status,
        } | changes
        return {key: value for key, value in values.items() if value not in (None, "")}


@dataclass
class Entry:
    """A booking as the calendar shows it on one day."""

    booking: Booking
    starts: str
    ends: str
    note: Any = None  # why a holding booking no longer holds its slot


@dataclass
class SpaceRow:
    space: Space
    entries: list[Entry] = field(default_factory=list)


@dataclass
class ZoneSection:
    zone: Zone
    spaces: list[SpaceRow] = field(default_factory=list)


@dataclass
class DaySection:
    day: date
    working: bool
    holiday: str | None
    zones: list[ZoneSection] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(row.entries) for zone in self.zones for row in zone.spaces)


def _bookings(filters: CalendarFilters) -> list[Booking]:
    start = local_day_bounds(filters.days[0])[0]
    end = local_day_bounds(filters.days[-1])[1]
    query = visible_bookings(current_actor(), start=start, end=end).options(
        selectinload(Booking.space).selectinload(Space.zone),
        selectinload(Booking.company),
        selectinload(Booking.user),
    )
    if filters.zone:
        query = query.where(
            Booking.space_id.in_(
                sa.select(Space.id)
                .join(Zone, Zone.id == Space.zone_id)
                .where(Zone.code == filters.zone)
            )
        )
    if filters.company_id is not None:
        query = query.where(Booking.company_id == filters.company_id)
    statuses = STATUS_FILTERS[filters.status]
    if statuses is not None:
        query = query.where(Booking.status.in_(statuses))
    return list(db.session.scalars(query))


def _note(booking: Booking, now: datetime) -> Any:
    if is_lapsed(booking, now):
        return _l("Not decided before it began")
    if is_no_show(booking, now):
        return _l("Nobody checked in")
    return None


def day_sections(bookings: list[Booking], days: list[date], now: datetime) -> list[DaySection]:
    """The bookings of each day, grouped by zone and space (a booking may span two days)."""
    sections = []
    for day in days:
        day_start, day_end = local_day_bounds(day)
        by_space: dict[int, SpaceRow] = {}
        for booking in bookings:  # already ordered by start
            if booking.end_at <= day_start or booking.start_at >= day_end:
                continue
            row = by_space.setdefault(booking.space_id, SpaceRow(booking.space))
            row.entries.append(
                Entry(
                    booking,
                    _clock_on(booking.start_at, day),
                    _clock_on(booking.end_at, day),
                    _note(booking, now),
                )
            )
        by_zone: dict[int, ZoneSection] = {}
        for row in sorted(by_space.values(), key=lambda row: row.space.code):
            by_zone.setdefault(row.space.zone_id, ZoneSection(row.space.zone)).spaces.append(row)
        zones = sorted(by_zone.values(), key=lambda z: (z.zone.sort_order, z.zone.code))
        sections.append(DaySection(day, is_working_day(day), holiday_name(day), zones))
    return sections


@bp.route("/calendar")
def calendar() -> ResponseReturnValue:
    """Every company's bookings of a day or a week, by zone and space, filtered."""
    filters = CalendarFilters.from_args(request.args)
    zones = db.session.scalars(
        sa.select(Zone)
        .where(Zone.spaces.any(Space.bookable.is_(True)))
        .order_by(Zone.sort_order, Zone.code)
    ).all()
    companies = db.session.execute(sa.select(Company.id, Company.name).order_by(Company.name)).all()
    # The booking form starts on the day shown, or today when looking back.
    book_args: dict[str, Any] = {"date": max(filters.day, today_local()).isoformat()}
    if filters.company_id is not None:
        book_args["company_id"] = filters.company_id
    return render_template(
        "manage/calendar.html",
        filters=filters,
        sections=day_sections(_bookings(filters), filters.days, utcnow()),
        zones=zones,
        companies=companies,
        status_filter_labels=STATUS_FILTER_LABELS,
        booking_status_labels=BOOKING_STATUS_LABELS,
        today=today_local(),
        book_args=book_args,
        here=request.full_path if request.query_string else request.path,
        format_date=format_date,
    )


@bp.app_template_global()
def upcoming_bookings(company: Company) -> list[Booking]:
    """The company's next holding bookings, for its page in the console."""
    return list(
        db.session.scalars(
            sa.select(Booking)
            .where(
                Booking.company_id == company.id,
                Booking.status.in_(HOLDING_STATUSES),
                Booking.end_at > utcnow(),
            )
            .options(selectinload(Booking.space))
            .order_by(Booking.start_at, Booking.id)
            .limit(UPCOMING_ON_COMPANY_PAGE)
        )
    )
