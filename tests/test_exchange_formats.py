"""Excel and Word, in and out: the writers' layout, the readers, the round trip."""
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from goalsapp.cli.commands import DEMO_FILE
from goalsapp.domain.frameworks import HUNAN_2021, STANDARDS
from goalsapp.domain.importing import read_bytes, read_sheets
from goalsapp.domain.models import GoalSheet, Indicator, streamed
from goalsapp.extensions import db
from goalsapp.formats.excel import FLAT_HEADS, read_workbook, write_workbook, write_workbook_to
from goalsapp.formats.word import read_document

from .paperforms import as_tuple, paper_form_docx


@pytest.fixture(scope="module")
def seed():
    return read_sheets(DEMO_FILE)


@pytest.fixture(scope="module")
def seed_book(seed):
    return load_workbook(BytesIO(write_workbook(seed)))


def test_the_workbook_has_a_form_per_sheet_and_a_flat_list(seed_book):
    assert seed_book.sheetnames == ["基层商会专项经费", "非公党建项目", "光彩事业项目", "教育培训项目", "商会建设项目", "指标清单"]


def test_a_form_worksheet_is_laid_out_as_the_paper_form(seed_book):
    ws = seed_book["基层商会专项经费"]
    assert ws["A1"].value == "2021年项目支出绩效目标表" and ws["A1"].font.b and ws["A1"].font.name == "宋体"
    assert ws["A2"].value == "填报单位：会同县工商联（盖章）" and ws["E2"].value == "单位：万元"
    assert (ws["B3"].value, ws["F3"].value, ws["B4"].value, ws["B5"].value) == ("基层商会专项经费", "行政政法", 14, "2021.1-2020.12")
    merged = {str(r) for r in ws.merged_cells.ranges}
    # title, header values, the 本年度绩效指标 column, 产出 (8 rows) and 效益 (9 rows), 2-row groups
    # but the last: the paper has no blank row after 满意度, the comment row follows it
    assert {"A1:F1", "B3:D3", "B5:F5", "B6:F6", "A8:A25", "B9:B16", "B17:B25", "C9:C10", "C23:C24"} <= merged
    assert ws["C25"].value == "社会公众或服务对象满意度指标" and ws["A26"].value == "财政部门\n审核意见"
    assert ws["D9"].value.startswith("促进7个基层商会正常运转") and ws["D10"].value is None
    assert ws["C19"].value == "社会效益指标" and ws["C21"].value == "生态效益指标"
    assert ws["D9"].alignment.wrap_text and ws["D9"].border.left.style == "thin"
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "portrait"  # 9: A4
    # One page wide (fitToWidth left out is 1, the file format's default), as many pages tall as it takes.
    assert ws.sheet_properties.pageSetUpPr.fitToPage and (ws.page_setup.fitToWidth or 1) == 1 and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$8:$8"
    widths = [ws.column_dimensions[c].width for c in "ABCDEF"]
    assert max(widths) == widths[3]  # 三级指标 is the widest column, as on paper


