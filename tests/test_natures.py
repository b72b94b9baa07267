"""Issue 11, structured values on target sheets: a row's value is one text, understood as 指标性质,
number and 度量单位 (domain/measures.py); a 101-style form's three columns are read from it and
written to it, a file's own cells come back as written, and the clerk may correct how a value is
understood (kept beside it, used by review and scoring)."""
import re
from dataclasses import replace
from decimal import Decimal
from html import unescape
from io import BytesIO

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from goalsapp.domain import measures, scoring
from goalsapp.domain.copying import copy_to_year
from goalsapp.domain.formtemplates import get_template, label_key
from goalsapp.domain.importing import read_bytes, store
from goalsapp.domain.models import GoalSheet, Indicator, SheetEvent
from goalsapp.domain.review import review
from goalsapp.extensions import db
from goalsapp.formats.excel import read_workbook, write_workbook

from .variants.catalog import SICHUAN_2023
from .variants.writers import to_docx, to_xlsx

SICHUAN = get_template("sichuan-2023")
SPLIT = ("nature", "value", "measure")

# A 101-style file as units write them: the cells each in its own spelling.
COST, OUT, EFFECT, SATISFY = "成本指标", "产出指标", "效益指标", "满意度指标"
AS_WRITTEN = replace(SICHUAN_2023, block=replace(SICHUAN_2023.block, rows=(
    (COST, "经济成本指标", "课后服务教师补助标准", "<=", "20", "元/课时", "10", "反向"),      # a sign spelled otherwise
    (COST, "社会成本指标", "增加学生家长经济负担", "定性", "无", "", "10", "反向"),
    (OUT, "数量指标", "开展课后服务学校数", "≥", "42", "所", "10", "正向"),
    (OUT, "数量指标", "参与课后服务学生人数", "≥", "35,000", "人", "10", "正向"),           # a thousands separator
    (OUT, "质量指标", "课后服务课程开设达标率", "", "95", "%", "10", "正向"),                # no 指标性质
    (OUT, "时效指标", "补助资金发放及时率", "定性", "100%", "", "10", "正向"),               # 定性, though it has a number
    (EFFECT, "社会效益指标", "学生课后托管需求满足率", "＝", "98", "%", "10", "正向"),
    (EFFECT, "可持续影响指标", "课后服务长效机制", "≥", "持续健全", "", "20", "正向"),       # a sign over words
    (SATISFY, "服务对象满意度指标", "学生家长满意度", "≥", "90", "%", "10", "正向"),
)))
COLUMNS = ("三级指标", "指标性质", "指标值", "度量单位")


def file_cells(variant=AS_WRITTEN) -> list[tuple[str, ...]]:
    return [tuple(row[heading] for heading in COLUMNS) for row in variant.indicators]


def sheet_cells(sheet: GoalSheet) -> list[tuple[str, ...]]:
    return [(row.name, *(row.cell(key) for key in SPLIT)) for row in sheet.indicators]


def readings(sheet: GoalSheet) -> list[str]:
    return [measures.tag(row.measure) for row in sheet.indicators]


