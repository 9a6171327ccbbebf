"""The schemas of the OpenAPI document (app/api/openapi.py): formats, bounds and objects.

Every bound is read from the constant the code checks it against, so the document cannot
promise more (or less) than the API accepts.
"""

from enum import StrEnum
from typing import Any

from app.api.auth import TOKEN_NAME_MAX
from app.api.booking_input import MAX_EXCLUDED, MAX_INTERVAL, REASON_MAX
from app.api.parsing import FIRST_YEAR, LAST_YEAR, MAX_INT, MAX_PAGE, MAX_PER_PAGE
from app.config import Config
from app.errors import API_CODES
from app.models import BookingStatus, DaySource, Role, SpaceKind
from app.services.booking_changes import CHANGE_SCOPES
from app.services.booking_rules import PENDING_APPROVAL, PENDING_OVER_ALLOWANCE, TITLE_MAX
from app.services.bookings import CANCEL_SCOPES
from app.services.equipment import VOCABULARY
from app.services.policy import MAX_OCCURRENCES
from app.services.recurrence import FREQUENCIES
from app.services.workdays import NAME_MAX_LENGTH, DayKind

Schema = dict[str, Any]


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(required: list[str] | None = None, **properties: Schema) -> Schema:
    """An object schema; every property is required unless ``required`` says otherwise."""
    return {
        "type": "object",
        "required": list(properties) if required is None else required,
        "properties": properties,
    }


def enum(values: type[StrEnum]) -> Schema:
    return {"type": "string", "enum": [value.value for value in values]}


def nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def list_of(schema: Schema) -> Schema:
    return {"type": "array", "items": schema}


def page_of(name: str) -> Schema:
    """The list envelope with items of schema ``name``."""
    return {"allOf": [ref("Page"), obj(["items"], items=list_of(ref(name)))]}


def digits_between(low: str, high: str) -> str:
    """A regular expression for the numbers from ``low`` to ``high`` (as many digits each)."""
    if low == high:
        return low
    if set(low) == {"0"} and set(high) == {"9"}:
        return f"[0-9]{{{len(low)}}}" if len(low) > 1 else "[0-9]"
    if low[0] == high[0]:
        return low[0] + digits_between(low[1:], high[1:])
    rest = len(low) - 1
    whole_low, whole_high = low[1:] == "0" * rest, high[1:] == "9" * rest
    first, last = int(low[0]) + (not whole_low), int(high[0]) - (not whole_high)
    any_rest = digits_between("0" * rest, "9" * rest) if rest else ""
    parts = [] if whole_low else [low[0] + digits_between(low[1:], "9" * rest)]
    head = str(first) if first == last else f"[{first}-{last}]"
    parts += [head + any_rest] if first <= last else []
    parts += [] if whole_high else [high[0] + digits_between("0" * rest, high[1:])]
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def date_part(first_year: int, last_year: int) -> str:
    """A regular expression for the dates YYYY-MM-DD of these years."""
    years = digits_between(str(first_year), str(last_year))
    return years + "-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"


def day_between(first_year: int, last_year: int) -> Schema:
    """A local date YYYY-MM-DD of these years."""
    return {
        "type": "string",
        "pattern": f"^{date_part(first_year, last_year)}$",
        "description": f"A local date, YYYY-MM-DD, of the years {first_year} to {last_year}.",
        "example": "2026-12-01",
    }


# ISO 8601 as the API reads it (app/api/parsing.py): years FIRST_YEAR to LAST_YEAR, minutes
# with optional seconds, and an optional offset; without one, the time is Asia/Shanghai's.
DATE_PART = date_part(FIRST_YEAR, LAST_YEAR)
TIME_PART = "T(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\\.[0-9]{1,6})?)?"
OFFSET_PART = "(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
YEARS = f"Years {FIRST_YEAR} to {LAST_YEAR}."

STRING: Schema = {"type": "string"}
BOOLEAN: Schema = {"type": "boolean"}
NUMBER: Schema = {"type": "number"}
INTEGER: Schema = {"type": "integer"}
ID: Schema = {"type": "integer", "minimum": 1, "maximum": MAX_INT}
# In answers: always with the offset.
MOMENT: Schema = {"type": "string", "format": "date-time", "example": "2026-12-01T09:00:00+08:00"}
DAY = day_between(FIRST_YEAR, LAST_YEAR)
LOCAL_MOMENT: Schema = {
    "type": "string",
    "pattern": f"^{DATE_PART}{TIME_PART}{OFFSET_PART}?$",
    "description": "YYYY-MM-DDTHH:MM[:SS][offset]; without an offset, Asia/Shanghai local "
    f"time. {YEARS}",
    "examples": ["2026-12-01T09:00:00+08:00", "2026-12-01T09:00"],
}
DAY_OR_MOMENT: Schema = {
    "type": "string",
    "pattern": f"^{DATE_PART}(?:{TIME_PART}{OFFSET_PART}?)?$",
    "description": "A local time as YYYY-MM-DDTHH:MM[:SS][offset] (Asia/Shanghai without an "
    f"offset), or a local date YYYY-MM-DD standing for the whole day. {YEARS}",
    "examples": ["2026-12-01", "2026-12-01T09:00", "2026-12-01T09:00:00+08:00"],
}


