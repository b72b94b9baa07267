"""Sheet pages: the list, new and edit, delete, and the print view."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import groupby

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..frameworks import DEFAULT_FRAMEWORK, get_framework
from ..layout import group_indicators, print_rows
from ..models import GoalSheet, previous_year_sheet, unit_year_sheets
from ..review import Report, review
from . import bp
from .forms import LABELS as FIELD_LABELS
from .forms import SheetForm


@dataclass(frozen=True)
class UnitYear:
    """The sheets one unit files for one year, as the list shows them."""

    unit: str
    year: int
    sheets: list[tuple[GoalSheet, Report]]

    @property
    def local_budget(self) -> Decimal:
        return sum((sheet.local_budget for sheet, _ in self.sheets), Decimal(0))

    @property
    def higher_funds(self) -> Decimal:
        return sum((sheet.higher_funds or Decimal(0) for sheet, _ in self.sheets), Decimal(0))


@bp.get("/")
def index():
    # Two queries: the sheets, then all their indicators; each sheet is reviewed here.
    sheets = db.session.scalars(
        select(GoalSheet).order_by(GoalSheet.year.desc(), GoalSheet.unit, GoalSheet.id).options(selectinload(GoalSheet.indicators))
    ).all()
    by_project = {(s.unit, s.project_name, s.year): s for s in sheets}
    groups = [
        UnitYear(unit, year, [(sheet, review(sheet, by_project.get((unit, sheet.project_name, year - 1)))) for sheet in group])
        for (year, unit), group in groupby(sheets, key=lambda sheet: (sheet.year, sheet.unit))
    ]
    return render_template("sheets/index.html", groups=groups)


@bp.route("/sheets/new", methods=["GET", "POST"])
def create():
    # Units fill in next year's budget tables, so a new sheet defaults to next year.
    defaults = {"unit": request.args.get("unit", ""), "year": request.args.get("year", date.today().year + 1, type=int)}
    form = SheetForm(data=defaults)
    if form.validate_on_submit():
        sheet = GoalSheet(framework=DEFAULT_FRAMEWORK.code)
        form.populate_obj(sheet)
        db.session.add(sheet)
        db.session.commit()
        flash(f"已创建“{sheet.project_name}”，请填写绩效指标。")
        return redirect(url_for(".edit", sheet_id=sheet.id), 303)
    return render_template("sheets/sheet.html", form=form, sheet=None), 422 if form.errors else 200


@bp.route("/sheets/<int:sheet_id>", methods=["GET", "POST"])
def edit(sheet_id: int):
    sheet = db.get_or_404(GoalSheet, sheet_id)
    form = SheetForm(obj=sheet)
    if form.validate_on_submit():
        form.populate_obj(sheet)
        db.session.commit()
        flash("表头已保存。")
        return redirect(url_for(".edit", sheet_id=sheet.id), 303)
    groups = group_indicators(get_framework(sheet.framework), sheet.indicators)
    report = review(sheet, previous_year_sheet(sheet))
    return render_template(
        "sheets/sheet.html", form=form, sheet=sheet, groups=groups, report=report, field_labels=FIELD_LABELS
    ), 422 if form.errors else 200


@bp.get("/sheets/<int:sheet_id>/findings")
def findings(sheet_id: int):
    """The findings panel, with every row's and field's marks out of band (htmx)."""
    sheet = db.get_or_404(GoalSheet, sheet_id)
    report = review(sheet, previous_year_sheet(sheet))
    return render_template("sheets/_findings.html", sheet=sheet, report=report, field_labels=FIELD_LABELS, oob=True)


@bp.post("/sheets/<int:sheet_id>/delete")
def delete(sheet_id: int):
    sheet = db.get_or_404(GoalSheet, sheet_id)
    db.session.delete(sheet)
    db.session.commit()
    flash(f"已删除“{sheet.project_name}”。")
    return redirect(url_for(".index"), 303)


@bp.get("/sheets/<int:sheet_id>/print")
def print_sheet(sheet_id: int):
    sheet = db.get_or_404(GoalSheet, sheet_id)
    return _render_print([sheet], title=f"{sheet.project_name}（打印）")


@bp.get("/print")
def print_group():
    """Every sheet of one unit and year in one document, each on its own page."""
    unit, year, sheets = requested_unit_year()
    return _render_print(sheets, title=f"{unit} {year}年项目支出绩效目标表（{len(sheets)}张）")


def requested_unit_year() -> tuple[str, int, list[GoalSheet]]:
    """The unit and year the query string names, with their sheets; 404 when there are none."""
    unit, year = request.args.get("unit", ""), request.args.get("year", type=int)
    sheets = unit_year_sheets(unit, year)
    if not sheets:
        abort(404)
    return unit, year, sheets


def _render_print(sheets: list[GoalSheet], title: str):
    pages = [(sheet, print_rows(get_framework(sheet.framework), sheet.indicators)) for sheet in sheets]
    return render_template("print/sheets.html", pages=pages, title=title)
