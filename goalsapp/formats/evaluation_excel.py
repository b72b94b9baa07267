"""A self-evaluation (项目支出绩效自评表) as an .xlsx, and such a workbook read back.

Out: a worksheet per self-evaluation laid out as its paper form, on the grid print uses
(evaluation_layout), amounts, 分值 and 得分 as numbers and 执行率 as a percentage, A4 portrait
one page wide. In: each worksheet that is such a form, read by its labels and headings (never
by position), cell by cell with where each came from; evaluation.from_file decides what the
cells mean. The package is checked (ooxml.check) before openpyxl opens it, as every import is.
"""
from dataclasses import dataclass, field
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..domain.errors import ReadError
from ..domain.evaluation_layout import Cell, Paper
from ..domain.formtemplates import label_key
from ..domain.importing import MAX_FILE_BYTES, MAX_FILE_MB, ZIP_MAGIC
from . import excel, ooxml
from .reader import Cell as ReadCell
from .reader import Row

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
    """A row's cells left to right from column first, passing over the places a cell spanning
    down from an earlier row takes; numbers as numbers, a rate formatted as a percentage."""
    column = first
    for cell in cells:
        while (number, column) in taken:
            column += 1
        end, bottom = column + cell.span - 1, number + cell.rows - 1
        taken.update((row, col) for row in range(number, bottom + 1) for col in range(column, end + 1))
        ref = f"{get_column_letter(column)}{number}"
        if end > column or bottom > number:
            ref += f":{get_column_letter(end)}{bottom}"
        excel._put(ws, ref, cell.number if cell.number is not None else cell.text or None, excel.LEFT if cell.long else excel.CENTER)
        if cell.percent and cell.number is not None:
            ws.cell(number, column).number_format = PERCENT
        column = end + 1


# --- reading -------------------------------------------------------------------------------

# Headings by their wording (formtemplates.label_key: no blanks, colons or brackets), as the
# 2019–22 form and the 101-style form word them.
MONEY_HEADS = {"年初预算数": "opening", "年初预算": "opening", "全年预算数A": "budget", "全年预算数": "budget",
               "调整后预算数": "budget", "全年执行数B": "spent", "全年执行数": "spent", "预算执行数": "spent",
               "得分": "score", "原因": "execution_reason"}
ROW_HEADS = {"一级指标": "level1", "二级指标": "level2", "三级指标": "name", "年度指标值": "target", "实际完成值": "actual",
             "完成值": "actual", "分值": "weight", "权重": "weight", "得分": "score", "偏差原因分析及改进措施": "reason",
             "未完成原因分析": "reason"}
TEXT_LABELS = {"项目名称": "project_name", "执行率偏低原因": "execution_reason", "评价结论": "conclusion",
               "存在问题": "problems", "改进措施": "improvements"}
PART_LABELS = {"其中本年财政拨款": "fiscal", "其中当年财政拨款": "fiscal", "其中财政拨款": "fiscal", "财政资金": "fiscal",
               "上年结转资金": "carried", "财政专户管理资金": "special", "单位资金": "own", "其他资金": "other"}
TOTAL_LABELS = ("年度资金总额", "总额")
MONEY_HEADINGS = ("年初预算数", "年初预算")
ACTUAL_HEADINGS = ("实际完成值", "完成值")
AMOUNT_KEYS = ("opening", "budget", "spent")


@dataclass
class FileRow:
    """One indicator row of a file: its cells by ROW_HEADS key."""

    cells: dict[str, ReadCell]

    def text(self, key: str) -> str:
        cell = self.cells.get(key)
        return cell.text if cell else ""


@dataclass
class FileEvaluation:
    """One worksheet's self-evaluation, as cells: the money block's by "total:budget" and
    "fiscal:spent", the texts by Evaluation attribute, 总分 and 等级 as "total" and "grade"."""

    worksheet: str
    cells: dict[str, ReadCell] = field(default_factory=dict)
    rows: list[FileRow] = field(default_factory=list)

    def text(self, key: str) -> str:
        cell = self.cells.get(key)
        return cell.text if cell else ""


