"""A booking's life: approval or rejection, cancellation, check-in and no-shows."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Booking, BookingHold, BookingStatus, Closure
from app.services.booking_rules import PENDING_APPROVAL, is_no_show
from app.services.bookings import approve, cancel, check_in, reject
from app.services.errors import Conflict, NotAllowed, RuleViolation
from tests.fixtures.bookings import DAY, NOW, book, local, make_world

START, END = local(DAY, "10:00"), local(DAY, "12:00")
MINUTE = timedelta(minutes=1)


@pytest.fixture
def world(app):
    return make_world()


@pytest.fixture
def request_(world):
    """A tenant's pending request for the hall, 10:00–12:00."""
    (booking,) = book(world.tenant, world.hall, START, END)
    return booking


@pytest.fixture
def meeting(world):
    """A tenant's confirmed meeting-room booking, 10:00–12:00 (needs a check-in)."""
    (booking,) = book(world.tenant, world.room, START, END)
    return booking


def active_holds(booking: Booking) -> list[bool]:
    return list(
        db.session.scalars(
            sa.select(BookingHold.active).where(BookingHold.booking_id == booking.id)
        )
    )


# Approval and rejection


def test_a_pending_request_holds_the_slot(world, request_) -> None:
    assert (request_.status, request_.reason) == (BookingStatus.PENDING, PENDING_APPROVAL)
    with pytest.raises(Conflict) as caught:
        book(world.other, world.hall, START, END)
    assert [c["status"] for c in caught.value.conflicts] == ["pending"]


def test_approving_confirms_and_records_who_and_when(world, request_) -> None:
    decided = NOW + timedelta(hours=2)
    approve(world.manager, request_, now=decided)
    assert request_.status == BookingStatus.CONFIRMED
    assert request_.reason == ""
    assert (request_.decided_by_id, request_.decided_at) == (world.manager.id, decided)
    assert request_.sequence == 1


def test_approving_twice_is_a_conflict(world, request_) -> None:
    approve(world.manager, request_, now=NOW)
    with pytest.raises(Conflict):
        approve(world.manager, request_, now=NOW)


def test_a_decision_made_elsewhere_first_is_a_conflict(world, request_) -> None:
    # Two managers open the same request; one rejects, the other's (stale) approval must fail.
    db.session.execute(
        sa.update(Booking).where(Booking.id == request_.id).values(status=BookingStatus.REJECTED)
    )
    with pytest.raises(Conflict):
        approve(world.manager, request_, now=NOW)


def test_only_managers_decide(world, request_) -> None:
    with pytest.raises(NotAllowed):
        approve(world.tenant, request_, now=NOW)
    with pytest.raises(NotAllowed):
        reject(world.tenant, request_, "不需要了", now=NOW)
    assert request_.status == BookingStatus.PENDING


def test_a_request_cannot_be_approved_into_a_closure(world, request_) -> None:
    db.session.add(Closure(zone=world.hall.zone, start_at=START, end_at=END, reason="设备检修"))
    db.session.flush()
    with pytest.raises(Conflict) as caught:
        approve(world.manager, request_, now=NOW)
    assert [c["kind"] for c in caught.value.conflicts] == ["closure"]
    assert request_.status == BookingStatus.PENDING


@pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "blank"])
def test_rejecting_needs_a_reason(world, request_, reason) -> None:
    with pytest.raises(RuleViolation) as caught:
        reject(world.manager, request_, reason, now=NOW)
    assert caught.value.field == "reason"
    assert request_.status == BookingStatus.PENDING


def test_rejecting_frees_the_slot(world, request_) -> None:
    reject(world.manager, request_, "  当天有区里的活动  ", now=NOW)
    assert (request_.status, request_.reason) == (BookingStatus.REJECTED, "当天有区里的活动")
    assert active_holds(request_) == [False]
    (other,) = book(world.other, world.hall, START, END)
    assert other.holding
    with pytest.raises(Conflict):
        approve(world.manager, request_, now=NOW)


# Cancellation


def test_a_tenant_cancels_until_the_start(world, meeting) -> None:
    (done,) = cancel(world.tenant, meeting, now=START - MINUTE)
    assert done is meeting
    assert meeting.status == BookingStatus.CANCELLED


@pytest.mark.parametrize("late", [timedelta(0), MINUTE, timedelta(hours=3)], ids=str)
def test_a_tenant_cannot_cancel_once_it_has_started(world, meeting, late) -> None:
    with pytest.raises(RuleViolation) as caught:
        cancel(world.tenant, meeting, now=START + late)
    assert caught.value.field == "start"
    assert meeting.status == BookingStatus.CONFIRMED


