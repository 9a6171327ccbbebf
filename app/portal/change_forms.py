"""The form that changes a booking: the booking form's space, day, times, title and people,
and for a series whether the following occurrences change too.

Shape only (required, lengths, end after start); the rules come back from the booking service.
"""

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from app.portal.forms import TIMES
from app.services.booking_rules import TITLE_MAX
from app.web import optional_id
from app.web.forms import WebForm


class ChangeBookingForm(WebForm):
    """A booking's new space, day, times, title and number of people."""

    space_id = SelectField(
        _l("Space"), coerce=optional_id, validators=[DataRequired(_l("Choose a space."))]
    )
    date = DateField(_l("Date"), validators=[DataRequired(_l("Choose a day."))])
    start = SelectField(_l("Start"), choices=TIMES)
    end = SelectField(_l("End"), choices=TIMES)
    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Give the booking a title.")), Length(max=TITLE_MAX)],
    )
    attendees = IntegerField(
        _l("Number of people"),
        default=1,
        validators=[
            InputRequired(_l("Say how many people come.")),
            NumberRange(min=1, max=9999),
        ],
    )
    scope = RadioField(
        _l("This booking repeats. Change:"),
        choices=[
            SelectChoice("this", _l("Only this one")),
            SelectChoice("following", _l("This and the following ones")),
        ],
        default="this",
    )

    def __init__(self, *args: Any, series: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not series:
            del self.scope  # a single booking changes alone

    def keep_times(self, *times: str) -> None:
        """Offer the booking's own times too when they are off the form's list of times."""
        for field in (self.start, self.end):
            known = [str(choice) for choice in field.choices or []]
            missing = [t for t in times if t not in known]
            field.choices = sorted({*known, *missing})

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.start.data and self.end.data and self.end.data <= self.start.data:
            self.end.errors = [*self.end.errors, _l("The end must come after the start.")]
            valid = False
        return valid
