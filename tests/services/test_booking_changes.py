"""Changing a booking: time, space, title, people; a series' occurrence or the following ones.

A change is all or nothing: a refused one leaves the booking and its holds exactly as they were.
"""

from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import (
    AuditEntry,
    Booking,
    BookingHold,
    BookingStatus,
    Closure,
    Notification,
    OutgoingMail,
    Stage,
)
from app.services import mailer, reminders
from app.services.booking_changes import BookingChange, change_booking
from app.services.booking_permissions import may_change
from app.services.booking_rules import PENDING_APPROVAL, PENDING_OVER_ALLOWANCE
from app.services.bookings import SeriesRejected, approve, cancel
from app.services.errors import Conflict, NotAllowed, RuleViolation
from app.services.ical import booking_calendar
from app.services.recurrence import Recurrence
from app.sqltypes import utcnow
from tests.fixtures.bookings import DAY, NOW, World, book, local, make_world, meeting_room, tenant

START, END = local(DAY, "10:00"), local(DAY, "11:00")


@pytest.fixture
def world(app) -> World:
    found = make_world()
    db.session.commit()
    return found


def state(booking: Booking) -> dict[str, Any]:
    """Everything a person (or a calendar) could notice of a booking, with its holds."""
    db.session.expire_all()
    fresh = db.session.get(Booking, booking.id)
    assert fresh is not None
    holds = db.session.execute(
        sa.select(
            BookingHold.id,
            BookingHold.space_id,
            BookingHold.start_at,
            BookingHold.end_at,
            BookingHold.active,
        )
        .where(BookingHold.booking_id == booking.id)
        .order_by(BookingHold.id)
    ).all()
    return {
        "space": fresh.space_id,
        "start": fresh.start_at,
        "end": fresh.end_at,
        "title": fresh.title,
        "attendees": fresh.attendees,
        "status": fresh.status,
        "reason": fresh.reason,
        "sequence": fresh.sequence,
        "holds": [tuple(row) for row in holds],
    }


def active_holds(booking: Booking) -> list[tuple]:
    return db.session.execute(
        sa.select(BookingHold.space_id, BookingHold.start_at, BookingHold.end_at).where(
            BookingHold.booking_id == booking.id, BookingHold.active.is_(True)
        )
    ).all()


def change(actor, booking, now=NOW, scope="this", **fields) -> list[Booking]:
    done = change_booking(actor, booking, BookingChange(**fields), scope, now=now)
    db.session.commit()
    return done


def test_moving_to_a_later_time_frees_the_old_slot(world: World) -> None:
    (booking,) = book(world.tenant, world.room, START, END)
    db.session.commit()
    change(world.tenant, booking, start=local(DAY, "14:00"), end=local(DAY, "15:30"))
    assert (booking.start_at, booking.end_at) == (local(DAY, "14:00"), local(DAY, "15:30"))
    assert active_holds(booking) == [(world.room.id, local(DAY, "14:00"), local(DAY, "15:30"))]
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.sequence == 1
    # The old slot is free for anyone again.
    (other,) = book(world.other, world.room, START, END)
    assert other.status == BookingStatus.CONFIRMED


def test_a_new_start_alone_keeps_the_length(world: World) -> None:
    (booking,) = book(world.tenant, world.room, START, END)
    db.session.commit()
    change(world.tenant, booking, start=local(DAY, "10:30"))
    assert (booking.start_at, booking.end_at) == (local(DAY, "10:30"), local(DAY, "11:30"))


def test_moving_into_a_slot_overlapping_its_own_old_one(world: World) -> None:
    (booking,) = book(world.tenant, world.room, START, END)
    db.session.commit()
    change(world.tenant, booking, end=local(DAY, "12:00"))
    assert active_holds(booking) == [(world.room.id, START, local(DAY, "12:00"))]


def test_moving_to_another_room(world: World) -> None:
    other_room = meeting_room(code="MTG-202", zone=world.room.zone)
    db.session.commit()
    (booking,) = book(world.tenant, world.room, START, END)
    db.session.commit()
    change(world.tenant, booking, space=other_room)
    assert booking.space_id == other_room.id
    assert active_holds(booking) == [(other_room.id, START, END)]
    (taken,) = book(world.other, world.room, START, END)
    assert taken.space_id == world.room.id


