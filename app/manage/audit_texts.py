"""The audit log in words: who did what to which object, and what changed, for one reader.

Everything here reads the entry and an ``AuditContext`` loaded beforehand for a whole page
(app/services/audit_log.py): describing an entry never queries the database.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from flask_babel import gettext as _

from app.extensions import db
from app.manage.approvals import WHY_LABELS
from app.manage.audit_labels import (
    ACTION_SENTENCES,
    COMMON_FIELDS,
    FIELDS_OF,
    MINUTES_AS_HOURS,
    UNKNOWN_ACTION,
    VERB_SENTENCES,
)
from app.manage.calendar import BOOKING_STATUS_LABELS
from app.models import (
    AuditEntry,
    BookingStatus,
    CompanyStatus,
    Invitation,
    Role,
    SpaceKind,
    Stage,
)
from app.services.audit_log import AuditContext
from app.services.localtime import to_local
from app.web import KIND_LABELS, LANGUAGE_NAMES, ROLE_LABELS, STAGE_LABELS, STATUS_LABELS

EMPTY = "—"
_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
_CLOCK = re.compile(r"\d\d:\d\d:\d\d")


@dataclass(frozen=True)
class Change:
    """One field: its label, the value before and after (None: no value on that side)."""

    label: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class AuditLine:
    """An entry as a reader sees it."""

    id: int
    at: str
    actor_id: int | None
    sentence: str
    changes: list[Change]
    note: str
    object_type: str
    object_id: int | None


def local_moment(moment: datetime) -> str:
    """``2026-12-03 14:00`` in the incubator's time zone."""
    return f"{to_local(moment):%Y-%m-%d %H:%M}"


def time_range(start: datetime, end: datetime) -> str:
    """``2026-12-03 14:00–16:00``; both dates when the range reaches into another day."""
    local_start, local_end = to_local(start), to_local(end)
    if local_start.date() == local_end.date():
        return f"{local_start:%Y-%m-%d %H:%M}–{local_end:%H:%M}"
    return f"{local_start:%Y-%m-%d %H:%M} – {local_end:%Y-%m-%d %H:%M}"


def _moment(value: Any) -> datetime | None:
    if isinstance(value, str) and _MOMENT.match(value):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def _enum_label(labels: dict[Any, Any], kind: type[StrEnum], value: Any) -> str | None:
    try:
        return str(labels[kind(value)])
    except (ValueError, KeyError):
        return None


def _recorded(entry: AuditEntry, name: str) -> Any:
    """A field's latest recorded value: after the change, else before it."""
    for values in (entry.after, entry.before):
        if values and values.get(name) not in (None, ""):
            return values[name]
    return None


def _space_text(context: AuditContext, space_id: Any, locale: str) -> str | None:
    space = context.space(space_id)
    return f"{space.code} {space.display_name(locale)}" if space else None


def _zone_text(context: AuditContext, zone_id: Any, locale: str) -> str | None:
    zone = context.zone(zone_id)
    if zone is None:
        return None
    return _("zone %(code)s %(name)s", code=zone.code, name=zone.display_name(locale))


def _numbered(entry: AuditEntry) -> str:
    return f"#{entry.object_id}" if entry.object_id is not None else EMPTY


def _booking(entry: AuditEntry, context: AuditContext, locale: str) -> str:
    booking = context.bookings.get(entry.object_id or 0)
    if booking is None:
        return _("booking %(number)s", number=_numbered(entry))
    space = context.space(booking.space_id)
    return _(
        "%(company)s's booking of %(space)s, %(when)s",
        company=context.company_name(booking.company_id) or EMPTY,
        space=space.code if space else EMPTY,
        when=time_range(booking.start_at, booking.end_at),
    )


def _company(entry: AuditEntry, context: AuditContext, locale: str) -> str:
    return context.company_name(entry.object_id) or _recorded(entry, "name") or _numbered(entry)


def _lease(entry: AuditEntry, context: AuditContext, locale: str) -> str:
    lease = context.leases.get(entry.object_id or 0)
    company_id = lease.company_id if lease else _recorded(entry, "company_id")
    space_id = lease.space_id if lease else _recorded(entry, "space_id")
    space = context.space(space_id)
    return _(
        "the lease of %(space)s to %(company)s",
        space=space.code if space else EMPTY,
        company=context.company_name(company_id) or EMPTY,
    )


def _space(entry: AuditEntry, context: AuditContext, locale: str) -> str:
    return (
        _space_text(context, entry.object_id, locale)
        or _recorded(entry, "code")
        or _numbered(entry)
    )


