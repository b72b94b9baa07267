"""A self-evaluation (项目支出绩效自评表) as an .xlsx, and such a workbook read back.

Out: a worksheet per self-evaluation laid out as its paper form, on the grid print uses
(evaluation_layout), amounts, 分值 and 得分 as numbers and 执行率 as a percentage, A4 portrait
one page wide. In: each worksheet that is such a form, read by its labels and headings (never
by position), cell by cell with where each came from, by the reader every format shares (documents.py);
evaluation.from_file decides what the cells mean. The package is checked (ooxml.check) before openpyxl opens it, as every import is.
"""
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..domain.errors import ReadError
from ..domain.evaluation_layout import Cell, Paper
from ..domain.importing import MAX_FILE_BYTES, MAX_FILE_MB, ZIP_MAGIC
from . import excel, ooxml
from .documents import EVALUATION, FileDocument, worksheet_documents

PERCENT = "0.00%"

# --- writing -------------------------------------------------------------------------------


def write_evaluations(pages: list[tuple[str, Paper]]) -> bytes:
    """(project name, paper) of each self-evaluation, a worksheet each."""
    book = Workbook()
    book.remove(book.active)
    taken = set(excel.SHEET_NAMES_TAKEN)
    for name, page in pages:
        _write(book.create_sheet(excel._worksheet_title(name, taken)), page)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write(ws: Worksheet, page: Paper) -> None:
    width = page.width
    for index, percent in enumerate(page.widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = percent * excel.WIDTH_PER_PERCENT
    last = get_column_letter(width)
    ws.merge_cells(f"A1:{last}1")
    excel._set_value(ws["A1"], page.title)
    ws["A1"].font, ws["A1"].alignment = Font(name=excel.FONT, size=18, bold=True), excel.CENTER
    ws.row_dimensions[1].height = 32 * len(page.title.split("\n"))
    ws.merge_cells(f"A2:{get_column_letter(width - 2)}2")
    excel._set_value(ws["A2"], page.unit_line)
    note = ws[f"{get_column_letter(width - 1)}2"]
    ws.merge_cells(f"{note.coordinate}:{last}2")
    excel._set_value(note, page.money_note)
    ws["A2"].font = note.font = Font(name=excel.FONT, size=10.5)
    note.alignment = Alignment(horizontal="right")

    taken: set[tuple[int, int]] = set()
    number = 3
    for cells in page.head:
        _place(ws, number, 1, cells, taken)
        number += 1
    heading, last_body = number, number + len(page.body)
    excel._put(ws, f"A{heading}:A{last_body}", page.block_label)  # one cell over the heads and the rows
    taken.update((row, 1) for row in range(heading, last_body + 1))
    for offset, cells in enumerate([page.heading, *page.body]):
        _place(ws, heading + offset, 2, cells, taken)
    for number, cells in enumerate(page.tail, start=last_body + 1):
        _place(ws, number, 1, cells, taken)
    if page.footers:
        below = last_body + len(page.tail) + 1
        ws.merge_cells(f"A{below}:{last}{below}")
        excel._set_value(ws[f"A{below}"], "    ".join(f"{label}：{value}" for label, value in page.footers))
    ws.print_title_rows = f"{heading}:{heading}"  # the indicator heads repeat on every printed page
    excel._a4(ws, "portrait")


def _place(ws: Worksheet, number: int, first: int, cells: list[Cell], taken: set[tuple[int, int]]) -> None:
    """A row's cells left to right from column first (excel.placed); numbers as numbers, a rate
    formatted as a percentage."""
    for cell, (column, bottom, end) in zip(cells, excel.placed(number, first, [(cell.span, cell.rows) for cell in cells], taken)):
        excel._put(ws, excel.area(number, column, bottom, end), cell.number if cell.number is not None else cell.text or None,
                   excel.LEFT if cell.long else excel.CENTER)
        if cell.percent and cell.number is not None:
            ws.cell(number, column).number_format = PERCENT


# --- reading -------------------------------------------------------------------------------


def read_evaluations(data: bytes, source: str) -> list[FileDocument]:
    """Every self-evaluation in a workbook, read as any file's are (formats.documents); ReadError
    when there is none or the file is not a sound .xlsx."""
    if len(data) > MAX_FILE_BYTES:
        raise ReadError(source, None, f"文件超过{MAX_FILE_MB} MB，不像是绩效自评表")
    if not data.startswith(ZIP_MAGIC):
        raise ReadError(source, None, "不是Excel（.xlsx）文件：请用本系统导出的自评表填写后导入")
    if "xl/workbook.xml" not in ooxml.check(data, source):
        raise ReadError(source, None, "不是Excel工作簿")
    found = [one for one in worksheet_documents(excel.worksheet_rows(data, source), source) if one.kind == EVALUATION]
    if not found:
        raise ReadError(source, None, "文件里没有项目支出绩效自评表：找不到标题“项目支出绩效自评表”")
    return found
