"""The review rules one by one (a passing and a failing case each), the seed's own mistakes, and
the rules following the form a unit is handed (Anhui, Sichuan, Hubei): what the user then sees."""
import dataclasses
from datetime import date
from decimal import Decimal
from functools import cache

import pytest

from goalsapp.cli.commands import DEMO_FILE
from goalsapp.domain import formtemplates, measures
from goalsapp.domain import review as rules
from goalsapp.domain.formtemplates import SPLIT_COLUMNS
from goalsapp.domain.importing import read_bytes, read_sheets
from goalsapp.domain.models import GoalSheet, Indicator
from goalsapp.domain.review import DEFAULT_SETTINGS, Level, Settings, review

from .variants.catalog import BY_CODE
from .variants.writers import to_docx


def row(level2="数量指标", name="开展培训", value="3次", standard="计划标准", level1=None, position=1):
    level1 = level1 or ("产出指标" if level2 in ("数量指标", "质量指标", "时效指标", "成本指标") else "效益指标")
    return Indicator(level1=level1, level2=level2, name=name, value=value, standard=standard, position=position)


def good_sheet(**changes) -> GoalSheet:
    """A sheet every rule passes."""
    fields = dict(
        unit="某单位", year=2022, template="hunan-2021", project_name="培训项目", budget_dept="教育",
        local_budget=Decimal("1.6"), higher_funds=None, period_start=date(2022, 1, 1), period_end=date(2022, 12, 1),
        period_goal="提升能力", annual_goal="完成培训",
        indicators=[
            row("数量指标", "开展培训", "3次"),
            row("成本指标", "培训费0.6万元", "0.6万元", position=2),
            row("成本指标", "场地费10000元", "1万元", position=3),
            row("社会效益指标", "能力提升率", "≥90%", position=4),
            row("社会公众或服务对象满意度指标", "学员满意度达95%以上", "95%", position=5),
        ],
    )
    return GoalSheet(**{**fields, **changes})


def found(rule, sheet, settings=DEFAULT_SETTINGS):
    return list(rule(sheet, settings))


def test_the_good_sheet_has_no_findings():
    assert review(good_sheet()).findings == []


def test_required_header():
    assert found(rules.required_header, good_sheet()) == []
    (finding,) = found(rules.required_header, good_sheet(annual_goal="  "))
    assert (finding.level, finding.field, finding.message) == (Level.BLOCKING, "annual_goal", "请填写“本年度绩效目标”")
    assert len(found(rules.required_header, good_sheet(period_start=None, budget_dept=""))) == 2


def test_budget_sensible():
    assert found(rules.budget_sensible, good_sheet()) == []
    (negative,) = found(rules.budget_sensible, good_sheet(higher_funds=Decimal("-1")))
    assert negative.blocking and "不能为负数" in negative.message
    (zero,) = found(rules.budget_sensible, good_sheet(local_budget=Decimal(0)))
    assert zero.level == Level.WARNING


def test_period_in_order():
    assert found(rules.period_in_order, good_sheet()) == []
    (finding,) = found(rules.period_in_order, good_sheet(period_start=date(2021, 1, 1), period_end=date(2020, 12, 1)))
    assert finding.blocking and finding.field == "period_end" and "2020.12" in finding.message


def test_every_level1_has_an_indicator():
    assert found(rules.every_level1_has_an_indicator, good_sheet()) == []
    sheet = good_sheet(indicators=[row("数量指标")])
    (finding,) = found(rules.every_level1_has_an_indicator, sheet)
    assert finding.blocking and finding.message == "“效益指标”下至少要有一个指标"


@pytest.mark.parametrize("value, message", [("", "请填写指标值及单位"), ("*", "是占位符"), ("-", "是占位符")])
def test_every_indicator_has_a_value(value, message):
    assert found(rules.every_indicator_has_a_value, good_sheet()) == []
    sheet = good_sheet(indicators=[row(value=value)])
    (finding,) = found(rules.every_indicator_has_a_value, sheet)
    assert finding.blocking and message in finding.message and finding.indicator is sheet.indicators[0]


def test_names_fit_the_limit_a_province_sets():
    sheet = good_sheet(indicators=[row(name="长" * 101)])
    assert found(rules.names_fit, good_sheet()) == []
    assert "超过100个字" in found(rules.names_fit, sheet)[0].message
    assert found(rules.names_fit, sheet, Settings(name_max=120)) == []