def _zone(entry: AuditEntry, context: AuditContext, locale: str) -> str:
    return _zone_text(context, entry.object_id, locale) or _numbered(entry)


def _user(entry: AuditEntry, context: AuditContext, locale: str) -> str:
    return context.user_name(entry.object_id) or _recorded(entry, "name") or _numbered(entry)


def _invitation(entry: AuditEntry, context: AuditContext, locale: str) -> str:
    invitation = db.session.get(Invitation, entry.object_id) if entry.object_id else None
    email = invitation.email if invitation else _recorded(entry, "email")
    return _("the invitation of %(email)s", email=email or _numbered(entry))


def _closure(entry: AuditEntry, context: AuditContext, locale: str) -> str:
    # Described by its recorded values: a reopened closure is gone from the database.
    space_id, zone_id = _recorded(entry, "space_id"), _recorded(entry, "zone_id")
    if space_id is not None:
        scope = _space_text(context, space_id, locale) or f"#{space_id}"
    elif zone_id is not None:
        scope = _zone_text(context, zone_id, locale) or f"#{zone_id}"
    else:
        scope = _("the whole building")
    start, end = _moment(_recorded(entry, "start_at")), _moment(_recorded(entry, "end_at"))
    return _(
        "%(scope)s, %(when)s (%(reason)s)",
        scope=scope,
        when=time_range(start, end) if start and end else EMPTY,
        reason=_recorded(entry, "reason") or EMPTY,
    )


def _kind_rule(entry: AuditEntry, context: AuditContext, locale: str) -> str:
    kind = _enum_label(KIND_LABELS, SpaceKind, entry.note) or entry.note or EMPTY
    return _("the booking limits of %(kind)s", kind=kind)


def _stage_allowance(entry: AuditEntry, context: AuditContext, locale: str) -> str:
    stage = _enum_label(STAGE_LABELS, Stage, entry.note) or entry.note or EMPTY
    return _("the free monthly hours of %(stage)s", stage=stage)


def _token(entry: AuditEntry, context: AuditContext, locale: str) -> str:
    token = context.tokens.get(entry.object_id or 0)
    name = token.name if token else _recorded(entry, "name")
    owner = context.user_name(token.user_id) if token else None
    return _("the API token “%(name)s” of %(person)s", name=name or EMPTY, person=owner or EMPTY)


def _feed(entry: AuditEntry, context: AuditContext, locale: str) -> str:
    feed = context.feeds.get(entry.object_id or 0)
    owner = None
    if feed is not None:
        owner = context.company_name(feed.company_id) or _space_text(context, feed.space_id, locale)
    return _("the calendar feed of %(owner)s", owner=owner or EMPTY)


def _calendar_day(entry: AuditEntry, context: AuditContext, locale: str) -> str:
    # The day is its id as a number (20270220); it is recorded only when it was new.
    day = _recorded(entry, "day")
    number = f"{entry.object_id or 0:08d}"
    if day is None and entry.object_id is not None and len(number) == 8:
        day = f"{number[:4]}-{number[4:6]}-{number[6:]}"
    return _("the working calendar on %(day)s", day=day or EMPTY)


DESCRIBERS = {
    "booking": _booking,
    "company": _company,
    "lease": _lease,
    "space": _space,
    "zone": _zone,
    "user": _user,
    "invitation": _invitation,
    "closure": _closure,
    "kindrule": _kind_rule,
    "stageallowance": _stage_allowance,
    "apitoken": _token,
    "calendarfeed": _feed,
    "calendarday": _calendar_day,
}


def describe_object(entry: AuditEntry, context: AuditContext, locale: str) -> str:
    """What the entry is about, by what it is: a booking's company, space and time, a name…"""
    describe = DESCRIBERS.get(entry.object_type)
    if describe is None:
        return f"{entry.object_type} {_numbered(entry)}"
    return describe(entry, context, locale)


def actor_name(entry: AuditEntry) -> str:
    """Who made the change; changes without a person were made by the system."""
    return entry.actor.name if entry.actor is not None else _("system")


def sentence(entry: AuditEntry, context: AuditContext, locale: str) -> str:
    """``王敏 批准了 四川护能科技有限公司 的 RSH-A 预订 2026-12-03 14:00–16:00``."""
    action = entry.action
    if action == "booking.created" and (entry.after or {}).get("status") == "pending":
        action = "booking.requested"
    values = {"actor": actor_name(entry), "object": describe_object(entry, context, locale)}
    template = ACTION_SENTENCES.get(action) or VERB_SENTENCES.get(action.rpartition(".")[2])
    if template is None:
        return str(UNKNOWN_ACTION) % {**values, "action": entry.action}
    return str(template) % values


