"""The review rules one by one (a passing and a failing case each), and the seed's own mistakes."""
from datetime import date
from decimal import Decimal

import pytest

from goalsapp import review as rules
from goalsapp.commands import DEMO_FILE
from goalsapp.importing import read_sheets
from goalsapp.models import GoalSheet, Indicator
from goalsapp.review import DEFAULT_SETTINGS, Level, Settings, review


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