def test_standard_allowed():
    assert found(rules.standard_allowed, good_sheet()) == []
    (finding,) = found(rules.standard_allowed, good_sheet(indicators=[row(standard="国家标准")]))
    assert finding.blocking and "“国家标准”" in finding.message


def test_no_repeated_indicator():
    assert found(rules.no_repeated_indicator, good_sheet()) == []
    sheet = good_sheet(indicators=[row(position=1), row(position=2)])
    (finding,) = found(rules.no_repeated_indicator, sheet)
    assert finding.level == Level.WARNING and finding.indicator is sheet.indicators[1]


def test_costs_add_up():
    assert found(rules.costs_add_up, good_sheet()) == []  # 0.6万元 + 10000元 = 1.6
    (finding,) = found(rules.costs_add_up, good_sheet(local_budget=Decimal(2)))
    assert finding.level == Level.WARNING and "0.6+1=1.6 万元，与预算 2 万元不符" in finding.message


def test_cost_valued_as_amount():
    assert found(rules.cost_valued_as_amount, good_sheet()) == []
    (finding,) = found(rules.cost_valued_as_amount, good_sheet(indicators=[row("成本指标", value="100%")]))
    assert finding.level == Level.WARNING


def test_value_is_measurable():
    assert found(rules.value_is_measurable, good_sheet()) == []
    (finding,) = found(rules.value_is_measurable, good_sheet(indicators=[row(value="完成任务")]))
    assert finding.level == Level.WARNING and "没有可衡量的数字" in finding.message


def test_satisfaction_is_credible():
    assert found(rules.satisfaction_is_credible, good_sheet()) == []
    low = row("社会公众或服务对象满意度指标", "满意度", "70%")
    assert "低于80%" in found(rules.satisfaction_is_credible, good_sheet(indicators=[low]))[0].message
    assert found(rules.satisfaction_is_credible, good_sheet(indicators=[low]), Settings(satisfaction_min=Decimal(60))) == []
    mismatch = row("社会公众或服务对象满意度指标", "会员满意度达90%以上", "98%")
    assert "指标写“90%”，指标值却是“98%”" in found(rules.satisfaction_is_credible, good_sheet(indicators=[mismatch]))[0].message


def test_not_below_last_year():
    last_year = good_sheet(year=2021)
    assert list(rules.not_below_last_year(good_sheet(), last_year)) == []
    lower = good_sheet(indicators=[row("数量指标", "开展培训", "2次"), row("社会效益指标", "能力提升率", "≥95%")])
    (finding,) = rules.not_below_last_year(lower, last_year)
    assert finding.level == Level.WARNING and "低于上年的“3次”" in finding.message


@pytest.mark.parametrize("before, now, warned", [
    ("不超过30万元", "不超过25万元", False),  # a ceiling said in words: a lower one is stricter, not lower
    ("2万吨", "15000吨", True),  # read in one unit: 15000吨 is less than 2万吨
    ("15000吨", "2万吨", False),
    ("98%", "95%以上", True),
    ("完成年度任务", "基本完成", False),  # words: nothing to compare
])
def test_last_years_target_is_compared_as_measures_read_it(before, now, warned):
    last_year = good_sheet(year=2021, indicators=[row("数量指标", "库容", before)])
    findings = list(rules.not_below_last_year(good_sheet(indicators=[row("数量指标", "库容", now)]), last_year))
    assert [finding.message for finding in findings] == ([f"目标值“{now}”低于上年的“{before}”"] if warned else [])


def test_a_report_counts_and_places_its_findings():
    sheet = good_sheet(annual_goal="", indicators=[row(value=""), row(position=2)])
    report = review(sheet)
    assert (report.blocking, report.warnings) == (3, 1)
    assert report.findings[0].blocking and not report.findings[-1].blocking  # blocking first
    assert [f.rule for f in report.for_row(sheet.indicators[0])] == ["every_indicator_has_a_value"]
    assert [f.rule for f in report.for_field("annual_goal")] == ["required_header"]


# --- the seed's own mistakes, all caught -------------------------------------------


@pytest.fixture(scope="module")
def seed_reports():
    return {sheet.project_name: review(sheet) for sheet in read_sheets(DEMO_FILE)}


def messages(report, rule):
    return [f.message for f in report.findings if f.rule == rule]


