"""The building's reference data held in memory: zones, spaces, closures, booking policy and the
declared days of the working calendar, read from the database once per app process and revision.

Nearly every page and API call reads them, and they change only when a manager edits them. A
flush that writes one of them gives the one row of ``reference_revision`` a new random token in
the same transaction. A request reads that row once per transaction and, while the token is the
one this process loaded its copy under, uses the copy instead of reading them all again.
Another app server's change is therefore seen by the next transaction, as a query would see it;
a rolled-back change leaves a token nobody will read.

The copies are ORM objects detached from every session, loaded with what readers follow (a
space's zone, parts and parent; a zone's spaces; what a closure closes). They are for reading
only: pages, lists, reports and the availability API. Code that writes takes its rows from its
own session; adding a copy to a session raises ``HeldInMemory``.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from app.extensions import db
from app.models import (
    CalendarDay,
    Closure,
    KindRule,
    ReferenceRevision,
    Space,
    SpaceKind,
    Stage,
    StageAllowance,
    Zone,
)
from app.services import transaction_notes

REFERENCE_TYPES = (Zone, Space, Closure, KindRule, StageAllowance, CalendarDay)
# Both dropped as each transaction ends: the next one reads the token again.
_SESSION_KEY = transaction_notes.key("reference.current")
_TOKEN_KEY = transaction_notes.key("reference.token")
_HELD = "_held_in_memory"
# The copy of each database this process serves (tests run several apps on one process).
_held: dict[str, "Reference"] = {}
T = TypeVar("T")


class HeldInMemory(RuntimeError):
    """A shared in-memory copy was about to join a session: writers must load their own rows."""


@dataclass
class Reference:
    """One revision of the reference data."""

    token: str | None
    zones: list[Zone]  # in the building's order
    spaces: dict[int, Space]  # every space, active or not
    closures: list[Closure]  # by start
    kind_rules: dict[SpaceKind, KindRule]
    stage_minutes: dict[Stage, int]
    declared_days: dict[date, CalendarDay]
    bookable: list[Space] = field(init=False)  # active bookable spaces, in the building's order
    _derived: dict[str, Any] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        zone_order = {zone.id: n for n, zone in enumerate(self.zones)}
        self.bookable = sorted(
            (space for space in self.spaces.values() if space.bookable and space.active),
            key=lambda space: (zone_order[space.zone_id], space.code),
        )

    def derived(self, name: str, work_out: Callable[["Reference"], T]) -> T:
        """What ``work_out`` makes of this revision, worked out once (the rules' limits, …)."""
        if name not in self._derived:
            self._derived[name] = work_out(self)
        found: T = self._derived[name]
        return found

    def bookable_space(self, space_id: int) -> Space | None:
        space = self.spaces.get(space_id)
        return space if space is not None and space.bookable and space.active else None

    def bookable_zones(self) -> list[Zone]:
        """Zones with at least one bookable space, in the building's order."""
        ids = {space.zone_id for space in self.bookable}
        return [zone for zone in self.zones if zone.id in ids]


def current() -> Reference:
    """The reference data as the current transaction sees it."""
    found: Reference | None = db.session.info.get(_SESSION_KEY)
    if found is not None:
        return found
    token = db.session.info.get(_TOKEN_KEY) or db.session.scalar(_token_query())
    key = str(db.engine.url)
    found = _held.get(key)
    if found is None or token is None or found.token != token:
        found = _load(db.session, token)
        if token is not None:
            _held[key] = found
    db.session.info[_SESSION_KEY] = found
    return found


def _token_query() -> sa.Select[str]:
    return sa.select(ReferenceRevision.token).where(ReferenceRevision.id == 1)


def revision_column() -> sa.Label[str]:
    """The revision's token as a column, for the query that every request makes anyway (the
    signed-in user's or the API token's): given to ``note_revision``, it spares ``current``
    a query of its own."""
    return _token_query().scalar_subquery().label("reference_token")


def note_revision(token: str | None) -> None:
    """The token as another query of the current transaction read it."""
    if token is not None:
        db.session.info[_TOKEN_KEY] = token


def _load(session: Any, token: str | None) -> Reference:
    """Every zone, space, rule, allowance and declared day, in a session of their own."""
    # Through the caller's connection: its transaction may have written them (a manager's form).
    with Session(bind=session.connection()) as own:
        zones = list(
            own.scalars(
                sa.select(Zone)
                .options(selectinload(Zone.spaces))
                .order_by(Zone.sort_order, Zone.code)
            )
        )
        spaces = own.scalars(
            sa.select(Space).options(
                selectinload(Space.zone), selectinload(Space.parts), selectinload(Space.parent)
            )
        ).all()
        held = Reference(
            token=token,
            zones=zones,
            spaces={space.id: space for space in spaces},
            closures=list(
                own.scalars(
                    sa.select(Closure)
                    .options(selectinload(Closure.space), selectinload(Closure.zone))
                    .order_by(Closure.start_at, Closure.id)
                )
            ),
            kind_rules={rule.kind: rule for rule in own.scalars(sa.select(KindRule))},
            stage_minutes={
                row.stage: row.monthly_minutes for row in own.scalars(sa.select(StageAllowance))
            },
            declared_days={day.day: day for day in own.scalars(sa.select(CalendarDay))},
        )
        rows = (held.closures, held.kind_rules.values(), held.declared_days.values())
        for instance in chain(zones, spaces, *rows):
            setattr(instance, _HELD, True)
        own.expunge_all()
    return held


@sa.event.listens_for(Session, "before_flush")
def _stamp(session: Session, _context: Any, _instances: Any) -> None:
    """A flush that writes reference data gives the revision a new token."""
    added_or_deleted = chain(session.new, session.deleted)
    if any(isinstance(instance, REFERENCE_TYPES) for instance in added_or_deleted) or any(
        isinstance(instance, REFERENCE_TYPES)
        and session.is_modified(instance, include_collections=False)
        for instance in session.dirty
    ):
        new_revision(session)


def new_revision(session: Session) -> None:
    """Give the reference data a new token in ``session``'s transaction."""
    token = uuid.uuid4().hex
    updated = session.execute(
        sa.update(ReferenceRevision).where(ReferenceRevision.id == 1).values(token=token)
    )
    if not getattr(updated, "rowcount", 0):
        session.add(ReferenceRevision(id=1, token=token))
    session.info.pop(_SESSION_KEY, None)
    session.info.pop(_TOKEN_KEY, None)


@sa.event.listens_for(Session, "before_attach")
def _refuse_copies(_session: Session, instance: Any) -> None:
    if getattr(instance, _HELD, False):
        raise HeldInMemory(f"{instance!r} is held in memory for reading; load it in the session")
