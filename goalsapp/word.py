"""Reader for Word (.docx) files holding paper-form tables, with python-docx.

Units keep these tables in Word: a title paragraph, a "填报单位：…" paragraph, then
the table; several sheets may follow each other in one document.
"""
from io import BytesIO

from docx import Document
from docx.exceptions import PythonDocxError
from docx.opc.exceptions import OpcError
from docx.oxml.exceptions import XmlchemyError
from docx.oxml.ns import qn

from .errors import ReadError
from .formreader import TITLE, Cell, FormTable, clean, read_form
from .models import GoalSheet

# What python-docx raises for a package that is sound XML (ooxml.check saw to that) but not
# a sound document: a part or attribute missing (opening it meets them as None), a number
# that is not one, XML that lxml finds stricter fault with than expat (a namespace that is
# no URI).
BROKEN_DOCUMENT = (PythonDocxError, XmlchemyError, OpcError, KeyError, ValueError)
BROKEN_PACKAGE = BROKEN_DOCUMENT + (AttributeError, TypeError, SyntaxError)
P, TBL, R, HYPERLINK = qn("w:p"), qn("w:tbl"), qn("w:r"), qn("w:hyperlink")
# What a run's text is made of; python-docx's elements give each one's text as str().
RUN_CONTENT = tuple(qn(f"w:{tag}") for tag in ("br", "cr", "noBreakHyphen", "ptab", "t", "tab"))


def read_document(data: bytes, source: str) -> list[GoalSheet]:
    """Every paper-form table in the document, in order."""
    document = _open(data, source)
    try:
        tables = list(_form_tables(document))
    except BROKEN_DOCUMENT as error:
        raise _broken(source, error) from None
    if not tables:
        raise ReadError(source, None, "文档里没有找到“××××年项目支出绩效目标表”表格")
    return [read_form(table, source) for table in tables]


def _open(data: bytes, source: str):
    """The document, if python-docx can open it and it has a body to walk."""
    try:
        document = Document(BytesIO(data))
        body = document.element.body  # none when the root is not a w:document, or has no w:body
    except BROKEN_PACKAGE as error:
        raise _broken(source, error) from None
    if body is None:
        raise ReadError(source, None, "不是有效的Word文件，可能已损坏（没有正文）")
    return document


def _broken(source: str, error: Exception) -> ReadError:
    return ReadError(source, None, f"不是有效的Word文件，可能已损坏（{type(error).__name__}）")


def _form_tables(document):
    """A FormTable for each table that follows a title (in a paragraph or in its own first rows).

    Walked over the body's children: python-docx's iter_inner_content asks lxml for
    "./w:p | ./w:tbl", and libxml2 merges the two node sets in the square of their sizes
    (50,000 empty paragraphs and as many empty tables took 8 s before the first was read).
    """
    title = unit_line = None
    for number, block in enumerate(document.element.body.iterchildren(P, TBL), start=1):
        if block.tag == P:
            text = clean(_paragraph_text(block))
            if TITLE.search(text):
                title, unit_line = Cell(text, f"第{number}段"), None
            elif "填报单位" in text:
                unit_line = Cell(text, f"第{number}段")
        else:
            rows = _rows(block, number)
            title = title or next((c for row in rows[:2] for c in row if TITLE.search(c.text)), None)
            unit_line = unit_line or next((c for row in rows[:3] for c in row if "填报单位" in c.text), None)
            if title is not None:
                yield FormTable(title, unit_line, rows)
            title = unit_line = None


def _rows(tbl, number: int) -> list[list[Cell]]:
    """The table's rows: a cell merged across columns counts once, and a cell continuing a
    vertical merge is empty (the merge's text is in its first row).

    Walked over the XML's cells: python-docx's row.cells looks up the table for every
    vertically merged cell, so a 300-row table took seconds.
    """
    rows = []
    for row_number, tr in enumerate(tbl.tr_lst, start=1):
        cells, column = [], 1
        for tc in tr.tc_lst:
            text = "" if tc.vMerge == "continue" else clean("\n".join(map(_paragraph_text, tc.iterchildren(P))))
            cells.append(Cell(text, f"第{number}个表格第{row_number}行第{column}列"))
            column += tc.grid_span
        rows.append(cells)
    return rows


def _paragraph_text(p) -> str:
    """The paragraph's text as python-docx's Paragraph.text gives it (a tab, a line break as
    "\n"), walked over the children: python-docx compiles an XPath for every paragraph and
    run, 15 µs each, seconds over a file of empty paragraphs."""
    runs = (run for child in p.iterchildren(R, HYPERLINK) for run in (child.iterchildren(R) if child.tag == HYPERLINK else (child,)))
    return "".join(str(content) for run in runs for content in run.iterchildren(*RUN_CONTENT))
