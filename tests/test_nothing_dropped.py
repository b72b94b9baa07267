"""A file is read whole or refused: text Word keeps in tracked changes, content controls and
tables inside cells is read; a footer's value keeps its blanks; a line under the table, a row
under 财政部门审核意见, a field given twice and a cell Excel cannot give a value for are each
refused, naming the cell. Nothing is dropped or overwritten in silence."""
import re
from dataclasses import replace
from io import BytesIO

import pytest
from docx import Document
from docx.oxml import parse_xml
from openpyxl import Workbook, load_workbook

from goalsapp.domain.errors import ReadError
from goalsapp.domain.importing import read_bytes
from goalsapp.domain.layout import footer_key
from goalsapp.formats.excel import FLAT_HEADS

from .paperforms import as_tuple
from .test_hostile_files import DOCUMENT_PART, SHEET_PART, part, repacked
from .variants.catalog import BY_CODE, C
from .variants.writers import to_docx, to_text, to_txt_bytes, to_xlsx

HUNAN = BY_CODE["hunan_2021"]
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def refused(data: bytes, filename: str, *texts: str) -> ReadError:
    """The ReadError reading the file raises, its message holding every text."""
    with pytest.raises(ReadError) as caught:
        read_bytes(data, filename)
    for text in texts:
        assert text in str(caught.value)
    return caught.value


# --- Word: every w:t of a cell ---------------------------------------------------------------


def xml(text: str):
    """One WordprocessingML element (with its children) from its markup."""
    return parse_xml(re.sub(r"^<([\w:]+)", rf"<\1 {W}", text, count=1))


def edited_docx(edit, variant=HUNAN) -> bytes:
    """The variant's .docx with its table changed by edit(document, table)."""
    document = Document(BytesIO(to_docx(variant)))
    edit(document, document.tables[0])
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_tracked_insertion_is_read_and_a_tracked_deletion_left_out():
    def edit(document, table):
        name = table.cell(0, 1).paragraphs[0]._p
        name.append(xml('<w:del w:id="1" w:author="审核人"><w:r><w:delText>（一期）</w:delText><w:tab/></w:r></w:del>'))
        name.append(xml('<w:ins w:id="2" w:author="审核人"><w:r><w:t>（二期）</w:t></w:r></w:ins>'))
        table.cell(6, 4).paragraphs[0]._p.append(xml('<w:ins w:id="3" w:author="审核人"><w:r><w:t>以上</w:t></w:r></w:ins>'))

    (sheet,) = read_bytes(edited_docx(edit), "修订.docx")
    assert sheet.project_name == "农村人居环境整治专项经费（二期）"
    assert (sheet.indicators[0].name, sheet.indicators[0].value) == ("完成村庄清洁行动的行政村", "28个以上")


def test_a_value_in_a_content_control_is_read_and_its_prompt_is_not():
    def edit(document, table):
        for cell, content in ((table.cell(0, 5), '<w:sdt><w:sdtPr><w:alias w:val="预算部门"/></w:sdtPr><w:sdtContent>'
                                                 '<w:r><w:t>农业农村局</w:t></w:r></w:sdtContent></w:sdt>'),
                              (table.cell(1, 5), '<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>'
                                                 '<w:r><w:t>单击或点击此处输入文字。</w:t></w:r></w:sdtContent></w:sdt>')):
            paragraph = cell.paragraphs[0]._p
            for run in paragraph.r_lst:
                paragraph.remove(run)
            paragraph.append(xml(content))

    (sheet,) = read_bytes(edited_docx(edit), "控件.docx")
    assert sheet.budget_dept == "农业农村局"
    assert sheet.higher_funds is None  # the prompt Word shows in an empty control is no amount


def test_a_table_inside_a_cell_is_read_a_line_per_row():
    def edit(document, table):
        inner = table.cell(4, 1).add_table(2, 2)
        for row, texts in zip(inner.rows, (("目标1", "完成28个行政村村庄清洁行动"), ("目标2", "新建厕所1200户"))):
            for cell, text in zip(row.cells, texts):
                cell.text = text

    (sheet,) = read_bytes(edited_docx(edit), "套表.docx")
    assert sheet.annual_goal == ("2021年完成28个行政村村庄清洁行动，新建农村无害化卫生厕所1200户\n"
                                 "目标1 完成28个行政村村庄清洁行动\n目标2 新建厕所1200户")


