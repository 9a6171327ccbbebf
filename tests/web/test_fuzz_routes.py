"""Every route of ``app.url_map``, every parameter, every visitor: crafted input is never a 5xx.

The routes come from the URL map, so a new route is fuzzed as soon as it exists. Each route's
parameters are the names of the forms that point at it (read from the pages themselves, as a
browser would: inputs, selects, text areas and buttons, with the values they offer), plus the
generic ones any view might read (``GENERIC``). For each route and each visitor (anonymous, a
tenant of company A, a tenant of company B, a manager, an administrator), hypothesis sends:

- for the tenant of A and the manager, one request per kind of ``TYPED`` (years 1 and 9999, a
  20-digit number, a NUL): that value in every parameter of its type, the page's own values in
  the others, i.e. a form filled in properly except for one crafted kind of value;
- then ``RANDOM_EXAMPLES`` random requests (3 for those two, 2 for the others; ``FUZZ_EXAMPLES``
  raises them) with any subset of the parameters set to the values the page offers or to
  crafted ones: NUL and other control characters, years 1 and 9999, 20-digit and negative
  numbers, infinities, very long texts, several values for one name.

Pages get form fields (with a valid CSRF token, so the view itself is reached); the API gets
the same as query string and JSON body, with the visitor's bearer token. The walk is
derandomized (the same requests every run); about 2,300 requests, some 30 s on either database.

Any exception (the suite runs with ``TESTING``: an error propagates instead of becoming a 500
page) or a status of 500 or more fails, naming the route, the visitor and the input.
"""

import os
import time
from collections import defaultdict
from datetime import date, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException

from app.web.bounds import is_day
from tests.fixtures.access import (
    WHO,
    build_access_world,
    build_path,
    client_of,
    csrf_of,
    route_table,
    walk_order,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
BIG = "100000000000000000000"
# Names that views read from the query string or a form whether or not a page offers them.
GENERIC = (
    "page", "per_page", "q", "date", "day", "start", "end", "from", "to", "space_id",
    "company_id", "zone_id", "zone", "user_id", "booking_id", "status", "view", "year",
    "next", "title", "name", "reason", "attendees", "kind", "tab", "period", "group",
)  # fmt: skip
CRAFTED = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "%00",
    "\x01\x02\x1b",
    "\x7f",
    "\u0085",
    "\u200b",
    "\r\n",
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00",
    "9999-12-31T23:59:59",
    "2027-02-30",
    "2026-12-01T09:00:00+08:00",
    "23:59",
    "24:00",
    "-1",
    "0",
    "2147483648",
    "-2147483649",
    BIG,
    "-" + BIG,
    "9" * 5000,
    "1e400",
    "nan",
    "inf",
    "x" * 10_000,
    "四川" * 300,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "//evil.example/",
    "/\r\nSet-Cookie: a=b",
    "true",
    "null",
]


# The crafted inputs of the black-box report, each put in every parameter of its type while the
# others keep a value the page offers: a form filled in properly except for one kind of thing.
TYPED = {
    "year 1": ("date", "0001-01-01"),
    "year 9999": ("date", "9999-12-31"),
    "20 digits": ("number", BIG),
    "NUL": ("text", "a\x00b"),
}
DATE_NAMES = {"date", "day", "from", "to", "until", "start", "end"}
NUMBER_NAMES = {"page", "per_page", "year", "count", "attendees", "capacity", "people"}
EXPLICIT_FOR = ("tenant_a", "manager")  # the visitors whose requests reach deepest
# Random requests per route: the tenant of A and the manager reach deepest, the others get one
# fewer (FUZZ_EXAMPLES raises them all).
RANDOM_EXAMPLES = {who: EXAMPLES if who in EXPLICIT_FOR else max(1, EXAMPLES - 1) for who in WHO}


def type_of(name: str, offered: set[str]) -> str:
    """Whether a parameter holds a date, a whole number or a text, by its name and values."""
    values = offered - {""}
    if name in DATE_NAMES or name.endswith(("_on", "_day")) or any(map(is_day, values)):
        return "date"
    if name in NUMBER_NAMES or name.endswith("_id") or (values and all(map(is_number, values))):
        return "number"
    return "text"


def is_number(text: str) -> bool:
    return text.lstrip("-").isdigit()


def typed_examples(names: dict[str, set[str]]) -> list[dict[str, Any]]:
    """One request per crafted kind: its value in every parameter of its type, the page's
    own values in the others."""
    examples = []
    for kind, value in TYPED.values():
        params = {}
        for name, offered in names.items():
            if type_of(name, offered) == kind:
                params[name] = value
            elif offered - {""}:
                params[name] = sorted(offered - {""})[0]
        examples.append(params)
    return examples


