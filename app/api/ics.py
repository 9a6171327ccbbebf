"""A booking as an iCalendar file with one VEVENT, for phones' and desktops' calendars."""

from datetime import timedelta

from icalendar import Calendar, Event

from app.models import Booking, BookingStatus
from app.services.calendar import to_local
from app.sqltypes import utcnow

PRODID = "-//Gaoxin Chuangzhigu//Space booking//EN"
ICS_STATUS = {
    BookingStatus.CONFIRMED: "CONFIRMED",
    BookingStatus.PENDING: "TENTATIVE",
    BookingStatus.REJECTED: "CANCELLED",
    BookingStatus.CANCELLED: "CANCELLED",
}


def booking_uid(booking: Booking) -> str:
    """The event's UID, stable across changes so calendars update instead of duplicating."""
    return f"booking-{booking.id}@chuangzhigu"


def booking_calendar(booking: Booking, location: str) -> bytes:
    """The booking as ``text/calendar``: local times with their VTIMEZONE, status and sequence."""
    start, end = to_local(booking.start_at), to_local(booking.end_at)
    event = Event()
    event.add("uid", booking_uid(booking))
    event.add("dtstamp", utcnow())
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", booking.title)
    event.add("location", location)
    event.add("status", ICS_STATUS[booking.status])
    event.add("sequence", booking.sequence)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add_component(event)
    # Describe the zone only around the booking: Shanghai's old summer times need not appear.
    calendar.add_missing_timezones(
        first_date=start.date() - timedelta(days=1), last_date=end.date() + timedelta(days=1)
    )
    return bytes(calendar.to_ical())
