"""Sheet pages: the list, new and edit, delete, and the print view."""
from dataclasses import dataclass
from datetime import date

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from ...domain import access, history, listing
from ...domain.findings import reviewed
from ...domain.formtemplates import TEMPLATES, FormTemplate
from ...domain.importing import stored_twin
from ...domain.layout import group_indicators
from ...domain.listing import (
    REVIEW_QUEUE,
    SORTS,
    ListFilter,
    available_years,
    next_in_queue,
    opening_filter,
    place_in_group,
    queue_place,
    sheet_list,
)
from ...domain.models import (
    GoalSheet,
    Status,
    add_unless_named_twice,
    previous_year_sheet,
    template_for_year,
    unit_year_sheets,
)
from ...domain.retry import retried_when_changed_meanwhile
from ...domain.text import normalize
from ...extensions import db
from ..forms import CommentForm
from ..guards import editable_sheet, readable_sheet, require
from ..transitions import panel_state
from . import bp
from .forms import IndicatorForm, SheetForm, field_labels, header_form, indicator_form

REMEMBERED_FILTER = "list_filter"  # the session key of the list's last filter


@bp.get("/")
def index():
    """The list, filtered as asked, else as last time, else where the user's work starts (a
    reviewer's queue); 清除 (?clear) forgets the filter."""
    if "clear" in request.args:
        session.pop(REMEMBERED_FILTER, None)
        return redirect(url_for(".index"), 303)
    unit_id = access.own_unit_id(current_user)
    opening = opening_filter(current_user)
    wanted = chosen_filter() or opening
    listed = sheet_list(unit_id, wanted, request.args.get("page", 1, type=int))
    # Asked here once a sheet, rather than by the template (through current_user) for each of its links.
    user = current_user._get_current_object()
    approvable = {item.sheet.id for item in listed.listed if access.can_approve_now(user, item.sheet)}
    editable_ids = {item.sheet.id for item in listed.listed if access.can_edit(user, item.sheet)}
    return render_template(
        "sheets/index.html", groups=listed.groups, page=listed, wanted=wanted, opening=opening, queue=REVIEW_QUEUE,
        nothing_waits=access.can_review(current_user) and opening != REVIEW_QUEUE, approvable=approvable, editable_ids=editable_ids,
        years=available_years(unit_id), sorts=SORTS, statuses=list(Status),
        findings_sorted_across_pages=listing.FINDINGS_SORTED_ACROSS_PAGES,
    )


def chosen_filter() -> ListFilter | None:
    """The filter the query string names, which is then remembered; else the one remembered."""
    if not any(key in request.args for key in ListFilter.KEYS):
        remembered = session.get(REMEMBERED_FILTER)
        return ListFilter.from_args(remembered) if isinstance(remembered, dict) else None
    wanted = ListFilter.from_args(request.args)
    if session.get(REMEMBERED_FILTER) != wanted.as_args():  # an unchanged session is not sent again
        session[REMEMBERED_FILTER] = wanted.as_args()
    return wanted


@bp.route("/sheets/new", methods=["GET", "POST"])
def create():
    require(access.files_sheets(current_user))
    # Units fill in next year's budget tables, so a new sheet defaults to next year.
    year = year_arg() or date.today().year + 1
    # The bureau's form for the year, unless the clerk picks another (a project filed in another form).
    template = TEMPLATES.get(request.values.get("template", "")) or template_for_year(year)
    form = sheet_form(template, data={"unit": request.args.get("unit", ""), "year": year})
    twin = None
    if form.validate_on_submit():
        require(access.can_fill(current_user, form.unit.data))
        sheet = GoalSheet(template=template.code, status=Status.DRAFT)
        form.populate_obj(sheet)
        history.record(sheet, current_user, "create")
        db.session.add(sheet)
        if (twin := add_unless_named_twice(sheet)) is None:
            db.session.commit()
            flash(f"已创建“{sheet.project_name}”，请填写绩效指标。")
            return redirect(url_for(".edit", sheet_id=sheet.id), 303)
        db.session.rollback()
    return render_template("sheets/sheet.html", form=form, sheet=None, editable=True, conflict=None, twin=twin,
                           template=template, templates=TEMPLATES.values()), 422 if form.errors or twin else 200


