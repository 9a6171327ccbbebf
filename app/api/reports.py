"""Reports as CSV (or XLSX with ``format=xlsx``): room utilisation, area occupancy, bookings.

Every parameter is checked before the first byte is sent: a streamed CSV cannot turn into an
error JSON half way.
"""

from collections.abc import Iterator
from datetime import date

from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from app.api import bp
from app.api.auth import api_user
from app.api.errors import bad_request
from app.api.parsing import check_day_range, query_choice, query_day, query_text
from app.models import BookingStatus, User
from app.render.exports import FORMATS, download
from app.services import report_rows, reports
from app.services.errors import NotAllowed
from app.services.report_rows import Row
from app.web import today_local


def report_range() -> tuple[date, date]:
    """``from`` and ``to`` (local days, both included); by default the current month."""
    start = query_day("from")
    end = query_day("to")
    if start is None:
        start = (end or today_local()).replace(day=1)
    if end is None:
        end = report_rows.month_end(start)
    check_day_range(start, end)
    return start, end


def _choice(key: str, allowed: tuple[str, ...], default: str) -> str:
    value = query_text(key) or default
    if value not in allowed:
        raise bad_request(key, _l("Give one of: %(values)s.", values=", ".join(allowed)))
    return value


def _staff_only(user: User) -> None:
    if not user.is_staff:
        raise NotAllowed(_l("Only the incubator's managers can read this report."))


def _send(name: str, start: date, end: date, rows: Iterator[Row]) -> ResponseReturnValue:
    kind = report_rows.REPORTS[name]
    fmt = _choice("format", FORMATS, "csv")
    filename, fallback = report_rows.report_filenames(kind, start, end, fmt)
    return download(kind.columns, rows, fmt, filename, fallback, filename.rpartition(".")[0])


@bp.get("/api/v1/reports/utilization.csv")
def utilization_report() -> ResponseReturnValue:
    """Open and booked hours of the bookable spaces or zones, by day, week or month (managers)."""
    _staff_only(api_user())
    start, end = report_range()
    period = _choice("period", report_rows.PERIODS, "month")
    group = _choice("group", report_rows.GROUPS, "space")
    return _send("utilization", start, end, reports.utilization_rows(start, end, period, group))


@bp.get("/api/v1/reports/area-occupancy.csv")
def area_occupancy_report() -> ResponseReturnValue:
    """Leasable and leased area of each zone, by month (or week or day) (managers)."""
    _staff_only(api_user())
    start, end = report_range()
    period = _choice("period", report_rows.PERIODS, "month")
    return _send("area-occupancy", start, end, reports.area_occupancy_rows(start, end, period))


@bp.get("/api/v1/reports/bookings.csv")
def bookings_report() -> ResponseReturnValue:
    """Bookings overlapping the days: a tenant's company's, every company's for managers."""
    user = api_user()
    start, end = report_range()
    status = query_choice("status", BookingStatus, _l("Unknown status."))
    company_id = None if user.is_staff else user.company_id
    if not user.is_staff and company_id is None:
        raise NotAllowed(_l("You are not with a company."))
    return _send("bookings", start, end, reports.booking_rows(start, end, status, company_id))
