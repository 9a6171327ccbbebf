"""``flask translate update``: keep the message catalogues in step with the code."""

from pathlib import Path

import click
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po
from flask.cli import AppGroup

translate = AppGroup("translate", help="Keep the message catalogues in step with the code.")


@translate.command("update")
def translate_update() -> None:
    """Extract the messages, merge them into every catalogue and copy English msgids to en."""
    root = Path(__file__).resolve().parents[2]
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
