from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms import (
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length

from app.services.passwords import MAX_LENGTH
from app.web.forms import WebForm


class LoginForm(WebForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


class PasswordForm(WebForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    # Length and content: the service's rules (app.services.passwords), with messages that say
    # what to do.
    new_password = PasswordField(_l("New password"), validators=[DataRequired()])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The two do not match."))],
    )
    submit = SubmitField(_l("Change password"))


class LanguageForm(WebForm):
    locale = SelectField(choices=[SelectChoice("zh_CN", "中文"), SelectChoice("en", "English")])
    next = HiddenField()


def _new_password(label: LazyString) -> PasswordField:
    return PasswordField(label, validators=[DataRequired(), Length(max=MAX_LENGTH)])


def _repeat(other: str) -> PasswordField:
    return PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo(other, message=_l("The two do not match."))],
    )


class AcceptInvitationForm(WebForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=60)])
    phone = StringField(_l("Mobile phone"), validators=[Length(max=30)])
    password = _new_password(_l("Password"))
    confirm = _repeat("password")
    submit = SubmitField(_l("Create my account"))


class ForgotPasswordForm(WebForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    submit = SubmitField(_l("Send me a link"))


class ResetPasswordForm(WebForm):
    password = _new_password(_l("New password"))
    confirm = _repeat("password")
    submit = SubmitField(_l("Save the new password"))
