"""Notifications: who is told what, in which language, by mail through a real SMTP server."""

from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.models import (
    Booking,
    BookingStatus,
    MailStatus,
    Notification,
    NotificationPreference,
    OutgoingMail,
    Role,
)
from app.services import mailer, reminders
from app.services import notifications as notices
from app.services.bookings import approve, cancel, reject
from app.services.recurrence import Recurrence
from app.sqltypes import utcnow
from tests.fixtures.bookings import DAY, NOW, World, book, insert_booking, local, make_world
from tests.fixtures.factories import make_lease, make_user
from tests.fixtures.servers import Inbox, free_port

START, END = local(DAY, "10:00"), local(DAY, "11:00")


@pytest.fixture
def world(app: Flask) -> World:
    found = make_world()
    db.session.commit()
    return found


def told(user_id: int | None = None) -> list[Notification]:
    query = sa.select(Notification).order_by(Notification.id)
    if user_id is not None:
        query = query.where(Notification.user_id == user_id)
    return list(db.session.scalars(query))


def queued() -> list[OutgoingMail]:
    return list(db.session.scalars(sa.select(OutgoingMail).order_by(OutgoingMail.id)))


def send(app: Flask) -> Any:
    result = app.test_cli_runner().invoke(args=["notifications", "send", "--once"])
    db.session.expire_all()
    return result


def test_a_confirmed_booking_tells_the_booker_in_their_language(world: World) -> None:
    english = make_user(role=Role.TENANT, company=world.company, locale="en")
    db.session.commit()
    (chinese_booking,) = book(world.tenant, world.room, START, END)
    (english_booking,) = book(english, world.room, local(DAY, "14:00"), local(DAY, "15:00"))
    db.session.commit()

    (chinese,) = told(world.tenant.id)
    (in_english,) = told(english.id)
    assert (chinese.event, chinese.booking_id) == ("confirmed", chinese_booking.id)
    assert world.room.name in chinese.title and "周二" in chinese.body
    assert (in_english.event, in_english.booking_id) == ("confirmed", english_booking.id)
    assert world.room.name_en in in_english.title and "Tue" in in_english.body
    assert "14:00–15:00" in in_english.body
    assert told(world.other.id) == [] and told(world.manager.id) == []
    assert [mail.to_address for mail in queued()] == [world.tenant.email, english.email]


def test_a_request_tells_the_booker_and_every_manager(world: World) -> None:
    second_manager = make_user(role=Role.MANAGER, locale="en")
    db.session.commit()
    (booking,) = book(world.tenant, world.hall, START, END)
    db.session.commit()
    assert [(n.user_id, n.event) for n in told()] == [
        (world.tenant.id, "pending"),
        (world.manager.id, "approval_requested"),
        (second_manager.id, "approval_requested"),
    ]
    assert world.company.name in told(second_manager.id)[0].title
    assert all(n.booking_id == booking.id for n in told())


def test_a_rollback_tells_nobody(world: World) -> None:
    book(world.tenant, world.room, START, END)
    db.session.rollback()
    db.session.commit()
    assert told() == [] and queued() == []


def test_decisions_tell_the_booker_with_the_reason(world: World) -> None:
    (first,) = book(world.tenant, world.hall, START, END)
    (second,) = book(world.tenant, world.hall, local(DAY, "14:00"), local(DAY, "16:00"))
    db.session.commit()
    approve(world.manager, first, now=NOW)
    reject(world.manager, second, "场地维修", now=NOW)
    db.session.commit()
    approved, rejected = told(world.tenant.id)[-2:]
    assert (approved.event, approved.booking_id) == ("approved", first.id)
    assert (rejected.event, rejected.booking_id) == ("rejected", second.id)
    assert "场地维修" in rejected.body


def test_a_managers_cancellation_is_told_with_the_reason_but_not_ones_own(world: World) -> None:
    (mine,) = book(world.tenant, world.room, START, END)
    (theirs,) = book(world.tenant, world.room, local(DAY, "14:00"), local(DAY, "15:00"))
    db.session.commit()
    before = len(told())
    cancel(world.tenant, mine, now=NOW)
    db.session.commit()
    assert len(told()) == before
    cancel(world.manager, theirs, "停电检修", now=NOW)
    db.session.commit()
    notice = told(world.tenant.id)[-1]
    assert (notice.event, notice.booking_id) == ("cancelled", theirs.id)
    assert "停电检修" in notice.body


