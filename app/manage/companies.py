"""Companies and teams in the building: the list, one company, the form."""

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from app.extensions import db
from app.i18n import select_locale
from app.manage import bp
from app.manage.audit_texts import describe_entries
from app.manage.forms import CompanyForm
from app.models import Company, CompanyStatus, Stage
from app.services.audit_log import entries_of, load_context
from app.services.booking_rules import allowance_status
from app.services.companies import save_company
from app.web import current_actor, page_args, service_call, today_local

HISTORY_ON_COMPANY_PAGE = 5


@bp.route("/companies")
def companies() -> ResponseReturnValue:
    """Companies by name, searched and filtered by stage and status."""
    query = sa.select(Company)
    search = request.args.get("q", "").strip()
    if search:
        pattern = f"%{search}%"
        query = query.where(
            sa.or_(
                Company.name.ilike(pattern),
                Company.uscc.ilike(pattern),
                Company.contact_name.ilike(pattern),
                Company.industry.ilike(pattern),
            )
        )
    stage = request.args.get("stage", "")
    if stage in {s.value for s in Stage}:
        query = query.where(Company.stage == Stage(stage))
    status = request.args.get("status", "active")
    if status in {s.value for s in CompanyStatus}:
        query = query.where(Company.status == CompanyStatus(status))
    page = db.paginate(query.order_by(Company.name), **page_args())
    return render_template(
        "manage/companies.html",
        page=page,
        q=search,
        stage=stage,
        status=status,
        stages=list(Stage),
        statuses=list(CompanyStatus),
    )


def _edit(company: Company | None) -> ResponseReturnValue:
    form = CompanyForm(obj=company)
    if company is None and request.method == "GET":
        form.joined_on.data = today_local()
    if form.validate_on_submit():
        with service_call(form) as call:
            company = save_company(current_actor(), company, **form.values())
        if call.ok:
            flash(_("Saved %(name)s.", name=company.name), "ok")
            return redirect(url_for("manage.company", company_id=company.id))
    return render_template("manage/company_form.html", form=form, company=company)


@bp.route("/companies/new", methods=["GET", "POST"])
def company_new() -> ResponseReturnValue:
    """Add a company."""
    return _edit(None)


@bp.route("/companies/<int:company_id>/edit", methods=["GET", "POST"])
def company_edit(company_id: int) -> ResponseReturnValue:
    """Change a company."""
    return _edit(db.get_or_404(Company, company_id))


@bp.route("/companies/<int:company_id>")
def company(company_id: int) -> ResponseReturnValue:
    """One company: its facts, leases, people, free hours, bookings and recent history."""
    company = db.get_or_404(Company, company_id)
    entries = entries_of("company", company.id, HISTORY_ON_COMPANY_PAGE)
    history = describe_entries(entries, load_context(entries), select_locale())
    return render_template(
        "manage/company.html",
        company=company,
        history=history,
        today=today_local(),
        allowance=allowance_status(company, today_local()),
    )
