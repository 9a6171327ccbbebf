"""The day timeline of a zone's rooms and the week of one room: free, booked, closed, past.

A day is cut into 30-minute cells from the zone's opening to its closing time. Each cell is
free (a link to the booking form), booked, closed, set-up time (a hall's buffer) or past;
consecutive cells of the same kind become one period, except free cells, each its own link.
Everything comes from ``day_plans``, so a page costs the same queries for 2 rooms or 20.
"""

import functools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple

import sqlalchemy as sa
from flask import abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import login_required

from app.extensions import db
from app.i18n import select_locale
from app.models import Booking, BookingStatus, Company, Space, SpaceKind, User, Zone
from app.portal import bp
from app.services import reference
from app.services.availability import DayPlan, day_plans
from app.services.booking_rules import can_see, last_bookable_day
from app.services.localtime import (
    local_datetime,
    local_zone,
    to_local,
    week_start,
)
from app.services.workdays import holiday_name, is_working_day
from app.sqltypes import utcnow
from app.web import current_actor
from app.web.bounds import parse_day

CELL = timedelta(minutes=30)
BOOKING_LENGTH = timedelta(hours=1)  # what a tap on a free cell proposes


class Cell(NamedTuple):
    """A cell's bounds in UTC and local time, and the texts its link needs, worked out once."""

    start: datetime
    end: datetime
    local_start: datetime
    date: str  # the local day, 2026-09-08
    starts: str  # 10:00
    ends: str  # 10:30
    hour_ends: str  # the end of an hour from the start: 11:00


@dataclass
class Period:
    """Consecutive cells of one kind: ``state`` is free, booked, pending, closed, setup or past."""

    state: str
    starts: str  # the local clock times, 10:00
    ends: str
    label: str
    key: object = None  # what the cells share (a booking, a closure) so that they merge
    detail: str = ""  # the company, for managers
    url: str | None = None
    aria_label: str = ""
    cells: int = 1
    own: bool = False  # the viewer's company's booking

    @classmethod
    def of(cls, cell: "Cell", state: str, label: str, key: object = None, **more: Any) -> "Period":
        """A period of one cell."""
        return cls(state, cell.starts, cell.ends, label, key, **more)

    @property
    def when(self) -> str:
        return f"{self.starts}–{self.ends}"

    @property
    def title(self) -> str:
        """What a pointer's hover shows: the free cell's link text, else when and what."""
        if self.aria_label:
            return self.aria_label
        return f"{self.when} {self.label}" + (f" · {self.detail}" if self.detail else "")


@dataclass
class Row:
    """One room on one day (the day timeline) or one day of a room (the week)."""

    space: Space
    day: date
    periods: list[Period]
    closed_note: str = ""  # why the room is closed all day, if it is


def cell_bounds_between(start: datetime, closes: datetime) -> list[tuple[datetime, datetime]]:
    """30-minute cells from ``start`` to ``closes``, the last one cut short at ``closes``."""
    cells = []
    while start < closes:
        cells.append((start, min(start + CELL, closes)))
        start += CELL
    return cells


@functools.lru_cache(maxsize=256)
def _cells_of(opens: time, closes: time, day: date, zone_name: str) -> tuple[Cell, ...]:
    bounds = cell_bounds_between(local_datetime(day, opens), local_datetime(day, closes))
    return tuple(
        Cell(
            start,
            end,
            to_local(start),
            to_local(start).date().isoformat(),
            f"{to_local(start):%H:%M}",
            f"{to_local(end):%H:%M}",
            f"{to_local(start + BOOKING_LENGTH):%H:%M}",
        )
        for start, end in bounds
    )


def _local_cells(zone: Zone, day: date) -> tuple[Cell, ...]:
    """The day's 30-minute cells from the zone's opening to its closing time, worked out once
    for every room of a zone and day."""
    return _cells_of(zone.opens_at, zone.closes_at, day, str(local_zone()))


def closed_day_note(zone: Zone, day: date) -> str:
    """Why the zone is closed all day (a holiday, a weekend), or "" when it opens."""
    if not zone.working_days_only or is_working_day(day):
        return ""
    holiday = holiday_name(day)
    if holiday:
        return _(
            "%(zone)s is closed on %(day)s: %(holiday)s.",
            zone=zone.display_name(select_locale()),
            day=day.isoformat(),
            holiday=holiday,
        )
    return _(
        "%(zone)s is closed on %(day)s: it opens on working days only.",
        zone=zone.display_name(select_locale()),
        day=day.isoformat(),
    )


@dataclass
class _Viewer:
    """What the signed-in person may see and book, worked out once per page."""

    user: User
    companies: dict[int, str]  # names of the bookings' companies, for managers
    book_until: dict[SpaceKind, date]  # the last day a tenant may book, per kind
    # Texts and the booking form's address, translated and built once rather than per cell.
    booked: str = ""
    past: str = ""
    too_short: str = ""
    setup: str = ""
    free: str = ""
    not_yet: str = ""
    free_aria: str = ""
    book_url: str = ""

    def __post_init__(self) -> None:
        self.booked = _("Booked")
        self.past = _("Past")
        self.too_short = _("Too short to book")
        self.setup = _("Set-up time")
        self.free = _("Free")
        self.not_yet = _("Free, not yet bookable")
        # Without variables gettext leaves the placeholders for the % below.
        self.free_aria = _("%(space)s %(start)s–%(end)s free, book")
        self.book_url = url_for("portal.book")

    def booking_text(self, booking: Booking) -> tuple[str, str]:
        if not can_see(self.user, booking):
            return self.booked, ""
        return booking.title, self.companies.get(booking.company_id, "")