@bp.route("/sheets/<int:sheet_id>", methods=["GET", "POST"])
@retried_when_changed_meanwhile
def edit(sheet_id: int):
    sheet = readable_sheet(sheet_id, joinedload(GoalSheet.indicators))  # the editor shows every row
    form = sheet_form(sheet.form, sheet)
    if request.method == "POST":
        require(access.can_edit(current_user, sheet))
        outcome = save_header(sheet, form)
        if outcome.saved:
            db.session.commit()
            if request.form.get("then") == "next":  # 保存并下一张: the next of the group; after the last, the group
                if (following := place_in_group(sheet).next) is not None:
                    flash(f"“{sheet.project_name}”的表头已保存。这是本组的下一张。")
                    return redirect(url_for(".edit", sheet_id=following[0]), 303)
                flash(f"“{sheet.project_name}”的表头已保存。那是本组的最后一张。")
                return redirect(url_for(".group", unit=sheet.unit, year=sheet.year), 303)
            flash("表头已保存。")
            return redirect(url_for(".edit", sheet_id=sheet.id), 303)
        return render_editor(sheet, form, outcome)
    return render_editor(sheet, form)


@dataclass(frozen=True)
class HeaderOutcome:
    """What became of a header save: saved, or why not (the form holds any field errors)."""

    saved: bool = False
    conflict: list[list[str]] | None = None  # [label, theirs, yours] when someone saved meanwhile
    twin: GoalSheet | None = None  # another sheet of the same unit, year and project


def save_header(sheet: GoalSheet, form: SheetForm) -> HeaderOutcome:
    """Check the posted header and store it (the caller commits), or say why not."""
    if not form.validate():
        return HeaderOutcome()
    require(access.can_fill(current_user, form.unit.data))  # a sheet never moves to a unit not one's own
    if (twin := _twin_of(form, sheet)) is not None:
        return HeaderOutcome(twin=twin)
    if form.conflicts_with(sheet):
        theirs = history.header_snapshot(sheet)
        if differences := history.changes(theirs, history.header_snapshot(_unsaved_copy(form, sheet))):
            form.start_from(sheet)
            return HeaderOutcome(conflict=differences)
        return HeaderOutcome(saved=True)  # stored already (sent twice): nothing to overwrite or record
    if history.change(sheet, current_user, "update_header", lambda: history.header_snapshot(sheet), lambda: form.populate_obj(sheet)):
        sheet.header_version += 1
    return HeaderOutcome(saved=True)


def render_editor(sheet: GoalSheet, form: SheetForm, outcome: HeaderOutcome = HeaderOutcome(),
                  comment_form: CommentForm | None = None):
    """The editor page; a header (or a review comment) that was not saved shows why, with the user's typing kept."""
    groups = group_indicators(sheet.form.framework, sheet.indicators)
    refused = form.errors or outcome.twin or (comment_form is not None and comment_form.errors)
    status = 409 if outcome.conflict is not None else 422 if refused else 200
    previous = previous_year_sheet(sheet)
    return render_template(
        "sheets/sheet.html", form=form, sheet=sheet, groups=groups, field_labels=field_labels(sheet.form),
        conflict=outcome.conflict, twin=outcome.twin, place=place_in_group(sheet), first_row=_first_row(sheet, groups),
        **page_state(sheet, previous, comment_form),
        # The categories last year's sheet has rows in: each offers 引用上年.
        last_year={row.level2 for row in previous.indicators} if previous else set(),
    ), status


def _first_row(sheet: GoalSheet, groups: list) -> IndicatorForm | None:
    """The first category's new row, open, on a sheet with no rows yet that the user may fill in."""
    if sheet.indicators or not groups or not access.can_edit(current_user, sheet):
        return None
    return indicator_form(sheet.template)(formdata=None, data={"level1": groups[0].level1, "level2": groups[0].level2})


def page_state(sheet: GoalSheet, previous: GoalSheet | None, comment_form: CommentForm | None = None) -> dict:
    """What the editor shows that changes with the rows: the findings (against last year's sheet,
    `previous`), the workflow panel, the history. The comment box starts empty on every sheet; it
    holds typing only when a decision was refused."""
    panel = panel_state(sheet, comment_form)
    return dict(
        panel,
        report=reviewed(sheet, previous),  # its counts remembered for the list
        restorable=restorable_rows(sheet) if panel["editable"] else {},
        actions=history.ACTIONS,
        following=following_in_queue(sheet) if panel["reviewable"] else None,
    )


