"""The indicator library as data, and how suggestions are ranked: pure functions, no database."""
from datetime import date
from decimal import Decimal

import pytest

from goalsapp.domain import library
from goalsapp.domain.formtemplates import TEMPLATES, get_template
from goalsapp.domain.frameworks import FRAMEWORKS, STANDARDS
from goalsapp.domain.library import Source, Suggestion, form_cells, joined_target, match_tier, rank, split_target
from goalsapp.domain.models import GoalSheet, Indicator
from goalsapp.domain.review import review


def suggestion(name, source=Source.BUILT_IN, value="", note=""):
    return Suggestion(name, {"name": name, "value": value}, source, note)


# --- ranking -----------------------------------------------------------------------------------


def test_the_names_that_fit_best_come_first_same_then_start_then_inside_then_scattered():
    candidates = [suggestion(name) for name in ("中央预算执行率说明", "预算执行率", "资金到位率", "预算执行率（年中）", "预算年度执行效率")]
    assert [found.name for found in rank("预算执行率", candidates)] == ["预算执行率", "预算执行率（年中）", "中央预算执行率说明", "预算年度执行效率"]


def test_among_equal_fits_the_units_own_rows_come_before_the_bureaus_before_the_built_in():
    candidates = [suggestion("服务对象满意度", Source.BUILT_IN), suggestion("会员满意度达90%以上", Source.OWN),
                  suggestion("群众满意度", Source.BUREAU)]
    assert [(found.name, found.source) for found in rank("满意度", candidates)] == [
        ("会员满意度达90%以上", Source.OWN), ("群众满意度", Source.BUREAU), ("服务对象满意度", Source.BUILT_IN)]


def test_ones_own_rows_keep_their_order_most_recent_first_and_a_name_shows_once_as_last_written():
    candidates = [suggestion("会员满意度", Source.OWN, "99%", "2022年 商会建设项目"),
                  suggestion("会员满意度", Source.OWN, "98%", "2021年 基层商会专项经费"),
                  suggestion("会员满意度", Source.BUILT_IN, "≥90%")]
    (only,) = rank("会员", candidates)
    assert (only.cells["value"], only.note) == ("99%", "2022年 商会建设项目")


def test_nothing_typed_offers_the_whole_category_own_rows_first():
    candidates = [suggestion("预算执行率"), suggestion("培训人次", Source.OWN), suggestion("资金到位率", Source.BUREAU)]
    assert [found.name for found in rank("", candidates)] == ["培训人次", "资金到位率", "预算执行率"]


def test_names_already_in_the_category_are_left_out_and_the_list_is_short():
    candidates = [suggestion(f"指标{number}") for number in range(20)]
    shown = rank("指标", candidates, leave_out={"指标0", " 指标1"})
    assert [found.name for found in shown] == [f"指标{number}" for number in range(2, 10)]


def test_what_does_not_fit_is_not_offered():
    assert rank("满意度", [suggestion("预算执行率"), suggestion("资金到位率")]) == []


@pytest.mark.parametrize("typed, name, tier", [
    ("预算执行率", "预算执行率", 0), ("ｙｕｓｕａｎ", "YuSuan", 0), ("预算", "预算执行率", 1), ("执行率", "预算执行率", 2),
    ("资金 到位", "项目资金按时到位率", 3), ("预算率", "预算执行率", 4), ("率预算", "预算执行率", None), ("", "任何指标", 0),
])
def test_how_well_a_name_fits_what_was_typed(typed, name, tier):
    assert match_tier(typed, name) == tier


# --- one target text, or 指标性质 + 指标值 + 度量单位 ---------------------------------------


@pytest.mark.parametrize("text, parts", [
    ("≥95%", ("≥", "95", "%")), ("100%", ("＝", "100", "%")), ("7个", ("＝", "7", "个")), ("1次以上", ("≥", "1", "次")),
    ("≤300元/人", ("≤", "300", "元/人")), (">=90%", ("≥", "90", "%")), ("0次", ("＝", "0", "次")),
    ("12月底前", ("定性", "12月底前", "")), ("有效提升", ("定性", "有效提升", "")), ("", ("", "", "")),
])
def test_a_target_splits_into_the_101_forms_three_columns(text, parts):
    assert split_target(text) == parts


