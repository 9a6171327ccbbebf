"""The booking permissions the pages ask (may_…) are exactly what the booking service does."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask_babel import force_locale

from app.extensions import db
from app.models import Booking, BookingStatus, User
from app.services import policy
from app.services.booking_permissions import may_cancel, may_check_in, may_decide
from app.services.bookings import approve, cancel, check_in, reject
from app.services.errors import DomainError, RuleViolation
from app.services.recurrence import Recurrence
from tests.fixtures.bookings import DAY, NOW, World, book, local, make_world

START, END = local(DAY, "10:00"), local(DAY, "12:00")
MINUTE = timedelta(minutes=1)
MOMENTS = {
    "the day before": START - timedelta(days=1),
    "11 minutes early": START - 11 * MINUTE,
    "10 minutes early": START - 10 * MINUTE,
    "at the start": START,
    "15 minutes late": START + 15 * MINUTE,
    "16 minutes late": START + 16 * MINUTE,
    "a minute before the end": END - MINUTE,
    "at the end": END,
    "three days later": END + timedelta(days=3),
}
WHO = ["tenant", "other", "manager"]


@pytest.fixture
def world(app) -> World:
    return make_world()


def succeeds(action: Callable[[], object]) -> bool:
    """Whether the service does it; whatever it did is undone for the next question."""
    savepoint = db.session.begin_nested()
    try:
        action()
    except DomainError:
        return False
    finally:
        savepoint.rollback()
        db.session.expire_all()  # the services' conditional updates bypass the identity map
    return True


def meeting(world: World) -> Booking:
    """A confirmed meeting-room booking that needs a check-in, 10:00–12:00."""
    (booking,) = book(world.tenant, world.room, START, END)
    return booking


def hall_request(world: World) -> Booking:
    """A pending request for the hall (it needs approval), 10:00–12:00."""
    (booking,) = book(world.tenant, world.hall, START, END)
    return booking


def reason_of(actor: User) -> str:
    return "设备故障" if actor.is_staff else ""


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("moment", MOMENTS.values(), ids=MOMENTS.keys())
def test_may_cancel_is_what_cancel_does(world, who, moment) -> None:
    actor = getattr(world, who)
    for booking in (meeting(world), hall_request(world)):
        allowed = may_cancel(actor, booking, moment)
        assert succeeds(lambda b=booking: cancel(actor, b, reason_of(actor), now=moment)) is (
            allowed
        )


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("moment", MOMENTS.values(), ids=MOMENTS.keys())
def test_may_check_in_is_what_check_in_does(world, who, moment) -> None:
    actor = getattr(world, who)
    for booking in (meeting(world), hall_request(world)):
        allowed = may_check_in(actor, booking, moment)
        assert succeeds(lambda b=booking: check_in(actor, b, now=moment)) is allowed


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("moment", MOMENTS.values(), ids=MOMENTS.keys())
def test_may_decide_is_what_approve_and_reject_do(world, who, moment) -> None:
    actor = getattr(world, who)
    for booking in (hall_request(world), meeting(world)):
        approvable = may_decide(actor, booking, moment, "approve")
        assert succeeds(lambda b=booking: approve(actor, b, now=moment)) is approvable
        rejectable = may_decide(actor, booking, moment, "reject")
        assert succeeds(lambda b=booking: reject(actor, b, "当天有活动", now=moment)) is rejectable


@pytest.mark.parametrize(
    "moment", [END, END + MINUTE, END + timedelta(days=3)], ids=["at the end", "after", "days"]
)
def test_nobody_cancels_a_booking_that_has_ended(world, moment) -> None:
    booking = meeting(world)
    for actor in (world.tenant, world.manager):
        assert not may_cancel(actor, booking, moment)
        with pytest.raises(RuleViolation) as caught:
            cancel(actor, booking, reason_of(actor), now=moment)
        assert caught.value.field == "start"
    with force_locale("en"):
        assert (
            str(caught.value.message) == "This booking has already ended; it cannot be cancelled."
        )
    assert booking.status == BookingStatus.CONFIRMED


def test_a_manager_cancels_one_in_progress_or_to_come(world) -> None:
    for moment in (NOW, START + 30 * MINUTE, END - MINUTE):
        booking = meeting(world)
        assert may_cancel(world.manager, booking, moment)
        cancel(world.manager, booking, "空调故障", now=moment)
        assert booking.status == BookingStatus.CANCELLED


def test_a_manager_cancelling_a_series_leaves_the_dates_that_have_ended(world) -> None:
    weekly = Recurrence(freq="weekly", count=3)
    first, second, third = book(world.tenant, world.room, START, END, recurrence=weekly)
    done = cancel(world.manager, first, "会议室改造", scope="series", now=second.start_at)
    assert done == [second, third]
    assert first.status == BookingStatus.CONFIRMED


def test_a_booking_that_needs_no_check_in_is_not_checked_in(world) -> None:
    booking = hall_request(world)
    approve(world.manager, booking, now=NOW)
    assert not may_check_in(world.tenant, booking, START)
    with pytest.raises(RuleViolation) as caught:
        check_in(world.tenant, booking, now=START)
    assert caught.value.field == "status"
    assert booking.checked_in_at is None


def test_a_request_whose_time_has_begun_is_no_longer_approved_yet_can_be_turned_down(
    world,
) -> None:
    booking = hall_request(world)
    assert not may_decide(world.manager, booking, START)
    with pytest.raises(RuleViolation) as caught:
        approve(world.manager, booking, now=START)
    assert caught.value.field == "start"
    assert booking.status == BookingStatus.PENDING
    assert may_decide(world.manager, booking, START, "reject")
    reject(world.manager, booking, "来不及了", now=START)
    assert booking.status == BookingStatus.REJECTED


def test_the_check_in_window_message_takes_its_minutes_from_the_policy(world, monkeypatch) -> None:
    monkeypatch.setattr(policy, "CHECK_IN_OPENS", timedelta(minutes=5))
    monkeypatch.setattr(policy, "NO_SHOW_AFTER", timedelta(minutes=20))
    booking = meeting(world)
    assert may_check_in(world.tenant, booking, START + 20 * MINUTE)
    with pytest.raises(RuleViolation) as caught:
        check_in(world.tenant, booking, now=START - 6 * MINUTE)
    with force_locale("en"):
        assert str(caught.value.message) == (
            "Check in from 5 minutes before the start until 20 minutes after it."
        )
    with force_locale("zh_CN"):
        assert str(caught.value.message) == "请在开始前 5 分钟至开始后 20 分钟内签到。"
