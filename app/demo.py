"""Placeholder: being written."""

import click


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Load the demo incubator."""
