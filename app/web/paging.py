"""Which page of a list to show, from the query string."""

from typing import TypedDict

from flask import current_app, request

MAX_PER_PAGE = 200


class PageArgs(TypedDict):
    """The keyword arguments of ``db.paginate`` that say which page."""

    page: int
    per_page: int


def page_args() -> PageArgs:
    """``page`` and ``per_page`` from the query string, bounded."""
    return {
        "page": request.args.get("page", 1, type=int),
        "per_page": min(
            request.args.get("per_page", current_app.config["PER_PAGE"], type=int), MAX_PER_PAGE
        ),
    }
