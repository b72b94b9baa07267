"""htmx row endpoints for a form's sub-table (the whole-department table's 年度履职目标): each
returns one table row (or nothing, on delete), as the indicator rows do.

The rows live in GoalSheet.fields as lists of texts, so a row is named by its place and the
mark of its texts (subtable_forms.find_row). Every change goes through history.change, which
touches the sheet under its version: two changes at once serialize, and the later one runs
again on the rows as they now are (retried_when_changed_meanwhile).
"""
from dataclasses import dataclass
from uuid import uuid4

from flask import Response, abort, make_response, render_template, request
from flask_login import current_user

from ...domain import access, history, limits
from ...domain.formtemplates import SubTable, shown_label
from ...domain.models import GoalSheet
from ...domain.retry import retried_when_changed_meanwhile
from ...extensions import db
from ..guards import editable_sheet, readable_sheet
from . import bp
from .subtable_forms import SubTableRowForm, find_row, is_long, is_money, row_mark, stored_rows, subtable_form


@dataclass(frozen=True)
class ShownRow:
    """A stored row as the editor shows it: its place, its texts, and the mark that names it."""

    index: int
    texts: list[str]
    subtable: SubTable

    @property
    def mark(self) -> str:
        return row_mark(self.texts)

    @property
    def cells(self) -> list[tuple[str, str]]:
        """(text, CSS class): an amount aligned as numbers are, the task's line breaks kept."""
        return [(text, "num" if is_money(column) else "text" if is_long(column) else "")
                for column, text in zip(self.subtable.columns, self.texts)]

    @property
    def summary(self) -> str:
        """What the row is about, for the question before deleting it."""
        text = self.texts[1] if len(self.texts) > 1 and self.texts[1] else next((t for t in self.texts if t), "")
        return text if len(text) <= 24 else text[:24] + "…"


@bp.app_template_global()
def subtable_rows(sheet: GoalSheet) -> list[ShownRow]:
    """The sheet's sub-table rows for the editor's loop (sheet.html), as the row endpoints show them."""
    subtable = sheet.form.subtable
    return [ShownRow(index, texts, subtable) for index, texts in enumerate(stored_rows(sheet, subtable))] if subtable else []


@bp.get("/sheets/<int:sheet_id>/subtable/new")
def new_subtable_row(sheet_id: int):
    sheet = editable_sheet(sheet_id)
    _rows_of(sheet)  # 404 for a form without a sub-table
    return _form_row(sheet, subtable_form(sheet.template).for_sheet(sheet))


@bp.post("/sheets/<int:sheet_id>/subtable")
@retried_when_changed_meanwhile
def add_subtable_row(sheet_id: int):
    sheet = editable_sheet(sheet_id)
    subtable, rows = _rows_of(sheet)
    form = subtable_form(sheet.template).for_sheet(sheet)
    if not form.validate():
        return _form_row(sheet, form)
    if len(rows) >= limits.SUBTABLE_ROWS:
        form.columns()[0].errors.append(f"{shown_label(subtable.label)}最多{limits.SUBTABLE_ROWS}行，不能再添加")
        return _form_row(sheet, form)
    history.change(sheet, current_user, "add_subtable_row", _snapshot(sheet, subtable, len(rows), len(rows) + 1),
                   lambda: _store(sheet, subtable, [*rows, form.texts()]))
    db.session.commit()
    return _changed(_row(sheet, len(rows)))  # the row just added, after the ones there were


@bp.get("/sheets/<int:sheet_id>/subtable/<int:index>")
def show_subtable_row(sheet_id: int, index: int):
    sheet = readable_sheet(sheet_id)
    _, rows = _rows_of(sheet)
    return _row(sheet, _found(rows, index), editable=access.can_edit(current_user, sheet))


@bp.get("/sheets/<int:sheet_id>/subtable/<int:index>/edit")
def edit_subtable_row(sheet_id: int, index: int):
    sheet = editable_sheet(sheet_id)
    _, rows = _rows_of(sheet)
    at = _found(rows, index)
    return _form_row(sheet, subtable_form(sheet.template).for_sheet(sheet, rows[at]), at)


