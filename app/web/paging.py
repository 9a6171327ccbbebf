"""Which page of a list to show, from the query string."""

from datetime import timedelta
from typing import TypedDict

from flask import current_app, request

# The bounds of every paged list, pages and API alike: beyond them a number is an attack or a
# typo, and a 20-digit page would overflow the database's OFFSET.
MAX_PER_PAGE = 200
MAX_PAGE = 1_000_000
# The longest range of days a report or the calendar lists: more is not a spreadsheet any more.
MAX_DAY_RANGE = timedelta(days=3 * 366)


class PageArgs(TypedDict):
    """The keyword arguments of ``db.paginate`` that say which page."""

    page: int
    per_page: int


def page_args() -> PageArgs:
    """``page`` and ``per_page`` from the query string, bounded (a page past the last is 404)."""
    page = request.args.get("page", 1, type=int)
    per_page = request.args.get("per_page", current_app.config["PER_PAGE"], type=int)
    return {
        "page": min(max(page, 1), MAX_PAGE),
        "per_page": min(max(per_page, 1), MAX_PER_PAGE),
    }
