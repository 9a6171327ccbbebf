"""Placeholder: being written."""

from flask_login import login_required

from app.portal import bp


@bp.route("/timeline")
@login_required
def timeline():
    return "todo"
