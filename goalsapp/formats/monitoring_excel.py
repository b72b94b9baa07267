"""A monitoring as an .xlsx worksheet, laid out as it prints (monitoring_paper), and read back.

Out: the paper's grid cell for cell, amounts and 执行率 as numbers (a rate formatted as a
percentage), A4 with the column heads repeating. In: a clerk fills the workbook offline and
brings it back; it is read as any monitoring file is (documents.py), and monitoring.from_file
takes what the clerk fills in (the money, and each row's 执行情况 to 备注): 年度指标值 stays the
approved target's. One cell that cannot be read and nothing is taken, the cell named.
"""
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..domain import monitoring
from ..domain.errors import ReadError
from ..domain.models import Monitoring
from ..domain.monitoring_paper import Cell, Paper, paper
from . import ooxml
from .documents import MONITORING, of_project, worksheet_documents
from .excel import CENTER, FONT, LEFT, WIDTH_PER_PERCENT, _a4, _put, _set_value, _worksheet_title, area, placed, worksheet_rows

# excel.py's cell writing above (its helpers, shared within formats/), so both workbooks look alike.
RATE_FORMAT = "0.00%"
AMOUNT_FORMAT = "0.####"  # 万元 as written: 14, 2.4, 0.0001


def write_monitorings(found: list[Monitoring], layout: str = "mof-2019") -> bytes:
    """The monitorings as one .xlsx, a worksheet each, named by project."""
    book = Workbook()
    book.remove(book.active)
    titles: set[str] = set()
    for one in found:
        _write(book.create_sheet(_worksheet_title(one.sheet.project_name, titles)), paper(one, layout))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write(ws, sheet: Paper) -> None:
    for index, percent in enumerate(sheet.layout.widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = percent * WIDTH_PER_PERCENT * (1.4 if sheet.layout.landscape else 1)
    last = get_column_letter(sheet.width)
    ws.merge_cells(f"A1:{last}1")
    _set_value(ws["A1"], f"{sheet.title}\n{sheet.subtitle}")
    ws["A1"].font, ws["A1"].alignment = Font(name=FONT, size=16, bold=True), CENTER
    ws.row_dimensions[1].height = 44
    split = get_column_letter(sheet.width - 2)
    ws.merge_cells(f"A2:{split}2")
    ws.merge_cells(f"{get_column_letter(sheet.width - 1)}2:{last}2")
    _set_value(ws["A2"], sheet.unit_line)
    note = ws[f"{get_column_letter(sheet.width - 1)}2"]
    _set_value(note, sheet.money_note)
    ws["A2"].font = note.font = Font(name=FONT, size=10.5)
    number = 3
    taken: set[tuple[int, int]] = set()
    for row in sheet.header:
        _put_cells(ws, number, row, taken)
        number += 1
    heads_start = number
    block_rows = len(sheet.heads) + len(sheet.body)
    has_block = any(cell.block for cell in sheet.heads[0])
    if has_block:  # 绩效指标, one cell down the whole indicator block
        _put_cells(ws, number, [Cell(sheet.heads[0][0].text, rows=block_rows, label=True)], taken)
    for row in [*sheet.heads, *sheet.body]:
        _put_cells(ws, number, [cell for cell in row if not cell.block], taken)
        number += 1
    for row in sheet.after:
        _put_cells(ws, number, row, taken)
        ws.row_dimensions[number].height = max(ws.row_dimensions[number].height or 0, 40)
        number += 1
    ws.print_title_rows = f"{heads_start}:{heads_start + len(sheet.heads) - 1}"
    _a4(ws, "landscape" if sheet.layout.landscape else "portrait")


def _put_cells(ws, number: int, cells: list[Cell], taken: set[tuple[int, int]]) -> None:
    """A row of the paper's cells left to right (excel.placed), numbers as numbers: amounts as
    written, the rate formatted as a percentage."""
    for cell, (column, bottom, end) in zip(cells, placed(number, 1, [(cell.span, cell.rows) for cell in cells], taken)):
        _put(ws, area(number, column, bottom, end), _value(cell), LEFT if cell.long else CENTER)
        if cell.number is not None:
            ws.cell(number, column).number_format = RATE_FORMAT if cell.rate else AMOUNT_FORMAT


def _value(cell: Cell):
    if cell.number is not None:
        return cell.number
    return cell.text or None


# --- reading back ------------------------------------------------------------------------------


def read_monitoring(data: bytes, source: str, found: Monitoring) -> monitoring.Filled:
    """The values a workbook gives this monitoring, read as any file's are (formats.documents);
    ReadError (with the cell) for anything that cannot be taken as it is: all or nothing."""
    from ..domain.importing import MAX_FILE_BYTES, MAX_FILE_MB, ZIP_MAGIC

    if len(data) > MAX_FILE_BYTES:
        raise ReadError(source, None, f"文件超过{MAX_FILE_MB} MB，不像是运行监控表")
    if not data.startswith(ZIP_MAGIC) or "xl/workbook.xml" not in ooxml.check(data, source):
        raise ReadError(source, None, "不是Excel（.xlsx）文件：请上传导出的运行监控表")
    read = [one for one in worksheet_documents(worksheet_rows(data, source), source) if one.kind == MONITORING]
    if not read:
        raise ReadError(source, None, "找不到运行监控表：没有标题为“项目支出绩效目标执行监控表”或“项目支出绩效运行监控表”的工作表")
    return monitoring.from_file(found, read[0] if len(read) == 1 else of_project(read, found.sheet.project_name, source), source)
