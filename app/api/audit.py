"""The audit log for managers' systems: every change, newest first. Read only: GET is all."""

from typing import Any

from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from app.api import bp
from app.api.auth import api_user
from app.api.catalogue import paginate
from app.api.parsing import query_int, query_moment, query_text
from app.api.serializers import iso_or_none
from app.models import AuditEntry
from app.services.audit_log import AuditFilter, audit_query, object_types
from app.services.errors import NotAllowed


def audit_json(entry: AuditEntry) -> dict[str, Any]:
    """One entry: who, when, what, the recorded values before and after, and the note."""
    actor = entry.actor
    return {
        "id": entry.id,
        "at": iso_or_none(entry.at),
        "actor": {"id": actor.id, "name": actor.name} if actor is not None else None,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "before": entry.before,
        "after": entry.after,
        "note": entry.note,
    }


@bp.get("/api/v1/audit")
def audit_entries() -> ResponseReturnValue:
    """Entries of an object, an actor or a time, newest first; ``from``/``to`` dates are days."""
    if not api_user().is_staff:
        raise NotAllowed(_l("Only the incubator's managers can read the audit log."))
    filters = AuditFilter(
        object_types=object_types(query_text("object_type")),
        object_id=query_int("object_id"),
        actor_id=query_int("actor_id"),
        start=query_moment("from"),
        end=query_moment("to", end_of_day=True),
    )
    return paginate(audit_query(filters), audit_json)
