from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import bp
from app.auth.forms import LanguageForm, LoginForm, PasswordForm
from app.extensions import db, limiter
from app.i18n import LOCALE_SESSION_KEY
from app.services import users
from app.services.errors import RuleViolation
from app.web import SESSION_TOKEN_KEY, is_safe_next


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("portal.home"))
    if form.validate_on_submit():
        user = users.authenticate(form.email.data or "", form.password.data or "")
        if user is None:
            form.password.errors.append(_("Wrong e-mail or password."))
        else:
            users.end_session(session.get(SESSION_TOKEN_KEY))
            chosen = session.get(LOCALE_SESSION_KEY)
            session.clear()
            session[SESSION_TOKEN_KEY] = users.start_session(user, request.user_agent.string)
            if chosen in current_app.config["LANGUAGES"]:
                # A language picked on the sign-in page becomes the person's preference.
                user.locale = chosen
            login_user(user)
            db.session.commit()
            target = form.next.data
            return redirect(target if is_safe_next(target) else url_for("portal.home"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    users.end_session(session.get(SESSION_TOKEN_KEY))
    db.session.commit()
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
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            users.change_password(
                current_user,
                form.current_password.data or "",
                form.new_password.data or "",
                session.get(SESSION_TOKEN_KEY),
            )
        except RuleViolation as error:
            getattr(form, error.field).errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("Your password has been changed. Other devices have been signed out."), "ok")
            return redirect(url_for("portal.profile"))
    return render_template("auth/password.html", form=form)


@bp.route("/language", methods=["POST"])
def language():
    form = LanguageForm()
    if form.validate_on_submit():
        session[LOCALE_SESSION_KEY] = form.locale.data
        if current_user.is_authenticated:
            current_user.locale = form.locale.data
            db.session.commit()
    target = form.next.data
    return redirect(target if is_safe_next(target) else url_for("portal.home"))
