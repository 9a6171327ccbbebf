"""Placeholder: being written."""

from app.manage import bp
from app.web import staff_required


@bp.route("/approvals")
@staff_required
def approvals():
    return "todo"