def text(max_length: int, description: str = "") -> Schema:
    schema: Schema = {"type": "string", "maxLength": max_length}
    return schema | ({"description": description} if description else {})


INTERVAL = obj(start=MOMENT, end=MOMENT)
STATUS = enum(BookingStatus)

SCHEMAS: dict[str, Schema] = {
    "Error": obj(
        error=obj(
            code={"type": "string", "enum": sorted(set(API_CODES.values()) | {"error"})},
            message=STRING,
            details={
                "type": "object",
                "description": "`fields` ({name: message}) for 400 and 422; `conflicts` for 409; "
                "`occurrences` (each {start, end, code, message, fields | conflicts}) when "
                "occurrences of a recurring request fail.",
                "properties": {
                    "fields": {"type": "object", "additionalProperties": STRING},
                    "conflicts": list_of(ref("ConflictItem")),
                    "occurrences": list_of({"type": "object"}),
                },
            },
        )
    ),
    "ConflictItem": obj(
        ["start", "end", "kind"],
        id={**ID, "description": "Left out for another company's booking."},
        start=MOMENT,
        end=MOMENT,
        kind={"type": "string", "enum": ["booking", "closure"]},
        status=STATUS,
        reason=STRING,
    ),
    "Page": obj(
        items=list_of({}),
        page={**INTEGER, "minimum": 1, "maximum": MAX_PAGE},
        per_page={**INTEGER, "minimum": 1, "maximum": MAX_PER_PAGE},
        total={**INTEGER, "minimum": 0},
    ),
    "TokenRequest": obj(
        ["email", "password"],
        email={"type": "string", "format": "email"},
        password=STRING,
        name=text(TOKEN_NAME_MAX, "Shown on the profile page."),
    ),
    "Token": obj(token=STRING, expires_at=MOMENT),
    "Me": obj(
        id=ID,
        email=STRING,
        name=STRING,
        role=enum(Role),
        company=nullable(obj(id=ID, name=STRING)),
        locale={"type": "string", "enum": list(Config.LANGUAGES)},
    ),
    "Zone": obj(id=ID, code=STRING, name=STRING, name_en=STRING, area_m2=NUMBER),
    "Space": obj(
        id=ID,
        code=STRING,
        name=STRING,
        name_en=STRING,
        zone=obj(id=ID, code=STRING),
        kind=enum(SpaceKind),
        area_m2=NUMBER,
        capacity={**INTEGER, "minimum": 0, "description": "0 when unlimited."},
        equipment={
            **list_of(STRING),
            "description": "Names as stored; they never change. The building's standard items "
            "are stored under their Chinese names: "
            + ", ".join(f"`{name}` ({english})" for name, english in VOCABULARY)
            + "; an item a manager added outside that list is as typed.",
        },
        equipment_en={
            **list_of(STRING),
            "description": "The same items in English, in the same order (an item outside "
            "the standard list as typed).",
        },
        bookable=BOOLEAN,
        requires_approval=BOOLEAN,
    ),
    "FreeSpace": {
        "allOf": [
            ref("Space"),
            obj(
                confirmed_at_once={
                    **BOOLEAN,
                    "description": "Whether a booking of it by this user now would be "
                    "confirmed at once.",
                },
                pending_reason={
                    "anyOf": [
                        {"type": "string", "enum": [PENDING_APPROVAL, PENDING_OVER_ALLOWANCE]},
                        {"type": "null"},
                    ],
                    "description": "Why such a booking would wait: the space needs approval, "
                    "or it goes beyond the company's free hours.",
                },
            ),
        ]
    },
    "Availability": obj(
        space_id=ID,
        date={**DAY, "description": "The local date asked for."},
        open=list_of(INTERVAL),
        busy=list_of(
            obj(
                ["start", "end", "status"],
                start=MOMENT,
                end=MOMENT,
                status=STATUS,
                booking_id={**ID, "description": "Only for bookings the user may see."},
                title={**STRING, "description": "Only for bookings the user may see."},
            )
        ),
    ),
    "Booking": obj(
        id=ID,
        space_id=ID,
        space_code=STRING,
        company_id=ID,
        user_id=ID,
        title=text(TITLE_MAX),
        attendees={**INTEGER, "minimum": 0},
        start=MOMENT,
        end=MOMENT,
        status=STATUS,
        series_id=nullable(ID),
        checked_in_at=nullable(MOMENT),
        created_at=MOMENT,
        decided_at=nullable(MOMENT),
        decided_by=nullable(ID),
        reason=nullable(
            {
                **STRING,
                "description": "Why it is pending (`approval`, `over_allowance`), or why it "
                "was rejected or cancelled.",
            }
        ),
        no_show={**BOOLEAN, "description": "Confirmed, needed a check-in, got none in time."},
    ),
    "Recurrence": obj(
        ["freq"],
        freq={"type": "string", "enum": list(FREQUENCIES)},
        interval={**INTEGER, "minimum": 1, "maximum": MAX_INTERVAL, "default": 1},
        count={
            **INTEGER,
            "minimum": 1,
            "maximum": MAX_OCCURRENCES,
            "description": "Give count or until, not both; at most "
            f"{MAX_OCCURRENCES} occurrences either way.",
        },
        until={**DAY, "description": "Inclusive, local date."},
        weekdays={**list_of({**INTEGER, "minimum": 0, "maximum": 6}), "description": "0=Monday"},
        exclude={
            **list_of(DAY),
            "maxItems": MAX_EXCLUDED,
            "description": "Dates skipped (counted by count first).",
        },
    ),
    "BookingRequest": obj(
        ["space_id", "start", "end", "title"],
        space_id=ID,
        start=LOCAL_MOMENT,
        end=LOCAL_MOMENT,
        title={**text(TITLE_MAX), "minLength": 1, "pattern": "\\S"},
        attendees={**INTEGER, "minimum": 1, "maximum": MAX_INT, "default": 1},
        company_id={**ID, "description": "Required for managers; tenants book for theirs."},
        recurrence=ref("Recurrence"),
    ),
    "BookingChange": obj(
        [],
        start={**LOCAL_MOMENT, "description": "New start; without `end` the length is kept."},
        end=LOCAL_MOMENT,
        space_id=ID,
        title={**text(TITLE_MAX), "minLength": 1, "pattern": "\\S"},
        attendees={**INTEGER, "minimum": 1, "maximum": MAX_INT},
        scope={
            "type": "string",
            "enum": list(CHANGE_SCOPES),
            "default": CHANGE_SCOPES[0],
            "description": "`following`: the later occurrences of the series move to the same "
            "clock times, as many days on.",
        },
    ),
    "Series": obj(series_id=ID, bookings=list_of(ref("Booking"))),
    "AuditEntry": obj(
        id=ID,
        at=MOMENT,
        actor=nullable({**obj(id=ID, name=STRING), "description": "null: the system."}),
        action={**STRING, "example": "booking.confirmed"},
        object_type={**STRING, "example": "booking"},
        object_id=nullable(INTEGER),
        before=nullable({"type": "object", "description": "Changed fields before."}),
        after=nullable({"type": "object", "description": "Changed fields after."}),
        note=STRING,
    ),
    "CancelRequest": obj(
        [],
        reason=text(REASON_MAX, "Required when a manager cancels."),
        scope={"type": "string", "enum": list(CANCEL_SCOPES), "default": CANCEL_SCOPES[0]},
    ),
    "RejectRequest": obj(reason={**text(REASON_MAX), "minLength": 1, "pattern": "\\S"}),
    "WorkDay": obj(
        date=DAY,
        working=BOOLEAN,
        kind=enum(DayKind),
        name=STRING,
        source=enum(DaySource),
        provisional=BOOLEAN,
    ),
    "WorkDayRequest": obj(
        ["working"],
        working=BOOLEAN,
        name=text(NAME_MAX_LENGTH, "Required for a day off: 国庆节, 检修…"),
        provisional=BOOLEAN,
    ),
    "Health": obj(status={"type": "string", "enum": ["ok", "unavailable"]}),
}

