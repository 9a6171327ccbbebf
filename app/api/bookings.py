"""Bookings: list, book (once or recurring), read, calendar file, change, cancel, check in,
decide.

Each route parses, checks who may see the booking, calls one service and commits; a domain
error rolls back and becomes the error JSON (app/api/errors.py).
"""

from flask import url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from app.api import bp
from app.api.auth import api_user
from app.api.booking_input import booking_change, booking_request, reason
from app.api.catalogue import paginate
from app.api.parsing import ID, idempotency_key, json_body, query_choice, query_int, query_moment
from app.api.serializers import booking_json
from app.extensions import db
from app.models import Booking, BookingStatus
from app.services import booking_changes, bookings
from app.services.availability import visible_bookings
from app.services.booking_permissions import check_may_decide
from app.services.booking_rules import can_see
from app.services.errors import NotAllowed, NotFound
from app.services.ical import booking_calendar
from app.sqltypes import utcnow


def visible_booking(booking_id: int) -> Booking:
    """The booking, if the token's user may see it: 404 when there is none, 403 when not theirs."""
    booking = db.session.get(Booking, booking_id)
    if booking is None:
        raise NotFound(_l("There is no booking %(id)d.", id=booking_id))
    if not can_see(api_user(), booking):
        raise NotAllowed(_l("This is another company's booking."))
    return booking


@bp.get("/api/v1/bookings")
def list_bookings() -> ResponseReturnValue:
    """Bookings the user may see, by start time; ``from``/``to`` dates mean whole local days."""
    query = visible_bookings(
        api_user(),
        start=query_moment("from"),
        end=query_moment("to", end_of_day=True),
        space_id=query_int("space_id"),
        status=query_choice("status", BookingStatus, _l("Unknown status.")),
    )
    now = utcnow()
    # Rows of the table's columns: a page of ORM bookings costs more than its JSON.
    columns = query.with_only_columns(*Booking.__table__.c)
    return paginate(columns, lambda found: booking_json(found, now), rows=True)


@bp.post("/api/v1/bookings")
def create_booking() -> ResponseReturnValue:
    """Book a slot (201 booking) or a series, all or nothing (201 ``{series_id, bookings}``).

    With an ``Idempotency-Key`` header, repeating the request answers with what it booked.
    """
    actor = api_user()
    wanted = booking_request(actor, json_body(), idempotency_key())
    made = bookings.create_bookings(actor, wanted)
    # The answer is written from the flushed rows before the commit expires them: after it,
    # each booking and its space would be read again.
    answer = [booking_json(booking) for booking in made]
    db.session.commit()
    if wanted.recurrence is None:
        location = url_for("api.get_booking", booking_id=answer[0]["id"])
        return answer[0], 201, {"Location": location}
    return {"series_id": answer[0]["series_id"], "bookings": answer}, 201


@bp.get(f"/api/v1/bookings/<{ID}:booking_id>")
def get_booking(booking_id: int) -> ResponseReturnValue:
    """One booking."""
    return booking_json(visible_booking(booking_id))


@bp.get(f"/api/v1/bookings/<{ID}:booking_id>/ics")
def booking_ics(booking_id: int) -> ResponseReturnValue:
    """The booking as an iCalendar file."""
    booking = visible_booking(booking_id)
    body = booking_calendar(booking, booking.space.display_name(api_user().locale))
    return (
        body,
        200,
        {
            "Content-Type": "text/calendar; charset=utf-8",
            "Content-Disposition": f'attachment; filename="booking-{booking.id}.ics"',
        },
    )


@bp.patch(f"/api/v1/bookings/<{ID}:booking_id>")
def change_booking(booking_id: int) -> ResponseReturnValue:
    """Change the time, space, title or people of a booking (or of it and the following ones of
    its series), all or nothing; answers the booking as it now is."""
    body = json_body()
    booking = visible_booking(booking_id)
    change, scope = booking_change(body)
    booking_changes.change_booking(api_user(), booking, change, scope)
    db.session.commit()
    return booking_json(booking)


@bp.post(f"/api/v1/bookings/<{ID}:booking_id>/cancel")
def cancel_booking(booking_id: int) -> ResponseReturnValue:
    """Cancel this booking, or its series from here on (``following``) or all of it (``series``)."""
    body = json_body(required=False)
    booking = visible_booking(booking_id)
    bookings.cancel(api_user(), booking, reason(body), body.text("scope") or "this")
    db.session.commit()
    return booking_json(booking)


@bp.post(f"/api/v1/bookings/<{ID}:booking_id>/check-in")
def check_in_booking(booking_id: int) -> ResponseReturnValue:
    """Check in, from 10 minutes before the start until 15 minutes after it."""
    booking = visible_booking(booking_id)
    bookings.check_in(api_user(), booking)
    db.session.commit()
    return booking_json(booking)


@bp.post(f"/api/v1/bookings/<{ID}:booking_id>/approve")
def approve_booking(booking_id: int) -> ResponseReturnValue:
    """Confirm a pending request (managers)."""
    booking = visible_booking(booking_id)
    bookings.approve(api_user(), booking)
    db.session.commit()
    return booking_json(booking)


@bp.post(f"/api/v1/bookings/<{ID}:booking_id>/reject")
def reject_booking(booking_id: int) -> ResponseReturnValue:
    """Turn down a pending request with a reason (managers)."""
    booking = visible_booking(booking_id)
    check_may_decide(api_user(), booking, utcnow(), "reject")  # who may, before what is missing
    bookings.reject(api_user(), booking, reason(json_body(), required=True))
    db.session.commit()
    return booking_json(booking)