def test_paragraphs_rows_and_cells_in_content_controls_are_read_where_they_stand():
    def edit(document, table):
        tbl = table._tbl
        row = tbl.tr_lst[7]
        for element, sdt in ((tbl, xml("<w:sdt><w:sdtPr/><w:sdtContent/></w:sdt>")),
                             (row, xml("<w:sdt><w:sdtPr/><w:sdtContent/></w:sdt>")),
                             (row.tc_lst[-1], xml("<w:customXml/>"))):
            element.addprevious(sdt)
            (sdt[1] if len(sdt) > 1 else sdt).append(element)

    plain = read_bytes(to_docx(HUNAN), "平常.docx")
    assert [as_tuple(sheet) for sheet in read_bytes(edited_docx(edit), "控件.docx")] == [as_tuple(sheet) for sheet in plain]


def test_a_text_read_through_its_runs_is_still_held_to_the_cell_limit():
    def edit(document, table):
        table.cell(0, 1).paragraphs[0]._p.append(xml(f'<w:ins w:id="1" w:author="a"><w:r><w:t>{"长" * 300}</w:t></w:r></w:ins>'))

    refused(edited_docx(edit), "长.docx", "第1个表格第1行第2列", "项目支出名称有")


@pytest.mark.parametrize("depth", [40, 400])
def test_tables_nested_deep_in_a_cell_are_read_or_refused_never_a_crash(depth):
    goal = "新建农村无害化卫生厕所1200户</w:t></w:r></w:p>".encode()
    nested = "<w:tbl><w:tr><w:tc><w:p/>" * depth + "<w:p><w:r><w:t>最里面</w:t></w:r></w:p>" + "</w:tc></w:tr></w:tbl><w:p/>" * depth
    data = to_docx(HUNAN)
    document = part(data, DOCUMENT_PART)
    assert document.count(goal) == 1
    data = repacked(data, {DOCUMENT_PART: document.replace(goal, goal + nested.encode())})
    try:
        (sheet,) = read_bytes(data, "深.docx")
    except ReadError as error:
        assert "不是有效的Word文件" in str(error)  # lxml stops at 256 levels of elements
    else:
        assert sheet.annual_goal.endswith("\n最里面")


# --- lines under the table -------------------------------------------------------------------

FORMATS = {"txt": to_txt_bytes, "docx": to_docx, "xlsx": to_xlsx}
SPACED = "填表人：向 红梅 联系电话：0745 3221568 填报日期：2021 年 1 月 12 日 单位负责人签字："


@pytest.mark.parametrize("extension", FORMATS)
def test_a_footer_value_runs_to_the_next_label_blanks_and_all(extension):
    (sheet,) = read_bytes(FORMATS[extension](replace(HUNAN, footer_lines=(SPACED,))), f"签字.{extension}")
    assert {label: sheet.written(footer_key(label)) for label in sheet.form.footers} == \
           {"填表人": "向 红梅", "联系电话": "0745 3221568", "填报日期": "2021 年 1 月 12 日", "单位负责人签字": ""}


@pytest.mark.parametrize("extension", FORMATS)
def test_a_footer_on_lines_of_its_own_with_spaced_labels_reads_too(extension):
    lines = ("填 表 人：向红梅", "联系电话: 0745-3221568")
    (sheet,) = read_bytes(FORMATS[extension](replace(HUNAN, footer_lines=lines)), f"签字.{extension}")
    assert (sheet.written(footer_key("填表人")), sheet.written(footer_key("联系电话"))) == ("向红梅", "0745-3221568")


@pytest.mark.parametrize("extension, where", [("txt", "第166行"), ("docx", "第4段"), ("xlsx", "工作表“绩效目标表”A30")])
def test_a_line_under_the_table_that_is_no_footer_is_refused_naming_it(extension, where):
    data = FORMATS[extension](replace(HUNAN, footer_lines=(SPACED, "本表一式三份")))
    refused(data, f"一式三份.{extension}", where, "“本表一式三份”无法读取")


@pytest.mark.parametrize("extension", FORMATS)
def test_a_footer_given_twice_differently_is_refused(extension):
    data = FORMATS[extension](replace(HUNAN, footer_lines=("填表人：向红梅", "填表人：李四")))
    refused(data, f"两个填表人.{extension}", "“填表人”填了两次", "向红梅", "李四")


def test_a_footer_value_is_held_to_what_a_field_may_hold():
    data = to_docx(replace(HUNAN, footer_lines=("填表人：" + "向" * 300,)))
    refused(data, "长签字.docx", "第3段", "填表人有300个字")

@pytest.mark.parametrize("extension", FORMATS)
def test_a_label_no_form_has_under_its_table_is_still_refused(extension):
    data = FORMATS[extension](replace(HUNAN, footer_lines=("填表人：向红梅 审核人：李四",)))
    refused(data, f"审核人.{extension}", "表下的“审核人”不是")


# --- a field given twice, a row under 财政部门审核意见 ---------------------------------------------