def test_a_partly_cancelled_series_is_one_notice(world: World) -> None:
    world.tenant.locale = "en"
    series = book(
        world.tenant,
        world.room,
        START,
        END,
        recurrence=Recurrence("daily", count=4),
    )
    db.session.commit()
    cancel(world.manager, series[1], "会议室改造", scope="following", now=NOW)
    db.session.commit()
    (notice,) = [n for n in told(world.tenant.id) if n.event == "series_cancelled"]
    assert notice.booking_id == series[1].id
    assert notice.body.startswith("3 bookings of the series")
    assert "会议室改造" in notice.body
    assert db.session.get(Booking, series[0].id).status == BookingStatus.CONFIRMED


def test_a_booked_series_is_one_notice_with_every_occurrence_in_its_calendar(
    world: World,
) -> None:
    world.tenant.locale = "en"
    series = book(world.tenant, world.room, START, END, recurrence=Recurrence("daily", count=3))
    db.session.commit()
    (notice,) = told(world.tenant.id)
    assert (notice.event, notice.booking_id) == ("confirmed", series[0].id)
    assert "The series has 3 such bookings, the last on 2026-09-10." in notice.body
    (mail,) = queued()
    assert mail.ics_booking_ids == [booking.id for booking in series]
    (envelope,) = mailer.claim_due(db.session, utcnow())
    assert mail.attachment_ics is not None
    assert envelope.attachment_ics == mail.attachment_ics
    assert mail.attachment_ics.count("BEGIN:VEVENT") == 3
    assert mail.attachment_ics.count("BEGIN:VTIMEZONE") == 1


def test_a_failing_listener_never_breaks_the_booking(world: World, monkeypatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("notifications are down")

    monkeypatch.setattr(notices, "notify_booking_event", broken)
    (booking,) = book(world.tenant, world.room, START, END)
    db.session.commit()
    assert db.session.get(Booking, booking.id).status == BookingStatus.CONFIRMED
    assert told() == []


@pytest.mark.parametrize(
    ("broken", "replacement"),
    [
        ("booking_texts", RuntimeError("a text cannot be written")),
        ("mail_body", None),  # the database refuses a mail without a body
    ],
)
def test_a_failure_in_the_notices_leaves_the_booking_booked(
    world: World, monkeypatch, caplog, broken: str, replacement: Any
) -> None:
    def failing(*args: Any, **kwargs: Any) -> Any:
        if isinstance(replacement, Exception):
            raise replacement
        return replacement

    monkeypatch.setattr(notices, broken, failing)
    (booking,) = book(world.tenant, world.room, START, END)
    booking_id = booking.id
    db.session.commit()
    assert f"Could not notify booking event confirmed of booking {booking_id}" in caplog.text
    db.session.expire_all()
    stored = db.session.get(Booking, booking_id)
    assert stored is not None and stored.status == BookingStatus.CONFIRMED
    assert told() == [] and queued() == []
    monkeypatch.undo()  # the session goes on as before: the next booking is told
    (later,) = book(world.tenant, world.room, local(DAY, "14:00"), local(DAY, "15:00"))
    db.session.commit()
    assert [notice.booking_id for notice in told()] == [later.id]


def test_the_worker_writes_the_calendar_file_in_the_readers_language_once(
    world: World, monkeypatch
) -> None:
    world.tenant.locale = "en"
    (booking,) = book(world.tenant, world.room, START, END)
    db.session.commit()
    (mail,) = queued()
    assert mail.attachment_ics is None and mail.ics_booking_ids == [booking.id]

    (envelope,) = mailer.claim_due(db.session, utcnow())
    db.session.commit()

    calendar = envelope.attachment_ics or ""
    assert f"LOCATION:{world.room.code} {world.room.name_en}" in calendar
    assert "DTSTART;TZID=Asia/Shanghai:20260908T100000" in calendar
    assert "STATUS:CONFIRMED" in calendar
    assert mail.attachment_ics == calendar
    mailer.record(db.session, mailer.Outcome(envelope, "421 busy"), utcnow())
    db.session.commit()

    def not_again(*args: Any, **kwargs: Any) -> str:
        raise AssertionError("the calendar file is written once")

    monkeypatch.setattr(mailer, "calendar_file", not_again)
    (retry,) = mailer.claim_due(db.session, mail.next_attempt_at)
    assert retry.attachment_ics == calendar  # the same file, not one written again


def test_send_delivers_in_the_readers_language_with_the_calendar_file(
    app: Flask, world: World, inbox: Inbox
) -> None:
    english = make_user(role=Role.TENANT, company=world.company, locale="en")
    db.session.commit()
    book(world.tenant, world.room, START, END)
    book(english, world.room, local(DAY, "14:00"), local(DAY, "15:00"))
    db.session.commit()

    result = send(app)

    assert result.exit_code == 0, result.output
    assert "2 sent" in result.output
    (to_chinese, chinese), (to_english, in_english) = inbox.messages()
    assert to_chinese == [world.tenant.email] and to_english == [english.email]
    assert world.room.name in chinese["Subject"] and "周二" in chinese.get_body().get_content()
    assert "高新·创智谷" in chinese.get_body().get_content()
    assert world.room.name_en in in_english["Subject"]
    assert "Hello" in in_english.get_body().get_content()
    assert "noreply@czg.example.cn" in chinese["From"]
    for message in (chinese, in_english):
        (calendar,) = [
            part for part in message.walk() if part.get_content_type() == "text/calendar"
        ]
        assert "BEGIN:VEVENT" in calendar.get_content()
        assert "STATUS:CONFIRMED" in calendar.get_content()
    assert [(mail.status, mail.attempts) for mail in queued()] == [(MailStatus.SENT, 1)] * 2
    assert "0 sent" in send(app).output  # sent once only
    assert len(inbox.envelopes) == 2


def test_a_request_has_no_calendar_file(app: Flask, world: World, inbox: Inbox) -> None:
    book(world.tenant, world.hall, START, END)
    db.session.commit()
    assert send(app).exit_code == 0
    recipients = sorted(to[0] for to, _message in inbox.messages())
    assert recipients == sorted([world.tenant.email, world.manager.email])
    for _to, message in inbox.messages():
        assert all(part.get_content_type() != "text/calendar" for part in message.walk())


def test_an_unreachable_server_keeps_the_mail_for_later(
    app: Flask, world: World, monkeypatch
) -> None:
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())
    (booking,) = book(world.tenant, world.room, START, END)
    db.session.commit()

    before = utcnow()
    result = send(app)

    assert result.exit_code == 0, result.output
    assert "1 to retry" in result.output
    (mail,) = queued()
    assert mail.status == MailStatus.QUEUED and mail.attempts == 1
    assert mail.next_attempt_at > before + timedelta(minutes=1)
    assert mail.last_error
    assert db.session.get(Booking, booking.id).status == BookingStatus.CONFIRMED
    assert "0 to retry" in send(app).output  # not due yet


