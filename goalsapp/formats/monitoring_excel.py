"""A monitoring as an .xlsx worksheet, laid out as it prints (monitoring_paper), and read back.

Out: the paper's grid cell for cell, amounts and 执行率 as numbers (a rate formatted as a
percentage), A4 with the column heads repeating. In: a clerk fills the workbook offline and
brings it back; the columns are found by their headings and the rows matched to the monitoring's
own, in order and by 三级指标. Only what the clerk fills in is read (the money, and each row's
执行情况 to 备注): 年度指标值 stays the approved target's. One cell that cannot be read and
nothing is taken, the cell named.
"""
import re
from dataclasses import dataclass
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..domain import monitoring
from ..domain.errors import ReadError
from ..domain.models import Monitoring
from ..domain.monitoring_paper import Cell, Paper, paper
from ..domain.values import TooLarge, TooPrecise, parse_money
from . import ooxml
from .excel import CENTER, FONT, LEFT, WIDTH_PER_PERCENT, _a4, _put, _set_value, _worksheet_title, worksheet_rows
from .reader import Row

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
    """A row of the paper's cells left to right, passing over the places a cell spanning down
    from an earlier row takes (as excel._put_row), numbers as numbers: amounts as written, the
    rate formatted as a percentage."""
    column = 1
    for cell in cells:
        while (number, column) in taken:
            column += 1
        end, bottom = column + cell.span - 1, number + cell.rows - 1
        taken.update((r, c) for r in range(number, bottom + 1) for c in range(column, end + 1))
        ref = f"{get_column_letter(column)}{number}"
        if end > column or bottom > number:
            ref += f":{get_column_letter(end)}{bottom}"
        _put(ws, ref, _value(cell), LEFT if cell.long else CENTER)
        if cell.number is not None:
            ws.cell(number, column).number_format = RATE_FORMAT if cell.rate else AMOUNT_FORMAT
        column = end + 1


def _value(cell: Cell):
    if cell.number is not None:
        return cell.number
    return cell.text or None


# --- reading back ------------------------------------------------------------------------------

ROW_HEADINGS = {  # a row field → how its column is headed (any monitoring export, any month)
    "name": re.compile(r"^三级指标$"),
    "current": re.compile(r"^(?:1(?:-\d{1,2})?月)?执行情况$"),
    "expected": re.compile(r"^全年预计完成情况$"),
    "possibility": re.compile(r"^完成目标可能性$"),
    "cause": re.compile(r"^偏差原因$"),
    "remedy": re.compile(r"^整改措施$"),
    "note": re.compile(r"^备注$"),
}
MONEY_HEADINGS = {
    "initial_budget": re.compile(r"^年初预算数$"),
    "annual_budget": re.compile(r"^全年预算数$"),
    "spent": re.compile(r"^(?:1(?:-\d{1,2})?月)?执行数$"),
    "expected_spending": re.compile(r"^全年预计执行数$"),
}
COMMENT_LABEL = "财政部门审核意见"


@dataclass(frozen=True)
class Filled:
    """What a file fills a monitoring in with: the money, and each row's fields by the row's id."""

    money: monitoring.MoneyBlock
    rows: dict[int, dict[str, str]]


def read_monitoring(data: bytes, source: str, found: Monitoring) -> Filled:
    """The values a workbook gives this monitoring; ReadError (with the cell) for anything that
    cannot be taken as it is: all or nothing."""
    from ..domain.importing import MAX_FILE_BYTES, MAX_FILE_MB, ZIP_MAGIC

    if len(data) > MAX_FILE_BYTES:
        raise ReadError(source, None, f"文件超过{MAX_FILE_MB} MB，不像是运行监控表")
    if not data.startswith(ZIP_MAGIC) or "xl/workbook.xml" not in ooxml.check(data, source):
        raise ReadError(source, None, "不是Excel（.xlsx）文件：请上传导出的运行监控表")
    rows = _worksheet_of(worksheet_rows(data, source), source, found)
    return Filled(_money(rows, source), _rows(rows, source, found))


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _worksheet_of(worksheets: dict[str, list[Row]], source: str, found: Monitoring) -> list[Row]:
    """The worksheet of this monitoring: one with the indicator heads, of its project when there are several."""
    candidates = {title: rows for title, rows in worksheets.items() if _heading_row(rows, ROW_HEADINGS) is not None}
    if not candidates:
        raise ReadError(source, None, "找不到运行监控表：没有“三级指标”“全年预计完成情况”等栏目的工作表")
    named = {title: rows for title, rows in candidates.items() if _project(rows) == found.sheet.project_name}
    if len(candidates) > 1 and len(named) != 1:
        raise ReadError(source, None, f"工作簿里有{len(candidates)}张运行监控表，其中项目名称为“{found.sheet.project_name}”的不是正好一张")
    return next(iter((named or candidates).values()))