def field_label(object_type: str, name: str) -> str:
    """A recorded field's name in the reader's language (the raw name when none is known)."""
    label = FIELDS_OF.get(object_type, {}).get(name) or COMMON_FIELDS.get(name)
    return str(label) if label is not None else name


def _enum_value(object_type: str, name: str, value: Any) -> str | None:
    if name == "stage":
        return _enum_label(STAGE_LABELS, Stage, value)
    if name == "status" and object_type == "booking":
        return _enum_label(BOOKING_STATUS_LABELS, BookingStatus, value)
    if name == "status":
        return _enum_label(STATUS_LABELS, CompanyStatus, value)
    if name == "role":
        return _enum_label(ROLE_LABELS, Role, value)
    if name == "kind" and object_type == "space":
        return _enum_label(KIND_LABELS, SpaceKind, value)
    if name == "locale":
        return LANGUAGE_NAMES.get(value)
    return None


def _reference(name: str, value: int, context: AuditContext, locale: str) -> str | None:
    if name == "company_id":
        return context.company_name(value)
    if name in ("space_id", "parent_id"):
        return _space_text(context, value, locale)
    if name == "zone_id":
        return _zone_text(context, value, locale)
    if name == "user_id":
        return context.user_name(value)
    return None


def format_value(
    object_type: str, name: str, value: Any, context: AuditContext, locale: str
) -> str:
    """A recorded value as a reader expects it: labels, names, local times, hours."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int) and name.endswith("_id"):
        return _reference(name, value, context, locale) or f"#{value}"
    if isinstance(value, int | float) and name in MINUTES_AS_HOURS:
        return f"{value / 60:g}"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {item}" for key, item in value.items())
    label = _enum_value(object_type, name, value)
    if label is not None:
        return label
    moment = _moment(value)
    if moment is not None and moment.tzinfo is not None:
        return local_moment(moment)
    if isinstance(value, str) and _CLOCK.fullmatch(value):
        return value[:5]
    return str(value)


def _flat(values: dict[str, Any] | None) -> dict[str, Any]:
    # Policies record their limits as one nested object: compare its members one by one.
    flat: dict[str, Any] = {}
    for name, value in (values or {}).items():
        if isinstance(value, dict):
            flat.update(value)
        else:
            flat[name] = value
    return flat


def _shown(
    entry: AuditEntry,
    name: str,
    value: Any,
    side: dict[str, Any] | None,
    context: AuditContext,
    locale: str,
) -> str | None:
    # None when that side has no values at all: nothing before a creation, after a removal.
    if side is None:
        return None
    return format_value(entry.object_type, name, value, context, locale)


def changes(entry: AuditEntry, context: AuditContext, locale: str) -> list[Change]:
    """The fields that changed, old → new; on creation the values given, on removal the last."""
    if entry.object_type == "closure":
        return []  # the sentence already gives its scope, time and reason
    before, after = _flat(entry.before), _flat(entry.after)
    found: list[Change] = []
    for name in [*after, *(name for name in before if name not in after)]:
        old, new = before.get(name), after.get(name)
        if entry.before is not None and entry.after is not None and old == new:
            continue
        if entry.before is None and new in (None, "", []):
            continue  # a new object's empty fields say nothing
        found.append(
            Change(
                field_label(entry.object_type, name),
                _shown(entry, name, old, entry.before, context, locale),
                _shown(entry, name, new, entry.after, context, locale),
            )
        )
    return found


def note_text(entry: AuditEntry) -> str:
    """The entry's note in words: why a request waits, the reason given, or a remark."""
    note = entry.note or ""
    if not note or entry.action.startswith("policy."):
        return ""  # a policy's note is the kind or stage, already in the sentence
    if entry.action == "booking.created":
        why = WHY_LABELS.get(note)
        return str(why) if why is not None else ""
    if entry.object_type in ("booking", "closure"):
        return _("Reason: %(reason)s", reason=note)
    return _("Note: %(note)s", note=note)


def describe_entries(
    entries: list[AuditEntry], context: AuditContext, locale: str
) -> list[AuditLine]:
    """The entries of a page as readers see them (``context`` loaded for these entries)."""
    return [
        AuditLine(
            id=entry.id,
            at=local_moment(entry.at),
            actor_id=entry.actor_id,
            sentence=sentence(entry, context, locale),
            changes=changes(entry, context, locale),
            note=note_text(entry),
            object_type=entry.object_type,
            object_id=entry.object_id,
        )
        for entry in entries
    ]
