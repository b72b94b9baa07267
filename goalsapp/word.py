"""Reader for Word (.docx) files holding paper-form tables, with python-docx.

Units keep these tables in Word: a title paragraph, a "填报单位：…" paragraph, then
the table; several sheets may follow each other in one document.
"""
from io import BytesIO

from docx import Document
from docx.exceptions import PythonDocxError
from docx.opc.exceptions import OpcError
from docx.oxml.exceptions import XmlchemyError
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from .errors import ReadError
from .formreader import TITLE, Cell, FormTable, clean, read_form
from .models import GoalSheet

# What python-docx raises for a package that is sound XML (ooxml.check saw to that) but not
# a sound document: a part or attribute missing (opening it meets them as None), a number
# that is not one, XML that lxml finds stricter fault with than expat (a namespace that is
# no URI).
BROKEN_DOCUMENT = (PythonDocxError, XmlchemyError, OpcError, KeyError, ValueError)
BROKEN_PACKAGE = BROKEN_DOCUMENT + (AttributeError, TypeError, SyntaxError)


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
    """A FormTable for each table that follows a title (in a paragraph or in its own first rows)."""
    title = unit_line = None
    for number, block in enumerate(document.iter_inner_content(), start=1):
        if isinstance(block, Paragraph):
            text = clean(block.text)
            if TITLE.search(text):
                title, unit_line = Cell(text, f"第{number}段"), None
            elif "填报单位" in text:
                unit_line = Cell(text, f"第{number}段")
        elif isinstance(block, Table):
            rows = _rows(block, number)
            title = title or next((c for row in rows[:2] for c in row if TITLE.search(c.text)), None)
            unit_line = unit_line or next((c for row in rows[:3] for c in row if "填报单位" in c.text), None)
            if title is not None:
                yield FormTable(title, unit_line, rows)
            title = unit_line = None


def _rows(table: Table, number: int) -> list[list[Cell]]:
    """The table's rows: a cell merged across columns counts once, and a cell continuing a
    vertical merge is empty (the merge's text is in its first row).

    Walked over the XML's cells: python-docx's row.cells looks up the table for every
    vertically merged cell, so a 300-row table took seconds.
    """
    rows = []
    for row_number, row in enumerate(table.rows, start=1):
        cells, column = [], 1
        for tc in row._tr.tc_lst:
            text = "" if tc.vMerge == "continue" else clean(_Cell(tc, table).text)
            cells.append(Cell(text, f"第{number}个表格第{row_number}行第{column}列"))
            column += tc.grid_span
        rows.append(cells)
    return rows
