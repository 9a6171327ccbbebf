from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from app.models import CompanyStatus, Stage
from app.web import STAGE_LABELS, STATUS_LABELS


class CompanyForm(FlaskForm):
    name = StringField(_l("Company or team name"), validators=[DataRequired(), Length(max=100)])
    uscc = StringField(
        _l("Unified Social Credit Code"), validators=[Optional(), Length(max=30)]
    )
    stage = SelectField(
        _l("Stage"), choices=[(stage.value, label) for stage, label in STAGE_LABELS.items()]
    )
    industry = StringField(_l("Industry"), validators=[Optional(), Length(max=60)])
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=60)])
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), Length(max=30)])
    contact_email = EmailField(
        _l("Contact e-mail"), validators=[Optional(), Email(), Length(max=254)]
    )
    joined_on = DateField(_l("Joined on"), validators=[DataRequired()])
    graduated_on = DateField(_l("Graduated on"), validators=[Optional()])
    status = SelectField(
        _l("Status"),
        choices=[(status.value, label) for status, label in STATUS_LABELS.items()],
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Save"))

    def values(self) -> dict:
        """The fields as keyword arguments for the company service."""
        return {
            "name": self.name.data,
            "uscc": self.uscc.data,
            "stage": Stage(self.stage.data),
            "industry": self.industry.data or "",
            "contact_name": self.contact_name.data or "",
            "contact_phone": self.contact_phone.data or "",
            "contact_email": (self.contact_email.data or "").strip().lower(),
            "joined_on": self.joined_on.data,
            "graduated_on": self.graduated_on.data,
            "status": CompanyStatus(self.status.data),
            "notes": self.notes.data or "",
        }