def restorable_rows(sheet: GoalSheet) -> dict[int, int]:
    """Each delete event whose row may be brought back from the history → the editor's category
    it goes back to (numbered as the editor numbers its categories, from 1)."""
    categories = {pair: number for number, pair in enumerate(sheet.form.framework.pairs(), start=1)}
    pending = history.restorable(sheet.events)
    return {event.id: categories[category] for event in sheet.events
            if event.id in pending and (category := history.deleted_category(event.changes)) in categories}


def following_in_queue(sheet: GoalSheet) -> GoalSheet | None:
    """The submission a reviewer goes on to after this one (deciding it, or skipping it)."""
    return next_in_queue(sheet, queue_place(sheet), access.own_unit_id(current_user))


def _twin_of(form: SheetForm, sheet: GoalSheet | None = None) -> GoalSheet | None:
    """Another stored sheet with the unit, year and project the form names, when the form
    gives a sheet that name (two an import kept on purpose stay editable as they are)."""
    key = (form.unit.data, form.year.data, form.project_name_given())
    if sheet is not None and key == (sheet.unit, sheet.year, sheet.project_name):
        return None
    return stored_twin(GoalSheet(unit=key[0], year=key[1], project_name=key[2]))


def _unsaved_copy(form: SheetForm, sheet: GoalSheet) -> GoalSheet:
    """What the sheet's header would be with the form's values, without touching the sheet."""
    copy = GoalSheet(template=sheet.template, fields=dict(sheet.fields or {}))
    form.populate_obj(copy)
    return copy


def sheet_form(template: FormTemplate, sheet: GoalSheet | None = None, **kwargs) -> SheetForm:
    """The header form of the sheet's template; a 填报人's unit is theirs whatever the request says."""
    form_class = header_form(template.code)
    form = form_class.for_sheet(sheet, **kwargs) if sheet is not None else form_class(**kwargs)
    if own_unit := access.unit_of(current_user):
        form.unit.data = own_unit
    return form


@bp.get("/sheets/<int:sheet_id>/findings")
def findings(sheet_id: int):
    """After a row change (htmx): the findings panel, and out of band every row's and field's
    marks, the workflow panel and the history, so nothing on the page contradicts the rows."""
    sheet = readable_sheet(sheet_id)
    return render_template("sheets/_findings.html", sheet=sheet, field_labels=field_labels(sheet.form), oob=True,
                           **page_state(sheet, previous_year_sheet(sheet)))


@bp.post("/sheets/<int:sheet_id>/delete")
def delete(sheet_id: int):
    sheet = editable_sheet(sheet_id)
    db.session.delete(sheet)
    db.session.commit()
    flash(f"已删除“{sheet.project_name}”。")
    return redirect(url_for(".index"), 303)


@bp.get("/sheets/<int:sheet_id>/print")
def print_sheet(sheet_id: int):
    sheet = readable_sheet(sheet_id)
    return _render_print([sheet], title=f"{sheet.project_name}（打印）")


@bp.get("/print")
def print_group():
    """Every sheet of one unit and year in one document, each on its own page."""
    unit, year, sheets = requested_unit_year()
    return _render_print(sheets, title=f"{unit} {year}年项目支出绩效目标表（{len(sheets)}张）")


def requested_unit_year() -> tuple[str, int, list[GoalSheet]]:
    """The unit and year the query string names, with their sheets; 404 when there are none
    or the user may not read them."""
    unit, year = normalize(request.args.get("unit"), multiline=False), year_arg()
    sheets = [sheet for sheet in unit_year_sheets(unit, year) if access.can_read(current_user, sheet)]
    if not sheets:
        abort(404)
    return unit, year, sheets


def year_arg() -> int | None:
    """The query string's year, if it is one (a huge number would overflow the database)."""
    year = request.args.get("year", type=int)
    return year if year is not None and 1900 <= year <= 9999 else None


def _render_print(sheets: list[GoalSheet], title: str):
    return render_template("print/sheets.html", sheets=sheets, title=title)
