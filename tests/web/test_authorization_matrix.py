"""Who may do what: every route and method of ``app.url_map``, for five visitors, on A's things.

The visitors are nobody (anonymous), a tenant of company A, a tenant of company B, a manager and
an administrator (``tests/fixtures/access.py``). Every URL is built with company A's objects: A's
booking, A's company, A's lease, A's tenant, A's notification, token and feed, an invitation to
A, a room with a closure. So a row says who reaches A's things, and the column of B says what
another company gets: never what A gets, for anything that is A's.

Pages are asked by a signed-in browser with a CSRF token and nothing else, the API with the
visitor's bearer token and an empty JSON body: a row shows who gets in, not what a filled-in
form does. Each visitor starts from a fresh database and walks the routes in one order (pages
first, then the actions, signing out last), so an action may see the effect of an earlier one
(a tenant who cancelled A's booking cannot check in to it any more).

Outcomes: ``LOGIN`` is a redirect to the sign-in page; ``302`` a redirect elsewhere (after the
action, or its refusal, or to the visitor's start page); any other number is the status.

**Adding a route.** A route or method without a row fails ``test_every_route_has_a_row``. Add
``("blueprint.endpoint", "METHOD"): (anonymous, tenant_a, tenant_b, manager, admin),`` to
``EXPECTED`` below, in its group, written from what each visitor *should* get (the failure
message shows what they get today: check it before copying it). If the route needs an id or
another URL value that the world does not have yet, add it to ``values`` in
``tests/fixtures/access.py`` (an object of company A). A row whose route is gone fails too.
"""

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.models import ApiToken, Booking, CalendarFeed, Company, Lease, Notification, User
from tests.fixtures.access import (
    WHO,
    AccessWorld,
    build_access_world,
    build_path,
    client_of,
    csrf_of,
    route_table,
    walk_order,
)

LOGIN = "login"

