"""Changes to one sheet serialize on its version (history.record touches the sheet): of two at
once, the second finds the version moved and fails. Most such meetings are no real conflict
(two rows added side by side), so the loser simply runs again, on the sheet as it now is."""
import random
import time
from functools import wraps

from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db

ATTEMPTS = 8  # enough for a handful of clerks saving into one sheet in the same instant


def retried_when_changed_meanwhile(view):
    """Run the view again when its commit met another change to the same sheet; after a few
    tries the error stands (the app answers 409). A re-run sees the sheet anew: if it was
    submitted meanwhile, the view's own checks now refuse."""

    @wraps(view)
    def run(*args, **kwargs):
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return view(*args, **kwargs)
            except StaleDataError:
                db.session.rollback()
                if attempt == ATTEMPTS:
                    raise
                time.sleep(random.uniform(0, 0.01 * attempt))  # so the ones that met do not meet again

    return run
