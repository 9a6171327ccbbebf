"""Reports for the zone administration: a form with presets, a preview, CSV and XLSX downloads."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import islice
from typing import Any

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from app.i18n import select_locale
from app.manage import bp
from app.models import BookingStatus
from app.render.exports import FORMATS, Wording, download
from app.services import report_rows, reports
from app.services.report_names import in_language
from app.services.report_rows import (
    ReportKind,
    UtilizationRow,
    labels,
    measures,
    number_formats,
    value_words,
)
from app.web import BOOKING_STATUS_LABELS, today_local
from app.web.bounds import BAD_YEAR, MAX_DAY_RANGE, is_day, parse_day

PREVIEW_ROWS = 12
PERIOD_LABELS = {"day": _l("By day"), "week": _l("By week"), "month": _l("By month")}
GROUP_LABELS = {"space": _l("Each space"), "zone": _l("Each zone")}
REPORT_LABELS = {
    "utilization": _l("Room utilisation"),
    "area-occupancy": _l("Area occupancy"),
    "bookings": _l("Booking list"),
}


def wording(kind: ReportKind) -> Wording:
    """The report's column labels and coded values in the reader's language, for a workbook."""
    return Wording(
        labels={column: str(label) for column, label in labels(kind.row_type).items()},
        values={
            column: {code: str(word) for code, word in words.items()}
            for column, words in value_words(kind.row_type).items()
        },
    )


def presets(today: date) -> list[tuple[Any, date, date]]:
    """(label, from, to) of the ranges managers ask for most."""
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    quarter = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    quarter_end = report_rows.month_end(quarter.replace(month=quarter.month + 2))
    return [
        (_l("This month"), this_month, report_rows.month_end(today)),
        (_l("Last month"), last_month, report_rows.month_end(last_month)),
        (_l("This quarter"), quarter, quarter_end),
        (_l("This year"), today.replace(month=1, day=1), today.replace(month=12, day=31)),
    ]


@dataclass
class ReportFilters:
    """The form's choices; anything unreadable falls back to a default and is named in errors."""

    start: date
    end: date
    period: str = "month"
    group: str = "space"
    status: BookingStatus | None = None
    errors: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_args(cls, args: Any, today: date) -> "ReportFilters":
        errors: dict[str, Any] = {}

        def day(key: str, default: date) -> date:
            text = args.get(key, "").strip()
            if not text:
                return default
            try:
                return parse_day(text)
            except ValueError:
                errors[key] = BAD_YEAR if is_day(text) else _l("Give a date as YYYY-MM-DD.")
                return default

        start = day("from", today.replace(day=1))
        end = day("to", report_rows.month_end(start))
        if end < start:
            errors["to"] = _l("The end comes before the start.")
            end = report_rows.month_end(start)
        elif end - start > MAX_DAY_RANGE:
            errors["to"] = _l("Ask for at most three years at a time.")
            end = report_rows.month_end(start)
        period = args.get("period", "month")
        if period not in report_rows.PERIODS:
            errors["period"] = _l("Choose a period from the list.")
            period = "month"
        group = args.get("group", "space")
        if group not in report_rows.GROUPS:
            errors["group"] = _l("Choose from the list.")
            group = "space"
        status = None
        if args.get("status"):
            try:
                status = BookingStatus(args["status"])
            except ValueError:
                errors["status"] = _l("Choose from the list.")
        return cls(start, end, period, group, status, errors)

    def args(self) -> dict[str, str]:
        """The query string that repeats these choices."""
        values = {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "period": self.period,
            "group": self.group,
        }
        return values | ({"status": self.status.value} if self.status else {})


@bp.get("/reports")
def reports_page() -> ResponseReturnValue:
    """The report form, a preview of room utilisation and the download links."""
    today = today_local()
    filters = ReportFilters.from_args(request.args, today)
    rows = in_language(
        reports.utilization_rows(filters.start, filters.end, filters.period, filters.group),
        select_locale(),
    )
    return render_template(
        "manage/reports.html",
        filters=filters,
        presets=presets(today),
        preview=list(islice(rows, PREVIEW_ROWS)),
        measures=measures(UtilizationRow),
        column_labels=labels(UtilizationRow),
        number_formats=number_formats(UtilizationRow),
        period_labels=PERIOD_LABELS,
        group_labels=GROUP_LABELS,
        status_labels=BOOKING_STATUS_LABELS,
        report_labels=REPORT_LABELS,
        formats=FORMATS,
    )


@bp.get("/reports/<any(utilization, 'area-occupancy', bookings):name>.<any(csv, xlsx):fmt>")
def report_download(name: str, fmt: str) -> ResponseReturnValue:
    """One report as a CSV (streamed; the columns of API.md) or an XLSX workbook in the
    reader's language, named in Chinese, e.g. 入驻率-2026-11.csv."""
    filters = ReportFilters.from_args(request.args, today_local())
    if filters.errors:
        abort(400)
    start, end = filters.start, filters.end
    rows = {
        "utilization": lambda: reports.utilization_rows(start, end, filters.period, filters.group),
        "area-occupancy": lambda: reports.area_occupancy_rows(start, end, filters.period),
        "bookings": lambda: reports.booking_rows(start, end, filters.status),
    }[name]()
    rows = in_language(rows, select_locale())  # the CSV of the API keeps API.md's names
    kind = report_rows.REPORTS[name]
    filename, fallback = report_rows.report_filenames(kind, start, end, fmt)
    sheet = filename.rpartition(".")[0]
    return download(kind.columns, rows, fmt, filename, fallback, sheet, wording(kind))