ERROR_RESPONSES = {
    400: ("BadRequest", "Malformed JSON, a wrong type, a missing member or an unparsable date."),
    401: ("Unauthorized", "No token, or a token that is wrong, expired or revoked."),
    403: ("Forbidden", "Not allowed, e.g. another company's booking."),
    404: ("NotFound", "No such object."),
    409: ("Conflict", "Overlaps a booking or a closure, or was decided in the meantime."),
    422: ("Invalid", "Breaks a booking rule; `details.fields` names the fields."),
    429: ("RateLimited", "Too many requests."),
    503: ("Unavailable", "The database is unreachable or busy; `Retry-After` says when to retry."),
}
RESPONSE_HEADERS = {
    401: {"WWW-Authenticate": {"schema": {**STRING, "example": 'Bearer realm="api"'}}},
    503: {"Retry-After": {"schema": {**INTEGER, "minimum": 0}, "description": "Seconds."}},
}


def query(name: str, schema: Schema, description: str = "") -> Schema:
    """An optional query-string parameter."""
    parameter = {"name": name, "in": "query", "required": False, "schema": schema}
    return parameter | ({"description": description} if description else {})


def path_id(name: str) -> Schema:
    return {"name": name, "in": "path", "required": True, "schema": ID}


def json_content(schema: Schema) -> Schema:
    return {"content": {"application/json": {"schema": schema}}}


RESPONSES: dict[str, Schema] = {
    name: {"description": description, **json_content(ref("Error"))}
    | ({"headers": RESPONSE_HEADERS[status]} if status in RESPONSE_HEADERS else {})
    for status, (name, description) in ERROR_RESPONSES.items()
}