@pytest.mark.parametrize("write", [to_docx, to_xlsx], ids=["docx", "xlsx"])
def test_a_101_files_three_cells_are_one_value_and_come_back_as_written(app, client, write):
    with app.app_context():
        (sheet,) = read_bytes(write(AS_WRITTEN), "四川.file")
        store([sheet], ["keep"])
        sheet_id = sheet.id
    with app.app_context():
        sheet = db.session.get(GoalSheet, sheet_id)
        # One value each, in the form's own spelling where the file's could be read...
        assert [row.value for row in sheet.indicators] == [
            "≤20元/课时", "无", "≥42所", "≥35000人", "95%", "100%", "98%", "≥持续健全", "≥90%"]
        # ...understood as the cells say: a blank 指标性质 by the value alone, 定性 where the file says so.
        assert readings(sheet) == ["≤ 20 元/课时", "定性", "≥ 42 所", "≥ 35000 人", "＝ 95 %", "定性", "＝ 98 %", "定性", "≥ 90 %"]
        assert sheet_cells(sheet) == file_cells()
    # Printed and exported, every cell is the file's own.
    page = client.get(f"/sheets/{sheet_id}/print").get_data(as_text=True)
    printed = [unescape(text).strip() for text in re.findall(r"<td[^>]*>(.*?)</td>", page, re.S)]
    for cells in file_cells():
        assert all(cell in printed for cell in cells if cell), cells
    exported = client.get(f"/sheets/{sheet_id}/export.xlsx").data
    (back,) = read_workbook(exported, "export.xlsx")
    assert sheet_cells(back) == file_cells()
    assert readings(back) == ["≤ 20 元/课时", "定性", "≥ 42 所", "≥ 35000 人", "＝ 95 %", "定性", "＝ 98 %", "定性", "≥ 90 %"]


@given(st.tuples(*(st.sampled_from(cells) for cells in (
    ("", "≥", "≤", "＝", "＞", "＜", ">=", "=", "定性", "大约"),
    ("", "95", "0", "3.5", "1,200", "９０", "95%", "30以内", "按时完成", "≥95"),
    ("", "%", "个", "万元", "元/课时", "万头（只）", "以上")))))
def test_any_three_cells_are_kept_exactly_and_read_as_from_parts(cells):
    value, given_cells = measures.from_cells(*cells)
    assert measures.cells(value, given_cells) == cells
    assert measures.same(measures.of(value, given_cells), measures.from_parts(*cells))


def test_a_hunan_value_on_a_101_form_is_split_into_its_columns():
    # A sheet copied into a year whose form is 101-style keeps its values: they print in three columns.
    rows = [Indicator(name=name, value=value, extra={}) for name, value in
            (("培训合格率", "≥95%"), ("会员增加", "7个"), ("工作计划", "2021年12月底完成"), ("成本", "不超过30万元"))]
    assert [tuple(row.cell(key, SICHUAN) for key in SPLIT) for row in rows] == [
        ("≥", "95", "%"), ("＝", "7", "个"), ("定性", "2021年12月底完成", ""), ("≤", "30", "万元")]


def test_a_row_stored_before_values_were_one_text_reads_as_it_did():
    # Its 指标值 alone in value, its 指标性质 and 度量单位 beside it.
    row = Indicator(name="覆盖人数", value="500", extra={"nature": "≥", "measure": "人", "weight": "10"})
    assert measures.tag(row.measure) == "≥ 500 人"
    assert tuple(row.cell(key, SICHUAN) for key in SPLIT) == ("≥", "500", "人")


# --- the editor -----------------------------------------------------------------------------------

SEED_ROW = {"level1": "效益指标", "level2": "社会公众或服务对象满意度指标", "name": "会员满意度达90%以上", "standard": "行业标准"}
SATISFACTION = 8  # the seed's first sheet's 满意度 row: "98%"


def row_html(client, indicator_id: int) -> str:
    return client.get(f"/indicators/{indicator_id}").get_data(as_text=True)


def understood_tag(fragment: str) -> str:
    """The muted line under a row's value (CSS shows its data-understood)."""
    found = re.search(r'<td class="understood" data-understood="([^"]*)"', fragment)
    return unescape(found.group(1)) if found else ""


def test_each_row_shows_how_its_value_is_understood(seeded, client):
    assert row_html(client, 1).startswith('<tr class="indicator"')  # a fragment htmx swaps in whole
    assert understood_tag(row_html(client, 1)) == "＝ 7 个"
    client.put("/indicators/3", data={"level1": "产出指标", "level2": "时效指标", "name": "全年工作计划", "value": "12月底前完成",
                                      "standard": "计划标准"})
    assert understood_tag(row_html(client, 3)) == "定性"
    editor = client.get("/sheets/1").get_data(as_text=True)
    assert 'data-understood="＝ 98 %"' in editor  # the seed writes "98%": a bare number is ＝


