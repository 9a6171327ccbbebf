"""The approvals queue: pending requests, what deciding them would affect, and the decisions."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.manage import bp
from app.manage.approval_forms import DecisionForm
from app.manage.calendar import when
from app.models import Booking, Company, Space, User
from app.services import bookings as booking_service
from app.services.booking_permissions import decidable
from app.services.booking_rules import (
    PENDING_APPROVAL,
    PENDING_OVER_ALLOWANCE,
    AllowanceStatus,
    allowance_status,
    closure_conflicts,
    hold_interval,
)
from app.services.localtime import local_day_bounds, month_bounds, to_local
from app.sqltypes import utcnow
from app.web import current_actor, is_safe_next, page_args, service_call
from app.web.bounds import parse_id

WHY_LABELS = {
    PENDING_APPROVAL: _l("Needs a manager's approval"),
    PENDING_OVER_ALLOWANCE: _l("Over the company's free hours"),
}


@dataclass
class PendingRequest:
    """A request in the queue and what approving it would touch."""

    booking: Booking
    allowance: AllowanceStatus
    month: date
    closures: list[dict[str, Any]] = field(default_factory=list)
    same_day: list[Booking] = field(default_factory=list)


def _with_relations(query: sa.Select[Any]) -> sa.Select[Any]:
    return query.options(
        selectinload(Booking.space).selectinload(Space.zone),
        selectinload(Booking.space).selectinload(Space.parts),
        selectinload(Booking.company),
        selectinload(Booking.user),
    )


@dataclass(frozen=True)
class QueueFilters:
    """Which requests the queue lists: of a space, of a company, waiting for one reason."""

    space_id: int | None = None
    company_id: int | None = None
    why: str = ""

    @classmethod
    def from_args(cls, args: Any) -> "QueueFilters":
        """The filters of the query string; an unknown reason or id lists everything."""
        why = args.get("why", "")
        return cls(
            space_id=args.get("space_id", type=parse_id),
            company_id=args.get("company_id", type=parse_id),
            why=why if why in WHY_LABELS else "",
        )

    @property
    def active(self) -> bool:
        return bool(self.space_id or self.company_id or self.why)

    def apply(self, query: sa.Select[Any]) -> sa.Select[Any]:
        """``query`` narrowed to the chosen space, company and reason."""
        if self.space_id is not None:
            query = query.where(Booking.space_id == self.space_id)
        if self.company_id is not None:
            query = query.where(Booking.company_id == self.company_id)
        if self.why:
            query = query.where(Booking.reason == self.why)
        return query


def _waiting_counts(column: Any, now: datetime) -> dict[int, int]:
    """How many requests wait, by space or by company (``column``), in one query."""
    rows = db.session.execute(
        sa.select(column, sa.func.count(Booking.id)).where(decidable(now)).group_by(column)
    )
    return {ident: count for ident, count in rows}


def _filter_choices(now: datetime) -> dict[str, list[tuple[Any, int]]]:
    """The spaces and companies that have requests waiting, with how many, for the filters."""
    by_space = _waiting_counts(Booking.space_id, now)
    by_company = _waiting_counts(Booking.company_id, now)
    spaces = db.session.scalars(sa.select(Space).where(Space.id.in_(by_space)).order_by(Space.code))
    companies = db.session.scalars(
        sa.select(Company).where(Company.id.in_(by_company)).order_by(Company.name)
    )
    return {
        "spaces": [(space, by_space[space.id]) for space in spaces],
        "companies": [(company, by_company[company.id]) for company in companies],
    }


def _waiting(now: datetime) -> sa.Select[Any]:
    """The requests a manager may still decide (pending, not begun), soonest first."""
    return _with_relations(
        sa.select(Booking).where(decidable(now)).order_by(Booking.start_at, Booking.id)
    )


def _same_day_pending(items: list[Booking], now: datetime) -> dict[tuple[int, date], list[Booking]]:
    """The waiting requests of the listed companies on the listed days, in one query."""
    if not items:
        return {}
    days = [to_local(booking.start_at).date() for booking in items]
    start, end = local_day_bounds(min(days))[0], local_day_bounds(max(days))[1]
    others = db.session.scalars(
        _waiting(now).where(
            Booking.company_id.in_({booking.company_id for booking in items}),
            Booking.start_at >= start,
            Booking.start_at < end,
        )
    )
    grouped: dict[tuple[int, date], list[Booking]] = defaultdict(list)
    for other in others:
        grouped[(other.company_id, to_local(other.start_at).date())].append(other)
    return grouped


def _queue(items: list[Booking], now: datetime) -> list[PendingRequest]:
    same_day = _same_day_pending(items, now)
    allowances: dict[tuple[int, date], AllowanceStatus] = {}
    queue = []
    for booking in items:
        day = to_local(booking.start_at).date()
        month = month_bounds(day)[0]
        key = (booking.company_id, month)
        if key not in allowances:
            allowances[key] = allowance_status(booking.company, month)
        hold = hold_interval(booking.start_at, booking.end_at, booking.buffer_minutes)
        queue.append(
            PendingRequest(
                booking=booking,
                allowance=allowances[key],
                month=month,
                closures=closure_conflicts(booking.space, *hold),
                same_day=[o for o in same_day[(booking.company_id, day)] if o.id != booking.id],
            )
        )
    return queue


@bp.route("/approvals")
def approvals() -> ResponseReturnValue:
    """The queue of requests waiting for a decision, with what each would affect."""
    now = utcnow()
    filters = QueueFilters.from_args(request.args)
    page = db.paginate(filters.apply(_waiting(now)), **page_args())
    return render_template(
        "manage/approvals.html",
        page=page,
        queue=_queue(list(page.items), now),
        filters=filters,
        **_filter_choices(now),
        why_labels=WHY_LABELS,
        when=when,
        here=request.full_path if request.query_string else request.path,
    )


def _decide(actor: User, booking: Booking, action: str, reason: str) -> bool:
    """Approve or reject one request, committed on its own; say in a flash why it could not be."""
    with service_call(top="page") as call:
        if action == "approve":
            booking_service.approve(actor, booking)
        else:
            booking_service.reject(actor, booking, reason)
    if not call.ok:
        flash(
            _(
                "%(title)s (%(space)s, %(when)s): %(problem)s",
                title=booking.title,
                space=booking.space.code,
                when=when(booking.start_at, booking.end_at),
                problem=call.message,
            ),
            "error",
        )
    return call.ok


@bp.route("/approvals", methods=["POST"])
def approvals_decide() -> ResponseReturnValue:
    """Approve, or reject with a reason, one request or several selected at once."""
    form = DecisionForm()
    target = request.form.get("next")
    back = target if is_safe_next(target) else url_for("manage.approvals")
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(back)
    ids = list(dict.fromkeys(form.booking_id.data))
    found = {
        booking.id: booking
        for booking in db.session.scalars(
            _with_relations(sa.select(Booking)).where(Booking.id.in_(ids))
        )
    }
    done = 0
    for booking_id in ids:
        booking = found.get(booking_id)
        if booking is None:
            flash(_("This booking has already been decided or cancelled."), "error")
        elif _decide(current_actor(), booking, form.action.data, form.reason.data or ""):
            done += 1
    approved, rejected = (done, 0) if form.action.data == "approve" else (0, done)
    flash(
        _("%(approved)d approved, %(rejected)d rejected.", approved=approved, rejected=rejected),
        "ok" if done else "info",
    )
    return redirect(back)
