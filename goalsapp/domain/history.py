"""A sheet's history: every change recorded as who, when, what, and old → new."""
from collections.abc import Callable, Iterable

from sqlalchemy import inspect

from ..extensions import db
from .formtemplates import FormTemplate, shown_label
from .layout import shown
from .models import GoalSheet, Indicator, SheetEvent, User, utcnow

ACTIONS = {
    "create": "新建",
    "import": "导入",
    "copy": "复制自上年",
    "update_header": "修改表头",
    "add_indicator": "添加指标",
    "update_indicator": "修改指标",
    "delete_indicator": "删除指标",
    "carry_indicator": "引用上年指标",
    "add_subtable_row": "添加一行",
    "update_subtable_row": "修改一行",
    "delete_subtable_row": "删除一行",
    "submit": "提交",
    "withdraw": "撤回",
    "approve": "通过",
    "return": "退回",
}



def header_snapshot(sheet: GoalSheet) -> dict[str, str]:
    """What a reader sees of the header, by the form's own labels (its other fields included)."""
    shown_fields = {shown_label(field.label): shown(sheet, field) for field in sheet.form.header if field.key != "unit"}
    return {"填报单位": sheet.unit or "", "年度": str(sheet.year or "")} | shown_fields


def indicator_snapshot(indicator: Indicator, form: FormTemplate) -> dict[str, str]:
    """A row as a reader sees it: its category, then each of its form's columns by label.
    A row not yet, or no longer, on its sheet shows nothing: adding or deleting it is then
    a change like any other."""
    if inspect(indicator).transient or indicator in db.session.deleted:
        return {}
    columns = {shown_label(column.label): indicator.cell(column.key) or "" for column in form.columns}
    return {"类别": f"{indicator.level1}／{indicator.level2}"} | columns


def changes(before: dict[str, str], after: dict[str, str]) -> list[list[str]]:
    """[what, old, new] for every entry that differs (a row added or deleted has no before or after)."""
    return [[label, before.get(label, ""), after.get(label, "")] for label in dict.fromkeys([*before, *after])
            if before.get(label, "") != after.get(label, "")]


def change(sheet: GoalSheet, user: User | None, action: str, snapshot: Callable[[], dict[str, str]],
           apply: Callable[[], object]) -> list[list[str]]:
    """Change a sheet and record what changed: every save goes through here (the header, a row,
    a replacing import, a review decision). The snapshot shows the part that changes as a reader
    sees it; a save that changes nothing records nothing. Returns the changes; the caller commits."""
    before = snapshot()
    apply()
    if changed := changes(before, snapshot()):
        record(sheet, user, action, changed)
    return changed


def record(sheet: GoalSheet, user: User | None, action: str, changed: Iterable[list[str]] = ()) -> None:
    """Add an event to the sheet's history; it is stored with the change it describes.

    Every change is recorded, so this is also where a change locks its sheet: touching the
    sheet updates it under its version check, and of two changes to one sheet at the same time
    (a row added while it is submitted) the second fails instead of both landing.
    Added to the session, not appended to sheet.events: that would load the whole history.
    """
    sheet.updated_at = utcnow()
    db.session.add(SheetEvent(sheet=sheet, user=user, action=action, changes=list(changed)))
