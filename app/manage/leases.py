"""Leases: which company occupies which office, desk, booth or shop, and when."""

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager

from app.extensions import db
from app.manage import bp
from app.manage.forms import LeaseForm, space_choices
from app.models import LEASABLE_KINDS, Company, Lease, Space, Zone
from app.services.leases import save_lease
from app.web import company_choices, current_actor, page_args, service_call, today_local
from app.web.bounds import parse_id

STATES = ("current", "upcoming", "ended", "all")


def _in_state(state: str) -> sa.ColumnElement[bool]:
    """Leases in force today, starting later, over, or all of them."""
    today = today_local()
    if state == "upcoming":
        return Lease.starts_on > today
    if state == "ended":
        return Lease.ends_on < today
    if state == "all":
        return sa.true()
    return sa.and_(
        Lease.starts_on <= today, sa.or_(Lease.ends_on.is_(None), Lease.ends_on >= today)
    )


@bp.route("/leases")
def leases() -> ResponseReturnValue:
    """Leases in force, upcoming, ended or all, filtered by company, zone and text."""
    state = request.args.get("state", "current")
    state = state if state in STATES else "current"
    query = (
        sa.select(Lease)
        .join(Lease.company)
        .join(Lease.space)
        .join(Space.zone)
        .options(contains_eager(Lease.company), contains_eager(Lease.space, Space.zone))
        .where(_in_state(state))
    )
    company_id = request.args.get("company_id", type=parse_id)
    if company_id:
        query = query.where(Lease.company_id == company_id)
    zone = request.args.get("zone", "").strip().upper()
    if zone:
        query = query.where(Zone.code == zone)
    search = request.args.get("q", "").strip()
    if search:
        pattern = f"%{search}%"
        query = query.where(sa.or_(Company.name.ilike(pattern), Space.code.ilike(pattern)))
    order = (Zone.sort_order, Space.code, Lease.starts_on.desc())
    return render_template(
        "manage/leases.html",
        page=db.paginate(query.order_by(*order), **page_args()),
        companies=db.session.scalars(sa.select(Company).order_by(Company.name)).all(),
        zones=db.session.scalars(sa.select(Zone).order_by(Zone.sort_order, Zone.code)).all(),
        filters={"company_id": company_id, "zone": zone, "state": state, "q": search},
        states=STATES,
    )


def _edit(lease: Lease | None) -> ResponseReturnValue:
    form = LeaseForm(obj=lease)
    form.company_id.choices = company_choices(keep_id=lease.company_id if lease else None)
    leasable = sa.select(Space).where(
        sa.or_(
            sa.and_(Space.active.is_(True), Space.kind.in_(LEASABLE_KINDS)),
            Space.id == (lease.space_id if lease else -1),
        )
    )
    form.space_id.choices = space_choices(leasable, _("— Choose a space —"))
    if lease is None and request.method == "GET":
        form.company_id.data = request.args.get("company_id", type=parse_id)
        form.space_id.data = request.args.get("space_id", type=parse_id)
        form.starts_on.data = today_local()
    if form.validate_on_submit():
        company = db.get_or_404(Company, form.company_id.data)
        space = db.get_or_404(Space, form.space_id.data)
        with service_call(form, fallback="starts_on") as call:
            lease = save_lease(
                current_actor(), lease, company=company, space=space, **form.values()
            )
        if call.ok:
            flash(_("Saved the lease of %(space)s.", space=lease.space.code), "ok")
            return redirect(url_for("manage.company", company_id=lease.company_id))
    return render_template("manage/lease_form.html", form=form, lease=lease)


@bp.route("/leases/new", methods=["GET", "POST"])
def lease_new() -> ResponseReturnValue:
    """Lease a space to a company."""
    return _edit(None)


@bp.route("/leases/<int:lease_id>/edit", methods=["GET", "POST"])
def lease_edit(lease_id: int) -> ResponseReturnValue:
    """Change a lease's dates or notes."""
    return _edit(db.get_or_404(Lease, lease_id))
