"""Reading the API's input: JSON bodies, query strings, ids, dates and times.

A member of the wrong JSON type, a missing required member or an unparsable date is a 400 that
names the field; a well-formed value that breaks a rule is left to the services (422).
"""

import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from flask import request
from flask_babel import lazy_gettext as _l

from app.api.errors import ApiError, bad_request
from app.services.errors import RuleViolation
from app.services.localtime import local_zone
from app.web.bounds import (
    BAD_TEXT,
    FIRST_YEAR,
    LAST_YEAR,
    MAX_DAY_RANGE,
    MAX_INT,
    MAX_PAGE,
    MAX_PER_PAGE,
    has_control_characters,
)

T = TypeVar("T")

MAX_BODY_BYTES = 64 * 1024
ID = f"int(max={MAX_INT})"  # URL converter for ids: a larger one is a 404, not an overflow
DEFAULT_PER_PAGE = 50
IDEMPOTENCY_HEADER, MAX_KEY_LENGTH = "Idempotency-Key", 64
_INTEGER = re.compile(r"[+-]?[0-9]{1,12}")

NOT_OBJECT = _l("Send a JSON object.")
TOO_LARGE = _l("The body is too large.")
MISSING = _l("This field is required.")
NOT_TEXT = _l("Give a text.")
NOT_INTEGER = _l("Give a whole number.")
OUT_OF_RANGE = _l("The number is out of range.")
NOT_BOOLEAN = _l("Give true or false.")
NOT_LIST = _l("Give a list.")
NOT_MOMENT = _l("Give a date and time in ISO 8601, e.g. 2026-12-01T09:00:00+08:00.")
NOT_DAY = _l("Give a date as YYYY-MM-DD.")


def json_body(required: bool = True) -> "JsonObject":
    """The request's JSON object; an empty body counts as ``{}`` unless one is required."""
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise ApiError(400, TOO_LARGE)
    raw = request.get_data(cache=True)
    if len(raw) > MAX_BODY_BYTES:
        raise ApiError(400, TOO_LARGE)
    if not raw.strip() and not required:
        return JsonObject({})
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        raise ApiError(400) from error  # "The request could not be understood."
    if not isinstance(body, dict):
        raise ApiError(400, NOT_OBJECT)
    return JsonObject(body)


def to_text(value: Any, field: str, max_length: int | None = None) -> str:
    """A JSON string without control characters (NUL and the like) or lone surrogates."""
    if not isinstance(value, str):
        raise bad_request(field, NOT_TEXT)
    if has_control_characters(value):
        raise bad_request(field, BAD_TEXT)
    if max_length is not None and len(value) > max_length:
        raise RuleViolation(field, _l("At most %(count)d characters.", count=max_length))
    return value