def test_sichuan_rows_get_the_target_split_and_hunan_rows_get_it_joined():
    sichuan, hunan, anhui = get_template("sichuan-2023"), get_template("hunan-2021"), get_template("anhui-2025")
    hunan_row = {"name": "预算执行率", "value": "≥95%", "standard": "计划标准"}
    assert form_cells(sichuan, hunan_row) == {"name": "预算执行率", "nature": "≥", "value": "95", "measure": "%", "weight": "", "direction": ""}
    sichuan_row = {"name": "培训人次", "nature": "≥", "value": "100", "measure": "人次", "weight": "10"}
    assert form_cells(hunan, sichuan_row) == {"name": "培训人次", "value": "≥100人次", "standard": ""}
    assert form_cells(anhui, hunan_row) == {"name": "预算执行率", "value": "≥95%"}  # Anhui's form sets no 绩效标准
    assert form_cells(hunan, {**hunan_row, "standard": "自定标准"})["standard"] == ""  # only the four the form allows


# --- the built-in library --------------------------------------------------------------------


@pytest.mark.parametrize("framework", FRAMEWORKS.values(), ids=lambda framework: framework.code)
def test_every_category_of_every_framework_has_common_indicators(framework):
    for level1, level2 in framework.pairs():
        assert len(library.built_in(level2)) >= 3, (level1, level2)


def test_built_in_entries_are_within_the_limits_the_forms_keep_and_name_a_standard():
    for level2, entries in library.BUILT_IN.items():
        names = [entry.name for entry in entries]
        assert len(names) == len(set(names)), level2
        for entry in entries:
            assert 0 < len(entry.name) <= 100 and 0 < len(entry.value) <= 100 and entry.standard in STANDARDS, entry
            assert entry.value not in ("无", "不适用"), entry  # those say the row does not apply: review leaves it out


def test_built_in_targets_read_the_same_split_and_joined_again():
    for entries in library.BUILT_IN.values():
        for entry in entries:
            assert joined_target(*split_target(entry.value)) == entry.value, entry


def test_the_named_common_indicators_are_where_a_clerk_looks_for_them():
    names = {level2: {entry.name for entry in library.built_in(level2)} for level2 in library.BUILT_IN}
    assert {"预算执行率", "资金到位率", "项目按期完成率"} <= names["时效指标"]
    assert "服务对象满意度" in names["社会公众或服务对象满意度指标"] and "服务对象满意度" in names["服务对象满意度指标"]
    assert {"对社会发展的负面影响"} <= names["社会成本指标"]  # MOF 2021's own categories too


def sheet_of(template: str, cells_by_category: dict) -> GoalSheet:
    rows = [Indicator(level1=level1, level2=level2, position=position, name=cells["name"], value=cells["value"],
                      standard=cells.get("standard", ""), extra={key: text for key, text in cells.items() if key not in ("name", "value", "standard")})
            for position, ((level1, level2), cells) in enumerate(cells_by_category.items(), start=1)]
    return GoalSheet(unit="某单位", year=2022, template=template, project_name="项目", budget_dept="某部门", local_budget=Decimal(10),
                     period_start=date(2022, 1, 1), period_end=date(2022, 12, 1), period_goal="目标", annual_goal="目标",
                     fields={"implementer": "某单位", "plan_start": "2022.1", "plan_end": "2022.12"}, indicators=rows)


@pytest.mark.parametrize("code", TEMPLATES)
def test_every_common_indicator_filled_into_a_row_of_each_form_passes_review_without_a_word(code):
    """The library shows good practice: a measurable target, a cost as an amount, a standard the form allows."""
    form = TEMPLATES[code]
    for level1, level2 in form.framework.pairs():
        for entry in library.built_in(level2):
            sheet = sheet_of(code, {(level1, level2): form_cells(form, vars(entry))})
            assert [finding.message for finding in review(sheet).findings if finding.indicator is not None] == [], entry
