"""A monitoring on paper, in a published layout: one grid of cells that the print view draws and
the Excel export writes, so the two never differ.

MOF 2019 (财预〔2019〕136号, 项目支出绩效目标执行监控表): 项目名称, 主管部门 and 实施单位, the money
block (年初预算数 / 全年预算数 / 1–N月执行数 / 执行率 / 全年预计执行数), 年度总体目标, then the
indicators under 绩效指标: 一级 / 二级 / 三级 / 年度指标值 / 1–N月执行情况 / 全年预计完成情况 /
完成目标可能性 / 偏差原因 / 整改措施 / 备注, 一级 and 二级 spanning their rows. The paper ticks
完成目标可能性 and 偏差原因 in a box per choice; here the choice is written in its one cell, the
reason's note after it ("经费保障：资金未到位"), so a row stays on one line of a landscape A4.

Hubei 2019 (two levels): 一级指标 / 指标名称 / 指标值 / 半年度指标执行情况 / 完成目标可能性 / 备注,
年初预算数 / 1–N月执行数 / 全年预计执行数 in the header, and 偏差原因分析 and 相关建议或举措 as
paragraphs under the rows, gathered from each row's reason and measures.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from .formtemplates import Column
from .layout import paper_mark
from .models import Monitoring, MonitoringRow
from .monitoring import execution_rate, percent, target_written
from .wording import MONTHS, Wording, every_wording, labels_of

# --- the forms' words: printed here, and read back from files by them (wording.py) --------------
# "{months}" in a label is the round's months ("1-6月"); a file's own months say its round.

MOF_HEADS = (
    Column("level1", "一级指标", ("一级",)), Column("level2", "二级指标", ("二级",)), Column("name", "三级指标", ("三级",)),
    Column("target", "年度\n指标值", ("指标值",)), Column("current", f"{MONTHS}\n执行情况", ("当前完成值",)),
    Column("expected", "全年预计\n完成情况", ("全年预计完成值",)), Column("possibility", "完成目标\n可能性"),
    Column("cause", "偏差原因"), Column("remedy", "整改措施"), Column("note", "备注"),
)
# The MOF form as published also has these per row (domain.md); the app prints 年度指标值 as one
# text (计算符号, number and 计量单位 together) and 是否需要整改 as a 整改措施 written or not.
MOF_ALSO_READ = (Column("nature", "计算符号", ("指标性质",)), Column("measure", "计量单位", ("度量单位",)),
                 Column("needs_remedy", "是否需要整改"))
MOF_MONEY = (Column("initial_budget", "年初预算数"), Column("annual_budget", "全年预算数"), Column("spent", f"{MONTHS}执行数"),
             Column("rate", "执行率"), Column("expected_spending", "全年预计执行数"))
HUBEI_HEADS = (
    Column("level1", "一级指标", ("一级",)), Column("name", "指标名称", ("三级指标",)), Column("target", "指标值", ("年度指标值",)),
    Column("current", "半年度指标\n执行情况", (f"{MONTHS}指标执行情况",)), Column("possibility", "完成目标\n可能性"),
    Column("note", "备注"),
)
HUBEI_MONEY = (Column("initial_budget", "年初预算数\n（万元）"), Column("spent", f"{MONTHS}\n执行数\n（万元）"),
               Column("expected_spending", "全年预计\n执行数\n（万元）"))
HUBEI_TEXTS = (Column("causes", "偏差原因\n分析"), Column("remedies", "相关建议\n或举措"))
COMMENT = "财政部门\n审核意见"
MOF_TITLE, HUBEI_TITLE = "项目支出绩效目标执行监控表", "项目支出绩效运行监控表"


def _labels(column: Column, months: str) -> str:
    return column.label.replace(MONTHS, months)


TITLE_WORDS = r"项目(?:支出)?绩效(?:目标执行|运行|执行)监控表"
WORDING = Wording(
    name="项目支出绩效运行监控表",
    short="运行监控表",
    titles=(r"(?P<year>\d{4})年度?" + TITLE_WORDS, TITLE_WORDS + r"(?:(?P<year>\d{4})年度)?"),
    labels=labels_of(("project_name", ("项目名称", "项目支出名称")), ("budget_dept", ("主管部门", "主管部门及代码", "预算部门")),
                     ("implementer", ("实施单位", "项目实施单位")), ("annual_goal", ("年度总体目标", "年度目标")),
                     *((column.key, (column.label.replace(MONTHS, ""), *column.synonyms)) for column in (*HUBEI_MONEY, *HUBEI_TEXTS)),
                     ("annual_budget", ("全年预算数",)), ("comment", (COMMENT,))),
    heads=every_wording(MOF_HEADS, MOF_ALSO_READ, HUBEI_HEADS),
    money=MOF_MONEY,
    groups=frozenset(labels_of(("", ("项目资金（万元）", "绩效指标"))).keys()),
    footers=labels_of(("filler", ("填表人",)), ("phone", ("联系电话",)), ("date", ("填报日期",)), ("leader", ("单位负责人", "项目负责人"))),
)


# The target forms (formtemplates codes) a target table made from such a file is filed in, the
# first whose categories hold the file's rows. Hubei's form names no 二级指标, which a target needs.
TARGET_FORMS = {"mof-2019": ("anhui-2025", "hunan-2021"), "hubei-2019": ()}


def layout_of(heads: set[str]) -> str:
    """The published layout a file's indicator heads are of: Hubei's has no 二级指标."""
    return "mof-2019" if "level2" in heads else "hubei-2019"


@dataclass(frozen=True)
class Cell:
    """One cell of the paper: a label or a value, spanning columns and rows."""

    text: str = ""
    span: int = 1
    rows: int = 1
    label: bool = False
    long: bool = False  # paragraphs: set left, as the paper does
    number: Decimal | None = None  # an amount (万元), or with rate a fraction: a number in Excel
    rate: bool = False  # number is a share, printed as a percentage
    block: bool = False  # under the indicator block's label (绩效指标), which spans the block


@dataclass(frozen=True)
class Layout:
    code: str
    name: str
    title: str
    widths: tuple[float, ...]  # each grid column's share of the printed width, in percent
    build: Callable[["Layout", Monitoring], "Paper"]
    landscape: bool = True


@dataclass(frozen=True)
class Paper:
    """The pieces of a printed monitoring, top to bottom. heads repeat on every page."""

    layout: Layout
    title: str
    subtitle: str
    unit_line: str
    money_note: str
    header: list[list[Cell]]
    heads: list[list[Cell]]
    body: list[list[Cell]]
    after: list[list[Cell]] = field(default_factory=list)
    mark: str | None = None  # 草稿 / 送审稿: not yet approved, and paper outlives the app

    @property
    def width(self) -> int:
        return len(self.layout.widths)


def paper(monitoring: Monitoring, code: str = "mof-2019") -> Paper:
    layout = LAYOUTS.get(code, LAYOUTS["mof-2019"])
    return layout.build(layout, monitoring)


def _frame(layout: Layout, monitoring: Monitoring, **parts) -> Paper:
    return Paper(layout=layout, title=layout.title, subtitle=f"（{monitoring.round.year}年度）",
                 unit_line=f"填报单位（盖章）：{monitoring.unit}", money_note="金额单位：万元",
                 mark=paper_mark(monitoring), **parts)


def implementer(monitoring: Monitoring) -> str:
    """实施单位: as the target's form wrote it, else the unit that files the sheet."""
    return monitoring.sheet.written("implementer") or monitoring.unit


