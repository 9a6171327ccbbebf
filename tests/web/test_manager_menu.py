"""The managers' menu: folded under one summary on a phone, the approvals count still in sight."""

import re
from datetime import timedelta

from app.extensions import db
from app.models import Role
from app.web import today_local
from tests.fixtures.bookings import hall, make_booking, next_working_day, tenant
from tests.fixtures.factories import make_company


def _nav(page: str) -> str:
    return re.search(r'<nav class="menu[^"]*".*?</nav>', page, re.S).group(0)


def test_the_managers_menu_is_folded_with_the_approvals_count_on_the_summary(
    signed_in, app
) -> None:
    day = next_working_day(today_local() + timedelta(days=5))
    make_booking(space=hall(code="RSH-101"), actor=tenant(make_company()), day=day)
    db.session.commit()
    client, _user = signed_in(Role.MANAGER, locale="zh_CN")
    nav = _nav(client.get("/manage/approvals").text)
    summary = re.search(r"<summary>(.*?)</summary>", nav, re.S).group(1)
    assert "菜单" in summary
    assert '<span class="badge count" aria-label="1 条待审批">1</span>' in summary
    # The details element is closed: nothing but the summary shows until it is opened.
    assert re.search(r'<details class="menu-fold">', nav)
    assert 'href="/manage/approvals"' in nav and 'href="/manage/audit"' in nav


def test_the_managers_menu_has_one_link_to_the_overview_and_none_to_the_same_place(
    signed_in,
) -> None:
    client, _user = signed_in(Role.MANAGER, locale="en")
    nav = _nav(client.get("/manage/dashboard").text)
    links = re.findall(r'<a href="([^"]+)">', nav)
    assert links.count("/manage/") == 1  # the overview
    assert "/" not in links  # "Home" only redirected to the overview
    assert len(links) == len(set(links))


def test_tenants_keep_their_short_open_menu(signed_in) -> None:
    client, _user = signed_in(Role.TENANT, locale="en")
    nav = _nav(client.get("/profile").text)
    assert "<details" not in nav
    assert ">My bookings</a>" in nav and ">Home</a>" in nav