def test_title_and_people_change_without_touching_the_slot(world: World) -> None:
    (booking,) = book(world.tenant, world.room, START, END, attendees=3)
    db.session.commit()
    holds_before = state(booking)["holds"]
    change(world.tenant, booking, title="  季度复盘  ", attendees=6)
    assert (booking.title, booking.attendees) == ("季度复盘", 6)
    assert state(booking)["holds"] == holds_before
    assert booking.sequence == 1


def test_nothing_to_change_changes_nothing(world: World) -> None:
    (booking,) = book(world.tenant, world.room, START, END)
    db.session.commit()
    assert change(world.tenant, booking, start=START, end=END, title=booking.title) == []
    assert booking.sequence == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 1


def test_a_hall_moved_by_its_tenant_waits_for_approval_again(world: World) -> None:
    (booking,) = book(world.tenant, world.hall, local(DAY, "14:00"), local(DAY, "16:00"))
    approve(world.manager, booking, now=NOW)
    db.session.commit()
    assert booking.status == BookingStatus.CONFIRMED
    # A new title alone keeps the approval.
    change(world.tenant, booking, title="路演彩排（第二场）")
    assert booking.status == BookingStatus.CONFIRMED
    change(world.tenant, booking, start=local(DAY, "15:00"), end=local(DAY, "17:00"))
    assert (booking.status, booking.reason) == (BookingStatus.PENDING, PENDING_APPROVAL)
    assert booking.decided_by_id is None and booking.decided_at is None


def test_a_manager_moving_a_hall_keeps_it_confirmed(world: World) -> None:
    (booking,) = book(world.tenant, world.hall, local(DAY, "14:00"), local(DAY, "16:00"))
    approve(world.manager, booking, now=NOW)
    db.session.commit()
    change(world.manager, booking, start=local(DAY, "15:00"), end=local(DAY, "17:00"))
    assert booking.status == BookingStatus.CONFIRMED


def test_free_hours_are_recounted_without_the_old_slot(app) -> None:
    room = meeting_room()
    person = tenant(stage=Stage.TEAM)  # 8 free hours a month
    db.session.commit()
    day = date(2026, 9, 9)
    (four,) = book(person, room, local(day, "09:00"), local(day, "13:00"))
    (three,) = book(person, room, local(day, "14:00"), local(day, "17:00"))
    db.session.commit()
    # 4 h + 4 h is exactly the allowance: the old 3 h are not counted twice.
    change(person, three, end=local(day, "18:00"))
    assert three.status == BookingStatus.CONFIRMED
    (half,) = book(person, room, local(day, "19:00"), local(day, "19:30"))
    db.session.commit()
    assert (half.status, half.reason) == (BookingStatus.PENDING, PENDING_OVER_ALLOWANCE)
    # Shortening one booking does not decide the other; moving the waiting one recounts it.
    change(person, three, end=local(day, "17:00"))
    assert three.status == BookingStatus.CONFIRMED
    change(person, half, start=local(day, "20:00"))
    assert (half.status, half.reason) == (BookingStatus.CONFIRMED, "")
    # Moved into October, a confirmed booking is counted against October's hours.
    october = date(2026, 10, 13)
    change(person, four, start=local(october, "09:00"), end=local(october, "13:00"))
    assert four.status == BookingStatus.CONFIRMED
    assert four.start_at == local(october, "09:00")


def test_moving_beyond_the_free_hours_makes_it_wait(app) -> None:
    room = meeting_room()
    person = tenant(stage=Stage.TEAM)
    db.session.commit()
    day = date(2026, 9, 9)
    book(person, room, local(day, "09:00"), local(day, "13:00"))
    book(person, room, local(day, "14:00"), local(day, "17:00"))
    (third,) = book(person, room, local(day, "18:00"), local(day, "19:00"))
    db.session.commit()
    assert third.status == BookingStatus.CONFIRMED  # 8 h: all of the allowance
    change(person, third, end=local(day, "19:30"))
    assert (third.status, third.reason) == (BookingStatus.PENDING, PENDING_OVER_ALLOWANCE)


