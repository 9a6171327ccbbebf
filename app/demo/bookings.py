"""Demo bookings: four weeks of history and two weeks ahead, made through the booking rules."""

import random
from datetime import date, time, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import Booking, BookingStatus, Company, CompanyStatus, Role, Space, SpaceKind, User
from app.services import bookings
from app.services.booking_rules import BookingRequest
from app.services.errors import DomainError
from app.services.localtime import local_datetime

TITLES = {
    SpaceKind.MEETING_ROOM: (
        "项目例会",
        "客户洽谈",
        "投资人见面",
        "技术评审",
        "招聘面试",
        "产品演示",
    ),
    SpaceKind.TABLE: ("商务洽谈", "合作交流", "咨询面谈"),
    SpaceKind.HALL: ("产品发布会", "项目路演", "政策宣讲会", "技术培训"),
    SpaceKind.EVENT_AREA: ("成果展示", "企业交流会", "招聘会"),
}
DAYS_BACK, DAYS_AHEAD = 28, 14


def _attempts(rng: random.Random, space: Space) -> list[tuple[time, int]]:
    """(start, minutes) pairs to try on one day in one space."""
    if space.kind in (SpaceKind.HALL, SpaceKind.EVENT_AREA):
        return [(time(14), 180)] if rng.random() < 0.25 else []
    return [
        (time(rng.randint(8, 19), rng.choice((0, 30))), rng.choice((60, 60, 90, 120)))
        for _ in range(rng.randint(0, 3))
    ]


def seed_bookings(rng: random.Random, today: date) -> int:
    """Book rooms, tables and halls around ``today``; returns how many bookings were made."""
    people = db.session.scalars(
        sa.select(User)
        .join(Company, Company.id == User.company_id)
        .where(User.role == Role.TENANT, Company.status == CompanyStatus.ACTIVE)
        .order_by(User.id)
    ).all()
    manager = db.session.scalars(sa.select(User).where(User.role == Role.MANAGER)).first()
    spaces = db.session.scalars(
        sa.select(Space).where(Space.bookable.is_(True)).order_by(Space.code)
    ).all()
    made: list[Booking] = []
    for offset in range(-DAYS_BACK, DAYS_AHEAD + 1):
        day = today + timedelta(days=offset)
        for space in spaces:
            for clock, minutes in _attempts(rng, space):
                person = rng.choice(people)
                assert person.company is not None  # tenants belong to a company
                start = local_datetime(day, clock)
                request = BookingRequest(
                    space=space,
                    company=person.company,
                    title=rng.choice(TITLES[space.kind]),
                    start=start,
                    end=start + timedelta(minutes=minutes),
                    attendees=max(1, min(space.capacity, rng.randint(2, 12))),
                )
                try:
                    made += bookings.create_bookings(person, request, now=start - timedelta(days=2))
                except DomainError:
                    continue
    now = local_datetime(today, time(0))
    for booking in made:
        decided = booking.start_at - timedelta(days=1)
        if booking.status == BookingStatus.PENDING and booking.start_at < now and manager:
            if rng.random() < 0.85:
                bookings.approve(manager, booking, now=decided)
            else:
                bookings.reject(manager, booking, "该时段已安排园区活动", now=decided)
        elif booking.status == BookingStatus.CONFIRMED and rng.random() < 0.06:
            bookings.cancel(booking.user, booking, "会议改期", now=decided)
        if (
            booking.status == BookingStatus.CONFIRMED
            and booking.requires_check_in
            and booking.start_at < now
            and rng.random() < 0.85  # the others are no-shows
        ):
            booking.checked_in_at = booking.start_at + timedelta(minutes=rng.randint(-8, 10))
    db.session.flush()
    return len(made)
