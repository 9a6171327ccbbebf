"""The OpenAPI 3.1 document of the API, served at ``/api/v1/openapi.json``.

Kept beside the routes and checked against them by tests/api/test_openapi.py.
"""

from enum import StrEnum
from typing import Any

from flask.typing import ResponseReturnValue

from app.api import bp
from app.api.auth import public
from app.api.parsing import DEFAULT_PER_PAGE, MAX_PER_PAGE
from app.errors import API_CODES
from app.models import BookingStatus, DaySource, Role, SpaceKind
from app.services.report_rows import AREA_OCCUPANCY_COLUMNS, BOOKING_COLUMNS, UTILIZATION_COLUMNS
from app.services.workdays import DayKind

Schema = dict[str, Any]

ERROR_RESPONSES = {
    400: ("BadRequest", "Malformed JSON, a wrong type, a missing member or an unparsable date."),
    401: ("Unauthorized", "No token, or a token that is wrong, expired or revoked."),
    403: ("Forbidden", "Not allowed, e.g. another company's booking."),
    404: ("NotFound", "No such object."),
    409: ("Conflict", "Overlaps a booking or a closure, or was decided in the meantime."),
    422: ("Invalid", "Breaks a booking rule; `details.fields` names the fields."),
    429: ("RateLimited", "Too many requests."),
}


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


STRING: Schema = {"type": "string"}
INTEGER: Schema = {"type": "integer"}
NUMBER: Schema = {"type": "number"}
BOOLEAN: Schema = {"type": "boolean"}
MOMENT: Schema = {
    "type": "string",
    "format": "date-time",
    "description": "ISO 8601; in requests a time without offset is Asia/Shanghai local time.",
    "example": "2026-12-01T09:00:00+08:00",
}
DAY: Schema = {"type": "string", "format": "date", "example": "2026-12-01"}
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
        id={**INTEGER, "description": "Left out for another company's booking."},
        start=MOMENT,
        end=MOMENT,
        kind={"type": "string", "enum": ["booking", "closure"]},
        status=STATUS,
        reason=STRING,
    ),
    "Page": obj(
        items=list_of({}),
        page=INTEGER,
        per_page={**INTEGER, "maximum": MAX_PER_PAGE},
        total=INTEGER,
    ),
    "TokenRequest": obj(
        ["email", "password"],
        email={"type": "string", "format": "email"},
        password=STRING,
        name={**STRING, "maxLength": 60, "description": "Shown on the profile page."},
    ),
    "Token": obj(token=STRING, expires_at=MOMENT),
    "Me": obj(
        id=INTEGER,
        email=STRING,
        name=STRING,
        role=enum(Role),
        company=nullable(obj(id=INTEGER, name=STRING)),
        locale={"type": "string", "enum": ["zh_CN", "en"]},
    ),
    "Zone": obj(id=INTEGER, code=STRING, name=STRING, name_en=STRING, area_m2=NUMBER),
    "Space": obj(
        id=INTEGER,
        code=STRING,
        name=STRING,
        name_en=STRING,
        zone=obj(id=INTEGER, code=STRING),
        kind=enum(SpaceKind),
        area_m2=NUMBER,
        capacity={**INTEGER, "description": "0 when unlimited."},
        bookable=BOOLEAN,
        requires_approval=BOOLEAN,
    ),
    "Availability": obj(
        space_id=INTEGER,
        date=DAY,
        open=list_of(INTERVAL),
        busy=list_of(
            obj(
                ["start", "end", "status"],
                start=MOMENT,
                end=MOMENT,
                status=STATUS,
                booking_id={**INTEGER, "description": "Only for bookings the user may see."},
                title={**STRING, "description": "Only for bookings the user may see."},
            )
        ),
    ),
    "Booking": obj(
        id=INTEGER,
        space_id=INTEGER,
        space_code=STRING,
        company_id=INTEGER,
        user_id=INTEGER,
        title=STRING,
        attendees=INTEGER,
        start=MOMENT,
        end=MOMENT,
        status=STATUS,
        series_id=nullable(INTEGER),
        checked_in_at=nullable(MOMENT),
        created_at=MOMENT,
        decided_at=nullable(MOMENT),
        decided_by=nullable(INTEGER),
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
        freq={"type": "string", "enum": ["daily", "weekly"]},
        interval={**INTEGER, "minimum": 1, "maximum": 99, "default": 1},
        count={**INTEGER, "minimum": 1, "description": "Give count or until, not both."},
        until={**DAY, "description": "Inclusive, local date."},
        weekdays={**list_of({**INTEGER, "minimum": 0, "maximum": 6}), "description": "0=Monday"},
        exclude={**list_of(DAY), "description": "Dates skipped (counted by count first)."},
    ),
    "BookingRequest": obj(
        ["space_id", "start", "end", "title"],
        space_id=INTEGER,
        start=MOMENT,
        end=MOMENT,
        title={**STRING, "maxLength": 120},
        attendees={**INTEGER, "default": 1},
        company_id={**INTEGER, "description": "Required for managers; tenants book for theirs."},
        recurrence=ref("Recurrence"),
    ),
    "Series": obj(series_id=INTEGER, bookings=list_of(ref("Booking"))),
    "AuditEntry": obj(
        id=INTEGER,
        at=MOMENT,
        actor=nullable({**obj(id=INTEGER, name=STRING), "description": "null: the system."}),
        action={**STRING, "example": "booking.confirmed"},
        object_type={**STRING, "example": "booking"},
        object_id=nullable(INTEGER),
        before=nullable({"type": "object", "description": "Changed fields before."}),
        after=nullable({"type": "object", "description": "Changed fields after."}),
        note=STRING,
    ),
    "CancelRequest": obj(
        [],
        reason={**STRING, "description": "Required when a manager cancels."},
        scope={"type": "string", "enum": ["this", "following", "series"], "default": "this"},
    ),
    "RejectRequest": obj(reason=STRING),
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
        name={**STRING, "maxLength": 60, "description": "Required for a day off: 国庆节, 检修…"},
        provisional=BOOLEAN,
    ),
}


