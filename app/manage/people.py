"""People: tenants' accounts, and (for admins) managers and admins."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload
from wtforms import SelectChoice

from app.extensions import db
from app.manage import bp
from app.manage.common import page_args, show_error
from app.manage.forms import NewPersonForm, PersonForm, company_choices
from app.models import Company, Role, User
from app.services.errors import DomainError
from app.services.passwords import MIN_LENGTH
from app.services.users import can_manage_user, save_user
from app.web import ROLE_LABELS, staff_required

ACTIVE_FILTERS = {"yes": True, "no": False}


@bp.route("/people")
@staff_required
def people():
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
    company_id = request.args.get("company_id", type=int)
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
        manageable={r for r in Role if can_manage_user(current_user, r)},
        companies=companies,
    )


def _edit(person: User | None):
    if person is not None and not can_manage_user(current_user, person.role):
        abort(403)
    form = (PersonForm if person else NewPersonForm)(obj=person)
    form.role.choices = [
        SelectChoice(value=role.value, label=str(label))
        for role, label in ROLE_LABELS.items()
        if can_manage_user(current_user, role)
    ]
    form.company_id.choices = company_choices(keep_id=person.company_id if person else None)
    if person is None and request.method == "GET":
        form.company_id.data = request.args.get("company_id", type=int)
    if form.validate_on_submit():
        company = db.session.get(Company, form.company_id.data) if form.company_id.data else None
        try:
            person = save_user(current_user, person, company=company, **form.values())
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Saved %(name)s.", name=person.name), "ok")
            if person.company_id:
                return redirect(url_for("manage.company", company_id=person.company_id))
            return redirect(url_for("manage.people", role=person.role.value))
    return render_template(
        "manage/person_form.html", form=form, person=person, min_length=MIN_LENGTH
    )


@bp.route("/people/new", methods=["GET", "POST"])
@staff_required
def person_new():
    return _edit(None)


@bp.route("/people/<int:user_id>/edit", methods=["GET", "POST"])
@staff_required
def person_edit(user_id: int):
    return _edit(db.get_or_404(User, user_id))
