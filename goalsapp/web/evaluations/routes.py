"""The self-evaluation's pages: start it from an approved sheet, the editor (what is typed is
scored at once, and each row or the money block is saved as it is left), the workflow, print."""
from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...domain import access, evaluation, history
from ...domain.evaluation_layout import paper
from ...domain.models import Evaluation, EvaluationRow, GoalSheet
from ...domain.retry import retried_when_changed_meanwhile
from ...extensions import db
from .. import transitions
from ..forms import CommentForm
from ..guards import editable_document, readable_document, readable_sheet, require
from ..sheets.routes import requested_unit_year
from . import bp, forms

ACTIONS = history.ACTIONS | evaluation.ACTIONS


@bp.app_template_global()
def self_evaluation_of(sheet: GoalSheet) -> Evaluation | None:
    """The sheet page's 年度自评: the sheet's self-evaluation, once there is one (an imported one
    may wait for its target's approval)."""
    return evaluation.evaluation_of(sheet)


@bp.app_template_global()
def may_start_evaluation(sheet: GoalSheet) -> bool:
    return evaluation.may_start(sheet) and access.can_fill(current_user, sheet.unit)


@bp.post("/sheets/<int:sheet_id>/evaluation")
@retried_when_changed_meanwhile
def start(sheet_id: int):
    """年度自评: open the sheet's self-evaluation, starting it from the approved rows if need be."""
    sheet = readable_sheet(sheet_id)
    found = evaluation.evaluation_of(sheet)
    if found is None:
        require(access.can_fill(current_user, sheet.unit))
        try:
            found = evaluation.start(sheet, current_user)
            db.session.commit()
        except evaluation.EvaluationRefused as error:
            db.session.rollback()
            flash(str(error))
            return redirect(url_for("sheets.edit", sheet_id=sheet_id), 303)
        except IntegrityError:  # started by a colleague in the same instant: theirs it is
            db.session.rollback()
            found = evaluation.evaluation_of(readable_sheet(sheet_id))
        else:
            flash("已开始年度自评：指标来自审核通过的目标表，分值按产出50分、效益30分、满意度10分分配，可以修改。")
    return redirect(url_for(".show", evaluation_id=found.id), 303)


@bp.get("/evaluations/<int:evaluation_id>")
def show(evaluation_id: int):
    item = readable_document(Evaluation, evaluation_id)
    return render_editor(item, forms.shown(item))


@bp.post("/evaluations/<int:evaluation_id>")
@retried_when_changed_meanwhile
def update(evaluation_id: int):
    """保存: the whole table at once (also what the page does without scripts)."""
    item = editable_document(Evaluation, evaluation_id)
    typed = forms.typed(item)
    if typed.errors:
        return render_editor(item, typed, status=422)
    if (conflict := conflict_of(item, typed)) is not None:
        return render_editor(item, typed, conflict=conflict, status=409)
    evaluation.save_all(item, typed.draft, current_user)
    db.session.commit()
    flash("自评表已保存。")
    return redirect(url_for(".show", evaluation_id=item.id), 303)


@bp.post("/evaluations/<int:evaluation_id>/preview")
def preview(evaluation_id: int):
    """While the clerk types (htmx): the scores of what is on the screen; nothing is stored."""
    item = editable_document(Evaluation, evaluation_id)
    return computed(item, forms.typed(item))


@bp.post("/evaluations/<int:evaluation_id>/rows/<int:row_id>")
@retried_when_changed_meanwhile
def update_row(evaluation_id: int, row_id: int):
    """A row left after a change (htmx): stored unless something in it is typed wrong."""
    item = editable_document(Evaluation, evaluation_id)
    row = _row(item, row_id)
    typed = forms.typed(item)
    if typed.row_errors(row.id):
        return computed(item, typed, f"第{row.position}行没有保存：请改正标红的栏目。")
    if (conflict := conflict_of(item, typed)) is not None:
        return computed(item, typed, f"第{row.position}行没有保存：{SAVED_MEANWHILE}", conflict=conflict)
    evaluation.save_row(item, row, next(draft for draft in typed.draft.rows if draft.id == row.id), current_user)
    db.session.commit()
    return computed(item, typed, f"第{row.position}行已保存。", saved=f"row-{row.id}")


@bp.post("/evaluations/<int:evaluation_id>/header")
@retried_when_changed_meanwhile
def update_header(evaluation_id: int):
    """The money block or a text left after a change (htmx): stored unless typed wrong."""
    item = editable_document(Evaluation, evaluation_id)
    typed = forms.typed(item)
    if typed.header_errors:
        return computed(item, typed, "项目资金或文字没有保存：请改正标红的栏目。")
    if (conflict := conflict_of(item, typed)) is not None:
        return computed(item, typed, f"项目资金或文字没有保存：{SAVED_MEANWHILE}", conflict=conflict)
    evaluation.save_header(item, typed.draft, current_user)
    db.session.commit()
    return computed(item, typed, "已保存。", saved=HEADER_PARTS)


HEADER_PARTS = "evaluation-header evaluation-texts"  # the page's parts a header save stores
SAVED_MEANWHILE = "别人（或另一个窗口）刚保存过这张自评表，见页面上方。"


