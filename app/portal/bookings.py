"""The company's bookings, one booking, cancelling, checking in and the calendar file.

Routes call one booking service and commit; a domain error rolls back and is shown as a message.
"""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.manage.common import page_args
from app.models import Booking, BookingStatus, Company, Space, User
from app.portal import bp
from app.portal.forms import CancelForm
from app.services import bookings as booking_service
from app.services import policy
from app.services.availability import visible_bookings
from app.services.booking_rules import (
    PENDING_APPROVAL,
    PENDING_OVER_ALLOWANCE,
    can_see,
)
from app.services.errors import DomainError
from app.services.ical import booking_calendar
from app.services.localtime import to_local
from app.sqltypes import utcnow
from app.web import is_safe_next

STATUS_TEXT = {
    BookingStatus.CONFIRMED: _l("Confirmed"),
    BookingStatus.REJECTED: _l("Rejected"),
    BookingStatus.CANCELLED: _l("Cancelled"),
}
PENDING_TEXT = {
    PENDING_APPROVAL: _l("Pending: needs approval"),
    PENDING_OVER_ALLOWANCE: _l("Pending: over the free hours"),
}
# Service errors name these fields; the form shows their message beside the same field.
FORM_FIELDS = {"space_id", "company_id", "start", "end", "title", "attendees"}


def status_text(status: BookingStatus, reason: str = "") -> str:
    """The status as people read it; a pending booking says what it waits for."""
    if status == BookingStatus.PENDING:
        return str(PENDING_TEXT.get(reason, _l("Pending")))
    return str(STATUS_TEXT[status])


def clock(moment: datetime) -> str:
    return to_local(moment).strftime("%H:%M")


def booking_when(booking: Booking) -> str:
    """Local day, weekday and times: 2026-12-01 Tue 10:00–11:00."""
    start = to_local(booking.start_at)
    day = f"{start.date().isoformat()} {format_date(start.date(), 'EEE')}"
    return f"{day} {clock(booking.start_at)}–{clock(booking.end_at)}"


def can_check_in(booking: Booking, now: datetime) -> bool:
    """Whether the check-in button belongs on the page now."""
    return (
        booking.status == BookingStatus.CONFIRMED
        and booking.requires_check_in
        and booking.checked_in_at is None
        and booking.start_at - policy.CHECK_IN_OPENS
        <= now
        <= booking.start_at + policy.NO_SHOW_AFTER
    )


def can_cancel(viewer: User, booking: Booking, now: datetime) -> bool:
    """Tenants cancel until the start; managers while it has not ended."""
    if not booking.holding:
        return False
    return booking.end_at > now if viewer.is_staff else booking.start_at > now


@bp.context_processor
def _booking_helpers() -> dict[str, Any]:
    now = utcnow()
    viewer = current_user
    return {
        "status_text": status_text,
        "booking_when": booking_when,
        "can_check_in": lambda booking: can_check_in(booking, now),
        "can_cancel": lambda booking: can_cancel(viewer, booking, now),
    }


def _actor() -> User:
    user: User = current_user._get_current_object()  # the model, not the proxy
    return user


def _visible_booking(booking_id: int) -> Booking:
    """The booking, 404 when unknown, 403 when it is another company's."""
    booking = db.get_or_404(Booking, booking_id)
    if not can_see(current_user, booking):
        abort(403)
    return booking


# Booking a space.


# The company's bookings and one booking.


def listed_bookings(
    viewer: User,
    now: datetime,
    *,
    past: bool = False,
    status: BookingStatus | None = None,
    space_id: int | None = None,
    company_id: int | None = None,
) -> sa.Select[Any]:
    """Upcoming bookings (not yet ended) by start, or past ones newest first, filtered."""
    query = visible_bookings(viewer, start=None if past else now, space_id=space_id, status=status)
    if past:
        query = query.where(Booking.end_at <= now).order_by(None)
        query = query.order_by(Booking.start_at.desc(), Booking.id.desc())
    if company_id:
        query = query.where(Booking.company_id == company_id)
    return query.options(
        selectinload(Booking.space), selectinload(Booking.user), selectinload(Booking.company)
    )


