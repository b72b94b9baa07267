from datetime import date
from decimal import Decimal

import pytest

from goalsapp.cli.commands import DEMO_FILE
from goalsapp.domain.errors import ReadError
from goalsapp.domain.importing import read_sheets
from goalsapp.formats.text import read_text as parse

# Another table of the same Word template: another unit and year, three rows in one
# group, a row without the spanning first column, and amounts in 元.
OTHER_LINES = [
    "   2023年项目支出绩效目标表",
    "\t填报单位：某县教育局（盖章）          单位：元",
    "",
    "\t项目支出名称", "\t校舍维修", "\t预算部门", "\t教育",
    "",
    "\t年度本级", "预算金额", "\t1205000", "\t该项目支出上级资金", "\t300000",
    "",
    "\t项目支出实施期", "\t2023.01-2023.12",
    "",
    "\t实施期绩效目标", "\t完成3所学校校舍维修",
    "",
    "\t本年度绩效目标", "\t2023年完成维修",
    "",
    "\t本年度", "绩效指标", "\t一级指标", "\t二级指标", "\t三级指标", "\t指标值及单位", "\t绩效标准",
    "",
    "\t", "\t产出", "指标", "\t数量指标", "\t维修学校数", "\t3所", "\t计划标准",
    "",
    "\t", "\t", "\t", "\t维修面积", "\t≥1200平方米", "\t计划标准",
    "",
    "\t", "\t", "\t新增教室", "\t4间", "\t历史标准",
    "",
    "\t", "\t", "\t成本指标", "\t维修费用", "\t≤120.5万元", "\t计划标准",
    "",
    "\t", "\t", "\t", "\t", "\t", "\t",
    "",
    "\t", "\t效益", "指标", "\t社会公众或服务对象满意度指标", "\t师生满意度", "\t≥90%", "\t行业标准",
    "",
]


def other_table(replace: dict[str, str] | None = None) -> str:
    return "\n".join((replace or {}).get(line, line) for line in OTHER_LINES)


def line_of(text: str) -> int:
    return OTHER_LINES.index(text) + 1


@pytest.fixture(scope="module")
def seed():
    return read_sheets(DEMO_FILE)


def test_the_seed_holds_five_sheets_with_their_budgets(seed):
    assert [s.project_name for s in seed] == ["基层商会专项经费", "非公党建项目", "光彩事业项目", "教育培训项目", "商会建设项目"]
    assert [s.local_budget for s in seed] == [Decimal("14"), Decimal("4"), Decimal("2.4"), Decimal("1.6"), Decimal("2.4")]
    assert sum(s.local_budget for s in seed) == Decimal("24.4")
    assert all(s.higher_funds is None for s in seed)
    assert {(s.unit, s.year, s.budget_dept) for s in seed} == {("会同县工商联", 2021, "行政政法")}


def test_the_seed_keeps_its_impossible_period(seed):
    assert {(s.period_start, s.period_end) for s in seed} == {(date(2021, 1, 1), date(2020, 12, 1))}


def test_the_seed_header_goals(seed):
    assert seed[0].period_goal == "加强基层商会建设，促进基层商会工作良好开展"
    assert seed[0].annual_goal == "2021年7个基层商会正常运转，自身建设得到加强"


def test_every_indicator_in_order_with_blank_rows_dropped(seed):
    assert [len(s.indicators) for s in seed] == [8, 11, 13, 11, 12]
    first = [(i.level1, i.level2, i.name, i.value, i.standard) for i in seed[0].indicators]
    assert first[0] == ("产出指标", "数量指标", "促进7个基层商会正常运转，下拨每个基层商会工作经费2万元", "7个", "行业标准")
    assert first[3] == ("产出指标", "成本指标", "7个基层商会正常运转所需办公费7万元，水、电费2万元，租赁费3万元", "95%", "行业标准")
    assert first[-1] == ("效益指标", "社会公众或服务对象满意度指标", "会员满意度达90%以上", "98%", "行业标准")
    assert "生态效益指标" not in {i.level2 for s in seed for i in s.indicators}
    assert [i.position for i in seed[1].indicators] == list(range(1, 12))


def test_word_residue_and_full_width_spaces_are_cleaned(seed):
    texts = [text for s in seed for i in s.indicators for text in (i.name, i.value, i.standard)]
    assert not any("\u3000" in t or "bookmark" in t or t != t.strip() for t in texts)
    assert seed[2].indicators[-1].standard == "行业标准"  # the cell Word split over two lines


def test_the_repeated_row_is_kept_for_review_to_flag(seed):
    timeliness = [i.name for i in seed[2].indicators if i.level2 == "时效指标"]
    assert timeliness == ["2021年12月完成率", "2021年12月完成率"]


def test_another_table_of_the_same_template():
    (sheet,) = parse(other_table(), "other.txt")
    assert (sheet.unit, sheet.year, sheet.project_name, sheet.budget_dept) == ("某县教育局", 2023, "校舍维修", "教育")
    assert (sheet.local_budget, sheet.higher_funds) == (Decimal("120.5"), Decimal("30"))  # 元 → 万元
    assert (sheet.period_start, sheet.period_end) == (date(2023, 1, 1), date(2023, 12, 1))
    assert [(i.level2, i.name, i.value) for i in sheet.indicators] == [
        ("数量指标", "维修学校数", "3所"),
        ("数量指标", "维修面积", "≥1200平方米"),
        ("数量指标", "新增教室", "4间"),
        ("成本指标", "维修费用", "≤120.5万元"),
        ("社会公众或服务对象满意度指标", "师生满意度", "≥90%"),
    ]


def test_a_gb18030_file_reads_like_utf8(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(other_table().encode("gb18030"))
    assert read_sheets(path)[0].project_name == "校舍维修"


@pytest.mark.parametrize(
    "original, replacement, reported_at, offset, message",
    [
        ("\t1205000", "\t一百万", "\t1205000", 0, "金额“一百万”不是数字"),
        ("\t2023.01-2023.12", "\t明年", "\t2023.01-2023.12", 0, "项目支出实施期“明年”无法识别"),
        ("\t社会公众或服务对象满意度指标", "\t满意度", "\t社会公众或服务对象满意度指标", 0, "下没有二级指标“满意度”"),
        ("\t新增教室", "\t新增教室\n\t多出一格\n\t又一格", "\t新增教室", -2, "这一行有7个"),
        ("\t校舍维修", "\t", "   2023年项目支出绩效目标表", 0, "缺少“项目支出名称”"),
    ],
)
def test_a_bad_table_names_the_file_and_line(original, replacement, reported_at, offset, message):
    # A row with too many cells is reported at its first cell, above the changed line.
    expected = line_of(reported_at) + offset
    with pytest.raises(ReadError) as error:
        parse(other_table({original: replacement}), "bad.txt")
    assert error.value.where == f"第{expected}行"
    assert str(error.value).startswith(f"bad.txt 第{expected}行：")
    assert message in str(error.value)


def test_text_without_a_title_is_not_a_goal_sheet():
    with pytest.raises(ReadError, match="没有找到标题"):
        parse("随便一段文字\n", "notes.txt")


def test_a_missing_file_is_a_read_error(tmp_path):
    with pytest.raises(ReadError, match="无法读取文件"):
        read_sheets(tmp_path / "missing.txt")
