"""Booking events, handed to listeners as the transaction that caused them commits.

Services call ``emit``; the notification channels connect to ``booking_changed``. The events wait
in the session; just before it commits, each is sent with that session, so what a listener writes
belongs to the change's own transaction: stored with it or, should the commit fail, not at all.
Listeners write to that session only and must never break the commit (the notification listener
works inside a savepoint). An event of a transaction that rolls back is never sent.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from blinker import Namespace
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db

signals = Namespace()
# Sent as ``(name, session=…, booking_id=…, **details)`` before the session commits.
booking_changed = signals.signal("booking-changed")

_PENDING_KEY = "pending_booking_events"
_MUTED_KEY = "booking_events_muted"


def emit(name: str, booking_id: int, **details: Any) -> None:
    """Queue an event (confirmed, pending, approved, rejected, cancelled, …) for the commit."""
    if db.session.info.get(_MUTED_KEY):
        return
    db.session.info.setdefault(_PENDING_KEY, []).append((name, booking_id, details))


@contextmanager
def muted() -> Iterator[None]:
    """Changes made inside tell nobody: loading demo history must not notify or mail anyone."""
    db.session.info[_MUTED_KEY] = True
    try:
        yield
    finally:
        db.session.info.pop(_MUTED_KEY, None)


@event.listens_for(Session, "before_commit")
def _deliver(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint is released: the transaction, and its events, go on
    pending = session.info.pop(_PENDING_KEY, None)
    if not pending:
        return
    # The change's own rows first: their errors are the change's, not a listener's.
    session.flush()
    for name, booking_id, details in pending:
        booking_changed.send(name, session=session, booking_id=booking_id, **details)


@event.listens_for(Session, "after_rollback")
def _discard(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)
