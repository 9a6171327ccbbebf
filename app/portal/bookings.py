"""Placeholder: being written."""

from flask_login import login_required

from app.portal import bp


@bp.route("/book")
@login_required
def book():
    return "todo"


@bp.route("/bookings")
@login_required
def bookings():
    return "todo"


@bp.route("/find")
@login_required
def find():
    return "todo"
