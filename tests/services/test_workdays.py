"""The working calendar's sources, in order: a manager's day, the published arrangement, the law."""

from datetime import date

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEntry, BookingStatus, DaySource, Role
from app.services import workdays
from app.services.errors import NotAllowed, RuleViolation
from app.services.workdays import DayKind
from tests.fixtures.bookings import book, local, make_world
from tests.fixtures.factories import make_user

# In December a hall may be booked for early January (the advance window counts from here).
DECEMBER = local("2026-12-28", "09:00")


@pytest.fixture
def world(app):
    return make_world()


SOURCES = {
    "official holiday": (date(2026, 10, 1), False, DayKind.HOLIDAY, DaySource.OFFICIAL, False),
    "official make-up Saturday": (
        date(2026, 10, 10),
        True,
        DayKind.MAKEUP,
        DaySource.OFFICIAL,
        False,
    ),
    "official weekend": (date(2026, 10, 11), False, DayKind.WEEKEND, DaySource.OFFICIAL, False),
    "New Year by law": (date(2027, 1, 1), False, DayKind.HOLIDAY, DaySource.LAW, True),
    "day in lieu by law": (date(2027, 2, 10), False, DayKind.HOLIDAY, DaySource.LAW, True),
    "weekday by law": (date(2027, 1, 4), True, DayKind.WORKDAY, DaySource.LAW, True),
}


@pytest.mark.parametrize(
    ("day", "working", "kind", "source", "provisional"), SOURCES.values(), ids=SOURCES.keys()
)
def test_each_source(app, day, working, kind, source, provisional) -> None:
    info = workdays.day_info(day)
    assert (info.working, info.kind, info.source, info.provisional) == (
        working,
        kind,
        source,
        provisional,
    )


def test_a_managers_day_wins_over_the_published_arrangement(app) -> None:
    manager = make_user(role=Role.MANAGER)
    workdays.set_day(manager, date(2026, 10, 1), working=True, name="值班")
    db.session.commit()
    assert workdays.is_working_day(date(2026, 10, 1))
    assert workdays.day_info(date(2026, 10, 1)).source is DaySource.MANAGER
    workdays.clear_day(manager, date(2026, 10, 1))
    db.session.commit()
    assert workdays.day_info(date(2026, 10, 1)).source is DaySource.OFFICIAL
    entries = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.actor_id, e.object_id) for e in entries] == [
        ("calendar.set", manager.id, 20261001),
        ("calendar.cleared", manager.id, 20261001),
    ]


def test_tenants_cannot_change_the_calendar(world) -> None:
    with pytest.raises(NotAllowed):
        workdays.set_day(world.tenant, date(2027, 2, 20), working=True)


def test_dates_out_of_range_are_refused(app) -> None:
    with pytest.raises(RuleViolation) as caught:
        workdays.set_day(None, date(1, 1, 1), working=True)
    assert caught.value.field == "day"


def test_the_hall_refuses_new_years_day_of_a_year_not_published(world) -> None:
    start, end = local("2027-01-01", "14:00"), local("2027-01-01", "16:00")
    with pytest.raises(RuleViolation) as caught:
        book(world.tenant, world.hall, start, end, now=DECEMBER)
    assert caught.value.field == "start"


def test_the_hall_takes_a_declared_make_up_day(world) -> None:
    workdays.set_day(None, date(2027, 1, 9), working=True, name="调休上班")
    start, end = local("2027-01-09", "14:00"), local("2027-01-09", "16:00")
    (booking,) = book(world.tenant, world.hall, start, end, now=DECEMBER)
    assert booking.status is BookingStatus.PENDING
