"""Who may reach which route: every rule of the app, for anonymous, a tenant and a manager.

The routes come from ``app.url_map``; each (endpoint, method) must have a row in ``EXPECTED``,
so a new route fails here until someone decides who may reach it. Pages answer the signed-in
browser; the API answers bearer tokens (it never reads the session cookie). Requests carry a
CSRF token and nothing else, so they show who gets in, not what a filled-in form would do.
"""

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.models import Closure, Notification, Role, SpaceKind
from app.services import ical, invitations, tokens
from app.sqltypes import utcnow
from app.web import today_local
from tests.conftest import csrf_token, sign_in
from tests.fixtures.bookings import insert_booking, meeting_room
from tests.fixtures.factories import make_company, make_lease, make_space, make_user

LOGIN = "login"  # a redirect to the sign-in page
WHO = ("anonymous", "tenant", "manager")
SIGN_OUT = "auth.logout"  # ends the session: asked last

# (endpoint, method): what anonymous, a tenant of the company and a manager get. LOGIN is a
# redirect to the sign-in page; 302 a redirect back after the action (or its refusal); 200 a
# page, often the form again with its errors; 400/422/409 the API refusing an empty request.
EXPECTED: dict[tuple[str, str], tuple[Any, Any, Any]] = {
    # Signing in and out, the password, the language.
    ("auth.login", "GET"): (200, 302, 302),  # signed in already: to the start page
    ("auth.login", "POST"): (200, 200, 200),
    ("auth.logout", "POST"): (LOGIN, LOGIN, LOGIN),
    ("auth.password", "GET"): (LOGIN, 200, 200),
    ("auth.password", "POST"): (LOGIN, 200, 200),
    ("auth.language", "POST"): (302, 302, 302),
    ("auth.forgot_password", "GET"): (200, 200, 200),
    ("auth.forgot_password", "POST"): (200, 200, 200),  # no address given
    ("auth.accept_invitation", "GET"): (404, 404, 404),  # not an invitation's secret
    ("auth.accept_invitation", "POST"): (404, 404, 404),
    ("auth.reset_password", "GET"): (404, 404, 404),  # not a reset link's secret
    ("auth.reset_password", "POST"): (404, 404, 404),
    # The tenant's pages (managers use them too, for any company).
    ("portal.home", "GET"): (LOGIN, 200, 302),  # managers go on to the console
    ("portal.company", "GET"): (LOGIN, 200, 404),  # managers belong to no company
    ("portal.profile", "GET"): (LOGIN, 200, 200),
    ("portal.create_token", "POST"): (LOGIN, 302, 302),  # back to the profile, errors or not
    ("portal.revoke_token", "POST"): (LOGIN, 302, 404),  # the tenant's token, not the manager's
    ("portal.find", "GET"): (LOGIN, 200, 200),
    ("portal.timeline", "GET"): (LOGIN, 200, 200),
    ("portal.week", "GET"): (LOGIN, 200, 200),
    ("portal.book", "GET"): (LOGIN, 200, 200),
    ("portal.book", "POST"): (LOGIN, 200, 200),
    ("portal.bookings", "GET"): (LOGIN, 200, 200),
    ("portal.booking", "GET"): (LOGIN, 200, 200),
    ("portal.booking_ics", "GET"): (LOGIN, 200, 200),
    ("portal.cancel", "POST"): (LOGIN, 302, 302),
    ("portal.change", "GET"): (LOGIN, 200, 200),
    ("portal.change", "POST"): (LOGIN, 200, 200),  # the form again: nothing filled in
    ("portal.check_in", "POST"): (LOGIN, 302, 302),
    ("portal.statement", "GET"): (LOGIN, 200, 200),
    ("portal.feeds", "GET"): (LOGIN, 200, 200),
    ("portal.issue_company_feed", "POST"): (LOGIN, 302, 302),
    ("portal.issue_space_feed", "POST"): (LOGIN, 302, 302),
    ("portal.feed", "GET"): (200, 200, 200),  # calendar apps cannot sign in: the secret is the key
    ("portal.door_display", "GET"): (404, 404, 404),  # a tablet: no key in the URL, no page
    ("portal.notifications", "GET"): (LOGIN, 200, 200),
    ("portal.mark_read", "POST"): (LOGIN, 302, 302),
    ("portal.mark_all_read", "POST"): (LOGIN, 302, 302),
    ("portal.save_preferences", "POST"): (LOGIN, 302, 302),
    # The console: managers and admins only.
    ("manage.dashboard", "GET"): (LOGIN, 403, 200),
    ("manage.approvals", "GET"): (LOGIN, 403, 200),
    ("manage.approvals_decide", "POST"): (LOGIN, 403, 302),
    ("manage.calendar", "GET"): (LOGIN, 403, 200),
    ("manage.booking_cancel", "POST"): (LOGIN, 403, 302),
    ("manage.companies", "GET"): (LOGIN, 403, 200),
    ("manage.company", "GET"): (LOGIN, 403, 200),
    ("manage.company_new", "GET"): (LOGIN, 403, 200),
    ("manage.company_new", "POST"): (LOGIN, 403, 200),
    ("manage.company_edit", "GET"): (LOGIN, 403, 200),
    ("manage.company_edit", "POST"): (LOGIN, 403, 302),  # nothing sent: saved as it was
    ("manage.people", "GET"): (LOGIN, 403, 200),
    ("manage.invite", "GET"): (LOGIN, 403, 200),
    ("manage.invite", "POST"): (LOGIN, 403, 200),
    ("manage.invitations", "GET"): (LOGIN, 403, 200),
    ("manage.invitation_resend", "POST"): (LOGIN, 403, 302),
    ("manage.invitation_revoke", "POST"): (LOGIN, 403, 302),
    ("manage.person_password_link", "POST"): (LOGIN, 403, 302),
    ("manage.person_edit", "GET"): (LOGIN, 403, 200),
    ("manage.person_edit", "POST"): (LOGIN, 403, 302),
    ("manage.zones", "GET"): (LOGIN, 403, 200),
    ("manage.zone_edit", "GET"): (LOGIN, 403, 200),
    ("manage.zone_edit", "POST"): (LOGIN, 403, 200),
    ("manage.spaces", "GET"): (LOGIN, 403, 200),
    ("manage.space_new", "GET"): (LOGIN, 403, 200),
    ("manage.space_new", "POST"): (LOGIN, 403, 200),
    ("manage.space_edit", "GET"): (LOGIN, 403, 200),
    ("manage.space_edit", "POST"): (LOGIN, 403, 200),
    ("manage.door_display_issue", "POST"): (LOGIN, 403, 200),  # the new address, shown once
    ("manage.leases", "GET"): (LOGIN, 403, 200),
    ("manage.lease_new", "GET"): (LOGIN, 403, 200),
    ("manage.lease_new", "POST"): (LOGIN, 403, 200),
    ("manage.lease_edit", "GET"): (LOGIN, 403, 200),
    ("manage.lease_edit", "POST"): (LOGIN, 403, 302),
    ("manage.imports", "GET"): (LOGIN, 403, 200),
    ("manage.import_template", "GET"): (LOGIN, 403, 200),
    ("manage.import_preview", "POST"): (LOGIN, 403, 200),  # no file: the page says so
    ("manage.import_confirm", "POST"): (LOGIN, 403, 302),  # no such upload: back to import
    ("manage.closures", "GET"): (LOGIN, 403, 200),
    ("manage.closures", "POST"): (LOGIN, 403, 200),
    ("manage.closures_import", "POST"): (LOGIN, 403, 302),
    ("manage.closure", "GET"): (LOGIN, 403, 200),
    ("manage.closure_delete", "POST"): (LOGIN, 403, 302),
    ("manage.working_calendar", "GET"): (LOGIN, 403, 200),
    ("manage.working_calendar", "POST"): (LOGIN, 403, 200),
    ("manage.working_day", "GET"): (LOGIN, 403, 200),
    ("manage.working_day_withdraw", "POST"): (LOGIN, 403, 302),
    ("manage.policies", "GET"): (LOGIN, 403, 200),
    ("manage.policies", "POST"): (LOGIN, 403, 200),
    ("manage.reports_page", "GET"): (LOGIN, 403, 200),
    ("manage.report_download", "GET"): (LOGIN, 403, 200),
    ("manage.audit", "GET"): (LOGIN, 403, 200),
    # The API: bearer tokens only; a few routes are public.
    ("api.healthz", "GET"): (200, 200, 200),
    ("api.openapi", "GET"): (200, 200, 200),
    ("api.issue_token", "POST"): (400, 400, 400),  # public: no e-mail and password sent
    ("api.me", "GET"): (401, 200, 200),
    ("api.zones", "GET"): (401, 200, 200),
    ("api.spaces", "GET"): (401, 200, 200),
    ("api.availability", "GET"): (401, 400, 400),  # no date asked for
    ("api.free_spaces", "GET"): (401, 400, 400),  # no slot asked for
    ("api.list_bookings", "GET"): (401, 200, 200),
    ("api.create_booking", "POST"): (401, 400, 400),
    ("api.get_booking", "GET"): (401, 200, 200),
    ("api.change_booking", "PATCH"): (401, 400, 400),  # no body
    ("api.booking_ics", "GET"): (401, 200, 200),
    ("api.cancel_booking", "POST"): (401, 200, 422),  # a manager must say why
    ("api.check_in_booking", "POST"): (401, 422, 422),  # days before its window
    ("api.approve_booking", "POST"): (401, 403, 409),  # confirmed already
    ("api.reject_booking", "POST"): (401, 400, 400),  # no reason given
    ("api.calendar_days", "GET"): (401, 200, 200),
    ("api.declare_day", "PUT"): (401, 400, 400),
    ("api.withdraw_day", "DELETE"): (401, 403, 200),
    ("api.bookings_report", "GET"): (401, 200, 200),  # a tenant gets its company's bookings
    ("api.utilization_report", "GET"): (401, 403, 200),
    ("api.area_occupancy_report", "GET"): (401, 403, 200),
    ("api.audit_entries", "GET"): (401, 403, 200),
}