def test_without_a_mail_server_mails_are_logged_and_marked_sent(
    app: Flask, world: World, monkeypatch
) -> None:
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    book(world.tenant, world.room, START, END)
    db.session.commit()
    assert "1 sent" in send(app).output
    assert [mail.status for mail in queued()] == [MailStatus.SENT]


def test_retries_back_off_then_give_up(world: World) -> None:
    book(world.tenant, world.room, START, END)
    db.session.commit()
    (mail,) = queued()
    waits = []
    for _attempt in range(mailer.MAX_ATTEMPTS):
        envelope = mailer.Envelope(mail.id, mail.to_address, mail.subject, mail.body, None)
        mailer.record(db.session, mailer.Outcome(envelope, "421 busy"), NOW)
        waits.append(mail.next_attempt_at - NOW)
    assert waits[:4] == [timedelta(minutes=m) for m in (2, 4, 8, 16)]
    assert max(waits) == mailer.MAX_BACKOFF
    assert (mail.status, mail.attempts) == (MailStatus.FAILED, mailer.MAX_ATTEMPTS)


def test_an_event_turned_off_is_not_mailed(world: World) -> None:
    db.session.add(
        NotificationPreference(
            user_id=world.tenant.id, reminder_minutes=60, muted_mail_events=["confirmed"]
        )
    )
    db.session.commit()
    book(world.tenant, world.room, START, END)
    db.session.commit()
    assert len(told(world.tenant.id)) == 1
    assert queued() == []


def test_each_reader_of_a_request_has_their_own_mail_choice(world: World) -> None:
    second_manager = make_user(role=Role.MANAGER)
    db.session.add(
        NotificationPreference(
            user_id=second_manager.id, reminder_minutes=60, muted_mail_events=["approval_requested"]
        )
    )
    db.session.commit()
    book(world.tenant, world.hall, START, END)
    db.session.commit()
    assert {n.user_id for n in told()} == {world.tenant.id, world.manager.id, second_manager.id}
    assert [mail.to_address for mail in queued()] == [world.tenant.email, world.manager.email]


