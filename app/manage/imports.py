"""Importing companies, people, spaces and leases from Excel or CSV: template, preview, confirm."""

from datetime import date
from enum import Enum
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from werkzeug.wrappers import Response
from wtforms import HiddenField

from app.manage import bp, import_uploads
from app.render.exports import XLSX_MIMETYPE, content_disposition
from app.services.errors import NotFound
from app.services.importing import KINDS, ImportRefused, ImportReport, import_kind, run_import
from app.services.importing.files import read_sheet, template_bytes
from app.services.importing.kinds import ImportKind
from app.web import (
    KIND_LABELS,
    LANGUAGE_NAMES,
    ROLE_LABELS,
    STAGE_LABELS,
    STATUS_LABELS,
    current_actor,
    service_call,
)
from app.web.forms import WebForm

# Where a manager goes to see what was imported.
LIST_PAGES = {
    "companies": "manage.companies",
    "people": "manage.people",
    "spaces": "manage.spaces",
    "leases": "manage.leases",
}
SHOWN_ROWS = 100  # new and unchanged rows listed in a preview; errors and changes are all shown


class ImportForm(WebForm):
    file = FileField(_l("XLSX or CSV file"), validators=[FileRequired()])


class ConfirmForm(WebForm):
    """The ticket of the previewed upload; the file itself only when this server lacks it."""

    ticket = HiddenField()
    file = FileField(_l("The same file again"))


def _kind(name: str) -> ImportKind:
    try:
        return import_kind(name)
    except NotFound:
        abort(404)


@bp.route("/imports")
def imports() -> ResponseReturnValue:
    """Choose what to import, download its template, upload the file."""
    return render_template(
        "manage/imports.html", kinds=[kind() for kind in KINDS.values()], form=ImportForm()
    )


@bp.route("/imports/<kind>/template.xlsx")
def import_template(kind: str) -> ResponseReturnValue:
    """The XLSX template of a kind: Chinese headers, an example row, an instructions sheet."""
    found = _kind(kind)
    filename = f"{found.sheet_title}导入模板.xlsx"
    return Response(
        template_bytes(found),
        mimetype=XLSX_MIMETYPE,
        headers={"Content-Disposition": content_disposition(filename, f"{kind}-template.xlsx")},
    )


def shown(value: Any) -> str:
    """A stored or imported value as the preview shows it: labels for stages, kinds and roles."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, Enum):
        labels: dict[Any, Any] = {**STAGE_LABELS, **STATUS_LABELS, **KIND_LABELS, **ROLE_LABELS}
        return str(labels.get(value, value.value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    if isinstance(value, date):
        return value.isoformat()
    return str(LANGUAGE_NAMES.get(str(value), value))


def _preview(kind: ImportKind, report: ImportReport, ticket: str, filename: str) -> str:
    return render_template(
        "manage/import_preview.html",
        kind=kind,
        report=report,
        filename=filename,
        form=ConfirmForm(ticket=ticket),
        shown_rows=SHOWN_ROWS,
        shown=shown,
    )


@bp.route("/imports/<kind>", methods=["POST"])
def import_preview(kind: str) -> ResponseReturnValue:
    """Keep the uploaded file and show what importing it would do, row by row; store nothing."""
    found, form = _kind(kind), ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        data, filename = upload.read(), upload.filename or ""
        with service_call(form, fallback="file") as call:
            report = run_import(current_actor(), kind, read_sheet(filename, data), dry_run=True)
        if call.ok:
            ticket = import_uploads.keep(current_actor().id, kind, filename, data)
            return _preview(found, report, ticket, filename)
    return render_template(
        "manage/imports.html", kinds=[k() for k in KINDS.values()], form=form, chosen=kind
    )


@bp.route("/imports/<kind>/confirm", methods=["POST"])
def import_confirm(kind: str) -> ResponseReturnValue:
    """Import the previewed file: every row, or (when any has an error now) none."""
    found, form = _kind(kind), ConfirmForm()
    upload = import_uploads.load(form.ticket.data or "", current_actor().id, kind)
    if upload is None or not form.validate_on_submit():
        flash(_("That upload is no longer available: please upload the file again."), "error")
        return redirect(url_for("manage.imports"))
    if upload.data is None:  # checked on another server: the same file, once more
        again = form.file.data.read() if form.file.data else None
        if again is None or not upload.matches(again):
            if again is not None:
                form.file.errors = [_("This is not the file you checked: choose that one.")]
            return render_template("manage/import_again.html", kind=found, form=form, upload=upload)
        upload.data = again
    with service_call(top="page") as call:
        report = run_import(current_actor(), kind, read_sheet(upload.filename, upload.data))
    if not call.ok:
        refused = call.error.report if isinstance(call.error, ImportRefused) else None
        if refused is None:
            flash(call.message, "error")
            return redirect(url_for("manage.imports"))
        return _preview(found, refused, form.ticket.data or "", upload.filename)
    import_uploads.discard(upload)
    counts = report.counts
    flash(
        _(
            "Imported: %(created)d new, %(updated)d changed, %(unchanged)d unchanged.",
            created=counts["create"],
            updated=counts["update"],
            unchanged=counts["unchanged"],
        ),
        "ok",
    )
    return redirect(url_for(LIST_PAGES[kind]))
