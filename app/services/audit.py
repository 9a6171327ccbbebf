"""Recording changes in the audit log."""

from datetime import date, datetime, time
from enum import Enum
from typing import Any

from app.extensions import db
from app.models import AuditEntry, User


def snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    """The named attributes of ``obj`` as JSON-ready values."""
    values: dict[str, Any] = {}
    for field in fields:
        value = getattr(obj, field)
        if isinstance(value, Enum):
            value = value.value
        elif isinstance(value, date | datetime | time):
            value = value.isoformat()
        values[field] = value
    return values


def record(
    actor: User | None,
    action: str,
    obj: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    """Add an audit entry for ``action`` on ``obj`` (flushed with the caller's transaction)."""
    if before is not None and after is not None:
        changed = {k for k in after if before.get(k) != after.get(k)}
        before = {k: v for k, v in before.items() if k in changed}
        after = {k: v for k, v in after.items() if k in changed}
    entry = AuditEntry(
        actor_id=actor.id if actor else None,
        action=action,
        object_type=type(obj).__name__.lower(),
        object_id=getattr(obj, "id", None),
        before=before,
        after=after,
        note=note,
    )
    db.session.add(entry)
    return entry
