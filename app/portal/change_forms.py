"""The form that changes a booking: the booking form's space, day, times, title and people,
and for a series whether the following occurrences change too.

Shape only (required, lengths, end after start); the rules come back from the booking service.
"""

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectChoice

from app.portal.forms import SlotForm


class ChangeBookingForm(SlotForm):
    """A booking's new space, day, times, title and number of people."""

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