@bp.route("/bookings")
@login_required
def bookings() -> ResponseReturnValue:
    actor = _actor()
    tab = "past" if request.args.get("tab") == "past" else "upcoming"
    status = request.args.get("status", "")
    filters = {
        "space_id": request.args.get("space_id", type=int),
        "company_id": request.args.get("company_id", type=int) if actor.is_staff else None,
    }
    query = listed_bookings(
        actor,
        utcnow(),
        past=tab == "past",
        status=BookingStatus(status) if status in set(BookingStatus) else None,
        **filters,
    )
    pages = page_args()
    return render_template(
        "portal/bookings.html",
        page=db.paginate(query, page=pages["page"], per_page=pages["per_page"]),
        tab=tab,
        status=status,
        statuses=list(BookingStatus),
        spaces=db.session.scalars(
            sa.select(Space).where(Space.bookable.is_(True)).order_by(Space.code)
        ).all(),
        companies=(
            db.session.scalars(sa.select(Company).order_by(Company.name)).all()
            if actor.is_staff
            else []
        ),
        **filters,
    )


@bp.route("/bookings/<int:booking_id>")
@login_required
def booking(booking_id: int) -> ResponseReturnValue:
    booking = _visible_booking(booking_id)
    series = booking.series.bookings if booking.series else []
    return render_template("portal/booking.html", booking=booking, series=series)


@bp.route("/bookings/<int:booking_id>.ics")
@login_required
def booking_ics(booking_id: int) -> ResponseReturnValue:
    booking = _visible_booking(booking_id)
    space = booking.space
    body = booking_calendar(booking, f"{space.code} {space.display_name(current_user.locale)}")
    return (
        body,
        200,
        {
            "Content-Type": "text/calendar; charset=utf-8",
            "Content-Disposition": f'attachment; filename="booking-{booking.id}.ics"',
        },
    )


def _back(target: str | None, booking: Booking) -> str:
    if is_safe_next(target):
        return target
    return url_for("portal.booking", booking_id=booking.id)


@bp.post("/bookings/<int:booking_id>/cancel")
@login_required
def cancel(booking_id: int) -> ResponseReturnValue:
    booking = _visible_booking(booking_id)
    form = CancelForm()
    back = _back(form.next.data, booking)
    if not form.validate():
        for errors in form.errors.values():
            flash(" ".join(str(error) for error in errors), "error")
        return redirect(back)
    try:
        done = booking_service.cancel(
            _actor(), booking, form.reason.data or "", form.scope.data or "this"
        )
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(back)
    db.session.commit()
    if len(done) > 1:
        flash(
            ngettext("Cancelled %(num)d booking.", "Cancelled %(num)d bookings.", len(done)), "ok"
        )
    else:
        flash(
            _(
                "Cancelled %(space)s, %(when)s.",
                space=booking.space.code,
                when=booking_when(booking),
            ),
            "ok",
        )
    return redirect(back)


@bp.post("/bookings/<int:booking_id>/check-in")
@login_required
def check_in(booking_id: int) -> ResponseReturnValue:
    booking = _visible_booking(booking_id)
    back = _back(request.form.get("next"), booking)
    try:
        booking_service.check_in(_actor(), booking)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(back)
    db.session.commit()
    flash(_("Checked in to %(space)s. Have a good meeting.", space=booking.space.code), "ok")
    return redirect(back)


def today_and_upcoming(viewer: User, now: datetime, limit: int = 5) -> list[Booking]:
    """The next bookings that hold a space (today's first), for the home page."""
    query = visible_bookings(viewer, start=now).where(
        Booking.status.in_((BookingStatus.PENDING, BookingStatus.CONFIRMED))
    )
    return list(db.session.scalars(query.options(selectinload(Booking.space)).limit(limit)))