def test_the_impossible_period_blocks_all_five(seed_reports):
    assert all(messages(r, "period_in_order") == ["实施期结束（2020.12）早于开始（2021.1），请改正"] for r in seed_reports.values())
    assert all(r.blocking == 1 for r in seed_reports.values())


def test_the_repeated_timeliness_row(seed_reports):
    assert messages(seed_reports["光彩事业项目"], "no_repeated_indicator") == ["“2021年12月完成率”在时效指标下重复出现"]


def test_costs_that_do_not_add_up_to_the_budget(seed_reports):
    assert messages(seed_reports["基层商会专项经费"], "costs_add_up") == ["成本指标列出的金额 7+2+3=12 万元，与预算 14 万元不符"]
    assert all(not messages(seed_reports[name], "costs_add_up") for name in ("非公党建项目", "光彩事业项目", "教育培训项目", "商会建设项目"))


def test_cost_indicators_valued_as_percentages(seed_reports):
    assert [len(messages(r, "cost_valued_as_amount")) for r in seed_reports.values()] == [1, 2, 1, 2, 2]


def test_satisfaction_text_against_its_value(seed_reports):
    assert messages(seed_reports["基层商会专项经费"], "satisfaction_is_credible") == ["指标写“90%”，指标值却是“98%”，请统一"]


# --- the rules follow the sheet's form (issue 9) -------------------------------------------
# Each story reads a form a unit is really handed (tests/variants), changes what a clerk would,
# and asserts what the editor then shows: (level, message) for each finding.

@cache
def _docx(code: str) -> bytes:
    return to_docx(BY_CODE[code])


def from_form(code: str) -> GoalSheet:
    """The variant's sheet as the importer reads it from Word (a fresh copy each time)."""
    (sheet,) = read_bytes(_docx(code), f"{code}.docx")
    return sheet


def shown_to_user(sheet: GoalSheet, previous: GoalSheet | None = None) -> list[tuple[Level, str]]:
    return [(finding.level, finding.message) for finding in review(sheet, previous).findings]


def named(sheet: GoalSheet, name: str) -> Indicator:
    return next(indicator for indicator in sheet.indicators if indicator.name == name)


def set_cells(indicator: Indicator, **cells: str) -> None:
    """Change a row's cells as a file would have them: a 101-style form's 指标性质/指标值/度量单位
    as one value (measures.from_cells), the form's other columns in extra."""
    form, extra = indicator.sheet.form, dict(indicator.extra or {})
    if form.splits_value and cells.keys() & set(SPLIT_COLUMNS):
        split = {key: cells.pop(key, indicator.cell(key, form)) for key in SPLIT_COLUMNS}
        indicator.value, given = measures.from_cells(split["nature"], split["value"], split["measure"])
        extra = {key: text for key, text in extra.items() if key not in measures.GIVEN} | given
    elif "value" in cells:
        indicator.value = cells.pop("value")
    indicator.extra = extra | cells


def test_an_anhui_sheet_is_not_asked_for_what_its_form_lacks():
    # No 绩效标准 column, no 实施期 field; "无" and "不适用" rows say they do not apply.
    sheet = from_form("anhui_2025")
    assert sheet.template == "anhui-2025" and sheet.period_start is None
    assert {named(sheet, "带动体育消费").value, named(sheet, "项目对生态环境的影响").value} == {"不适用", "无"}
    assert shown_to_user(sheet) == []


def test_an_anhui_sheet_asks_for_its_required_fields_by_its_own_labels():
    sheet = from_form("anhui_2025")
    sheet.budget_dept, sheet.annual_goal = "", ""
    findings = found(rules.required_header, sheet)
    assert [(f.field, f.message) for f in findings] == [
        ("budget_dept", "请填写“主管部门及代码”"),
        ("annual_goal", "请填写“年度目标”"),  # printed "年度\n目标": one line in a message
    ]
    assert all(f.blocking for f in findings)


def test_a_required_field_kept_as_written_counts_as_filled(monkeypatch):
    # A form that requires a field the sheet keeps in sheet.fields (项目期 "3年"), not in a column.
    anhui = formtemplates.TEMPLATES["anhui-2025"]
    strict = dataclasses.replace(anhui, code="anhui-strict", header=tuple(
        dataclasses.replace(field, required=True) if field.key == "term" else field for field in anhui.header))
    monkeypatch.setitem(formtemplates.TEMPLATES, "anhui-strict", strict)
    sheet = from_form("anhui_2025")
    sheet.template = "anhui-strict"
    assert sheet.written("term") == "3年" and found(rules.required_header, sheet) == []
    sheet.fields = {key: text for key, text in sheet.fields.items() if key != "term"}
    (finding,) = found(rules.required_header, sheet)
    assert (finding.level, finding.field, finding.message) == (Level.BLOCKING, "term", "请填写“项目期”")


