"""Forms of the policy and closure pages."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from app.models import Stage
from app.web import STAGE_LABELS
from app.web.forms import WebForm


class AllowanceForm(WebForm):
    """Free meeting-room hours a month, one field per stage."""

    team = FloatField(STAGE_LABELS[Stage.TEAM], validators=[InputRequired(), NumberRange(0, 744)])
    incubated = FloatField(
        STAGE_LABELS[Stage.INCUBATED], validators=[InputRequired(), NumberRange(0, 744)]
    )
    accelerating = FloatField(
        STAGE_LABELS[Stage.ACCELERATING], validators=[InputRequired(), NumberRange(0, 744)]
    )
    graduated = FloatField(
        STAGE_LABELS[Stage.GRADUATED], validators=[InputRequired(), NumberRange(0, 744)]
    )
    submit = SubmitField(_l("Save allowances"))


class KindLimitsForm(WebForm):
    """Limits of one kind of bookable space."""

    max_hours = FloatField(
        _l("Longest booking (hours)"), validators=[InputRequired(), NumberRange(0.5, 24)]
    )
    advance_days = IntegerField(
        _l("Bookable up to (days ahead)"), validators=[InputRequired(), NumberRange(0, 730)]
    )
    buffer_minutes = IntegerField(
        _l("Set-up and tear-down buffer (minutes)"),
        validators=[InputRequired(), NumberRange(0, 240)],
    )
    requires_check_in = BooleanField(_l("Check-in required (no-shows are released)"))
    counts_against_allowance = BooleanField(_l("Uses the free monthly hours"))
    submit = SubmitField(_l("Save"))


class ClosureForm(WebForm):
    """Close the building, a zone or a space for a while."""

    scope = SelectField(
        _l("What closes"),
        choices=[
            SelectChoice("building", _l("The whole building")),
            SelectChoice("zone", _l("A zone")),
            SelectChoice("space", _l("A space")),
        ],
    )
    zone_id = SelectField(_l("Zone"), coerce=int, validate_choice=False)
    space_id = SelectField(_l("Space"), coerce=int, validate_choice=False)
    start_day = DateField(_l("From (day)"), validators=[DataRequired()])
    start_time = TimeField(_l("From (time)"), validators=[DataRequired()])
    end_day = DateField(_l("Until (day)"), validators=[DataRequired()])
    end_time = TimeField(_l("Until (time)"), validators=[DataRequired()])
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Close"))


class WorkDayForm(WebForm):
    """Declare a day of the working calendar a working day or a day off."""

    day = DateField(_l("Date"), validators=[DataRequired()])
    working = SelectField(
        _l("The day is"),
        choices=[
            SelectChoice("0", _l("A day off (holiday)")),
            SelectChoice("1", _l("A working day (make-up day, 调休上班)")),
        ],
    )
    name = StringField(_l("Name"), validators=[Length(max=60)])
    provisional = BooleanField(_l("Provisional (not yet officially confirmed)"))
    submit = SubmitField(_l("Save the day"))


class YearForm(WebForm):
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(2004, 2100)])
    submit = SubmitField(_l("Import statutory holidays"))


class CancelBookingForm(WebForm):
    reason = StringField(_l("Reason for the company"), validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Cancel the booking"))
