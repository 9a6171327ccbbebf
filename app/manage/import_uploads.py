"""Uploaded import files, between the preview and the confirmation.

The preview shows what a file would do; the confirmation must store exactly that file. The file
stays in the instance folder under a random name, and the preview hands the browser a *ticket*:
that name with the manager's id, the kind and the file's SHA-256, signed with ``SECRET_KEY`` and
good for a day. The confirmation sends only the ticket, so the browser cannot swap the file in
between and a phone need not upload it twice. A ticket of another manager, of another kind, with
a bad signature or older than a day is refused. When the app runs on several machines and the
confirmation reaches one that does not hold the file, the manager is asked to choose the same
file again, and only a file with the signed SHA-256 is accepted. Files are removed once
imported, and old ones whenever someone uploads.
"""

import hashlib
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

KEEP_SECONDS = 24 * 3600
SALT = "import-upload"


@dataclass
class Upload:
    """A previewed upload: who sent it, for which kind, its name and digest; ``data`` is None
    when this machine does not hold the file."""

    key: str
    user_id: int
    kind: str
    filename: str
    sha256: str
    data: bytes | None = None

    def matches(self, data: bytes) -> bool:
        """Whether ``data`` is the file that was previewed."""
        return secrets.compare_digest(hashlib.sha256(data).hexdigest(), self.sha256)


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key or "", salt=SALT)


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


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
    """Store an upload (readable by the app's user only) and return its signed ticket."""
    folder = _folder()
    _purge(folder)
    key = secrets.token_urlsafe(24)
    descriptor = os.open(folder / f"{key}.data", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
    sha256 = hashlib.sha256(data).hexdigest()
    return _signer().dumps([key, user_id, kind, filename[:200], sha256])


def load(ticket: str, user_id: int, kind: str) -> Upload | None:
    """The upload a ticket names, if it is genuine, recent, this user's and of this kind; its
    ``data`` when this machine holds the file unchanged."""
    try:
        key, owner, for_kind, filename, sha256 = _signer().loads(ticket, max_age=KEEP_SECONDS)
    except (BadSignature, ValueError, TypeError):
        return None
    if owner != user_id or for_kind != kind:
        return None
    upload = Upload(str(key), owner, for_kind, str(filename), str(sha256))
    try:
        data = (_folder() / f"{upload.key}.data").read_bytes()
    except (FileNotFoundError, OSError):
        return upload
    if upload.matches(data):
        upload.data = data
    return upload


def discard(upload: Upload) -> None:
    """Remove an upload once it has been imported."""
    (_folder() / f"{upload.key}.data").unlink(missing_ok=True)