def read_evaluations(data: bytes, source: str) -> list[FileEvaluation]:
    """Every self-evaluation in a workbook; ReadError when there is none or the file is not a sound .xlsx."""
    if len(data) > MAX_FILE_BYTES:
        raise ReadError(source, None, f"文件超过{MAX_FILE_MB} MB，不像是绩效自评表")
    if not data.startswith(ZIP_MAGIC):
        raise ReadError(source, None, "不是Excel（.xlsx）文件：请用本系统导出的自评表填写后导入")
    if "xl/workbook.xml" not in ooxml.check(data, source):
        raise ReadError(source, None, "不是Excel工作簿")
    found = [read for title, rows in excel.worksheet_rows(data, source).items() if (read := _read(title, rows))]
    if not found:
        raise ReadError(source, None, "文件里没有项目支出绩效自评表：找不到“年度资金总额”和“实际完成值”这两栏")
    return found


def _read(title: str, rows: list[Row]) -> FileEvaluation | None:
    """A worksheet read as a self-evaluation, or None when it has no money block and no indicator heads."""
    read = FileEvaluation(title)
    money: dict[int, str] = {}
    goals: dict[int, str] = {}
    heads: dict[int, str] = {}
    in_rows = False
    for row in rows:
        keys = {label_key(cell.text): cell for cell in row.cells if cell.text}
        at = {cell.column: cell for cell in row.cells}
        if in_rows and "总分" not in keys:
            if (name := _at(at, heads, "name")) is not None and name.text:
                read.rows.append(FileRow({key: at[column] for column, key in heads.items() if column in at}))
            continue
        in_rows = False
        if any(heading in keys for heading in MONEY_HEADINGS):
            money = _columns(row, MONEY_HEADS)
        elif "预期目标" in keys and "实际完成情况" in keys:
            goals = {keys["实际完成情况"].column: "achieved"}
        elif goals and not _labels(keys):
            read.cells.update({key: at[column] for column, key in goals.items() if column in at})
            goals = {}
        elif "三级指标" in keys and any(heading in keys for heading in ACTUAL_HEADINGS):
            heads, in_rows = _columns(row, ROW_HEADS), True
        elif "总分" in keys:
            _read_total(read, at, heads)
        else:
            _read_labelled(read, row, keys, at, money)
    return read if money and heads else None


def _read_labelled(read: FileEvaluation, row: Row, keys: dict[str, ReadCell], at: dict[int, ReadCell], money: dict[int, str]) -> None:
    """A row of the money block (年度资金总额, a 其中 row), or a label with its text beside it."""
    for label, cell in keys.items():
        part = "total" if label in TOTAL_LABELS else PART_LABELS.get(label)
        if part and money:
            read.cells.update({f"{part}:{key}": at[column] for column, key in money.items() if column in at and key in AMOUNT_KEYS})
            if part == "total":  # its 得分, and on a 101-style form the reason for a low rate beside it
                for key, name in (("score", "execution_score"), ("execution_reason", "execution_reason")):
                    if (cell := _at(at, money, key)) is not None:
                        read.cells[name] = cell
            return
        if label in TEXT_LABELS:
            read.cells[TEXT_LABELS[label]] = _after(row, cell)
            return


def _read_total(read: FileEvaluation, at: dict[int, ReadCell], heads: dict[int, str]) -> None:
    """总分 under the 得分 column; 等级 as "等级：优" in a cell of its own."""
    if (total := _at(at, heads, "score")) is not None:
        read.cells["total"] = total
    for cell in at.values():
        if cell.text.startswith("等级"):
            grade = cell.text.removeprefix("等级").lstrip("：: ")
            read.cells["grade"] = ReadCell(grade, cell.where, cell.column)


def _columns(row: Row, heads: dict[str, str]) -> dict[int, str]:
    return {cell.column: heads[label_key(cell.text)] for cell in row.cells if label_key(cell.text) in heads}


def _at(at: dict[int, ReadCell], columns: dict[int, str], key: str) -> ReadCell | None:
    column = next((column for column, name in columns.items() if name == key), None)
    return at.get(column) if column is not None else None


def _after(row: Row, label: ReadCell) -> ReadCell:
    """The cell right of a label (an empty one where the file left it blank)."""
    later = [cell for cell in row.cells if cell.column > label.column]
    return later[0] if later else ReadCell("", label.where, label.column + 1)


def _labels(keys: dict[str, ReadCell]) -> bool:
    """A row that starts another block: its cells are labels, not the goals' texts."""
    return any(key in keys for key in ("三级指标", "总分", *TEXT_LABELS))