def route_table(app: Flask) -> dict[tuple[str, str], str]:
    """Every (endpoint, method) the app answers, with its rule; OPTIONS and HEAD are Flask's."""
    return {
        (rule.endpoint, method): rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
    }


def test_every_route_has_a_row_and_every_row_a_route(app) -> None:
    routes = set(route_table(app))
    assert sorted(routes - EXPECTED.keys()) == [], "routes nobody decided access for"
    assert sorted(EXPECTED.keys() - routes) == [], "rows of routes that no longer exist"


@pytest.fixture
def world(app) -> dict[str, Any]:
    """A company with a tenant, a leased office, a bookable room with a booking, a closure,
    tokens and a notification; a manager; a feed of someone else's. Values for the URLs."""
    company = make_company(name="四川越成科技有限公司")
    tenant = make_user(role=Role.TENANT, company=company)
    manager = make_user(role=Role.MANAGER)
    outsider = make_user(role=Role.TENANT, company=make_company())
    lease = make_lease(company=company, space=make_space(kind=SpaceKind.OFFICE))
    room = meeting_room(code="MTG-101")
    soon = utcnow() + timedelta(days=3)
    booking = insert_booking(room, company, tenant, soon, soon + timedelta(hours=1))
    closure = Closure(space=room, start_at=soon, end_at=soon + timedelta(hours=2), reason="检修")
    notification = Notification(user=tenant, event="confirmed", title="预订成功", body="")
    db.session.add_all([closure, notification])
    tenant_secret, _token = tokens.issue_token(tenant, "门禁")
    _revocable_secret, revocable = tokens.issue_token(tenant, "旧的")
    manager_secret, _token = tokens.issue_token(manager, "报表")
    feed_secret, _feed = ical.issue_space_feed(outsider, room)
    invitation = invitations.invite(
        manager,
        email="new.tenant@example.cn",
        role=Role.TENANT,
        company_id=company.id,
        language="zh_CN",
    )
    db.session.commit()
    return {
        "tenant": tenant,
        "manager": manager,
        "bearer": {"tenant": tenant_secret, "manager": manager_secret},
        "values": {
            "booking_id": booking.id,
            "company_id": company.id,
            "lease_id": lease.id,
            "space_id": room.id,
            "zone_id": room.zone_id,
            "user_id": tenant.id,
            "closure_id": closure.id,
            "token_id": revocable.id,
            "notification_id": notification.id,
            "invitation_id": invitation.id,
            "secret": feed_secret,
            "day": (today_local() + timedelta(days=30)).isoformat(),
            "name": "utilization",
            "fmt": "csv",
            "kind": "companies",
            "token": "A" * 32,
            "space_code": room.code,
        },
    }


