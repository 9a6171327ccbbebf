"""Calendar feeds parse back as RFC 5545 and keep local times, UIDs, sequences and privacy."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from icalendar import Calendar

from app.extensions import db
from app.models import BookingStatus
from app.services import ical
from app.services.bookings import approve, cancel, reject
from app.services.errors import NotAllowed, RuleViolation
from app.services.recurrence import Recurrence
from tests.fixtures.bookings import DAY, NOW, book, insert_booking, local, make_world

SHANGHAI = ZoneInfo("Asia/Shanghai")
WINDOW = (NOW - timedelta(days=30), NOW + timedelta(days=180))


@pytest.fixture
def world(app):
    return make_world()


def company_feed(world, now=NOW):
    return Calendar.from_ical(ical.company_calendar(world.company, now, "en"))


def room_feed(space, now=NOW, locale="en"):
    return Calendar.from_ical(ical.space_calendar(space, now, locale))


def events(calendar):
    return recurring_ical_events.of(calendar).between(*WINDOW)


def weekly_four(world):
    return book(
        world.tenant,
        world.room,
        local(DAY, "10:00"),
        local(DAY, "11:00"),
        title="周例会",
        attendees=6,
        recurrence=Recurrence("weekly", count=4),
    )


def test_a_weekly_series_is_four_events_at_ten_in_shanghai(world) -> None:
    series = weekly_four(world)
    calendar = company_feed(world)
    found = sorted(events(calendar), key=lambda event: event.decoded("DTSTART"))
    assert len(found) == 4
    for event, booking, week in zip(found, series, range(4), strict=True):
        start = event.decoded("DTSTART")
        assert start.astimezone(SHANGHAI).hour == 10
        assert start.astimezone(SHANGHAI).date() == DAY + timedelta(weeks=week)
        assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
        assert event["DTEND"].params["TZID"] == "Asia/Shanghai"
        assert str(event["UID"]) == f"booking-{booking.id}@chuangzhigu"
        assert "RRULE" not in event  # each occurrence stands alone
        assert str(event["SUMMARY"]) == "周例会"
        assert str(event["LOCATION"]) == f"{world.room.code} {world.room.name_en}"
        assert str(event["STATUS"]) == "CONFIRMED"
        assert "DTSTAMP" in event
    description = str(found[0]["DESCRIPTION"])
    assert "6" in description and world.tenant.name in description
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert str(calendar["VERSION"]) == "2.0" and "Chuangzhigu" in str(calendar["PRODID"])
    assert str(calendar["X-WR-CALNAME"]) == f"{world.company.name}: bookings"


def test_uids_are_stable_across_renders(world) -> None:
    weekly_four(world)
    first = {str(event["UID"]) for event in events(company_feed(world))}
    second = {str(event["UID"]) for event in events(company_feed(world, NOW + timedelta(hours=3)))}
    assert len(first) == 4 and first == second


def test_the_sequence_grows_with_each_decision_and_cancelling_shows(world) -> None:
    (request,) = book(world.tenant, world.hall, local(DAY, "14:00"), local(DAY, "16:00"))

    def seen():
        (event,) = events(company_feed(world))
        return str(event["STATUS"]), int(event["SEQUENCE"])

    assert seen() == ("TENTATIVE", 0)
    approve(world.manager, request, now=NOW)
    assert seen() == ("CONFIRMED", 1)
    cancel(world.tenant, request, now=NOW)
    db.session.expire_all()
    assert seen() == ("CANCELLED", 2)
    (event,) = room_feed(world.hall).walk("VEVENT")
    assert (str(event["STATUS"]), int(event["SEQUENCE"])) == ("CANCELLED", 2)


def test_a_rejected_request_is_cancelled_in_the_feed(world) -> None:
    (request,) = book(world.tenant, world.hall, local(DAY, "14:00"), local(DAY, "16:00"))
    reject(world.manager, request, "场地维修", now=NOW)
    (event,) = company_feed(world).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"


@pytest.mark.parametrize(
    ("days", "shown"),
    [(-31, False), (-29, True), (179, True), (181, False)],
)
def test_the_company_feed_spans_thirty_days_back_to_180_ahead(world, days, shown) -> None:
    start = NOW + timedelta(days=days)
    insert_booking(world.room, world.company, world.tenant, start, start + timedelta(hours=1))
    assert bool(company_feed(world).walk("VEVENT")) is shown


def test_the_room_feed_shows_busy_times_only(world) -> None:
    book(world.other, world.room, local(DAY, "09:00"), local(DAY, "10:00"), title="融资谈判")
    book(world.tenant, world.hall, local(DAY, "09:00"), local(DAY, "10:00"), title="别的房间")
    calendar = room_feed(world.room)
    text = calendar.to_ical().decode()
    assert "融资谈判" not in text and "四川越成科技有限公司" not in text
    assert "别的房间" not in text
    (event,) = events(calendar)
    assert str(event["SUMMARY"]) == "Booked"
    assert "DESCRIPTION" not in event
    assert str(event["LOCATION"]) == f"{world.room.code} {world.room.name_en}"
    assert str(event["UID"]).startswith("busy-")
    assert event.decoded("DTSTART").astimezone(SHANGHAI).hour == 9
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]


def test_a_half_of_the_event_area_is_busy_when_the_whole_is_booked(world) -> None:
    book(
        world.manager, world.whole, local(DAY, "14:00"), local(DAY, "16:00"), company=world.company
    )
    assert len(room_feed(world.east).walk("VEVENT")) == 1
    assert len(room_feed(world.whole).walk("VEVENT")) == 1


def test_a_regenerated_secret_no_longer_opens_the_feed(world) -> None:
    old, feed = ical.issue_company_feed(world.tenant, world.company, now=NOW)
    assert ical.feed_for_secret(old) is feed and feed.token_hash != old
    new, again = ical.issue_company_feed(world.tenant, world.company, now=NOW)
    assert again is feed and feed.rotated_at == NOW
    assert ical.feed_for_secret(old) is None
    assert ical.feed_for_secret(new) is feed


def test_only_the_company_or_a_manager_may_issue_its_feed(world) -> None:
    with pytest.raises(NotAllowed):
        ical.issue_company_feed(world.other, world.company)
    secret, _feed = ical.issue_company_feed(world.manager, world.company)
    assert ical.feed_for_secret(secret) is not None


def test_room_feeds_are_personal_and_stop_with_their_subscriber(world) -> None:
    mine, my_feed = ical.issue_space_feed(world.tenant, world.room)
    theirs, their_feed = ical.issue_space_feed(world.other, world.room)
    assert my_feed is not their_feed
    ical.issue_space_feed(world.other, world.room)  # regenerating theirs leaves mine alone
    assert ical.feed_for_secret(mine) is my_feed and ical.feed_for_secret(theirs) is None
    world.tenant.active = False
    assert ical.feed_for_secret(mine) is None


def test_a_room_that_cannot_be_booked_has_no_feed(world) -> None:
    world.room.active = False
    with pytest.raises(RuleViolation):
        ical.issue_space_feed(world.tenant, world.room)


def test_feed_calendar_picks_the_feed_kind(world) -> None:
    (booking,) = book(world.other, world.room, local(DAY, "09:00"), local(DAY, "10:00"))
    _secret, feed = ical.issue_space_feed(world.tenant, world.room)
    (event,) = Calendar.from_ical(ical.feed_calendar(feed, NOW)).walk("VEVENT")
    assert str(event["UID"]) == f"busy-{booking.id}@chuangzhigu"
    assert booking.status == BookingStatus.CONFIRMED
