"""A sheet's history: every change recorded as who, when, what, and old → new."""
from collections.abc import Callable, Iterable

from sqlalchemy import inspect, select

from ..extensions import db
from . import measures
from .formtemplates import INDICATOR_COLUMNS, SPLIT_COLUMNS, FormTemplate, shown_label
from .layout import shown
from .models import GoalSheet, Indicator, Reviewed, SheetEvent, User, utcnow

ACTIONS = {
    "create": "新建",
    "import": "导入",
    "copy": "复制自上年",
    "update_header": "修改表头",
    "add_indicator": "添加指标",
    "update_indicator": "修改指标",
    "delete_indicator": "删除指标",
    "carry_indicator": "引用上年指标",
    "restore_indicator": "恢复指标",
    "add_subtable_row": "添加一行",
    "update_subtable_row": "修改一行",
    "delete_subtable_row": "删除一行",
    "submit": "提交",
    "withdraw": "撤回",
    "approve": "通过",
    "return": "退回",
    "update_monitoring": "保存运行监控",
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
    columns = {title: indicator.cell(key, form) or "" for key, title in form.column_titles.items()}
    return {"类别": f"{indicator.level1}／{indicator.level2}"} | columns | reading(indicator, form)


READING = "指标值理解为"  # the clerk's own reading of a value, on a form that keeps the value in one cell


def reading(indicator: Indicator, form: FormTemplate) -> dict[str, str]:
    """How the clerk marked the value to be understood, where they did (a 101-style form shows it
    in its own columns): "定性" for "100%", "≥ 12 期" for a sentence."""
    if form.splits_value or not indicator.given:
        return {}
    return {READING: measures.tag(indicator.measure)}


def changes(before: dict[str, str], after: dict[str, str]) -> list[list[str]]:
    """[what, old, new] for every entry that differs (a row added or deleted has no before or after)."""
    return [[label, before.get(label, ""), after.get(label, "")] for label in dict.fromkeys([*before, *after])
            if before.get(label, "") != after.get(label, "")]


def change(document: Reviewed, user: User | None, action: str, snapshot: Callable[[], dict[str, str]],
           apply: Callable[[], object]) -> SheetEvent | None:
    """Change a document (a sheet, its monitoring, its self-evaluation) and record what changed:
    every save goes through here (the header, a row, a replacing import, a review decision). The
    snapshot shows the part that changes as a reader sees it; a save that changes nothing records
    nothing. Returns the event recorded (None when nothing changed); the caller commits."""
    before = snapshot()
    apply()
    if changed := changes(before, snapshot()):
        return record(document, user, action, changed)
    return None


def record(document: Reviewed, user: User | None, action: str, changed: Iterable[list[str]] = ()) -> SheetEvent:
    """Add an event to the history of the document's sheet, marked with the document; it is
    stored with the change it describes.

    Every change is recorded, so this is also where a change locks its sheet: touching the
    sheet updates it under its version check, and of two changes to one sheet at the same time
    (a row added while it is submitted) the second fails instead of both landing.
    Added to the session, not appended to sheet.events: that would load the whole history.
    """
    sheet = document.sheet
    sheet.updated_at = utcnow()
    event = SheetEvent(sheet=sheet, document=document.document, user=user, action=action, changes=list(changed))
    db.session.add(event)
    return event


def events_of(document: Reviewed) -> list[SheetEvent]:
    """A document's own history, the latest first (a target sheet's is also sheet.events)."""
    return list(db.session.scalars(select(SheetEvent).where(
        SheetEvent.sheet_id == document.sheet.id, SheetEvent.document == document.document).order_by(SheetEvent.id.desc())))


# --- a deleted row brought back --------------------------------------------------------------


class RestoreRefused(Exception):
    """A deleted row that cannot be brought back, said in Chinese."""


CATEGORY = "类别"  # indicator_snapshot's first entry: "一级／二级"


def indicator_from_snapshot(changes: list[list[str]], form: FormTemplate) -> Indicator:
    """The row a delete event recorded, rebuilt through the sheet's form: its category, then each
    of the form's columns by its title (what indicator_snapshot wrote). Not yet on any sheet, and
    with no position: the caller places it."""
    row = {what: old for what, old, _ in changes}
    level1, level2 = deleted_category(changes)
    if not form.framework.has_category(level1, level2):
        raise RestoreRefused(f"这张表的表样已没有“{level1}／{level2}”这一类，不能恢复。")
    # Recorded before columns of one label had titles of their own, an event kept the later
    # one's text under the bare label (Guangdong's 年度 三级指标); the earlier's was lost.
    recorded_by_label = {shown_label(column.label): column.key for column in form.columns}
    indicator = Indicator(level1=level1, level2=level2, name="", value="", standard="", extra={})
    texts = {}
    for column in form.columns:
        title, label = form.column_titles[column.key], shown_label(column.label)
        texts[column.key] = row[title] if title in row else row.get(label, "") if recorded_by_label[label] == column.key else ""
    extra = {key: text for key, text in texts.items() if key not in INDICATOR_COLUMNS and key not in SPLIT_COLUMNS and text}
    if form.splits_value:
        value, given = measures.from_cells(texts.get("nature", ""), texts.get("value", ""), texts.get("measure", ""))
    else:
        value = texts.get("value", "")
        given = measures.kept(value, measures.from_tag(value, row[READING])) if row.get(READING) else {}
    for key in INDICATOR_COLUMNS & texts.keys():
        setattr(indicator, key, texts[key])
    indicator.value, indicator.extra = value, extra | given
    return indicator


def deleted_category(changes: list[list[str]]) -> tuple[str, str]:
    """(level1, level2) of the row a delete event recorded."""
    level1, _, level2 = next((old for what, old, _ in changes if what == CATEGORY), "").partition("／")
    return level1, level2


def restorable(events: Iterable[SheetEvent]) -> set[int]:
    """The delete events whose row has not been brought back yet. Rows with the same texts are
    one row to the reader: restoring one brings back the latest deletion of such a row."""
    pending: dict[tuple, list[int]] = {}
    for event in sorted(events, key=lambda event: event.id):
        if event.action == "delete_indicator":
            pending.setdefault(_texts(event.changes, old=True), []).append(event.id)
        elif event.action == "restore_indicator" and (waiting := pending.get(_texts(event.changes, old=False))):
            waiting.pop()
    return {event_id for waiting in pending.values() for event_id in waiting}


def _texts(changed: list[list[str]], old: bool) -> tuple:
    return tuple((what, before if old else after) for what, before, after in changed)
