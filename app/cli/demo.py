"""``flask seed-demo``: load the demo incubator into an empty database."""

import time
from datetime import datetime

import click
import sqlalchemy as sa

from app.demo import seed_demo
from app.demo.data import ADMIN, DEMO_TENANT, MANAGER, ZONES
from app.extensions import db
from app.models import Stage, User
from app.web import today_local


@click.command("seed-demo")
@click.option(
    "--today",
    "day",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Build the incubator as it stands on this day (default: today in Leshan).",
)
def seed_demo_command(day: datetime | None) -> None:
    """Load the demo incubator into an empty database."""
    today = day.date() if day else today_local()
    began = time.perf_counter()
    report = seed_demo(today)
    if report.loaded:
        db.session.commit()
        spaces = ", ".join(f"{code} {report.spaces.get(code, 0)}" for code, *_ in ZONES)
        stages = ", ".join(f"{stage} {report.companies.get(stage, 0)}" for stage in Stage)
        click.echo(
            f"Demo incubator loaded as of {today} in {time.perf_counter() - began:.1f} s:\n"
            f"  {report.zones} zones; {sum(report.spaces.values())} spaces ({spaces})\n"
            f"  {sum(report.companies.values())} companies ({stages})\n"
            f"  {report.leases} leases; {report.bookings} bookings; {report.users} users\n"
            f"  {report.leased_share:.1%} of the leasable area is leased today"
        )
    else:
        click.echo("The database already holds zones or companies: the demo was not loaded again.")
    if db.session.scalar(sa.select(User.id).where(User.email == MANAGER[0])) is None:
        return
    click.echo("Demo sign-ins:")
    for email, password, _name in (MANAGER, ADMIN, DEMO_TENANT):
        click.echo(f"  {email:<30} {password}")
