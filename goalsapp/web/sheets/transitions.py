"""Submit, withdraw, approve, return: the workflow's buttons on the sheet page; a unit's whole
year submitted at once from the list; and the reviewer's desk: each decision goes on to the
next sheet in the queue, and the list approves several at once."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ...domain import access, limits, workflow
from ...domain.listing import PER_PAGE, next_in_queue, queue_place, unit_year_reports
from ...domain.models import GoalSheet, previous_year_sheet
from ...domain.retry import retried_when_changed_meanwhile
from ...domain.review import review
from ...extensions import db
from ..forms import CommentForm
from ..guards import fillable_unit_year, readable_sheet, require
from . import bp
from .forms import field_labels
from .routes import render_editor, requested_unit_year, save_header, sheet_form


@bp.post("/sheets/<int:sheet_id>/submit")
@retried_when_changed_meanwhile
def submit(sheet_id: int):
    """Submit, saving first whatever the clerk typed in the header: submitting never loses typing."""
    sheet = readable_sheet(sheet_id)
    saved_header = False
    if "project_name" in request.form and access.can_edit(current_user, sheet):
        form = sheet_form(sheet.form, sheet)
        outcome = save_header(sheet, form)
        if not outcome.saved:  # not submitted: the editor shows why, with the typing kept
            db.session.rollback()
            return render_editor(sheet, form, outcome)
        saved_header = True
    try:
        workflow.submit(sheet, current_user, review(sheet, previous_year_sheet(sheet)))
    except workflow.WorkflowError as error:
        db.session.commit() if saved_header else db.session.rollback()
        flash(("表头已保存，但没有提交：" if saved_header else "") + str(error))
    else:
        db.session.commit()
        flash("已提交，等待财政部门审核。表已锁定，不能再修改；审核前可以撤回。")
    return redirect(url_for(".edit", sheet_id=sheet.id), 303)


@bp.post("/submit-group")
@retried_when_changed_meanwhile
def submit_group():
    """全部提交: every sheet of a unit's year with no blocking finding, each by workflow.submit;
    then the group's page lists the ones left, with what blocks them."""
    unit, year = fillable_unit_year()
    reports = unit_year_reports(unit, year)
    if not reports:  # a stale page's button: the year's sheets were deleted meanwhile
        flash(f"{unit} {year}年没有表，没有可提交的。")
        return redirect(url_for(".index"), 303)
    outcome = workflow.submit_all(reports, current_user)
    db.session.commit()
    if outcome.submitted:
        flash(f"已提交 {len(outcome.submitted)} 张：" + "、".join(sheet.project_name for sheet in outcome.submitted) + "。等待财政部门审核；审核前可以撤回。")
    if outcome.refused:
        flash(f"有 {len(outcome.refused)} 张没有提交，见下面各表的“强制”问题；改正后再点“全部提交”。")
    if not outcome.submitted and not outcome.refused:
        flash("本组没有可提交的表：都已提交或已通过。")
    return redirect(url_for(".group", unit=unit, year=year), 303)


@bp.get("/group")
def group():
    """A unit's year at a glance: each sheet's status, and for each still open what blocks its submission."""
    unit, year, _ = requested_unit_year()
    sheets = [(sheet, report) for sheet, report in unit_year_reports(unit, year) if access.can_read(current_user, sheet)]
    open_sheets = [(sheet, report, field_labels(sheet.form)) for sheet, report in sheets if sheet.status in access.EDITABLE]
    done = [sheet for sheet, _ in sheets if sheet.status not in access.EDITABLE]
    return render_template("sheets/group.html", unit=unit, year=year, open_sheets=open_sheets, done=done,
                           may_submit=access.can_fill(current_user, unit) and bool(open_sheets))


@bp.post("/sheets/<int:sheet_id>/withdraw")
@retried_when_changed_meanwhile
def withdraw(sheet_id: int):
    sheet = readable_sheet(sheet_id)
    return _transition(sheet, lambda: workflow.withdraw(sheet, current_user), "已撤回，表又是草稿，可以修改后重新提交。")


@bp.post("/sheets/<int:sheet_id>/approve")
@retried_when_changed_meanwhile
def approve(sheet_id: int):
    sheet = readable_sheet(sheet_id)
    return _reviewed(sheet, lambda comment: workflow.approve(sheet, current_user, comment), "已审核通过。")


@bp.post("/sheets/<int:sheet_id>/return")
@retried_when_changed_meanwhile
def send_back(sheet_id: int):
    sheet = readable_sheet(sheet_id)
    return _reviewed(sheet, lambda comment: workflow.send_back(sheet, current_user, comment), "已退回填报单位修改。")


def _reviewed(sheet: GoalSheet, move, done: str):
    """A review decision with its comment, once the comment passes the form's checks (else the
    sheet again, the comment kept); decided, on to the next sheet in the queue."""
    form = CommentForm()
    if not form.validate():
        return render_editor(sheet, sheet_form(sheet.form, sheet), comment_form=form)
    place = queue_place(sheet)  # before deciding: deciding moves the sheet out of the queue
    try:
        move(form.comment.data)
    except workflow.WorkflowError as error:
        db.session.rollback()
        flash(str(error))
        return redirect(url_for(".edit", sheet_id=sheet.id), 303)
    db.session.commit()
    following = next_in_queue(sheet, place, access.own_unit_id(current_user))
    if following is None:
        flash(f"“{sheet.project_name}”{done}待审核的表都已审完。")
        return redirect(url_for(".index"), 303)
    flash(f"“{sheet.project_name}”{done}下一张：{following.unit}“{following.project_name}”。")
    return redirect(url_for(".edit", sheet_id=following.id), 303)


@bp.post("/sheets/approve")
@retried_when_changed_meanwhile
def approve_many():
    """批量通过 (and a list row's 通过): each checked sheet approved by the workflow's own checks;
    the ones it refuses are named, with why, and the rest are approved all the same."""
    require(access.can_review(current_user))
    wanted = list(dict.fromkeys(request.form.getlist("sheet_ids", type=int)))
    if not wanted or len(wanted) > PER_PAGE:
        flash("请先勾选要审核通过的表。" if not wanted else f"一次最多审核通过 {PER_PAGE} 张表。")
        return redirect(url_for(".index"), 303)
    storable = [sheet_id for sheet_id in wanted if 0 < sheet_id <= limits.ROW_ID_MAX]  # a bigger id overflows the query
    found = {sheet.id: sheet for sheet in db.session.scalars(select(GoalSheet).where(GoalSheet.id.in_(storable)))}
    approved, refused = [], []
    for sheet_id in wanted:
        sheet = found.get(sheet_id)
        if sheet is None or not access.can_read(current_user, sheet):
            refused.append(f"第 {sheet_id} 号表：找不到这张表（可能已被删除）。")
            continue
        try:
            workflow.approve(sheet, current_user, "")
        except workflow.WorkflowError as error:
            refused.append(f"{sheet.unit}“{sheet.project_name}”：{error}")
        else:
            approved.append(f"“{sheet.project_name}”")
    db.session.commit()
    if approved:
        flash(f"已审核通过 {len(approved)} 张：{'、'.join(approved)}。")
    if refused:
        flash(f"{len(refused)} 张没有通过：" + "；".join(reason.rstrip("。") for reason in refused) + "。")
    return redirect(url_for(".index"), 303)


def _transition(sheet: GoalSheet, move, done: str):
    try:
        move()
    except workflow.WorkflowError as error:
        db.session.rollback()
        flash(str(error))
    else:
        db.session.commit()
        flash(done)
    return redirect(url_for(".edit", sheet_id=sheet.id), 303)
