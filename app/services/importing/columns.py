"""The columns of an import file: their headers, how a cell is read, the error when it cannot be.

A cell arrives as openpyxl or the csv module gives it (text, a number, a date or nothing); a
parser turns it into the value the service takes, or raises ``CellError`` with a message for the
manager. Shape rules only (required, lengths, formats, known choices): the rules that need the
database stay in the services, which the import calls row by row.
"""

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.services.companies import normalise_uscc
from app.services.errors import RuleViolation
from app.web.bounds import BAD_TEXT, has_control_characters, value_problem

Cell = str | int | float | date | datetime | bool | None

# Headers of the template end in * when the column is needed; people also write (必填) or spaces.
_HEADER_NOISE = re.compile(r"[*＊\s]|[（(][^)）]*[)）]")
_LIST_SEPARATORS = re.compile(r"[,，、;；\n]")
_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
EXCEL_EPOCH = date(1899, 12, 30)
SERIALS = (36_526, 401_768)  # 2000-01-01 and 2999-12-31 as Excel numbers them
TRUE_WORDS = {"是", "yes", "y", "true", "1", "√", "✓", "✔", "对"}
FALSE_WORDS = {"否", "no", "n", "false", "0", "×", "✗", "不"}


class CellError(Exception):
    """A cell that cannot be read; ``message`` says why, in the reader's language when shown."""

    def __init__(self, message: Any) -> None:
        super().__init__(message)
        self.message = message


def header_key(text: Cell) -> str:
    """A header as compared with the known ones: without marks, spaces, case or width."""
    folded = unicodedata.normalize("NFKC", str(text or "")).lower()
    return _HEADER_NOISE.sub("", folded)


def cell_text(cell: Cell) -> str:
    """A cell as text: a whole number without ``.0`` (Excel stores phone numbers as numbers)."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "是" if cell else "否"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell).strip()


@dataclass(frozen=True)
class Column:
    """One column of a kind of import: the service's field, its headers, its parser."""

    key: str
    header: str  # Chinese, as the template writes it
    aliases: tuple[str, ...] = ()  # other headers accepted (English, the field name)
    parse: Callable[[Cell], Any] = field(default=lambda cell: cell_text(cell))
    required: bool = False  # the header must be there, and the cell filled in
    example: Cell = ""
    hint: Any = ""  # what the instructions sheet says about the column
    choices: tuple[str, ...] = ()  # the Chinese words a drop-down in the template offers
    text_format: bool = False  # the template keeps the column as text (codes, phones)

    def header_keys(self) -> set[str]:
        """Every header this column is recognised by."""
        return {header_key(name) for name in (self.header, self.key, *self.aliases)}

    def read(self, cell: Cell) -> Any:
        """The cell's value for the service; CellError when it is missing or malformed, or
        beyond what the app accepts anywhere (a control character, year 1, a 20-digit id)."""
        if isinstance(cell, str) and has_control_characters(cell):
            raise CellError(BAD_TEXT)
        if self.required and cell_text(cell) == "":
            raise CellError(_l("This column must be filled in."))
        value = self.parse(cell)
        problem = value_problem(value)
        if problem is not None:
            raise CellError(problem)
        return value


def text(max_length: int) -> Callable[[Cell], str]:
    """Text up to ``max_length`` characters."""

    def parse(cell: Cell) -> str:
        value = cell_text(cell)
        if len(value) > max_length:
            raise CellError(
                _l(
                    "At most %(count)d characters; this has %(length)d.",
                    count=max_length,
                    length=len(value),
                )
            )
        return value

    return parse


def uscc(cell: Cell) -> str | None:
    """A credit code checked as the company form checks it (length, characters, check character)."""
    try:
        return normalise_uscc(cell_text(cell))
    except RuleViolation as error:
        raise CellError(error.message) from None


def email(cell: Cell) -> str:
    """An e-mail address, lower case; empty stays empty."""
    value = cell_text(cell)
    if not value:
        return ""
    try:
        checked = validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        raise CellError(_l("This is not an e-mail address.")) from None
    return str(checked.normalized).lower()


def day(cell: Cell) -> date | None:
    """A date from a date cell or text such as 2026-07-01, 2026/7/1 or 2026年7月1日."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if (
        isinstance(cell, int | float)
        and not isinstance(cell, bool)
        and SERIALS[0] <= cell <= SERIALS[1]
    ):
        # A date column formatted as a number: Excel counts days from 1899-12-30. Only the years
        # 2000–2999 (what the pages accept too), so that a lone 2025 is not taken for 1905.
        return EXCEL_EPOCH + timedelta(days=int(cell))
    value = unicodedata.normalize("NFKC", cell_text(cell))
    if not value:
        return None
    value = value.split(" ")[0].split("T")[0]  # a date with a midnight time, as CSVs carry it
    for pattern in _DATE_PATTERNS:
        match = pattern.match(value)
        if match:
            try:
                return date(*(int(part) for part in match.groups()))
            except ValueError:
                break
    raise CellError(_l("Not a date: write it as 2026-07-01."))


def number(low: float, high: float, whole: bool = False) -> Callable[[Cell], float | int | None]:
    """A number between ``low`` and ``high``; ``whole`` for counts."""

    def parse(cell: Cell) -> float | int | None:
        value = cell_text(cell).replace(",", "")
        if not value:
            return None
        try:
            found = float(value)
        except ValueError:
            raise CellError(_l("Not a number.")) from None
        if whole and not found.is_integer():
            raise CellError(_l("A whole number, please."))
        if not low <= found <= high:
            raise CellError(
                _l("Between %(low)s and %(high)s.", low=format(low, "g"), high=format(high, "g"))
            )
        return int(found) if whole else found

    return parse


def yes_no(cell: Cell) -> bool | None:
    """是/否, yes/no, true/false, 1/0; empty is None (the default)."""
    if isinstance(cell, bool):
        return cell
    value = header_key(cell)
    if not value:
        return None
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise CellError(_l("Write 是 or 否."))


def word_list(cell: Cell) -> list[str]:
    """Short texts separated by commas, 、 or semicolons."""
    return [part.strip() for part in _LIST_SEPARATORS.split(cell_text(cell)) if part.strip()]


def labelled(labels: Mapping[Any, Any]) -> tuple[Callable[[Cell], Any], tuple[str, ...]]:
    """A parser of an enumeration written as its Chinese or English label or its value, and the
    Chinese labels the template offers."""
    known: dict[str, Enum] = {}
    chinese: list[str] = []
    for locale in ("en", "zh_CN"):
        with force_locale(locale):
            for member, label in labels.items():
                known[header_key(str(label))] = member
                known[header_key(str(member.value))] = member
                if locale == "zh_CN":
                    chinese.append(str(label))

    def parse(cell: Cell) -> Enum | None:
        value = header_key(cell)
        if not value:
            return None
        if value not in known:
            raise CellError(_l("Write one of: %(choices)s.", choices="、".join(chinese)))
        return known[value]

    return parse, tuple(chinese)
