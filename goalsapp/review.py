"""Automatic review (绩效目标审核): rules as pure functions over a sheet, thresholds as data.

Each rule takes a sheet (and the settings) and yields Findings. A blocking finding
(强制) stops the sheet from being submitted; a warning (提示) asks a person to look.
Nothing here touches a request or the database: the editor, the list and
`flask check` all call review().
"""
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Callable, Iterable

from .frameworks import STANDARDS
from .models import GoalSheet, Indicator


class Level(StrEnum):
    BLOCKING = "强制"
    WARNING = "提示"


@dataclass(frozen=True)
class Finding:
    rule: str
    level: Level
    message: str
    field: str | None = None  # a header field's name, when the finding is about one
    indicator: Indicator | None = None  # the row, when it is about one

    @property
    def blocking(self) -> bool:
        return self.level == Level.BLOCKING


@dataclass(frozen=True)
class Settings:
    """What a province may set differently; change here, not in the rules."""

    name_max: int = 100
    placeholders: tuple[str, ...] = ("*", "_", "-", "—", "/", "无", "待定", "xx", "XX")
    satisfaction_min: Decimal = Decimal(80)
    satisfaction_level2: tuple[str, ...] = ("社会公众或服务对象满意度指标", "服务对象满意度指标")
    cost_level2: tuple[str, ...] = ("成本指标", "经济成本指标")
    required_header: tuple[tuple[str, str], ...] = (
        ("project_name", "项目支出名称"),
        ("budget_dept", "预算部门"),
        ("period_start", "项目支出实施期（起）"),
        ("period_end", "项目支出实施期（止）"),
        ("period_goal", "实施期绩效目标"),
        ("annual_goal", "本年度绩效目标"),
    )


DEFAULT_SETTINGS = Settings()
AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(万元|元)")
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")
NUMBER = re.compile(r"\d+(?:\.\d+)?")

Rule = Callable[[GoalSheet, Settings], Iterable[Finding]]


def required_header(sheet: GoalSheet, settings: Settings) -> Iterable[Finding]:
    for field, label in settings.required_header:
        value = getattr(sheet, field)
        if value is None or (isinstance(value, str) and not value.strip()):
            yield Finding("required_header", Level.BLOCKING, f"请填写“{label}”", field=field)


def budget_sensible(sheet: GoalSheet, settings: Settings) -> Iterable[Finding]:
    for field, label in (("local_budget", "年度本级预算金额"), ("higher_funds", "该项目支出上级资金")):
        amount = getattr(sheet, field)
        if amount is not None and amount < 0:
            yield Finding("budget_sensible", Level.BLOCKING, f"“{label}”不能为负数", field=field)
    if sheet.local_budget == 0 and not sheet.higher_funds:
        yield Finding("budget_sensible", Level.WARNING, "年度本级预算金额为0，也没有上级资金", field="local_budget")


def period_in_order(sheet: GoalSheet, settings: Settings) -> Iterable[Finding]:
    if sheet.period_start and sheet.period_end and sheet.period_end < sheet.period_start:
        start, end = sheet.period_start, sheet.period_end
        yield Finding(
            "period_in_order", Level.BLOCKING,
            f"实施期结束（{end.year}.{end.month}）早于开始（{start.year}.{start.month}），请改正",
            field="period_end",
        )


def every_level1_has_an_indicator(sheet: GoalSheet, settings: Settings) -> Iterable[Finding]:
    present = {indicator.level1 for indicator in sheet.indicators}
    for level1 in sheet.form.framework.level1_names():
        if level1 not in present:
            yield Finding("every_level1_has_an_indicator", Level.BLOCKING, f"“{level1}”下至少要有一个指标")


def every_indicator_has_a_value(sheet: GoalSheet, settings: Settings) -> Iterable[Finding]:
    for indicator in sheet.indicators:
        value = indicator.value.strip()
        if not value:
            yield Finding("every_indicator_has_a_value", Level.BLOCKING, "请填写指标值及单位", indicator=indicator)
        elif value in settings.placeholders:
            yield Finding("every_indicator_has_a_value", Level.BLOCKING, f"指标值“{value}”是占位符，请填写实际目标值", indicator=indicator)


def names_fit(sheet: GoalSheet, settings: Settings) -> Iterable[Finding]:
    for indicator in sheet.indicators:
        if not indicator.name.strip():
            yield Finding("names_fit", Level.BLOCKING, "请填写三级指标", indicator=indicator)
        elif len(indicator.name) > settings.name_max:
            yield Finding("names_fit", Level.BLOCKING, f"三级指标超过{settings.name_max}个字（现有{len(indicator.name)}个）", indicator=indicator)


def standard_allowed(sheet: GoalSheet, settings: Settings) -> Iterable[Finding]:
    for indicator in sheet.indicators:
        if indicator.standard not in STANDARDS:
            shown = f"“{indicator.standard}”" if indicator.standard else "空白"
            yield Finding("standard_allowed", Level.BLOCKING, f"绩效标准为{shown}，应为{'、'.join(STANDARDS)}之一", indicator=indicator)


