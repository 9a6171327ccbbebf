"""The portal's forms: booking a space (once or repeating), cancelling, finding a free space.

They check shape only (required, lengths, end after start); the booking rules (opening hours,
conflicts, allowances) live in the services and come back as errors beside the fields.
"""

from datetime import date, time, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    Field,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.services.booking_rules import TITLE_MAX
from app.services.policy import GRID, MAX_OCCURRENCES
from app.web import optional_id
from app.web.forms import WebForm

OPENS, CLOSES = time(8), time(22)
MAX_INTERVAL = 99
REASON_MAX = 1000
WEEKDAYS = [
    SelectChoice(0, _l("Mon")),
    SelectChoice(1, _l("Tue")),
    SelectChoice(2, _l("Wed")),
    SelectChoice(3, _l("Thu")),
    SelectChoice(4, _l("Fri")),
    SelectChoice(5, _l("Sat")),
    SelectChoice(6, _l("Sun")),
]
REPEATS = [
    SelectChoice("none", _l("Does not repeat")),
    SelectChoice("daily", _l("Daily")),
    SelectChoice("weekdays", _l("Every weekday (Mon–Fri)")),
    SelectChoice("weekly", _l("Weekly")),
]
# "Every weekday" is the weekly rule on Monday to Friday: the service, the stored series and the
# API see an ordinary weekly series. A holiday on a weekday shows in the preview as a date that
# cannot be booked (the working calendar closes the rooms), to skip with the others.
WORKWEEK = (0, 1, 2, 3, 4)
# Minutes; the long ones only suit the halls and the event area (meeting rooms: 4 h at most).
DURATIONS = [
    SelectChoice(30, _l("30 minutes")),
    SelectChoice(60, _l("1 hour")),
    SelectChoice(90, _l("1.5 hours")),
    SelectChoice(120, _l("2 hours")),
    SelectChoice(180, _l("3 hours")),
    SelectChoice(240, _l("4 hours")),
    SelectChoice(360, _l("6 hours (halls)")),
    SelectChoice(480, _l("8 hours (halls)")),
    SelectChoice(750, _l("All day (halls, 08:30–21:00)")),
]


def quarter_hours(first: time = OPENS, last: time = CLOSES) -> list[str]:
    """Clock times from ``first`` to ``last`` in steps of 15 minutes, as "HH:MM"."""
    clock = timedelta(hours=first.hour, minutes=first.minute)
    end = timedelta(hours=last.hour, minutes=last.minute)
    found = []
    while clock <= end:
        found.append(f"{clock.seconds // 3600:02d}:{clock.seconds // 60 % 60:02d}")
        clock += GRID
    return found


TIMES = quarter_hours()


class CheckboxesField(SelectMultipleField):
    """A group of checkboxes, one per choice."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DateListField(Field):
    """Dates sent as several values of one name, e.g. the preview's "skip this date" boxes."""

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        super().__init__(label, validators, default=list, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        found = set()
        for value in valuelist:
            try:
                found.add(date.fromisoformat(value))
            except ValueError:
                continue  # a tampered value is simply not skipped
        self.data = sorted(found)


class SlotForm(WebForm):
    """A booking's space, day, times, title and number of people, the end after the start."""

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

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.start.data and self.end.data and self.end.data <= self.start.data:
            self.end.errors = [*self.end.errors, _l("The end must come after the start.")]
            valid = False
        return valid


class BookingForm(SlotForm):
    """One booking, or a daily or weekly series; managers also choose the company."""

    request_key = HiddenField()
    company_id = SelectField(
        _l("Company"),
        coerce=optional_id,
        validators=[DataRequired(_l("Choose the company this booking is for."))],
    )
    repeat = RadioField(_l("Repeat"), choices=REPEATS, default="none")
    interval = IntegerField(
        _l("Every"), default=1, validators=[Optional(), NumberRange(min=1, max=MAX_INTERVAL)]
    )
    weekdays = CheckboxesField(_l("On these days"), coerce=int, choices=WEEKDAYS)
    until = DateField(_l("Until (date)"), validators=[Optional()])
    count = IntegerField(
        _l("Or number of times"),
        validators=[Optional(), NumberRange(min=1, max=MAX_OCCURRENCES)],
    )
    exclude = DateListField()

    def __init__(self, *args: Any, staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not staff:
            del self.company_id  # tenants always book for their own company

    @property
    def repeats(self) -> bool:
        return self.repeat.data in ("daily", "weekdays", "weekly")

    @property
    def recurrence_rule(self) -> tuple[str, tuple[int, ...]]:
        """The service's frequency and weekdays for what the form asks (a repeating form)."""
        if self.repeat.data == "weekdays":
            return "weekly", WORKWEEK
        if self.repeat.data == "weekly":
            return "weekly", tuple(sorted(set(self.weekdays.data or [])))
        return str(self.repeat.data), ()

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.repeats and (self.until.data is None) == (self.count.data is None):
            message = (
                _l("Give an end date or a number of times, not both.")
                if self.until.data
                else _l("Give an end date or a number of times.")
            )
            if not self.count.errors and not self.until.errors:
                self.count.errors = [*self.count.errors, message]
            valid = False
        return valid


class CancelForm(WebForm):
    """Cancel a booking, the following ones of its series or all of it; managers say why,
    tenants may."""

    scope = RadioField(
        _l("Cancel"),
        choices=[
            SelectChoice("this", _l("Only this one")),
            SelectChoice("following", _l("This and the following ones")),
            SelectChoice("series", _l("The whole series")),
        ],
        default="this",
    )
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=REASON_MAX)])
    next = HiddenField()


class FindForm(WebForm):
    """Which spaces are free for a slot: zone, day, start, length, people, kind, equipment."""

    class Meta:
        csrf = False  # a search, sent with GET

    zone_id = SelectField(_l("Zone"), coerce=optional_id)
    date = DateField(_l("Date"), validators=[DataRequired(_l("Choose a day."))])
    start = SelectField(_l("Start"), choices=TIMES[:-2])
    duration = SelectField(_l("How long"), coerce=int, choices=DURATIONS, default=60)
    people = IntegerField(
        _l("Number of people"), validators=[Optional(), NumberRange(min=1, max=9999)]
    )
    equipment = CheckboxesField(_l("Equipment"))
    kind = SelectField(_l("Kind"), default="")
