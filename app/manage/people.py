"""Placeholder: being written."""
from app.manage import bp
from app.web import staff_required


@bp.route("/people")
@staff_required
def people():
    return "todo"


@bp.route("/people/new")
@staff_required
def person_new():
    return "todo"


@bp.route("/people/<int:user_id>/edit")
@staff_required
def person_edit(user_id: int):
    return "todo"
