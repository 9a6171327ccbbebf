"""The audit log: every change, newest first, in words; read only."""

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask import render_template, request
from flask.typing import ResponseReturnValue

from app.extensions import db
from app.i18n import select_locale
from app.manage import bp
from app.manage.audit_labels import GROUP_LABELS
from app.manage.audit_texts import describe_entries, describe_object
from app.models import Role, User
from app.services.audit_log import AuditFilter, audit_query, group_of, load_context, object_types
from app.services.localtime import local_datetime
from app.web import page_args
from app.web.bounds import parse_day, parse_id


def _day(text: str | None) -> date | None:
    try:
        return parse_day(text or "")
    except ValueError:
        return None


@dataclass(frozen=True)
class AuditArgs:
    """The page's filters as the query string gives them; anything unreadable is left out."""

    object_type: str
    object_id: int | None
    actor_id: int | None
    start: date | None
    end: date | None

    @classmethod
    def from_args(cls, args: Any) -> "AuditArgs":
        return cls(
            object_type=args.get("object_type", "").strip().lower(),
            object_id=args.get("object_id", type=parse_id),
            actor_id=args.get("actor_id", type=parse_id),
            start=_day(args.get("from")),
            end=_day(args.get("to")),
        )

    def to_filter(self) -> AuditFilter:
        """Local days, both included."""
        start = local_datetime(self.start, time()) if self.start else None
        end = local_datetime(self.end + timedelta(days=1), time()) if self.end else None
        return AuditFilter(
            object_types(self.object_type), self.object_id, self.actor_id, start, end
        )


@bp.route("/audit")
def audit() -> ResponseReturnValue:
    """Who changed what, when, with the values before and after; one object's history."""
    args = AuditArgs.from_args(request.args)
    paging = page_args()
    page = db.paginate(
        audit_query(args.to_filter()), page=paging["page"], per_page=paging["per_page"]
    )
    entries = list(page.items)
    context, locale = load_context(entries), select_locale()
    types = object_types(args.object_type)
    current = (types[0], args.object_id) if len(types) == 1 and args.object_id else None
    subject = describe_object(entries[0], context, locale) if current and entries else None
    people = sa.select(User).where(
        sa.or_(User.role != Role.TENANT, User.id == (args.actor_id or -1))
    )
    return render_template(
        "manage/audit.html",
        page=page,
        lines=describe_entries(entries, context, locale),
        filters=args,
        subject=subject,
        current=current,
        groups=GROUP_LABELS,
        selected_group=(
            args.object_type if args.object_type in GROUP_LABELS else group_of(args.object_type)
        ),
        actors=db.session.scalars(people.order_by(User.name)).all(),
    )
