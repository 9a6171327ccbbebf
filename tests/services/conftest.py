"""Fixtures of the service tests that need a real server."""

from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

from tests.conftest import TEST_DATABASE_URL
from tests.fixtures.servers import Inbox, free_port

# Several app servers share one PostgreSQL; one SQLite file on one machine has no second server.
collect_ignore = [] if TEST_DATABASE_URL.startswith("postgresql") else ["test_several_servers.py"]


@pytest.fixture
def inbox(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """A real SMTP server on 127.0.0.1 that the mail worker sends to."""
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", controller.port)
    yield handler
    controller.stop()
