"""Report writers: CSV for Excel and WPS on Chinese Windows, and typed XLSX workbooks.

Text that tenants type (booking titles, company names) reaches managers' spreadsheets, so any
text cell that a spreadsheet could read as a formula gets a leading apostrophe; real numbers
stay numbers, negative ones included.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from flask import Response, stream_with_context
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
FORMATS = ("csv", "xlsx")
# Lines handed to the server at a time: one write per line is a system call per booking.
CSV_LINES_PER_CHUNK = 200
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE_MAX = 31  # Excel's limit
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def neutralise(text: str) -> str:
    """Text a spreadsheet would run as a formula, made inert with a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_cell(value: Any) -> Any:
    if type(value) is str:  # most cells: skip the checks below
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    return neutralise(str(value))


class _Line:
    """A file-like target for csv.writer that hands back what was written."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def take(self) -> str:
        text, self.text = self.text, ""
        return text


def csv_stream(columns: list[str], rows: Iterable[Any]) -> Iterator[str]:
    """The rows as CSV text, some lines at a time: BOM, header, CRLF line ends, formulas made
    inert."""
    line = _Line()
    writer = csv.writer(line, lineterminator="\r\n")
    writer.writerow(columns)
    yield BOM + line.take()
    waiting = 0
    for row in rows:
        writer.writerow([_csv_cell(getattr(row, column)) for column in columns])
        waiting += 1
        if waiting == CSV_LINES_PER_CHUNK:
            yield line.take()
            waiting = 0
    if waiting:
        yield line.take()


def _xlsx_value(value: Any) -> tuple[Any, str | None]:
    """The cell value and its number format, if it needs one."""
    if value is None:
        return None, None
    if isinstance(value, bool | int | float):
        return value, None
    if isinstance(value, datetime):
        # Excel has no time zones: write the wall-clock time the value carries.
        return value.replace(tzinfo=None), DATETIME_FORMAT
    if isinstance(value, date):
        return value, DATE_FORMAT
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", str(value))), None


def safe_sheet_title(title: str) -> str:
    """A worksheet title Excel accepts: no []:*?/\\ and at most 31 characters."""
    return _SHEET_TITLE_FORBIDDEN.sub("_", title)[:SHEET_TITLE_MAX] or "Sheet"


@dataclass(frozen=True)
class Wording:
    """How a file speaks to people: a label above each column and words for coded values
    (``confirmed`` → 已确认); a column without them keeps its name and its values."""

    labels: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def header(self, column: str) -> str:
        return self.labels.get(column, column)

    def value(self, column: str, value: Any) -> Any:
        words = self.values.get(column)
        if words and isinstance(value, str):
            return words.get(value, value)
        return value


CODES = Wording()  # the columns and values as API.md names them


def xlsx_bytes(
    columns: list[str], rows: Iterable[Any], sheet_title: str, wording: Wording = CODES
) -> bytes:
    """The rows as an XLSX workbook: typed cells (dates and times as such, with a number
    format), bold frozen header, formulas made inert; headers and values in ``wording``."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(safe_sheet_title(sheet_title))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=wording.header(column))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for column in columns:
            value, number_format = _xlsx_value(wording.value(column, getattr(row, column)))
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            if number_format:
                cell.number_format = number_format
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _ascii_fallback(filename: str) -> str:
    """The file name with its non-ASCII letters left out, for clients without RFC 5987."""
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_stem).strip("._-") or "report"
    return f"{ascii_stem}.{extension}" if extension else ascii_stem


def content_disposition(filename: str, fallback: str | None = None) -> str:
    """An attachment header whose Chinese file name works everywhere (RFC 6266 / RFC 5987)."""
    plain = _ascii_fallback(fallback or filename).replace("\\", "_").replace('"', "_")
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download(
    columns: list[str],
    rows: Iterable[Any],
    fmt: str,
    filename: str,
    fallback: str,
    sheet_title: str,
    wording: Wording = CODES,
) -> Response:
    """The rows as a file download: CSV streamed while the rows are read, or an XLSX workbook
    (in ``wording``; a CSV always keeps the columns and codes of API.md).

    Call it inside a request, with every argument already checked: once a CSV has started,
    an error can no longer become an error page.
    """
    headers = {"Content-Disposition": content_disposition(filename, fallback)}
    if fmt == "xlsx":
        return Response(
            xlsx_bytes(columns, rows, sheet_title, wording),
            mimetype=XLSX_MIMETYPE,
            headers=headers,
        )
    return Response(
        stream_with_context(csv_stream(columns, rows)),
        mimetype="text/csv",
        headers=headers,
    )
