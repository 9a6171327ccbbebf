"""Conflict and availability checks read an index, never the whole table of holds.

One installation may hold a million bookings; a check that scanned them all would get slower
every month. The planner is asked how it would run the real query.
"""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Role, SpaceKind
from app.services.availability import visible_bookings
from app.services.booking_rules import holds_overlapping
from tests.fixtures.factories import make_space, make_user


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
        # The range of end times is bounded both ways: the years of holds behind (a day in the
        # past) or ahead are not read.
        bounds = [line for line in text.splitlines() if "Index Cond" in line and "end_at" in line]
    else:
        assert "SCAN booking_holds" not in text, text
        bounds = [line for line in text.splitlines() if "SEARCH booking_holds USING" in line]
    bounded = [line.replace(" ", "") for line in bounds]
    assert bounded and all("end_at>" in line and "end_at<" in line for line in bounded), text


def index_reads(text: str) -> list[str]:
    """The plan's lines that read bookings through an index, with the index's bounds."""
    if db.engine.dialect.name == "postgresql":
        return [line for line in text.splitlines() if "Index Cond" in line and "start_at" in line]
    return [line for line in text.splitlines() if "SEARCH bookings USING" in line]


@pytest.mark.parametrize("role", [Role.MANAGER, Role.TENANT])
def test_a_month_of_bookings_reads_one_range_of_start_times(app, role) -> None:
    """Listing (and counting, for the page numbers) a month reads that month from an index,
    not every booking that started before its end."""
    viewer = make_user(role=role)
    start, end = datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    listed = visible_bookings(viewer, start=start, end=end)
    counted = sa.select(sa.func.count()).select_from(listed.order_by(None).subquery())
    for query in (listed.limit(20), counted):
        text = plan(query)
        reads = index_reads(text)
        assert reads, text
        assert all(">" in line and "<" in line for line in reads), text
        assert "SCAN bookings" not in text and "Seq Scan on bookings" not in text, text
