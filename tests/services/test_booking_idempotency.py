"""Submitting the same booking form twice books once."""

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import Booking, Role, SpaceKind
from app.services.booking_rules import BookingRequest
from app.services.bookings import create_bookings
from app.services.localtime import local_datetime
from tests.fixtures.factories import make_space, make_user


def test_the_same_form_key_books_once(app) -> None:
    tenant = make_user(role=Role.TENANT)
    room = make_space(kind=SpaceKind.MEETING_ROOM)
    day = (datetime.now(UTC) + timedelta(days=2)).date()
    request = BookingRequest(
        space=room,
        company=tenant.company,
        title="季度复盘",
        start=local_datetime(day, time(9)),
        end=local_datetime(day, time(10)),
        request_key="form-7f3a",
    )
    first = create_bookings(tenant, request)
    second = create_bookings(tenant, request)
    assert [b.id for b in second] == [b.id for b in first]
    assert db.session.scalar(sa.select(sa.func.count(Booking.id))) == 1
