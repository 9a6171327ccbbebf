"""Report rows in the reader's language: the names of zones and spaces.

The report services write the names as API.md's CSV has them (Chinese, the zone
administration's language); the managers' pages and downloads show them in the reader's.
"""

import dataclasses
from collections.abc import Iterable, Iterator
from typing import Any

import sqlalchemy as sa

from app.extensions import db
from app.models import Space, Zone


def _names(model: type[Zone] | type[Space], locale: str) -> dict[str, str]:
    rows = db.session.execute(sa.select(model.code, model.name, model.name_en))
    return {
        code: name_en if locale.startswith("en") and name_en else name
        for code, name, name_en in rows
    }


def in_language(rows: Iterable[Any], locale: str) -> Iterator[Any]:
    """The report rows (``report_rows``) with ``zone_name`` and ``space_name`` in ``locale``,
    looked up by code."""
    if not locale.startswith("en"):
        yield from rows
        return
    zones, spaces = _names(Zone, locale), _names(Space, locale)
    for row in rows:
        changes = {}
        if hasattr(row, "zone_name") and (zone_name := zones.get(row.zone_code)):
            changes["zone_name"] = zone_name
        if hasattr(row, "space_name") and (space_name := spaces.get(row.space_code or "")):
            changes["space_name"] = space_name
        yield dataclasses.replace(row, **changes)
