"""The one bridge between a view and the services: commit, or roll back and say why.

A view that changes something calls its service inside ``service_call``::

    with service_call(form, fallback="starts_on") as call:
        lease = save_lease(current_actor(), lease, company=company, space=space, **values)
    if call.ok:
        flash(_("Saved the lease of %(space)s.", space=lease.space.code), "ok")
        return redirect(url_for("manage.company", company_id=lease.company_id))
    return render_template("manage/lease_form.html", form=form, lease=lease)

On success the transaction is committed. On a domain error it is rolled back first (the error's
message is translated only then, as the services keep it lazy), and the message is shown beside
the form field the error names, else beside ``fallback``, else at the top of the page: as a flash
message, or, with ``top="page"``, in ``call.problems`` for the template to show. A service that
refuses (``NotAllowed``) answers 403 and one that finds nothing (``NotFound``) 404, as the API
does. Any other exception passes through untouched: it is a bug or an outage, not a rule.
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal

from flask import abort, flash
from wtforms import Field, Form

from app.extensions import db
from app.services.errors import DomainError, NotAllowed, NotFound


@dataclass
class Outcome:
    """What came of a service call: ``ok`` once committed, else the domain error and its text."""

    ok: bool = False
    error: DomainError | None = None
    message: str = ""  # the error's message, translated after the rollback
    problems: list[str] = field(default_factory=list)  # for the top of the page (top="page")


def error_field(
    form: Form,
    error: DomainError,
    fallback: str | None = None,
    fields: Mapping[str, str] | None = None,
) -> Field | None:
    """The form field to show ``error`` beside: the one it names (``fields`` maps a service's
    name to the form's), else ``fallback``; None when the form has neither."""
    fields = fields or {}
    named = [getattr(error, "field", None), *error.details.get("fields", {})]
    for name in [*(fields.get(n, n) for n in named if n), fallback]:
        if name and name in form:
            found: Field = form[name]
            return found
    return None


@contextmanager
def service_call(
    form: Form | None = None,
    *,
    fallback: str | None = None,
    fields: Mapping[str, str] | None = None,
    top: Literal["flash", "page"] = "flash",
) -> Iterator[Outcome]:
    """Run the block as one unit of work: commit it, or turn its domain error into a message."""
    outcome = Outcome()
    try:
        yield outcome
    except DomainError as error:
        db.session.rollback()
        if isinstance(error, NotAllowed):
            abort(403)
        if isinstance(error, NotFound):
            abort(404)
        outcome.error, outcome.message = error, str(error.message)
        beside = error_field(form, error, fallback, fields) if form is not None else None
        if beside is not None:
            beside.errors = [*beside.errors, outcome.message]
        elif top == "page":
            outcome.problems.append(outcome.message)
        else:
            flash(outcome.message, "error")
    else:
        db.session.commit()
        outcome.ok = True
