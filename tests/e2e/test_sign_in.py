"""A tenant signs in on a phone, in Chinese, and sees the company's spaces."""

from datetime import date

from app.extensions import db
from app.models import Role, SpaceKind, Stage
from tests.fixtures.factories import PASSWORD, make_company, make_lease, make_space, make_user


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_tenant_signs_in_on_a_phone_and_sees_the_lease(app, live_server, phone_page) -> None:
    company = make_company(name="四川护能科技有限公司", stage=Stage.INCUBATED)
    office = make_space(kind=SpaceKind.OFFICE, code="INC-101", name="孵化办公室 101")
    make_lease(company=company, space=office, starts_on=date(2025, 3, 1))
    user = make_user(role=Role.TENANT, company=company, email="tenant@hunengtech.example.cn")
    db.session.commit()

    page = phone_page
    page.goto(f"{live_server}/company")
    assert "/auth/login" in page.url
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.get_by_label("电子邮箱").fill(user.email)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server}/company")
    assert page.get_by_role("heading", name="四川护能科技有限公司").is_visible()
    assert page.get_by_text("INC-101 孵化办公室 101").is_visible()
    assert no_sideways_scroll(page)


def test_wrong_password_shows_a_chinese_error_and_keeps_the_email(
    app, live_server, phone_page
) -> None:
    user = make_user(role=Role.TENANT, email="li.na@example.cn")
    db.session.commit()
    page = phone_page
    page.goto(f"{live_server}/auth/login")
    page.get_by_label("电子邮箱").fill(user.email)
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    # Said at the top (a link to the field) and beside the password.
    assert page.locator("#error-summary").get_by_text("邮箱或密码不正确").is_visible()
    assert page.locator("#password-error").get_by_text("邮箱或密码不正确").is_visible()
    assert page.get_by_label("电子邮箱").input_value() == user.email
