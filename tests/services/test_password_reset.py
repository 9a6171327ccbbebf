"""Forgotten passwords: the mail, the link, the new password; other sessions and tokens end."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from app.extensions import db, limiter
from app.models import OutgoingMail, PasswordReset
from app.services import password_resets, tokens
from app.sqltypes import utcnow
from tests.conftest import csrf_token, sign_in
from tests.fixtures.factories import make_user
from tests.fixtures.servers import Inbox

PUBLIC = "https://czg.example.cn"
NEW_PASSWORD = "乐山 大佛 看 日出 2026"


@pytest.fixture(autouse=True)
def public_url(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "PUBLIC_URL", PUBLIC)


def send(app: Flask) -> None:
    db.session.rollback()  # the worker starts its own write transaction
    result = app.test_cli_runner().invoke(args=["notifications", "send", "--once"])
    assert result.exit_code == 0, result.output


def ask(client, email: str, **environ: str):
    page = client.get("/auth/forgot")
    return client.post(
        "/auth/forgot",
        data={"email": email, "csrf_token": csrf_token(page.text)},
        environ_base=environ or {},
        follow_redirects=True,
    )


def reset_link(inbox: Inbox, number: int = -1) -> str:
    body = inbox.messages()[number][1].get_body().get_content()
    match = re.search(rf"{PUBLIC}(/auth/reset/[A-Za-z0-9_-]+)", body)
    assert match, body
    return match.group(1)


def choose(client, path: str, password: str = NEW_PASSWORD):
    page = client.get(path)
    return client.post(
        path,
        data={"password": password, "confirm": password, "csrf_token": csrf_token(page.text)},
    )


def test_the_mailed_link_sets_a_new_password_and_ends_every_other_session_and_token(
    app: Flask, inbox: Inbox
) -> None:
    user = make_user(email="zhou.jie@example.cn", name="周杰")
    secret, _token = tokens.issue_token(user, "门禁")
    db.session.commit()
    elsewhere = app.test_client()
    assert sign_in(elsewhere, user).status_code == 302
    api = {"Authorization": f"Bearer {secret}"}
    assert elsewhere.get("/api/v1/me", headers=api).status_code == 200

    client = app.test_client()
    answer = ask(client, "Zhou.Jie@example.cn")
    assert "如果 Zhou.Jie@example.cn 已有账户" in answer.text
    send(app)
    ((to, message),) = inbox.messages()
    assert to == ["zhou.jie@example.cn"]
    assert message["Subject"] == "设置创智谷预订系统的新密码"
    assert "60 分钟内有效" in message.get_body().get_content()
    path = reset_link(inbox)

    response = choose(client, path)
    assert response.status_code == 302
    assert "新密码已保存" in client.get(response.headers["Location"]).text
    assert client.get("/company").status_code == 200  # signed in here

    assert elsewhere.get("/company").status_code == 302  # signed out there
    assert elsewhere.get("/api/v1/me", headers=api).status_code == 401  # token dead
    assert choose(app.test_client(), path).status_code == 404  # the link worked once
    fresh = app.test_client()
    assert sign_in(fresh, user).status_code == 200  # the old password is gone
    assert sign_in(fresh, user, password=NEW_PASSWORD).status_code == 302


def test_an_unknown_address_gets_the_same_answer_and_no_mail(app: Flask, inbox: Inbox) -> None:
    make_user(email="known@example.cn")
    db.session.commit()
    known = ask(app.test_client(), "known@example.cn")
    unknown = ask(app.test_client(), "unknown@example.cn")
    assert known.status_code == unknown.status_code == 200

    def shown(html: str) -> str:
        return re.sub(r'value="[^"]*"', "", html).replace("unknown@", "X@").replace("known@", "X@")

    assert shown(known.text) == shown(unknown.text)
    send(app)
    assert [to for to, _message in inbox.messages()] == [["known@example.cn"]]


def test_an_expired_or_superseded_link_is_refused(app: Flask, inbox: Inbox) -> None:
    user = make_user()
    db.session.commit()
    password_resets.request_reset(user.email, now=utcnow() - timedelta(minutes=61))
    db.session.commit()
    send(app)
    expired = reset_link(inbox)
    page = app.test_client().get(expired)
    assert page.status_code == 404 and "该链接已失效" in page.text

    password_resets.request_reset(user.email)
    password_resets.request_reset(user.email)
    db.session.commit()
    send(app)
    older, newest = reset_link(inbox, 1), reset_link(inbox, 2)
    assert app.test_client().get(older).status_code == 404  # only the newest one works
    assert choose(app.test_client(), newest).status_code == 302


def test_the_new_password_follows_the_rules(app: Flask, inbox: Inbox) -> None:
    user = make_user(email="wang.fang@example.cn")
    db.session.commit()
    password_resets.request_reset(user.email)
    db.session.commit()
    send(app)
    path = reset_link(inbox)
    client = app.test_client()
    for password, says in [
        ("password", "这是最常见的密码之一"),
        ("short-1", "请至少使用 10 个字符"),
        ("wang.fang.2026!", "@ 前面的部分"),
    ]:
        response = choose(client, path, password)
        assert response.status_code == 200 and says in response.text
    assert db.session.scalar(sa.select(PasswordReset.used_at)) is None  # still usable
    assert choose(client, path).status_code == 302


@pytest.fixture
def limited(other_app):
    was = limiter.enabled
    built = other_app(
        RATELIMIT_ENABLED=True,
        PASSWORD_RESET_RATE_LIMIT="2 per hour",
        PASSWORD_RESET_IP_RATE_LIMIT="4 per hour",
        PUBLIC_URL=PUBLIC,
    )
    limiter.reset()
    yield built
    limiter.reset()
    limiter.enabled = was


def test_requests_are_limited_per_address_and_per_network_address(limited: Flask) -> None:
    client = limited.test_client()
    ip = {"REMOTE_ADDR": "10.0.0.1"}
    codes = [ask(client, "target@example.cn", **ip).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    # The address's allowance holds from any network address ...
    assert ask(client, "target@example.cn", REMOTE_ADDR="10.0.0.2").status_code == 429
    # ... and one network address cannot ask for many addresses.
    codes = [ask(client, f"other{n}@example.cn", **ip).status_code for n in range(3)]
    assert codes == [200, 200, 429]
    assert db.session.scalar(sa.select(sa.func.count(OutgoingMail.id))) == 0  # nobody known


def test_the_link_does_not_stay_in_the_mail_queue(app: Flask, inbox: Inbox) -> None:
    user = make_user()
    db.session.commit()
    password_resets.request_reset(user.email)
    db.session.commit()
    queued = db.session.scalars(sa.select(OutgoingMail.body)).one()
    assert "/auth/reset/" in queued  # until the worker has sent it
    send(app)
    path = reset_link(inbox)
    stored = db.session.scalars(sa.select(OutgoingMail)).one()
    assert path.rsplit("/", 1)[1] not in stored.body and stored.sent_at is not None