def test_the_flat_list_has_one_row_per_indicator(seed_book):
    ws = seed_book["指标清单"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == FLAT_HEADS
    assert len(rows) == 1 + 55
    assert rows[1] == ("会同县工商联", 2021, "基层商会专项经费", "产出指标", "数量指标",
                       "促进7个基层商会正常运转，下拨每个基层商会工作经费2万元", "7个", "行业标准", 14)


def test_formula_like_text_is_written_as_text():
    sheet = GoalSheet(unit="=cmd|' /C calc'!A0", year=2022, project_name="+SUM(1,2)", budget_dept="-1", local_budget=Decimal(1),
                      template="hunan-2021", period_goal="@x", annual_goal="")
    sheet.indicators = [Indicator(level1="产出指标", level2="数量指标", name="=1+1", value="-5%", standard="计划标准", position=1)]
    ws = load_workbook(BytesIO(write_workbook([sheet]))).worksheets[0]
    for ref in ("B3", "F3", "B6", "D9", "E9"):
        assert ws[ref].data_type == "s" and ws[ref].quotePrefix, ref
    assert ws["D9"].value == "=1+1"
    (back,) = read_workbook(write_workbook([sheet]), "x.xlsx")
    assert as_tuple(back) == as_tuple(sheet)


def test_export_then_import_gives_back_the_seed(seed):
    back = read_workbook(write_workbook(seed), "seed.xlsx")
    assert [as_tuple(s) for s in back] == [as_tuple(s) for s in seed]


def test_sheets_streamed_from_the_database_a_few_at_a_time_all_reach_the_workbook(seeded):
    """A large export reads the sheets in batches as it writes them: every one is still there, rows and all."""
    with seeded.app_context():
        out = BytesIO()
        write_workbook_to(streamed(select(GoalSheet).order_by(GoalSheet.id), batch=2), out)
        stored = [as_tuple(sheet) for sheet in db.session.scalars(select(GoalSheet).order_by(GoalSheet.id))]
    back = read_workbook(out.getvalue(), "stream.xlsx")
    assert len(back) == 5 and [as_tuple(sheet) for sheet in back] == stored


def test_the_flat_list_alone_imports_indicators_and_budgets(seed):
    book = load_workbook(BytesIO(write_workbook(seed)))
    for name in book.sheetnames[:-1]:
        del book[name]
    buffer = BytesIO()
    book.save(buffer)
    back = read_bytes(buffer.getvalue(), "flat.xlsx")
    assert [(s.project_name, s.local_budget) for s in back] == [(s.project_name, s.local_budget) for s in seed]
    assert [as_tuple(s)[-1] for s in back] == [as_tuple(s)[-1] for s in seed]


def test_a_percentage_cell_reads_as_the_form_writes_it():
    book = Workbook()
    ws = book.active
    ws.append(FLAT_HEADS)
    ws.append(("某单位", 2022, "项目", "效益指标", "社会公众或服务对象满意度指标", "满意度", 0.95, "行业标准", 3))
    ws["G2"].number_format = "0%"
    buffer = BytesIO()
    book.save(buffer)
    (sheet,) = read_bytes(buffer.getvalue(), "budget-system.xlsx")
    assert sheet.indicators[0].value == "95%" and sheet.local_budget == Decimal(3)


def test_a_word_table_of_the_paper_form_reads_like_the_seed(seed):
    back = read_bytes(paper_form_docx(seed), "单位表格.docx")
    assert [as_tuple(s) for s in back] == [as_tuple(s) for s in seed]


# --- property: any sheet survives export and import ------------------------------

WORDS = "绩效目标指标项目经费建设管理完成率个次以上ABCxyz0123456789%≥≤.,()（）=+-@ "
text = st.text(alphabet=WORDS, min_size=1, max_size=40).map(str.strip).filter(bool)
optional_text = st.one_of(st.just(""), text)
amount = st.decimals(min_value=0, max_value=10**8, places=4, allow_nan=False, allow_infinity=False)
month = st.builds(date, st.integers(2000, 2100), st.integers(1, 12), st.just(1))


@st.composite
def sheets(draw):
    categories = HUNAN_2021.pairs()
    indicators = [
        Indicator(position=n, level1=level1, level2=level2, name=draw(text), value=draw(optional_text),
                  standard=draw(st.sampled_from(("",) + STANDARDS)))
        for n, (level1, level2) in enumerate(draw(st.lists(st.sampled_from(categories), max_size=25)), start=1)
    ]
    return GoalSheet(
        unit=draw(text), year=draw(st.integers(2000, 2100)), template="hunan-2021", project_name=draw(text),
        budget_dept=draw(optional_text), local_budget=draw(amount), higher_funds=draw(st.one_of(st.none(), amount)),
        period_start=draw(st.one_of(st.none(), month)), period_end=draw(st.one_of(st.none(), month)),
        period_goal=draw(optional_text), annual_goal=draw(optional_text), indicators=indicators,
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(sheets(), min_size=1, max_size=3))
def test_any_sheets_survive_an_excel_round_trip(generated):
    back = read_workbook(write_workbook(generated), "generated.xlsx")
    assert [as_tuple(s) for s in back] == [as_tuple(s) for s in generated]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(sheets(), min_size=1, max_size=2))
def test_any_sheets_read_back_from_a_word_table(generated):
    back = read_document(paper_form_docx(generated), "generated.docx")
    assert [as_tuple(s) for s in back] == [as_tuple(s) for s in generated]


def test_the_flat_list_holds_a_guangdong_rows_mid_term_and_annual_texts_each_under_its_own_head():
    level1, level2 = "预期产出指标", "数量指标(或建筑规模指标)"
    sheet = GoalSheet(unit="某单位", year=2021, template="guangdong-2019", project_name="培训项目", local_budget=Decimal(5))
    sheet.indicators = [Indicator(position=1, level1=level1, level2=level2, name="年度培训人次", value="1000人次", standard="",
                                  extra={"mid_level2": "数量指标", "mid_name": "三年累计培训人次", "mid_value": "3000人次"})]
    heads, row = load_workbook(BytesIO(write_workbook([sheet])))["指标清单"].iter_rows(values_only=True)
    assert dict(zip(heads, row, strict=True)) == {
        "填报单位": "某单位", "年度": 2021, "项目支出名称": "培训项目", "一级指标": level1, "二级指标": level2,
        "中期指标／二级指标": "数量指标", "中期指标／三级指标": "三年累计培训人次", "中期指标／指标值": "3000人次",
        "年度指标／三级指标": "年度培训人次", "年度指标／计划指标值": "1000人次", "年度本级预算金额": 5}
