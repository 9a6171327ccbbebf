"""Which page of a list to show, from the query string."""

from dataclasses import dataclass
from typing import Any, TypedDict

import sqlalchemy as sa
from flask import abort, current_app, request

from app.extensions import db
from app.web.bounds import MAX_DAY_RANGE, MAX_PAGE, MAX_PER_PAGE

__all__ = [
    "MAX_DAY_RANGE",
    "MAX_PAGE",
    "MAX_PER_PAGE",
    "PageArgs",
    "Stretch",
    "page_args",
    "stretch",
]


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


@dataclass
class Stretch:
    """A page of a list that is not counted: one row past it is read to know whether a next
    page exists. The pager shows "previous" and "next" without "page n of m" and a total.

    For lists whose count would cost more than the page (the past bookings: every row of the
    table ever written); otherwise ``db.paginate``.
    """

    items: list[Any]
    page: int
    per_page: int
    has_next: bool
    total: None = None

    @property
    def has_prev(self) -> bool:
        """Whether a page comes before this one."""
        return self.page > 1

    @property
    def prev_num(self) -> int:
        """The number of the page before."""
        return self.page - 1

    @property
    def next_num(self) -> int:
        """The number of the page after."""
        return self.page + 1


def stretch(query: sa.Select[Any], page: int, per_page: int) -> Stretch:
    """The ``page`` of ``query`` (ordered) without counting it; a page past the last is 404."""
    rows = list(
        db.session.scalars(query.limit(per_page + 1).offset((page - 1) * per_page)).unique()
    )
    if not rows and page > 1:
        abort(404)
    return Stretch(rows[:per_page], page, per_page, len(rows) > per_page)
