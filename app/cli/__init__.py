"""Command-line tasks, registered on the app: ``flask create-user``, ``flask seed-demo``,
``flask translate update``, ``flask notifications send``, ``flask backup``, ``flask restore``,
``flask import`` and ``flask reload-reference``.
"""

from flask import Flask

from app.cli.backup import backup_command, restore_command
from app.cli.demo import seed_demo_command
from app.cli.imports import import_command
from app.cli.notifications import notifications
from app.cli.reference import reload_reference_command
from app.cli.translate import translate
from app.cli.users import create_user_command


def register(app: Flask) -> None:
    """Add every command to ``flask``."""
    for command in (
        create_user_command,
        translate,
        seed_demo_command,
        notifications,
        backup_command,
        restore_command,
        import_command,
        reload_reference_command,
    ):
        app.cli.add_command(command)