@pytest.mark.parametrize("extension", FORMATS)
def test_a_row_under_the_review_comment_is_refused_not_read_as_the_comment(extension):
    variant = replace(HUNAN, tail=(*HUNAN.tail, (C("备注"), C("请于3月前报送", 5))))
    refused(FORMATS[extension](variant), f"备注.{extension}", "无法识别的栏目“备注”")


@pytest.mark.parametrize("extension", FORMATS)
def test_a_field_labelled_twice_with_different_values_is_refused_naming_both(extension):
    name, *rest = HUNAN.head
    twice = replace(HUNAN, head=(name, (C("项目名称"), C("另一个项目", 5)), *rest))
    error = refused(FORMATS[extension](twice), f"两个名称.{extension}", "“项目支出名称”填了两次", "农村人居环境整治专项经费", "另一个项目")
    assert "和" in error.where  # both cells named
    same = replace(HUNAN, head=(name, (C("项目名称"), C("农村人居环境整治专项经费", 5)), *rest))
    (sheet,) = read_bytes(FORMATS[extension](same), f"同名.{extension}")
    assert sheet.project_name == "农村人居环境整治专项经费"


def test_two_heads_for_one_indicator_column_are_refused():
    text = to_text(HUNAN).replace("\t绩效标准\n", "\t指标值\n", 1)
    refused(text.encode(), "两个指标值.txt", "“指标值及单位”和“指标值”是同一指标列")


def test_two_unit_lines_naming_different_units_are_refused():
    variant = replace(HUNAN, unit_lines=("填报单位：溆浦县农业农村局（盖章）", "填报单位：溆浦县财政局（盖章）"))
    refused(to_docx(variant), "两个单位.docx", "“填报单位”填了两次", "溆浦县农业农村局", "溆浦县财政局")


def test_two_columns_of_a_list_for_one_field_are_refused():
    book = Workbook()
    book.active.append((*FLAT_HEADS, "项目名称"))
    book.active.append(("会同县工商联", 2021, "大项目", "产出指标", "数量指标", "指标", "1个", "计划标准", 1, "小项目"))
    buffer = BytesIO()
    book.save(buffer)
    refused(buffer.getvalue(), "清单.xlsx", "工作表“Sheet”C1和工作表“Sheet”J1", "是同一列")


# --- Excel: cells the reader cannot give a value for ------------------------------------------


def workbook_with(cells: dict[str, object], data: bytes | None = None, worksheet: str | None = None) -> bytes:
    book = load_workbook(BytesIO(data or to_xlsx(HUNAN)))
    ws = book.create_sheet(worksheet) if worksheet else book.worksheets[0]
    for ref, value in cells.items():
        ws[ref] = value
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_formula_saved_without_its_result_is_refused_naming_the_cell():
    data = workbook_with({"F4": "=10+10"})  # openpyxl, like tools that do not compute, saves no result
    refused(data, "公式.xlsx", "工作表“绩效目标表”F4", "公式没有计算结果")


def test_a_formula_saved_with_its_result_reads_its_result():
    data = workbook_with({"F4": "=10+10"})
    computed = part(data, SHEET_PART).replace(b"<f>10+10</f><v></v>", b"<f>10+10</f><v>20</v>")  # as Excel saves it
    (sheet,) = read_bytes(repacked(data, {SHEET_PART: computed}), "算过.xlsx")
    assert sheet.higher_funds == 20


def test_a_cell_right_of_the_columns_read_is_refused_naming_it():
    refused(workbook_with({"AH5": "漏掉的字"}), "右边.xlsx", "工作表“绩效目标表”AH5", "读不到它")
    (sheet,) = read_bytes(workbook_with({"AH5": "  "}), "空白.xlsx")  # a blank there holds nothing to lose
    assert sheet.project_name == "农村人居环境整治专项经费"


def test_a_worksheet_the_sheets_are_not_read_from_may_hold_what_the_reader_cannot_read():
    (sheet,) = read_bytes(workbook_with({"A1": "=1+1", "AH1": "说明"}, worksheet="计算"), "另有计算表.xlsx")
    assert sheet.project_name == "农村人居环境整治专项经费"


def test_a_workbook_of_two_lists_is_refused_not_read_as_its_first():
    book = Workbook()
    for ws, project in ((book.active, "大项目"), (book.create_sheet("第二个清单"), "小项目")):
        ws.append(FLAT_HEADS)
        ws.append(("会同县工商联", 2021, project, "产出指标", "数量指标", "指标", "1个", "计划标准", 1))
    buffer = BytesIO()
    book.save(buffer)
    refused(buffer.getvalue(), "两个清单.xlsx", "工作表“第二个清单”", "2个指标清单")
