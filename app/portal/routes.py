"""The tenant's pages: home (allowance, next bookings, a room free now), the company page and
the profile with its API tokens."""

from flask import abort, flash, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from app.auth.forms import LanguageForm
from app.extensions import db
from app.models import ApiToken, SpaceKind
from app.portal import bp
from app.portal.bookings import today_and_upcoming
from app.services import reference, tokens
from app.services.availability import next_free_room
from app.services.booking_rules import allowance_status
from app.services.leases import current_leases
from app.sqltypes import utcnow
from app.web import current_actor, service_call, today_local
from app.web.form_errors import carry_form, take_form
from app.web.forms import WebForm


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
    rooms = [s for s in reference.current().bookable if s.kind == SpaceKind.MEETING_ROOM]
    return render_template(
        "portal/home.html",
        allowance=allowance_status(actor.company, today),
        today=today,
        coming=today_and_upcoming(actor, now),
        slot=next_free_room(rooms, now),
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