def test_another_company_cannot_cancel(world, meeting) -> None:
    with pytest.raises(NotAllowed):
        cancel(world.other, meeting, now=NOW)


def test_a_manager_cancels_with_a_reason_even_after_the_start(world, meeting) -> None:
    with pytest.raises(RuleViolation) as caught:
        cancel(world.manager, meeting, now=NOW)
    assert caught.value.field == "reason"
    cancel(world.manager, meeting, "空调故障", now=START + timedelta(minutes=30))
    assert (meeting.status, meeting.reason) == (BookingStatus.CANCELLED, "空调故障")


def test_cancelling_twice_is_a_conflict(world, meeting) -> None:
    cancel(world.tenant, meeting, now=NOW)
    with pytest.raises(Conflict):
        cancel(world.tenant, meeting, now=NOW)


def test_a_pending_request_can_be_withdrawn(world, request_) -> None:
    cancel(world.tenant, request_, now=NOW)
    assert request_.status == BookingStatus.CANCELLED


def test_cancelling_frees_the_slot_at_once(world, meeting) -> None:
    cancel(world.tenant, meeting, now=NOW)
    assert active_holds(meeting) == [False]
    (other,) = book(world.other, world.room, START, END)
    assert other.status == BookingStatus.CONFIRMED


def test_an_unknown_scope_is_refused(world, meeting) -> None:
    with pytest.raises(RuleViolation) as caught:
        cancel(world.tenant, meeting, scope="everything", now=NOW)
    assert caught.value.field == "scope"


# Check-in and no-shows

CHECK_IN = {
    "11 minutes early": (-11, False),
    "10 minutes early": (-10, True),
    "at the start": (0, True),
    "15 minutes late": (15, True),
    "16 minutes late": (16, False),
}


@pytest.mark.parametrize(("minutes", "allowed"), CHECK_IN.values(), ids=CHECK_IN.keys())
def test_the_check_in_window(world, meeting, minutes, allowed) -> None:
    now = START + minutes * MINUTE
    if allowed:
        check_in(world.tenant, meeting, now=now)
        assert meeting.checked_in_at == now
        assert not is_no_show(meeting, START + timedelta(hours=1))
    else:
        with pytest.raises(RuleViolation) as caught:
            check_in(world.tenant, meeting, now=now)
        assert caught.value.field == "start"
        assert meeting.checked_in_at is None


def test_checking_in_twice_keeps_the_first_time(world, meeting) -> None:
    check_in(world.tenant, meeting, now=START)
    check_in(world.tenant, meeting, now=START + 5 * MINUTE)
    assert meeting.checked_in_at == START


def test_only_a_confirmed_booking_of_ones_company_is_checked_in(world, meeting, request_) -> None:
    with pytest.raises(NotAllowed):
        check_in(world.other, meeting, now=START)
    with pytest.raises(RuleViolation) as caught:
        check_in(world.tenant, request_, now=START)
    assert caught.value.field == "status"


@pytest.mark.parametrize(
    ("minutes", "no_show"), [(15, False), (16, True)], ids=["15 minutes", "16 minutes"]
)
def test_no_check_in_makes_a_no_show_after_15_minutes(meeting, minutes, no_show) -> None:
    assert is_no_show(meeting, START + minutes * MINUTE) is no_show


def test_a_no_shows_slot_can_be_booked_by_someone_else(world, meeting) -> None:
    now = START + 20 * MINUTE
    (taken,) = book(world.other, world.room, START + 30 * MINUTE, END, now=now)
    assert taken.status == BookingStatus.CONFIRMED
    assert active_holds(meeting) == [False]
    db.session.flush()  # the database agrees (on PostgreSQL, the exclusion constraint)


def test_a_checked_in_booking_keeps_its_slot(world, meeting) -> None:
    check_in(world.tenant, meeting, now=START + 5 * MINUTE)
    with pytest.raises(Conflict):
        book(world.other, world.room, START + 30 * MINUTE, END, now=START + 20 * MINUTE)
    assert active_holds(meeting) == [True]


def test_a_no_show_is_not_released_before_16_minutes(world, meeting) -> None:
    with pytest.raises(Conflict):
        book(world.other, world.room, START + 30 * MINUTE, END, now=START + 15 * MINUTE)


def test_a_hall_needs_no_check_in_and_never_becomes_a_no_show(world, request_) -> None:
    approve(world.manager, request_, now=NOW)
    with pytest.raises(Conflict):
        book(world.other, world.hall, START + timedelta(hours=1), END, now=START + 20 * MINUTE)
