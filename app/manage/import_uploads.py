"""Uploaded import files, kept on the server between the preview and the confirmation.

The preview shows what a file would do; the confirmation must store exactly that file. So the
file stays in the instance folder under a random name, and the confirmation sends only that name:
the browser cannot swap the file in between, and a phone need not upload it a second time. Each
upload records who sent it, for which kind and its SHA-256; another manager's name, another kind,
a changed file or one older than a day is refused. Files are removed once imported, and old ones
whenever someone uploads.
"""

import hashlib
import json
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

KEEP_SECONDS = 24 * 3600
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


@dataclass
class Upload:
    """A stored upload: its token, who sent it, for which kind, its name and bytes."""

    token: str
    user_id: int
    kind: str
    filename: str
    data: bytes


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _write_private(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)


def _purge(folder: Path) -> None:
    """Remove uploads older than a day (never imported, or abandoned at the preview)."""
    limit = time.time() - KEEP_SECONDS
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except FileNotFoundError:
            continue  # removed by another worker meanwhile


def keep(user_id: int, kind: str, filename: str, data: bytes) -> str:
    """Store an upload and return the token that names it."""
    folder = _folder()
    _purge(folder)
    token = secrets.token_urlsafe(24)
    meta = {
        "user_id": user_id,
        "kind": kind,
        "filename": filename[:200],
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    _write_private(folder / f"{token}.data", data)
    _write_private(folder / f"{token}.json", json.dumps(meta).encode())
    return token


def load(token: str, user_id: int, kind: str) -> Upload | None:
    """The upload named ``token`` if this user sent it for this kind, intact and recent."""
    if not TOKEN.match(token):
        return None
    folder = _folder()
    try:
        meta = json.loads((folder / f"{token}.json").read_text())
        path = folder / f"{token}.data"
        if path.stat().st_mtime < time.time() - KEEP_SECONDS:
            return None
        data = path.read_bytes()
    except (FileNotFoundError, ValueError):
        return None
    if meta.get("user_id") != user_id or meta.get("kind") != kind:
        return None
    if hashlib.sha256(data).hexdigest() != meta.get("sha256"):
        return None
    return Upload(token, user_id, kind, str(meta.get("filename", "")), data)


def discard(token: str) -> None:
    """Remove an upload once it has been imported."""
    if not TOKEN.match(token):
        return
    for suffix in (".data", ".json"):
        (_folder() / f"{token}{suffix}").unlink(missing_ok=True)
