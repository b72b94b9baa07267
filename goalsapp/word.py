"""Reader for Word (.docx) files holding paper-form tables, with python-docx.

Units keep these tables in Word: a title paragraph, a "填报单位：…" paragraph, then
the table; several sheets may follow each other in one document.
"""
from io import BytesIO
from zipfile import BadZipFile

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from .errors import ReadError
from .formreader import TITLE, Cell, FormTable, clean, read_form
from .models import GoalSheet


def read_document(data: bytes, source: str) -> list[GoalSheet]:
    """Every paper-form table in the document, in order."""
    try:
        document = Document(BytesIO(data))
    except (BadZipFile, KeyError, ValueError) as error:
        raise ReadError(source, None, f"不是有效的Word文件，可能已损坏（{type(error).__name__}）") from None
    tables = list(_form_tables(document))
    if not tables:
        raise ReadError(source, None, "文档里没有找到“XXXX年项目支出绩效目标表”表格")
    return [read_form(table, source) for table in tables]


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
    """The table's rows; a cell merged across columns counts once (python-docx repeats it)."""
    rows = []
    for row_number, row in enumerate(table.rows, start=1):
        cells, previous = [], None
        for column, cell in enumerate(row.cells, start=1):
            if cell._tc is not previous:
                cells.append(Cell(clean(cell.text), f"第{number}个表格第{row_number}行第{column}列"))
            previous = cell._tc
        rows.append(cells)
    return rows
