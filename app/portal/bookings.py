"""The company's bookings, one booking, cancelling, checking in and the calendar file.

Routes call one booking service through ``service_call``: it commits, or rolls back and shows
the service's refusal as a message. Which buttons a booking shows is the service's
``may_cancel`` and ``may_check_in``.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.util import ClauseAdapter

from app.extensions import db
from app.models import HOLDING_STATUSES, Booking, BookingStatus, Company, User
from app.portal import bp
from app.portal.forms import CancelForm
from app.services import bookings as booking_service
from app.services import reference
from app.services.availability import visible_bookings
from app.services.booking_permissions import check_in_minutes
from app.services.booking_rules import (
    PENDING_APPROVAL,
    PENDING_OVER_ALLOWANCE,
    can_see,
)
from app.services.ical import booking_calendar
from app.services.localtime import to_local
from app.sqltypes import utcnow
from app.web import BOOKING_STATUS_LABELS, current_actor, is_safe_next, page_args, service_call
from app.web.bounds import parse_id
from app.web.paging import stretch

PENDING_TEXT = {
    PENDING_APPROVAL: _l("Pending: needs approval"),
    PENDING_OVER_ALLOWANCE: _l("Pending: over the free hours"),
}


def status_text(status: BookingStatus, reason: str = "") -> str:
    """The status as people read it; a pending booking says what it waits for."""
    if status == BookingStatus.PENDING:
        return str(PENDING_TEXT.get(reason, BOOKING_STATUS_LABELS[status]))
    return str(BOOKING_STATUS_LABELS[status])


def clock(moment: datetime) -> str:
    """Local clock time, 10:00."""
    return to_local(moment).strftime("%H:%M")


def booking_when(booking: Booking) -> str:
    """Local day, weekday and times: 2026-12-01 Tue 10:00–11:00."""
    start = to_local(booking.start_at)
    day = f"{start.date().isoformat()} {format_date(start.date(), 'EEE')}"
    return f"{day} {clock(booking.start_at)}–{clock(booking.end_at)}"


@bp.context_processor
def _booking_helpers() -> dict[str, Any]:
    before, after = check_in_minutes()
    return {
        "status_text": status_text,
        "booking_when": booking_when,
        "coming_dates": lambda booking: coming_dates(booking, utcnow()),
        "check_in_minutes": {"before": before, "after": after},
    }


def _visible_booking(booking_id: int) -> Booking:
    """The booking, 404 when unknown, 403 when it is another company's."""
    booking = db.get_or_404(Booking, booking_id)
    if not can_see(current_actor(), booking):
        abort(403)
    return booking


def listed_bookings(
    viewer: User,
    now: datetime,
    *,
    past: bool = False,
    status: BookingStatus | None = None,
    space_id: int | None = None,
    company_id: int | None = None,
) -> sa.Select[Any]:
    """Upcoming bookings that still hold their slot, by start; or the past, cancelled and
    declined ones, newest first; filtered."""
    query = visible_bookings(viewer, start=None if past else now, space_id=space_id, status=status)
    if past:
        query = query.where(
            sa.or_(Booking.end_at <= now, Booking.status.not_in(HOLDING_STATUSES))
        ).order_by(None)
        query = query.order_by(Booking.start_at.desc(), Booking.id.desc())
    else:
        query = query.where(Booking.status.in_(HOLDING_STATUSES))
    if company_id:
        query = query.where(Booking.company_id == company_id)
    return query.options(
        selectinload(Booking.space), selectinload(Booking.user), selectinload(Booking.company)
    )


# The other occurrence of a series, aliased once: an alias made per list builds its columns anew.
_OTHER_OCCURRENCE = sa.orm.aliased(Booking, name="other_occurrence")


def one_per_series(query: sa.Select[Any], descending: bool = False) -> sa.Select[Any]:
    """``query`` with one row per series (its first occurrence in the list's order) and every
    booking outside a series: a weekly series is one card, whose dates ``series_dates`` reads.

    "No earlier occurrence of the series that the list shows": the list's own filters applied
    to the other occurrence, so a page is still read along the index in start order.
    """
    other = _OTHER_OCCURRENCE
    shown = [other.series_id == Booking.series_id]
    if query.whereclause is not None:
        shown.append(ClauseAdapter(sa.inspect(other).selectable).traverse(query.whereclause))
    if descending:
        before = sa.tuple_(other.start_at, other.id) > sa.tuple_(Booking.start_at, Booking.id)
    else:
        before = sa.tuple_(other.start_at, other.id) < sa.tuple_(Booking.start_at, Booking.id)
    earlier = sa.exists().where(*shown, before)
    return query.where(sa.or_(Booking.series_id.is_(None), ~earlier))


