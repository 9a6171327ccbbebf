"""The notifications page: the list (newest first), marking read, and what also comes by mail.

Importing this module also connects the notification listener to the booking events.
"""

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from wtforms import SelectChoice, SelectField, SelectMultipleField, SubmitField
from wtforms.widgets import CheckboxInput, ListWidget

from app.extensions import db
from app.models import User
from app.portal import bp
from app.services import notifications as notices
from app.web import current_actor, is_safe_next, page_args, service_call
from app.web.form_errors import carry_form, take_form
from app.web.forms import WebForm


class PreferencesForm(WebForm):
    mail_events = SelectMultipleField(
        _l("Also send me an e-mail when"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=True,
    )
    reminder_minutes = SelectField(_l("Remind me before a booking"), coerce=int)
    submit = SubmitField(_l("Save"))


REMINDER_LABELS = {
    0: _l("No reminder"),
    15: _l("15 minutes before"),
    30: _l("30 minutes before"),
    60: _l("1 hour before"),
    120: _l("2 hours before"),
    1440: _l("1 day before"),
}


def _preferences_form(user: User, formdata: Any = None) -> PreferencesForm:
    choice = notices.preferences(db.session, user)
    events = notices.events_for(user)
    form = PreferencesForm(
        formdata=formdata,
        data={
            "mail_events": [e for e in events if e not in choice.muted_mail_events],
            "reminder_minutes": choice.reminder_minutes,
        },
    )
    form.mail_events.choices = [SelectChoice(e, notices.EVENT_LABELS[e]) for e in events]
    form.reminder_minutes.choices = [
        SelectChoice(minutes, REMINDER_LABELS[minutes]) for minutes in notices.REMINDER_CHOICES
    ]
    return form


def _page(form: PreferencesForm) -> str:
    user = current_actor()
    pages = page_args()
    return render_template(
        "portal/notifications.html",
        page=db.paginate(
            notices.user_notifications(user), page=pages["page"], per_page=pages["per_page"]
        ),
        form=form,
    )


@bp.route("/notifications")
@login_required
def notifications() -> ResponseReturnValue:
    """The user's notifications, newest first, and what also comes by mail."""
    return _page(take_form(_preferences_form(current_actor()), "preferences"))


@bp.post("/notifications/<int:notification_id>/read")
@login_required
def mark_read(notification_id: int) -> ResponseReturnValue:
    """Mark one notification read and go back to where it was clicked."""
    with service_call():
        notices.mark_read(current_actor(), notification_id)
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("portal.notifications"))


@bp.post("/notifications/read")
@login_required
def mark_all_read() -> ResponseReturnValue:
    """Mark every notification read."""
    with service_call() as call:
        count = notices.mark_read(current_actor())
    if call.ok:
        flash(
            ngettext(
                "%(num)d notification marked read.", "%(num)d notifications marked read.", count
            ),
            "ok",
        )
    return redirect(url_for("portal.notifications"))


@bp.post("/notifications/preferences")
@login_required
def save_preferences() -> ResponseReturnValue:
    """Save which notifications also come by mail and when reminders come."""
    user = current_actor()
    form = _preferences_form(user, request.form)
    if form.validate_on_submit():
        with service_call(form) as call:
            notices.save_preferences(user, form.mail_events.data or [], form.reminder_minutes.data)
        if call.ok:
            # To the top of the page, where the message is: not down to the settings.
            flash(_("Your notification settings are saved."), "ok")
            return redirect(url_for("portal.notifications"))
    carry_form(form, "preferences")
    return redirect(url_for("portal.notifications"))


@bp.app_context_processor
def _unread_notifications() -> dict[str, Any]:
    signed_in = current_user and current_user.is_authenticated
    count = notices.unread_count(current_actor()) if signed_in else 0
    if not count:
        return {"unread_notifications": 0}
    shown = notices.UNREAD_SHOWN
    over = count > shown
    return {
        "unread_notifications": count,
        "unread_badge": f"{shown}+" if over else str(count),
        "unread_label": (
            _("More than %(count)d unread", count=shown)
            if over
            else _("%(count)d unread", count=count)
        ),
    }
