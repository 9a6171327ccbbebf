"""Turning the JSON of ``POST /bookings`` (and of change, cancel and reject) into service
arguments."""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.api.errors import bad_request
from app.api.parsing import MISSING, JsonObject, to_day, to_int, to_moment, to_text
from app.extensions import db
from app.models import Company, Space, User
from app.services.booking_changes import BookingChange
from app.services.booking_rules import BookingRequest
from app.services.errors import RuleViolation
from app.services.recurrence import FREQUENCIES, Recurrence

MAX_INTERVAL = 99
MAX_EXCLUDED = 366
REASON_MAX = 1000


def _space(space_id: int) -> Space:
    # With what the rules read next, in one query: its zone's hours and its parts' holds.
    space = db.session.get(
        Space, space_id, options=[joinedload(Space.zone), joinedload(Space.parts)]
    )
    if space is None:
        raise RuleViolation("space_id", _l("There is no space %(id)d.", id=space_id))
    return space


def _company(actor: User, company_id: int | None) -> Company:
    """The company booking: a tenant's own unless named; managers must name one."""
    if company_id is None:
        if actor.company is None:
            raise bad_request("company_id", MISSING)
        return actor.company
    company = db.session.get(Company, company_id)
    if company is None:
        raise RuleViolation("company_id", _l("There is no company %(id)d.", id=company_id))
    return company


def _weekday(value: object, field: str) -> int:
    day = to_int(value, field)
    if not 0 <= day <= 6:
        raise RuleViolation(field, _l("Weekdays go from 0 (Monday) to 6 (Sunday)."))
    return day


def recurrence_rule(body: JsonObject | None) -> Recurrence | None:
    """The ``recurrence`` member: ``{freq, interval, count | until, weekdays?, exclude?}``."""
    if body is None:
        return None
    freq = body.text("freq", required=True)
    if freq not in FREQUENCIES:
        raise RuleViolation(body.field("freq"), _l("Repeat daily or weekly."))
    interval = body.optional("interval", to_int)
    interval = 1 if interval is None else interval
    if not 1 <= interval <= MAX_INTERVAL:
        raise RuleViolation(
            body.field("interval"), _l("Repeat every 1 to %(count)d times.", count=MAX_INTERVAL)
        )
    count = body.optional("count", to_int)
    if count is not None and count < 1:
        raise RuleViolation(body.field("count"), _l("Book at least one occurrence."))
    until: date | None = body.optional("until", to_day)
    if count is not None and until is not None:
        raise RuleViolation(body.field("count"), _l("Give either a count or an end date."))
    excluded = body.items("exclude", to_day)
    if len(excluded) > MAX_EXCLUDED:
        raise RuleViolation(
            body.field("exclude"), _l("At most %(count)d dates.", count=MAX_EXCLUDED)
        )
    return Recurrence(
        freq=freq,
        interval=interval,
        count=count,
        until=until,
        weekdays=tuple(sorted(set(body.items("weekdays", _weekday)))),
        exclude=frozenset(excluded),
    )


def booking_request(actor: User, body: JsonObject, key: str | None = None) -> BookingRequest:
    """A BookingRequest from the body of ``POST /bookings``.

    Every member's type is checked (400) before the space and company are looked up (422).
    """
    space_id = body.required("space_id", to_int)
    company_id = body.optional("company_id", to_int)
    start = body.required("start", to_moment)
    end = body.required("end", to_moment)
    title = body.text("title", required=True)
    attendees = body.optional("attendees", to_int)
    recurrence = recurrence_rule(body.child("recurrence"))
    return BookingRequest(
        space=_space(space_id),
        company=_company(actor, company_id),
        start=start,
        end=end,
        title=title,
        attendees=1 if attendees is None else attendees,
        recurrence=recurrence,
        request_key=key,
    )


def reason(body: JsonObject, required: bool = False) -> str:
    """The ``reason`` of a cancellation or a rejection."""
    return body.text("reason", required=required, max_length=REASON_MAX)


def booking_change(body: JsonObject) -> tuple[BookingChange, str]:
    """The change and its scope from the body of ``PATCH /bookings/{id}``; missing keeps."""
    space_id = body.optional("space_id", to_int)
    start = body.optional("start", to_moment)
    end = body.optional("end", to_moment)
    title = body.optional("title", to_text)
    attendees = body.optional("attendees", to_int)
    scope = body.text("scope") or "this"
    change = BookingChange(
        start=start,
        end=end,
        space=None if space_id is None else _space(space_id),
        title=title,
        attendees=attendees,
    )
    return change, scope
