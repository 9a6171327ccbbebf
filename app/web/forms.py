"""The base of every web form: what no field of any form may hold, checked in one place.

Every form of the pages derives from ``WebForm`` instead of ``FlaskForm``. Whatever its fields,
a value that a person cannot have meant is refused beside its field, in the reader's language,
before a view or a service sees it:

- a control character (NUL and the like; tab and line breaks are fine) in any text sent;
- a date outside the years of ``app.web.bounds`` (year 1 or 9999 overflows date arithmetic);
- a whole number beyond an INTEGER column (a 20-digit id), an infinite or NaN number.

A refused value never reaches the field's ``data``: a date or number becomes None and a text
loses its control characters, so a view that reads the data of an invalid form (to show the
page again) cannot trip over it either.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import Field, widgets
from wtforms.fields.choices import Choice

from app.web.bounds import BAD_TEXT, has_control_characters, value_problem


def _clean_text(value: Any) -> Any:
    if isinstance(value, str):
        return "".join(char for char in value if not has_control_characters(char))
    if isinstance(value, list):
        return [_clean_text(item) for item in value]
    return value


def _problem(field: Field) -> Any:
    """Why the value sent for ``field`` is refused, or None."""
    sent = [value for value in field.raw_data or [] if isinstance(value, str)]
    if any(has_control_characters(value) for value in sent):
        return BAD_TEXT
    return value_problem(field.data) if sent else None


class QuickSelect(widgets.Select):
    """WTForms' select, its plain options written without ``html_params``: the same markup at a
    fraction of the cost (the find and booking pages offer a hundred times of day)."""

    @classmethod
    def render_option(cls, choice: Choice, **kwargs: Any) -> Markup:
        if kwargs or choice.render_kw:
            return super().render_option(choice, **kwargs)
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        selected = "selected " if choice.selected else ""
        label = escape(choice.label or choice.value)
        return Markup(f'<option {selected}value="{escape(value)}">{label}</option>')


class WebForm(FlaskForm):
    """A FlaskForm whose every field refuses control characters and out-of-bound values."""

    class Meta(FlaskForm.Meta):
        def bind_field(self, form: Any, unbound_field: Any, options: Any) -> Any:
            field = super().bind_field(form, unbound_field, options)
            if type(field.widget) is widgets.Select:
                field.widget = QuickSelect(multiple=field.widget.multiple)
            return field

    def process(
        self,
        formdata: Any = None,
        obj: Any = None,
        data: Mapping[str, Any] | None = None,
        extra_filters: Mapping[str, Sequence[Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        """Fill the fields as WTForms does, then set aside every refused value."""
        super().process(formdata, obj, data=data, extra_filters=extra_filters, **kwargs)
        self.input_problems: dict[str, Any] = {}
        for name, field in self._fields.items():
            problem = _problem(field)
            if problem is None:
                continue
            self.input_problems[name] = problem
            if problem is BAD_TEXT:
                field.data = _clean_text(field.data)
                field.raw_data = _clean_text(field.raw_data)
            else:
                field.data = [] if isinstance(field.data, list) else None

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        """The form's own checks; a refused value is invalid whatever they say, with its own
        message (not "This field is required." for a date that was typed)."""
        valid = super().validate(extra_validators)
        for name, problem in self.input_problems.items():
            if name in self._fields:  # a form may drop a field after processing
                self._fields[name].errors = [str(problem)]
        return valid and not any(name in self._fields for name in self.input_problems)
