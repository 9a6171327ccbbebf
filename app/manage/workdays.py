"""The working calendar: a year as month grids; managers declare make-up days and days off."""

from calendar import Calendar
from datetime import date, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.manage import bp
from app.manage.policy_forms import CancelBookingForm, WorkDayForm
from app.models import DaySource
from app.services import closures, workdays
from app.services.workdays import FIRST_YEAR, LAST_YEAR, DayKind, WorkDay
from app.web import current_actor, service_call, today_local

Week = list[WorkDay | None]  # None: a day of the neighbouring month
DAY_KIND_LABELS = {
    DayKind.WORKDAY: _l("Working day"),
    DayKind.WEEKEND: _l("Weekend"),
    DayKind.HOLIDAY: _l("Holiday"),
    DayKind.MAKEUP: _l("Make-up working day"),
}
SOURCE_LABELS = {
    DaySource.OFFICIAL: _l("The State Council's published arrangement"),
    DaySource.LAW: _l("The statutory holidays fixed by law (the arrangement is not published yet)"),
    DaySource.MANAGER: _l("Declared by a manager"),
}
MONDAY = date(2024, 1, 1)


def _labels() -> dict[str, object]:
    """What both calendar pages show of a day."""
    return {"kind_labels_day": DAY_KIND_LABELS, "source_labels": SOURCE_LABELS}


def _year() -> int:
    year = request.args.get("year", today_local().year, type=int)
    return min(max(year, FIRST_YEAR), LAST_YEAR)


def _parse_day(text: str) -> date | None:
    """A date of the URL within the years the calendar knows, else None."""
    try:
        found = date.fromisoformat(text)
    except ValueError:
        return None
    return found if FIRST_YEAR <= found.year <= LAST_YEAR else None


def _month_grids(year: int) -> list[tuple[str, list[Week]]]:
    """Each month of ``year`` as weeks from Monday, every day with what the calendar says."""
    days = {day.day: day for day in workdays.days_between(date(year, 1, 1), date(year, 12, 31))}
    weeks = Calendar().monthdatescalendar
    return [
        (
            format_date(date(year, month, 1), "MMMM"),
            [
                [days.get(d) if d.month == month else None for d in week]
                for week in weeks(year, month)
            ],
        )
        for month in range(1, 13)
    ]


@bp.route("/working-calendar", methods=["GET", "POST"])
def working_calendar() -> ResponseReturnValue:
    """A year of the working calendar and the form to declare a day."""
    form = WorkDayForm()
    if form.validate_on_submit():
        with service_call(form, fallback="day") as call:
            workdays.set_day(
                current_actor(),
                form.day.data,
                working=form.working.data == "1",
                name=form.name.data or "",
                provisional=form.provisional.data,
            )
        if call.ok:
            flash(_("Saved. Check the bookings this day affects."), "ok")
            return redirect(url_for("manage.working_day", day=form.day.data.isoformat()))
    year = form.day.data.year if form.day.data else _year()
    return render_template(
        "manage/working_calendar.html",
        form=form,
        year=year,
        months=_month_grids(year),
        declared=workdays.declared_days(year),
        status=workdays.year_status(year),
        first_year=FIRST_YEAR,
        last_year=LAST_YEAR,
        weekdays=[format_date(MONDAY + timedelta(days=n), "EEEEE") for n in range(7)],
        **_labels(),
    )


@bp.route("/working-calendar/<day>")
def working_day(day: str) -> ResponseReturnValue:
    """One day: what the calendar says and why, the form to change it, the bookings it affects."""
    found = _parse_day(day)
    if found is None:
        return redirect(url_for("manage.working_calendar"))
    info = workdays.day_info(found)
    # A declared day opens with what was declared; any other with the change a manager comes
    # to make: a working day off, a day off working.
    declared = info.source == DaySource.MANAGER
    form = WorkDayForm(
        data={
            "day": found,
            "working": "1" if info.working == declared else "0",
            "name": info.name if declared else "",
            "provisional": info.provisional if declared else False,
        }
    )
    return render_template(
        "manage/working_day.html",
        info=info,
        form=form,
        affected=closures.day_off_bookings(found),
        cancel_form=CancelBookingForm(data={"reason": info.name}),
        weekday=format_date(found, "EEEE"),
        **_labels(),
    )


@bp.route("/working-calendar/<day>/withdraw", methods=["POST"])
def working_day_withdraw(day: str) -> ResponseReturnValue:
    """Withdraw a manager's declaration: the day follows the published calendar again."""
    found = _parse_day(day)
    if found is None:
        return redirect(url_for("manage.working_calendar"))
    with service_call() as call:
        workdays.clear_day(current_actor(), found)
    if call.ok:
        flash(_("The day follows the official calendar again."), "ok")
    return redirect(url_for("manage.working_day", day=found.isoformat()))
