"""The form for one row of a form's sub-table (the whole-department table's 年度履职目标).

A sub-table row is a list of texts in GoalSheet.fields, not a database row: it has no id or
version of its own. A row is named by its place and a mark of its texts as the clerk saw
them (row_mark), which finds it again after rows above it went, and tells a row changed
meanwhile from the one the clerk opened.
"""
import hashlib
import json
from functools import cache

from wtforms import HiddenField, StringField, TextAreaField

from ...domain.formtemplates import Column, Kind, SubTable, get_template, shown_label
from ..forms import BaseForm
from .forms import at_most, written_amount


def is_money(column: Column) -> bool:
    """预算金额: an amount, checked and kept as written."""
    return column.kind == Kind.MONEY


def is_long(column: Column) -> bool:
    """年度目标任务: text that wraps, in a box of lines."""
    return column.kind == Kind.LONG


def row_mark(texts: list[str]) -> str:
    """A short fingerprint of a row's texts."""
    return hashlib.sha256(json.dumps(texts, ensure_ascii=False).encode()).hexdigest()[:16]


def stored_rows(sheet, subtable: SubTable) -> list[list[str]]:
    """The sheet's rows, each exactly as wide as the sub-table (a file may have given fewer cells)."""
    width = len(subtable.columns)
    return [(list(row) + [""] * width)[:width] for row in (sheet.fields or {}).get(subtable.key, []) if isinstance(row, list)]


def find_row(rows: list[list[str]], index: int, mark: str) -> int | None:
    """Where the row the clerk saw at index is now: there, or nearby once rows above it went;
    None when no row reads as it did (changed or deleted meanwhile)."""
    if 0 <= index < len(rows) and row_mark(rows[index]) == mark:
        return index
    same = [at for at, row in enumerate(rows) if row_mark(row) == mark]
    return min(same, key=lambda at: abs(at - index)) if same else None


class SubTableRowForm(BaseForm):
    """One row of a sub-table: its columns (subtable_form makes one class per template), and
    the mark of the row it was opened on."""

    mark = HiddenField()
    subtable: SubTable = None
    max_chars: dict[str, int] = {}  # each column's limit, for the inputs' maxlength
    money_keys: frozenset[str] = frozenset()  # the columns that hold an amount
    money_unit = "万元"  # the sheet's; set by for_sheet

    @classmethod
    def for_sheet(cls, sheet, texts: list[str] | None = None, **kwargs):
        """A form over the posted typing, or over a stored row's texts (with its mark)."""
        if texts is not None:
            data = {column.key: text for column, text in zip(cls.subtable.columns, texts)} | {"mark": row_mark(texts)}
            kwargs["data"] = data | kwargs.get("data", {})
        form = cls(**kwargs)
        form.money_unit = sheet.money_unit
        return form

    def columns(self) -> list:
        """The row's inputs in the order of the sub-table's columns."""
        return [self[column.key] for column in self.subtable.columns]

    def texts(self) -> list[str]:
        return [self[column.key].data or "" for column in self.subtable.columns]

    def start_from(self, texts: list[str]) -> None:
        """Let the next save overwrite this stored row (the clerk has been shown it)."""
        self.mark.data = row_mark(texts)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and not any(self.texts()):
            first = self.columns()[0]
            first.errors = [*first.errors, "这一行是空的：请至少填写一栏"]
            return False
        return valid


@cache
def subtable_form(code: str) -> type[SubTableRowForm]:
    """The row form of one template's sub-table: a box per column, a long one for the task."""
    subtable = get_template(code).subtable
    assert subtable is not None, code
    money_keys = frozenset(column.key for column in subtable.columns if is_money(column))
    fields, max_chars = {}, {}
    for column in subtable.columns:
        assert not hasattr(SubTableRowForm, column.key), column.key  # a form attribute would be shadowed
        label = shown_label(column.label)
        max_chars[column.key] = column.max_chars
        checks = [at_most(max_chars[column.key], label)] + ([written_amount] if column.key in money_keys else [])
        fields[column.key] = (TextAreaField if is_long(column) else StringField)(label, checks)
    attributes = {"subtable": subtable, "max_chars": max_chars, "money_keys": money_keys}
    return type(f"SubTableRowForm[{code}]", (SubTableRowForm,), attributes | fields)