@bp.put("/sheets/<int:sheet_id>/subtable/<int:index>")
@retried_when_changed_meanwhile
def update_subtable_row(sheet_id: int, index: int):
    sheet = editable_sheet(sheet_id)
    subtable, rows = _rows_of(sheet)
    form = subtable_form(sheet.template).for_sheet(sheet)
    at = find_row(rows, index, form.mark.data or "")
    if not form.validate():
        return _form_row(sheet, form, index if at is None else at)
    if at is None:
        # Changed or deleted meanwhile: show the clerk what is there now, keep the typing,
        # and let the next save overwrite it (or add the row again, if it is gone).
        if index < len(rows):
            form.start_from(rows[index])
            return _form_row(sheet, form, index, conflict=rows[index])
        return _form_row(sheet, form, gone=True)
    rows[at] = form.texts()
    if history.change(sheet, current_user, "update_subtable_row", _snapshot(sheet, subtable, at, len(rows)),
                      lambda: _store(sheet, subtable, rows)):
        db.session.commit()
    return _changed(_row(sheet, at))


@bp.delete("/sheets/<int:sheet_id>/subtable/<int:index>")
@retried_when_changed_meanwhile
def delete_subtable_row(sheet_id: int, index: int):
    sheet = editable_sheet(sheet_id)
    subtable, rows = _rows_of(sheet)
    at = find_row(rows, index, request.args.get("mark", ""))
    if at is None:
        abort(409)  # not the row the clerk asked to delete any more: they reload and see
    history.change(sheet, current_user, "delete_subtable_row", _snapshot(sheet, subtable, at, len(rows)),
                   lambda: _store(sheet, subtable, rows[:at] + rows[at + 1:]))
    db.session.commit()
    return _changed("")  # an empty 200: htmx swaps the row away


def _rows_of(sheet: GoalSheet) -> tuple[SubTable, list[list[str]]]:
    """The sheet's sub-table and a copy of its rows to change; 404 for a form without one."""
    subtable = sheet.form.subtable
    if subtable is None:
        abort(404)
    return subtable, stored_rows(sheet, subtable)


def _found(rows: list[list[str]], index: int) -> int:
    """Where the row the request names is now; 404 when it is no longer there as it was."""
    at = find_row(rows, index, request.args.get("mark", ""))
    if at is None:
        abort(404)
    return at


def _store(sheet: GoalSheet, subtable: SubTable, rows: list[list[str]]) -> None:
    # A new dict: the JSON column sees only a new value, not changes inside the old one.
    sheet.fields = {**(sheet.fields or {}), subtable.key: rows}


def _snapshot(sheet: GoalSheet, subtable: SubTable, at: int, count: int):
    """The row at `at` as the history names it (the sub-table, the row's number, the column) while
    the sub-table has `count` rows: before an add it has one fewer, after a delete one fewer, and
    the row then shows as nothing."""
    def snapshot() -> dict[str, str]:
        rows = stored_rows(sheet, subtable)
        if len(rows) != count:
            return {}
        where = f"{shown_label(subtable.label)}第{at + 1}行"
        return {f"{where}／{shown_label(column.label)}": text for column, text in zip(subtable.columns, rows[at])}
    return snapshot


def _changed(body) -> Response:
    """Tell the page the sheet changed, so its findings panel and history refresh themselves."""
    response = make_response(body)
    response.headers["HX-Trigger"] = "sheet-changed"
    return response


def _row(sheet: GoalSheet, index: int, editable: bool = True):
    """The row as stored (its mark from the texts as the sheet keeps them)."""
    subtable, rows = _rows_of(sheet)
    row = ShownRow(index, rows[index], subtable)
    return render_template("sheets/_subtable_row.html", sheet=sheet, row=row, editable=editable)


def _form_row(sheet: GoalSheet, form: SubTableRowForm, index: int | None = None, conflict: list[str] | None = None,
              gone: bool = False):
    """The row as a form: a new one posts to its sheet, a stored one puts to its place."""
    form_id = f"subtable-form-{uuid4().hex[:8]}"
    return render_template("sheets/_subtable_form.html", sheet=sheet, subtable=sheet.form.subtable, form=form, index=index,
                           form_id=form_id, conflict=conflict, gone=gone)
