"""Managers decide the waiting hall requests, one by one or several at once."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from app.extensions import db
from app.models import Booking, BookingStatus, Closure, Role, Stage
from app.services import bookings as booking_service
from app.sqltypes import utcnow
from app.web import today_local
from tests.conftest import csrf_token
from tests.fixtures.bookings import (
    hall,
    make_booking,
    manager,
    meeting_room,
    next_working_day,
    tenant,
)
from tests.fixtures.bookings import local as local_time
from tests.fixtures.factories import make_company


@dataclass
class Queue:
    """Two hall requests waiting, from two companies, and the ids to post."""

    launch: int
    roadshow: int
    hall_id: int
    day: date


@pytest.fixture
def queue(app) -> Queue:
    day = next_working_day(today_local() + timedelta(days=7))
    now = utcnow()
    hall_space = hall(code="RSH-101")
    room = meeting_room(code="MTG-201")
    huneng = tenant(make_company(name="四川护能科技有限公司", stage=Stage.INCUBATED))
    yuecheng = tenant(make_company(name="四川越成科技有限公司", stage=Stage.ACCELERATING))
    # Two hours of meeting room the same day: the free-hours status reads "2 of 20 h used".
    make_booking(space=room, actor=huneng, day=day, start="14:00", end="16:00", now=now)
    launch = make_booking(
        space=hall_space,
        actor=huneng,
        day=day,
        start="09:00",
        end="11:00",
        now=now,
        title="产品发布会",
        attendees=80,
    )
    roadshow = make_booking(
        space=hall_space,
        actor=yuecheng,
        day=day,
        start="15:00",
        end="17:00",
        now=now,
        title="融资路演",
    )
    db.session.commit()
    assert launch.status == roadshow.status == BookingStatus.PENDING
    return Queue(launch.id, roadshow.id, hall_space.id, day)


def _manager_client(signed_in):
    client, _user = signed_in(Role.MANAGER, locale="en")
    return client


def _decide(client, page_html: str, ids: list[int], action: str, reason: str = ""):
    data = {
        "booking_id": ids,
        "action": action,
        "reason": reason,
        "csrf_token": csrf_token(page_html),
    }
    return client.post("/manage/approvals", data=data)


def _status(booking_id: int) -> BookingStatus:
    db.session.rollback()
    return db.session.get(Booking, booking_id).status


def test_a_waiting_request_shows_its_company_stage_and_free_hours(signed_in, queue) -> None:
    page = _manager_client(signed_in).get("/manage/approvals")
    assert page.status_code == 200
    text = page.text
    assert "产品发布会" in text and "融资路演" in text
    assert "四川护能科技有限公司" in text and "Incubated" in text
    assert "2 of 20 h used" in text
    assert "Needs a manager's approval" in text
    assert "80 of 200 seats" in text
    assert text.index("产品发布会") < text.index("融资路演")  # soonest first
    assert '<span class="badge count" aria-label="2 waiting">2</span>' in text


def test_approving_confirms_and_leaves_the_queue(signed_in, queue) -> None:
    client = _manager_client(signed_in)
    page = client.get("/manage/approvals")
    response = _decide(client, page.text, [queue.launch], "approve")
    assert response.status_code == 302
    assert response.headers["Location"] == "/manage/approvals"
    assert _status(queue.launch) == BookingStatus.CONFIRMED
    after = client.get("/manage/approvals").text
    assert "1 approved, 0 rejected." in after
    assert "产品发布会" not in after and "融资路演" in after
    assert '<span class="badge count" aria-label="1 waiting">1</span>' in after


def test_rejecting_without_a_reason_is_refused(signed_in, queue) -> None:
    client = _manager_client(signed_in)
    page = client.get("/manage/approvals")
    response = _decide(client, page.text, [queue.roadshow], "reject", "  ")
    assert response.status_code == 302
    assert "Say why you reject, so the company knows." in client.get("/manage/approvals").text
    assert _status(queue.roadshow) == BookingStatus.PENDING


def test_rejecting_with_a_reason_tells_the_company_why(signed_in, queue) -> None:
    client = _manager_client(signed_in)
    page = client.get("/manage/approvals")
    _decide(client, page.text, [queue.roadshow], "reject", "当天已安排政策宣讲会")
    assert "0 approved, 1 rejected." in client.get("/manage/approvals").text
    db.session.rollback()
    booking = db.session.get(Booking, queue.roadshow)
    assert (booking.status, booking.reason) == (BookingStatus.REJECTED, "当天已安排政策宣讲会")


def test_approving_two_at_once(signed_in, queue) -> None:
    client = _manager_client(signed_in)
    page = client.get("/manage/approvals")
    _decide(client, page.text, [queue.launch, queue.roadshow], "approve")
    after = client.get("/manage/approvals").text
    assert "2 approved, 0 rejected." in after
    assert "Nothing is waiting for a decision." in after
    assert _status(queue.launch) == _status(queue.roadshow) == BookingStatus.CONFIRMED


def test_a_request_another_manager_decided_first(signed_in, queue) -> None:
    client = _manager_client(signed_in)
    page = client.get("/manage/approvals")
    db.session.rollback()  # a fresh snapshot: signing in wrote to the database meanwhile
    booking_service.approve(manager(), db.session.get(Booking, queue.launch))
    db.session.commit()

    response = _decide(client, page.text, [queue.launch, queue.roadshow], "reject", "场地冲突")
    assert response.status_code == 302
    after = client.get("/manage/approvals").text
    assert "This booking has already been decided or cancelled." in after
    assert "0 approved, 1 rejected." in after
    assert _status(queue.launch) == BookingStatus.CONFIRMED
    assert _status(queue.roadshow) == BookingStatus.REJECTED


def test_a_closure_over_the_request_is_shown_and_refuses_the_approval(signed_in, queue) -> None:
    db.session.add(
        Closure(
            zone_id=db.session.get(Booking, queue.launch).space.zone_id,
            start_at=local_time(queue.day, "08:00"),
            end_at=local_time(queue.day, "12:00"),
            reason="消防检查",
        )
    )
    db.session.commit()
    client = _manager_client(signed_in)
    page = client.get("/manage/approvals")
    assert "Closed then, so an approval would be refused" in page.text
    assert "消防检查" in page.text

    _decide(client, page.text, [queue.launch], "approve")
    assert "RSH-101 is closed then." in client.get("/manage/approvals").text
    assert _status(queue.launch) == BookingStatus.PENDING


def test_other_requests_of_the_company_that_day_are_hinted(signed_in, queue) -> None:
    launch = db.session.get(Booking, queue.launch)
    make_booking(
        space=hall(code="LEC-101"),
        actor=launch.user,
        day=queue.day,
        start="13:00",
        end="14:00",
        now=utcnow(),
        title="媒体采访",
    )
    db.session.commit()
    page = _manager_client(signed_in).get("/manage/approvals").text
    assert "Also waiting from this company that day" in page
    assert "LEC-101 · 媒体采访" in page


@pytest.mark.parametrize("method", ["get", "post"])
def test_tenants_may_not_decide(signed_in, queue, method) -> None:
    client, _user = signed_in(Role.TENANT)
    token = csrf_token(client.get("/profile").text)
    data = {"booking_id": [queue.launch], "action": "approve", "csrf_token": token}
    response = getattr(client, method)("/manage/approvals", data=data if method == "post" else None)
    assert response.status_code == 403
    assert _status(queue.launch) == BookingStatus.PENDING


def _over_allowance_request(queue: Queue) -> int:
    """A graduated company's meeting: it has no free hours, so the booking waits."""
    graduate = tenant(make_company(name="乐山毕业科技有限公司", stage=Stage.GRADUATED))
    meeting = make_booking(
        space=meeting_room(code="MTG-305"),
        actor=graduate,
        day=queue.day,
        start="10:00",
        end="11:00",
        now=utcnow(),
        title="供应商洽谈",
    )
    db.session.commit()
    assert meeting.status == BookingStatus.PENDING and meeting.reason == "over_allowance"
    return meeting.id