def _client(app: Flask, world: dict[str, Any], who: str) -> FlaskClient:
    client = app.test_client()
    if who != "anonymous":
        assert sign_in(client, world[who]).status_code == 302
    return client


def _ask(
    client: FlaskClient, method: str, path: str, token: str | None, csrf: str
) -> tuple[int, str]:
    if path.startswith("/api/"):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        body = None if method in ("GET", "DELETE") else {}
        response = client.open(path, method=method, headers=headers, json=body, buffered=True)
    else:
        response = client.open(path, method=method, data={"csrf_token": csrf}, buffered=True)
    return response.status_code, response.headers.get("Location", "")


def outcome(status: int, location: str) -> Any:
    """The status, or LOGIN for a redirect to the sign-in page."""
    return LOGIN if status == 302 and location.startswith("/auth/login") else status


@pytest.mark.parametrize("who", WHO)
def test_who_reaches_each_route(app, world, who) -> None:
    client = _client(app, world, who)
    csrf = csrf_token(client.get("/auth/login" if who == "anonymous" else "/profile").text)
    token = world["bearer"].get(who)
    urls = app.url_map.bind("localhost")
    column = WHO.index(who)
    # Reading first, then writing; signing out last of all.
    order = sorted(route_table(app), key=lambda key: (key[0] == SIGN_OUT, key[1] != "GET", key))
    wrong = {}
    for endpoint, method in order:
        path = urls.build(endpoint, world["values"], method=method, append_unknown=False)
        got = outcome(*_ask(client, method, path, token, csrf))
        expected = EXPECTED.get((endpoint, method), ("?", "?", "?"))[column]
        if got != expected:
            wrong[(endpoint, method)] = (path, got, expected)
    assert wrong == {}