def test_a_level1_satisfaction_counts_as_satisfaction():
    # MOF forms put 满意度指标 at level 1, with 服务对象满意度指标 or 满意度指标 under it.
    sheet = from_form("anhui_2025")
    set_cells(named(sheet, "健身群众满意度"), value="70%")
    sheet.indicators.append(Indicator(level1="满意度指标", level2="满意度指标", name="参赛群众满意度达95%", value="90%", position=20))
    assert shown_to_user(sheet) == [
        (Level.WARNING, "满意度目标 70% 低于80%"),
        (Level.WARNING, "指标写“95%”，指标值却是“90%”，请统一"),
    ]


def test_an_anhui_sheet_still_blocks_a_placeholder_and_an_empty_value():
    sheet = from_form("anhui_2025")
    set_cells(named(sheet, "新建社区健身点"), value="待定")
    set_cells(named(sheet, "健身点建成投用时间"), value="")
    assert shown_to_user(sheet) == [
        (Level.BLOCKING, "指标值“待定”是占位符，请填写实际目标值"),
        (Level.BLOCKING, "请填写指标值"),  # Anhui's heading, not Hunan's 指标值及单位
    ]


@pytest.mark.parametrize("value", ["无", "不适用", " 不适用 "])
def test_a_row_that_does_not_apply_is_not_a_placeholder(value):
    sheet = good_sheet(indicators=[*good_sheet().indicators, row("经济效益指标", "带动农户增收", value, position=6)])
    assert review(sheet).findings == []


def test_a_hunan_2023_sheet_with_a_row_that_does_not_apply_can_be_submitted():
    sheet = from_form("hunan_2023")
    assert named(sheet, "带动社会资本投入").value == "无"
    assert shown_to_user(sheet) == [(Level.WARNING, "指标值“完成年度改造任务”没有可衡量的数字，请尽量细化量化")]


def test_a_sichuan_sheet_as_filed_has_no_findings():
    # 101-style: 定性 rows with words and no unit, "无"/"不适用" rows, weights adding up to 100,
    # MOF 2021 categories with 成本指标 at level 1; no 绩效标准, no 实施期, no 实施期绩效目标.
    sheet = from_form("sichuan_2023")
    assert sheet.template == "sichuan-2023"
    assert shown_to_user(sheet) == []


def test_a_quantitative_value_is_a_number_with_a_unit():
    sheet = from_form("sichuan_2023")
    set_cells(named(sheet, "开展课后服务学校数"), value="42所", measure="")
    set_cells(named(sheet, "课后服务课程开设达标率"), value="≥95%")
    set_cells(named(sheet, "补助资金发放及时率"), measure="")
    assert shown_to_user(sheet) == [
        (Level.BLOCKING, "指标性质为“≥”，指标值应为数字（现为“42所”）"),
        (Level.BLOCKING, "指标性质为“≥”，请填写度量单位"),
        (Level.BLOCKING, "指标性质为“≥”，指标值应为数字（现为“≥95%”）"),
        (Level.BLOCKING, "指标性质为“＝”，请填写度量单位"),
    ]
    (first, second, *_) = review(sheet).findings
    assert first.indicator is second.indicator is named(sheet, "开展课后服务学校数")


def test_a_qualitative_value_needs_neither_number_nor_unit():
    sheet = from_form("sichuan_2023")
    set_cells(named(sheet, "减轻家长接送时间成本"), value="家长普遍反映接送压力减轻")
    set_cells(named(sheet, "课后服务长效机制"), value="3.5", measure="")  # a number is fine too
    assert shown_to_user(sheet) == []
    set_cells(named(sheet, "课后服务长效机制"), value="*")
    assert shown_to_user(sheet) == [(Level.BLOCKING, "指标值“*”是占位符，请填写实际目标值")]