def json_content(schema: Schema) -> Schema:
    return {"content": {"application/json": {"schema": schema}}}


def query(name: str, schema: Schema, description: str = "") -> Schema:
    parameter = {"name": name, "in": "query", "required": False, "schema": schema}
    return parameter | ({"description": description} if description else {})


def path_id(name: str) -> Schema:
    return {"name": name, "in": "path", "required": True, "schema": {**INTEGER, "minimum": 1}}


PAGING = [
    query("page", {**INTEGER, "minimum": 1, "default": 1}),
    query("per_page", {**INTEGER, "minimum": 1, "default": DEFAULT_PER_PAGE}, "At most 200."),
]
BOOKING = path_id("booking_id")
CALENDAR_DAY = {"name": "day", "in": "path", "required": True, "schema": DAY}


def op(
    summary: str,
    ok: tuple[int, Schema | str],
    errors: tuple[int, ...] = (),
    parameters: list[Schema] | None = None,
    body: Schema | None = None,
    secured: bool = True,
    body_required: bool = True,
) -> Schema:
    """One operation: its success response (a schema, or a media type), errors and inputs."""
    status, content = ok
    success = (
        {"description": "OK", "content": {content: {"schema": STRING}}}
        if isinstance(content, str)
        else {"description": "OK", **json_content(content)}
    )
    statuses = sorted({*errors, 429} | ({401} if secured else set()))
    responses = {str(status): success} | {
        str(code): {"$ref": f"#/components/responses/{ERROR_RESPONSES[code][0]}"}
        for code in statuses
    }
    operation: Schema = {"summary": summary, "responses": responses}
    if parameters:
        operation["parameters"] = parameters
    if body is not None:
        operation["requestBody"] = {"required": body_required, **json_content(body)}
    if not secured:
        operation["security"] = []
    return operation


