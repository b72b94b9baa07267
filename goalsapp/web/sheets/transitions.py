"""The sheet's workflow (web/transitions.py's views: each decision goes on to the next sheet in
the reviewer's queue, and the list approves several at once); a unit's whole year submitted at
once from the list, and its page."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...domain import access, workflow
from ...domain.listing import next_in_queue, queue_place, unit_year_reports
from ...domain.models import GoalSheet, previous_year_sheet
from ...domain.retry import retried_when_changed_meanwhile
from ...domain.review import review
from ...extensions import db
from ..guards import fillable_unit_year
from ..transitions import Queue, SaveFirst, register_transitions
from . import bp
from .forms import field_labels
from .routes import render_editor, requested_unit_year, save_header, sheet_form


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


def save_typed_header(sheet: GoalSheet) -> SaveFirst:
    """Submitting saves first whatever the clerk typed in the header: submitting never loses typing."""
    if "project_name" not in request.form or not access.can_edit(current_user, sheet):
        return SaveFirst()
    form = sheet_form(sheet.form, sheet)
    outcome = save_header(sheet, form)
    if not outcome.saved:  # not submitted: the editor shows why, with the typing kept
        db.session.rollback()
        return SaveFirst(refused=render_editor(sheet, form, outcome))
    return SaveFirst(saved=True)


register_transitions(
    bp, GoalSheet, prefix="/sheets", id_name="sheet_id",
    url_of=lambda sheet: url_for("sheets.edit", sheet_id=sheet.id),
    review=lambda sheet: review(sheet, previous_year_sheet(sheet)),
    save_first=save_typed_header,
    with_comment=lambda sheet, comment_form: render_editor(sheet, sheet_form(sheet.form, sheet), comment_form=comment_form),
    queue=Queue(place=queue_place, following=lambda sheet, place: next_in_queue(sheet, place, access.own_unit_id(current_user)),
                emptied=lambda sheet: url_for("sheets.index")),
    batch_to="sheets.index",
)
