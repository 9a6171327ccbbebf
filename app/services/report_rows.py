"""The rows of the reports: one frozen dataclass per report whose fields are its CSV columns.

API.md fixes the columns and their order; the CSV and XLSX writers, the OpenAPI document, the
manager's page and the dashboard all read them from here.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l

from app.services.localtime import month_bounds

PERIODS = ("day", "week", "month")
GROUPS = ("space", "zone")


def labelled(label: Any, number_format: str = "", values: Mapping[str, Any] | None = None) -> Any:
    """A field with the label people read above its column, how its numbers are shown, and
    what its coded values (``confirmed``, ``yes``) say in words."""
    return field(metadata={"label": label, "format": number_format, "values": values or {}})


# What the coded values of bookings.csv say to people; the CSV keeps the codes (API.md).
BOOKING_STATUS_WORDS = {
    "pending": _l("Pending"),
    "confirmed": _l("Confirmed"),
    "rejected": _l("Rejected"),
    "cancelled": _l("Cancelled"),
}
YES_WORDS = {"yes": _l("Yes")}


@dataclass(frozen=True)
class UtilizationRow:
    """Open and booked hours of a space (or a zone) in a period: ``utilization.csv``."""

    period_start: date = labelled(_l("From"))
    period_end: date = labelled(_l("Until"))
    zone_code: str = labelled(_l("Zone code"))
    zone_name: str = labelled(_l("Zone"))
    space_code: str = labelled(_l("Space code"))  # empty when grouped by zone
    space_name: str = labelled(_l("Space"))
    open_hours: float = labelled(_l("Open hours"), "%.2f")
    booked_hours: float = labelled(_l("Booked hours"), "%.2f")
    utilization_pct: float = labelled(_l("Utilisation"), "%.1f%%")
    bookings: int = labelled(_l("Number of bookings"))
    cancelled: int = labelled(_l("Cancelled"))
    no_shows: int = labelled(_l("No-shows"))


@dataclass(frozen=True)
class AreaOccupancyRow:
    """Leasable and leased area of a zone in a period: ``area-occupancy.csv``."""

    period_start: date = labelled(_l("From"))
    period_end: date = labelled(_l("Until"))
    zone_code: str = labelled(_l("Zone code"))
    zone_name: str = labelled(_l("Zone"))
    leasable_m2: float = labelled(_l("Leasable area (m²)"), "%.1f")
    leased_m2: float = labelled(_l("Leased area (m²)"), "%.1f")
    occupancy_pct: float = labelled(_l("Occupancy"), "%.1f%%")
    units: int = labelled(_l("Units"))
    units_leased: int = labelled(_l("Units leased"))
    companies: int = labelled(_l("Companies"))


@dataclass(frozen=True)
class BookingRow:
    """One booking: ``bookings.csv``; ``checked_in`` is "yes" or empty.

    ``start`` and ``end`` are local (aware) times: ISO 8601 with the offset in a CSV, date-time
    cells in a workbook.
    """

    id: int = labelled(_l("Booking number"))
    zone_code: str = labelled(_l("Zone code"))
    space_code: str = labelled(_l("Space code"))
    space_name: str = labelled(_l("Space"))
    company: str = labelled(_l("Company"))
    user: str = labelled(_l("Booked by"))
    title: str = labelled(_l("Title"))
    start: datetime = labelled(_l("Start"))
    end: datetime = labelled(_l("End"))
    status: str = labelled(_l("Status"), values=BOOKING_STATUS_WORDS)
    checked_in: str = labelled(_l("Checked in"), values=YES_WORDS)


Row = UtilizationRow | AreaOccupancyRow | BookingRow


def columns(row_type: type[Row]) -> list[str]:
    """The CSV columns of a report, in order."""
    return [column.name for column in fields(row_type)]


def labels(row_type: type[Row]) -> dict[str, Any]:
    """The columns' labels for people, where the row gives them."""
    return {column.name: column.metadata["label"] for column in fields(row_type) if column.metadata}


def value_words(row_type: type[Row]) -> dict[str, Mapping[str, Any]]:
    """The columns whose coded values have words for people, with those words."""
    return {
        column.name: column.metadata["values"]
        for column in fields(row_type)
        if column.metadata.get("values")
    }


def measures(row_type: type[Row]) -> list[str]:
    """The columns that hold figures (hours, counts, percentages), in order."""
    return [column.name for column in fields(row_type) if column.type in (int, float)]


def number_formats(row_type: type[Row]) -> dict[str, str]:
    """How a page shows the numbers of each column (``%.2f``), where the row says."""
    return {
        column.name: column.metadata["format"]
        for column in fields(row_type)
        if column.metadata.get("format")
    }


UTILIZATION_COLUMNS = columns(UtilizationRow)
AREA_OCCUPANCY_COLUMNS = columns(AreaOccupancyRow)
BOOKING_COLUMNS = columns(BookingRow)


@dataclass(frozen=True)
class ReportKind:
    """A downloadable report: its URL name, its Chinese file name, an ASCII one, its rows."""

    name: str
    title: str
    ascii_title: str
    row_type: type[Row]

    @property
    def columns(self) -> list[str]:
        return columns(self.row_type)


REPORTS = {
    kind.name: kind
    for kind in (
        ReportKind("utilization", "会议室使用率", "utilization", UtilizationRow),
        ReportKind("area-occupancy", "入驻率", "area-occupancy", AreaOccupancyRow),
        ReportKind("bookings", "预订明细", "bookings", BookingRow),
    )
}


def month_end(day: date) -> date:
    """The last day of ``day``'s month."""
    return month_bounds(day)[1] - timedelta(days=1)


def range_label(start: date, end: date) -> str:
    """The range as a file name shows it: 2026-11 for a month, 2026 for a year, else both days."""
    if start == end:
        return start.isoformat()
    if start.day == 1 and end == month_end(start):
        return f"{start:%Y-%m}"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return f"{start:%Y}"
    return f"{start.isoformat()}_{end.isoformat()}"


def report_filenames(kind: ReportKind, start: date, end: date, extension: str) -> tuple[str, str]:
    """The report's file name in Chinese and its ASCII fallback, e.g. 入驻率-2026-11.csv."""
    label = range_label(start, end)
    return f"{kind.title}-{label}.{extension}", f"{kind.ascii_title}-{label}.{extension}"


def periods(start: date, end: date, period: str) -> list[tuple[date, date]]:
    """Local days, ISO weeks or calendar months covering [start, end], clipped to the range."""
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}")
    if end < start:
        raise ValueError("the end comes before the start")
    found = []
    first = start
    while first <= end:
        if period == "day":
            last = first
        elif period == "week":
            last = first + timedelta(days=6 - first.weekday())
        else:
            last = month_end(first)
        last = min(last, end)
        found.append((first, last))
        first = last + timedelta(days=1)
    return found
