"""Calendar feeds: the page that hands out their secret URLs, and the feeds themselves.

A company's feed is shared by its people (any of them, or a manager, may give it a new URL); a
room's feed of busy times is personal to whoever subscribed. The secret is kept only as a hash,
so a URL is shown once, right after it was made; afterwards only a new one can be had.

Making one redirects to the feeds page (a reload never makes another): the new URL rides along
in the session for that one page view and is dropped from it as the page is shown.
"""

import sqlalchemy as sa
from flask import abort, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from app.extensions import db
from app.models import Company, Space
from app.portal import bp
from app.services import ical, reference
from app.services.links import page_url
from app.web import current_actor, service_call
from app.web.bounds import parse_id

NEW_FEED_KEY = "new_feed"


def _feed_company(company_id: int | None) -> Company | None:
    """Tenants manage their own company's feed; staff pick one (None: not yet)."""
    actor = current_actor()
    if not actor.is_staff:
        return actor.company  # a company_id in the query string is ignored
    if company_id is None:
        return None
    return db.get_or_404(Company, company_id)


def _feed_url(secret: str) -> str:
    """Where calendar apps fetch the feed: under PUBLIC_URL when set (behind a proxy the request
    may name the app server itself), else the address this page was asked for at."""
    return page_url("portal.feed", secret=secret) or url_for(
        "portal.feed", secret=secret, _external=True
    )


def _feeds_page(company: Company | None) -> ResponseReturnValue:
    # A new address is kept in the session for the one page after the redirect, then gone.
    new = session.pop(NEW_FEED_KEY, None) or {}
    new_url = new.get("url")
    webcal = "webcal://" + new_url.split("://", 1)[1] if new_url else None
    actor = current_actor()
    return render_template(
        "portal/feeds.html",
        company=company,
        company_feed=ical.company_feed(company) if company else None,
        spaces=reference.current().bookable,
        space_feeds=ical.space_feeds(actor),
        companies=(
            db.session.scalars(sa.select(Company).order_by(Company.name)).all()
            if actor.is_staff
            else []
        ),
        new_url=new_url,
        webcal_url=webcal,
        new_for=new.get("for"),
    )


def _back_to_feeds(company: Company | None, anchor: str) -> ResponseReturnValue:
    """To the feeds page (of ``company`` for staff), at the section that changed."""
    company_id = company.id if company is not None and current_actor().is_staff else None
    return redirect(url_for("portal.feeds", company_id=company_id, _anchor=anchor))


@bp.route("/feeds")
@login_required
def feeds() -> ResponseReturnValue:
    """The calendar feeds page: the company's feed and the rooms' feeds."""
    return _feeds_page(_feed_company(request.args.get("company_id", type=parse_id)))


@bp.post("/feeds/company/<int:company_id>")
@login_required
def issue_company_feed(company_id: int) -> ResponseReturnValue:
    """Give the company's feed a new secret URL (its people or a manager); 403 for others."""
    company = db.get_or_404(Company, company_id)
    with service_call() as call:
        secret, _feed = ical.issue_company_feed(current_actor(), company)
    if call.ok:
        session[NEW_FEED_KEY] = {"for": "company", "url": _feed_url(secret)}
    return _back_to_feeds(company, "company-feed")


@bp.post("/feeds/spaces/<int:space_id>")
@login_required
def issue_space_feed(space_id: int) -> ResponseReturnValue:
    """Give the user's own feed of a room's busy times a new secret URL."""
    space = db.get_or_404(Space, space_id)
    if not (space.bookable and space.active):
        abort(404)
    with service_call() as call:
        secret, _feed = ical.issue_space_feed(current_actor(), space)
    if call.ok:
        session[NEW_FEED_KEY] = {"for": f"space-{space.id}", "url": _feed_url(secret)}
    company = _feed_company(request.args.get("company_id", type=parse_id))
    return _back_to_feeds(company, f"space-{space.id}")


@bp.route("/feeds/<secret>.ics")
def feed(secret: str) -> ResponseReturnValue:
    """The feed itself: no sign-in (calendar apps cannot), the secret in the URL is the key."""
    calendar_feed = ical.feed_for_secret(secret)
    if calendar_feed is None:
        abort(404)
    return (
        ical.feed_calendar(calendar_feed),
        200,
        {
            "Content-Type": "text/calendar; charset=utf-8",
            "Content-Disposition": 'inline; filename="chuangzhigu.ics"',
            "Cache-Control": "private, no-cache",
            "X-Robots-Tag": "noindex",
        },
    )
