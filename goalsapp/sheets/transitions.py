"""Submit, approve, return: the workflow's buttons on the sheet page."""
from flask import flash, redirect, url_for
from flask_login import current_user

from .. import workflow
from ..extensions import db
from ..guards import readable_sheet
from ..models import previous_year_sheet
from ..review import review
from . import bp
from .forms import CommentForm


@bp.post("/sheets/<int:sheet_id>/submit")
def submit(sheet_id: int):
    sheet = readable_sheet(sheet_id)
    return _transition(sheet, lambda: workflow.submit(sheet, current_user, review(sheet, previous_year_sheet(sheet))),
                       "已提交，等待财政部门审核。表已锁定，不能再修改。")


@bp.post("/sheets/<int:sheet_id>/approve")
def approve(sheet_id: int):
    sheet = readable_sheet(sheet_id)
    form = CommentForm()
    return _transition(sheet, lambda: workflow.approve(sheet, current_user, form.comment.data or ""), "已审核通过。")


@bp.post("/sheets/<int:sheet_id>/return")
def send_back(sheet_id: int):
    sheet = readable_sheet(sheet_id)
    form = CommentForm()
    return _transition(sheet, lambda: workflow.send_back(sheet, current_user, form.comment.data or ""), "已退回填报单位修改。")


def _transition(sheet, move, done: str):
    try:
        move()
    except workflow.WorkflowError as error:
        db.session.rollback()
        flash(str(error))
    else:
        db.session.commit()
        flash(done)
    return redirect(url_for(".edit", sheet_id=sheet.id), 303)
