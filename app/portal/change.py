"""Changing a booking on the web: the booking form pre-filled with the booking, then one call of
the change service; on success back to the booking's page, on a refusal the form again with what
is in the way at the top and the rest beside the fields."""

from datetime import time
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from app.extensions import db
from app.models import Booking, BookingStatus, Space
from app.portal import bp
from app.portal.book import ConflictNote, conflict_lines, space_choices
from app.portal.bookings import booking_when, clock
from app.portal.change_forms import ChangeBookingForm
from app.services import policy
from app.services.booking_changes import BookingChange, change_booking
from app.services.booking_permissions import check_may_change
from app.services.booking_rules import PENDING_OVER_ALLOWANCE, can_see
from app.services.bookings import SeriesRejected
from app.services.errors import Conflict
from app.services.localtime import local_datetime, to_local
from app.sqltypes import utcnow
from app.web import Outcome, current_actor, service_call

# The service's names of what it refuses, as the form calls its fields.
FORM_NAMES = {"space_id": "space_id", "start": "start", "end": "end", "scope": "scope"}


def _changeable(booking_id: int) -> Booking:
    """The booking, 404 when unknown, 403 when another company's."""
    booking = db.get_or_404(Booking, booking_id)
    if not can_see(current_actor(), booking):
        abort(403)
    return booking


def _form(booking: Booking, **kwargs: Any) -> ChangeBookingForm:
    form = ChangeBookingForm(series=booking.series_id is not None, **kwargs)
    form.space_id.choices = space_choices()
    form.keep_times(clock(booking.start_at), clock(booking.end_at))
    return form


def _prefill(booking: Booking) -> dict[str, Any]:
    """The form as the booking stands."""
    return {
        "space_id": booking.space_id,
        "date": to_local(booking.start_at).date(),
        "start": clock(booking.start_at),
        "end": clock(booking.end_at),
        "title": booking.title,
        "attendees": booking.attendees,
        "scope": "this",
    }


def _wanted(form: ChangeBookingForm) -> BookingChange:
    space = db.session.get(Space, form.space_id.data)
    if space is None:
        abort(400)  # only a tampered form names a space that is not in its list
    day = form.date.data
    return BookingChange(
        start=local_datetime(day, time.fromisoformat(form.start.data)),
        end=local_datetime(day, time.fromisoformat(form.end.data)),
        space=space,
        title=(form.title.data or "").strip(),
        attendees=form.attendees.data,
    )


def _refusal(form: ChangeBookingForm, space: Space, call: Outcome) -> dict[str, Any]:
    """What the page says at the top about a refused change (the rest is beside the fields)."""
    error = call.error
    if isinstance(error, SeriesRejected):
        lines = [
            f"{item['start'][:10]} {item['start'][11:16]}–{item['end'][11:16]}: {item['message']}"
            for item in error.details["occurrences"]
        ]
        return {"problems": [call.message, *lines]}
    if isinstance(error, Conflict):
        buffer = policy.limits_for(space.kind).buffer_minutes
        note = ConflictNote(call.message, conflict_lines(error.conflicts, form.date.data), buffer)
        return {"conflict": note}
    return {"problems": call.problems}


def _changed_message(booking: Booking, count: int) -> tuple[str, str]:
    """The flash after a change, and its category."""
    names = {"space": booking.space.code, "when": booking_when(booking)}
    if count > 1:
        message = _("Changed %(count)d bookings of the series.", count=count)
    else:
        message = _("Changed: %(space)s, %(when)s.", **names)
    if booking.status == BookingStatus.PENDING:
        why = (
            _("It goes beyond your company's free meeting-room hours this month.")
            if booking.reason == PENDING_OVER_ALLOWANCE
            else _("This space needs a manager's approval.")
        )
        waits = _("It now waits for a manager's approval.")
        return f"{message} {why} {waits}", "info"
    return message, "ok"


@bp.route("/bookings/<int:booking_id>/change", methods=["GET", "POST"])
@login_required
def change(booking_id: int) -> ResponseReturnValue:
    """Change a booking's time, space, title or people (of a series: this or the following)."""
    actor = current_actor()
    booking = _changeable(booking_id)
    back = url_for("portal.booking", booking_id=booking.id)
    with service_call() as allowed:  # why not, as a message on the booking's page
        check_may_change(actor, booking, utcnow())
    if not allowed.ok:
        return redirect(back)
    if request.method == "GET":
        form = _form(booking, formdata=None, data=_prefill(booking))
        return render_template("portal/change.html", form=form, booking=booking)
    form = _form(booking)
    if not form.validate_on_submit():
        return render_template("portal/change.html", form=form, booking=booking)
    wanted = _wanted(form)
    scope = form.scope.data if "scope" in form else "this"
    with service_call(form, fields=FORM_NAMES, top="page") as call:
        changed = change_booking(actor, booking, wanted, scope or "this")
    if not call.ok:
        refusal = _refusal(form, wanted.space or booking.space, call)
        return render_template("portal/change.html", form=form, booking=booking, **refusal)
    if not changed:
        flash(_("Nothing was changed."), "info")
    else:
        flash(*_changed_message(booking, len(changed)))
    return redirect(back)