BOOKING_ACTION_ERRORS = (400, 403, 404, 409, 422)
PERIOD = {"type": "string", "enum": ["day", "week", "month"], "default": "month"}
REPORT_RANGE = [
    query("from", DAY, "First local day, included; by default the first of this month."),
    query("to", DAY, "Last local day, included; by default the end of the month of `from`."),
]
REPORT_FORMAT = query(
    "format",
    {"type": "string", "enum": ["csv", "xlsx"], "default": "csv"},
    "`xlsx` answers with an Excel workbook of the same columns.",
)
REPORT_NOTE = (
    " UTF-8 with a BOM, CRLF line ends; text that could start a formula begins with `'`. "
    "`Content-Disposition` names the file in Chinese (RFC 5987 `filename*`)."
)

PATHS: dict[str, Schema] = {
    "/healthz": {
        "get": op(
            "Whether the app reaches its database (503 when not)",
            (200, obj(status=STRING)),
            secured=False,
        )
    },
    "/api/v1/openapi.json": {"get": op("This document", (200, {"type": "object"}), secured=False)},
    "/api/v1/auth/token": {
        "post": op(
            "Trade an e-mail and password for a bearer token (rate limited)",
            (201, ref("Token")),
            (400, 401, 422),
            body=ref("TokenRequest"),
            secured=False,
        )
    },
    "/api/v1/me": {"get": op("The token's user", (200, ref("Me")))},
    "/api/v1/zones": {"get": op("Zones", (200, page_of("Zone")), (400,), PAGING)},
    "/api/v1/spaces": {
        "get": op(
            "Spaces in use",
            (200, page_of("Space")),
            (400,),
            [query("zone", STRING, "Zone code"), query("bookable", BOOLEAN), *PAGING],
        )
    },
    "/api/v1/spaces/{space_id}/availability": {
        "get": op(
            "Open and busy times of a local day; other companies' titles never appear",
            (200, ref("Availability")),
            (400, 404),
            [path_id("space_id"), {**query("date", DAY), "required": True}],
        )
    },
    "/api/v1/calendar": {
        "get": op(
            "The working calendar, one item per local day: a manager's declaration, else the "
            "published arrangement, else the statutory days by law (provisional), else Mon–Fri",
            (200, page_of("WorkDay")),
            (400,),
            [
                query("from", DAY, "First day, included; by default the first of this month."),
                query("to", DAY, "Last day, included; by default the end of the month of `from`."),
                *PAGING,
            ],
        )
    },
    "/api/v1/calendar/{day}": {
        "put": op(
            "Declare a day a working day (调休 make-up day) or a day off (managers)",
            (200, ref("WorkDay")),
            (400, 403, 422),
            [CALENDAR_DAY],
            ref("WorkDayRequest"),
        ),
        "delete": op(
            "Withdraw a manager's declaration: the day follows the next source (managers)",
            (200, ref("WorkDay")),
            (400, 403),
            [CALENDAR_DAY],
        ),
    },
    "/api/v1/bookings": {
        "get": op(
            "Bookings: a tenant's company's, all for managers",
            (200, page_of("Booking")),
            (400,),
            [
                query("from", MOMENT, "Bookings ending after; a date alone: its local start."),
                query("to", MOMENT, "Bookings starting before; a date alone: its local end."),
                query("space_id", INTEGER),
                query("status", STATUS),
                *PAGING,
            ],
        ),
        "post": op(
            "Book a slot, or every occurrence of a recurrence (all or nothing). 201 with a "
            "booking, or with {series_id, bookings} for a recurrence.",
            (201, {"oneOf": [ref("Booking"), ref("Series")]}),
            (400, 403, 409, 422),
            [
                {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": False,
                    "schema": {**STRING, "maxLength": 64},
                    "description": "Repeating a request with the same key (per user) books once "
                    "and answers with what was booked, e.g. after a lost response.",
                }
            ],
            body=ref("BookingRequest"),
        ),
    },
    "/api/v1/reports/utilization.csv": {
        "get": op(
            "Open and booked hours per period and space (or zone), managers only. Columns: "
            + ", ".join(UTILIZATION_COLUMNS)
            + "."
            + REPORT_NOTE,
            (200, "text/csv"),
            (400, 403),
            [
                *REPORT_RANGE,
                query("period", PERIOD),
                query("group", {"type": "string", "enum": ["space", "zone"], "default": "space"}),
                REPORT_FORMAT,
            ],
        )
    },
    "/api/v1/reports/area-occupancy.csv": {
        "get": op(
            "Leasable and leased area per period and zone, managers only. Columns: "
            + ", ".join(AREA_OCCUPANCY_COLUMNS)
            + "."
            + REPORT_NOTE,
            (200, "text/csv"),
            (400, 403),
            [*REPORT_RANGE, query("period", PERIOD), REPORT_FORMAT],
        )
    },
    "/api/v1/reports/bookings.csv": {
        "get": op(
            "Bookings overlapping the days, one row each: a tenant's company's, all for "
            "managers. Columns: "
            + ", ".join(BOOKING_COLUMNS)
            + " (`checked_in` is `yes` or empty)."
            + REPORT_NOTE,
            (200, "text/csv"),
            (400, 403),
            [*REPORT_RANGE, query("status", STATUS), REPORT_FORMAT],
        )
    },
    "/api/v1/audit": {
        "get": op(
            "Every recorded change, newest first (managers; read only)",
            (200, page_of("AuditEntry")),
            (400, 403),
            [
                query("object_type", STRING, "e.g. `booking`, `company`, `lease`, `space`, `user`"),
                query("object_id", INTEGER),
                query("actor_id", INTEGER),
                query("from", MOMENT, "Changes at or after; a date alone: its local start."),
                query("to", MOMENT, "Changes before; a date alone: its local end."),
                *PAGING,
            ],
        )
    },
    "/api/v1/bookings/{booking_id}": {
        "get": op("One booking", (200, ref("Booking")), (403, 404), [BOOKING])
    },
    "/api/v1/bookings/{booking_id}/ics": {
        "get": op("The booking as one VEVENT", (200, "text/calendar"), (403, 404), [BOOKING])
    },
    "/api/v1/bookings/{booking_id}/cancel": {
        "post": op(
            "Cancel (the requested booking is returned, also for a series)",
            (200, ref("Booking")),
            BOOKING_ACTION_ERRORS,
            [BOOKING],
            ref("CancelRequest"),
            body_required=False,
        )
    },
    "/api/v1/bookings/{booking_id}/check-in": {
        "post": op(
            "Check in, from 10 minutes before the start to 15 minutes after (else 422)",
            (200, ref("Booking")),
            (403, 404, 422),
            [BOOKING],
        )
    },
    "/api/v1/bookings/{booking_id}/approve": {
        "post": op(
            "Confirm a pending request (managers); 409 when already decided",
            (200, ref("Booking")),
            (403, 404, 409),
            [BOOKING],
        )
    },
    "/api/v1/bookings/{booking_id}/reject": {
        "post": op(
            "Turn down a pending request (managers); 409 when already decided",
            (200, ref("Booking")),
            BOOKING_ACTION_ERRORS,
            [BOOKING],
            ref("RejectRequest"),
        )
    },
}

DOCUMENT: Schema = {
    "openapi": "3.1.0",
    "info": {
        "title": "Chuangzhigu space booking API",
        "version": "1.0.0",
        "description": "Times are ISO 8601 with offset (Asia/Shanghai). A missing required "
        "member, a wrong JSON type or an unparsable date is 400 `bad_request` with "
        "`details.fields`; a value that breaks a booking rule is 422 `invalid` with "
        "`details.fields`. Errors always have the shape `{error: {code, message, details}}`.",
    },
    "security": [{"bearerAuth": []}],
    "paths": PATHS,
    "components": {
        "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        "schemas": SCHEMAS,
        "responses": {
            name: {"description": description, **json_content(ref("Error"))}
            for name, description in ERROR_RESPONSES.values()
        },
    },
}


@bp.get("/api/v1/openapi.json")
@public
def openapi() -> ResponseReturnValue:
    """This API's OpenAPI document."""
    return DOCUMENT
