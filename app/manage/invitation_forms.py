"""The form that invites a person by e-mail."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from app.models import Role
from app.web import LANGUAGE_NAMES, optional_id
from app.web.forms import WebForm


class InviteForm(WebForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("Their name"), validators=[Optional(), Length(max=60)])
    role = SelectField(_l("Role"), default=Role.TENANT.value)
    company_id = SelectField(_l("Company"), coerce=optional_id)
    language = SelectField(
        _l("Language of the mail"),
        default="zh_CN",
        choices=[SelectChoice(value=code, label=name) for code, name in LANGUAGE_NAMES.items()],
    )
    submit = SubmitField(_l("Send the invitation"))