@pytest.mark.parametrize(
    "fields, error",
    [
        ({"start": "14:30", "end": "15:30"}, Conflict),  # another company's booking
        ({"start": "16:00", "end": "17:00"}, Conflict),  # the closure
        ({"start": "21:30", "end": "22:30"}, RuleViolation),  # after closing time
        ({"start": "10:00", "end": "15:00"}, RuleViolation),  # longer than 4 hours
        ({"attendees": 50}, RuleViolation),  # the room holds 12
        ({"title": " "}, RuleViolation),
    ],
)
def test_a_refused_change_leaves_the_booking_and_its_holds_as_they_were(
    world: World, fields: dict[str, Any], error: type
) -> None:
    (booking,) = book(world.tenant, world.room, START, END, title="周会", attendees=4)
    book(world.other, world.room, local(DAY, "14:00"), local(DAY, "15:00"))
    db.session.add(
        Closure(
            zone=world.room.zone,
            start_at=local(DAY, "16:00"),
            end_at=local(DAY, "18:00"),
            reason="空调检修",
        )
    )
    db.session.commit()
    before = state(booking)
    values = {
        name: local(DAY, value) if name in ("start", "end") else value
        for name, value in fields.items()
    }
    with pytest.raises(error):
        # With a new title too: nothing of a refused change is kept.
        change_booking(
            world.tenant,
            booking,
            BookingChange(**{"title": "改期的周会", **values}),
            now=NOW,
        )
    db.session.rollback()
    assert state(booking) == before


def test_a_refused_move_keeps_the_old_slot_held(world: World) -> None:
    (booking,) = book(world.tenant, world.room, START, END)
    book(world.other, world.room, local(DAY, "14:00"), local(DAY, "15:00"))
    db.session.commit()
    with pytest.raises(Conflict):
        change_booking(world.tenant, booking, BookingChange(start=local(DAY, "14:00")), now=NOW)
    db.session.rollback()
    with pytest.raises(Conflict):
        book(world.other, world.room, START, END)


def test_who_may_change_what(world: World) -> None:
    (booking,) = book(world.tenant, world.room, START, END)
    (cancelled,) = book(world.tenant, world.room, local(DAY, "14:00"), local(DAY, "15:00"))
    cancel(world.tenant, cancelled, now=NOW)
    db.session.commit()
    assert may_change(world.tenant, booking, NOW)
    assert may_change(world.manager, booking, NOW)
    assert not may_change(world.other, booking, NOW)
    assert not may_change(world.tenant, cancelled, NOW)
    during = START + timedelta(minutes=10)
    assert not may_change(world.tenant, booking, during)
    assert may_change(world.manager, booking, during)
    assert not may_change(world.manager, booking, END)
    with pytest.raises(NotAllowed):
        change_booking(world.other, booking, BookingChange(title="抢占"), now=NOW)
    db.session.rollback()
    with pytest.raises(Conflict):
        change_booking(world.tenant, cancelled, BookingChange(title="复活"), now=NOW)
    db.session.rollback()
    with pytest.raises(RuleViolation):
        change_booking(world.tenant, booking, BookingChange(title="开会中"), now=during)
    db.session.rollback()
    assert state(booking)["title"] == "路演彩排"


WEEKLY = Recurrence("weekly", count=5)
DAYS = [DAY + timedelta(weeks=n) for n in range(5)]


def weekly_series(world: World) -> list[Booking]:
    series = book(world.tenant, world.room, START, END, recurrence=WEEKLY)
    db.session.commit()
    return series


def starts(series: list[Booking]) -> list[str]:
    db.session.expire_all()
    return [f"{b.start_at:%m-%d %H:%M}" for b in series]


def test_changing_one_occurrence_of_a_series(world: World) -> None:
    series = weekly_series(world)
    done = change(world.tenant, series[2], start=local(DAYS[2], "14:00"))
    assert done == [series[2]]
    assert [b.start_at for b in series] == [
        local(day, "14:00" if n == 2 else "10:00") for n, day in enumerate(DAYS)
    ]
    assert series[2].series_id == series[0].series_id


