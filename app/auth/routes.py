"""Signing in and out, the password and the language."""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm

from app.auth import bp
from app.auth.devices import known_device, remember_device
from app.auth.forms import LanguageForm, LoginForm, PasswordForm
from app.extensions import db, limiter
from app.i18n import LOCALE_SESSION_KEY
from app.models import User
from app.services import users
from app.services.passwords import MIN_LENGTH
from app.services.sign_in_limits import TooManyFailures
from app.web import SESSION_TOKEN_KEY, current_actor, is_safe_next, service_call


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def open_session(user: User, form: FlaskForm | None = None) -> bool:
    """Sign this browser in as ``user`` (ending the session it had) and commit the request's
    work; False when a domain error stopped it (shown on ``form``)."""
    chosen = session.get(LOCALE_SESSION_KEY)
    with service_call(form) as call:
        users.end_session(session.get(SESSION_TOKEN_KEY))
        token = users.start_session(user, request.user_agent.string)
        if chosen in current_app.config["LANGUAGES"]:
            # A language picked on the sign-in page becomes the person's preference.
            users.set_locale(user, str(chosen))
    if call.ok:
        session.clear()
        session[SESSION_TOKEN_KEY] = token
        login_user(user)
    return call.ok


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login() -> ResponseReturnValue:
    """Sign in with e-mail and password, then go where the person was headed."""
    form = LoginForm(next=request.args.get("next", ""))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("portal.home"))
    if form.validate_on_submit():
        try:
            user = users.authenticate(
                form.email.data or "", form.password.data or "", known_device()
            )
        except TooManyFailures as refused:
            # The failures were counted outside the transaction; nothing of it to keep.
            db.session.rollback()
            form.password.errors.append(str(refused.message))
            return render_template("auth/login.html", form=form), 429, _retry_after(refused)
        if user is None:
            form.password.errors.append(_("Wrong e-mail or password."))
        elif open_session(user, form):
            if user.must_change_password:
                return remember_device(redirect(url_for("auth.password")), user)
            target = form.next.data
            destination = target if is_safe_next(target) else url_for("portal.home")
            return remember_device(redirect(destination), user)
    return render_template("auth/login.html", form=form)


def _retry_after(refused: TooManyFailures) -> dict[str, str]:
    return {"Retry-After": str(refused.retry_after)}


@bp.route("/logout", methods=["POST"])
def logout() -> ResponseReturnValue:
    """Sign this browser out for good; the chosen language stays."""
    with service_call():
        users.end_session(session.get(SESSION_TOKEN_KEY))
    locale = (
        current_user.locale if current_user.is_authenticated else session.get(LOCALE_SESSION_KEY)
    )
    logout_user()
    session.clear()
    if locale:
        session[LOCALE_SESSION_KEY] = locale
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password() -> ResponseReturnValue:
    """Change the password; other browsers are signed out."""
    form = PasswordForm()
    if form.validate_on_submit():
        with service_call(form) as call:
            users.change_password(
                current_actor(),
                form.current_password.data or "",
                form.new_password.data or "",
                session.get(SESSION_TOKEN_KEY),
            )
        if call.ok:
            flash(_("Your password has been changed. Other devices have been signed out."), "ok")
            return redirect(url_for("portal.profile"))
    return render_template(
        "auth/password.html",
        form=form,
        forced=current_actor().must_change_password,
        min_length=MIN_LENGTH,
    )


@bp.route("/language", methods=["POST"])
def language() -> ResponseReturnValue:
    """Switch the language; a signed-in person keeps it as their preference."""
    form = LanguageForm()
    if form.validate_on_submit():
        session[LOCALE_SESSION_KEY] = form.locale.data
        if current_user.is_authenticated:
            with service_call():
                users.set_locale(current_actor(), form.locale.data)
    target = form.next.data
    return redirect(target if is_safe_next(target) else url_for("portal.home"))