class FormReader(HTMLParser):
    """The forms of a page: where each sends, how, and the names and values it offers."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, str, dict[str, set[str]]]] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "form":
            method = found.get("method", "get").upper()
            self.forms.append((found.get("action", ""), method, defaultdict(set)))
            return
        if not self.forms:
            return
        fields = self.forms[-1][2]
        if tag in ("input", "button", "textarea", "select") and found.get("name"):
            name = found["name"]
            fields[name].add(found.get("value", ""))
            self._select = name if tag == "select" else self._select
        elif tag == "option" and self._select:
            fields[self._select].add(found.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def offered_parameters(
    app: Flask, clients: list[FlaskClient], paths: list[str]
) -> dict[tuple[str, str], dict[str, set[str]]]:
    """(endpoint, method) → the names its forms send, each with the values the pages offer."""
    urls = app.url_map.bind("localhost")
    offered: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for client in clients:
        for path in paths:
            response = client.get(path, buffered=True)
            if "text/html" not in response.content_type:
                continue
            reader = FormReader()
            reader.feed(response.text)
            for action, method, fields in reader.forms:
                target = urlsplit(action).path or urlsplit(path).path
                try:
                    endpoint, _args = urls.match(target, method=method)
                except HTTPException:
                    continue
                for name, values in fields.items():
                    offered[(str(endpoint), method)][name] |= values
    return offered


def value_strategy(offered: set[str]) -> st.SearchStrategy[Any]:
    """One value of a parameter: offered by the page, crafted, or anything hypothesis makes."""
    one = st.one_of(
        st.sampled_from(sorted(offered or {""})),
        st.sampled_from(CRAFTED),
        st.text(max_size=40),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.dates().map(date.isoformat),
        st.datetimes().map(datetime.isoformat),
    )
    return st.one_of(one, st.lists(one, min_size=2, max_size=3))


def request_strategy(names: dict[str, set[str]]) -> st.SearchStrategy[dict[str, Any]]:
    """Any subset of the route's parameters, each with a value."""
    return st.fixed_dictionaries(
        {}, optional={name: value_strategy(values) for name, values in sorted(names.items())}
    )


def send(
    client: FlaskClient, method: str, path: str, params: dict[str, Any], csrf: str, token: str
) -> int:
    """One request as a browser (pages) or an API client would send it; its status."""
    path, _sep, query = path.partition("?")
    params = {**parse_qs(query), **params}  # what the route needs in its query string, if any
    if path.startswith("/api/"):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        body = None if method in ("GET", "DELETE") else params
        query = params if method in ("GET", "DELETE") else None
        response = client.open(
            path, method=method, headers=headers, json=body, query_string=query, buffered=True
        )
    elif method == "GET":
        response = client.open(path, method=method, query_string=params, buffered=True)
    else:
        data = {"csrf_token": csrf, **params}
        response = client.open(path, method=method, data=data, buffered=True)
    return response.status_code


class Walk:
    """The requests sent so far, and what went wrong."""

    def __init__(self) -> None:
        self.sent = 0
        self.failures: list[str] = []

    def check(
        self,
        client: FlaskClient,
        method: str,
        path: str,
        names: dict[str, set[str]],
        csrf: str,
        token: str,
        who: str,
    ) -> Any:
        """A hypothesis test of one route for one visitor: the typed examples, then random."""

        @settings(
            max_examples=RANDOM_EXAMPLES[who],
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(params=request_strategy(names))
        def answers_cleanly(params: dict[str, Any]) -> None:
            self.sent += 1
            try:
                status = send(client, method, path, params, csrf, token)
            except Exception as error:
                raise AssertionError(f"{type(error).__name__}: {error} for {params!r}") from error
            assert status < 500, f"{status} for {params!r}"

        for params in typed_examples(names) if who in EXPLICIT_FOR else []:
            answers_cleanly = example(params=params)(answers_cleanly)
        return answers_cleanly


def test_no_input_is_a_server_error_on_any_route_for_anyone(app: Flask) -> None:
    world = build_access_world()
    clients = {who: client_of(app, world, who) for who in WHO}
    csrf = {who: csrf_of(clients[who], who) for who in WHO}
    routes = walk_order(route_table(app))
    paths = {key: build_path(app, world, *key) for key in routes}
    pages = [path for (_endpoint, method), path in paths.items() if method == "GET"]
    offered = offered_parameters(app, [clients["manager"], clients["tenant_a"]], pages)
    generic: dict[str, set[str]] = {name: set() for name in GENERIC}
    walk, started, cpu = Walk(), time.monotonic(), time.process_time()
    for endpoint, method in routes:
        names = {**generic, **offered.get((endpoint, method), {})}
        names.pop("csrf_token", None)
        for who in WHO:
            path, token = paths[(endpoint, method)], world.bearer.get(who, "")
            try:
                walk.check(clients[who], method, path, names, csrf[who], token, who)()
            except Exception as error:  # noqa: BLE001 - every failure is collected and shown
                found = getattr(error, "exceptions", [error])  # hypothesis groups distinct ones
                walk.failures += [f"{method} {path} as {who}: {str(e)[-600:]}" for e in found]
    elapsed, used = time.monotonic() - started, time.process_time() - cpu
    print(
        f"\n{len(routes)} routes x {len(WHO)} visitors: {walk.sent} requests "
        f"in {elapsed:.1f} s ({used:.1f} s of CPU)"
    )
    assert not walk.failures, "\n".join(walk.failures)
