"""``subtract``: what is left of opening hours once closures are cut out (all half-open)."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.open_time import subtract

BASE = datetime(2026, 9, 8, 0, 0, tzinfo=UTC)


def at(minute: int) -> datetime:
    return BASE + timedelta(minutes=minute)


def minutes_left(interval: tuple[int, int], cuts: list[tuple[int, int]]) -> set[int]:
    """The oracle: every minute [m, m+1) of the interval that no cut touches."""
    return {
        minute
        for minute in range(*interval)
        if not any(start <= minute < end for start, end in cuts)
    }


def as_minutes(pieces: list[tuple[datetime, datetime]]) -> list[tuple[int, int]]:
    return [
        (int((s - BASE) / timedelta(minutes=1)), int((e - BASE) / timedelta(minutes=1)))
        for s, e in pieces
    ]


proper_interval = st.tuples(st.integers(0, 300), st.integers(1, 120)).map(
    lambda pair: (pair[0], pair[0] + pair[1])
)


@given(interval=proper_interval, cuts=st.lists(proper_interval, max_size=8))
def test_subtract_leaves_exactly_the_minutes_no_closure_touches(interval, cuts) -> None:
    pieces = subtract((at(interval[0]), at(interval[1])), [(at(s), at(e)) for s, e in cuts])
    spans = as_minutes(pieces)
    left = {minute for start, end in spans for minute in range(start, end)}
    assert left == minutes_left(interval, cuts)
    # A usable answer: pieces in order, each non-empty, apart from each other (never touching,
    # so the day view shows one free block, not two glued together).
    assert all(start < end for start, end in spans)
    assert all(a_end < b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:], strict=False))


@pytest.mark.parametrize(
    ("cuts", "left"),
    [
        ([], [(0, 60)]),
        ([(60, 90)], [(0, 60)]),  # a closure starting at closing time touches, takes nothing
        ([(-30, 0)], [(0, 60)]),  # one ending at opening time neither
        ([(0, 60)], []),
        ([(-10, 70)], []),
        ([(15, 30)], [(0, 15), (30, 60)]),
        ([(15, 30), (30, 45)], [(0, 15), (45, 60)]),  # back-to-back closures
        ([(30, 45), (15, 30)], [(0, 15), (45, 60)]),  # in any order
        ([(10, 40), (20, 30)], [(0, 10), (40, 60)]),  # nested
    ],
    ids=[
        "no closure",
        "touching at closing",
        "touching at opening",
        "exactly the hours",
        "wider than the hours",
        "inside",
        "back to back",
        "back to back unordered",
        "nested",
    ],
)
def test_subtract_table(cuts, left) -> None:
    pieces = subtract((at(0), at(60)), [(at(s), at(e)) for s, e in cuts])
    assert as_minutes(pieces) == left