def test_weights_on_every_row_add_up_to_100():
    sheet = from_form("sichuan_2023")
    set_cells(named(sheet, "开展课后服务学校数"), weight="15")
    assert shown_to_user(sheet) == [(Level.WARNING, "各指标权重合计为105，应为100")]
    set_cells(named(sheet, "开展课后服务学校数"), weight="十")
    assert shown_to_user(sheet) == [(Level.WARNING, "权重“十”应为数字")]
    # A row without a weight: the form was not weighted throughout, nothing to add up.
    unweighted = named(sheet, "开展课后服务学校数")
    unweighted.extra = {key: text for key, text in unweighted.extra.items() if key != "weight"}
    assert found(rules.weights_add_up, sheet) == []
    (other_total,) = found(rules.weights_add_up, from_form("sichuan_2023"), Settings(weight_total=Decimal(90)))
    assert other_total.message == "各指标权重合计为100，应为90"


def test_a_101_satisfaction_reads_its_value_with_its_unit():
    sheet = from_form("sichuan_2023")
    set_cells(named(sheet, "学生家长满意度"), value="75")
    assert shown_to_user(sheet) == [(Level.WARNING, "满意度目标 75% 低于80%")]


@pytest.mark.parametrize("name", ["改厕补助每户300元，共1.6万元", "每人每月补助200元，合计1.6万元", "补助标准300元/户，共1.6万元",
                                  "按每平方米 80 元，共计 1.6万元"])
def test_a_unit_price_is_no_part_of_the_costs_sum(name):
    sheet = good_sheet()
    for indicator in sheet.indicators:
        if indicator.level2 == "成本指标":
            indicator.name = "无金额"
    sheet.indicators[0].level2, sheet.indicators[0].name = "成本指标", name
    assert found(rules.costs_add_up, sheet) == []  # 1.6万元 is the budget; the rate is not added to it


def test_costs_add_up_where_cost_is_a_level1_category():
    # MOF 2021: money is named under 成本指标 → 经济成本指标; 社会成本指标 names no budget money.
    sheet = from_form("sichuan_2023")
    set_cells(named(sheet, "课后服务教师补助标准"), measure="元/课时")
    sheet.indicators += [
        Indicator(level1="成本指标", level2="经济成本指标", name="教师课时补助400万元", value="400", extra={"nature": "≤", "measure": "万元"}, position=30),
        Indicator(level1="成本指标", level2="经济成本指标", name="场地运维70万元", value="70", extra={"nature": "≤", "measure": "万元"}, position=31),
        Indicator(level1="成本指标", level2="社会成本指标", name="家长自付费用不超过10万元", value="10", extra={"nature": "≤", "measure": "万元"}, position=32),
    ]
    assert found(rules.costs_add_up, sheet)[0].message == "成本指标列出的金额 400+70=470 万元，与预算 480 万元不符"
    named(sheet, "场地运维70万元").name = "场地运维80万元"
    assert found(rules.costs_add_up, sheet) == []


def test_a_101_cost_valued_as_a_percentage():
    sheet = from_form("sichuan_2023")
    set_cells(named(sheet, "课后服务教师补助标准"), value="95", measure="%")
    assert shown_to_user(sheet) == [(Level.WARNING, "成本指标的指标值“≤95%”是百分比，应写金额（如“7万元”）")]


def test_a_101_target_is_compared_with_last_years_by_its_nature():
    last_year, sheet = from_form("sichuan_2023"), from_form("sichuan_2023")
    set_cells(named(sheet, "开展课后服务学校数"), value="40")  # ≥: fewer schools is lower
    set_cells(named(sheet, "课后服务教师补助标准"), value="18")  # ≤: a lower cap is better
    assert shown_to_user(sheet, last_year) == [(Level.WARNING, "目标值“≥40所”低于上年的“≥42所”")]


def test_a_hubei_sheet_reads_by_its_own_labels():
    sheet = from_form("hubei_2019")
    assert shown_to_user(sheet) == [(Level.WARNING, "指标值“持续完善”没有可衡量的数字，请尽量细化量化")]
    sheet.unit, sheet.local_budget = "", Decimal(0)
    set_cells(named(sheet, "受益群众人次"), value="")
    set_cells(named(sheet, "群众满意度"), value="≥60%")
    report = review(sheet)
    assert [(f.level, f.field, f.message) for f in report.findings if f.field] == [
        (Level.BLOCKING, "unit", "请填写“单位（盖章）”"),
        (Level.WARNING, "local_budget", "年度资金总额为0"),  # the form has no 上级资金 to look for
    ]
    assert [f.message for f in report.findings if f.indicator] == [
        "请填写指标值",
        "指标值“持续完善”没有可衡量的数字，请尽量细化量化",
        "满意度目标 60% 低于80%",
    ]


