"""Choices of the select fields that the tenant pages and the console share."""

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from app.extensions import db
from app.models import Company, CompanyStatus


def optional_id(value: Any) -> int | None:
    """Coerce a select's value to an id; the empty choice means none."""
    if value in ("", None):
        return None
    return int(value)


def blank_choice(label: object) -> SelectChoice:
    """The empty first choice of a select, e.g. "— Choose a company —"."""
    return SelectChoice(value="", label=str(label))


def company_choices(keep_id: int | None = None) -> list[SelectChoice]:
    """Companies in the building by name, plus ``keep_id`` so an edit never loses its value."""
    query = sa.select(Company).where(
        sa.or_(Company.status == CompanyStatus.ACTIVE, Company.id == (keep_id or -1))
    )
    return [blank_choice(_l("— Choose a company —"))] + [
        SelectChoice(value=company.id, label=company.name)
        for company in db.session.scalars(query.order_by(Company.name))
    ]
