"""``flask import companies|people|spaces|leases FILE [--dry-run]``: the import page's work from a
shell, all rows or none, exiting 1 with every row's errors."""

import sys
from pathlib import Path

import click
import sqlalchemy as sa

from app.extensions import db
from app.models import User
from app.services.errors import DomainError
from app.services.importing import KINDS, ImportRefused, ImportReport, run_import
from app.services.importing.files import read_sheet
from app.sqlite import IMMEDIATE

ROW_ERRORS = 1  # the file or some rows have errors: nothing stored


def _summary(report: ImportReport, dry_run: bool) -> str:
    counts = report.counts
    state = (
        "stored" if report.stored else "dry run, nothing stored" if dry_run else "nothing stored"
    )
    return (
        f"{counts['total']} {'row' if counts['total'] == 1 else 'rows'}: "
        f"{counts['create']} new, {counts['update']} changed, "
        f"{counts['unchanged']} unchanged, {counts['error']} with errors; "
        f"{state} ({report.seconds:.2f} s)."
    )


def _print_errors(report: ImportReport) -> None:
    for problem in report.problems:
        click.echo(f"file: {problem}", err=True)
    for row in report.failed_rows:
        for error in row.errors:
            where = f"row {row.number}" + (f", {error.column}" if error.column else "")
            click.echo(f"{where}: {error.message}", err=True)


@click.command("import")
@click.argument("kind", type=click.Choice(sorted(KINDS)))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and store nothing.")
@click.option(
    "--actor",
    "actor_email",
    help="E-mail of the manager the audit log names (people: the one who invites).",
)
def import_command(kind: str, file: Path, dry_run: bool, actor_email: str | None) -> None:
    """Import companies, people, spaces or leases from an XLSX or CSV file, all or nothing."""
    if not db.session().in_transaction():
        # Take SQLite's write lock first: the checks and the writes must not be overtaken.
        db.session.connection(execution_options={IMMEDIATE: True})
    actor = None
    if actor_email:
        actor = db.session.scalars(
            sa.select(User).where(User.email == actor_email.strip().lower())
        ).first()
        if actor is None or not actor.is_staff:
            raise click.UsageError(f"No manager signs in as {actor_email}.")
    try:
        sheet = read_sheet(file.name, file.read_bytes())
        report = run_import(actor, kind, sheet, dry_run=dry_run)
    except ImportRefused as refused:
        db.session.rollback()
        _print_errors(refused.report)
        click.echo(_summary(refused.report, dry_run), err=True)
        sys.exit(ROW_ERRORS)
    except DomainError as error:
        db.session.rollback()
        click.echo(f"file: {error.message}", err=True)
        sys.exit(ROW_ERRORS)
    if not report.ok:  # a dry run with errors
        _print_errors(report)
        click.echo(_summary(report, dry_run), err=True)
        sys.exit(ROW_ERRORS)
    db.session.commit()
    click.echo(_summary(report, dry_run))
