"""People: tenants' accounts, and (for admins) managers and admins."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload
from wtforms import SelectChoice

from app.extensions import db
from app.manage import bp
from app.manage.forms import PersonForm
from app.models import Company, Role, User
from app.services.users import can_manage_user, save_user
from app.web import ROLE_LABELS, company_choices, current_actor, page_args, service_call
from app.web.bounds import parse_id

ACTIVE_FILTERS = {"yes": True, "no": False}


@bp.route("/people")
def people() -> ResponseReturnValue:
    """People by name, searched and filtered by role, company and whether they can sign in."""
    query = sa.select(User).options(joinedload(User.company))
    search = request.args.get("q", "").strip()
    if search:
        pattern = f"%{search}%"
        query = query.where(
            sa.or_(User.name.ilike(pattern), User.email.ilike(pattern), User.phone.ilike(pattern))
        )
    role = request.args.get("role", "")
    if role in {r.value for r in Role}:
        query = query.where(User.role == Role(role))
    company_id = request.args.get("company_id", type=parse_id)
    if company_id:
        query = query.where(User.company_id == company_id)
    active = request.args.get("active", "yes")
    if active in ACTIVE_FILTERS:
        query = query.where(User.active == ACTIVE_FILTERS[active])
    page = db.paginate(query.order_by(User.name, User.email), **page_args())
    companies = db.session.scalars(sa.select(Company).order_by(Company.name)).all()
    return render_template(
        "manage/people.html",
        page=page,
        q=search,
        role=role,
        company_id=company_id,
        active=active,
        roles=list(Role),
        manageable={r for r in Role if can_manage_user(current_actor(), r)},
        companies=companies,
    )


@bp.route("/people/<int:user_id>/edit", methods=["GET", "POST"])
def person_edit(user_id: int) -> ResponseReturnValue:
    """Change a person (admins only for managers and admins). New people are invited
    (``manage.invite``); their password is theirs alone."""
    person = db.get_or_404(User, user_id)
    actor = current_actor()
    if not can_manage_user(actor, person.role):
        abort(403)
    form = PersonForm(obj=person)
    form.role.choices = [
        SelectChoice(value=role.value, label=str(label))
        for role, label in ROLE_LABELS.items()
        if can_manage_user(actor, role)
    ]
    form.company_id.choices = company_choices(keep_id=person.company_id)
    if form.validate_on_submit():
        company = db.session.get(Company, form.company_id.data) if form.company_id.data else None
        with service_call(form) as call:
            person = save_user(actor, person, company=company, **form.values())
        if call.ok:
            flash(_("Saved %(name)s.", name=person.name), "ok")
            if person.company_id:
                return redirect(url_for("manage.company", company_id=person.company_id))
            return redirect(url_for("manage.people", role=person.role.value))
    return render_template("manage/person_form.html", form=form, person=person)
