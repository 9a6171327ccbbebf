"""Invitations: a manager invites, the person follows the mailed link, sets a password, is in."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_babel import force_locale

from app.extensions import db
from app.models import Invitation, OutgoingMail, Role, User
from app.services import invitations
from app.services.errors import NotAllowed, RuleViolation
from app.sqltypes import utcnow
from tests.conftest import csrf_token
from tests.fixtures.factories import make_company, make_user
from tests.fixtures.servers import Inbox

PUBLIC = "https://czg.example.cn"
GOOD_PASSWORD = "蓝色 山峰 2026 tea"


@pytest.fixture(autouse=True)
def public_url(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "PUBLIC_URL", PUBLIC)


def send(app: Flask) -> str:
    db.session.rollback()  # the worker starts its own write transaction
    result = app.test_cli_runner().invoke(args=["notifications", "send", "--once"])
    assert result.exit_code == 0, result.output
    return str(result.output)


def link_path(body: str, kind: str) -> str:
    match = re.search(rf"{PUBLIC}(/auth/{kind}/[A-Za-z0-9_-]+)", body)
    assert match, body
    return match.group(1)


def accept(client, path: str, **overrides: str):
    page = client.get(path)
    data = {
        "name": "李娜",
        "phone": "13800000000",
        "password": GOOD_PASSWORD,
        "confirm": GOOD_PASSWORD,
        "csrf_token": csrf_token(page.text),
        **overrides,
    }
    return client.post(path, data=data)


def test_an_invited_tenant_follows_the_mail_and_lands_signed_in(app: Flask, inbox: Inbox) -> None:
    manager = make_user(role=Role.MANAGER, name="王敏")
    company = make_company(name="四川护能科技有限公司")
    invitations.invite(
        manager, email="Li.Na@Example.cn", role=Role.TENANT, company_id=company.id, language="zh_CN"
    )
    db.session.commit()

    assert "1 sent" in send(app)
    ((to, message),) = inbox.messages()
    body = message.get_body().get_content()
    assert to == ["li.na@example.cn"]
    assert "选择" in message["Subject"] or "密码" in message["Subject"]
    assert "王敏" in body and "四川护能科技有限公司" in body
    path = link_path(body, "invitation")

    client = app.test_client()
    response = accept(client, path)
    assert response.status_code == 302, response.text
    home = client.get(response.headers["Location"])
    assert home.status_code == 200
    assert "李娜" in home.text
    user = db.session.scalars(sa.select(User).where(User.email == "li.na@example.cn")).one()
    assert (user.name, user.phone, user.role, user.company_id) == (
        "李娜",
        "13800000000",
        Role.TENANT,
        company.id,
    )
    assert not user.must_change_password

    # The link worked once.
    again = app.test_client().get(path)
    assert again.status_code == 404
    assert "链接已失效" in again.text or "no longer" in again.text


def invite(actor: User, email: str = "li.na@example.cn", **overrides):
    company_id = overrides.pop("company_id", None) or make_company().id
    values = {"role": Role.TENANT, "company_id": company_id, "language": "zh_CN", **overrides}
    invitation = invitations.invite(actor, email=email, **values)
    db.session.commit()
    return invitation


def test_an_expired_link_is_refused_and_a_resent_one_works(app: Flask, inbox: Inbox) -> None:
    manager = make_user(role=Role.MANAGER)
    invitation = invite(manager, now=utcnow() - timedelta(days=7, minutes=1))
    send(app)
    expired = link_path(inbox.messages()[0][1].get_body().get_content(), "invitation")
    client = app.test_client()
    assert client.get(expired).status_code == 404
    assert "已过期" in client.get(expired).text

    invitations.resend(manager, invitation)
    db.session.commit()
    send(app)
    fresh = link_path(inbox.messages()[1][1].get_body().get_content(), "invitation")
    assert fresh != expired
    assert client.get(expired).status_code == 404  # the old link stays dead
    assert accept(client, fresh).status_code == 302


def test_inviting_a_pending_address_again_resends_the_one_invitation(
    app: Flask, inbox: Inbox
) -> None:
    manager = make_user(role=Role.MANAGER)
    first = invite(manager)
    send(app)
    old = link_path(inbox.messages()[0][1].get_body().get_content(), "invitation")
    again = invite(manager, email="LI.NA@example.cn", language="en")
    send(app)
    assert again.id == first.id and again.times_sent == 2
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 1
    (_to, second) = inbox.messages()[1]
    assert (
        "Choose your password" in second["Subject"] or "choose your password" in second["Subject"]
    )
    new = link_path(second.get_body().get_content(), "invitation")
    assert app.test_client().get(old).status_code == 404
    assert app.test_client().get(new).status_code == 200


def test_a_withdrawn_invitation_no_longer_opens(app: Flask, inbox: Inbox) -> None:
    manager = make_user(role=Role.MANAGER)
    invitation = invite(manager)
    send(app)
    path = link_path(inbox.messages()[0][1].get_body().get_content(), "invitation")
    invitations.revoke(manager, invitation)
    db.session.commit()
    client = app.test_client()
    assert client.get(path).status_code == 404
    with pytest.raises(RuleViolation):
        invitations.resend(manager, invitation)


def test_an_address_with_an_account_is_told_so(app: Flask) -> None:
    manager = make_user(role=Role.MANAGER)
    make_user(email="zhang.wei@example.cn")
    with pytest.raises(RuleViolation) as refused, force_locale("zh_CN"):
        invite(manager, email="Zhang.Wei@example.cn")
    assert refused.value.field == "email"
    with force_locale("zh_CN"):
        assert str(refused.value.message) == "该邮箱已有账户。"


def test_managers_invite_tenants_and_only_admins_invite_managers(app: Flask) -> None:
    manager = make_user(role=Role.MANAGER)
    admin = make_user(role=Role.ADMIN)
    with pytest.raises(NotAllowed):
        invite(manager, email="boss@example.cn", role=Role.MANAGER, company_id=None)
    invitation = invite(admin, email="boss@example.cn", role=Role.MANAGER, company_id=None)
    assert invitation.company_id is None
    with pytest.raises(RuleViolation) as refused:
        invitations.invite(
            manager, email="x@example.cn", role=Role.TENANT, company_id=None, language="zh_CN"
        )
    assert refused.value.field == "company_id"


def test_the_new_password_follows_the_rules_and_the_link_keeps_working(
    app: Flask, inbox: Inbox
) -> None:
    invite(make_user(role=Role.MANAGER))
    send(app)
    path = link_path(inbox.messages()[0][1].get_body().get_content(), "invitation")
    client = app.test_client()
    refused = accept(client, path, password="11111111", confirm="11111111")
    assert refused.status_code == 200
    assert "这是最常见的密码之一" in refused.text
    refused = accept(client, path, password="li.na-2026-乐山", confirm="li.na-2026-乐山")
    assert "@ 前面的部分" in refused.text
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1  # only the manager
    assert accept(client, path).status_code == 302


def test_managers_see_resend_and_withdraw_open_invitations(app: Flask, signed_in) -> None:
    client, manager = signed_in(Role.MANAGER)
    company = make_company(name="乐山晶硅新材料科技有限公司")
    db.session.commit()
    page = client.get("/manage/invitations/new")
    response = client.post(
        "/manage/invitations/new",
        data={
            "email": "wu.fang@example.cn",
            "name": "吴芳",
            "role": "tenant",
            "company_id": company.id,
            "language": "zh_CN",
            "csrf_token": csrf_token(page.text),
        },
    )
    assert response.headers["Location"] == "/manage/invitations"
    listing = client.get("/manage/invitations")
    assert "wu.fang@example.cn" in listing.text and "乐山晶硅新材料科技有限公司" in listing.text
    db.session.rollback()  # a fresh snapshot, after the request's commit
    invitation = db.session.scalars(sa.select(Invitation)).one()
    token = csrf_token(listing.text)
    resent = client.post(f"/manage/invitations/{invitation.id}/resend", data={"csrf_token": token})
    assert resent.status_code == 302
    assert "已重新向 wu.fang@example.cn 发送邀请" in client.get("/manage/invitations").text
    db.session.rollback()
    assert db.session.get(Invitation, invitation.id).times_sent == 2
    client.post(f"/manage/invitations/{invitation.id}/revoke", data={"csrf_token": token})
    assert "wu.fang@example.cn" not in client.get("/manage/invitations").text.split("<table")[1]
    assert db.session.scalar(sa.select(sa.func.count(OutgoingMail.id))) == 2


def test_the_invitation_form_says_when_the_address_has_an_account(app: Flask, signed_in) -> None:
    client, _manager = signed_in(Role.MANAGER)
    tenant = make_user(email="tenant@hunengtech.example.cn", name="周杰")
    db.session.commit()
    page = client.get("/manage/invitations/new")
    response = client.post(
        "/manage/invitations/new",
        data={
            "email": "tenant@hunengtech.example.cn",
            "role": "tenant",
            "company_id": tenant.company_id,
            "language": "zh_CN",
            "csrf_token": csrf_token(page.text),
        },
    )
    assert response.status_code == 200
    assert "该邮箱已有账户" in response.text
    assert f"/manage/people/{tenant.id}/edit" in response.text
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 0


def test_an_english_invitation_opens_in_english(app: Flask, inbox: Inbox) -> None:
    invite(make_user(role=Role.MANAGER), email="david.chen@example.com", language="en")
    send(app)
    path = link_path(inbox.messages()[0][1].get_body().get_content(), "invitation")
    page = app.test_client().get(path)
    assert "Create your account" in page.text and 'lang="en"' in page.text


def test_a_manager_mails_a_person_a_link_to_choose_a_new_password(
    app: Flask, inbox: Inbox, signed_in
) -> None:
    client, _manager = signed_in(Role.MANAGER)
    tenant = make_user(email="sun.li@example.cn")
    db.session.commit()
    page = client.get(f"/manage/people/{tenant.id}/edit")
    assert "密码" in page.text and 'name="password"' not in page.text  # nobody types it
    response = client.post(
        f"/manage/people/{tenant.id}/send-password-link", data={"csrf_token": csrf_token(page.text)}
    )
    assert response.status_code == 302
    send(app)
    ((to, message),) = inbox.messages()
    assert to == ["sun.li@example.cn"]
    assert "/auth/reset/" in message.get_body().get_content()


def test_the_audit_log_tells_who_invited_whom(app: Flask, signed_in) -> None:
    client, manager = signed_in(Role.MANAGER)
    invitation = invite(manager, email="gao.yan@example.cn")
    invitations.revoke(manager, invitation)
    db.session.commit()
    page = client.get("/manage/audit").text
    assert f"{manager.name} 发出了 对 gao.yan@example.cn 的邀请" in page
    assert f"{manager.name} 撤销了 对 gao.yan@example.cn 的邀请" in page
