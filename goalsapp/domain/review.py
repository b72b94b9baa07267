"""Automatic review (绩效目标审核): rules as pure functions over a sheet, thresholds as data.

Each rule takes a sheet (and the settings) and yields Findings. A blocking finding
(强制) stops the sheet from being submitted; a warning (提示) asks a person to look.
Nothing here touches a request or the database: the editor, the list and
`flask check` all call review().

The rules follow the sheet's form (formtemplates): its required header fields, whether it
has a 绩效标准 column or the 101-style 指标性质/度量单位/权重 columns, its category set, and the
labels it prints. A value of "无" or "不适用" says the row does not apply to this project: it
is not a placeholder, and nothing more is asked of its value.
"""
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from . import measures, years
from .formtemplates import DEFAULT_TEMPLATE, FormTemplate, HeaderField, label_key
from .frameworks import STANDARDS
from .layout import shown
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
    placeholders: tuple[str, ...] = ("*", "_", "-", "—", "/", "待定", "xx", "XX")
    # A value saying the row does not apply to this project (domain.md): not a placeholder.
    not_applicable: tuple[str, ...] = ("无", "不适用")
    satisfaction_min: Decimal = Decimal(80)
    # 满意度: a level-2 under 效益 (Hunan) or a level-1 of its own (MOF 2015 and 2021).
    satisfaction_level1: tuple[str, ...] = ("满意度指标",)
    satisfaction_level2: tuple[str, ...] = ("社会公众或服务对象满意度指标", "服务对象满意度指标")
    # Where money is named: Hunan's and MOF 2015's level-2 成本指标, MOF 2021's 经济成本指标
    # (its 社会成本 and 生态环境成本 are not money).
    cost_level2: tuple[str, ...] = ("成本指标", "经济成本指标")
    # 101-style forms: 指标性质 a comparison (then 指标值 a number with a 度量单位) or 定性.
    quantitative_natures: tuple[str, ...] = ("≥", "≤", "＝", "=", "＞", "＜", ">", "<")
    qualitative_natures: tuple[str, ...] = ("定性",)
    weight_total: Decimal = Decimal(100)
    # The header texts whose years must fit the sheet (years_fit); every indicator cell is read too.
    year_fields: tuple[str, ...] = ("period_goal", "annual_goal")


DEFAULT_SETTINGS = Settings()
AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(万元|元)")
# A rate, not a total: "每户300元", "300元/户", "20元/课时"; the costs' sum leaves it out.
UNIT_PRICE = re.compile(r"每[^，,；;。\d]{0,6}\d+(?:\.\d+)?\s*(?:万元|元)|\d+(?:\.\d+)?\s*(?:万元|元)\s*[/／每]")
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
# The Hunan form's 实施期 is kept as two year-months; each is asked for on its own.
PERIOD_ENDS = (("period_start", "起"), ("period_end", "止"))

Rule = Callable[[GoalSheet, Settings], Iterable[Finding]]


def required_header(sheet: GoalSheet, settings: Settings) -> Iterable[Finding]:
    """Every field the form marks required, as the form shows it (a field kept as written counts)."""
    for field in sheet.form.header:
        if not field.required:
            continue
        label = field_label(field)
        if field.key == "period":
            for key, end in PERIOD_ENDS:
                if getattr(sheet, key) is None:
                    yield Finding("required_header", Level.BLOCKING, f"请填写“{label}（{end}）”", field=key)
        elif not shown(sheet, field).strip():
            yield Finding("required_header", Level.BLOCKING, f"请填写“{label}”", field=field.key)


def budget_sensible(sheet: GoalSheet, settings: Settings) -> Iterable[Finding]:
    form = sheet.form
    for key in ("local_budget", "higher_funds"):
        amount = getattr(sheet, key)
        if amount is not None and amount < 0:
            yield Finding("budget_sensible", Level.BLOCKING, f"“{header_label(form, key)}”不能为负数", field=key)
    if sheet.local_budget == 0 and not sheet.higher_funds:
        also = "，也没有上级资金" if form.field("higher_funds") else ""
        yield Finding("budget_sensible", Level.WARNING, f"{header_label(form, 'local_budget')}为0{also}", field="local_budget")


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
    label = column_label(sheet.form, "value")
    for indicator in sheet.indicators:
        value = indicator.cell("value", sheet.form).strip()  # a 101-style form's 指标值, as it shows it
        if not value:
            yield Finding("every_indicator_has_a_value", Level.BLOCKING, f"请填写{label}", indicator=indicator)
        elif value in settings.placeholders:
            yield Finding("every_indicator_has_a_value", Level.BLOCKING, f"指标值“{value}”是占位符，请填写实际目标值", indicator=indicator)


def names_fit(sheet: GoalSheet, settings: Settings) -> Iterable[Finding]:
    for indicator in sheet.indicators:
        if not indicator.name.strip():
            yield Finding("names_fit", Level.BLOCKING, "请填写三级指标", indicator=indicator)
        elif len(indicator.name) > settings.name_max:
            yield Finding("names_fit", Level.BLOCKING, f"三级指标超过{settings.name_max}个字（现有{len(indicator.name)}个）", indicator=indicator)


