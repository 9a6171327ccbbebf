"""Choices of the select fields that the tenant pages and the console share.

A long list of spaces, companies or people becomes a box to type in on every page:
static/picker.js enhances each select of 13 options or more whose options carry ``data-search``
(the words these helpers add: what someone may type that the label does not show), and each
select marked ``data-picker`` (the filters of the lists, written in their templates).
"""

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from app.extensions import db
from app.models import Company, CompanyStatus, Space


def optional_id(value: Any) -> int | None:
    """Coerce a select's value to an id; the empty choice means none."""
    if value in ("", None):
        return None
    return int(value)


def blank_choice(label: object) -> SelectChoice:
    """The empty first choice of a select, e.g. "— Choose a company —"."""
    return SelectChoice(value="", label=str(label))


def search_words(*words: str | None) -> dict[str, str]:
    """An option's ``render_kw``: words it is found by besides its label."""
    return {"data-search": " ".join(word for word in words if word)}


def space_search(space: Space) -> dict[str, str]:
    """A space is found by its code, both its names and its zone's names."""
    return search_words(space.code, space.name, space.name_en, space.zone.name, space.zone.name_en)


def company_choices(keep_id: int | None = None) -> list[SelectChoice]:
    """Companies in the building by name, plus ``keep_id`` so an edit never loses its value."""
    query = sa.select(Company).where(
        sa.or_(Company.status == CompanyStatus.ACTIVE, Company.id == (keep_id or -1))
    )
    return [blank_choice(_l("— Choose a company —"))] + [
        SelectChoice(value=company.id, label=company.name, render_kw=search_words(company.uscc))
        for company in db.session.scalars(query.order_by(Company.name))
    ]
