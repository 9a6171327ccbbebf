"""The working calendar: every day's kind for any user; managers declare or withdraw days."""

from datetime import timedelta
from typing import Any

from flask.typing import ResponseReturnValue

from app.api import bp
from app.api.auth import api_user
from app.api.parsing import check_day_range, json_body, page_args, query_day, to_bool, to_day
from app.extensions import db
from app.services import workdays
from app.services.localtime import month_bounds
from app.services.workdays import WorkDay
from app.web import today_local


def workday_json(day: WorkDay) -> dict[str, Any]:
    """One day of the working calendar."""
    return {
        "date": day.day.isoformat(),
        "working": day.working,
        "kind": day.kind.value,
        "name": day.name,
        "source": day.source.value,
        "provisional": day.provisional,
    }


@bp.get("/api/v1/calendar")
def calendar_days() -> ResponseReturnValue:
    """One item per local day from ``from`` to ``to`` (by default the current month)."""
    first = query_day("from") or today_local().replace(day=1)
    last = query_day("to") or month_bounds(first)[1] - timedelta(days=1)
    check_day_range(first, last)
    page, per_page = page_args()
    total = (last - first).days + 1
    skipped = (page - 1) * per_page  # a page far past the end must not overflow the date
    start = first + timedelta(days=min(skipped, total))
    end = min(last, start + timedelta(days=per_page - 1))
    items = workdays.days_between(start, end) if skipped < total else []
    return {
        "items": [workday_json(day) for day in items],
        "page": page,
        "per_page": per_page,
        "total": total,
    }


@bp.put("/api/v1/calendar/<day>")
def declare_day(day: str) -> ResponseReturnValue:
    """Declare a day a working day or a day off (managers)."""
    body = json_body()
    declared = workdays.set_day(
        api_user(),
        to_day(day, "date"),
        working=body.required("working", to_bool),
        name=body.text("name", max_length=workdays.NAME_MAX_LENGTH),
        provisional=body.optional("provisional", to_bool) or False,
    )
    db.session.commit()
    return workday_json(declared)


@bp.delete("/api/v1/calendar/<day>")
def withdraw_day(day: str) -> ResponseReturnValue:
    """Withdraw a manager's declaration: the day follows the published calendar again."""
    restored = workdays.clear_day(api_user(), to_day(day, "date"))
    db.session.commit()
    return workday_json(restored)