def test_the_row_form_offers_the_parts_filled_from_the_value_out_of_the_tab_order(seeded, client):
    form_row = client.get(f"/indicators/{SATISFACTION}/edit").get_data(as_text=True)
    assert re.search(r'<select[^>]*aria-label="指标性质"[^>]*tabindex="-1"|<select[^>]*tabindex="-1"[^>]*aria-label="指标性质"', form_row)
    assert re.search(r'<option selected value="＝">|<option value="＝" selected>', form_row)
    assert re.search(r'aria-label="数值"[^>]*value="98"|value="98"[^>]*aria-label="数值"', form_row)
    assert re.search(r'aria-label="度量单位"[^>]*value="%"|value="%"[^>]*aria-label="度量单位"', form_row)
    assert re.search(r'name="read_from"[^>]*value="98%"|value="98%"[^>]*name="read_from"', form_row)
    tab_stops = re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")(?![^>]*tabindex="-1")[^>]*aria-label="([^"]+)"', form_row)
    assert tab_stops == ["三级指标", "指标值及单位", "绩效标准"]


def save_row(client, indicator_id: int, **fields):
    return client.put(f"/indicators/{indicator_id}", data={**SEED_ROW, **fields})


def test_changing_the_parts_rewrites_a_value_that_reads(seeded, app, client):
    saved = save_row(client, SATISFACTION, value="98%", read_from="98%", nature="≥", number="95", measure="%")
    assert understood_tag(saved.get_data(as_text=True)) == "≥ 95 %"
    with app.app_context():
        row = db.session.get(Indicator, SATISFACTION)
        assert (row.value, row.given) == ("≥95%", {})  # the text says it all: nothing kept beside it


def test_a_value_typed_since_the_parts_were_read_is_read_afresh(seeded, app, client):
    save_row(client, SATISFACTION, value="不低于96%", read_from="98%", nature="＝", number="98", measure="%")
    with app.app_context():
        row = db.session.get(Indicator, SATISFACTION)
        assert (row.value, measures.tag(row.measure), row.given) == ("不低于96%", "≥ 96 %", {})


def test_the_clerks_reading_is_kept_beside_the_value_and_used(seeded, app, client):
    with app.app_context():
        before = [(finding.rule, finding.message) for finding in review(db.session.get(GoalSheet, 1)).findings
                  if finding.indicator is not None and finding.indicator.id == SATISFACTION]
    assert before == [("satisfaction_is_credible", "指标写“90%”，指标值却是“98%”，请统一")]

    # "98%" meant as a description, not a number to score against: the clerk marks it 定性.
    saved = save_row(client, SATISFACTION, value="98%", read_from="98%", nature="定性", number="98", measure="%")
    assert understood_tag(saved.get_data(as_text=True)) == "定性（认定）"
    with app.app_context():
        row = db.session.get(Indicator, SATISFACTION)
        assert (row.value, row.given) == ("98%", {"nature": "定性"})
        assert not row.measure.quantitative
        # review reads the clerk's reading: no number, so nothing to compare with the name's 90%
        assert [f for f in review(row.sheet).findings if f.indicator is row and f.rule == "satisfaction_is_credible"] == []
        # and so does scoring: a 定性 row is scored by band, not by its number
        actual = measures.parse("96%")
        assert scoring.row_score(scoring.Row(row.measure, actual, Decimal(10))) is None
        assert scoring.row_score(scoring.Row(measures.parse(row.value), actual, Decimal(10))) is not None
        history = db.session.get(GoalSheet, 1).events[0].changes
        assert ["指标值理解为", "", "定性"] in history

    # Saved again untouched (another column changed), the reading stays.
    save_row(client, SATISFACTION, name="会员满意度", value="98%", read_from="98%", nature="定性", number="", measure="")
    with app.app_context():
        assert db.session.get(Indicator, SATISFACTION).given == {"nature": "定性"}


def test_a_sentence_the_parser_cannot_read_keeps_its_words_and_the_clerks_reading(seeded, app, client):
    text = "全年举办培训12期以上（含线上）"
    save_row(client, SATISFACTION, value=text, read_from=text, nature="≥", number="12", measure="期")
    with app.app_context():
        row = db.session.get(Indicator, SATISFACTION)
        assert row.value == text and measures.tag(row.measure) == "≥ 12 期"
    assert understood_tag(row_html(client, SATISFACTION)) == "≥ 12 期（认定）"


@pytest.mark.parametrize(("fields", "message"), [
    ({"value": "按时完成", "read_from": "按时完成", "nature": "≥", "number": "", "measure": ""}, "指标性质为“≥”，请填写数值"),
    ({"value": "按时完成", "read_from": "按时完成", "nature": "≤", "number": "三十", "measure": "天"}, "指标性质为“≤”，数值应为数字（现为“三十”）"),
])
def test_a_nature_without_a_number_is_refused_with_the_typing_kept(seeded, app, client, fields, message):
    with app.app_context():
        before = (db.session.get(Indicator, SATISFACTION).value, db.session.get(Indicator, SATISFACTION).version)
    fragment = save_row(client, SATISFACTION, **fields).get_data(as_text=True)
    assert fragment.lstrip().startswith("<tr") and 'class="indicator editing"' in fragment
    assert message in unescape(fragment)
    nature = fields["nature"]
    assert 'value="按时完成"' in fragment and re.search(f'<option selected value="{nature}">|<option value="{nature}" selected>', fragment)
    with app.app_context():
        row = db.session.get(Indicator, SATISFACTION)
        assert (row.value, row.version) == before


def test_a_101_row_is_edited_in_its_own_columns_and_refused_without_a_number(app, client):
    with app.app_context():
        (sheet,) = read_bytes(to_docx(SICHUAN_2023), "四川.docx")
        store([sheet], ["keep"])
        row = sheet.indicators[3]  # 开展课后服务学校数: ≥ 42 所
        row_id, fields = row.id, {"level1": row.level1, "level2": row.level2, "name": row.name, "weight": "10", "direction": "正向"}
    form_row = client.get(f"/indicators/{row_id}/edit").get_data(as_text=True)
    assert 'name="read_from"' not in form_row and 'aria-label="数值"' not in form_row  # its own columns are the parts
    assert re.search(r'<select[^>]*aria-label="指标性质"', form_row) and "≥ 42 所" in form_row
    refused = client.put(f"/indicators/{row_id}", data={**fields, "nature": "≥", "value": "", "measure": "所"}).get_data(as_text=True)
    assert "指标性质为“≥”，请填写指标值" in refused
    client.put(f"/indicators/{row_id}", data={**fields, "nature": "＞", "value": "40", "measure": "所"})
    with app.app_context():
        row = db.session.get(Indicator, row_id)
        assert (row.value, tuple(row.cell(key) for key in SPLIT)) == ("＞40所", ("＞", "40", "所"))


# --- the reading, asked while typing (app.js) ------------------------------------------------------


def test_typing_a_value_is_answered_with_its_parts_and_changing_a_part_with_the_value(seeded, client):
    url = "/sheets/1/indicators/reading"
    typed = client.get(url, query_string={"value": "不超过30万元", "read_from": "7个", "nature": "＝", "number": "7", "measure": "个"})
    assert typed.json == {"value": "不超过30万元", "nature": "≤", "number": "30", "measure": "万元", "tag": "≤ 30 万元"}
    marked = client.get(url, query_string={"value": "≥95%", "read_from": "≥95%", "nature": "≤", "number": "95", "measure": "%"})
    assert marked.json["value"] == "≤95%"
    refused = client.get(url, query_string={"value": "≥95%", "read_from": "≥95%", "nature": "≥", "number": "", "measure": "%"})
    assert refused.json == {"error": "指标性质为“≥”，请填写数值"}


def test_the_reading_is_only_for_those_who_may_edit_the_sheet(seeded, filler, other_filler):
    question = {"value": "95%以上"}
    assert filler.get("/sheets/1/indicators/reading", query_string=question).json["tag"] == "≥ 95 %"
    assert other_filler.get("/sheets/1/indicators/reading", query_string=question).status_code == 404


# --- history ---------------------------------------------------------------------------------------


def test_a_deleted_row_comes_back_with_the_clerks_reading(seeded, app, client):
    save_row(client, SATISFACTION, value="98%", read_from="98%", nature="定性")
    client.delete(f"/indicators/{SATISFACTION}")
    with app.app_context():
        event = db.session.scalars(db.select(SheetEvent).where(SheetEvent.action == "delete_indicator")).one()
        event_id = event.id
    client.post(f"/sheets/1/deleted/{event_id}/restore")
    with app.app_context():
        back = db.session.scalars(db.select(Indicator).where(Indicator.sheet_id == 1, Indicator.name == SEED_ROW["name"])).one()
        assert (back.value, back.given) == ("98%", {"nature": "定性"})


def test_an_export_of_a_101_sheet_writes_the_three_cells_from_the_value(app):
    # A Hunan row in a 101-style workbook: its one value in three cells.
    sheet = GoalSheet(unit="某单位", year=2023, template=SICHUAN.code, project_name="某项目", local_budget=Decimal(1))
    sheet.indicators = [Indicator(position=1, level1="产出指标", level2="数量指标", name="培训人次", value="不少于2000人次", extra={})]
    book = load_workbook(BytesIO(write_workbook([sheet])))
    cells = [str(cell.value) for row in book.worksheets[0].iter_rows() for cell in row if cell.value is not None]
    at = cells.index("培训人次")
    assert cells[at + 1:at + 4] == ["≥", "2000", "人次"]
    assert label_key("指标\n性质") in {label_key(text) for text in cells}


def test_a_copy_moves_the_years_of_a_value_and_of_its_cells_as_one(app):
    value, given = measures.from_cells("", "2023年12月底前完成", "")  # a blank 指标性质, as the file had it
    row = Indicator(position=1, level1="产出指标", level2="时效指标", name="完成时限", value=value, extra={**given, "weight": "10"})
    sheet = GoalSheet(unit="某单位", year=2023, template=SICHUAN.code, project_name="某项目", local_budget=Decimal(1), indicators=[row])
    with app.app_context():
        copy = copy_to_year(sheet, 2024)
        (moved,) = copy.sheet.indicators
        assert tuple(moved.cell(key) for key in SPLIT) == ("", "2024年12月底前完成", "")
        assert [what for what, *_ in copy.moved] == ["时效指标第1行指标值"]


@pytest.mark.parametrize(("cells", "message"), [
    (("≥", "*", "所"), "指标值“*”是占位符，请填写实际目标值"),
    (("定性", "", ""), "请填写指标值"),
])
def test_review_reads_a_101_rows_value_in_its_own_column(cells, message):
    (sheet,) = read_bytes(to_docx(SICHUAN_2023), "四川.docx")
    row = sheet.indicators[3]
    row.value, given = measures.from_cells(*cells)
    row.extra = {**row.extra, **given}
    assert message in [finding.message for finding in review(sheet).findings if finding.indicator is row]


def test_a_101_row_that_does_not_apply_under_a_sign_asks_for_nothing_more():
    (sheet,) = read_bytes(to_docx(SICHUAN_2023), "四川.docx")
    row = sheet.indicators[3]
    row.value, given = measures.from_cells("≥", "不适用", "")
    row.extra = {**row.extra, **given}
    assert [finding.message for finding in review(sheet).findings if finding.indicator is row] == []