def cause_text(row: MonitoringRow) -> str:
    """偏差原因 in its one cell: the choice, then what it was ("经费保障：资金未到位")."""
    return "：".join(part for part in (row.cause, row.cause_note) if part)


def _amount(amount: Decimal | None, span: int) -> Cell:
    return Cell("" if amount is None else format(amount.normalize(), "f"), span=span, number=amount)


def _rate(monitoring: Monitoring, span: int) -> Cell:
    rate = execution_rate(monitoring)
    return Cell(percent(rate), span=span, number=rate, rate=True)


def _spans(rows: list[MonitoringRow], key: Callable[[MonitoringRow], tuple]) -> list[int]:
    """How many rows each row's cell spans from it (0: covered from above): equal keys in a row."""
    spans = [0] * len(rows)
    start = 0
    for index in range(1, len(rows) + 1):
        if index == len(rows) or key(rows[index]) != key(rows[start]):
            spans[start] = index - start
            start = index
    return spans


def _mof(layout: Layout, monitoring: Monitoring) -> Paper:
    months = monitoring.round.months
    sheet = monitoring.sheet
    header = [
        [Cell("项目名称", label=True), Cell(sheet.project_name, span=10)],
        [Cell("主管部门", label=True), Cell(sheet.budget_dept, span=5), Cell("实施单位", span=2, label=True),
         Cell(implementer(monitoring), span=3)],
        [Cell("项目资金\n（万元）", rows=2, label=True)] + [Cell(_labels(column, months), span=2, label=True) for column in MOF_MONEY],
        [_amount(monitoring.initial_budget, 2), _amount(monitoring.annual_budget, 2), _amount(monitoring.spent, 2),
         _rate(monitoring, 2), _amount(monitoring.expected_spending, 2)],
        [Cell("年度总体\n目标", label=True), Cell(sheet.annual_goal, span=10, long=True)],
    ]
    heads = [[Cell("绩效\n指标", label=True, block=True)] + [Cell(_labels(column, months), label=True) for column in MOF_HEADS]]
    rows = monitoring.rows
    level1 = _spans(rows, lambda row: (row.indicator.level1,))
    level2 = _spans(rows, lambda row: (row.indicator.level1, row.indicator.level2))
    body = []
    for index, row in enumerate(rows):
        cells = [Cell(block=True)]
        if level1[index]:
            cells.append(Cell(row.indicator.level1, rows=level1[index], label=True))
        if level2[index]:
            cells.append(Cell(row.indicator.level2, rows=level2[index], label=True))
        cells += [Cell(row.indicator.name, long=True), Cell(target_written(row)), Cell(row.current), Cell(row.expected),
                  Cell(row.possibility), Cell(cause_text(row), long=True), Cell(row.remedy, long=True), Cell(row.note, long=True)]
        body.append(cells)
    after = [[Cell(COMMENT, label=True), Cell(monitoring.review_comment, span=10, long=True)]]
    return _frame(layout, monitoring, header=header, heads=heads, body=body, after=after)


