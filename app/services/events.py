"""Booking events, delivered to listeners only after the transaction that caused them commits.

Services call ``emit``; the notification channels connect to ``booking_changed``. An event of a
transaction that rolls back is never delivered.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from blinker import Namespace
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db

signals = Namespace()
booking_changed = signals.signal("booking-changed")

_PENDING_KEY = "pending_booking_events"
_MUTED_KEY = "booking_events_muted"


def emit(name: str, booking_id: int, **details: Any) -> None:
    """Queue an event (confirmed, pending, approved, rejected, cancelled, …) for after commit."""
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


@event.listens_for(Session, "after_commit")
def _deliver(session: Session) -> None:
    for name, booking_id, details in session.info.pop(_PENDING_KEY, []):
        booking_changed.send(name, booking_id=booking_id, **details)


@event.listens_for(Session, "after_rollback")
def _discard(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)
