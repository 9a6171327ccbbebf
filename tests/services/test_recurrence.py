"""What a recurring request must say: until when or how many times, and not too many."""

from datetime import date

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Booking, BookingSeries
from app.services import policy
from app.services.errors import RuleViolation
from app.services.recurrence import Recurrence
from tests.fixtures.bookings import DAY, book, local, make_world


@pytest.fixture
def world(app):
    return make_world()


REFUSED = {
    "neither until nor count": Recurrence("weekly"),
    "until before the first day": Recurrence("daily", until=date(2026, 9, 7)),
    "more than 100 occurrences": Recurrence("daily", count=policy.MAX_OCCURRENCES + 1),
    "until gives more than 100": Recurrence("daily", until=date(2027, 1, 1)),
    "every date excluded": Recurrence("daily", count=1, exclude=frozenset({DAY})),
}


@pytest.mark.parametrize("rule", REFUSED.values(), ids=REFUSED.keys())
def test_a_repeat_rule_that_cannot_be_booked_is_refused(world, rule) -> None:
    with pytest.raises(RuleViolation) as caught:
        book(
            world.manager,
            world.room,
            local(DAY, "10:00"),
            local(DAY, "11:00"),
            company=world.company,
            recurrence=rule,
        )
    assert caught.value.field == "recurrence"
    assert db.session.scalar(sa.select(sa.func.count(BookingSeries.id))) == 0


@pytest.mark.parametrize(
    "rule",
    [Recurrence("daily", count=100), Recurrence("daily", until=date(2026, 12, 16))],
    ids=["count 100", "until the 100th day"],
)
def test_up_to_100_occurrences_are_booked(world, rule) -> None:
    bookings = book(
        world.manager,
        world.room,
        local(DAY, "10:00"),
        local(DAY, "11:00"),
        company=world.company,
        recurrence=rule,
    )
    assert len(bookings) == 100
    assert db.session.scalar(sa.select(sa.func.count(Booking.id))) == 100


def test_until_on_the_first_day_books_that_day(world) -> None:
    bookings = book(
        world.tenant,
        world.room,
        local(DAY, "10:00"),
        local(DAY, "11:00"),
        recurrence=Recurrence("weekly", until=DAY),
    )
    assert [b.start_at for b in bookings] == [local(DAY, "10:00")]
