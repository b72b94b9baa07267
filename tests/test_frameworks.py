from goalsapp.domain.formtemplates import HUNAN
from goalsapp.domain.frameworks import FRAMEWORKS, HUNAN_2021, STANDARDS, get_framework
from goalsapp.domain.layout import group_indicators, print_rows
from goalsapp.domain.models import Indicator


def indicator(level1, level2, name, position):
    return Indicator(level1=level1, level2=level2, name=name, value="1个", standard="计划标准", position=position)


def test_hunan_2021_has_the_paper_forms_categories_in_order():
    assert HUNAN_2021.level1_names() == ("产出指标", "效益指标")
    assert HUNAN_2021.level2_names("产出指标") == ("数量指标", "质量指标", "时效指标", "成本指标")
    assert HUNAN_2021.level2_names("效益指标")[-1] == "社会公众或服务对象满意度指标"
    assert len(HUNAN_2021.pairs()) == 9
    assert get_framework("hunan-2021") is HUNAN_2021 and "hunan-2021" in FRAMEWORKS


def test_a_category_belongs_only_under_its_own_level1():
    assert HUNAN_2021.has_category("产出指标", "成本指标")
    assert not HUNAN_2021.has_category("效益指标", "成本指标")
    assert not HUNAN_2021.has_category("满意度指标", "服务对象满意度指标")


def test_standards_are_the_four_of_the_form():
    assert STANDARDS == ("计划标准", "行业标准", "历史标准", "其他标准")


def test_grouping_keeps_every_category_and_position_order():
    rows = [indicator("效益指标", "社会效益指标", "B", 3), indicator("产出指标", "数量指标", "A2", 2), indicator("产出指标", "数量指标", "A1", 1)]
    groups = group_indicators(HUNAN_2021, rows)
    assert [(g.level1, g.level2) for g in groups] == HUNAN_2021.pairs()
    assert [i.name for i in groups[0].indicators] == ["A1", "A2"]
    assert [i.name for i in groups[5].indicators] == ["B"]
    assert all(not g.indicators for g in groups if g.level2 not in ("数量指标", "社会效益指标"))


def test_print_rows_pad_each_group_to_two_but_the_last_and_span_the_labels():
    rows = print_rows(HUNAN, [indicator("产出指标", "数量指标", f"A{n}", n) for n in range(1, 4)])
    # 数量 has 3 rows; the other 3 output groups and 4 benefit groups get 2 blank rows each;
    # the form ends with one row for 满意度, as the paper does: no blank row after it.
    assert len(rows) == 3 + 3 * 2 + 4 * 2 + 1
    assert [r.indicator.name for r in rows[:3]] == ["A1", "A2", "A3"]
    assert all(r.indicator is None for r in rows[3:])
    assert (rows[0].level1_span, rows[0].level2_span) == (9, 3)
    assert (rows[1].level1_span, rows[1].level2_span) == (0, 0)
    assert (rows[3].level2, rows[3].level2_span) == ("质量指标", 2)
    assert (rows[9].level1, rows[9].level1_span, rows[9].level2) == ("效益指标", 9, "经济效益指标")
    assert (rows[-1].level2, rows[-1].level2_span) == ("社会公众或服务对象满意度指标", 1)
    assert [r.level2 for r in rows if r.level2_span] == [level2 for _, level2 in HUNAN_2021.pairs()]


def test_the_last_category_prints_exactly_its_rows_when_it_has_some():
    satisfaction = [indicator("效益指标", "社会公众或服务对象满意度指标", f"S{n}", n) for n in range(1, 3)]
    rows = print_rows(HUNAN, satisfaction)
    assert [r.indicator.name for r in rows[-2:]] == ["S1", "S2"]
    assert rows[-3].level2 == "可持续影响指标"


def test_category_labels_print_on_the_lines_the_paper_gives_them():
    rows = print_rows(HUNAN, [])
    lines = {row.level1: row.level1_lines for row in rows} | {row.level2: row.level2_lines for row in rows}
    assert lines["产出指标"] == ("产出", "指标")
    assert lines["效益指标"] == ("效益", "指标")
    assert lines["经济效益指标"] == ("经济效益指标",)  # short enough for its cell: whole
    assert lines["社会公众或服务对象满意度指标"] == ("社会公众或", "服务对象", "满意度指标")
    # the lines are the label, nothing added or lost
    assert all("".join(parts) == label for label, parts in lines.items())
