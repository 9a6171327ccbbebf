"""Managers close rooms for holidays and maintenance and set the booking policy."""

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import Booking, BookingStatus, Closure, Role, SpaceKind, Stage
from app.services import policy
from app.services.booking_rules import BookingRequest
from app.services.bookings import create_bookings
from app.services.localtime import local_datetime
from tests.conftest import csrf_token
from tests.fixtures.bookings import insert_booking
from tests.fixtures.factories import make_company, make_space, make_user


def _future_day():
    return (datetime.now(UTC) + timedelta(days=3)).date()


def test_manager_changes_an_allowance(app, signed_in) -> None:
    client, _manager = signed_in(Role.MANAGER)
    page = client.get("/manage/policies")
    assert page.status_code == 200
    response = client.post(
        "/manage/policies",
        data={
            "form": "allowances",
            "team": "6",
            "incubated": "25.5",
            "accelerating": "40",
            "graduated": "0",
            "csrf_token": csrf_token(page.text),
        },
    )
    assert response.status_code == 302
    db.session.rollback()
    assert policy.monthly_allowance_minutes(Stage.INCUBATED) == 25 * 60 + 30
    assert policy.monthly_allowance_minutes(Stage.TEAM) == 6 * 60


def test_negative_allowance_is_refused_and_kept_on_the_form(app, signed_in) -> None:
    client, _manager = signed_in(Role.MANAGER)
    page = client.get("/manage/policies")
    response = client.post(
        "/manage/policies",
        data={
            "form": "allowances",
            "team": "-3",
            "incubated": "20",
            "accelerating": "40",
            "graduated": "0",
            "csrf_token": csrf_token(page.text),
        },
    )
    assert response.status_code == 200
    assert 'value="-3"' in response.text
    assert 'id="team-error"' in response.text
    db.session.rollback()
    assert policy.monthly_allowance_minutes(Stage.TEAM) == 8 * 60


def test_manager_changes_the_limits_of_meeting_rooms(app, signed_in) -> None:
    client, _manager = signed_in(Role.MANAGER)
    page = client.get("/manage/policies")
    client.post(
        "/manage/policies",
        data={
            "form": "meeting_room",
            "meeting_room-max_hours": "2",
            "meeting_room-advance_days": "30",
            "meeting_room-buffer_minutes": "0",
            "meeting_room-requires_check_in": "y",
            "csrf_token": csrf_token(page.text),
        },
    )
    db.session.rollback()
    limits = policy.limits_for(SpaceKind.MEETING_ROOM)
    assert (limits.max_minutes, limits.advance_days, limits.requires_check_in) == (120, 30, True)
    assert limits.counts_against_allowance is False


def test_closure_lists_the_bookings_it_hits_and_the_manager_cancels_one(app, signed_in) -> None:
    room = make_space(kind=SpaceKind.MEETING_ROOM, code="MTG-201")
    tenant = make_user(role=Role.TENANT, company=make_company(name="四川越成科技有限公司"))
    day = _future_day()
    (booking,) = create_bookings(
        tenant,
        BookingRequest(
            space=room,
            company=tenant.company,
            title="客户洽谈",
            start=local_datetime(day, time(10)),
            end=local_datetime(day, time(11)),
        ),
    )
    db.session.commit()
    booking_id = booking.id

    client, _manager = signed_in(Role.MANAGER)
    page = client.get("/manage/closures")
    response = client.post(
        "/manage/closures",
        data={
            "scope": "space",
            "space_id": room.id,
            "zone_id": room.zone_id,
            "start_day": day.isoformat(),
            "start_time": "09:00",
            "end_day": day.isoformat(),
            "end_time": "12:00",
            "reason": "空调维修",
            "csrf_token": csrf_token(page.text),
        },
    )
    assert response.status_code == 302
    detail = client.get(response.headers["Location"])
    assert "客户洽谈" in detail.text and "四川越成科技有限公司" in detail.text

    cancelled = client.post(
        f"/manage/bookings/{booking_id}/cancel",
        data={"reason": "空调维修", "csrf_token": csrf_token(detail.text)},
    )
    assert cancelled.status_code == 302
    db.session.rollback()
    booking = db.session.get(Booking, booking_id)
    assert booking.status == BookingStatus.CANCELLED
    assert booking.reason == "空调维修"


