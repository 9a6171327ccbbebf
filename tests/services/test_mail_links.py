"""Mails link to the page they are about, under PUBLIC_URL; without it they say where to look."""

import logging
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from flask import Flask

from app.extensions import db
from app.models import Role
from app.sqltypes import utcnow
from app.web import today_local
from tests.conftest import sign_in
from tests.fixtures.bookings import DAY, World, book, local, make_world, next_working_day
from tests.fixtures.factories import make_lease, make_user
from tests.fixtures.servers import Inbox
from tests.services.test_notifications import send

PUBLIC_URL = "https://czg.example.cn"
START, END = local(DAY, "10:00"), local(DAY, "11:00")


@pytest.fixture
def public(app: Flask, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setitem(app.config, "PUBLIC_URL", PUBLIC_URL)
    return PUBLIC_URL


@pytest.fixture
def world(app: Flask) -> World:
    found = make_world()
    db.session.commit()
    return found


def mails(inbox: Inbox) -> dict[str, str]:
    """Each recipient's mail text."""
    return {to[0]: message.get_body().get_content() for to, message in inbox.messages()}


def links(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)


def opened_by(app: Flask, user, url: str):
    """What ``user`` sees following ``url`` in the app, signed in."""
    client = app.test_client()
    assert sign_in(client, user).status_code == 302
    return client.get(urlsplit(url).path)


def test_a_confirmation_links_to_the_booking_page(
    app: Flask, world: World, inbox: Inbox, public: str
) -> None:
    (booking,) = book(world.tenant, world.room, START, END, title="季度复盘")
    db.session.commit()

    assert send(app).exit_code == 0

    text = mails(inbox)[world.tenant.email]
    page, settings = links(text)
    assert page == f"{public}/bookings/{booking.id}"
    assert f"在预订系统中查看：{page}" in text
    assert settings == f"{public}/notifications"
    response = opened_by(app, world.tenant, page)
    assert response.status_code == 200
    assert "季度复盘" in response.text and world.room.name in response.text


def test_a_request_links_managers_to_the_approvals_and_the_booker_to_the_booking(
    app: Flask, world: World, inbox: Inbox, public: str
) -> None:
    english = make_user(role=Role.MANAGER, locale="en")
    db.session.commit()
    # The queue lists requests still to come.
    day = next_working_day(today_local() + timedelta(days=3))
    start, end = local(day, "10:00"), local(day, "11:00")
    (booking,) = book(world.tenant, world.hall, start, end, title="产品发布会", now=utcnow())
    db.session.commit()

    assert send(app).exit_code == 0

    received = mails(inbox)
    assert links(received[world.tenant.email])[0] == f"{public}/bookings/{booking.id}"
    for manager in (world.manager, english):
        queue = links(received[manager.email])[0]
        assert queue == f"{public}/manage/approvals"
        response = opened_by(app, manager, queue)
        assert response.status_code == 200 and "产品发布会" in response.text
    assert f"Open it in the booking app: {public}/manage/approvals" in received[english.email]


def test_a_lease_ending_links_the_company_to_its_page_and_managers_to_theirs(
    app: Flask, world: World, inbox: Inbox, public: str
) -> None:
    lease = make_lease(company=world.company, ends_on=today_local() + timedelta(days=20))
    db.session.commit()

    assert "2 lease notices" in send(app).output  # the company's and the manager's

    received = mails(inbox)
    tenant_page = links(received[world.tenant.email])[0]
    manager_page = links(received[world.manager.email])[0]
    assert tenant_page == f"{public}/company"
    assert manager_page == f"{public}/manage/companies/{world.company.id}"
    for user, url in ((world.tenant, tenant_page), (world.manager, manager_page)):
        response = opened_by(app, user, url)
        assert response.status_code == 200 and lease.space.code in response.text


def test_a_public_url_with_a_path_keeps_it(
    app: Flask, world: World, inbox: Inbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://www.example.cn/czg/")
    (booking,) = book(world.tenant, world.room, START, END)
    db.session.commit()

    send(app)

    assert links(mails(inbox)[world.tenant.email])[0] == (
        f"https://www.example.cn/czg/bookings/{booking.id}"
    )


def test_without_a_public_url_mails_say_where_to_look(
    app: Flask, world: World, inbox: Inbox
) -> None:
    assert app.config["PUBLIC_URL"] == ""
    english = make_user(role=Role.TENANT, company=world.company, locale="en")
    db.session.commit()
    book(world.tenant, world.room, START, END)
    book(english, world.room, local(DAY, "14:00"), local(DAY, "15:00"))
    db.session.commit()

    send(app)

    received = mails(inbox)
    assert "在创智谷预订系统的“我的预订”中查看。" in received[world.tenant.email]
    assert (
        "You find it under “My bookings” in the Chuangzhigu booking app." in received[english.email]
    )
    assert links(received[world.tenant.email]) == links(received[english.email]) == []


def test_without_a_public_url_the_start_warns_once(other_app, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="app"):
        other_app(PUBLIC_URL="")
    warnings = [record for record in caplog.records if "PUBLIC_URL" in record.getMessage()]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="app"):
        other_app(PUBLIC_URL=PUBLIC_URL)
    assert [r for r in caplog.records if "PUBLIC_URL" in r.getMessage()] == []


@pytest.mark.parametrize("value", ["czg.example.cn", "ftp://czg.example.cn", "https://"])
def test_a_malformed_public_url_stops_the_start(other_app, value: str) -> None:
    with pytest.raises(ValueError, match="PUBLIC_URL must be"):
        other_app(PUBLIC_URL=value)
