"""The 汇总表: a year's sheets, one row each with the numbers a bureau adds up, and every indicator
of them on a flat worksheet of its own; then the year's monitoring (a row per sheet and round, with
its money and lights, a 合计 under each round; and a row per indicator) and its self-evaluation (a
row per sheet, with its money, 总分 and 等级, a 合计 under them; and a row per indicator with its
分值 and 得分). openpyxl's write-only mode writes each row out as it is appended, so with sheets
that arrive in batches the memory does not grow with the county.

The lights and scores arrive computed (domain/yearview.py, by monitoring.py and evaluation.py):
this module only writes them down.

Money is in 万元, as numbers. They show two decimals, and up to four when there is a single yuan
to show: the value stays exact, so what Excel adds up is exact too. A whole-department sheet's
资金总额 has a column of its own. It already holds its projects' budgets, so adding it to them would
count the money twice.
"""
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from ..domain import evaluation, monitoring, scoring
from ..domain.layout import shown
from ..domain.lights import Light
from ..domain.models import Evaluation, GoalSheet, Monitoring, MonitoringRound
from ..domain.review import DEFAULT_SETTINGS, Report, target_measure
from ..domain.text import normalize
from ..domain.values import format_period
from ..domain.yearview import GRADES, LIGHTS, SheetEvaluation, SheetMonitoring, shapes
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
MONITORING_TITLE, MONITORING_ROWS_TITLE = "运行监控", "监控指标明细"
MONITORING_COLUMNS = (
    ("填报单位", 22), ("项目支出名称", 30), ("监控期间", 9), ("截止日期", 11), ("状态", 8), ("逾期", 6),
    ("年初预算数（万元）", 14), ("全年预算数（万元）", 14), ("执行数（万元）", 14), ("执行率", 9), ("全年预计执行数（万元）", 16),
    ("资金", 9), ("绿灯（行）", 9), ("黄灯（行）", 9), ("红灯（行）", 9), ("指标数", 8),
)
MONITORING_ROW_COLUMNS = (
    ("填报单位", 22), ("项目支出名称", 30), ("监控期间", 9), ("一级指标", 12), ("二级指标", 18), ("三级指标", 40), ("年度指标值", 14),
    ("执行情况", 14), ("全年预计完成情况", 14), ("完成目标可能性", 12), ("偏差原因", 12), ("偏差说明", 24), ("整改措施", 24),
    ("备注", 16), ("灯", 9),
)
EVALUATION_TITLE, EVALUATION_ROWS_TITLE = "年度自评", "自评指标明细"
EVALUATION_COLUMNS = (
    ("填报单位", 22), ("项目支出名称", 30), ("状态", 8), ("年初预算数（万元）", 14), ("全年预算数（万元）", 14),
    ("全年执行数（万元）", 14), ("执行率", 9), ("预算执行得分", 12), ("总分", 8), ("等级", 12), ("指标数", 8),
)
EVALUATION_ROW_COLUMNS = (
    ("填报单位", 22), ("项目支出名称", 30), ("一级指标", 12), ("二级指标", 18), ("三级指标", 40), ("年度指标值", 14),
    ("实际完成值", 14), ("分值", 8), ("得分", 8), ("偏差原因分析及改进措施", 40),
)
TOTAL = "合计"
UNFINISHED = "未填完"  # a self-evaluation begun whose 总分 and 等级 mean nothing yet
NOT_APPLICABLE = evaluation.NOT_APPLICABLE  # a row left out, in its 得分, as the printed form says it
MONEY_FORMAT = "#,##0.00##"
RATE_FORMAT = "0.00%"
SCORE_FORMAT = "0.00"
DATE_FORMAT = "yyyy-mm-dd"
HEAD_FONT = Font(name=FONT, size=10.5, bold=True)
HEAD_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)


MonitoringLine = tuple[GoalSheet, MonitoringRound, Monitoring | None, SheetMonitoring]
EvaluationLine = tuple[GoalSheet, Evaluation | None, SheetEvaluation]


def write_summary(target: BinaryIO, title: str, rows: Iterable[tuple[GoalSheet, Report]],
                  monitorings: Iterable[MonitoringLine] = (), evaluations: Iterable[EvaluationLine] = ()) -> None:
    """The sheets, each with its findings, as the 汇总表 into target (a file opened for writing);
    then each sheet's monitoring in each round (yearview.year_monitorings, round by round) and its
    self-evaluation (yearview.year_evaluations)."""
    book = Workbook(write_only=True)
    book.properties.title = title
    sheets = _begun(book.create_sheet(SHEETS_TITLE), SHEET_COLUMNS)
    indicators = _begun(book.create_sheet(INDICATORS_TITLE), INDICATOR_COLUMNS)
    for sheet, report in rows:
        sheets.append(_sheet_row(sheets, sheet, report))
        for indicator in sheet.indicators:
            indicators.append(_texts(indicators, (sheet.unit, sheet.project_name, indicator.level1, indicator.level2, indicator.name,
                                                  target_measure(indicator, DEFAULT_SETTINGS).written, indicator.standard)))
    _write_monitorings(book, monitorings)
    _write_evaluations(book, evaluations)
    book.save(target)


