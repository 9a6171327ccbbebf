"""Feedback where the eye is, in Chromium on a phone: the errors of a long form in view after
sending it, and a feed's address regenerated only after a second, deliberate tap."""

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Role
from app.services import ical
from tests.e2e.conftest import PHONE
from tests.e2e.test_booking_flows import sign_in
from tests.e2e.test_sign_in import no_sideways_scroll
from tests.fixtures.factories import make_company, make_user


def in_view(page, selector: str) -> bool:
    """Whether the element's top is inside the visible part of the screen."""
    box = page.locator(selector).bounding_box()
    return box is not None and 0 <= box["y"] < PHONE["height"] - 40


@pytest.fixture
def people(app):
    company = make_company(name="四川护能科技有限公司")
    tenant = make_user(role=Role.TENANT, email="tenant@hunengtech.example.cn", company=company)
    manager = make_user(role=Role.MANAGER, email="manager@czg.example.cn", name="王敏")
    secret, _feed = ical.issue_company_feed(tenant, company)
    db.session.commit()
    found = {"tenant": tenant.email, "manager": manager.email, "secret": secret}
    db.session.rollback()  # the server's requests write; the test keeps no snapshot open
    return found


def test_a_long_forms_errors_are_in_view_after_sending_it(people, live_server, phone_page) -> None:
    page = phone_page
    sign_in(page, live_server, people["manager"])
    page.goto(f"{live_server}/manage/companies/new")
    page.locator("#name").fill("乐山晶硅新材料科技有限公司")
    page.locator("#uscc").fill("91511100MA62A1B2C3")  # a wrong check character
    page.locator("#contact_email").fill("zhou.lei@")
    save = page.locator("main form button.primary")
    save.scroll_into_view_if_needed()
    assert not in_view(page, "#uscc")  # the person is at the bottom of the form
    save.click()
    page.wait_for_load_state()

    summary = page.locator("#error-summary")
    assert in_view(page, "#error-summary"), "the errors are out of sight"
    # Focused as the page loads (a screen reader starts there); Chromium focuses on its next frame.
    expect(summary).to_be_focused()
    assert "校验码" in summary.inner_text() and "联系邮箱" in summary.inner_text()
    summary.locator('a[href="#contact_email"]').click()
    assert in_view(page, "#contact_email")
    assert no_sideways_scroll(page)


def test_regenerating_the_company_feed_asks_first(people, live_server, phone_page, app) -> None:
    page = phone_page
    old_url = f"/feeds/{people['secret']}.ics"
    sign_in(page, live_server, people["tenant"])
    page.goto(f"{live_server}/feeds")

    page.locator("#company-feed summary").click()  # "重新生成": only unfolds the question

    assert page.url == f"{live_server}/feeds"
    assert app.test_client().get(old_url).status_code == 200  # nothing regenerated yet
    confirm = page.locator("#company-feed button.danger")
    assert confirm.is_visible() and in_view(page, "#company-feed button.danger")
    assert "立即失效" in page.locator("#company-feed .confirm-box").inner_text()

    confirm.click()
    page.wait_for_load_state()

    assert page.url == f"{live_server}/feeds#company-feed"
    assert in_view(page, "#feed-url")
    new_url = page.locator("#feed-url").input_value()
    assert new_url.endswith(".ics") and people["secret"] not in new_url
    copy = page.locator('button[data-copy="feed-url"]')
    assert copy.is_visible()  # the script shows it (without a script the field stays selectable)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    copy.click()
    expect(copy).to_have_text("已复制")
    assert page.evaluate("navigator.clipboard.readText()") == new_url
    assert app.test_client().get(old_url).status_code == 404
    page.reload()  # a GET: the page again, nothing sent twice, the address not shown again
    assert page.locator("#feed-url").count() == 0
    assert app.test_client().get(new_url.removeprefix(live_server)).status_code == 200
    assert no_sideways_scroll(page)
