from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from app.auth.forms import LanguageForm
from app.extensions import db
from app.models import ApiToken, User
from app.portal import bp
from app.services import tokens
from app.services.booking_rules import allowance_status
from app.services.leases import current_leases
from app.web import today_local


@bp.route("/")
@login_required
def home():
    if current_user.is_staff:
        return redirect(url_for("manage.dashboard"))
    return redirect(url_for("portal.company"))


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
