"""The error summary at the top of every page: each error of the page's forms, linked to its field.

After a form comes back with errors the person is looking at the top of a freshly loaded page,
not at the field far below that is wrong. ``base.html`` therefore lists every error of every form
the view handed to the template (whatever its name) at the top, each a link to its field, as the
GOV.UK design system does; the field keeps its own message beside it.

A form that posts to an address without a page of its own (``POST /profile/tokens``) cannot be
shown again there: a reload or a language switch would ask that address with GET. Such a view
carries the form to the next page with ``carry_form`` and redirects; the page's form takes it
back with ``take_form``, once.
"""

from dataclasses import dataclass
from typing import Any

from flask import request, session
from flask_babel import gettext as _
from jinja2.runtime import Context
from jinja2.utils import pass_context
from werkzeug.datastructures import MultiDict
from wtforms import Field, Form
from wtforms.widgets import CheckboxInput, HiddenInput, RadioInput

CARRIED_KEY = "carried_form"
CARRIED_MAX_CHARS = 2000  # what a form may bring along in the session cookie


@dataclass(frozen=True)
class FormProblem:
    """One error as the summary lists it: "Label: message", linked to ``anchor`` when it has one."""

    text: str
    anchor: str | None


def field_anchor(field: Field) -> str | None:
    """The id of the element a link to ``field`` should land on (None: nothing to land on).

    Radio buttons and check boxes are rendered one input per choice, ``<id>-0`` the first.
    """
    if isinstance(field.widget, HiddenInput):
        return None
    if isinstance(getattr(field, "option_widget", None), RadioInput | CheckboxInput):
        return f"{field.id}-0"
    return str(field.id)


def _messages(errors: Any) -> list[str]:
    """A field's errors as a flat list (a list of fields nests them)."""
    if isinstance(errors, dict):
        return [text for value in errors.values() for text in _messages(value)]
    if isinstance(errors, list | tuple):
        return [text for value in errors for text in _messages(value)]
    return [str(errors)]


def form_problems(form: Form) -> list[FormProblem]:
    """The errors of ``form`` in the order of its fields, then those of the form as a whole."""
    problems = []
    for field in form:
        for message in _messages(field.errors):
            label = field.label.text if field.label else ""
            text = _("%(label)s: %(message)s", label=label, message=message) if label else message
            problems.append(FormProblem(text, field_anchor(field)))
    problems.extend(FormProblem(str(message), None) for message in form.form_errors)
    return problems


@pass_context
def page_problems(context: Context) -> list[FormProblem]:
    """Every error of every form among the template's variables, for the summary."""
    problems: list[FormProblem] = []
    seen: set[int] = set()
    for value in context.get_all().values():
        if isinstance(value, Form) and id(value) not in seen:
            seen.add(id(value))
            problems.extend(form_problems(value))
    return problems


def carry_form(form: Form, name: str) -> None:
    """Keep what was typed into ``form`` and its errors for the page the view redirects to."""
    sent = {key: values for key, values in request.form.lists() if key != "csrf_token"}
    errors = {field.name: _messages(field.errors) for field in form if field.errors}
    if len(repr(sent)) > CARRIED_MAX_CHARS:
        sent = {}  # too much for a cookie: the errors come back, the typing does not
    session[CARRIED_KEY] = {"name": name, "data": sent, "errors": errors}


def take_form(form: Form, name: str) -> Form:
    """Put back into ``form`` what ``carry_form`` kept for it, once; else leave it as it is."""
    carried = session.get(CARRIED_KEY)
    if not carried or carried.get("name") != name:
        return form
    session.pop(CARRIED_KEY)
    form.process(MultiDict([(k, v) for k, values in carried["data"].items() for v in values]))
    for field_name, messages in carried["errors"].items():
        if field_name in form:
            form[field_name].errors = list(messages)
    return form
