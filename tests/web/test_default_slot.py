"""The booking and find forms open on a start that has not passed yet."""

from datetime import date, datetime

import pytest

from app.portal.book import default_slot
from tests.fixtures.bookings import SHANGHAI


@pytest.mark.parametrize(
    ("clock", "expected"),
    [
        ((10, 0, 0), (date(2026, 12, 1), "10:00", "11:00")),
        ((10, 0, 30), (date(2026, 12, 1), "10:15", "11:15")),  # the first minute of a quarter
        ((10, 14, 59), (date(2026, 12, 1), "10:15", "11:15")),
        ((6, 30, 0), (date(2026, 12, 1), "08:00", "09:00")),
        ((21, 0, 1), (date(2026, 12, 2), "09:00", "10:00")),
        ((23, 59, 30), (date(2026, 12, 2), "09:00", "10:00")),
    ],
)
def test_the_default_start_is_never_in_the_past(app, clock, expected) -> None:
    now = datetime(2026, 12, 1, *clock, tzinfo=SHANGHAI)
    assert default_slot(now) == expected