@pytest.mark.parametrize(
    ("minutes_before", "setting", "expected"),
    [(30, 60, 1), (90, 60, 0), (30, 15, 0), (10, 15, 1), (30, 0, 0)],
)
def test_reminders_follow_each_persons_setting(
    world: World, minutes_before: int, setting: int, expected: int
) -> None:
    db.session.add(NotificationPreference(user_id=world.tenant.id, reminder_minutes=setting))
    (booking,) = book(world.tenant, world.room, START, END)
    db.session.commit()
    now = booking.start_at - timedelta(minutes=minutes_before)
    assert reminders.produce_reminders(db.session, now) == expected
    db.session.commit()
    assert [n.event for n in told(world.tenant.id)].count("reminder") == expected


def test_a_reminder_is_produced_once(world: World) -> None:
    (booking,) = book(world.tenant, world.room, START, END)
    (other,) = book(world.other, world.east, START, END)
    db.session.commit()
    now = booking.start_at - timedelta(minutes=45)
    assert reminders.produce_reminders(db.session, now) == 1  # the hall's is still a request
    approve(world.manager, other, now=NOW)
    db.session.commit()
    assert reminders.produce_reminders(db.session, now + timedelta(minutes=5)) == 1
    db.session.commit()
    assert reminders.produce_reminders(db.session, now + timedelta(minutes=10)) == 0
    assert [n.event for n in told(world.other.id)].count("reminder") == 1
    (reminder,) = [n for n in told(world.tenant.id) if n.event == "reminder"]
    assert reminder.booking_id == booking.id and world.room.name in reminder.body


def test_the_worker_reminds_of_a_booking_starting_soon(
    app: Flask, world: World, inbox: Inbox
) -> None:
    now = utcnow()
    soon = insert_booking(
        world.room,
        world.company,
        world.tenant,
        now + timedelta(minutes=30),
        now + timedelta(minutes=90),
        created_at=now - timedelta(days=1),
    )
    db.session.commit()
    assert "1 reminders" in send(app).output
    assert "0 reminders" in send(app).output
    (reminder,) = told(world.tenant.id)
    assert (reminder.event, reminder.booking_id) == ("reminder", soon.id)
    assert [to for to, _message in inbox.messages()] == [[world.tenant.email]]


def test_a_lease_ending_within_30_days_is_told_once(world: World) -> None:
    today = date(2026, 9, 1)
    world.tenant.locale = "en"
    ending = make_lease(company=world.company, ends_on=today + timedelta(days=20))
    make_lease(company=world.other.company, ends_on=today + timedelta(days=45))
    db.session.commit()
    assert reminders.produce_lease_notices(db.session, today, NOW) == 2
    db.session.commit()
    assert reminders.produce_lease_notices(db.session, today + timedelta(days=1), NOW) == 0
    notices_told = told()
    assert {(n.user_id, n.event, n.lease_id) for n in notices_told} == {
        (world.tenant.id, "lease_ending", ending.id),
        (world.manager.id, "lease_ending", ending.id),
    }
    assert "ends on 2026-09-21, in 20 days" in told(world.tenant.id)[0].body
    assert len(queued()) == 2


def test_a_renewed_lease_is_not_told(world: World) -> None:
    today = date(2026, 9, 1)
    ending = make_lease(company=world.company, ends_on=today + timedelta(days=20))
    make_lease(
        company=world.company,
        space=ending.space,
        starts_on=ending.ends_on + timedelta(days=1),
        ends_on=None,
    )
    db.session.commit()
    assert reminders.produce_lease_notices(db.session, today, NOW) == 0


def test_the_unread_count_read_with_the_user_follows_notices_of_the_same_transaction(
    world: World,
) -> None:
    notices.note_unread(world.tenant.id, 0)
    assert notices.unread_count(world.tenant) == 0  # as the user's query read it
    db.session.add(
        Notification(
            user_id=world.tenant.id, event="confirmed", title="t", body="b", created_at=NOW
        )
    )
    db.session.flush()
    assert notices.unread_count(world.tenant) == 1  # a notice written since is counted
    db.session.commit()
    notices.note_unread(world.tenant.id, 1)
    notices.mark_read(world.tenant)
    assert notices.unread_count(world.tenant) == 0
    db.session.rollback()
    assert notices.unread_count(world.tenant) == 1  # the marking was rolled back
