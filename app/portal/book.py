"""The booking form: book a space once or repeating, with a preview of every date.

The route parses the form and calls one booking service through ``service_call``: it commits, or
rolls back and puts the error beside the field it names, with everything the user typed still in
the form; a conflict or a refused series is explained at the top with what is in the way.
"""

import contextlib
import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_login import login_required
from wtforms import SelectChoice

from app.extensions import db
from app.models import Booking, BookingStatus, Company, Space, User
from app.portal import bp
from app.portal.bookings import booking_when, clock, status_text
from app.portal.forms import TIMES, BookingForm
from app.services import bookings as booking_service
from app.services import policy, reference
from app.services.availability import ceil_to_grid
from app.services.booking_rules import (
    PENDING_OVER_ALLOWANCE,
    BookingRequest,
)
from app.services.errors import Conflict
from app.services.localtime import local_datetime, to_local
from app.services.recurrence import Recurrence
from app.services.workdays import holiday_name
from app.sqltypes import utcnow
from app.web import Outcome, company_choices, current_actor, service_call
from app.web.bounds import parse_day, parse_id
from app.web.pickers import space_search

# The service names the repeat rule "recurrence"; the form asks for it in "repeat".
FORM_NAMES = {"recurrence": "repeat"}
SKIP_FAILING = "book-skipping"  # the action: skip every date that cannot be booked, book the rest


def space_choices() -> list[SelectChoice]:
    """Bookable spaces grouped by zone, with their capacity and whether they need approval."""
    locale = str(get_locale() or "zh_CN")
    spaces = reference.current().bookable
    choices = [SelectChoice("", _("— Choose a space —"))]
    for space in spaces:
        label = _(
            "%(code)s %(name)s · up to %(count)d people",
            code=space.code,
            name=space.display_name(locale),
            count=space.capacity,
        )
        if space.requires_approval:
            label = _("%(space)s · needs approval", space=label)
        choices.append(
            SelectChoice(
                space.id,
                label,
                optgroup=f"{space.zone.code} {space.zone.display_name(locale)}",
                render_kw=space_search(space),
            )
        )
    return choices


def default_slot(now: datetime) -> tuple[date, str, str]:
    """The next quarter-hour from now within 08:00–21:00 (else tomorrow 09:00), one hour long."""
    local_now = to_local(now)
    next_start = to_local(ceil_to_grid(now))
    minutes = (next_start.date() - local_now.date()).days * 24 * 60
    start = max(8 * 60, minutes + next_start.hour * 60 + next_start.minute)
    if start > 21 * 60:
        return local_now.date() + timedelta(days=1), "09:00", "10:00"
    return (
        local_now.date(),
        f"{start // 60:02d}:{start % 60:02d}",
        f"{start // 60 + 1:02d}:{start % 60:02d}",
    )


def _prefill(staff: bool) -> dict[str, Any]:
    """Form values from the query string (?space_id=&date=&start=&end=&company_id=)."""
    day, start, end = default_slot(utcnow())
    data: dict[str, Any] = {
        "request_key": uuid.uuid4().hex,
        "space_id": request.args.get("space_id", type=parse_id),
        "date": day,
        "start": start,
        "end": end,
    }
    with contextlib.suppress(ValueError):
        data["date"] = parse_day(request.args.get("date", ""))
    for name in ("start", "end"):
        if request.args.get(name) in TIMES:
            data[name] = request.args[name]
    if staff:
        data["company_id"] = request.args.get("company_id", type=parse_id)
    return data


def _booking_form(staff: bool, **kwargs: Any) -> BookingForm:
    form = BookingForm(staff=staff, **kwargs)
    form.space_id.choices = space_choices()
    if staff:
        form.company_id.choices = company_choices()
    return form


def _booking_request(form: BookingForm, actor: User) -> BookingRequest:
    """What the form asks for, as the booking service takes it."""
    space = db.session.get(Space, form.space_id.data)
    company = (
        db.session.get(Company, form.company_id.data) if "company_id" in form else actor.company
    )
    if space is None or company is None:
        abort(400)  # only a tampered form names a space or company that is not in its lists
    day = form.date.data
    recurrence = None
    if form.repeats:
        freq, weekdays = form.recurrence_rule
        recurrence = Recurrence(
            freq=freq,
            interval=form.interval.data or 1,
            count=form.count.data,
            until=form.until.data,
            weekdays=weekdays,
            exclude=frozenset(form.exclude.data or []),
        )
    return BookingRequest(
        space=space,
        company=company,
        start=local_datetime(day, time.fromisoformat(form.start.data)),
        end=local_datetime(day, time.fromisoformat(form.end.data)),
        title=(form.title.data or "").strip(),
        attendees=form.attendees.data or 0,
        recurrence=recurrence,
        request_key=(form.request_key.data or "")[:64] or None,
    )


def _span(start: datetime, end: datetime, day: date) -> str:
    if start.date() == end.date() == day:
        return f"{start:%H:%M}–{end:%H:%M}"
    if start.date() == end.date():
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
    return f"{start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M}"


def conflict_lines(conflicts: list[dict[str, Any]], day: date) -> list[str]:
    """What is in the way, as people read it: "booked 10:00–11:00", "closed …: reason"."""
    lines = []
    for item in conflicts:
        start, end = datetime.fromisoformat(item["start"]), datetime.fromisoformat(item["end"])
        span = _span(to_local(start), to_local(end), day)
        if item.get("kind") == "closure":
            lines.append(_("closed %(span)s: %(reason)s", span=span, reason=item.get("reason")))
        else:
            lines.append(_("booked %(span)s", span=span))
    return lines