def _project(rows: list[Row]) -> str:
    for row in rows:
        filled = row.filled
        for index, cell in enumerate(filled[:-1]):
            if _plain(cell.text) == "项目名称":
                return filled[index + 1].text
    return ""


def _heading_row(rows: list[Row], headings: dict[str, re.Pattern]) -> int | None:
    """The index of the row holding every one of the headings."""
    for index, row in enumerate(rows):
        texts = [_plain(cell.text) for cell in row.filled]
        if all(any(pattern.match(text) for text in texts) for pattern in headings.values()):
            return index
    return None


def _columns(row: Row, headings: dict[str, re.Pattern]) -> dict[str, int]:
    return {field: next(cell.column for cell in row.filled if pattern.match(_plain(cell.text)))
            for field, pattern in headings.items()}


def _at(row: Row, column: int):
    return next((cell for cell in row.cells if cell.column == column), None)


def _money(rows: list[Row], source: str) -> monitoring.MoneyBlock:
    index = _heading_row(rows, MONEY_HEADINGS)
    if index is None or index + 1 >= len(rows):
        raise ReadError(source, None, "找不到项目资金：没有“年初预算数”“全年预算数”“执行数”“全年预计执行数”一行")
    columns = _columns(rows[index], MONEY_HEADINGS)
    amounts = {}
    for field, column in columns.items():
        cell = _at(rows[index + 1], column)
        try:
            amount = parse_money(cell.text if cell else "")
        except (TooLarge, TooPrecise) as error:
            raise ReadError(source, cell.where, str(error)) from None
        except ValueError:
            raise ReadError(source, cell.where, f"“{cell.text}”不是金额（单位：万元）") from None
        if amount is not None and amount < 0:
            raise ReadError(source, cell.where, "金额不能为负数")
        amounts[field] = amount
    return monitoring.MoneyBlock(**amounts)


def _rows(rows: list[Row], source: str, found: Monitoring) -> dict[int, dict[str, str]]:
    index = _heading_row(rows, ROW_HEADINGS)
    columns = _columns(rows[index], ROW_HEADINGS)
    body = []
    for row in rows[index + 1:]:
        if row.filled and _plain(row.filled[0].text) == COMMENT_LABEL:
            break
        if row.filled:
            body.append(row)
    if len(body) != len(found.rows):
        raise ReadError(source, None, f"文件里有{len(body)}行指标，这张运行监控表有{len(found.rows)}行：请用本表导出的文件填写，不要增删行")
    filled = {}
    for row, stored in zip(body, found.rows):
        name = _at(row, columns["name"])
        if name is None or _plain(name.text) != _plain(stored.indicator.name):
            where = name.where if name else row.filled[0].where
            raise ReadError(source, where, f"三级指标应为“{stored.indicator.name}”：请用本表导出的文件填写，不要改动指标或调换行")
        values = {field: (_at(row, column).text if _at(row, column) else "") for field, column in columns.items() if field != "name"}
        cause_cell = _at(row, columns["cause"])
        values["cause"], values["cause_note"] = _cause(values.pop("cause"), source, cause_cell.where if cause_cell else name.where)
        for field, message in monitoring.row_problems(values).items():
            cell = _at(row, columns.get(field, columns["cause"]))
            raise ReadError(source, cell.where if cell else name.where, f"{monitoring.row_label(field, '')}{message}")
        filled[stored.id] = values
    return filled


def _cause(text: str, source: str, where: str) -> tuple[str, str]:
    """偏差原因 as its cell writes it ("经费保障：资金未到位") → the choice and its note."""
    text = text.strip()
    if not text:
        return "", ""
    for cause in monitoring.CAUSES:
        if text.startswith(cause):
            return cause, text[len(cause):].lstrip("：:，,、 ").strip()
    raise ReadError(source, where, f"偏差原因应以{'、'.join(monitoring.CAUSES)}之一开头（如“经费保障：资金未到位”），现为“{text}”")