def conflict_of(item: Evaluation, typed: forms.Typed) -> list[list[str]] | None:
    """Instead of saving, what to show the clerk when the page began from an older version of the
    table than the stored one: someone, or the same clerk in another window, saved meanwhile, and
    saving would put this page's older values over theirs. None: save. A post without a version is
    not checked; nor is one that would change nothing of what is stored."""
    begun = request.form.get("version", "")
    if begun in ("", str(item.version)):
        return None
    return evaluation.conflicting(item, typed.draft) or None


def page_version(item: Evaluation, conflict: list[list[str]] | None = None):
    """The version the page goes on from: the one its typing began from while that is not in
    question, the stored one once a conflict has been shown (saving again overwrites on purpose)."""
    return item.version if conflict is not None else request.form.get("version") or item.version


def _row(item: Evaluation, row_id: int) -> EvaluationRow:
    row = next((row for row in item.rows if row.id == row_id), None)
    if row is None:
        abort(404)
    return row


def computed(item: Evaluation, typed: forms.Typed, message: str = "", saved: str | None = None,
             conflict: list[list[str]] | None = None):
    """Everything on the page that follows from the typing, out of band: each row's 得分 and its
    marks, the money block's 执行率 and 得分, the weights' sum, 总分 and grade, each field's
    error, the findings; after a save also the workflow panel and the history. The inputs
    themselves are never sent back, so nothing the clerk is typing is overwritten. A save, or a
    conflict in its place, also sends the stored version, which the page goes on from, and the conflict if any."""
    response = make_response(render_template(
        "evaluations/_computed.html", item=item, typed=typed, message=message, saved=saved, conflict=conflict,
        version=item.version, **scored(typed),
        **(panel_state(item) if saved else {})))
    if saved:
        response.headers["HX-Trigger"] = f'{{"evaluation-saved": {{"scope": "{saved}"}}}}'
    return response


def scored(typed: forms.Typed) -> dict:
    """The numbers and findings of what is typed (typed.draft), as the page shows them."""
    draft = typed.draft
    outcome = evaluation.result(draft)
    return dict(outcome=outcome, report=evaluation.review(draft, outcome), points=evaluation.level1_points(draft),
                part_rates={part: evaluation.part_rate(draft, part) for part, _ in evaluation.parts_of(draft.sheet)},
                money_parts=evaluation.parts_of(draft.sheet), money_amounts=evaluation.AMOUNTS)


@bp.app_template_filter()
def points(number) -> str:
    """分值 and 得分 as the tables print them: 7.2, 10, 95.67."""
    return evaluation.format_number(number)


@bp.app_template_filter()
def rate(number) -> str:
    """执行率: 95.67%."""
    return evaluation.format_rate(number)


def render_editor(item: Evaluation, typed: forms.Typed, comment_form: CommentForm | None = None, status: int = 200,
                  conflict: list[list[str]] | None = None):
    """The editor; typing that was not saved stays in it, with why (422), or beside what someone
    saved meanwhile (409)."""
    return render_template("evaluations/edit.html", item=item, typed=typed, conflict=conflict,
                           version=page_version(item, conflict), **scored(typed), **panel_state(item, comment_form)), status


def panel_state(item: Evaluation, comment_form: CommentForm | None = None) -> dict:
    """The workflow panel and the history, as on the target sheet's page."""
    return dict(transitions.panel_state(item, comment_form), events=history.events_of(item), actions=ACTIONS)


# --- the workflow --------------------------------------------------------------------------


def save_whole_table(item: Evaluation) -> transitions.SaveFirst:
    """Submitting saves first whatever the page holds: submitting never loses typing."""
    if not access.can_edit(current_user, item) or "budget" not in request.form:
        return transitions.SaveFirst()
    typed = forms.typed(item)
    if typed.errors:  # not submitted: the editor shows why, with the typing kept
        return transitions.SaveFirst(refused=render_editor(item, typed, status=422))
    if (conflict := conflict_of(item, typed)) is not None:
        return transitions.SaveFirst(refused=render_editor(item, typed, conflict=conflict, status=409))
    evaluation.save_all(item, typed.draft, current_user)
    return transitions.SaveFirst(saved=True)


transitions.register_transitions(
    bp, Evaluation, prefix="/evaluations", id_name="evaluation_id",
    url_of=lambda item: url_for("evaluations.show", evaluation_id=item.id),
    review=evaluation.review,
    save_first=save_whole_table,
    with_comment=lambda item, comment_form: render_editor(item, forms.shown(item), comment_form=comment_form, status=422),
)


# --- print ---------------------------------------------------------------------------------


@bp.get("/evaluations/<int:evaluation_id>/print")
def print_evaluation(evaluation_id: int):
    item = readable_document(Evaluation, evaluation_id)
    return render_template("print/evaluations.html", pages=[paper(item)],
                           title=f"{item.sheet.project_name}自评表（打印）")


@bp.get("/evaluations/print")
def print_group():
    """Every self-evaluation of a unit's year in one document, each on its own page."""
    unit, year, sheets = requested_unit_year()
    found = db.session.scalars(select(Evaluation).where(Evaluation.sheet_id.in_([sheet.id for sheet in sheets]))
                               .order_by(Evaluation.sheet_id)).all()
    if not found:
        abort(404)
    return render_template("print/evaluations.html", pages=[paper(item) for item in found],
                           title=f"{unit} {year}年项目支出绩效自评表（{len(found)}张）")
