"""A sheet's history: every change recorded as who, when, what, and old → new."""
from typing import Iterable

from .extensions import db
from .filters import money, period
from .models import GoalSheet, Indicator, SheetEvent, User, utcnow

ACTIONS = {
    "create": "新建",
    "import": "导入",
    "copy": "复制自上年",
    "update_header": "修改表头",
    "add_indicator": "添加指标",
    "update_indicator": "修改指标",
    "delete_indicator": "删除指标",
    "submit": "提交",
    "withdraw": "撤回",
    "approve": "通过",
    "return": "退回",
}

# What a reader sees of the header: label → how to show the value.
HEADER = {
    "填报单位": lambda s: s.unit,
    "年度": lambda s: str(s.year),
    "项目支出名称": lambda s: s.project_name,
    "预算部门": lambda s: s.budget_dept,
    "年度本级预算金额": lambda s: money(s.local_budget),
    "该项目支出上级资金": lambda s: money(s.higher_funds),
    "项目支出实施期": period,
    "实施期绩效目标": lambda s: s.period_goal,
    "本年度绩效目标": lambda s: s.annual_goal,
}
INDICATOR = {
    "类别": lambda i: f"{i.level1}／{i.level2}",
    "三级指标": lambda i: i.name,
    "指标值及单位": lambda i: i.value,
    "绩效标准": lambda i: i.standard,
}


def header_snapshot(sheet: GoalSheet) -> dict[str, str]:
    return {label: show(sheet) or "" for label, show in HEADER.items()}


def indicator_snapshot(indicator: Indicator | None) -> dict[str, str]:
    return {label: (show(indicator) if indicator else "") or "" for label, show in INDICATOR.items()}


def changes(before: dict[str, str], after: dict[str, str]) -> list[list[str]]:
    """[what, old, new] for every entry that differs."""
    return [[label, before[label], after[label]] for label in before if before[label] != after[label]]


def record(sheet: GoalSheet, user: User | None, action: str, changed: Iterable[list[str]] = ()) -> None:
    """Add an event to the sheet's history; it is stored with the change it describes.

    Every change is recorded, so this is also where a change locks its sheet: touching the
    sheet updates it under its version check, and of two changes to one sheet at the same time
    (a row added while it is submitted) the second fails instead of both landing.
    Added to the session, not appended to sheet.events: that would load the whole history.
    """
    sheet.updated_at = utcnow()
    db.session.add(SheetEvent(sheet=sheet, user=user, action=action, changes=list(changed)))
