"""Placeholder: being written."""
from app.manage import bp
from app.web import staff_required


@bp.route("/leases")
@staff_required
def leases():
    return "todo"


@bp.route("/leases/new")
@staff_required
def lease_new():
    return "todo"


@bp.route("/leases/<int:lease_id>/edit")
@staff_required
def lease_edit(lease_id: int):
    return "todo"
