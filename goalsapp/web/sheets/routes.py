"""Sheet pages: the list, new and edit, delete, and the print view."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import groupby

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ...domain import access, history
from ...domain.formtemplates import TEMPLATES, FormTemplate
from ...domain.importing import stored_twin
from ...domain.layout import group_indicators, print_rows
from ...domain.models import (
    GoalSheet,
    Status,
    add_unless_named_twice,
    previous_year_sheet,
    previous_year_sheets,
    template_for_year,
    unit_year_sheets,
)
from ...domain.retry import retried_when_changed_meanwhile
from ...domain.review import Report, review
from ...domain.text import normalize
from ...extensions import db
from ..guards import editable_sheet, readable_sheet, require
from . import bp
from .forms import CommentForm, SheetForm, field_labels, header_form

PER_PAGE = 50  # sheets a list page shows; the page costs the same however many there are


@dataclass(frozen=True)
class UnitYear:
    """The sheets one unit files for one year, as the list shows them, with the whole group's totals."""

    unit: str
    year: int
    sheets: list[tuple[GoalSheet, Report]]
    count: int
    local_budget: Decimal
    higher_funds: Decimal


@bp.get("/")
def index():
    status = request.args.get("status")
    filters = []
    if own_unit := access.unit_of(current_user):
        filters.append(GoalSheet.unit == own_unit)
    if status in set(Status):
        filters.append(GoalSheet.status == status)
    # Counted plainly: paginate's own count wraps the ordered query, which costs a scan of every sheet.
    total = db.session.scalar(select(func.count(GoalSheet.id)).where(*filters))
    last_page = max(1, -(-total // PER_PAGE))
    page = db.paginate(
        select(GoalSheet).where(*filters).order_by(GoalSheet.year.desc(), GoalSheet.unit, GoalSheet.id).options(selectinload(GoalSheet.indicators)),
        page=min(max(request.args.get("page", 1, type=int), 1), last_page),  # a page past the end shows the last
        per_page=PER_PAGE, error_out=False, count=False,
    )
    page.total = total
    totals = _group_totals(filters, {(sheet.year, sheet.unit) for sheet in page.items})
    previous = previous_year_sheets(page.items)
    groups = [
        UnitYear(unit, year, [(sheet, review(sheet, previous.get((unit, sheet.project_name, year - 1)))) for sheet in group], *totals[year, unit])
        for (year, unit), group in groupby(page.items, key=lambda sheet: (sheet.year, sheet.unit))
    ]
    return render_template("sheets/index.html", groups=groups, page=page, status=status, statuses=list(Status))


def _group_totals(filters: list, keys: set[tuple[int, str]]) -> dict[tuple[int, str], tuple[int, Decimal, Decimal]]:
    """(count, 本级, 上级) for each unit-year on the page, over all its sheets, in one query."""
    if not keys:
        return {}
    rows = db.session.execute(
        select(GoalSheet.year, GoalSheet.unit, func.count(), func.sum(GoalSheet.local_budget), func.sum(GoalSheet.higher_funds))
        # unit IN / year IN rather than (year, unit) IN: the unit index then finds the rows.
        .where(*filters, GoalSheet.unit.in_({unit for _, unit in keys}), GoalSheet.year.in_({year for year, _ in keys}))
        .group_by(GoalSheet.year, GoalSheet.unit)
    )
    return {(year, unit): (count, local or Decimal(0), higher or Decimal(0)) for year, unit, count, local, higher in rows if (year, unit) in keys}


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
    sheet = readable_sheet(sheet_id)
    form = sheet_form(sheet.form, sheet)
    if request.method == "POST":
        require(access.can_edit(current_user, sheet))
        outcome = save_header(sheet, form)
        if outcome.saved:
            db.session.commit()
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
        form.start_from(sheet)
        return HeaderOutcome(conflict=history.changes(theirs, history.header_snapshot(_unsaved_copy(form, sheet))))
    before = history.header_snapshot(sheet)
    form.populate_obj(sheet)
    if changed := history.changes(before, history.header_snapshot(sheet)):
        sheet.header_version += 1
        history.record(sheet, current_user, "update_header", changed)
    return HeaderOutcome(saved=True)


def render_editor(sheet: GoalSheet, form: SheetForm, outcome: HeaderOutcome = HeaderOutcome()):
    """The editor page; a header that was not saved shows why, with the user's typing kept."""
    groups = group_indicators(sheet.form.framework, sheet.indicators)
    status = 409 if outcome.conflict is not None else 422 if form.errors or outcome.twin else 200
    return render_template(
        "sheets/sheet.html", form=form, sheet=sheet, groups=groups, field_labels=field_labels(sheet.form),
        conflict=outcome.conflict, twin=outcome.twin, **page_state(sheet),
    ), status


def page_state(sheet: GoalSheet) -> dict:
    """What the editor shows that changes with the rows: the findings, the workflow panel, the history."""
    return dict(
        report=review(sheet, previous_year_sheet(sheet)),
        editable=access.can_edit(current_user, sheet),
        reviewable=access.can_review(current_user) and sheet.status == Status.SUBMITTED,
        approvable=access.can_approve(current_user, sheet),
        withdrawable=access.can_withdraw(current_user, sheet),
        comment_form=CommentForm(formdata=None), actions=history.ACTIONS,
    )


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
    return render_template("sheets/_findings.html", sheet=sheet, field_labels=field_labels(sheet.form), oob=True, **page_state(sheet))


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
    pages = [(sheet, print_rows(sheet.form, sheet.indicators)) for sheet in sheets]
    return render_template("print/sheets.html", pages=pages, title=title)