# (endpoint, method): (anonymous, tenant of A, tenant of B, manager, admin)
EXPECTED: dict[tuple[str, str], tuple[Any, Any, Any, Any, Any]] = {
    # Signing in and out, accounts, the language.
    ("auth.accept_invitation", "GET"): (404, 404, 404, 404, 404),  # a link nobody was sent
    ("auth.accept_invitation", "POST"): (404, 404, 404, 404, 404),
    ("auth.forgot_password", "GET"): (200, 200, 200, 200, 200),
    ("auth.forgot_password", "POST"): (200, 200, 200, 200, 200),
    ("auth.language", "POST"): (302, 302, 302, 302, 302),
    ("auth.login", "GET"): (200, 302, 302, 302, 302),  # signed in already: to the start page
    ("auth.login", "POST"): (200, 200, 200, 200, 200),
    ("auth.logout", "POST"): (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    ("auth.password", "GET"): (LOGIN, 200, 200, 200, 200),
    ("auth.password", "POST"): (LOGIN, 200, 200, 200, 200),
    ("auth.reset_password", "GET"): (404, 404, 404, 404, 404),  # a link nobody was sent
    ("auth.reset_password", "POST"): (404, 404, 404, 404, 404),
    # The tenant's pages (staff use them too, for any company).
    ("portal.booking_ics", "GET"): (LOGIN, 200, 403, 200, 200),
    ("portal.bookings", "GET"): (LOGIN, 200, 200, 200, 200),
    ("portal.booking", "GET"): (LOGIN, 200, 403, 200, 200),  # B may not see A's booking
    ("portal.book", "GET"): (LOGIN, 200, 200, 200, 200),
    ("portal.book", "POST"): (LOGIN, 200, 200, 200, 200),
    ("portal.cancel", "POST"): (LOGIN, 302, 403, 302, 302),
    ("portal.change", "GET"): (LOGIN, 200, 403, 200, 200),
    ("portal.change", "POST"): (LOGIN, 302, 403, 200, 200),  # staff: the empty form again
    ("portal.check_in", "POST"): (LOGIN, 302, 403, 302, 302),
    ("portal.company", "GET"): (LOGIN, 200, 200, 404, 404),  # staff belong to no company
    ("portal.create_token", "POST"): (LOGIN, 302, 302, 302, 302),
    ("portal.door_display", "GET"): (200, 200, 200, 200, 200),  # the tablet's key is the way in
    ("portal.feeds", "GET"): (LOGIN, 200, 200, 200, 200),
    # calendar apps cannot sign in: the secret is the key
    ("portal.feed", "GET"): (200, 200, 200, 200, 200),
    ("portal.find", "GET"): (LOGIN, 200, 200, 200, 200),
    ("portal.home", "GET"): (LOGIN, 200, 200, 302, 302),  # staff go on to the console
    # A's feed: A and staff only
    ("portal.issue_company_feed", "POST"): (LOGIN, 302, 403, 302, 302),
    # each person's own feed of the room's busy times
    ("portal.issue_space_feed", "POST"): (LOGIN, 302, 302, 302, 302),
    ("portal.mark_all_read", "POST"): (LOGIN, 302, 302, 302, 302),
    # marks only the visitor's own notifications
    ("portal.mark_read", "POST"): (LOGIN, 302, 302, 302, 302),
    ("portal.notifications", "GET"): (LOGIN, 200, 200, 200, 200),
    ("portal.profile", "GET"): (LOGIN, 200, 200, 200, 200),
    ("portal.revoke_token", "POST"): (LOGIN, 302, 404, 404, 404),  # only A's tenant holds the token
    ("portal.save_preferences", "POST"): (LOGIN, 302, 302, 302, 302),
    ("portal.statement", "GET"): (LOGIN, 200, 200, 200, 200),
    ("portal.timeline", "GET"): (LOGIN, 200, 200, 200, 200),
    ("portal.week", "GET"): (LOGIN, 200, 200, 200, 200),
    # The console: managers and administrators only.
    ("manage.approvals_decide", "POST"): (LOGIN, 403, 403, 302, 302),
    ("manage.approvals", "GET"): (LOGIN, 403, 403, 200, 200),
    ("manage.audit", "GET"): (LOGIN, 403, 403, 200, 200),
    ("manage.booking_cancel", "POST"): (LOGIN, 403, 403, 302, 302),
    ("manage.calendar", "GET"): (LOGIN, 403, 403, 200, 200),
    ("manage.closure_delete", "POST"): (LOGIN, 403, 403, 302, 302),
    ("manage.closures_import", "POST"): (LOGIN, 403, 403, 302, 302),
    ("manage.closures", "GET"): (LOGIN, 403, 403, 200, 200),
    ("manage.closures", "POST"): (LOGIN, 403, 403, 200, 200),
    ("manage.closure", "GET"): (LOGIN, 403, 403, 200, 200),
    ("manage.companies", "GET"): (LOGIN, 403, 403, 200, 200),
    ("manage.company_edit", "GET"): (LOGIN, 403, 403, 200, 200),
    ("manage.company_edit", "POST"): (LOGIN, 403, 403, 302, 302),
    ("manage.company_new", "GET"): (LOGIN, 403, 403, 200, 200),
    ("manage.company_new", "POST"): (LOGIN, 403, 403, 200, 200),
    ("manage.company", "GET"): (LOGIN, 403, 403, 200, 200),
    ("manage.dashboard", "GET"): (LOGIN, 403, 403, 200, 200),
    ("manage.door_display_issue", "POST"): (LOGIN, 403, 403, 200, 200),
    # an unknown upload: back to the imports page
    ("manage.import_confirm", "POST"): (LOGIN, 403, 403, 302, 302),
    ("manage.import_preview", "POST"): (LOGIN, 403, 403, 200, 200),
    ("manage.import_template", "GET"): (LOGIN, 403, 403, 200, 200),
    ("manage.imports", "GET"): (LOGIN, 403, 403, 200, 200),
    ("manage.invitation_resend", "POST"): (LOGIN, 403, 403, 302, 302),
    ("manage.invitation_revoke", "POST"): (LOGIN, 403, 403, 302, 302),
    ("manage.invitations", "GET"): (LOGIN, 403, 403, 200, 200),
    ("manage.invite", "GET"): (LOGIN, 403, 403, 200, 200),
    ("manage.invite", "POST"): (LOGIN, 403, 403, 200, 200),
    ("manage.lease_edit", "GET"): (LOGIN, 403, 403, 200, 200),
    ("manage.lease_edit", "POST"): (LOGIN, 403, 403, 302, 302),
    ("manage.lease_new", "GET"): (LOGIN, 403, 403, 200, 200),
    ("manage.lease_new", "POST"): (LOGIN, 403, 403, 200, 200),
    ("manage.leases", "GET"): (LOGIN, 403, 403, 200, 200),
    ("manage.people", "GET"): (LOGIN, 403, 403, 200, 200),
    ("manage.person_edit", "GET"): (LOGIN, 403, 403, 200, 200),
    ("manage.person_edit", "POST"): (LOGIN, 403, 403, 302, 302),
    ("manage.person_password_link", "POST"): (LOGIN, 403, 403, 302, 302),
    ("manage.policies", "GET"): (LOGIN, 403, 403, 200, 200),
    ("manage.policies", "POST"): (LOGIN, 403, 403, 200, 200),
    ("manage.report_download", "GET"): (LOGIN, 403, 403, 200, 200),
    ("manage.reports_page", "GET"): (LOGIN, 403, 403, 200, 200),
    ("manage.space_edit", "GET"): (LOGIN, 403, 403, 200, 200),
    ("manage.space_edit", "POST"): (LOGIN, 403, 403, 200, 200),
    ("manage.space_new", "GET"): (LOGIN, 403, 403, 200, 200),
    ("manage.space_new", "POST"): (LOGIN, 403, 403, 200, 200),
    ("manage.spaces", "GET"): (LOGIN, 403, 403, 200, 200),
    ("manage.working_calendar", "GET"): (LOGIN, 403, 403, 200, 200),
    ("manage.working_calendar", "POST"): (LOGIN, 403, 403, 200, 200),
    ("manage.working_day_withdraw", "POST"): (LOGIN, 403, 403, 302, 302),
    ("manage.working_day", "GET"): (LOGIN, 403, 403, 200, 200),
    ("manage.zone_edit", "GET"): (LOGIN, 403, 403, 200, 200),
    ("manage.zone_edit", "POST"): (LOGIN, 403, 403, 200, 200),
    ("manage.zones", "GET"): (LOGIN, 403, 403, 200, 200),
    # The API: bearer tokens only; a few routes are public.
    ("api.approve_booking", "POST"): (401, 403, 403, 409, 409),  # confirmed already
    ("api.area_occupancy_report", "GET"): (401, 403, 403, 200, 200),
    ("api.audit_entries", "GET"): (401, 403, 403, 200, 200),
    ("api.availability", "GET"): (401, 400, 400, 400, 400),  # no date asked for
    ("api.booking_ics", "GET"): (401, 200, 403, 200, 200),
    # a tenant gets its own company's bookings
    ("api.bookings_report", "GET"): (401, 200, 200, 200, 200),
    ("api.calendar_days", "GET"): (401, 200, 200, 200, 200),
    ("api.cancel_booking", "POST"): (401, 200, 403, 422, 422),  # staff must say why
    # the closure over A's booking now conflicts
    ("api.change_booking", "PATCH"): (401, 409, 403, 200, 200),
    ("api.check_in_booking", "POST"): (401, 422, 403, 422, 422),  # days before its window
    ("api.create_booking", "POST"): (401, 400, 400, 400, 400),
    ("api.declare_day", "PUT"): (401, 400, 400, 400, 400),
    ("api.free_spaces", "GET"): (401, 400, 400, 400, 400),  # no slot asked for
    ("api.get_booking", "GET"): (401, 200, 403, 200, 200),
    ("api.healthz", "GET"): (200, 200, 200, 200, 200),
    ("api.issue_token", "POST"): (400, 400, 400, 400, 400),  # public: no e-mail and password sent
    # a tenant gets its own company's bookings
    ("api.list_bookings", "GET"): (401, 200, 200, 200, 200),
    ("api.me", "GET"): (401, 200, 200, 200, 200),
    ("api.openapi", "GET"): (200, 200, 200, 200, 200),
    # no reason given (checked before the permission)
    ("api.reject_booking", "POST"): (401, 403, 403, 409, 409),  # confirmed already
    ("api.spaces", "GET"): (401, 200, 200, 200, 200),
    ("api.utilization_report", "GET"): (401, 403, 403, 200, 200),
    ("api.withdraw_day", "DELETE"): (401, 403, 403, 200, 200),
    ("api.zones", "GET"): (401, 200, 200, 200, 200),
}


def outcome(status: int, location: str) -> Any:
    """The status, or LOGIN for a redirect to the sign-in page."""
    return LOGIN if status == 302 and location.startswith("/auth/login") else status


def ask(
    client: FlaskClient, method: str, path: str, token: str | None, csrf: str
) -> tuple[int, str]:
    """Send the route an empty request, as a browser (pages) or an API client would."""
    if path.startswith("/api/") or path == "/healthz":
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        body = None if method in ("GET", "DELETE") else {}
        response = client.open(path, method=method, headers=headers, json=body, buffered=True)
    else:
        response = client.open(path, method=method, data={"csrf_token": csrf}, buffered=True)
    return response.status_code, response.headers.get("Location", "")


def walk(app: Flask, world: AccessWorld, who: str) -> dict[tuple[str, str], tuple[str, Any]]:
    """Every route as ``who``: (endpoint, method) → (path, outcome)."""
    client = client_of(app, world, who)
    csrf, token = csrf_of(client, who), world.bearer.get(who)
    found = {}
    for endpoint, method in walk_order(route_table(app)):
        path = build_path(app, world, endpoint, method)
        found[(endpoint, method)] = (path, outcome(*ask(client, method, path, token, csrf)))
    return found


def test_every_route_has_a_row_and_every_row_a_route(app) -> None:
    routes = set(route_table(app))
    missing = sorted(routes - EXPECTED.keys())
    assert missing == [], "routes nobody decided access for (see the docstring): " + ", ".join(
        f"{endpoint} {method}" for endpoint, method in missing
    )
    assert sorted(EXPECTED.keys() - routes) == [], "rows of routes that no longer exist"


def company_a_state(world: AccessWorld) -> dict[str, Any]:
    """What company A would notice if someone else changed its things."""
    db.session.rollback()  # see what the requests committed
    values = world.values
    booking = db.session.get(Booking, values["booking_id"])
    company = db.session.get(Company, values["company_id"])
    lease = db.session.get(Lease, values["lease_id"])
    tenant = db.session.get(User, values["user_id"])
    assert booking and company and lease and tenant
    tokens = db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == tenant.id))
    feeds = db.session.scalars(
        sa.select(CalendarFeed).where(
            sa.or_(CalendarFeed.user_id == tenant.id, CalendarFeed.company_id == company.id)
        )
    )
    return {
        "booking": (booking.status, booking.start_at, booking.end_at, booking.title),
        "company": (company.name, company.stage, company.status),
        "lease": (lease.starts_on, lease.ends_on, lease.space_id),
        "tenant": (tenant.name, tenant.email, tenant.active, tenant.role),
        "tokens": sorted((token.name, token.revoked_at is None) for token in tokens),
        "feeds": sorted((feed.id, feed.token_hash) for feed in feeds),
        "unread": db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Notification)
            .where(Notification.user_id == tenant.id, Notification.read_at.is_(None))
        ),
    }


def test_company_b_changes_nothing_of_company_a(app) -> None:
    world = build_access_world()
    before = company_a_state(world)
    walk(app, world, "tenant_b")
    assert company_a_state(world) == before


@pytest.mark.parametrize("who", WHO)
def test_each_visitor_gets_what_the_table_says(app, who) -> None:
    world = build_access_world()
    column = WHO.index(who)
    wrong = {
        key: f"{path}: got {got!r}, expected {EXPECTED.get(key, ('no row',) * len(WHO))[column]!r}"
        for key, (path, got) in walk(app, world, who).items()
        if got != EXPECTED.get(key, ("no row",) * len(WHO))[column]
    }
    assert wrong == {}
