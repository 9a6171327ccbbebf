"""A tenant sees the company's leases and how many free meeting-room hours are left."""

from datetime import time, timedelta

from app.extensions import db
from app.models import Role, SpaceKind, Stage
from app.services.booking_rules import BookingRequest
from app.services.bookings import create_bookings
from app.services.localtime import local_datetime
from app.web import today_local
from tests.fixtures.factories import make_company, make_space, make_user


def test_allowance_used_and_left_this_month(app, signed_in) -> None:
    company = make_company(name="乐山晶硅新材料科技有限公司", stage=Stage.TEAM)  # 8 h a month
    booker = make_user(role=Role.TENANT, company=company)
    room = make_space(kind=SpaceKind.MEETING_ROOM)
    today = today_local()
    # Later this month if possible, so the booking counts in the month shown.
    day = today + timedelta(days=1) if (today + timedelta(days=1)).month == today.month else today
    start = local_datetime(day, time(20))
    create_bookings(
        booker,
        BookingRequest(
            space=room, company=company, title="周会", start=start, end=start + timedelta(hours=2)
        ),
        now=start - timedelta(hours=1),
    )
    db.session.commit()
    client, _user = signed_in(Role.TENANT, company=company)
    page = client.get("/company").text
    assert "已用 2 小时，共 8 小时，剩余 6 小时" in page