def test_changing_this_and_the_following_occurrences(world: World) -> None:
    series = weekly_series(world)
    other_room = meeting_room(code="MTG-202", zone=world.room.zone)
    db.session.commit()
    done = change(
        world.tenant,
        series[2],
        scope="following",
        start=local(DAYS[2], "15:00"),
        end=local(DAYS[2], "16:30"),
        space=other_room,
    )
    assert [b.id for b in done] == [b.id for b in series[2:]]
    for n, booking in enumerate(series):
        moved = n >= 2
        assert booking.start_at == local(DAYS[n], "15:00" if moved else "10:00")
        assert booking.end_at == local(DAYS[n], "16:30" if moved else "11:00")
        assert booking.space_id == (other_room.id if moved else world.room.id)
        assert booking.sequence == (1 if moved else 0)


def test_moving_the_following_ones_a_day_later(world: World) -> None:
    series = weekly_series(world)
    change(world.tenant, series[3], scope="following", start=local(DAYS[3] + timedelta(1), "10:00"))
    assert [b.start_at for b in series] == [
        local(day + timedelta(days=1 if n >= 3 else 0), "10:00") for n, day in enumerate(DAYS)
    ]


def test_one_following_occurrence_in_the_way_refuses_them_all(world: World) -> None:
    series = weekly_series(world)
    book(world.other, world.room, local(DAYS[4], "14:00"), local(DAYS[4], "15:00"))
    db.session.commit()
    before = [state(b) for b in series]
    with pytest.raises(SeriesRejected) as caught:
        change_booking(
            world.tenant,
            series[1],
            BookingChange(start=local(DAYS[1], "14:00")),
            "following",
            now=NOW,
        )
    assert caught.value.code == "conflict"
    assert [f["start"][:10] for f in caught.value.failures] == [DAYS[4].isoformat()]
    db.session.rollback()
    assert [state(b) for b in series] == before


def test_a_cancelled_occurrence_is_left_alone_by_the_following_change(world: World) -> None:
    series = weekly_series(world)
    cancel(world.tenant, series[3], now=NOW)
    db.session.commit()
    done = change(world.tenant, series[2], scope="following", title="新的周会")
    assert [b.id for b in done] == [series[2].id, series[4].id]
    assert series[3].title == "路演彩排" and series[3].status == BookingStatus.CANCELLED


def test_the_calendar_file_carries_the_new_sequence(world: World) -> None:
    (booking,) = book(world.tenant, world.room, START, END)
    db.session.commit()
    assert b"SEQUENCE:0" in booking_calendar(booking, "MTG")
    change(world.tenant, booking, start=local(DAY, "15:00"))
    calendar = booking_calendar(booking, "MTG")
    assert b"SEQUENCE:1" in calendar
    assert b"DTSTART;TZID=Asia/Shanghai:20260908T150000" in calendar


def test_the_change_is_in_the_audit_log(world: World) -> None:
    other_room = meeting_room(code="MTG-202", zone=world.room.zone)
    db.session.commit()
    (booking,) = book(world.tenant, world.room, START, END)
    db.session.commit()
    change(world.tenant, booking, start=local(DAY, "15:00"), space=other_room)
    entry = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "booking.updated")
    ).one()
    assert (entry.actor_id, entry.object_type, entry.object_id) == (
        world.tenant.id,
        "booking",
        booking.id,
    )
    assert entry.before == {
        "start_at": START.isoformat(),
        "end_at": END.isoformat(),
        "space_id": world.room.id,
    }
    assert entry.after == {
        "start_at": local(DAY, "15:00").isoformat(),
        "end_at": local(DAY, "16:00").isoformat(),
        "space_id": other_room.id,
    }


