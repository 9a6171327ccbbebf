"""Every user-visible string is translated into Chinese (the default) and English."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "app" / "translations"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[str]:
    """The message ids found in the code and templates right now."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-o",
            str(pot),
            "--no-location",
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        return {
            message.id if isinstance(message.id, str) else message.id[0]
            for message in read_po(handle)
            if message.id
        }


@pytest.mark.parametrize("locale", ["zh_Hans_CN", "en"])
def test_catalogue_is_complete(extracted: set[str], locale: str) -> None:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    translated = {}
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {key}")
        elif not all(strings):
            problems.append(f"empty: {key}")
        translated[key] = strings
    problems += [f"missing: {key}" for key in sorted(extracted - translated.keys())]
    assert problems == []


def test_chinese_is_really_chinese() -> None:
    with (TRANSLATIONS / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    untranslated = [
        m.id
        for m in catalogue
        if m.id
        and isinstance(m.string, str)
        and m.string == m.id
        and any(c.isalpha() for c in m.id)
    ]
    # Brand-like strings may stay as they are; everything else reads in Chinese.
    assert untranslated == []


@pytest.mark.parametrize("locale", ["zh_Hans_CN", "en"])
def test_every_translation_formats_like_its_message(locale: str) -> None:
    """A stray % or a renamed placeholder would crash the page that shows the message."""
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    broken = []
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        names = {name: 1 for text in ids for name in re.findall(r"%\((\w+)\)", text)}
        for text in strings:
            try:
                text % names
            except (KeyError, ValueError, TypeError) as error:
                broken.append(f"{ids[0]!r}: {error}")
    assert broken == []
