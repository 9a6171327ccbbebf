"""Closures: holidays and maintenance, and the bookings they affect."""

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from wtforms import SelectChoice

from app.extensions import db
from app.i18n import select_locale
from app.manage import bp
from app.manage.policy_forms import CancelBookingForm, ClosureForm, YearForm
from app.models import Booking, Closure, Space, Zone
from app.services import bookings as booking_service
from app.services import closures as closure_service
from app.services import workdays
from app.services.localtime import local_datetime
from app.sqltypes import utcnow
from app.web import current_actor, is_safe_next, page_args, service_call, today_local


def _closure_form() -> ClosureForm:
    form = ClosureForm()
    locale = select_locale()
    form.zone_id.choices = [
        SelectChoice(zone.id, f"{zone.code} {zone.display_name(locale)}")
        for zone in db.session.scalars(sa.select(Zone).order_by(Zone.sort_order))
    ]
    form.space_id.choices = [
        SelectChoice(space.id, f"{space.code} {space.display_name(locale)}")
        for space in db.session.scalars(
            sa.select(Space).where(Space.bookable.is_(True)).order_by(Space.code)
        )
    ]
    return form


@bp.route("/closures", methods=["GET", "POST"])
def closures() -> ResponseReturnValue:
    """Closures from today on, and the form to close a zone or a space."""
    form = _closure_form()
    if request.method == "GET":
        form.start_day.data = form.end_day.data = today_local()
    if form.validate_on_submit():
        with service_call(form, fallback="end_day") as call:
            closure = closure_service.add_closure(
                current_actor(),
                start=local_datetime(form.start_day.data, form.start_time.data),
                end=local_datetime(form.end_day.data, form.end_time.data),
                reason=form.reason.data or "",
                zone=db.session.get(Zone, form.zone_id.data) if form.scope.data == "zone" else None,
                space=db.session.get(Space, form.space_id.data)
                if form.scope.data == "space"
                else None,
            )
        if call.ok:
            flash(_("Closed. Check the bookings it affects."), "ok")
            return redirect(url_for("manage.closure", closure_id=closure.id))
    page = db.paginate(
        sa.select(Closure).where(Closure.end_at > utcnow()).order_by(Closure.start_at),
        **page_args(),
    )
    year_form = YearForm(data={"year": today_local().year})
    return render_template(
        "manage/closures.html",
        form=form,
        page=page,
        year_form=year_form,
        calendar_years=workdays.years_to_confirm(today_local()),
    )


@bp.route("/closures/import", methods=["POST"])
def closures_import() -> ResponseReturnValue:
    """Close the halls on a year's statutory holidays."""
    form = YearForm()
    if not form.validate_on_submit():
        return redirect(url_for("manage.closures"))
    with service_call() as call:
        added = closure_service.import_holidays(current_actor(), form.year.data)
    if call.ok:
        flash(_("%(count)d holiday closures added.", count=len(added)), "ok")
        if not workdays.official_known(form.year.data):
            flash(
                _(
                    "The official arrangement of %(year)d is not published in the calendar "
                    "library yet: these closures follow the statutory holidays fixed by law and "
                    "are provisional, and the make-up working days (调休) could not be known. "
                    "Check them on the working calendar when the State Council publishes the "
                    "arrangement.",
                    year=form.year.data,
                ),
                "warning",
            )
    return redirect(url_for("manage.closures"))


@bp.route("/closures/<int:closure_id>")
def closure(closure_id: int) -> ResponseReturnValue:
    """One closure and the bookings it affects, each to cancel with a reason."""
    closure = db.get_or_404(Closure, closure_id)
    return render_template(
        "manage/closure.html",
        closure=closure,
        affected=closure_service.affected_bookings(closure),
        cancel_form=CancelBookingForm(data={"reason": closure.reason}),
    )


@bp.route("/closures/<int:closure_id>/delete", methods=["POST"])
def closure_delete(closure_id: int) -> ResponseReturnValue:
    """Remove a closure: its time can be booked again."""
    closure = db.get_or_404(Closure, closure_id)
    with service_call() as call:
        closure_service.remove_closure(current_actor(), closure)
    if call.ok:
        flash(_("The closure was removed."), "ok")
    return redirect(url_for("manage.closures"))


@bp.route("/bookings/<int:booking_id>/cancel", methods=["POST"])
def booking_cancel(booking_id: int) -> ResponseReturnValue:
    """Cancel a booking with a reason for the company, from the calendar or a closure."""
    booking = db.get_or_404(Booking, booking_id)
    form = CancelBookingForm()
    if form.validate_on_submit():
        with service_call() as call:
            booking_service.cancel(current_actor(), booking, form.reason.data or "")
        if call.ok:
            flash(_("The booking was cancelled and the company told why."), "ok")
    else:
        flash(_("Give a reason for the company."), "error")
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("manage.closures"))
