"""Find a space on a phone (375 × 812, Chinese): the Search button is in the first screen, and
two people are offered a small room or lounge table before the big rooms and the halls."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Role, SpaceKind
from app.web import today_local
from tests.e2e.test_booking_flows import sign_in
from tests.e2e.test_sign_in import no_sideways_scroll
from tests.fixtures.bookings import hall_zone, next_working_day
from tests.fixtures.factories import make_company, make_space, make_user, make_zone

KIT = ["投影仪", "视频会议", "白板", "电视屏", "LED大屏", "音响", "无线麦克风", "直播设备", "讲台"]


@pytest.fixture
def building(app):
    """The demo's bookable kinds: rooms of 6 and 12 seats, lounge tables, the roadshow hall
    and the event area's halves, with thirteen kinds of equipment between them."""
    meeting = make_zone(code="MTG", name="座谈会议室", name_en="Meeting rooms", sort_order=5)
    lounge = make_zone(code="LNG", name="休闲洽谈区", name_en="Lounge", sort_order=9)
    halls = hall_zone(code="RSH", name="多功能路演厅", name_en="Roadshow Hall", sort_order=6)
    make_space(
        kind=SpaceKind.MEETING_ROOM, zone=meeting, code="MTG-204", name="会议室 204（12人）",
        capacity=12, equipment=KIT[:3],
    )  # fmt: skip
    make_space(
        kind=SpaceKind.MEETING_ROOM, zone=meeting, code="MTG-201", name="会议室 201（6人）",
        capacity=6, equipment=["电视屏", "白板"],
    )  # fmt: skip
    for n, seats in ((1, 4), (3, 6)):
        make_space(
            kind=SpaceKind.TABLE, zone=lounge, code=f"LNG-T{n}", name=f"洽谈桌 T{n}（{seats}人）",
            capacity=seats, equipment=["电源插座"],
        )  # fmt: skip
    make_space(
        kind=SpaceKind.HALL, zone=halls, code="RSH-A", name="多功能路演厅", capacity=200,
        requires_approval=True, equipment=KIT[4:],
    )  # fmt: skip
    for half in ("A1", "A2"):
        make_space(
            kind=SpaceKind.EVENT_AREA, zone=halls, code=f"EVT-{half}", name=f"活动区 {half}",
            capacity=150, requires_approval=True, equipment=["音响", "展架", "电源", "茶歇服务"],
        )  # fmt: skip
    user = make_user(role=Role.TENANT, company=make_company(name="四川护能科技有限公司"))
    db.session.commit()
    email = user.email
    db.session.rollback()  # the server's requests write; the test keeps no snapshot open
    return email


def test_two_people_see_a_small_space_first_and_search_is_in_the_first_screen(
    building, live_server, phone_page
) -> None:
    page = phone_page
    sign_in(page, live_server, building)
    page.goto(f"{live_server}/find")
    search = page.get_by_role("button", name="搜索")
    box = search.bounding_box()
    assert box is not None and box["y"] + box["height"] <= page.viewport_size["height"]
    assert page.locator("details.finder-kit").get_attribute("open") is None  # kit folded away

    day = next_working_day(today_local() + timedelta(days=1))
    page.locator("#date").fill(day.isoformat())
    page.locator("#start").select_option("10:00")
    page.locator("#people").fill("2")
    search.click()
    page.wait_for_load_state()

    rows = page.locator("ol.finder-rows > li")
    first = rows.first.get_attribute("data-space-code")
    assert first in {"LNG-T1", "MTG-201"}, first  # a table for 4 (or a room for 6)
    order = [rows.nth(n).get_attribute("data-space-code") for n in range(rows.count())]
    assert order.index("MTG-204") > order.index("MTG-201")  # 12 seats after 6
    assert order[-3:] == ["EVT-A1", "EVT-A2", "RSH-A"]  # the approval halls last
    assert rows.first.get_by_role("link", name="预订").is_visible()
    # still in the first screen after a search, with the filter by kind beside it
    box = page.get_by_role("button", name="搜索").bounding_box()
    assert box is not None and box["y"] + box["height"] <= page.viewport_size["height"]
    assert no_sideways_scroll(page)

    page.locator("#kind").select_option("table")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_load_state()
    codes = page.locator("ol.finder-rows > li").evaluate_all(
        "rows => rows.map(row => row.dataset.spaceCode)"
    )
    assert codes == ["LNG-T1", "LNG-T3"]