def _titles(page: str) -> set[str]:
    return {title for title in ("产品发布会", "融资路演", "供应商洽谈") if title in page}


def test_the_queue_filters_by_company_space_and_reason(signed_in, queue) -> None:
    _over_allowance_request(queue)
    client = _manager_client(signed_in)
    everything = client.get("/manage/approvals").text
    assert _titles(everything) == {"产品发布会", "融资路演", "供应商洽谈"}
    # The filters offer the companies and spaces that have requests waiting, with how many.
    assert "四川护能科技有限公司 (1)" in everything and "乐山毕业科技有限公司 (1)" in everything
    assert ">RSH-101 " in everything and " (2)</option>" in everything

    launch = db.session.get(Booking, queue.launch)
    by_company = client.get(f"/manage/approvals?company_id={launch.company_id}").text
    assert _titles(by_company) == {"产品发布会"}
    by_space = client.get(f"/manage/approvals?space_id={queue.hall_id}").text
    assert _titles(by_space) == {"产品发布会", "融资路演"}
    over = client.get("/manage/approvals?why=over_allowance").text
    assert _titles(over) == {"供应商洽谈"}
    assert "Over the company's free hours" in over
    hall_requests = client.get("/manage/approvals?why=approval").text
    assert _titles(hall_requests) == {"产品发布会", "融资路演"}
    nothing = client.get(f"/manage/approvals?why=over_allowance&space_id={queue.hall_id}").text
    assert "No request matches these filters." in nothing and not _titles(nothing)


def test_the_queue_is_paged_and_the_pages_keep_the_filter(signed_in, queue) -> None:
    _over_allowance_request(queue)
    client = _manager_client(signed_in)
    first = client.get("/manage/approvals?why=approval&per_page=1").text
    assert _titles(first) == {"产品发布会"}
    assert "Page 1 of 2" in first
    assert 'href="/manage/approvals?why=approval&amp;per_page=1&amp;page=2"' in first
    second = client.get("/manage/approvals?why=approval&per_page=1&page=2").text
    assert _titles(second) == {"融资路演"}


def test_deciding_from_a_filtered_page_comes_back_to_it(signed_in, queue) -> None:
    client = _manager_client(signed_in)
    here = f"/manage/approvals?space_id={queue.hall_id}"
    page = client.get(here).text
    assert f'name="next" value="{here}"' in page
    data = {
        "booking_id": [queue.launch],
        "action": "approve",
        "next": here,
        "csrf_token": csrf_token(page),
    }
    response = client.post("/manage/approvals", data=data)
    assert response.headers["Location"] == here
    assert _status(queue.launch) == BookingStatus.CONFIRMED


def test_a_phone_number_is_one_tappable_unbroken_link(signed_in, queue) -> None:
    launch = db.session.get(Booking, queue.launch)
    launch.user.phone = "13800001111"
    db.session.commit()
    page = _manager_client(signed_in).get("/manage/approvals").text
    assert '<a class="nowrap" href="tel:13800001111">13800001111</a>' in page


@pytest.mark.parametrize("query", ["space_id=99999999999999999999", "company_id=-1&why=nonsense"])
def test_a_filter_out_of_bounds_lists_everything(signed_in, queue, query) -> None:
    page = _manager_client(signed_in).get(f"/manage/approvals?{query}")
    assert page.status_code == 200
    assert _titles(page.text) == {"产品发布会", "融资路演"}