def test_tenant_sees_only_their_own_company(app, signed_in) -> None:
    make_company(name="四川越成科技有限公司")
    other = make_company(name="乐山晶硅新材料科技有限公司")
    client, _user = signed_in(Role.TENANT, company=other)
    page = client.get("/company").text
    assert "乐山晶硅新材料科技有限公司" in page
    assert "四川越成科技有限公司" not in page


@pytest.mark.parametrize(("who", "status"), [("manager", 403), ("admin", 200)])
def test_only_admins_manage_managers(app, signed_in, who, status) -> None:
    manager = make_user(role=Role.MANAGER)
    admin = make_user(role=Role.ADMIN)
    db.session.commit()
    client, _user = signed_in(Role(who))
    assert client.get(f"/manage/people/{manager.id}/edit").status_code == status
    assert client.get(f"/manage/people/{admin.id}/edit").status_code == status


def test_admins_reach_the_console_like_managers(app, signed_in) -> None:
    client, _user = signed_in(Role.ADMIN)
    for path in ("/manage/", "/manage/approvals", "/manage/people", "/manage/policies"):
        assert client.get(path).status_code == 200


def test_options_is_answered_without_signing_in(client) -> None:
    response = client.options("/manage/companies")
    assert response.status_code == 200
    assert "GET" in response.headers["Allow"]


def test_healthz_reports_the_database(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_unknown_pages_are_a_translated_404(client) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "<html" in response.text