def no_repeated_indicator(sheet: GoalSheet, settings: Settings) -> Iterable[Finding]:
    seen: set[tuple[str, str]] = set()
    for indicator in sorted(sheet.indicators, key=lambda i: i.position):
        key = (indicator.level2, indicator.name.strip())
        if key in seen:
            yield Finding("no_repeated_indicator", Level.WARNING, f"“{indicator.name}”在{indicator.level2}下重复出现", indicator=indicator)
        seen.add(key)


def costs_add_up(sheet: GoalSheet, settings: Settings) -> Iterable[Finding]:
    amounts = [
        Decimal(number) * (Decimal(1) if unit == "万元" else Decimal("0.0001"))
        for indicator in sheet.indicators if indicator.level2 in settings.cost_level2
        for number, unit in AMOUNT.findall(indicator.name)
    ]
    budget = sheet.local_budget + (sheet.higher_funds or 0)
    if amounts and sum(amounts) != budget:
        listed = "+".join(format(a.normalize(), "f") for a in amounts)
        yield Finding(
            "costs_add_up", Level.WARNING,
            f"成本指标列出的金额 {listed}={format(sum(amounts).normalize(), 'f')} 万元，与预算 {format(budget.normalize(), 'f')} 万元不符",
        )


def cost_valued_as_amount(sheet: GoalSheet, settings: Settings) -> Iterable[Finding]:
    for indicator in sheet.indicators:
        if indicator.level2 in settings.cost_level2 and PERCENT.search(indicator.value):
            yield Finding("cost_valued_as_amount", Level.WARNING, f"成本指标的指标值“{indicator.value}”是百分比，应写金额（如“7万元”）", indicator=indicator)


def value_is_measurable(sheet: GoalSheet, settings: Settings) -> Iterable[Finding]:
    for indicator in sheet.indicators:
        value = indicator.value.strip()
        if value and value not in settings.placeholders and not NUMBER.search(value):
            yield Finding("value_is_measurable", Level.WARNING, f"指标值“{value}”没有可衡量的数字，请尽量细化量化", indicator=indicator)


def satisfaction_is_credible(sheet: GoalSheet, settings: Settings) -> Iterable[Finding]:
    for indicator in sheet.indicators:
        if indicator.level2 not in settings.satisfaction_level2:
            continue
        value = PERCENT.search(indicator.value)
        named = PERCENT.search(indicator.name)
        if value and Decimal(value.group(1)) < settings.satisfaction_min:
            yield Finding("satisfaction_is_credible", Level.WARNING, f"满意度目标 {value.group(0)} 低于{settings.satisfaction_min}%", indicator=indicator)
        if value and named and Decimal(value.group(1)) != Decimal(named.group(1)):
            yield Finding(
                "satisfaction_is_credible", Level.WARNING,
                f"指标写“{named.group(0)}”，指标值却是“{value.group(0)}”，请统一", indicator=indicator,
            )


RULES: tuple[Rule, ...] = (
    required_header,
    budget_sensible,
    period_in_order,
    every_level1_has_an_indicator,
    every_indicator_has_a_value,
    names_fit,
    standard_allowed,
    no_repeated_indicator,
    costs_add_up,
    cost_valued_as_amount,
    value_is_measurable,
    satisfaction_is_credible,
)


@dataclass(frozen=True)
class Report:
    """A sheet's findings, blocking first, with what the editor and the list ask of them."""

    findings: list[Finding]

    @property
    def blocking(self) -> int:
        return sum(finding.blocking for finding in self.findings)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.blocking

    def for_row(self, indicator: Indicator) -> list[Finding]:
        return [finding for finding in self.findings if finding.indicator is indicator]

    def for_field(self, field: str) -> list[Finding]:
        return [finding for finding in self.findings if finding.field == field]


def review(sheet: GoalSheet, previous: GoalSheet | None = None, settings: Settings = DEFAULT_SETTINGS) -> Report:
    """Every finding for the sheet; previous is last year's sheet of the same project."""
    findings = [finding for rule in RULES for finding in rule(sheet, settings)]
    findings.extend(not_below_last_year(sheet, previous))
    return Report(sorted(findings, key=lambda f: f.level != Level.BLOCKING))


def not_below_last_year(sheet: GoalSheet, previous: GoalSheet | None) -> Iterable[Finding]:
    """A target lower than last year's for the same indicator (≤ targets excepted: lower is better)."""
    if previous is None:
        return
    last_year = {(i.level2, i.name.strip()): i.value for i in previous.indicators}
    for indicator in sheet.indicators:
        before = last_year.get((indicator.level2, indicator.name.strip()))
        now_number, before_number = _target(indicator.value), _target(before or "")
        if now_number is not None and before_number is not None and now_number < before_number:
            yield Finding("not_below_last_year", Level.WARNING, f"目标值“{indicator.value}”低于上年的“{before}”", indicator=indicator)


def _target(value: str) -> Decimal | None:
    """The number in a 'more is better' target, None for ≤/< targets and text."""
    value = value.strip()
    if value.startswith(("≤", "＜", "<")):
        return None
    match = NUMBER.search(value)
    return Decimal(match.group(0)) if match else None