@dataclass
class ConflictNote:
    message: str
    lines: list[str]
    buffer_minutes: int


@dataclass
class PreviewRow:
    day: date
    weekday: str
    start: str
    end: str
    status: str
    problem: str = ""
    details: list[str] = field(default_factory=list)
    skipped: bool = False
    day_off: str | None = None  # the holiday, when the working calendar has the day off


def _preview(actor: User, wanted: BookingRequest, skipped: set[date]) -> list[PreviewRow]:
    """Every date of the request (skipped ones included, so they can be taken back)."""
    if wanted.recurrence is not None:
        wanted = replace(wanted, recurrence=replace(wanted.recurrence, exclude=frozenset()))
    items = booking_service.preview(actor, wanted)
    db.session.rollback()  # a preview books nothing, not even the release of a stale hold
    rows = []
    for item in items:
        day = to_local(item["start"]).date()
        failure = item["failure"] or {}
        rows.append(
            PreviewRow(
                day=day,
                weekday=format_date(day, "EEE"),
                start=clock(item["start"]),
                end=clock(item["end"]),
                status=status_text(item["status"], item["reason"]),
                problem=str(failure.get("message", "")),
                details=conflict_lines(failure.get("conflicts", []), day),
                skipped=day in skipped,
                day_off=holiday_name(day),
            )
        )
    return rows


def _skipping_failing_dates(
    actor: User, form: BookingForm, wanted: BookingRequest
) -> BookingRequest:
    """The request without the dates its preview shows failing; the form skips them too.

    The series is still booked all or nothing: a date that fails between this preview and the
    booking refuses the whole series, and the page shows the dates again.
    """
    if wanted.recurrence is None:
        return wanted
    items = booking_service.preview(actor, wanted)
    db.session.rollback()  # a preview books nothing
    failing = {to_local(item["start"]).date() for item in items if item["failure"]}
    skipped = wanted.recurrence.exclude | failing
    form.exclude.data = sorted(skipped)
    return replace(wanted, recurrence=replace(wanted.recurrence, exclude=skipped))


def _booked_message(made: list[Booking]) -> tuple[str, str]:
    """The flash after booking, and its category."""
    first = made[0]
    pending = [booking for booking in made if booking.status == BookingStatus.PENDING]
    if len(made) > 1:
        message = _(
            "Booked %(count)d dates of %(space)s: %(confirmed)d confirmed, "
            "%(pending)d waiting for a manager's approval.",
            count=len(made),
            space=first.space.code,
            confirmed=len(made) - len(pending),
            pending=len(pending),
        )
        return message, "info" if pending else "ok"
    names = {"space": first.space.code, "when": booking_when(first)}
    if not pending:
        return _("Booked %(space)s, %(when)s. It is confirmed.", **names), "ok"
    if first.reason == PENDING_OVER_ALLOWANCE:
        return _(
            "Requested %(space)s, %(when)s. It goes beyond your company's free meeting-room "
            "hours this month, so it waits for a manager's approval.",
            **names,
        ), "info"
    return _(
        "Requested %(space)s, %(when)s. It waits for a manager's approval; this page shows "
        "the decision.",
        **names,
    ), "info"


def _failure(
    actor: User, form: BookingForm, wanted: BookingRequest, call: Outcome
) -> dict[str, Any]:
    """What the form shows at the top about a refused request (the rest is beside the fields)."""
    if isinstance(call.error, booking_service.SeriesRejected):
        skip_hint = _("Skip them all with one tap, or tick “skip this date” for some of them.")
        preview = _preview(actor, wanted, set(form.exclude.data))
        return {"problems": [call.message, skip_hint], "preview": preview}
    if isinstance(call.error, Conflict):
        buffer = policy.limits_for(wanted.space.kind).buffer_minutes
        lines = conflict_lines(call.error.conflicts, form.date.data)
        return {"conflict": ConflictNote(call.message, lines, buffer)}
    return {"problems": call.problems}


@bp.route("/book", methods=["GET", "POST"])
@login_required
def book() -> ResponseReturnValue:
    """The booking form: preview the dates of a series, or book them."""
    actor = current_actor()
    if request.method == "GET":
        form = _booking_form(actor.is_staff, formdata=None, data=_prefill(actor.is_staff))
        return render_template("portal/book.html", form=form)
    form = _booking_form(actor.is_staff)
    form.request_key.data = form.request_key.data or uuid.uuid4().hex
    if not form.validate_on_submit():
        return render_template("portal/book.html", form=form)
    wanted = _booking_request(form, actor)
    action = request.form.get("action")
    previewing = action == "preview"
    with service_call(form, fields=FORM_NAMES, top="page") as call:
        if previewing:
            preview = _preview(actor, wanted, set(form.exclude.data))
        else:
            if action == SKIP_FAILING:
                wanted = _skipping_failing_dates(actor, form, wanted)
            made = booking_service.create_bookings(actor, wanted)
    if not call.ok:
        failure = _failure(actor, form, wanted, call)
        return render_template("portal/book.html", form=form, **failure)
    if previewing:
        return render_template("portal/book.html", form=form, preview=preview)
    flash(*_booked_message(made))
    return redirect(url_for("portal.booking", booking_id=made[0].id))
