"""Conflict and availability checks read an index, never the whole table of holds.

One installation may hold a million bookings; a check that scanned them all would get slower
every month. The planner is asked how it would run the real query.
"""

from datetime import UTC, datetime

import sqlalchemy as sa

from app.extensions import db
from app.models import SpaceKind
from app.services.booking_rules import holds_overlapping
from tests.fixtures.factories import make_space


def plan(query: sa.Select) -> str:
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text("SET LOCAL enable_seqscan = off"))
        rows = db.session.execute(sa.text(f"EXPLAIN {compiled}")).scalars()
    else:
        rows = (row[-1] for row in db.session.execute(sa.text(f"EXPLAIN QUERY PLAN {compiled}")))
    return "\n".join(rows)


def test_conflict_check_uses_an_index_on_holds(app) -> None:
    room = make_space(kind=SpaceKind.MEETING_ROOM)
    start, end = datetime(2026, 12, 1, 2, tzinfo=UTC), datetime(2026, 12, 1, 3, tzinfo=UTC)
    text = plan(holds_overlapping(room, start, end))
    if db.engine.dialect.name == "postgresql":
        holds_lines = [line for line in text.splitlines() if "booking_holds" in line]
        assert holds_lines and all("Seq Scan" not in line for line in holds_lines), text
    else:
        assert "SCAN booking_holds" not in text, text
        assert "booking_holds USING" in text, text
