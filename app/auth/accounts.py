"""Getting in by oneself: accepting an invitation, a forgotten password, the forced change.

The links of the mails carry a secret; a page answers the same "no longer valid" for an unknown,
used, revoked or expired one.
"""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import bp
from app.auth.devices import remember_device
from app.auth.forms import AcceptInvitationForm, ForgotPasswordForm, ResetPasswordForm
from app.auth.routes import open_session
from app.extensions import limiter
from app.i18n import LOCALE_SESSION_KEY
from app.services import invitations, password_resets
from app.services.passwords import MIN_LENGTH
from app.web import service_call

# What a person whose password someone else chose may open before choosing their own.
FORCED_CHANGE_OPEN = frozenset({"auth.password", "auth.logout", "auth.language", "static"})


@bp.before_app_request
def _choose_own_password_first() -> ResponseReturnValue | None:
    """Someone signed in with a password another person chose goes to change it first."""
    if (
        request.endpoint
        and request.endpoint not in FORCED_CHANGE_OPEN
        and not request.path.startswith("/api/")
        and current_user.is_authenticated
        and current_user.must_change_password
    ):
        return redirect(url_for("auth.password"))
    return None


def _speak(locale: str) -> None:
    """Show the page in the mail's language unless this browser chose one."""
    if LOCALE_SESSION_KEY not in session and not current_user.is_authenticated:
        session[LOCALE_SESSION_KEY] = locale


def _reset_limit() -> str:
    return str(current_app.config["PASSWORD_RESET_RATE_LIMIT"])


def _reset_ip_limit() -> str:
    return str(current_app.config["PASSWORD_RESET_IP_RATE_LIMIT"])


def _typed_address() -> str:
    # The address asked for, so that one inbox is not flooded from many networks.
    return "reset:" + request.form.get("email", "").strip().lower()[:254]


@bp.route("/invitation/<secret>", methods=["GET", "POST"])
def accept_invitation(secret: str) -> ResponseReturnValue:
    """Create one's account from an invitation: name, phone and password; then signed in."""
    invitation = invitations.invitation_for(secret)
    if invitation is None:
        return render_template("auth/link_invalid.html", kind="invitation"), 404
    _speak(invitation.locale)
    form = AcceptInvitationForm(name=invitation.name)
    if form.validate_on_submit():
        with service_call(form) as call:
            user = invitations.accept(
                secret,
                name=form.name.data or "",
                phone=form.phone.data or "",
                password=form.password.data or "",
            )
        if call.ok and open_session(user):
            flash(_("Welcome, %(name)s. Your account is ready.", name=user.name), "ok")
            return remember_device(redirect(url_for("portal.home")), user)
    return render_template(
        "auth/accept_invitation.html", form=form, invitation=invitation, min_length=MIN_LENGTH
    )


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(_reset_ip_limit, methods=["POST"])
@limiter.limit(_reset_limit, methods=["POST"], key_func=_typed_address)
def forgot_password() -> ResponseReturnValue:
    """Ask for a link to choose a new password; the answer never tells whether the address
    has an account."""
    form = ForgotPasswordForm(email=request.args.get("email", ""))
    if form.validate_on_submit():
        with service_call(form) as call:
            password_resets.request_reset(form.email.data or "")
        if call.ok:
            flash(
                _(
                    "If %(email)s has an account, a link to choose a new password is on its way. "
                    "It works for one hour; look in the spam folder too.",
                    email=form.email.data,
                ),
                "ok",
            )
            return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/reset/<secret>", methods=["GET", "POST"])
def reset_password(secret: str) -> ResponseReturnValue:
    """Choose a new password from the mailed link; then signed in, everywhere else out."""
    reset = password_resets.reset_for(secret)
    if reset is None:
        return render_template("auth/link_invalid.html", kind="reset"), 404
    _speak(reset.user.locale)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        with service_call(form) as call:
            user = password_resets.reset_password(secret, form.password.data or "")
        if call.ok and open_session(user):
            flash(
                _(
                    "Your new password is saved. Every other device has been signed out and "
                    "your API tokens no longer work."
                ),
                "ok",
            )
            return remember_device(redirect(url_for("portal.home")), user)
    return render_template(
        "auth/reset_password.html", form=form, email=reset.user.email, min_length=MIN_LENGTH
    )
