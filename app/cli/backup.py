"""``flask backup`` and ``flask restore``: copies of the database taken while the app runs."""

import time
from datetime import UTC, datetime
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app

from app import backup as backups
from app.extensions import db
from app.services.localtime import to_local
from app.sqltypes import utcnow


def backup_directory() -> Path:
    """Where backups go unless ``--output`` says otherwise: BACKUP_DIR, else instance/backups."""
    configured = current_app.config["BACKUP_DIR"]
    return Path(configured) if configured else Path(current_app.instance_path) / "backups"


def _now() -> datetime:
    # Named in the incubator's time, like everything an operator reads.
    return to_local(utcnow())


@click.command("backup")
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    help="A directory (default: instance/backups) or the name of a new file.",
)
def backup_command(output: Path | None) -> None:
    """Back up the database while the app keeps running, keeping the newest BACKUP_KEEP."""
    url: sa.URL = db.engine.url
    try:
        done = backups.create_backup(
            url,
            output or backup_directory(),
            now=_now(),
            keep=int(current_app.config["BACKUP_KEEP"]),
        )
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Wrote {done.path} ({backups.format_size(done.size)}) in {done.seconds:.2f} s.")
    if done.pruned:
        click.echo(
            f"Removed {len(done.pruned)} older backup(s): "
            + ", ".join(path.name for path in done.pruned)
        )


@click.command("restore")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (scripts).")
def restore_command(path: Path, yes: bool) -> None:
    """Replace the SQLite database by a backup (stop the app first)."""
    url: sa.URL = db.engine.url
    if not backups.is_sqlite(url):
        raise click.ClickException(
            "flask restore restores SQLite only. Stop the app, then restore a PostgreSQL "
            f"backup with:\n  {backups.pg_restore_command(url, path)}"
        )
    try:
        database = backups.sqlite_path(url)
        backups.check_sqlite_backup(path)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    written = to_local(datetime.fromtimestamp(path.stat().st_mtime, UTC))
    if not yes:
        click.confirm(
            f"Replace everything in {database} by the backup {path} "
            f"({backups.format_size(path.stat().st_size)}, written {written:%Y-%m-%d %H:%M})? "
            "The app should be stopped",
            abort=True,
        )
    db.session.remove()
    db.engine.dispose()
    began = time.perf_counter()
    try:
        if database.exists():
            # The database being replaced is kept too: restoring the wrong file is undoable.
            name = backups.backup_name(url, _now(), "before-restore")
            kept = backups.create_backup(url, backup_directory() / name, now=_now())
            click.echo(f"Saved the current database as {kept.path}.")
        backups.restore_sqlite(path, database)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Restored {database} from {path} in {time.perf_counter() - began:.2f} s. "
        "Run `flask db upgrade` before starting the app if the backup is older than the code."
    )
