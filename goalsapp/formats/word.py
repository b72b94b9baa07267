"""Word (.docx), with python-docx: paragraphs and tables, in the order the body has them.

A paragraph is a row of one cell; a table row's cells stand at their grid columns (a cell
merged across columns is one cell, at its first column; a cell continuing a merge from
the row above is empty, its text being in the merge's first row).
"""
from io import BytesIO

from docx import Document
from docx.exceptions import PythonDocxError
from docx.opc.exceptions import OpcError
from docx.oxml.exceptions import XmlchemyError
from docx.oxml.ns import qn

from ..domain.errors import ReadError
from ..domain.models import GoalSheet
from .reader import Cell, Row, clean, read_rows

# What python-docx raises for a package that is sound XML (ooxml.check saw to that) but not
# a sound document: a part or attribute missing (opening it meets them as None), a number
# that is not one, XML that lxml finds stricter fault with than expat (a namespace that is
# no URI).
BROKEN_DOCUMENT = (PythonDocxError, XmlchemyError, OpcError, KeyError, ValueError)
BROKEN_PACKAGE = BROKEN_DOCUMENT + (AttributeError, TypeError, SyntaxError)
P, TBL, R, HYPERLINK = qn("w:p"), qn("w:tbl"), qn("w:r"), qn("w:hyperlink")
# What a run's text is made of; python-docx's elements give each one's text as str().
RUN_CONTENT = tuple(qn(f"w:{tag}") for tag in ("br", "cr", "noBreakHyphen", "ptab", "t", "tab"))


def read_document(data: bytes, source: str, template=None) -> list[GoalSheet]:
    """Every form in the document, in order."""
    document = _open(data, source)
    try:
        rows = list(rows_of(document))
    except BROKEN_DOCUMENT as error:
        raise _broken(source, error) from None
    return read_rows(rows, source, "文档", template)


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


def rows_of(document):
    """The body's paragraphs and table rows, in order.

    Walked over the body's children: python-docx's iter_inner_content asks lxml for
    "./w:p | ./w:tbl", and libxml2 merges the two node sets in the square of their sizes
    (50,000 empty paragraphs and as many empty tables took 8 s before the first was read).
    """
    paragraphs = tables = 0
    for block in document.element.body.iterchildren(P, TBL):
        if block.tag == P:
            paragraphs += 1
            yield Row([Cell(clean(_paragraph_text(block)), f"第{paragraphs}段")], paragraph=True)
        else:
            tables += 1
            yield from _table_rows(block, tables)


def _table_rows(tbl, number: int):
    """Walked over the XML's cells: python-docx's row.cells looks up the table for every
    vertically merged cell, so a 300-row table took seconds."""
    for row_number, tr in enumerate(tbl.tr_lst, start=1):
        cells, column = [], 0
        for tc in tr.tc_lst:
            covered = tc.vMerge == "continue"
            text = "" if covered else clean("\n".join(map(_paragraph_text, tc.iterchildren(P))))
            cells.append(Cell(text, f"第{number}个表格第{row_number}行第{column + 1}列", column, covered))
            column += tc.grid_span
        yield Row(cells)


def _paragraph_text(p) -> str:
    """The paragraph's text as python-docx's Paragraph.text gives it (a tab, a line break as
    "\\n"), walked over the children: python-docx compiles an XPath for every paragraph and
    run, 15 µs each, seconds over a file of empty paragraphs."""
    runs = (run for child in p.iterchildren(R, HYPERLINK) for run in (child.iterchildren(R) if child.tag == HYPERLINK else (child,)))
    return "".join(str(content) for run in runs for content in run.iterchildren(*RUN_CONTENT))