def to_int(value: Any, field: str) -> int:
    """A JSON integer (not a boolean, not a float) that fits an INTEGER column."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_request(field, NOT_INTEGER)
    if not -MAX_INT <= value <= MAX_INT:
        raise bad_request(field, OUT_OF_RANGE)
    return value


def to_bool(value: Any, field: str) -> bool:
    """A JSON ``true`` or ``false`` (not 1, 0 or "true")."""
    if not isinstance(value, bool):
        raise bad_request(field, NOT_BOOLEAN)
    return value


def _check_year(year: int, field: str) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise bad_request(
            field, _l("Give a year from %(first)d to %(last)d.", first=FIRST_YEAR, last=LAST_YEAR)
        )


def to_day(value: Any, field: str) -> date:
    """A date ``YYYY-MM-DD``."""
    text = to_text(value, field).strip()
    try:
        day = date.fromisoformat(text)
    except ValueError as error:
        raise bad_request(field, NOT_DAY) from error
    _check_year(day.year, field)
    return day


def is_day_only(text: str) -> bool:
    """Whether ``text`` is a date without a time of day."""
    try:
        date.fromisoformat(text.strip())
    except ValueError:
        return False
    return True


def to_moment(value: Any, field: str) -> datetime:
    """An ISO 8601 date and time as aware UTC; without an offset it is local incubator time."""
    text = to_text(value, field).strip()
    if is_day_only(text):
        raise bad_request(field, NOT_MOMENT)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise bad_request(field, NOT_MOMENT) from error
    _check_year(moment.year, field)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=local_zone())
    return moment.astimezone(UTC)


class JsonObject:
    """Typed access to the members of a JSON object; ``prefix`` names nested fields."""

    def __init__(self, data: dict[str, Any], prefix: str = "") -> None:
        self.data = data
        self.prefix = prefix

    def field(self, key: str) -> str:
        """The member's name as error details show it, e.g. ``recurrence.count``."""
        return self.prefix + key

    def value(self, key: str, required: bool = False) -> Any:
        """The member's value; a missing member or ``null`` is None, or a 400 when required."""
        value = self.data.get(key)
        if value is None and required:
            raise bad_request(self.field(key), MISSING)
        return value

    def required(self, key: str, convert: Callable[[Any, str], T]) -> T:
        """A required member, converted (``convert`` raises the 400 for a wrong type)."""
        return convert(self.value(key, required=True), self.field(key))

    def optional(self, key: str, convert: Callable[[Any, str], T]) -> T | None:
        """An optional member, converted, or None when missing or ``null``."""
        value = self.value(key)
        return None if value is None else convert(value, self.field(key))

    def text(self, key: str, *, required: bool = False, max_length: int | None = None) -> str:
        """A string member; missing (when allowed) is the empty string."""
        value = self.value(key, required)
        return "" if value is None else to_text(value, self.field(key), max_length)

    def items(self, key: str, convert: Callable[[Any, str], T]) -> list[T]:
        """A list member, each item converted; missing is an empty list."""
        value = self.value(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise bad_request(self.field(key), NOT_LIST)
        return [convert(item, f"{self.field(key)}[{n}]") for n, item in enumerate(value)]

    def child(self, key: str) -> "JsonObject | None":
        """A nested object member, or None when missing."""
        value = self.value(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise bad_request(self.field(key), NOT_OBJECT)
        return JsonObject(value, f"{self.field(key)}.")


def query_text(key: str) -> str | None:
    """A query-string parameter, None when absent or empty."""
    value = request.args.get(key, "")
    return to_text(value, key).strip() or None


def query_words(key: str) -> list[str]:
    """A list in the query string: the parameter repeated, comma-separated, or both."""
    words = []
    for value in request.args.getlist(key):
        words += [word.strip() for word in to_text(value, key).split(",") if word.strip()]
    return words


def query_int(key: str) -> int | None:
    """An integer query-string parameter."""
    text = query_text(key)
    if text is None:
        return None
    if not _INTEGER.fullmatch(text):
        raise bad_request(key, NOT_INTEGER)
    return to_int(int(text), key)


def query_bool(key: str) -> bool | None:
    """``true``/``false`` (or 1/0) in the query string."""
    text = query_text(key)
    if text is None:
        return None
    if text.lower() in ("true", "1", "yes"):
        return True
    if text.lower() in ("false", "0", "no"):
        return False
    raise bad_request(key, NOT_BOOLEAN)


def query_choice(key: str, parse: Callable[[str], T], message: Any) -> T | None:
    """A query-string parameter ``parse`` accepts (a ValueError means a 400 with ``message``)."""
    text = query_text(key)
    if text is None:
        return None
    try:
        return parse(text)
    except ValueError as error:
        raise bad_request(key, message) from error


def query_day(key: str) -> date | None:
    """A date ``YYYY-MM-DD`` in the query string."""
    text = query_text(key)
    return None if text is None else to_day(text, key)


def check_day_range(first: date, last: date) -> None:
    """``first`` to ``last`` (both included) is a range the API answers: in order, not too long."""
    if last < first:
        raise bad_request("to", _l("The end comes before the start."))
    if last - first > MAX_DAY_RANGE:
        raise bad_request("to", _l("Ask for at most three years at a time."))


def query_moment(key: str, end_of_day: bool = False) -> datetime | None:
    """A date and time in the query string; a date alone means its local start (or end)."""
    text = query_text(key)
    if text is None:
        return None
    if is_day_only(text):
        day = to_day(text, key)
        if end_of_day:
            day = date.fromordinal(day.toordinal() + 1)
        return datetime.combine(day, datetime.min.time(), tzinfo=local_zone()).astimezone(UTC)
    return to_moment(text, key)


def idempotency_key() -> str | None:
    """The ``Idempotency-Key`` header: a request repeated with the same key books only once."""
    key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
    if not key:
        return None
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise bad_request(
            IDEMPOTENCY_HEADER,
            _l("At most %(count)d printable characters.", count=MAX_KEY_LENGTH),
        )
    return key


def page_args() -> tuple[int, int]:
    """``page`` (from 1) and ``per_page`` (1 to 200, default 50) from the query string."""
    page = query_int("page")
    per_page = query_int("per_page")
    page = 1 if page is None else page
    per_page = DEFAULT_PER_PAGE if per_page is None else per_page
    if not 1 <= page <= MAX_PAGE:
        raise bad_request("page", OUT_OF_RANGE)
    if per_page < 1:
        raise bad_request("per_page", OUT_OF_RANGE)
    return page, min(per_page, MAX_PER_PAGE)
