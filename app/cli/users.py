"""``flask create-user``: an account whose password is typed or piped in."""

import sys

import click
import sqlalchemy as sa

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
@click.option(
    "--own-password",
    is_flag=True,
    help="The password is the person's own (they are typing it): no change at first sign-in.",
)
def create_user_command(
    email: str, role: str, company_name: str | None, name: str | None, own_password: bool
) -> None:
    """Create a user; the password is prompted for. Unless ``--own-password``, the person must
    choose their own at first sign-in (someone else knows this one)."""
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
        user.must_change_password = not own_password
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.email}.")
    if user.must_change_password:
        click.echo("They choose their own password when they first sign in.")
