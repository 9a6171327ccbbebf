"""``flask reload-reference``: every server reloads the building's reference data."""

import click

from app.extensions import db
from app.services import reference


@click.command("reload-reference")
def reload_reference_command() -> None:
    """Make every app server reload zones, spaces, closures and rules at its next request.

    The app notices its own changes; this is for rows changed by hand in the database.
    """
    reference.new_revision(db.session())
    db.session.commit()
    click.echo("Every server reloads zones, spaces, closures and rules at its next request.")
