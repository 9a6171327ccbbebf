"""An invited tenant opens the mailed link on a phone, chooses a password and is signed in."""

import re
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

from app.extensions import db
from app.models import Role, Stage
from app.services import invitations
from tests.fixtures.factories import make_company, make_user
from tests.fixtures.servers import Inbox, free_port


@pytest.fixture
def mailbox(app: Flask, live_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", controller.port)
    monkeypatch.setitem(app.config, "PUBLIC_URL", live_server)
    yield handler
    controller.stop()


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_invited_tenant_creates_the_account_on_a_phone(
    app: Flask, live_server: str, mailbox: Inbox, phone_page
) -> None:
    manager = make_user(role=Role.MANAGER, name="王敏")
    company = make_company(name="四川护能科技有限公司", stage=Stage.INCUBATED)
    invitations.invite(
        manager,
        email="li.na@hunengtech.example.cn",
        role=Role.TENANT,
        company_id=company.id,
        language="zh_CN",
    )
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["notifications", "send", "--once"])
    assert result.exit_code == 0, result.output
    ((to, message),) = mailbox.messages()
    assert to == ["li.na@hunengtech.example.cn"]
    link = re.search(
        r"http://127\.0\.0\.1:\d+/auth/invitation/\S+", message.get_body().get_content()
    )
    assert link, message.get_body().get_content()

    page = phone_page
    page.goto(link.group(0))
    assert page.get_by_role("heading", name="创建您的账户").is_visible()
    assert page.get_by_text("四川护能科技有限公司").is_visible()
    assert page.get_by_label("电子邮箱").input_value() == "li.na@hunengtech.example.cn"
    page.get_by_label("您的姓名").fill("李娜")
    page.get_by_label("手机号码").fill("13800001234")
    page.get_by_label("密码", exact=True).fill("12345678")
    page.get_by_label("再次输入密码").fill("12345678")
    page.get_by_role("button", name="创建我的账户").click()
    assert "这是最常见的密码之一" in page.locator("#password-error").inner_text()
    assert no_sideways_scroll(page)

    page.get_by_label("密码", exact=True).fill("峨眉山 月半轮 秋影")
    page.get_by_label("再次输入密码").fill("峨眉山 月半轮 秋影")
    page.get_by_role("button", name="创建我的账户").click()
    page.wait_for_url(f"{live_server}/")
    assert page.get_by_text("欢迎您，李娜。您的账户已创建。").is_visible()
    assert no_sideways_scroll(page)

    # The link worked once.
    page.goto(link.group(0))
    assert page.get_by_role("heading", name="该链接已失效").is_visible()
