"""Placeholder: being written."""
from app.manage import bp
from app.web import staff_required


@bp.route("/zones")
@staff_required
def zones():
    return "todo"


@bp.route("/spaces")
@staff_required
def spaces():
    return "todo"
