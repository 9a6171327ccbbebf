"""A company's monthly statement: meeting-room hours used against its free allowance."""

import sqlalchemy as sa
from flask import abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from markupsafe import Markup

from app.extensions import db
from app.models import Company
from app.portal import bp
from app.render import charts
from app.services.dashboard import MonthUse, company_statement, hours_text
from app.web import current_actor, today_local
from app.web.bounds import parse_id

STATEMENT_MONTHS = 6


def statement_chart(months: list[MonthUse]) -> Markup:
    """Meeting-room hours by month, with the free allowance marked."""
    bars = [
        charts.Bar(
            f"{month.first:%Y-%m}",
            month.used_minutes / 60,
            _("%(hours)s h", hours=hours_text(month.used_minutes)),
            marker=month.allowance_minutes / 60,
        )
        for month in months
    ]
    return charts.bar_chart(
        bars,
        chart_id="statement",
        title=_("Meeting-room hours by month"),
        desc=_(
            "Hours booked in each of the last %(count)d months; the mark is the free "
            "allowance, hours beyond it are drawn in red.",
            count=len(months),
        ),
        horizontal=False,
        marker_label=_("Free hours"),
    )


def _statement_company() -> Company | None:
    """Tenants see their own company; staff choose one with ?company_id= (None: not yet)."""
    actor = current_actor()
    if not actor.is_staff:
        return actor.company  # a company_id in the query string is ignored
    company_id = request.args.get("company_id", type=parse_id)
    if company_id is None:
        return None
    return db.get_or_404(Company, company_id)


@bp.route("/statement")
@login_required
def statement() -> ResponseReturnValue:
    """A company's monthly meeting-room hours against its free allowance."""
    staff = current_actor().is_staff
    company = _statement_company()
    if company is None and not staff:
        abort(404)
    today = today_local()
    months = company_statement(company, today, STATEMENT_MONTHS) if company else []
    return render_template(
        "portal/statement.html",
        company=company,
        months=months,
        chart=statement_chart(months) if company else None,
        hours=hours_text,
        companies=(
            db.session.scalars(sa.select(Company).order_by(Company.name)).all() if staff else []
        ),
    )
