"""Absolute links to the app's pages, for mails and calendar subscriptions.

They start from the ``PUBLIC_URL`` setting (``https://czg.example.cn``, or with a path when the
app is served under one), never from a request's Host header: a mail is written by the worker
outside any request, and a header is whatever the client sent.
"""

import logging
from urllib.parse import SplitResult, urlsplit

from flask import Flask, current_app

logger = logging.getLogger(__name__)


def public_base(value: str) -> SplitResult | None:
    """``PUBLIC_URL`` taken apart; None when unset. Raises ValueError when it is no http(s) URL."""
    if not value:
        return None
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(
            f"PUBLIC_URL must be where people reach the app, such as https://czg.example.cn; "
            f"not {value!r}"
        )
    return parts


def check_public_url(app: Flask) -> None:
    """Refuse a malformed ``PUBLIC_URL``; warn (once per app) when mails can carry no links."""
    if public_base(app.config["PUBLIC_URL"]) is None:
        app.logger.warning(
            "PUBLIC_URL is not set (APP_PUBLIC_URL=https://…): mails say where to find a page "
            "in the app instead of linking to it."
        )


def page_url(endpoint: str, **values: object) -> str | None:
    """The page's absolute URL under ``PUBLIC_URL``; None when the setting is empty."""
    base = public_base(current_app.config["PUBLIC_URL"])
    if base is None:
        return None
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path.rstrip("/") or "/", url_scheme=base.scheme
    )
    return str(adapter.build(endpoint, values, force_external=True))
