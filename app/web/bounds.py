"""What the app accepts from anyone, anywhere: pages, forms, query strings, URLs and the API.

One bound for each kind of value, read by the web forms (``app/web/forms.py``), the query-string
and URL parsing of the pages and the API's parser (``app/api/parsing.py``). Outside them a value is
an attack or a typo: a year 1 or 9999 overflows date arithmetic, a 20-digit id overflows an
INTEGER column, and PostgreSQL cannot store a NUL in a text.
"""

import math
import unicodedata
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter
from werkzeug.routing.map import Map

# Dates and times: years outside these are refused as unreadable.
FIRST_YEAR, LAST_YEAR = 2000, 2999
# What an INTEGER column holds on every database: ids and any other whole number typed in.
MAX_INT = 2**31 - 1
# Paged lists, pages and API alike: a 20-digit page would overflow the database's OFFSET.
MAX_PER_PAGE = 200
MAX_PAGE = 1_000_000
# The longest range of days a report or the calendar lists: more is not a spreadsheet any more.
MAX_DAY_RANGE = timedelta(days=3 * 366)
# Characters a text may hold although they are control characters: tab and line breaks.
ALLOWED_CONTROLS = frozenset("\t\n\r")

BAD_TEXT = _l("The text contains characters that cannot be stored.")
BAD_NUMBER = _l("The number is out of range.")
BAD_YEAR = _l("Give a date from %(first)d to %(last)d.", first=FIRST_YEAR, last=LAST_YEAR)


def has_control_characters(text: str) -> bool:
    """Whether ``text`` holds a NUL or another control character (tab and line breaks aside),
    or a lone surrogate, none of which a person types and some of which no database stores."""
    return any(
        (unicodedata.category(char) in ("Cc", "Cs") and char not in ALLOWED_CONTROLS)
        for char in text
    )


def in_years(day: date) -> bool:
    """Whether a date (or a date and time) lies within the years the app accepts."""
    return FIRST_YEAR <= day.year <= LAST_YEAR


def parse_day(text: str) -> date:
    """A date ``YYYY-MM-DD`` within the accepted years; ValueError for anything else."""
    day = date.fromisoformat(text.strip())
    if not in_years(day):
        raise ValueError(f"year {day.year} is outside {FIRST_YEAR}-{LAST_YEAR}")
    return day


def is_day(text: str) -> bool:
    """Whether ``text`` is written as a date ``YYYY-MM-DD``, whatever its year."""
    try:
        date.fromisoformat(text.strip())
    except ValueError:
        return False
    return True


def parse_id(text: str) -> int:
    """A positive whole number that fits an INTEGER column; ValueError for anything else.

    For ``request.args.get("company_id", type=parse_id)``: an unreadable or out-of-range id
    counts as absent, as a word would.
    """
    value = int(text)
    if not 1 <= value <= MAX_INT:
        raise ValueError(f"{value} is not an id")
    return value


def value_problem(value: Any) -> Any:
    """Why a parsed value is refused (a translatable message), or None when it is acceptable.

    Dates outside the years, whole numbers beyond an INTEGER, infinite or NaN numbers, and
    lists holding any of these.
    """
    if isinstance(value, list | tuple | set | frozenset):
        problems = (value_problem(item) for item in value)
        return next((found for found in problems if found is not None), None)
    if isinstance(value, date):
        return None if in_years(value) else BAD_YEAR
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return None if -MAX_INT <= value <= MAX_INT else BAD_NUMBER
    if isinstance(value, Decimal):
        return None if value.is_finite() else BAD_NUMBER
    if isinstance(value, float):
        return None if math.isfinite(value) else BAD_NUMBER
    return None


def digits_up_to(limit: int) -> str:
    """A regular expression of the whole numbers from 0 to ``limit`` (written without a sign)."""
    top = str(limit)
    shorter = [rf"\d{{1,{len(top) - 1}}}"] if len(top) > 1 else []
    same_length = []
    for place, digit in enumerate(int(char) for char in top):
        lowest = 1 if place == 0 and len(top) > 1 else 0  # no leading zero
        if digit - 1 >= lowest:
            rest = len(top) - place - 1
            same_length.append(
                f"{top[:place]}[{lowest}-{digit - 1}]" + (rf"\d{{{rest}}}" if rest else "")
            )
    return "(?:" + "|".join([*shorter, *same_length, top]) + ")"


class IdConverter(IntegerConverter):
    """``<int:…>`` in a URL: at most ``MAX_INT``, so a 20-digit id is a 404, not an overflow.

    The bound is in the converter's regular expression too: Werkzeug compares the method before
    it converts, so a number that only ``to_python`` refused made ``PATCH /…/<huge id>`` a 405
    (a GET route has that path) instead of the 404 that every other method gets.
    """

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_INT)
        super().__init__(map, *args, **kwargs)
        if self.max is not None and not self.signed and not self.fixed_digits:
            self.regex = digits_up_to(self.max)