def standard_allowed(sheet: GoalSheet, settings: Settings) -> Iterable[Finding]:
    """Only on a form with a 绩效标准 column (Hunan): the MOF and 101-style forms have none."""
    if not sheet.form.has_standard:
        return
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
        for number, unit in AMOUNT.findall(UNIT_PRICE.sub("", indicator.name))
    ]
    if sheet.local_budget is None:
        return  # required_header asks for it
    budget = sheet.local_budget + (sheet.higher_funds or 0)
    if amounts and sum(amounts) != budget:
        listed = "+".join(format(a.normalize(), "f") for a in amounts)
        yield Finding(
            "costs_add_up", Level.WARNING,
            f"成本指标列出的金额 {listed}={format(sum(amounts).normalize(), 'f')} 万元，与预算 {format(budget.normalize(), 'f')} 万元不符",
        )


def cost_valued_as_amount(sheet: GoalSheet, settings: Settings) -> Iterable[Finding]:
    for indicator in sheet.indicators:
        target = target_measure(indicator, settings)
        if indicator.level2 in settings.cost_level2 and target.quantitative and target.unit == "%":
            yield Finding("cost_valued_as_amount", Level.WARNING, f"成本指标的指标值“{target.written}”是百分比，应写金额（如“7万元”）", indicator=indicator)


def value_is_measurable(sheet: GoalSheet, settings: Settings) -> Iterable[Finding]:
    """A value with no number in it. A row whose 指标性质 says 定性 is not asked for one, and a
    quantitative one is held to a number by value_fits_its_nature."""
    for indicator in sheet.indicators:
        value = indicator.value.strip()
        if indicator.cell("nature", sheet.form).strip() in (*settings.qualitative_natures, *settings.quantitative_natures):
            continue
        if value and value not in settings.placeholders and not not_applicable(indicator, settings) and not NUMBER.search(value):
            yield Finding("value_is_measurable", Level.WARNING, f"指标值“{value}”没有可衡量的数字，请尽量细化量化", indicator=indicator)


def value_fits_its_nature(sheet: GoalSheet, settings: Settings) -> Iterable[Finding]:
    """101-style forms: a quantitative value (指标性质 ≥ ≤ ＝ ＞ ＜) is a number and has its 度量单位;
    定性 needs neither."""
    form = sheet.form
    if not has_column(form, "nature"):
        return
    nature_label, value_label, measure_label = (column_label(form, key) for key in ("nature", "value", "measure"))
    for indicator in sheet.indicators:
        nature, value = indicator.cell("nature", form).strip(), indicator.cell("value", form).strip()
        if nature not in settings.quantitative_natures or not value or not_applicable(indicator, settings):
            continue  # an empty value is every_indicator_has_a_value's
        if value not in settings.placeholders and not is_number(value):
            yield Finding("value_fits_its_nature", Level.BLOCKING,
                          f"{nature_label}为“{nature}”，{value_label}应为数字（现为“{value}”）", indicator=indicator)
        if has_column(form, "measure") and not indicator.cell("measure", form).strip():
            yield Finding("value_fits_its_nature", Level.BLOCKING, f"{nature_label}为“{nature}”，请填写{measure_label}", indicator=indicator)


def weights_add_up(sheet: GoalSheet, settings: Settings) -> Iterable[Finding]:
    """When every row has a 权重, they add up to 100 (a row's weight must then be a number)."""
    form = sheet.form
    if not has_column(form, "weight") or not sheet.indicators:
        return
    label = column_label(form, "weight")
    written = [(indicator, indicator.cell("weight").strip()) for indicator in sheet.indicators]
    if not all(weight for _, weight in written):
        return
    weights = []
    for indicator, weight in written:
        if (number := measures.parse_number(weight)) is not None:
            weights.append(number)
        else:
            yield Finding("weights_add_up", Level.WARNING, f"{label}“{weight}”应为数字", indicator=indicator)
    if len(weights) == len(written) and sum(weights) != settings.weight_total:
        total = format(sum(weights).normalize(), "f")
        yield Finding("weights_add_up", Level.WARNING,
                      f"各指标{label}合计为{total}，应为{format(settings.weight_total.normalize(), 'f')}")


def satisfaction_is_credible(sheet: GoalSheet, settings: Settings) -> Iterable[Finding]:
    """满意度 rows, whether 满意度 is a level-2 under 效益 (Hunan) or a level-1 of its own (MOF)."""
    for indicator in sheet.indicators:
        if indicator.level1 not in settings.satisfaction_level1 and indicator.level2 not in settings.satisfaction_level2:
            continue
        target = target_measure(indicator, settings)
        if not (target.quantitative and target.unit == "%"):
            continue
        value = f"{measures.format_number(target.number)}%"
        named = PERCENT.search(indicator.name)  # the name is a sentence: "会员满意度达90%以上"
        if target.number < settings.satisfaction_min:
            yield Finding("satisfaction_is_credible", Level.WARNING, f"满意度目标 {value} 低于{settings.satisfaction_min}%", indicator=indicator)
        if named and target.number != Decimal(named.group(1)):
            yield Finding(
                "satisfaction_is_credible", Level.WARNING,
                f"指标写“{named.group(0)}”，指标值却是“{value}”，请统一", indicator=indicator,
            )