def _hubei(layout: Layout, monitoring: Monitoring) -> Paper:
    months = monitoring.round.months
    sheet = monitoring.sheet
    header = [
        [Cell("项目名称", label=True), Cell(sheet.project_name, span=5)],
        [Cell("主管部门", label=True), Cell(sheet.budget_dept, span=2), Cell("实施单位", label=True),
         Cell(implementer(monitoring), span=2)],
        [cell for column in HUBEI_MONEY for cell in (Cell(_labels(column, months), label=True),
                                                     _amount(getattr(monitoring, column.key), 1))],
    ]
    heads = [[Cell(_labels(column, months), label=True) for column in HUBEI_HEADS]]
    rows = monitoring.rows
    level1 = _spans(rows, lambda row: (row.indicator.level1,))
    body = []
    for index, row in enumerate(rows):
        cells = [Cell(row.indicator.level1, rows=level1[index], label=True)] if level1[index] else []
        cells += [Cell(row.indicator.name, long=True), Cell(target_written(row)), Cell(row.current),
                  Cell(row.possibility), Cell(row.note, long=True)]
        body.append(cells)
    after = [
        [Cell(HUBEI_TEXTS[0].label, label=True), Cell(_gathered(rows, cause_text), span=5, long=True)],
        [Cell(HUBEI_TEXTS[1].label, label=True), Cell(_gathered(rows, lambda row: row.remedy), span=5, long=True)],
        [Cell(COMMENT, label=True), Cell(monitoring.review_comment, span=5, long=True)],
    ]
    return _frame(layout, monitoring, header=header, heads=heads, body=body, after=after)


def _gathered(rows: list[MonitoringRow], text: Callable[[MonitoringRow], str]) -> str:
    """Each row's text that has one, on its own line, named by its indicator."""
    return "\n".join(f"{row.indicator.name}：{written}" for row in rows if (written := text(row).strip()))


LAYOUTS = {
    layout.code: layout for layout in (
        Layout("mof-2019", "财政部2019年表样", MOF_TITLE,
               (7, 6.5, 7.5, 14, 7.5, 8.5, 8.5, 7, 12, 12.5, 9), _mof),
        Layout("hubei-2019", "湖北2019年表样（两级指标）", HUBEI_TITLE,
               (14, 30, 12, 16, 12, 16), _hubei, landscape=False),
    )
}
