"""Compiled message catalogues (``.mo``) kept in step with their ``.po`` sources.

The ``.mo`` files are build products (git-ignored). Without one, Flask-Babel quietly falls back to
the English msgids, so the app would serve English under ``<html lang="zh-CN">``. Hence:

- the app checks its catalogues when it starts (``create_app``): a missing or outdated ``.mo`` is
  compiled from its ``.po`` on the spot; one that can be neither found nor compiled stops the
  start with ``CatalogueError``;
- building the package (``setup.py``) compiles them into the wheel, so an installed copy needs
  no writing at start-up.

Only the standard library and Babel are imported here: the package build runs this file on its
own, before Flask or the app are installed.
"""

import contextlib
import os
import tempfile
from collections.abc import Iterable
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

DOMAIN = "messages"


class CatalogueError(RuntimeError):
    """A language's compiled catalogue is missing and cannot be made."""


def compile_po(po: Path) -> bytes:
    """The ``.mo`` bytes of ``po``, as ``pybabel compile`` makes them (fuzzy entries left out)."""
    try:
        with po.open("rb") as handle:
            catalog = read_po(handle)
    except Exception as error:
        raise CatalogueError(f"Cannot read the message catalogue {po}: {error}") from error
    if catalog.fuzzy:
        # pybabel compile skips such a catalogue: the language would silently be English.
        raise CatalogueError(f"The message catalogue {po} is marked fuzzy in its header.")
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def _messages(catalog: Catalog) -> tuple[str, dict[object, object]]:
    def frozen(text: object) -> object:
        return tuple(text) if isinstance(text, list | tuple) else text  # plurals

    return catalog.plural_forms, {
        (m.context, frozen(m.id)): frozen(m.string) for m in catalog if m.id
    }


def same_messages(first: bytes, second: bytes) -> bool:
    """Whether two ``.mo`` files translate alike (their headers may name another Babel)."""
    return _messages(read_mo(BytesIO(first))) == _messages(read_mo(BytesIO(second)))


def _write_atomically(path: Path, content: bytes) -> None:
    # Several workers may start at once: each writes a file of its own, then renames it.
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.chmod(name, 0o644)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def ensure_compiled(mo: Path) -> bool:
    """Compile ``mo`` from the ``.po`` beside it when missing or older; whether it was written.

    An older ``.mo`` that already says the same (an installed wheel: files unpacked in any
    order) is kept, so a read-only installation starts without writing.
    """
    po = mo.with_suffix(".po")
    if not po.exists():
        if mo.exists():
            return False
        raise CatalogueError(f"No message catalogue at {po} (nor a compiled {mo.name}).")
    if mo.exists() and mo.stat().st_mtime_ns >= po.stat().st_mtime_ns:
        return False
    compiled = compile_po(po)
    try:
        if mo.exists() and same_messages(mo.read_bytes(), compiled):
            with contextlib.suppress(OSError):
                os.utime(mo)  # spares the next start this comparison, where it may
            return False
        _write_atomically(mo, compiled)
    except OSError as error:
        raise CatalogueError(
            f"The compiled catalogue {mo} is missing or older than its .po and cannot be "
            f"written ({error}). Compile it as the owner of these files: "
            f"pybabel compile -d {mo.parent.parent.parent}"
        ) from error
    return True


def ensure_languages(directories: Iterable[Path], locales: Iterable[str]) -> list[Path]:
    """Make sure each locale (Babel's name: ``zh_Hans_CN``) has a current ``.mo`` in one of
    ``directories``; the files compiled now. Raises ``CatalogueError`` when one has none."""
    directories = list(directories)
    written = []
    for locale in locales:
        candidates = [folder / locale / "LC_MESSAGES" / f"{DOMAIN}.mo" for folder in directories]
        found = [mo for mo in candidates if mo.exists() or mo.with_suffix(".po").exists()]
        if not found:
            places = ", ".join(str(folder) for folder in directories)
            raise CatalogueError(f"No message catalogue for {locale} in {places}.")
        if ensure_compiled(found[0]):
            written.append(found[0])
    return written


def compile_all(directory: Path) -> list[Path]:
    """Compile every ``<locale>/LC_MESSAGES/messages.po`` under ``directory`` (package build)."""
    written = []
    for po in sorted(directory.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = po.with_suffix(".mo")
        mo.write_bytes(compile_po(po))
        written.append(mo)
    return written
