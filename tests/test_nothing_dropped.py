"""A file is read whole or refused: text Word keeps in tracked changes, content controls and
tables inside cells is read, held to the same limits. Nothing is dropped in silence."""
import re
from io import BytesIO

import pytest
from docx import Document
from docx.oxml import parse_xml

from goalsapp.domain.errors import ReadError
from goalsapp.domain.importing import read_bytes

from .paperforms import as_tuple
from .test_hostile_files import DOCUMENT_PART, part, repacked
from .variants.catalog import BY_CODE
from .variants.writers import to_docx

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