def _viewer(user: User, plans: list[DayPlan], today: date) -> _Viewer:
    """Company names (managers see them) in one query; how far ahead tenants may book."""
    companies: dict[int, str] = {}
    if user.is_staff:
        ids = {b.company_id for plan in plans for b in plan.bookings}
        if ids:
            rows = db.session.execute(
                sa.select(Company.id, Company.name).where(Company.id.in_(ids))
            )
            companies = {company_id: name for company_id, name in rows}
    book_until = {
        kind: last_day
        for kind in {plan.space.kind for plan in plans}
        if (last_day := last_bookable_day(user, kind, today)) is not None
    }
    return _Viewer(user, companies, book_until)


def _cell(plan: DayPlan, cell: Cell, now: datetime, viewer: _Viewer, closed: str) -> Period:
    """What one cell shows; ``closed`` names a closing that no closure explains (a holiday)."""
    start, end = cell.start, cell.end
    for booking_start, booking_end, booking in plan.spans:
        if booking_start < end and start < booking_end:
            label, detail = viewer.booking_text(booking)
            state = "pending" if booking.status == BookingStatus.PENDING else "booked"
            own = booking.company_id == viewer.user.company_id
            return Period.of(cell, state, label, booking.id, detail=detail, own=own)
    if not any(low <= start and end <= high for low, high in plan.open):
        for closure in plan.closures:
            if closure.start_at < end and start < closure.end_at:
                return Period.of(cell, "closed", closure.reason, closure.id)
        return Period.of(cell, "closed", closed)
    if start < now:
        return Period.of(cell, "past", viewer.past)
    if end - start < CELL:
        return Period.of(cell, "closed", viewer.too_short)
    if not plan.is_free(start, start + CELL):
        # Open and unbooked, yet too near a booking: a hall's set-up and clearing time.
        return Period.of(cell, "setup", viewer.setup)
    space = plan.space
    limit = viewer.book_until.get(space.kind)
    if limit is not None and cell.local_start.date() > limit:
        return Period.of(cell, "free", viewer.not_yet)
    ends = cell.hour_ends if plan.is_free(start, start + BOOKING_LENGTH) else cell.ends
    # What url_for("portal.book", …) builds, without building the route for every cell.
    url = f"{viewer.book_url}?space_id={space.id}&date={cell.date}&start={cell.starts}&end={ends}"
    aria = viewer.free_aria % {"space": space.code, "start": cell.starts, "end": cell.ends}
    return Period.of(cell, "free", viewer.free, url=url, aria_label=aria)


def build_row(plan: DayPlan, day: date, now: datetime, viewer: _Viewer) -> Row:
    """The periods of one plan: cells of one kind merged, free cells (links) kept apart."""
    note = closed_day_note(plan.space.zone, day)
    closed = (holiday_name(day) or _("Not a working day")) if note else _("Closed")
    periods: list[Period] = []
    for bounds in _local_cells(plan.space.zone, day):
        cell = _cell(plan, bounds, now, viewer, closed)
        last = periods[-1] if periods else None
        if (
            last is not None
            and cell.url is None
            and last.url is None
            and (last.state, last.key, last.label) == (cell.state, cell.key, cell.label)
        ):
            last.ends = cell.ends
            last.cells += 1
        else:
            periods.append(cell)
    return Row(plan.space, day, periods, note)


def _day_arg(name: str, default: date) -> date:
    try:
        return parse_day(request.args.get(name, ""))
    except ValueError:
        return default


@bp.route("/timeline")
@login_required
def timeline() -> ResponseReturnValue:
    """A zone's rooms on one day, in 30-minute cells; free ones link to the booking form."""
    now = utcnow()
    today = to_local(now).date()
    day = _day_arg("date", today)
    held = reference.current()
    zones = held.bookable_zones()
    code = request.args.get("zone", "").strip().upper()
    zone = next((z for z in zones if z.code == code), None) if code else next(iter(zones), None)
    if code and zone is None:
        abort(404)
    rows: list[Row] = []
    times: list[datetime] = []
    if zone is not None:
        plans = day_plans([s for s in held.bookable if s.zone_id == zone.id], day, now)
        viewer = _viewer(current_actor(), plans, today)
        rows = [build_row(plan, day, now, viewer) for plan in plans]
        times = [cell.local_start for cell in _local_cells(zone, day)]
    return render_template(
        "portal/timeline.html",
        zones=zones,
        zone=zone,
        day=day,
        today=today,
        rows=rows,
        times=times,
        closed_note=closed_day_note(zone, day) if zone else "",
        day_title=format_date(day, "full"),
        make_up_day=day.weekday() >= 5 and is_working_day(day),
        week_start=week_start(day),
        one_day=timedelta(days=1),
    )


@bp.route("/spaces/<int:space_id>/week")
@login_required
def week(space_id: int) -> ResponseReturnValue:
    """One room's week, day by day."""
    space = reference.current().bookable_space(space_id)
    if space is None:
        abort(404)
    now = utcnow()
    today = to_local(now).date()
    start = week_start(_day_arg("start", today))
    days = [start + timedelta(days=n) for n in range(7)]
    plans = [day_plans([space], day, now)[0] for day in days]
    viewer = _viewer(current_actor(), plans, today)
    rows = [build_row(plan, day, now, viewer) for plan, day in zip(plans, days, strict=True)]
    return render_template(
        "portal/week.html",
        space=space,
        rows=rows,
        start=start,
        today=today,
        day_titles={day: format_date(day, "EEEE M/d") for day in days},
        week=timedelta(days=7),
    )