def test_the_notice_says_what_changed_and_carries_the_new_calendar(world: World) -> None:
    other_room = meeting_room(code="MTG-202", name="会议室 202", zone=world.room.zone)
    world.manager.email = "wang.min@czg.example.cn"
    db.session.commit()
    (booking,) = book(world.tenant, world.room, START, END, title="周会")
    db.session.commit()
    change(world.manager, booking, start=local(DAY, "15:00"), space=other_room, title="月度例会")
    (notice,) = db.session.scalars(
        sa.select(Notification).where(Notification.event == "changed")
    ).all()
    assert notice.user_id == world.tenant.id
    assert "月度例会" in notice.body
    assert notice.title == "预订已更改：MTG-202 会议室 202"
    lines = notice.body.splitlines()
    assert lines[0].endswith("已被孵化器管理人员更改。")
    assert "时间：2026-09-08 周二 10:00–11:00 → 2026-09-08 周二 15:00–16:00" in lines
    assert f"空间：{world.room.code} {world.room.name} → MTG-202 会议室 202" in lines
    assert "主题：周会 → 月度例会" in lines
    assert not any(line.startswith("参会人数") for line in lines)
    mail = db.session.scalars(
        sa.select(OutgoingMail).where(OutgoingMail.notification_id == notice.id)
    ).one()
    assert mail.ics_booking_ids == [booking.id]
    claimed = {envelope.id: envelope for envelope in mailer.claim_due(db.session, utcnow())}
    assert claimed[mail.id].attachment_ics == mail.attachment_ics
    assert "SEQUENCE:1" in (mail.attachment_ics or "")
    assert "DTSTART;TZID=Asia/Shanghai:20260908T150000" in (mail.attachment_ics or "")


def test_a_hall_moved_back_to_pending_asks_the_managers_again(world: World) -> None:
    (booking,) = book(world.tenant, world.hall, local(DAY, "14:00"), local(DAY, "16:00"))
    approve(world.manager, booking, now=NOW)
    db.session.commit()
    change(world.tenant, booking, start=local(DAY, "15:00"))
    events = db.session.execute(
        sa.select(Notification.user_id, Notification.event).order_by(Notification.id)
    ).all()
    assert (world.tenant.id, "changed") in events
    assert (world.manager.id, "approval_requested") in [tuple(e) for e in events[-2:]]
    notice = db.session.scalars(
        sa.select(Notification).where(Notification.event == "changed")
    ).one()
    assert notice.body.splitlines()[-1] == "现需等待管理人员审批。"


def test_a_booking_moved_after_its_reminder_is_reminded_of_again(world: World) -> None:
    (booking,) = book(world.tenant, world.room, START, END)
    db.session.commit()
    assert reminders.produce_reminders(db.session, START - timedelta(minutes=30)) == 1
    db.session.commit()
    change(world.tenant, booking, now=START - timedelta(minutes=25), start=local(DAY, "15:00"))
    assert reminders.produce_reminders(db.session, START - timedelta(minutes=20)) == 0
    db.session.commit()
    later = local(DAY, "15:00") - timedelta(minutes=30)
    assert reminders.produce_reminders(db.session, later) == 1
    db.session.commit()
    assert reminders.produce_reminders(db.session, later + timedelta(minutes=5)) == 0
    events = db.session.scalars(
        sa.select(Notification.body)
        .where(Notification.event == "reminder")
        .order_by(Notification.id)
    ).all()
    assert "10:00–11:00" in events[0] and "15:00–16:00" in events[1]


def test_moving_between_the_event_areas_halves_and_the_whole(world: World) -> None:
    hall_day = date(2026, 9, 9)
    start, end = local(hall_day, "14:00"), local(hall_day, "16:00")
    (east,) = book(world.manager, world.east, start, end, company=world.company)
    book(world.manager, world.west, start, end, company=world.other.company)
    db.session.commit()
    before = state(east)
    with pytest.raises(Conflict):  # the whole needs the west half too
        change_booking(world.manager, east, BookingChange(space=world.whole), now=NOW)
    db.session.rollback()
    assert state(east) == before
    change(world.manager, east, space=world.whole, start=local(hall_day, "17:00"))
    assert sorted(space for space, _s, _e in active_holds(east)) == sorted(
        [world.east.id, world.west.id]
    )
    # Its old half is free again at the old time.
    (again,) = book(world.manager, world.east, start, end, company=world.company)
    assert again.status == BookingStatus.CONFIRMED


def test_a_booking_cannot_be_moved_into_the_past(world: World) -> None:
    (booking,) = book(world.tenant, world.room, START, END)
    db.session.commit()
    before = state(booking)
    with pytest.raises(RuleViolation) as caught:
        change_booking(
            world.tenant,
            booking,
            BookingChange(start=local(date(2026, 8, 31), "10:00")),
            now=NOW,
        )
    assert caught.value.field == "start"
    db.session.rollback()
    assert state(booking) == before
