"""The tenant's pages: home (allowance, next bookings, a room free now), finding a free space,
the company page and the profile with its API tokens."""

from datetime import time, timedelta

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from app.auth.forms import LanguageForm
from app.extensions import db
from app.models import ApiToken, Space, SpaceKind, Zone
from app.portal import bp
from app.portal.book import default_slot
from app.portal.bookings import today_and_upcoming
from app.portal.forms import TIMES, FindForm
from app.services import tokens
from app.services.availability import find_free, next_free_room
from app.services.booking_rules import allowance_status
from app.services.leases import current_leases
from app.services.localtime import local_datetime
from app.sqltypes import utcnow
from app.web import current_actor, service_call, today_local
from app.web.form_errors import carry_form, take_form
from app.web.forms import WebForm


def bookable_spaces() -> sa.Select[Space]:
    """Active bookable spaces with what day plans read (zone, parts), in the building's order."""
    return (
        sa.select(Space)
        .join(Space.zone)
        .where(Space.bookable.is_(True), Space.active.is_(True))
        .options(selectinload(Space.zone), selectinload(Space.parts))
        .order_by(Zone.sort_order, Zone.code, Space.code)
    )


@bp.route("/")
@login_required
def home() -> ResponseReturnValue:
    """A tenant's start page: free hours, next bookings, the next free meeting room."""
    actor = current_actor()
    if actor.is_staff:
        return redirect(url_for("manage.dashboard"))
    if actor.company is None:
        abort(404)  # a tenant always belongs to a company; the service sees to it
    now, today = utcnow(), today_local()
    rooms = db.session.scalars(bookable_spaces().where(Space.kind == SpaceKind.MEETING_ROOM))
    return render_template(
        "portal/home.html",
        allowance=allowance_status(actor.company, today),
        today=today,
        coming=today_and_upcoming(actor, now),
        slot=next_free_room(list(rooms), now),
    )


@bp.route("/company")
@login_required
def company() -> ResponseReturnValue:
    """The tenant's company: its leases, free hours and colleagues."""
    company = current_actor().company
    if company is None:
        abort(404)
    today = today_local()
    return render_template(
        "portal/company.html",
        company=company,
        leases=current_leases(company, today),
        allowance=allowance_status(company, today),
        today=today,
        colleagues=sorted(company.users, key=lambda user: user.name),
    )


class TokenForm(WebForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=60)],
        description=_l("What the token is for, e.g. the door system."),
    )
    submit = SubmitField(_l("Create a token"))


NEW_TOKEN_KEY = "new_token"


@bp.route("/profile")
@login_required
def profile() -> ResponseReturnValue:
    """The profile: language, password link and API tokens (a new one's secret shown once)."""
    return render_template(
        "portal/profile.html",
        language_form=LanguageForm(),
        token_form=take_form(TokenForm(formdata=None), "token"),
        tokens=tokens.active_tokens(current_actor()),
        # Kept in the session for the one page after the redirect, then gone.
        new_token=session.pop(NEW_TOKEN_KEY, None),
    )


@bp.post("/profile/tokens")
@login_required
def create_token() -> ResponseReturnValue:
    """Issue an API token; the profile then shows its secret once (or the form's errors)."""
    form = TokenForm()
    if form.validate_on_submit():
        with service_call(form) as call:
            secret, _token = tokens.issue_token(current_actor(), (form.name.data or "").strip())
        if call.ok:
            session[NEW_TOKEN_KEY] = secret
            return redirect(url_for("portal.profile", _anchor="tokens"))
    carry_form(form, "token")
    return redirect(url_for("portal.profile"))


@bp.post("/profile/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> ResponseReturnValue:
    """Revoke one of the signed-in user's tokens."""
    actor = current_actor()
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != actor.id or token.revoked_at is not None:
        abort(404)
    with service_call() as call:
        tokens.revoke_token(actor, token)
    if call.ok:
        flash(_("The token %(name)s no longer works.", name=token.name), "ok")
    return redirect(url_for("portal.profile"))


def _find_form(spaces: list[Space]) -> FindForm:
    day, start, _end = default_slot(utcnow())
    form = FindForm(
        formdata=request.args or None,
        data={"date": day, "start": start if start in TIMES[:-2] else "09:00"},
    )
    locale = str(get_locale() or "zh_CN")
    zones = {space.zone.id: space.zone for space in spaces}
    form.zone_id.choices = [SelectChoice("", _("All zones"))] + [
        SelectChoice(zone.id, f"{zone.code} {zone.display_name(locale)}") for zone in zones.values()
    ]
    kit = sorted({item for space in spaces for item in space.equipment or []})
    form.equipment.choices = [SelectChoice(item, item) for item in kit]
    return form


@bp.route("/find")
@login_required
def find() -> ResponseReturnValue:
    """Which spaces are free for a slot, else free times nearby that day."""
    spaces = list(db.session.scalars(bookable_spaces()))
    form = _find_form(spaces)
    found = None
    if form.validate():
        now = utcnow()
        start = local_datetime(form.date.data, time.fromisoformat(form.start.data))
        if start < now:
            form.start.errors = [*form.start.errors, _("This time has passed; choose a later one.")]
        if form.zone_id.data:
            spaces = [space for space in spaces if space.zone_id == form.zone_id.data]
        found = find_free(
            spaces,
            start,
            timedelta(minutes=form.duration.data),
            now,
            form.people.data,
            frozenset(form.equipment.data or []),
        )
    return render_template("portal/find.html", form=form, found=found)
