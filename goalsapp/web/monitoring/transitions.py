"""A monitoring's workflow: web/transitions.py's views, as for a sheet; a decision goes on to the
round's next monitoring waiting for the bureau."""
from flask import request, url_for
from flask_login import current_user

from ...domain import access, monitoring
from ...domain.models import Monitoring
from ...extensions import db
from ..transitions import Queue, SaveFirst, register_transitions
from . import bp
from .routes import Editor, render_editor, save


def save_typed(found: Monitoring) -> SaveFirst:
    """Submitting saves first what the clerk typed: submitting never loses typing."""
    if not any(field in request.form for field in monitoring.MONEY_FIELDS) or not access.can_edit(current_user, found):
        return SaveFirst()
    editor = Editor.of(found, posted=True)
    outcome = save(found, editor)
    if not outcome.saved:  # not submitted: the editor shows why, the typing kept
        db.session.rollback()
        return SaveFirst(refused=render_editor(found, editor, outcome))
    return SaveFirst(saved=True)


register_transitions(
    bp, Monitoring, prefix="/monitorings", id_name="monitoring_id",
    url_of=lambda found: url_for("monitoring.edit", monitoring_id=found.id),
    review=monitoring.review,
    save_first=save_typed,
    with_comment=lambda found, comment_form: render_editor(found, Editor.of(found), comment_form=comment_form),
    queue=Queue(place=lambda found: None,
                following=lambda found, _: monitoring.next_submitted(found.round, found, access.own_unit_id(current_user)),
                emptied=lambda found: url_for("monitoring.round_page", round_id=found.round_id)),
)
