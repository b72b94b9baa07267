"""Uploaded files kept between the preview and the confirmation, in instance/uploads.

The file is read twice (to preview, then to import) rather than holding parsed
sheets in the session, which a cookie could not carry.
"""
import re
import secrets
import time
from pathlib import Path

from flask import current_app

TOKEN = re.compile(r"[A-Za-z0-9_-]{22}")
KEEP_SECONDS = 24 * 3600


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "uploads"
    folder.mkdir(exist_ok=True)
    return folder


def save(data: bytes) -> str:
    """Keep the upload; the token names it (and nothing else can)."""
    _sweep()
    token = secrets.token_urlsafe(16)
    (_folder() / token).write_bytes(data)
    return token


def load(token: str) -> bytes | None:
    """The upload, or None if the token is malformed or the file is gone."""
    path = _folder() / token
    if not TOKEN.fullmatch(token) or not path.is_file():
        return None
    return path.read_bytes()


def discard(token: str) -> None:
    if TOKEN.fullmatch(token):
        (_folder() / token).unlink(missing_ok=True)


def _sweep() -> None:
    """Drop uploads nobody confirmed within a day."""
    cutoff = time.time() - KEEP_SECONDS
    for path in _folder().iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
