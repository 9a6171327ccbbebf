from flask import abort, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.auth.forms import LanguageForm
from app.portal import bp
from app.services.leases import current_leases
from app.web import today_local


@bp.route("/")
@login_required
def home():
    if current_user.is_staff:
        return redirect(url_for("manage.dashboard"))
    return redirect(url_for("portal.company"))


@bp.route("/company")
@login_required
def company():
    if current_user.company is None:
        abort(404)
    today = today_local()
    company = current_user.company
    return render_template(
        "portal/company.html",
        company=company,
        leases=current_leases(company, today),
        today=today,
        colleagues=sorted(company.users, key=lambda user: user.name),
    )


@bp.route("/profile")
@login_required
def profile():
    return render_template("portal/profile.html", language_form=LanguageForm())
