"""Placeholder: being written."""

from app.manage import bp
from app.web import staff_required


@bp.route("/calendar")
@staff_required
def calendar():
    return "todo"
