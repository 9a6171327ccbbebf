"""No two leases of one space overlap: the service explains, the database guarantees."""

from datetime import date

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Lease, SpaceKind
from app.services.errors import Conflict, RuleViolation
from app.services.leases import save_lease
from tests.fixtures.factories import make_company, make_space

D = date.fromisoformat


@pytest.fixture
def office(app):
    return make_space(kind=SpaceKind.OFFICE)


def lease(space, starts: str, ends: str | None, company=None):
    return save_lease(
        None,
        None,
        company=company or make_company(),
        space=space,
        starts_on=D(starts),
        ends_on=D(ends) if ends else None,
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("2026-01-01", "2026-06-30"), ("2026-06-30", "2026-12-31")),  # shares the last day
        (("2026-01-01", None), ("2027-05-01", "2027-06-01")),  # open-ended covers the future
        (("2026-03-01", "2026-03-31"), ("2026-01-01", None)),  # new open-ended covers it
        (("2026-03-01", "2026-03-31"), ("2026-03-10", "2026-03-11")),  # inside
    ],
    ids=["same last day", "after open-ended", "open-ended over", "inside"],
)
def test_overlapping_lease_is_refused_and_names_the_tenant(office, first, second) -> None:
    holder = make_company(name="四川护能科技有限公司")
    lease(office, *first, company=holder)
    with pytest.raises(Conflict) as caught:
        lease(office, *second)
    assert "四川护能科技有限公司" in str(caught.value.message)
    assert db.session.scalar(sa.select(sa.func.count(Lease.id))) == 1


def test_consecutive_leases_are_fine(office) -> None:
    lease(office, "2026-01-01", "2026-06-30")
    lease(office, "2026-07-01", None)
    assert db.session.scalar(sa.select(sa.func.count(Lease.id))) == 2


def test_a_lease_can_be_moved_without_clashing_with_itself(office) -> None:
    first = lease(office, "2026-01-01", "2026-06-30")
    save_lease(
        None,
        first,
        company=first.company,
        space=office,
        starts_on=D("2026-02-01"),
        ends_on=D("2026-08-31"),
    )
    assert first.ends_on == D("2026-08-31")


def test_meeting_rooms_are_not_leased(app) -> None:
    room = make_space(kind=SpaceKind.MEETING_ROOM)
    with pytest.raises(RuleViolation) as caught:
        lease(room, "2026-01-01", None)
    assert caught.value.field == "space_id"


def test_end_before_start_is_refused(office) -> None:
    with pytest.raises(RuleViolation):
        lease(office, "2026-05-01", "2026-04-30")


def test_database_refuses_overlap_even_without_the_service(office) -> None:
    """What a second web worker racing past the friendly check would hit."""
    a, b = make_company(), make_company()
    db.session.add(Lease(company=a, space=office, starts_on=D("2026-01-01"), ends_on=None))
    db.session.commit()
    db.session.add(Lease(company=b, space=office, starts_on=D("2026-02-01"), ends_on=None))
    if db.engine.dialect.name != "postgresql":
        # SQLite has no exclusion constraint: there the service's check inside one
        # BEGIN IMMEDIATE write transaction is the guarantee, tested above.
        db.session.rollback()
        return
    with pytest.raises(sa.exc.IntegrityError, match="ex_leases_space_period"):
        db.session.commit()


@pytest.mark.parametrize(
    ("held", "asked", "says"),
    [
        (
            [("2026-01-01", "2026-06-30")],
            ("2026-06-30", "2026-12-31"),
            "（2026-01-01 至 2026-06-30），2026-07-01 起空出。",
        ),
        (  # leases that follow each other: free after the last of them
            [("2026-01-01", "2026-06-30"), ("2026-07-01", "2026-09-30")],
            ("2026-06-01", None),
            "（2026-01-01 至 2026-06-30），2026-10-01 起空出。",
        ),
        (  # a gap of a day is free
            [("2026-01-01", "2026-06-30"), ("2026-07-02", "2026-09-30")],
            ("2026-06-01", None),
            "，2026-07-01 起空出。",
        ),
        (
            [("2026-01-01", None)],
            ("2027-05-01", "2027-06-01"),
            "，自 2026-01-01 起，未定结束日期：须先为该租约填写结束日期，空间才会空出。",
        ),
    ],
    ids=["ends", "consecutive", "gap", "open-ended"],
)
def test_the_refusal_says_when_the_space_is_free(office, held, asked, says) -> None:
    holder = make_company(name="四川护能科技有限公司")
    for starts, ends in held:
        lease(office, starts, ends, company=holder)
    with pytest.raises(Conflict) as caught:
        lease(office, *asked)
    message = str(caught.value.message)  # in Chinese, the default language
    assert message.startswith(f"{office.code} 已租给四川护能科技有限公司")
    assert message.endswith(says)
