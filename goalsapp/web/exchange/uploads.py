"""Uploaded files kept between the preview and the confirmation, in instance/uploads/<user id>/.

The file is read twice (to preview, then to import) rather than holding parsed
sheets in the session, which a cookie could not carry.

What one user can hold is bounded: at most KEEP_PER_USER files (each within the 5 MB upload
limit, so 15 MB), each for KEEP_SECONDS. A new upload drops that user's oldest rather than
being refused: a clerk cannot clean up previews they walked away from, and an old preview
confirmed later just asks for the file again. A user's token opens only their own folder.
"""
import re
import secrets
import time
from pathlib import Path

from flask import current_app

TOKEN = re.compile(r"[A-Za-z0-9_-]{22}")
KEEP_PER_USER = 3
KEEP_SECONDS = 2 * 3600  # a preview is confirmed in minutes; lunch in between is fine


def _root() -> Path:
    """instance/uploads, unless the UPLOADS_FOLDER setting names another place."""
    return Path(current_app.config.get("UPLOADS_FOLDER") or Path(current_app.instance_path) / "uploads")


def _folder(user_id: int) -> Path:
    folder = _root() / str(int(user_id))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save(user_id: int, data: bytes) -> str:
    """Keep the upload for this user; the token names it (and nothing else can)."""
    _sweep()
    folder = _folder(user_id)
    kept = sorted(folder.iterdir(), key=lambda path: path.stat().st_mtime_ns)
    for path in kept[: max(0, len(kept) - KEEP_PER_USER + 1)]:
        path.unlink(missing_ok=True)
    token = secrets.token_urlsafe(16)
    (folder / token).write_bytes(data)
    return token


def peek(user_id: int, token: str) -> bytes | None:
    """This user's upload, left in place (to read it again another way), or None as for claim."""
    path = _folder(user_id) / token
    if not TOKEN.fullmatch(token) or not path.is_file() or _expired(path):
        return None
    return path.read_bytes()


def claim(user_id: int, token: str) -> bytes | None:
    """This user's upload, taken for importing, or None if the token is malformed, another's,
    gone, or already taken: a rename is atomic, so of two confirmations at once (a double
    click) only one imports. Afterwards discard it, or release it if the import was refused."""
    path = _folder(user_id) / token
    if not TOKEN.fullmatch(token) or not path.is_file() or _expired(path):
        return None
    try:
        path.rename(_claimed(path))
    except FileNotFoundError:
        return None
    return _claimed(path).read_bytes()


def release(user_id: int, token: str) -> None:
    """Put a claimed upload back, for the user to choose again."""
    path = _folder(user_id) / token
    _claimed(path).rename(path)


def discard(user_id: int, token: str) -> None:
    if TOKEN.fullmatch(token):
        _claimed(_folder(user_id) / token).unlink(missing_ok=True)


def _claimed(path: Path) -> Path:
    return path.with_name(path.name + ".claimed")


def _sweep() -> None:
    """Drop every user's uploads nobody confirmed in time."""
    for path in _root().glob("**/*"):
        if path.is_file() and _expired(path):
            path.unlink(missing_ok=True)


def _expired(path: Path) -> bool:
    """Too old to confirm; a file another request took meanwhile (a double click's other
    confirmation, the sweep) is as good as gone."""
    try:
        return path.stat().st_mtime < time.time() - KEEP_SECONDS
    except FileNotFoundError:
        return True