# --- years that do not fit the sheet (issue 10) -------------------------------------------


@pytest.mark.parametrize(("changes", "shown"), [
    ({}, []),
    ({"annual_goal": "2021年完成培训"}, [("annual_goal", None, "写的是2021年，不是本表年度（2022年），请核对（可能是上年留下的）")]),
    ({"period_goal": "较2019年提高"}, []),  # a comparison's base
    ({"period_goal": "2023年底前建成", "period_end": date(2023, 12, 1)}, []),  # within the 实施期
    ({"period_goal": "2024年底前建成", "period_end": date(2023, 12, 1)},
     [("period_goal", None, "写的是2024年，不是本表年度（2022年），也不在实施期内，请核对（可能是上年留下的）")]),
    ({"indicators": [row("时效指标", "2021年12月底完成", "2021.12")]},
     [(None, "2021年12月底完成", "三级指标写的是2021年，不是本表年度（2022年），请核对（可能是上年留下的）"),
      (None, "2021年12月底完成", "指标值及单位写的是2021年，不是本表年度（2022年），请核对（可能是上年留下的）")]),
    ({"indicators": [row("数量指标", "受益群众2021户", "2021户")]}, []),  # a count, no year
])
def test_years_fit(changes, shown):
    sheet = good_sheet(**changes)
    findings = found(rules.years_fit, sheet)
    assert [(f.field, f.indicator.name if f.indicator else None, f.message) for f in findings] == shown
    assert all(f.level == Level.WARNING for f in findings)


def seed_copied_to_2022(move_years: bool) -> list[GoalSheet]:
    from goalsapp.domain.copying import copy_to_year

    return [copy_to_year(sheet, 2022, move_years=move_years).sheet for sheet in read_sheets(DEMO_FILE)]


def test_the_seed_copied_without_moving_its_years_is_warned_of_each(app):
    with app.app_context():
        copies = seed_copied_to_2022(move_years=False)
    warned = {copy.project_name: [(f.field or f.indicator.name, f.message) for f in review(copy).findings if f.rule == "years_fit"]
              for copy in copies}
    stale = "写的是2021年，不是本表年度（2022年），请核对（可能是上年留下的）"
    assert warned["基层商会专项经费"] == [
        ("annual_goal", stale),
        ("7个基层商会按照《会同县工商联基层商会2021年度目标管理综合绩效考核办法》正常开展工作", "三级指标" + stale),
        ("2021年12月底完成全年工作计划", "三级指标" + stale),
    ]
    assert [len(found) for found in warned.values()] == [3, 2, 3, 2, 2]


def test_the_seed_copied_with_its_years_moved_fits_its_year(app):
    with app.app_context():
        copies = seed_copied_to_2022(move_years=True)
    assert [f.message for copy in copies for f in review(copy).findings if f.rule == "years_fit"] == []


def test_the_seed_as_filed_fits_its_year(seed_reports):
    assert all(not messages(report, "years_fit") for report in seed_reports.values())


def test_a_medium_term_goal_without_a_period_end_may_reach_a_later_year():
    sheet = good_sheet(period_start=None, period_end=None, period_goal="到2027年建成", annual_goal="2021年完成")
    assert [(f.field, f.message[:9]) for f in found(rules.years_fit, sheet)] == [("annual_goal", "写的是2021年，")]


def test_a_target_is_compared_with_last_years_only_in_the_same_measure():
    """A cost row corrected from "95%" to "12万元" (as the bureau asked) is not "lower than last year's 95%":
    different measures do not compare, and a smaller cost is no worse target."""
    last_year = good_sheet(year=2021, indicators=[
        row("成本指标", "办公费7万元", "95%"), row("数量指标", "开展培训", "3次", position=2),
        row("成本指标", "场地费1万元", "1万元", position=3)])
    sheet = good_sheet(indicators=[
        row("成本指标", "办公费7万元", "12万元"), row("数量指标", "开展培训", "2场", position=2),
        row("成本指标", "场地费1万元", "0.8万元", position=3)])
    assert list(rules.not_below_last_year(sheet, last_year)) == []
    fewer = good_sheet(indicators=[row("数量指标", "开展培训", "2 次")])
    (finding,) = rules.not_below_last_year(fewer, last_year)
    assert finding.message == "目标值“2 次”低于上年的“3次”"
