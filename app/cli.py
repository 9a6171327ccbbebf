"""Command-line tasks: ``flask create-user``, ``flask seed-demo``, ``flask translate …``."""

import sys
from pathlib import Path

import click
import sqlalchemy as sa
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po
from flask import Flask
from flask.cli import AppGroup

from app.extensions import db
from app.models import Company, Role
from app.services import users
from app.services.errors import DomainError


def _read_password() -> str:
    """Prompt twice on a terminal; read two lines from a pipe (for scripts)."""
    if sys.stdin.isatty():
        return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))
    first, second = sys.stdin.readline().rstrip("\n"), sys.stdin.readline().rstrip("\n")
    if first != second:
        raise click.ClickException("The two passwords do not match.")
    return first


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.TENANT.value)
@click.option("--company", "company_name", help="The tenant's company, by exact name.")
@click.option("--name", help="The person's name (defaults to the part of the e-mail before @).")
def create_user_command(email: str, role: str, company_name: str | None, name: str | None) -> None:
    """Create a user; the password is prompted for."""
    company = None
    if company_name:
        company = db.session.scalars(sa.select(Company).where(Company.name == company_name)).first()
        if company is None:
            raise click.ClickException(f"No company is called {company_name!r}.")
    password = _read_password()
    try:
        user = users.save_user(
            None,
            None,
            email=email,
            name=name or email.split("@")[0],
            role=Role(role),
            company=company,
            password=password,
        )
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.email}.")


translate = AppGroup("translate", help="Keep the message catalogues in step with the code.")


@translate.command("update")
def translate_update() -> None:
    """Extract the messages, merge them into every catalogue and copy English msgids to en."""
    root = Path(__file__).resolve().parent.parent
    catalogues = root / "app" / "translations"
    pot = catalogues / "messages.pot"
    pybabel = CommandLineInterface()
    pybabel.run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(root / "babel.cfg"),
            "-k",
            "_l",
            "-o",
            str(pot),
            "--no-location",
            "--sort-output",
            str(root),
        ]
    )
    pybabel.run(
        [
            "pybabel",
            "-q",
            "update",
            "-i",
            str(pot),
            "-d",
            str(catalogues),
            "--no-fuzzy-matching",
            "--ignore-obsolete",
        ]
    )
    english = catalogues / "en" / "LC_MESSAGES" / "messages.po"
    with english.open("rb") as handle:
        catalogue = read_po(handle, locale="en")
    for message in catalogue:
        if message.id and not any(
            message.string if isinstance(message.string, tuple) else [message.string]
        ):
            message.string = message.id  # a plural's (singular, plural) pair too
    with english.open("wb") as handle:
        write_po(handle, catalogue, omit_header=False, sort_output=True)
    click.echo(
        "Catalogues updated: translate the new entries of zh_Hans_CN/LC_MESSAGES/messages.po."
    )


def register(app: Flask) -> None:
    app.cli.add_command(create_user_command)
    app.cli.add_command(translate)
    from app.demo import seed_demo_command
    from app.notify_cli import notifications

    app.cli.add_command(seed_demo_command)
    app.cli.add_command(notifications)
    from app.backup_cli import backup_command, restore_command

    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
