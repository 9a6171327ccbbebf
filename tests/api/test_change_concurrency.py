"""Real concurrency for changes: gunicorn with several workers (the server of test_concurrency),
twenty bookings moving into one free slot at the same moment.

Exactly one may win; the nineteen others must stay exactly as they were (time, room, holds,
sequence), whatever the database: PostgreSQL's exclusion constraint or SQLite's serialised
write transactions.
"""

from typing import Any

import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEntry, Booking, BookingHold, SpaceKind
from tests.api.conftest import booking_day, insert_booking, issue, local, local_utc
from tests.api.test_concurrency import server, statuses  # noqa: F401  (the gunicorn fixture)
from tests.fixtures.factories import make_company, make_space, make_user, make_zone

RACERS = 20


def snapshot(booking_id: int) -> dict[str, Any]:
    booking = db.session.get(Booking, booking_id)
    assert booking is not None
    holds = db.session.execute(
        sa.select(BookingHold.space_id, BookingHold.start_at, BookingHold.end_at)
        .where(BookingHold.booking_id == booking_id, BookingHold.active.is_(True))
        .order_by(BookingHold.id)
    ).all()
    return {
        "space": booking.space_id,
        "start": booking.start_at,
        "end": booking.end_at,
        "title": booking.title,
        "status": booking.status,
        "sequence": booking.sequence,
        "holds": [tuple(hold) for hold in holds],
    }


def test_twenty_bookings_moving_into_one_free_slot_give_one_move(app, server) -> None:  # noqa: F811
    zone = make_zone(code="MTG")
    target = make_space(kind=SpaceKind.MEETING_ROOM, zone=zone, capacity=10)
    elsewhere = make_space(kind=SpaceKind.MEETING_ROOM, zone=zone, capacity=10)
    tenants = [make_user(company=make_company()) for _ in range(4)]
    db.session.commit()
    day = booking_day()
    racers = []
    for n in range(RACERS):
        # Half in the target room earlier that day, half in another room: a move of time, or
        # of room and time.
        room = target if n % 2 else elsewhere
        minutes = 8 * 60 + 30 * (n // 2)
        start = local_utc(day, f"{minutes // 60:02d}:{minutes % 60:02d}")
        end = local_utc(day, f"{(minutes + 30) // 60:02d}:{(minutes + 30) % 60:02d}")
        tenant = tenants[n % 4]
        racers.append(
            insert_booking(room.id, tenant.company_id, tenant.id, start, end, title=f"会{n}").id
        )
    tokens = [issue(tenant) for tenant in tenants]
    before = {booking_id: snapshot(booking_id) for booking_id in racers}
    free = {"start": local(day, "19:00"), "end": local(day, "20:00"), "space_id": target.id}
    calls = [
        ("PATCH", f"/api/v1/bookings/{booking_id}", tokens[n % 4], free)
        for n, booking_id in enumerate(racers)
    ]
    db.session.rollback()

    results = server.all_at_once(calls)

    assert statuses(results) == {200: 1, 409: RACERS - 1}, (
        results,
        server.log.read_text()[-5000:],
    )
    (winner,) = [racers[n] for n, (status, _body) in enumerate(results) if status == 200]
    for status, body in results:
        if status == 409:
            assert body["error"]["code"] == "conflict"
    db.session.rollback()
    moved = snapshot(winner)
    assert (moved["space"], moved["start"], moved["end"]) == (
        target.id,
        local_utc(day, "19:00"),
        local_utc(day, "20:00"),
    )
    assert moved["holds"] == [(target.id, local_utc(day, "19:00"), local_utc(day, "20:00"))]
    assert moved["sequence"] == 1
    for booking_id in racers:
        if booking_id != winner:
            assert snapshot(booking_id) == before[booking_id]
    in_the_slot = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(BookingHold)
        .where(
            BookingHold.space_id == target.id,
            BookingHold.active.is_(True),
            BookingHold.start_at < local_utc(day, "20:00"),
            BookingHold.end_at > local_utc(day, "19:00"),
        )
    )
    assert in_the_slot == 1
    changes = db.session.scalars(
        sa.select(AuditEntry.object_id).where(AuditEntry.action == "booking.updated")
    ).all()
    assert changes == [winner]
