"""Submit, withdraw, approve, return a monitoring: workflow.py's transitions, as for a sheet."""
from flask import flash, redirect, request, url_for
from flask_login import current_user

from ...domain import access, monitoring, workflow
from ...domain.models import Monitoring
from ...domain.retry import retried_when_changed_meanwhile
from ...extensions import db
from ..forms import CommentForm
from ..guards import readable_document
from . import bp
from .routes import Editor, render_editor, save


@bp.post("/monitorings/<int:monitoring_id>/submit")
@retried_when_changed_meanwhile
def submit(monitoring_id: int):
    """Submit, saving first what the clerk typed: submitting never loses typing."""
    found = readable_document(Monitoring, monitoring_id)
    saved = False
    if any(field in request.form for field in monitoring.MONEY_FIELDS) and access.can_edit(current_user, found):
        editor = Editor.of(found, posted=True)
        outcome = save(found, editor)
        if not outcome.saved:  # not submitted: the editor shows why, the typing kept
            db.session.rollback()
            return render_editor(found, editor, outcome)
        saved = True
    try:
        workflow.submit(found, current_user, monitoring.review(found))
    except workflow.WorkflowError as error:
        db.session.commit() if saved else db.session.rollback()
        flash(("已保存，但没有提交：" if saved else "") + str(error))
    else:
        db.session.commit()
        flash("运行监控已提交，等待财政部门审核。提交后不能再修改；审核前可以撤回。")
    return redirect(url_for(".edit", monitoring_id=found.id), 303)


@bp.post("/monitorings/<int:monitoring_id>/withdraw")
@retried_when_changed_meanwhile
def withdraw(monitoring_id: int):
    found = readable_document(Monitoring, monitoring_id)
    try:
        workflow.withdraw(found, current_user)
    except workflow.WorkflowError as error:
        db.session.rollback()
        flash(str(error))
    else:
        db.session.commit()
        flash("已撤回，运行监控又是草稿，可以修改后重新提交。")
    return redirect(url_for(".edit", monitoring_id=found.id), 303)


@bp.post("/monitorings/<int:monitoring_id>/approve")
@retried_when_changed_meanwhile
def approve(monitoring_id: int):
    found = readable_document(Monitoring, monitoring_id)
    return decided(found, lambda comment: workflow.approve(found, current_user, comment), "已审核通过。")


@bp.post("/monitorings/<int:monitoring_id>/return")
@retried_when_changed_meanwhile
def send_back(monitoring_id: int):
    found = readable_document(Monitoring, monitoring_id)
    return decided(found, lambda comment: workflow.send_back(found, current_user, comment), "已退回填报单位修改。")


def decided(found: Monitoring, move, done: str):
    """A review decision with its comment (a comment too long: the page again, the comment kept);
    decided, on to the round's next monitoring waiting for the bureau."""
    form = CommentForm()
    if not form.validate():
        return render_editor(found, Editor.of(found), comment_form=form)
    try:
        move(form.comment.data)
    except workflow.WorkflowError as error:
        db.session.rollback()
        flash(str(error))
        return redirect(url_for(".edit", monitoring_id=found.id), 303)
    db.session.commit()
    following = monitoring.next_submitted(found.round, found, access.own_unit_id(current_user))
    if following is None:
        flash(f"“{found.sheet.project_name}”的运行监控{done}本轮待审核的都已审完。")
        return redirect(url_for(".round_page", round_id=found.round_id), 303)
    flash(f"“{found.sheet.project_name}”的运行监控{done}下一张：{following.unit}“{following.sheet.project_name}”。")
    return redirect(url_for(".edit", monitoring_id=following.id), 303)