def series_dates(query: sa.Select[Any], shown: Sequence[Booking]) -> dict[int, list[Booking]]:
    """The occurrences ``query`` lists of the series of the ``shown`` bookings, by series."""
    ids = {booking.series_id for booking in shown if booking.series_id is not None}
    found: dict[int, list[Booking]] = {}
    if ids:
        rows = db.session.scalars(
            query.where(Booking.series_id.in_(ids))
            .order_by(None)
            .order_by(Booking.start_at, Booking.id)
        )
        for booking in rows:
            found.setdefault(booking.series_id or 0, []).append(booking)
    return found


@bp.route("/bookings")
@login_required
def bookings() -> ResponseReturnValue:
    """The bookings the user may see, upcoming or past and cancelled, filtered and paged; a
    series is one card with its dates."""
    actor = current_actor()
    tab = "past" if request.args.get("tab") == "past" else "upcoming"
    status = request.args.get("status", "")
    filters = {
        "space_id": request.args.get("space_id", type=parse_id),
        "company_id": request.args.get("company_id", type=parse_id) if actor.is_staff else None,
    }
    query = listed_bookings(
        actor,
        utcnow(),
        past=tab == "past",
        status=BookingStatus(status) if status in set(BookingStatus) else None,
        **filters,
    )
    pages = page_args()
    cards = one_per_series(query, descending=tab == "past")
    # Not counted: the past tab's count would read every booking ever made (94 ms at a
    # million); "next" is read from one row past the page.
    page = stretch(cards, pages["page"], pages["per_page"])
    return render_template(
        "portal/bookings.html",
        page=page,
        series_dates=series_dates(query, page.items),
        tab=tab,
        status=status,
        statuses=[s for s in BookingStatus if tab == "past" or s in HOLDING_STATUSES],
        spaces=sorted(
            (space for space in reference.current().spaces.values() if space.bookable),
            key=lambda space: space.code,
        ),
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
    """One booking, with the other dates of its series."""
    booking = _visible_booking(booking_id)
    series = booking.series.bookings if booking.series else []
    return render_template("portal/booking.html", booking=booking, series=series)


@bp.route("/bookings/<int:booking_id>.ics")
@login_required
def booking_ics(booking_id: int) -> ResponseReturnValue:
    """One booking as a calendar file."""
    booking = _visible_booking(booking_id)
    space = booking.space
    body = booking_calendar(booking, f"{space.code} {space.display_name(current_actor().locale)}")
    return (
        body,
        200,
        {
            "Content-Type": "text/calendar; charset=utf-8",
            "Content-Disposition": f'attachment; filename="booking-{booking.id}.ics"',
        },
    )


def _back(target: str | None, booking: Booking) -> str:
    """Where to go after an action: the page it came from, else the booking."""
    if is_safe_next(target):
        return target
    return url_for("portal.booking", booking_id=booking.id)


@bp.post("/bookings/<int:booking_id>/cancel")
@login_required
def cancel(booking_id: int) -> ResponseReturnValue:
    """Cancel a booking, or it and the following ones of its series."""
    booking = _visible_booking(booking_id)
    form = CancelForm()
    back = _back(form.next.data, booking)
    if not form.validate():
        for errors in form.errors.values():
            flash(" ".join(str(error) for error in errors), "error")
        return redirect(back)
    with service_call() as call:
        done = booking_service.cancel(
            current_actor(), booking, form.reason.data or "", form.scope.data or "this"
        )
    if not call.ok:
        return redirect(back)
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
    """Check in to a booking that asks for it, within its window."""
    booking = _visible_booking(booking_id)
    back = _back(request.form.get("next"), booking)
    with service_call() as call:
        booking_service.check_in(current_actor(), booking)
    if call.ok:
        flash(_("Checked in to %(space)s. Have a good meeting.", space=booking.space.code), "ok")
    return redirect(back)


def today_and_upcoming(viewer: User, now: datetime, limit: int = 5) -> list[Booking]:
    """The next bookings that hold a space (today's first), for the home page; a series
    once, by its next occurrence."""
    query = visible_bookings(viewer, start=now).where(Booking.status.in_(HOLDING_STATUSES))
    query = one_per_series(query).options(selectinload(Booking.space))
    return list(db.session.scalars(query.limit(limit)))


def coming_dates(booking: Booking, now: datetime) -> list[Booking]:
    """The occurrences of ``booking``'s series that still hold their slot and have not ended."""
    if booking.series is None:
        return [booking]
    return [other for other in booking.series.bookings if other.holding and other.end_at > now]
