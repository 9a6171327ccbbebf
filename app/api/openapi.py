"""The OpenAPI 3.1 document of the API, served at ``/api/v1/openapi.json``.

Kept beside the routes and checked against them by tests/api/test_openapi.py; its schemas are
in app/api/openapi_schemas.py. Each operation's ``operationId`` is the name of the view function
that serves it, read from the URL map when the document is served.
"""

import re
from datetime import timedelta

from flask import current_app
from flask.typing import ResponseReturnValue

from app.api import bp
from app.api.auth import public
from app.api.catalogue import EQUIPMENT_MAX, MAX_WISHES
from app.api.openapi_schemas import (
    DAY,
    DAY_OR_MOMENT,
    ERROR_RESPONSES,
    ID,
    INTEGER,
    LOCAL_MOMENT,
    RESPONSES,
    SCHEMAS,
    STATUS,
    STRING,
    Schema,
    day_between,
    json_content,
    list_of,
    page_of,
    path_id,
    query,
    ref,
)
from app.api.parsing import (
    DEFAULT_PER_PAGE,
    IDEMPOTENCY_HEADER,
    MAX_BODY_BYTES,
    MAX_DAY_RANGE,
    MAX_INT,
    MAX_KEY_LENGTH,
    MAX_PAGE,
    MAX_PER_PAGE,
)
from app.render.exports import FORMATS, XLSX_MIMETYPE
from app.services import workdays
from app.services.finder import BOOKABLE_KINDS
from app.services.policy import CHECK_IN_OPENS, GRID, MIN_DURATION, NO_SHOW_AFTER
from app.services.report_rows import (
    AREA_OCCUPANCY_COLUMNS,
    BOOKING_COLUMNS,
    GROUPS,
    PERIODS,
    UTILIZATION_COLUMNS,
)