def test_a_closure_offers_to_cancel_only_the_bookings_that_have_not_ended(app, signed_in) -> None:
    room = make_space(kind=SpaceKind.MEETING_ROOM, code="MTG-202")
    tenant = make_user(role=Role.TENANT, company=make_company(name="四川越成科技有限公司"))
    now = datetime.now(UTC)
    bookings = {}
    for title, start in (
        ("上周的例会", now - timedelta(days=2)),
        ("明天的路演", now + timedelta(days=1)),
    ):
        bookings[title] = insert_booking(
            room, tenant.company, tenant, start, start + timedelta(hours=1), title=title
        )
    closure = Closure(
        space=room, start_at=now - timedelta(days=3), end_at=now + timedelta(days=3), reason="装修"
    )
    db.session.add(closure)
    db.session.commit()
    ended, coming = bookings["上周的例会"].id, bookings["明天的路演"].id

    client, _manager = signed_in(Role.MANAGER)
    page = client.get(f"/manage/closures/{closure.id}").text

    assert "上周的例会" in page and "明天的路演" in page
    assert f'action="/manage/bookings/{coming}/cancel"' in page
    assert f'action="/manage/bookings/{ended}/cancel"' not in page


def test_a_closure_that_ends_before_it_starts_is_refused(app, signed_in) -> None:
    client, _manager = signed_in(Role.MANAGER)
    page = client.get("/manage/closures")
    day = _future_day().isoformat()
    response = client.post(
        "/manage/closures",
        data={
            "scope": "building",
            "start_day": day,
            "start_time": "12:00",
            "end_day": day,
            "end_time": "09:00",
            "reason": "消防检查",
            "csrf_token": csrf_token(page.text),
        },
    )
    assert response.status_code == 200
    assert "消防检查" in response.text  # what was typed stays
    assert db.session.scalar(sa.select(sa.func.count(Closure.id))) == 0


def test_import_statutory_holidays_closes_the_building_on_national_day(app, signed_in) -> None:
    client, _manager = signed_in(Role.MANAGER)
    page = client.get("/manage/closures")
    client.post(
        "/manage/closures/import", data={"year": "2026", "csrf_token": csrf_token(page.text)}
    )
    db.session.rollback()
    reasons = set(db.session.scalars(sa.select(Closure.reason)))
    assert "国庆节" in reasons and "春节" in reasons
    national_day = local_datetime(datetime(2026, 10, 1).date(), time(12))
    assert (
        db.session.scalar(
            sa.select(sa.func.count(Closure.id)).where(
                Closure.start_at <= national_day, Closure.end_at > national_day
            )
        )
        == 1
    )
    count = db.session.scalar(sa.select(sa.func.count(Closure.id)))
    assert count == len(reasons)  # one closure per holiday, not one per day
    again = client.get("/manage/closures")
    client.post(
        "/manage/closures/import", data={"year": "2026", "csrf_token": csrf_token(again.text)}
    )
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Closure.id))) == count


def test_manager_edits_opening_hours(app, signed_in) -> None:
    room = make_space(kind=SpaceKind.HALL)
    db.session.commit()
    zone_id = room.zone_id
    client, _manager = signed_in(Role.MANAGER)
    page = client.get(f"/manage/zones/{zone_id}/edit")
    response = client.post(
        f"/manage/zones/{zone_id}/edit",
        data={
            "name": "报告厅",
            "name_en": "Lecture Hall",
            "area_m2": "350",
            "sort_order": "3",
            "opens_at": "08:30",
            "closes_at": "21:00",
            "working_days_only": "y",
            "csrf_token": csrf_token(page.text),
        },
    )
    assert response.status_code == 302
    refused = client.post(
        f"/manage/zones/{zone_id}/edit",
        data={
            "name": "报告厅",
            "area_m2": "350",
            "sort_order": "3",
            "opens_at": "21:00",
            "closes_at": "08:30",
            "csrf_token": csrf_token(page.text),
        },
    )
    assert refused.status_code == 200
    assert 'id="closes_at-error"' in refused.text
