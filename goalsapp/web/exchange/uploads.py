"""Uploaded files kept between the preview and the confirmation, in the database (PendingUpload):
a province runs several app servers, and the one that answers the confirmation need not be the
one that took the upload.

The file is read twice (to preview, then to import) rather than holding parsed sheets in the
session, which a cookie could not carry.

What one user can hold is bounded: at most KEEP_PER_USER files (each within the 5 MB upload
limit, so 15 MB), each for KEEP_SECONDS. A new upload drops that user's oldest rather than
being refused: a clerk cannot clean up previews they walked away from, and an old preview
confirmed later just asks for the file again. A token opens only its uploader's file.
"""
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from ...domain.models import PendingUpload, utcnow
from ...extensions import db

TOKEN = re.compile(r"[A-Za-z0-9_-]{22}")
KEEP_PER_USER = 3
KEEP_SECONDS = 2 * 3600  # a preview is confirmed in minutes; lunch in between is fine


def save(user_id: int, data: bytes) -> str:
    """Keep the upload for this user (committed: it outlasts the request); the token names it."""
    db.session.execute(delete(PendingUpload).where(PendingUpload.uploaded_at < _oldest_kept()))
    kept = db.session.scalars(select(PendingUpload.token).where(PendingUpload.user_id == user_id)
                              .order_by(PendingUpload.uploaded_at.desc()).offset(KEEP_PER_USER - 1)).all()
    db.session.execute(delete(PendingUpload).where(PendingUpload.token.in_(kept)))
    token = secrets.token_urlsafe(16)
    db.session.add(PendingUpload(token=token, user_id=user_id, data=data))
    db.session.commit()
    return token


def peek(user_id: int, token: str) -> bytes | None:
    """This user's upload, left in place (to read it again another way), or None as for claim."""
    if not TOKEN.fullmatch(token):
        return None
    return db.session.scalar(select(PendingUpload.data).where(*_open(user_id, token)))


def claim(user_id: int, token: str) -> bytes | None:
    """This user's upload, taken for importing, or None if the token is malformed, another's,
    gone, or already taken: of two confirmations at once (a double click, on two servers) the
    database lets one update it. The claim is part of the import's transaction: stored with it,
    undone with it when the import is refused (rolled back); afterwards discard it."""
    if not TOKEN.fullmatch(token):
        return None
    taken = db.session.execute(update(PendingUpload).where(*_open(user_id, token)).values(claimed=True))
    if taken.rowcount != 1:
        return None
    return db.session.scalar(select(PendingUpload.data).where(PendingUpload.token == token))


def discard(user_id: int, token: str) -> None:
    """Forget an upload once it is imported."""
    db.session.execute(delete(PendingUpload).where(PendingUpload.token == token, PendingUpload.user_id == user_id))
    db.session.commit()


def _open(user_id: int, token: str) -> list:
    """The upload named, if it is this user's, not taken, and not too old to confirm."""
    return [PendingUpload.token == token, PendingUpload.user_id == user_id, PendingUpload.claimed.is_(False),
            PendingUpload.uploaded_at >= _oldest_kept()]


def _oldest_kept() -> datetime:
    return utcnow() - timedelta(seconds=KEEP_SECONDS)