# --- the monitoring -------------------------------------------------------------------------


@dataclass
class Totals:
    """A 合计 row's numbers, added up as the rows are written."""

    sheets: int = 0
    filed: int = 0
    late: int = 0
    amounts: dict[str, Decimal] = field(default_factory=dict)
    lights: dict[Light, int] = field(default_factory=lambda: dict.fromkeys(LIGHTS, 0))
    money_lights: dict[Light, int] = field(default_factory=lambda: dict.fromkeys(LIGHTS, 0))
    grades: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GRADES, 0))
    indicators: int = 0

    def add(self, **amounts: Decimal | None) -> None:
        for key, amount in amounts.items():
            if amount is not None:
                self.amounts[key] = self.amounts.get(key, Decimal(0)) + amount

    def amount(self, key: str) -> Decimal | None:
        return self.amounts.get(key)

    def add_rated(self, budget: Decimal | None, spent: Decimal | None) -> None:
        """The amounts 执行率 of the whole is taken over: a document's whose spending is typed. One
        only begun carries its sheet's budget and nothing spent yet, not spending nothing."""
        if budget is not None and spent is not None:
            self.add(rated_budget=budget, rated_spent=spent)

    @property
    def rate(self) -> Decimal | None:
        return scoring.execution_rate(self.amount("rated_budget"), self.amount("rated_spent"))


def _write_monitorings(book: Workbook, lines: Iterable[MonitoringLine]) -> None:
    """A row per sheet and round, a 合计 under each round's; and a row per indicator of each monitoring begun."""
    ws = _begun(book.create_sheet(MONITORING_TITLE), MONITORING_COLUMNS)
    rows = _begun(book.create_sheet(MONITORING_ROWS_TITLE), MONITORING_ROW_COLUMNS)
    current, total = None, Totals()
    for sheet, each, found, seen in lines:
        if current is not None and each.id != current.id:
            ws.append(_monitoring_total(ws, current, total))
            total = Totals()
        current = each
        ws.append(_monitoring_row(ws, sheet, each, found, seen, total))
        if found is not None:
            for row, light in zip(found.rows, seen.lights.each):
                indicator = row.indicator
                rows.append(_texts(rows, (sheet.unit, sheet.project_name, each.months, indicator.level1, indicator.level2, indicator.name,
                                          monitoring.target_written(row), row.current, row.expected, row.possibility, row.cause,
                                          row.cause_note, row.remedy, row.note, _light(light))))
    if current is not None:
        ws.append(_monitoring_total(ws, current, total))


def _monitoring_row(ws: WriteOnlyWorksheet, sheet: GoalSheet, each: MonitoringRound, found: Monitoring | None,
                    seen: SheetMonitoring, total: Totals) -> list:
    total.sheets += 1
    total.filed += seen.filed
    total.late += seen.late
    cells = [*_texts(ws, (sheet.unit, sheet.project_name, each.months)), _date(ws, each.deadline),
             *_texts(ws, (seen.status_text, "逾期" if seen.late else ""))]
    if found is None:
        return cells
    lights = seen.lights
    total.add(initial=found.initial_budget, annual=found.annual_budget, spent=found.spent, expected=found.expected_spending)
    total.add_rated(found.annual_budget, found.spent)
    for light in LIGHTS:
        total.lights[light] += lights.rows[light]
    if lights.money is not None:
        total.money_lights[lights.money] += 1
    total.indicators += len(found.rows)
    return [*cells, _money(ws, found.initial_budget), _money(ws, found.annual_budget), _money(ws, found.spent), _rate(ws, lights.rate),
            _money(ws, found.expected_spending), _text(ws, _light(lights.money)),
            *(lights.rows[light] for light in LIGHTS), len(found.rows)]


