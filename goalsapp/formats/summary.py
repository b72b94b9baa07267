"""The 汇总表: a year's sheets, one row each with the numbers a bureau adds up, and every indicator
of them on a flat worksheet of its own. openpyxl's write-only mode writes each row out as it is
appended, so with sheets that arrive in batches the memory does not grow with the county.

Money is in 万元, as numbers. They show two decimals, and up to four when there is a single yuan
to show: the value stays exact, so what Excel adds up is exact too. A whole-department sheet's
资金总额 has a column of its own. It already holds its projects' budgets, so adding it to them would
count the money twice.
"""
from collections.abc import Iterable
from decimal import Decimal
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from ..domain.layout import shown
from ..domain.models import GoalSheet
from ..domain.review import DEFAULT_SETTINGS, Report, target_measure
from ..domain.text import normalize
from ..domain.values import format_period
from .excel import CELL_CHARACTERS, FONT, FORMULA_START, _a4, _set_value

SHEETS_TITLE, INDICATORS_TITLE = "项目汇总", "指标明细"
# (heading, width in Excel's characters): the row of each sheet, then the row of each indicator.
SHEET_COLUMNS = (
    ("填报单位", 22), ("项目支出名称", 30), ("预算部门", 14), ("年度本级预算（万元）", 20), ("上级资金（万元）", 16),
    ("部门整体资金总额（万元）", 24), ("实施期", 16), ("状态", 8), ("强制问题", 9), ("提示问题", 9), ("指标数", 8),
)
INDICATOR_COLUMNS = (
    ("填报单位", 22), ("项目支出名称", 30), ("一级指标", 12), ("二级指标", 18), ("三级指标", 40), ("指标值", 16), ("绩效标准", 10),
)
MONEY_FORMAT = "#,##0.00##"
HEAD_FONT = Font(name=FONT, size=10.5, bold=True)
HEAD_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)


def write_summary(target: BinaryIO, title: str, rows: Iterable[tuple[GoalSheet, Report]]) -> None:
    """The sheets, each with its findings, as the 汇总表 into target (a file opened for writing)."""
    book = Workbook(write_only=True)
    book.properties.title = title
    sheets = _begun(book.create_sheet(SHEETS_TITLE), SHEET_COLUMNS)
    indicators = _begun(book.create_sheet(INDICATORS_TITLE), INDICATOR_COLUMNS)
    for sheet, report in rows:
        sheets.append(_sheet_row(sheets, sheet, report))
        for indicator in sheet.indicators:
            indicators.append(_texts(indicators, (sheet.unit, sheet.project_name, indicator.level1, indicator.level2, indicator.name,
                                                  target_measure(indicator, DEFAULT_SETTINGS).written, indicator.standard)))
    book.save(target)


def _begun(ws: WriteOnlyWorksheet, columns: tuple[tuple[str, int], ...]) -> WriteOnlyWorksheet:
    """A worksheet with its column widths, A4 landscape, and its headings: a first row that stays
    in view while the rows scroll under it."""
    for index, (_, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    _a4(ws, "landscape")
    ws.print_title_rows = "1:1"  # and on every printed page
    heads = []
    for heading, _ in columns:
        cell = WriteOnlyCell(ws, heading)
        cell.font, cell.alignment = HEAD_FONT, HEAD_ALIGNMENT
        heads.append(cell)
    ws.append(heads)
    return ws


def _sheet_row(ws: WriteOnlyWorksheet, sheet: GoalSheet, report: Report) -> list:
    project = sheet.is_project
    period = sheet.form.field("period")
    return [
        *_texts(ws, (sheet.unit, sheet.project_name, sheet.budget_dept)),
        _money(ws, sheet.local_budget if project else None),
        _money(ws, sheet.higher_funds if project else None),
        _money(ws, None if project else sheet.local_budget),
        *_texts(ws, (shown(sheet, period) if period else format_period(sheet.period_start, sheet.period_end), str(sheet.status))),
        report.blocking, report.warnings, len(sheet.indicators),
    ]


def _texts(ws: WriteOnlyWorksheet, texts: tuple[str, ...]) -> list:
    return [_text(ws, text) for text in texts]


def _text(ws: WriteOnlyWorksheet, text: str) -> str | Cell | None:
    """A text for a cell. Most go as they are, which is how openpyxl writes fastest. A text that
    starts like a formula ("=", "@") goes as a text cell, so Excel never runs it. A text that an
    older database holds unnormalised, or that is past Excel's length, goes as excel.py shapes it."""
    if not text:
        return None
    if not text.startswith(FORMULA_START) and len(text) < CELL_CHARACTERS and text == normalize(text):
        return text
    cell = WriteOnlyCell(ws)
    _set_value(cell, text)
    return cell


def _money(ws: WriteOnlyWorksheet, amount: Decimal | None) -> Cell:
    cell = WriteOnlyCell(ws, amount)
    if amount is not None:
        cell.number_format = MONEY_FORMAT
    return cell
