"""The tenant's pages: home (allowance, next bookings, a room free now), finding a free space,
the company page and the profile with its API tokens."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from app.auth.forms import LanguageForm
from app.extensions import db
from app.models import ApiToken, Space, SpaceKind, User, Zone
from app.portal import bp
from app.portal.book import default_slot
from app.portal.bookings import today_and_upcoming
from app.portal.forms import TIMES, FindForm
from app.services import policy, tokens
from app.services.availability import day_plans, free_slots
from app.services.booking_rules import allowance_status
from app.services.leases import current_leases
from app.services.localtime import local_datetime, to_local
from app.sqltypes import utcnow
from app.web import today_local


def bookable_spaces() -> sa.Select[Space]:
    """Active bookable spaces with what day plans read (zone, parts), in the building's order."""
    return (
        sa.select(Space)
        .join(Space.zone)
        .where(Space.bookable.is_(True), Space.active.is_(True))
        .options(selectinload(Space.zone), selectinload(Space.parts))
        .order_by(Zone.sort_order, Zone.code, Space.code)
    )


@dataclass
class Slot:
    space: Space
    start: datetime
    end: datetime

    @property
    def times(self) -> str:
        """Local clock times, 10:00–11:00."""
        return f"{to_local(self.start):%H:%M}–{to_local(self.end):%H:%M}"

    def book_args(self) -> dict[str, Any]:
        """The booking form's query string for this slot."""
        start, end = to_local(self.start), to_local(self.end)
        return {
            "space_id": self.space.id,
            "date": start.date().isoformat(),
            "start": f"{start:%H:%M}",
            "end": f"{end:%H:%M}",
        }


def next_free_meeting_room(now: datetime, length: timedelta = timedelta(hours=1)) -> Slot | None:
    """The earliest free hour in any meeting room from now on, today or else tomorrow."""
    rooms = list(db.session.scalars(bookable_spaces().where(Space.kind == SpaceKind.MEETING_ROOM)))
    today = to_local(now).date()
    for day in (today, today + timedelta(days=1)):
        found = [
            Slot(plan.space, *slots[0])
            for plan in day_plans(rooms, day, now)
            if (slots := free_slots(plan, length, now))
        ]
        if found:
            return min(found, key=lambda slot: (slot.start, slot.space.capacity))
    return None


@bp.route("/")
@login_required
def home() -> ResponseReturnValue:
    if current_user.is_staff:
        return redirect(url_for("manage.dashboard"))
    now, today = utcnow(), today_local()
    return render_template(
        "portal/home.html",
        allowance=allowance_status(current_user.company, today),
        today=today,
        coming=today_and_upcoming(current_user, now),
        slot=next_free_meeting_room(now),
    )


@bp.route("/company")
@login_required
def company():
    if current_user.company is None:
        abort(404)
    today = today_local()
    company = current_user.company
    return render_template(
        "portal/company.html",
        company=company,
        leases=current_leases(company, today),
        allowance=allowance_status(company, today),
        today=today,
        colleagues=sorted(company.users, key=lambda user: user.name),
    )


class TokenForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=60)],
        description=_l("What the token is for, e.g. the door system."),
    )
    submit = SubmitField(_l("Create a token"))


def _profile_page(token_form: TokenForm, new_token: str | None = None) -> ResponseReturnValue:
    return render_template(
        "portal/profile.html",
        language_form=LanguageForm(),
        token_form=token_form,
        tokens=tokens.active_tokens(current_user),
        new_token=new_token,
    )


@bp.route("/profile")
@login_required
def profile() -> ResponseReturnValue:
    return _profile_page(TokenForm(formdata=None))


@bp.post("/profile/tokens")
@login_required
def create_token() -> ResponseReturnValue:
    form = TokenForm()
    if not form.validate_on_submit():
        return _profile_page(form)
    user: User = current_user._get_current_object()  # the model, not the proxy, for relationships
    secret, _token = tokens.issue_token(user, (form.name.data or "").strip())
    db.session.commit()
    # Shown on this page rather than flashed: a flash would keep the secret in the cookie.
    return _profile_page(TokenForm(formdata=None), new_token=secret)


@bp.post("/profile/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> ResponseReturnValue:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id or token.revoked_at is not None:
        abort(404)
    tokens.revoke_token(current_user, token)
    db.session.commit()
    flash(_("The token %(name)s no longer works.", name=token.name), "ok")
    return redirect(url_for("portal.profile"))


@dataclass
class Found:
    """A search's answer: the spaces free for the slot, else nearby free times per space."""

    free: list[Slot]
    nearby: list[tuple[Space, list[Slot]]]


def find_free(
    spaces: list[Space],
    start: datetime,
    length: timedelta,
    now: datetime,
    people: int | None = None,
    equipment: frozenset[str] = frozenset(),
) -> Found:
    """Spaces that fit the people and equipment and are free for [start, start + length).

    When none is, up to three free times of the same length that day, closest to ``start``,
    for each fitting space.
    """
    limits = {kind: policy.limits_for(kind) for kind in {space.kind for space in spaces}}
    fitting = [
        space
        for space in spaces
        if (not people or not space.capacity or space.capacity >= people)
        and equipment <= set(space.equipment or [])
        and length <= timedelta(minutes=limits[space.kind].max_minutes)
    ]
    plans = day_plans(fitting, to_local(start).date(), now)
    end = start + length
    free = [
        Slot(plan.space, start, end) for plan in plans if start >= now and plan.is_free(start, end)
    ]
    nearby = []
    if not free:
        for plan in plans:
            slots = free_slots(plan, length, now)
            closest = sorted(sorted(slots, key=lambda slot: abs(slot[0] - start))[:3])
            if closest:
                nearby.append((plan.space, [Slot(plan.space, *slot) for slot in closest]))
    return Found(free, nearby)


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
