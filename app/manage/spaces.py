"""Zones and spaces: what the building holds, and who leases it today."""

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager, joinedload

from app.extensions import db
from app.i18n import select_locale
from app.manage import bp
from app.manage.forms import SpaceForm, ZoneForm, space_choices, zone_choices
from app.models import Lease, Space, SpaceKind, Zone
from app.services import door_displays
from app.services.equipment import equipment_labels
from app.services.spaces import save_space, save_zone
from app.web import current_actor, page_args, service_call, today_local

YES_NO = {"yes": True, "no": False}


@bp.route("/zones")
def zones() -> ResponseReturnValue:
    """The zones in the building's order, with how many spaces each holds."""
    rows = db.session.execute(
        sa.select(Zone, sa.func.count(Space.id))
        .outerjoin(Space, Space.zone_id == Zone.id)
        .group_by(Zone.id)
        .order_by(Zone.sort_order, Zone.code)
    ).all()
    return render_template("manage/zones.html", rows=rows)


@bp.route("/zones/<int:zone_id>/edit", methods=["GET", "POST"])
def zone_edit(zone_id: int) -> ResponseReturnValue:
    """Change a zone: names, area, opening hours."""
    zone = db.get_or_404(Zone, zone_id)
    form = ZoneForm(obj=zone)
    if form.validate_on_submit():
        with service_call(form) as call:
            save_zone(current_actor(), zone, **form.values())
        if call.ok:
            flash(_("Saved %(name)s.", name=zone.code), "ok")
            return redirect(url_for("manage.zones"))
    return render_template("manage/zone_form.html", form=form, zone=zone)


@bp.route("/spaces")
def spaces() -> ResponseReturnValue:
    """Spaces by zone and code, filtered, with who leases each today."""
    query = (
        sa.select(Space)
        .join(Space.zone)
        .options(contains_eager(Space.zone), joinedload(Space.parent))
    )
    zone = request.args.get("zone", "").strip().upper()
    if zone:
        query = query.where(Zone.code == zone)
    kind = request.args.get("kind", "")
    if kind in {k.value for k in SpaceKind}:
        query = query.where(Space.kind == SpaceKind(kind))
    bookable = request.args.get("bookable", "all")
    if bookable in YES_NO:
        query = query.where(Space.bookable == YES_NO[bookable])
    active = request.args.get("active", "yes")
    if active in YES_NO:
        query = query.where(Space.active == YES_NO[active])
    search = request.args.get("q", "").strip()
    if search:
        pattern = f"%{search}%"
        query = query.where(
            sa.or_(
                Space.code.ilike(pattern), Space.name.ilike(pattern), Space.name_en.ilike(pattern)
            )
        )
    page = db.paginate(query.order_by(Zone.sort_order, Space.code), **page_args())
    return render_template(
        "manage/spaces.html",
        page=page,
        lessees=_lessees_today([space.id for space in page.items]),
        zones=db.session.scalars(sa.select(Zone).order_by(Zone.sort_order, Zone.code)).all(),
        kinds=list(SpaceKind),
        filters={"zone": zone, "kind": kind, "bookable": bookable, "active": active, "q": search},
    )


def _lessees_today(space_ids: list[int]) -> dict[int, Lease]:
    """The lease in force today of each space, by space id."""
    today = today_local()
    leases = db.session.scalars(
        sa.select(Lease)
        .options(joinedload(Lease.company))
        .where(
            Lease.space_id.in_(space_ids),
            Lease.starts_on <= today,
            sa.or_(Lease.ends_on.is_(None), Lease.ends_on >= today),
        )
    )
    return {lease.space_id: lease for lease in leases}


def _edit(space: Space | None) -> ResponseReturnValue:
    form = SpaceForm(obj=space)
    form.zone_id.choices = zone_choices()
    others = sa.select(Space).where(Space.id != (space.id if space else -1))
    form.parent_id.choices = space_choices(others, _("— Not part of another space —"))
    if space is not None and request.method == "GET":
        # in the reader's language; either language is stored under the vocabulary's name
        form.equipment.data = equipment_labels(space.equipment, select_locale())
    if space is None and request.method == "GET":
        code = request.args.get("zone", "").upper()
        zone = db.session.scalars(sa.select(Zone).where(Zone.code == code)).first()
        form.zone_id.data = zone.id if zone else None
    if form.validate_on_submit():
        zone, parent = db.session.get(Zone, form.zone_id.data), None
        if form.parent_id.data:
            parent = db.session.get(Space, form.parent_id.data)
        with service_call(form) as call:
            space = save_space(current_actor(), space, zone=zone, parent=parent, **form.values())
        if call.ok:
            flash(_("Saved %(name)s.", name=space.code), "ok")
            return redirect(url_for("manage.spaces", zone=space.zone.code))
    return render_template(
        "manage/space_form.html",
        form=form,
        space=space,
        door_display=door_displays.display_of(space) if space else None,
    )


@bp.route("/spaces/new", methods=["GET", "POST"])
def space_new() -> ResponseReturnValue:
    """Add a space to a zone."""
    return _edit(None)


@bp.route("/spaces/<int:space_id>/edit", methods=["GET", "POST"])
def space_edit(space_id: int) -> ResponseReturnValue:
    """Change a space."""
    return _edit(db.get_or_404(Space, space_id))