def years_fit(sheet: GoalSheet, settings: Settings) -> Iterable[Finding]:
    """A year written in the goals or a row that is neither the sheet's year nor within its 实施期
    (a comparison's base, "较2020年", excepted): mostly last year's, left in a copied sheet.
    domain/years.py says what counts as a year."""
    if sheet.year is None:
        return
    own = years.own_years(sheet.year, sheet.period_start, sheet.period_end)
    later_fits = sheet.period_end is None  # no end given: a goal may reach any later year
    fits = f"不是本表年度（{sheet.year}年）" + ("，也不在实施期内" if own != {sheet.year} else "") + "，请核对（可能是上年留下的）"
    for key in settings.year_fields:
        for written in years.stray_years(getattr(sheet, key, "") or "", sheet.year, own, later_fits):
            yield Finding("years_fit", Level.WARNING, f"写的是{written.written}年，{fits}", field=key)
    for indicator in sheet.indicators:
        for column in sheet.form.columns:
            for written in years.stray_years(indicator.cell(column.key, sheet.form), sheet.year, own, later_fits):
                yield Finding("years_fit", Level.WARNING, f"{sheet.form.column_titles[column.key]}写的是{written.written}年，{fits}",
                              indicator=indicator)


RULES: tuple[Rule, ...] = (
    required_header,
    budget_sensible,
    period_in_order,
    every_level1_has_an_indicator,
    every_indicator_has_a_value,
    names_fit,
    standard_allowed,
    value_fits_its_nature,
    no_repeated_indicator,
    costs_add_up,
    cost_valued_as_amount,
    value_is_measurable,
    weights_add_up,
    satisfaction_is_credible,
    years_fit,
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
    findings.extend(not_below_last_year(sheet, previous, settings))
    return Report(sorted(findings, key=lambda f: f.level != Level.BLOCKING))


def not_below_last_year(sheet: GoalSheet, previous: GoalSheet | None, settings: Settings = DEFAULT_SETTINGS) -> Iterable[Finding]:
    """A target lower than last year's for the same indicator, in the same measure ("2次" against
    "3次", never "12万元" against "95%"). ≤ targets and costs are excepted: lower is no worse."""
    if previous is None:
        return
    last_year = {(i.level2, i.name.strip()): target_measure(i, settings) for i in previous.indicators}
    for indicator in sheet.indicators:
        before = last_year.get((indicator.level2, indicator.name.strip()))
        now = target_measure(indicator, settings)
        if before is None or indicator.level2 in settings.cost_level2 or now.reverse or before.reverse:
            continue
        numbers = measures.comparable(before, now)  # in last year's unit: "1.2万亩" against "15000亩"
        if numbers is not None and numbers[1] < numbers[0]:
            yield Finding("not_below_last_year", Level.WARNING, f"目标值“{now.written}”低于上年的“{before.written}”", indicator=indicator)


# --- the form's own words ------------------------------------------------------------------


def field_label(field: HeaderField) -> str:
    """A header field's label as the form prints it, on one line ("年度\n目标" is "年度目标"; "单位（盖章）"
    keeps its brackets, which label_key would drop)."""
    return re.sub(r"\s+", "", field.label)


def header_label(form: FormTemplate, key: str) -> str:
    """The form's label for a header field; a field the form lacks goes by the Hunan form's name."""
    field = form.field(key) or DEFAULT_TEMPLATE.field(key)
    return field_label(field) if field else key


def has_column(form: FormTemplate, key: str) -> bool:
    return any(column.key == key for column in form.columns)


COLUMN_NAMES = {"value": "指标值", "nature": "指标性质", "measure": "度量单位", "weight": "权重"}


def column_label(form: FormTemplate, key: str) -> str:
    """The form's heading of an indicator column, on one line; the usual name when it has none."""
    return next((label_key(column.label) for column in form.columns if column.key == key), COLUMN_NAMES.get(key, key))


def is_number(text: str) -> bool:
    """A plain number, full-width digits too: "42", "3.5", "1,200", "９０"."""
    return measures.parse_number(text) is not None


def not_applicable(indicator: Indicator, settings: Settings) -> bool:
    """The row says it does not apply to this project ("无", "不适用"; in a 101-style form's 指标值)."""
    shown = measures.cells(indicator.value, indicator.given)[1]  # a 101-style form's 指标值, whatever the sheet's form
    return indicator.value.strip() in settings.not_applicable or shown.strip() in settings.not_applicable


def target_measure(indicator: Indicator, settings: Settings) -> measures.Measure:
    """The target understood (Indicator.measure: the clerk's own reading honoured). A row that
    does not apply, or has no value, is 定性 with its text."""
    value = indicator.value.strip()
    if not value or not_applicable(indicator, settings):
        return measures.qualitative(value)
    return indicator.measure