PAGING = [
    query("page", {**INTEGER, "minimum": 1, "maximum": MAX_PAGE, "default": 1}),
    query(
        "per_page", {**INTEGER, "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE}
    ),
]
BOOKING = path_id("booking_id")
CALENDAR_DAY = {"name": "day", "in": "path", "required": True, "schema": DAY}
# A manager declares days of fewer years than the API can read (a day outside them is 422).
DECLARABLE_DAY = CALENDAR_DAY | {"schema": day_between(workdays.FIRST_YEAR, workdays.LAST_YEAR)}
CSV: Schema = {"type": "string", "description": "UTF-8 with a byte-order mark, CRLF line ends."}
XLSX: Schema = {"type": "string", "format": "binary"}


def op(
    summary: str,
    ok: tuple[int, Schema],
    errors: tuple[int, ...] = (),
    parameters: list[Schema] | None = None,
    body: Schema | None = None,
    *,
    media: dict[str, Schema] | None = None,
    secured: bool = True,
    body_required: bool = True,
    limited: bool = True,
    database: bool = True,
) -> Schema:
    """One operation: its success response (JSON, or the ``media`` types), errors and inputs.

    Every operation that is rate limited may answer 429, every one that reads the database
    503, every one that needs a token 401.
    """
    status, schema = ok
    content = {kind: {"schema": one} for kind, one in media.items()} if media else None
    success = {"description": "OK", **({"content": content} if content else json_content(schema))}
    implied = {code for code, on in ((429, limited), (503, database), (401, secured)) if on}
    responses = {str(status): success} | {
        str(code): {"$ref": f"#/components/responses/{ERROR_RESPONSES[code][0]}"}
        for code in sorted({*errors, *implied})
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
MINUTE = timedelta(minutes=1)
PERIOD = {"type": "string", "enum": list(PERIODS), "default": "month"}
REPORT_RANGE = [
    query("from", DAY, "First local day, included; by default the first of this month."),
    query(
        "to",
        DAY,
        "Last local day, included; by default the end of the month of `from`; "
        f"at most {MAX_DAY_RANGE.days} days after `from`.",
    ),
]
REPORT_FORMAT = query(
    "format",
    {"type": "string", "enum": list(FORMATS), "default": FORMATS[0]},
    f"`xlsx` answers with an Excel workbook (`{XLSX_MIMETYPE}`) of the same columns.",
)
REPORT_MEDIA = {"text/csv": CSV, XLSX_MIMETYPE: XLSX}
REPORT_NOTE = (
    " CSV: UTF-8 with a BOM, CRLF line ends; text that could start a formula begins with `'`. "
    "`Content-Disposition` names the file in Chinese (RFC 5987 `filename*`)."
)

PATHS: dict[str, Schema] = {
    "/healthz": {
        "get": {
            "summary": "Whether the app reaches its database; never rate limited",
            "security": [],
            "responses": {
                "200": {"description": "The database answers.", **json_content(ref("Health"))},
                "503": {"description": "It does not.", **json_content(ref("Health"))},
            },
        }
    },
    "/api/v1/openapi.json": {
        "get": op("This document", (200, {"type": "object"}), secured=False, database=False)
    },
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
            [query("zone", STRING, "Zone code"), query("bookable", {"type": "boolean"}), *PAGING],
        )
    },
    "/api/v1/spaces/free": {
        "get": op(
            "Spaces free for the whole slot that hold the attendees and have the equipment, "
            "best fit first: those a booking would confirm at once before those that would "
            "wait for a manager (`requires_approval`, or beyond the company's free hours), "
            "then the fewest seats that fit, then the zone nearest the company's leased "
            "space, then the building's order. For a tenant, only spaces that may be booked "
            "that far ahead. 422 for a slot no booking could have: end not after start, off "
            f"the {GRID // MINUTE}-minute grid, shorter than {MIN_DURATION // MINUTE} minutes, "
            "or begun.",
            (200, page_of("FreeSpace")),
            (400, 422),
            [
                {**query("start", LOCAL_MOMENT), "required": True},
                {**query("end", LOCAL_MOMENT), "required": True},
                query("attendees", {**INTEGER, "minimum": 1, "maximum": MAX_INT}),
                query(
                    "kind",
                    {
                        **list_of({"type": "string", "enum": [k.value for k in BOOKABLE_KINDS]}),
                        "maxItems": MAX_WISHES,
                    },
                    "Any of these kinds; repeated or comma-separated.",
                ),
                query(
                    "equipment",
                    {
                        **list_of({**STRING, "minLength": 1, "maxLength": EQUIPMENT_MAX}),
                        "maxItems": MAX_WISHES,
                    },
                    "Every piece of it, by its stored name or English name (`投影仪` or "
                    "`Projector`); repeated or comma-separated.",
                ),
                *PAGING,
            ],
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
                query(
                    "to",
                    DAY,
                    "Last day, included; by default the end of the month of `from`; "
                    f"at most {MAX_DAY_RANGE.days} days after `from`.",
                ),
                *PAGING,
            ],
        )
    },
    "/api/v1/calendar/{day}": {
        "put": op(
            "Declare a day a working day (调休 make-up day) or a day off (managers)",
            (200, ref("WorkDay")),
            (400, 403, 422),
            [DECLARABLE_DAY],
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
                query("from", DAY_OR_MOMENT, "Bookings ending after; a date: its local start."),
                query("to", DAY_OR_MOMENT, "Bookings starting before; a date: its local end."),
                query("space_id", ID),
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
                    "name": IDEMPOTENCY_HEADER,
                    "in": "header",
                    "required": False,
                    "schema": {**STRING, "maxLength": MAX_KEY_LENGTH, "pattern": "^[ -~]*$"},
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
            (200, CSV),
            (400, 403),
            [
                *REPORT_RANGE,
                query("period", PERIOD),
                query("group", {"type": "string", "enum": list(GROUPS), "default": GROUPS[0]}),
                REPORT_FORMAT,
            ],
            media=REPORT_MEDIA,
        )
    },
    "/api/v1/reports/area-occupancy.csv": {
        "get": op(
            "Leasable and leased area per period and zone, managers only. Columns: "
            + ", ".join(AREA_OCCUPANCY_COLUMNS)
            + "."
            + REPORT_NOTE,
            (200, CSV),
            (400, 403),
            [*REPORT_RANGE, query("period", PERIOD), REPORT_FORMAT],
            media=REPORT_MEDIA,
        )
    },
    "/api/v1/reports/bookings.csv": {
        "get": op(
            "Bookings overlapping the days, one row each: a tenant's company's, all for "
            "managers. Columns: "
            + ", ".join(BOOKING_COLUMNS)
            + " (`checked_in` is `yes` or empty)."
            + REPORT_NOTE,
            (200, CSV),
            (400, 403),
            [*REPORT_RANGE, query("status", STATUS), REPORT_FORMAT],
            media=REPORT_MEDIA,
        )
    },
    "/api/v1/audit": {
        "get": op(
            "Every recorded change, newest first (managers; read only)",
            (200, page_of("AuditEntry")),
            (400, 403),
            [
                query("object_type", STRING, "e.g. `booking`, `company`, `lease`, `space`, `user`"),
                query("object_id", ID),
                query("actor_id", ID),
                query("from", DAY_OR_MOMENT, "Changes at or after; a date: its local start."),
                query("to", DAY_OR_MOMENT, "Changes before; a date: its local end."),
                *PAGING,
            ],
        )
    },
    "/api/v1/bookings/{booking_id}": {
        "get": op("One booking", (200, ref("Booking")), (403, 404), [BOOKING]),
        "patch": op(
            "Change the time, space, title or number of people, of this booking or (scope "
            "`following`) of it and the later occurrences of its series. All or nothing: a 409 "
            "or 422 leaves the booking exactly as it was. Every rule of a new booking applies "
            "to a new slot: a hall moved by a tenant waits for approval again, free hours are "
            "recounted. Answers the booking as it now is.",
            (200, ref("Booking")),
            BOOKING_ACTION_ERRORS,
            [BOOKING],
            ref("BookingChange"),
        ),
    },
    "/api/v1/bookings/{booking_id}/ics": {
        "get": op(
            "The booking as an iCalendar file with one VEVENT",
            (200, STRING),
            (403, 404),
            [BOOKING],
            media={"text/calendar": STRING},
        )
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
            "Check in to a confirmed booking that asks for it, from "
            f"{CHECK_IN_OPENS // MINUTE} minutes before the start until "
            f"{NO_SHOW_AFTER // MINUTE} minutes after it (else 422)",
            (200, ref("Booking")),
            (403, 404, 422),
            [BOOKING],
        )
    },
    "/api/v1/bookings/{booking_id}/approve": {
        "post": op(
            "Confirm a pending request (managers) before its time begins (else 422); 409 when "
            "already decided or when it now overlaps a confirmed booking",
            (200, ref("Booking")),
            (403, 404, 409, 422),
            [BOOKING],
        )
    },
    "/api/v1/bookings/{booking_id}/reject": {
        "post": op(
            "Turn down a pending request with a reason (managers) before its time begins "
            "(else 422); 409 when already decided",
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
        "description": "Times are ISO 8601: answers always carry the offset (+08:00); in "
        "requests a time without an offset is Asia/Shanghai local time. A missing required "
        "member, a wrong JSON type, an unparsable date or text with a NUL or another "
        "control character (tab and line breaks aside) is 400 "
        "`bad_request` with `details.fields`; a value that breaks a booking rule is 422 "
        f"`invalid` with `details.fields`. Bodies hold at most {MAX_BODY_BYTES} bytes. Errors "
        "always have the shape `{error: {code, message, details}}`.",
    },
    "servers": [{"url": "/"}],
    "security": [{"bearerAuth": []}],
    "paths": PATHS,
    "components": {
        "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        "schemas": SCHEMAS,
        "responses": RESPONSES,
    },
}


def documented_path(rule: str) -> str:
    """``/bookings/<int(max=…):booking_id>`` as OpenAPI writes it: ``/bookings/{booking_id}``."""
    return re.sub(r"<(?:[^<>:]+:)?([^<>:]+)>", r"{\1}", rule)


def with_operation_ids(document: Schema) -> Schema:
    """The document with each operation's ``operationId``: the name of the view serving it."""
    names = {
        (documented_path(rule.rule), method.lower()): current_app.view_functions[
            rule.endpoint
        ].__name__
        for rule in current_app.url_map.iter_rules()
        if rule.endpoint.startswith(f"{bp.name}.")
        for method in rule.methods or ()
    }
    paths = {
        path: {
            method: {"operationId": names[path, method], **operation}
            if (path, method) in names
            else operation
            for method, operation in item.items()
        }
        for path, item in document["paths"].items()
    }
    return document | {"paths": paths}


@bp.get("/api/v1/openapi.json")
@public
def openapi() -> ResponseReturnValue:
    """This API's OpenAPI document."""
    return with_operation_ids(DOCUMENT)
