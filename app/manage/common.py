"""Helpers shared by the console's pages."""

from flask import current_app, request
from wtforms import Form

from app.services.errors import DomainError


def page_args() -> dict[str, int]:
    """``page`` and ``per_page`` from the query string, bounded."""
    return {
        "page": request.args.get("page", 1, type=int),
        "per_page": min(
            request.args.get("per_page", current_app.config["PER_PAGE"], type=int), 200
        ),
    }


def show_error(form: Form, error: DomainError, fallback: str | None = None) -> None:
    """Put a service's error beside the field it names, or on ``fallback``, or the first field."""
    fields = error.details.get("fields", {})
    name = next(iter(fields), None) or fallback
    field = getattr(form, name, None) if name else None
    if field is None:
        field = next(iter(form))
    field.errors = [*field.errors, str(error.message)]
