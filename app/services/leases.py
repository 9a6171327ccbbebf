"""Leases: who occupies which office, desk, booth or shop, and when."""

from datetime import date

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
            _l(
                "%(space)s is already leased to %(company)s from %(start)s.",
                space=space.code,
                company=clashes[0].company.name,
                start=clashes[0].starts_on.isoformat(),
            ),
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
