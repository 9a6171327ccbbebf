"""Leases: who occupies which office, desk, booth or shop, and when."""

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import Company, Lease, Space, User
from app.services import audit
from app.services.errors import Conflict, RuleViolation

AUDITED_FIELDS = ["company_id", "space_id", "starts_on", "ends_on", "notes"]


def overlapping_leases(
    space_id: int, starts_on: date, ends_on: date | None, exclude_id: int | None = None
) -> list[Lease]:
    """Leases of the space that share at least one day with [starts_on, ends_on]."""
    query = sa.select(Lease).where(
        Lease.space_id == space_id,
        sa.or_(Lease.ends_on.is_(None), Lease.ends_on >= starts_on),
    )
    if ends_on is not None:
        query = query.where(Lease.starts_on <= ends_on)
    if exclude_id is not None:
        query = query.where(Lease.id != exclude_id)
    return list(db.session.scalars(query.order_by(Lease.starts_on)))


def free_from(space_id: int, day: date, exclude_id: int | None = None) -> date | None:
    """The first day from ``day`` on that no lease of the space covers; None when an
    open-ended lease covers it for good (leases that follow each other are one stretch)."""
    for other in overlapping_leases(space_id, day, None, exclude_id):
        if other.starts_on > day:
            break  # a gap: ``day`` is free
        if other.ends_on is None:
            return None
        day = max(day, other.ends_on + timedelta(days=1))
    return day


def _clash_message(space: Space, clash: Lease, exclude_id: int | None) -> Any:
    """Who holds the space, since when, and from which day it is free again."""
    free = free_from(space.id, clash.starts_on, exclude_id)
    if free is None:
        return _l(
            "%(space)s is already leased to %(company)s from %(start)s with no end date: it "
            "becomes free only once a lease of it is given an end date.",
            space=space.code,
            company=clash.company.name,
            start=clash.starts_on.isoformat(),
        )
    return _l(
        "%(space)s is already leased to %(company)s from %(start)s to %(end)s; it is free "
        "from %(free)s.",
        space=space.code,
        company=clash.company.name,
        start=clash.starts_on.isoformat(),
        end=clash.ends_on.isoformat() if clash.ends_on else "",
        free=free.isoformat(),
    )


def save_lease(
    actor: User | None,
    lease: Lease | None,
    *,
    company: Company,
    space: Space,
    starts_on: date,
    ends_on: date | None,
    notes: str = "",
) -> Lease:
    """Create or update a lease; refuses a space that is not leasable or already leased then."""
    if not space.kind.leasable:
        raise RuleViolation("space_id", _l("Only offices, desks, booths and shops are leased."))
    if ends_on is not None and ends_on < starts_on:
        raise RuleViolation("ends_on", _l("The lease cannot end before it starts."))
    clashes = overlapping_leases(space.id, starts_on, ends_on, lease.id if lease else None)
    if clashes:
        raise Conflict(
            _clash_message(space, clashes[0], lease.id if lease else None),
            [
                {
                    "id": other.id,
                    "start": other.starts_on.isoformat(),
                    "end": other.ends_on.isoformat() if other.ends_on else None,
                    "kind": "lease",
                }
                for other in clashes
            ],
        )
    creating = lease is None
    before = None if lease is None else audit.snapshot(lease, AUDITED_FIELDS)
    lease = lease or Lease()
    lease.company, lease.space = company, space
    lease.starts_on, lease.ends_on, lease.notes = starts_on, ends_on, notes
    db.session.add(lease)
    db.session.flush()
    audit.record(
        actor,
        "lease.created" if creating else "lease.updated",
        lease,
        before,
        audit.snapshot(lease, AUDITED_FIELDS),
    )
    return lease


def current_leases(company: Company, today: date) -> list[Lease]:
    """The company's leases in force today or starting later."""
    return [lease for lease in company.leases if lease.ends_on is None or lease.ends_on >= today]
