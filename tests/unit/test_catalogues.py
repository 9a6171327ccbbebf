"""Compiled catalogues: made from the .po when missing or outdated, never silently absent."""

import os
import shutil
from pathlib import Path

import pytest
from babel.support import Translations

from app import catalogues
from app.catalogues import CatalogueError, ensure_languages
from app.config import instance_path, project_root

ROOT = Path(__file__).resolve().parents[2]
CHINESE_PO = ROOT / "app" / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"


def po_file(folder: Path, sign_in: str = "登录", *, fuzzy: bool = False) -> Path:
    """A small zh_Hans_CN catalogue under ``folder``."""
    po = folder / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True, exist_ok=True)
    flag = "#, fuzzy\n" if fuzzy else ""
    po.write_text(
        f'{flag}msgid ""\nmsgstr ""\n"Language: zh_Hans_CN\\n"\n'
        '"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        f'msgid "Sign in"\nmsgstr "{sign_in}"\n',
        encoding="utf-8",
    )
    return po


def translated(folder: Path, text: str) -> str:
    return Translations.load(str(folder), ["zh_Hans_CN"]).gettext(text)


def age(path: Path, seconds: int) -> None:
    """Make ``path`` look ``seconds`` older than it is."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - seconds * 10**9))


def test_a_missing_compiled_catalogue_is_compiled(tmp_path: Path) -> None:
    target = tmp_path / "zh_Hans_CN" / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy(CHINESE_PO, target)
    assert translated(tmp_path, "Sign in") == "Sign in"  # what Flask-Babel would serve

    written = ensure_languages([tmp_path], ["zh_Hans_CN"])

    assert written == [target / "messages.mo"]
    assert translated(tmp_path, "Sign in") == "登录"
    assert translated(tmp_path, "This page does not exist.") == "页面不存在。"
    assert ensure_languages([tmp_path], ["zh_Hans_CN"]) == []  # current now: left alone


def test_an_outdated_compiled_catalogue_is_compiled_again(tmp_path: Path) -> None:
    po = po_file(tmp_path, "登入")
    ensure_languages([tmp_path], ["zh_Hans_CN"])
    age(po.with_suffix(".mo"), 60)
    po_file(tmp_path, "登录")  # a newer .po, as after a git pull

    assert ensure_languages([tmp_path], ["zh_Hans_CN"]) == [po.with_suffix(".mo")]
    assert translated(tmp_path, "Sign in") == "登录"


def test_an_installed_catalogue_older_than_its_po_is_used_without_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unpacking a wheel may leave the .mo a moment older than its .po; a read-only
    installation still starts when the .mo says the same."""
    po = po_file(tmp_path)
    mo = po.with_suffix(".mo")
    mo.write_bytes(catalogues.compile_po(po))
    age(mo, 1)

    def cannot_write(path: Path, content: bytes) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(catalogues, "_write_atomically", cannot_write)

    assert ensure_languages([tmp_path], ["zh_Hans_CN"]) == []
    assert translated(tmp_path, "Sign in") == "登录"


def test_a_catalogue_that_cannot_be_written_stops_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    po_file(tmp_path)

    def cannot_write(path: Path, content: bytes) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(catalogues, "_write_atomically", cannot_write)

    with pytest.raises(CatalogueError, match="cannot be written.*pybabel compile -d"):
        ensure_languages([tmp_path], ["zh_Hans_CN"])


def test_a_language_without_any_catalogue_stops_the_start(tmp_path: Path) -> None:
    po_file(tmp_path)
    with pytest.raises(CatalogueError, match="No message catalogue for fr"):
        ensure_languages([tmp_path], ["zh_Hans_CN", "fr"])


def test_a_fuzzy_catalogue_is_refused_rather_than_left_out(tmp_path: Path) -> None:
    """pybabel compile skips a catalogue marked fuzzy: the language would be English."""
    po_file(tmp_path, fuzzy=True)
    with pytest.raises(CatalogueError, match="fuzzy"):
        ensure_languages([tmp_path], ["zh_Hans_CN"])


def test_the_package_build_compiles_every_catalogue(tmp_path: Path) -> None:
    po_file(tmp_path)
    (tmp_path / "en" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(
        ROOT / "app" / "translations" / "en" / "LC_MESSAGES" / "messages.po",
        tmp_path / "en" / "LC_MESSAGES",
    )

    written = catalogues.compile_all(tmp_path)

    assert sorted(path.parent.parent.name for path in written) == ["en", "zh_Hans_CN"]
    assert translated(tmp_path, "Sign in") == "登录"


def test_the_instance_folder_of_a_checkout_or_an_installed_copy(tmp_path: Path) -> None:
    checkout, elsewhere = tmp_path / "czg", tmp_path / "srv"
    (checkout / "app").mkdir(parents=True)
    (checkout / "migrations").mkdir()
    site_packages_app = tmp_path / "venv" / "site-packages" / "app"
    site_packages_app.mkdir(parents=True)

    assert project_root(checkout / "app", elsewhere) == checkout
    assert project_root(site_packages_app, elsewhere) == elsewhere
    assert instance_path({}, checkout) == checkout / "instance"
    chosen = {"APP_INSTANCE_PATH": str(tmp_path / "var" / "czg")}
    assert instance_path(chosen, checkout) == tmp_path / "var" / "czg"
