"""Which page of a list to show, from the query string."""

from typing import TypedDict

from flask import current_app, request

from app.web.bounds import MAX_DAY_RANGE, MAX_PAGE, MAX_PER_PAGE

__all__ = ["MAX_DAY_RANGE", "MAX_PAGE", "MAX_PER_PAGE", "PageArgs", "page_args"]


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