def _monitoring_total(ws: WriteOnlyWorksheet, each: MonitoringRound, total: Totals) -> list:
    """合计 of a round: its money added up, 执行率 of the whole, how many filed and late, the lights counted."""
    return _bold(ws, [TOTAL, f"{total.sheets}张表", each.months, _date(ws, each.deadline), f"已报送{total.filed}张",
                      f"逾期{total.late}张" if total.late else "", _money(ws, total.amount("initial")), _money(ws, total.amount("annual")),
                      _money(ws, total.amount("spent")), _rate(ws, total.rate), _money(ws, total.amount("expected")),
                      shapes(total.money_lights), *(total.lights[light] for light in LIGHTS), total.indicators])


def _light(light: Light | None) -> str:
    """A light as the forms show it, a shape and a word: ●绿灯; ○待填写 for a row not yet judged."""
    sign = monitoring.sign(light)
    return f"{sign.shape}{sign.name}"


# --- the self-evaluation ------------------------------------------------------------------------


def _write_evaluations(book: Workbook, lines: Iterable[EvaluationLine]) -> None:
    """A row per sheet with its money, 总分 and 等级, a 合计 under them; and a row per indicator with 分值 and 得分."""
    ws = _begun(book.create_sheet(EVALUATION_TITLE), EVALUATION_COLUMNS)
    rows = _begun(book.create_sheet(EVALUATION_ROWS_TITLE), EVALUATION_ROW_COLUMNS)
    total, any_line = Totals(), False
    for sheet, found, seen in lines:
        any_line = True
        ws.append(_evaluation_row(ws, sheet, found, seen, total))
        if found is None:
            continue
        for row, score in zip(found.rows, seen.score.scores):
            indicator = row.indicator
            rows.append([*_texts(rows, (sheet.unit, sheet.project_name, indicator.level1, indicator.level2, indicator.name,
                                        evaluation.target_of(row).written or indicator.value, row.actual)),
                         _score(rows, row.weight), _score(rows, score) if row.applicable else NOT_APPLICABLE, _text(rows, row.reason)])
    if any_line:
        ws.append(_evaluation_total(ws, total))


def _evaluation_row(ws: WriteOnlyWorksheet, sheet: GoalSheet, found: Evaluation | None, seen: SheetEvaluation, total: Totals) -> list:
    total.sheets += 1
    total.filed += seen.filed
    cells = _texts(ws, (sheet.unit, sheet.project_name, seen.status_text))
    if found is None:
        return cells
    score = seen.score
    total.add(opening=found.opening_budget, budget=found.budget, spent=found.spent)
    total.add_rated(found.budget, found.spent)
    if seen.grade:
        total.grades[seen.grade] += 1
    total.indicators += len(found.rows)
    return [*cells, _money(ws, found.opening_budget), _money(ws, found.budget), _money(ws, found.spent), _rate(ws, score.rate),
            _score(ws, score.execution), _score(ws, seen.total), UNFINISHED if seen.unfinished else seen.grade, len(found.rows)]


def _evaluation_total(ws: WriteOnlyWorksheet, total: Totals) -> list:
    """合计: the money added up, 执行率 of the whole, how many filed, and how many of each grade."""
    grades = " ".join(f"{grade}{count}" for grade, count in total.grades.items())
    return _bold(ws, [TOTAL, f"{total.sheets}张表", f"已报送{total.filed}张", _money(ws, total.amount("opening")),
                      _money(ws, total.amount("budget")), _money(ws, total.amount("spent")), _rate(ws, total.rate), None, None, grades,
                      total.indicators])


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


def _formatted(ws: WriteOnlyWorksheet, value: Decimal | date | None, number_format: str) -> Cell:
    """A number or a date shown in its format; a blank stays blank."""
    cell = WriteOnlyCell(ws, value)
    if value is not None:
        cell.number_format = number_format
    return cell


def _money(ws: WriteOnlyWorksheet, amount: Decimal | None) -> Cell:
    return _formatted(ws, amount, MONEY_FORMAT)


def _rate(ws: WriteOnlyWorksheet, rate: Decimal | None) -> Cell:
    """执行率, a fraction, shown as a percentage (0.4567 as 45.67%)."""
    return _formatted(ws, rate, RATE_FORMAT)


def _score(ws: WriteOnlyWorksheet, score: Decimal | None) -> Cell:
    return _formatted(ws, score, SCORE_FORMAT)


def _date(ws: WriteOnlyWorksheet, day: date) -> Cell:
    return _formatted(ws, day, DATE_FORMAT)


def _bold(ws: WriteOnlyWorksheet, values: list) -> list:
    """A 合计 row: every cell in bold, so it stands apart from the rows it adds up."""
    cells = []
    for value in values:
        cell = value if isinstance(value, Cell) else WriteOnlyCell(ws, value)
        cell.font = HEAD_FONT
        cells.append(cell)
    return cells
