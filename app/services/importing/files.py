"""Spreadsheets in and out: reading an uploaded XLSX or CSV into rows, writing a template.

CSV comes as Excel and WPS write it: UTF-8 with or without a byte-order mark, GB18030 (what
Chinese Excel writes as "CSV"), or UTF-16 with tabs ("Unicode text"). Rows are numbered as the
spreadsheet numbers them, the header being row 1, so an error names the row the manager sees.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from app.services.errors import DomainError
from app.services.importing.columns import Cell, cell_text
from app.services.importing.kinds import ImportKind

MAX_ROWS = 20_000  # beyond this a file is not the incubator's records
TEMPLATE_ROWS = 2_000  # drop-downs of the template reach this far down
INSTRUCTIONS_TITLE = "说明"
XLSX_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"  # the .xls of Excel 97-2003


class UnreadableFile(DomainError):
    """The upload is not a spreadsheet this import can read."""

    code = "invalid"


@dataclass
class RawSheet:
    """The header row and the numbered rows below it, as the file holds them."""

    header: list[str]
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)


def _decode(data: bytes) -> str:
    """CSV bytes as text: a byte-order mark decides; else UTF-8 if it is, else GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise UnreadableFile(
            _l("The file is neither UTF-8 nor GB18030 text: save it as CSV or XLSX again.")
        ) from None


def _csv_rows(data: bytes) -> list[list[Cell]]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first_line.count)
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _xlsx_rows(data: bytes) -> list[list[Cell]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise UnreadableFile(_l("The file could not be opened as an Excel workbook.")) from None
    try:
        sheets = [s for s in book.worksheets if s.title != INSTRUCTIONS_TITLE] or book.worksheets
        rows: list[list[Cell]] = []
        for values in sheets[0].iter_rows(min_row=1, values_only=True):
            rows.append(list(values))
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        book.close()


def read_sheet(filename: str, data: bytes) -> RawSheet:
    """The header and rows of an uploaded XLSX or CSV file; blank rows are skipped."""
    name = filename.lower()
    if data.startswith(OLE_SIGNATURE) or name.endswith(".xls"):
        raise UnreadableFile(_l("Old .xls workbooks are not read: save it as .xlsx or CSV."))
    if data.startswith(XLSX_SIGNATURE) or name.endswith((".xlsx", ".xlsm")):
        rows = _xlsx_rows(data)
    elif name.endswith((".csv", ".txt")) or not name:
        rows = _csv_rows(data)
    else:
        raise UnreadableFile(_l("Upload an .xlsx or .csv file."))
    numbered = [
        (number, row)
        for number, row in enumerate(rows, start=1)
        if any(cell_text(cell) for cell in row)
    ]
    if not numbered:
        raise UnreadableFile(_l("The file is empty."))
    if len(numbered) > MAX_ROWS + 1:
        raise UnreadableFile(_l("At most %(count)d rows at once.", count=MAX_ROWS))
    (_number, header), *body = numbered
    return RawSheet([cell_text(cell) for cell in header], body)


def template_bytes(kind: ImportKind) -> bytes:
    """An XLSX template of ``kind``: Chinese headers, one example row, drop-downs and a sheet
    that explains every column."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = kind.sheet_title
    bold = Font(bold=True)
    example_font = Font(italic=True, color="808080")
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(kind.columns, start=1):
        letter = get_column_letter(index)
        head = sheet.cell(
            row=1, column=index, value=column.header + ("*" if column.required else "")
        )
        head.font, head.fill = bold, fill
        example = sheet.cell(row=2, column=index, value=_example_value(column.example))
        example.font = example_font
        if column.text_format:
            example.number_format = "@"
        sheet.column_dimensions[letter].width = max(12, 2 * len(column.header) + 4)
        if column.choices:
            listed = DataValidation(
                type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True
            )
            listed.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
            sheet.add_data_validation(listed)
    sheet.freeze_panes = "A2"
    _instructions(book.create_sheet(INSTRUCTIONS_TITLE), kind)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _example_value(value: Any) -> Any:
    return value if value not in ("", None) else None


def _instructions(sheet: Any, kind: ImportKind) -> None:
    """One line per column: its header, whether it is needed, what to write."""
    sheet.append([str(_l("Row 2 of the first sheet is an example: replace or delete it."))])
    sheet.append([str(_l("Columns marked * are needed."))])
    sheet.append([])
    sheet.append([str(_l("Column")), str(_l("Needed")), str(_l("What to write"))])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for column in kind.columns:
        choices = "、".join(column.choices)
        hint = str(column.hint) + (f"（{choices}）" if choices else "")
        sheet.append([column.header, str(_l("Yes")) if column.required else "", hint])
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 8
    sheet.column_dimensions["C"].width = 80
    for row in sheet.iter_rows(min_row=5):
        row[2].alignment = Alignment(wrap_text=True)
