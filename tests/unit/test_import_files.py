"""Reading uploaded spreadsheets: whatever text Excel, WPS or a script wrote comes back the same,
in every encoding they write CSV in, and rows keep the numbers the spreadsheet shows."""

import csv
import io
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.services.importing.columns import CellError, cell_text, day, header_key, yes_no
from app.services.importing.files import read_sheet
from tests.fixtures.spreadsheets import csv_file, xlsx_file

HEADER = ["企业名称", "统一社会信用代码", "备注"]
# Any text a cell can hold: Chinese, punctuation, quotes, commas, line breaks (no NUL, which
# neither csv nor Excel keeps), with something visible so that the row is not blank.
cell = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00"),
    max_size=30,
) | st.sampled_from(["四川护能科技有限公司", "a,b", 'say "hi"', "第一行\n第二行", "；、，"])
row = st.lists(cell, min_size=3, max_size=3).filter(lambda cells: cells[0].strip() != "")


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(row, min_size=1, max_size=8), encoding=st.sampled_from(
    ["utf-8-sig", "utf-8", "gb18030", "utf-16"]
))  # fmt: skip
def test_csv_in_every_encoding_reads_back_the_same_cells(rows, encoding) -> None:
    sheet = read_sheet("企业.csv", csv_file(HEADER, rows, encoding=encoding))
    assert sheet.header == HEADER
    assert [cells for _number, cells in sheet.rows] == rows
    assert [number for number, _cells in sheet.rows] == list(range(2, len(rows) + 2))


def test_blank_rows_are_skipped_but_row_numbers_stay_those_of_the_sheet() -> None:
    data = xlsx_file(HEADER, [["甲公司", "", ""], [None, None, None], ["乙公司", "", "备注"]])
    sheet = read_sheet("企业.xlsx", data)
    assert [number for number, _cells in sheet.rows] == [2, 4]


def test_excel_unicode_text_is_read_with_its_tabs() -> None:
    out = io.StringIO()
    csv.writer(out, dialect="excel-tab").writerows([HEADER, ["甲公司", "", "a,b"]])
    sheet = read_sheet("企业.txt", out.getvalue().encode("utf-16"))
    assert sheet.rows == [(2, ["甲公司", "", "a,b"])]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [(13800001111.0, "13800001111"), (datetime(2025, 3, 1), "2025-03-01"), (True, "是"),
     (" 乐山 ", "乐山"), (None, ""), (2.5, "2.5")],
)  # fmt: skip
def test_cells_read_as_text_the_way_people_typed_them(cell, expected) -> None:
    assert cell_text(cell) == expected


@pytest.mark.parametrize(
    "text",
    ["2025-03-01", "2025/3/1", "2025.3.1", "2025年3月1日", "20250301", "２０２５－０３－０１"]
    + ["2025-03-01 00:00:00"],
)
def test_dates_in_the_ways_chinese_spreadsheets_write_them(text) -> None:
    assert day(text) == date(2025, 3, 1)


def test_a_date_column_formatted_as_numbers_reads_as_dates() -> None:
    assert day(45717) == day(45717.0) == date(2025, 3, 1)
    with pytest.raises(CellError):
        day(2025)  # a year alone is not a date


@pytest.mark.parametrize("text", ["2025-02-30", "下个月", "3/1/2025"])
def test_a_date_that_is_not_one_is_refused(text) -> None:
    with pytest.raises(CellError):
        day(text)


def test_headers_match_whatever_marks_people_add() -> None:
    assert header_key(" 企业名称* ") == header_key("企业名称（必填）") == header_key("企业名称")
    assert header_key("Joined On") == header_key("joined on")
    assert (yes_no("是"), yes_no("N"), yes_no(" ")) == (True, False, None)
