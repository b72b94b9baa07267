"""The self-evaluation on paper, in the published 2019–22 layout (项目支出绩效自评表 of Anhui and
Sichuan's counties, after 财预〔2020〕10号): rows of cells on one nine-column grid, shared by the
print view and the Excel export, so the two cannot drift apart.

    项目名称 | …
    主管部门 | … | 实施单位 | …
    项目资金（万元） |              | 年初预算数 | 全年预算数（A） | 全年执行数（B） | 分值 | 执行率（B/A） | 得分
                    | 年度资金总额 | …
                    | 其中：本年财政拨款 / 上年结转资金 / 其他资金
    年度总体目标     | 预期目标 | 实际完成情况
    绩效指标 | 一级指标（with its points） | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施
    总分 | 100 | … | 等级
    评价结论 / 存在问题 / 改进措施 / 财政部门审核意见
"""
from dataclasses import dataclass
from decimal import Decimal

from . import evaluation
from .evaluation import AMOUNTS, NOT_APPLICABLE, PARTS, TOTAL_COLUMNS, format_number, format_rate, part_amount
from .layout import PAPER_MARKS
from .models import Evaluation
from .scoring import execution_rate

# Shares of the printed width, in percent: the indicator block's columns, which the blocks
# above share; 三级指标 and 偏差原因分析 hold sentences, 分值 and 得分 a number.
COLUMN_WIDTHS = (9, 10, 11, 17, 11, 11, 7, 7, 17)
WIDTH = len(COLUMN_WIDTHS)
BLOCK_LABEL = "绩效\n指标"
HEADING = ("一级指标", "二级指标", "三级指标", "年度\n指标值", "实际\n完成值", "分值", "得分", "偏差原因分析\n及改进措施")
MONEY_HEADING = ("年初预算数", "全年预算数\n（A）", "全年执行数\n（B）", "分值", "执行率\n（B/A）", "得分")
PART_LABELS = {"fiscal": "其中：本年\n财政拨款", "carried": "上年结转资金", "other": "其他资金"}


@dataclass(frozen=True)
class Cell:
    """One cell of the paper: a label or a value, spanning columns and rows."""

    text: str = ""
    span: int = 1
    rows: int = 1
    label: bool = False
    long: bool = False  # a paragraph: set left, as the paper does
    number: Decimal | None = None  # a number Excel keeps as a number
    percent: bool = False  # the number is a rate: 0.9567 prints 95.67%

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


@dataclass(frozen=True)
class Paper:
    """A self-evaluation as printed: the blocks above the indicators, the indicator block (its
    label spanning its heading and rows), and the rows below it."""

    title: str
    unit_line: str
    money_note: str
    mark: str | None  # 草稿 / 送审稿 until the bureau approves it: paper outlives the app
    head: list[list[Cell]]
    heading: list[Cell]
    body: list[list[Cell]]
    tail: list[list[Cell]]
    block_label: str = BLOCK_LABEL


def paper(item: Evaluation) -> Paper:
    outcome = evaluation.result(item)
    sheet = item.sheet
    return Paper(
        title=f"项目支出绩效自评表\n（{sheet.year}年度）",
        unit_line=f"填报单位：{sheet.unit}（盖章）",
        money_note="单位：万元",
        mark=PAPER_MARKS.get(item.status),
        head=[*project_rows(item), *money_rows(item, outcome), *goal_rows(item)],
        heading=[Cell(text, label=True) for text in HEADING],
        body=indicator_rows(item, outcome),
        tail=tail_rows(item, outcome),
    )


def project_rows(item: Evaluation) -> list[list[Cell]]:
    sheet = item.sheet
    return [
        [Cell("项目名称", label=True), Cell(sheet.project_name, span=WIDTH - 1)],
        [Cell("主管部门", label=True), Cell(sheet.budget_dept, span=3), Cell("实施单位", label=True),
         Cell(sheet.written("implementer") or sheet.unit, span=4)],
    ]


def money_rows(item: Evaluation, outcome: evaluation.Result) -> list[list[Cell]]:
    """项目资金: 年度资金总额 scored (分值 10, 执行率, 得分), its 其中 rows beside it."""
    numbers = outcome.numbers
    reason = item.execution_reason.strip()
    rows = [
        [Cell("", span=2, label=True), *(Cell(text, label=True) for text in MONEY_HEADING)],
        [Cell("年度资金总额", span=2, label=True),
         *(_amount(getattr(item, TOTAL_COLUMNS[amount])) for amount, _ in AMOUNTS),
         _number(evaluation.RULES.execution_weight), _rate(numbers.rate), _number(numbers.execution)],
    ]
    for part, _ in PARTS:
        amounts = [part_amount(item, part, amount) for amount, _ in AMOUNTS]
        rows.append([Cell(PART_LABELS[part], span=2, label=True), *(_amount(amount) for amount in amounts),
                     Cell("—"), _rate(execution_rate(amounts[1], amounts[2])), Cell("—")])
    if reason:
        rows.append([Cell("执行率偏低原因", span=2, label=True), Cell(reason, span=WIDTH - 3, long=True)])
    return [[Cell("项目资金\n（万元）", rows=len(rows), label=True), *rows[0]], *rows[1:]]


def goal_rows(item: Evaluation) -> list[list[Cell]]:
    half = (WIDTH - 1) // 2
    return [
        [Cell("年度总体\n目标", rows=2, label=True), Cell("预期目标", span=half, label=True),
         Cell("实际完成情况", span=WIDTH - 1 - half, label=True)],
        [Cell(item.sheet.annual_goal, span=half, long=True), Cell(item.achieved, span=WIDTH - 1 - half, long=True)],
    ]


def indicator_rows(item: Evaluation, outcome: evaluation.Result) -> list[list[Cell]]:
    """The rows in their order (start puts them in the form's category order), 一级 and 二级
    spanning their rows; 一级 says its points ("产出指标（50分）")."""
    points = evaluation.level1_points(item)
    lines = item.sheet.form.label_lines
    level1s = [row.indicator.level1 for row in item.rows]
    categories = [(row.indicator.level1, row.indicator.level2) for row in item.rows]
    out = []
    for index, (row, scored) in enumerate(zip(item.rows, outcome.rows)):
        level1, level2 = categories[index]
        cells = []
        if (spanned := _run(level1s, index)) is not None:
            cells.append(Cell(f"{level1}\n（{format_number(points[level1])}分）", rows=spanned, label=True))
        if (spanned := _run(categories, index)) is not None:
            cells.append(Cell(category_lines(lines, level2), rows=spanned, label=True))
        cells += [
            Cell(row.indicator.name, long=True),
            Cell(scored.target.written),
            Cell(row.actual),
            _number(row.weight),
            _number(scored.score) if row.applicable else Cell(NOT_APPLICABLE),
            Cell(row.reason, long=True),
        ]
        out.append(cells)
    return out


LABEL_CHARACTERS = 5  # what the 二级指标 column holds on a line


def category_lines(lines: dict[str, tuple[str, ...]], level2: str) -> str:
    """A 二级指标 as the paper breaks it: where its form breaks it, else a long one before its
    指标 ("经济效益\n指标"), as the forms break "产出\n指标", never inside a word."""
    if level2 in lines:
        return "\n".join(lines[level2])
    if len(level2) > LABEL_CHARACTERS and level2.endswith("指标"):
        return f"{level2[:-2]}\n指标"
    return level2


def _run(keys: list, start: int) -> int | None:
    """How many rows from start have its key (its 一级, or its category), when a run of them
    starts there; None when it is covered by a run from above."""
    if start and keys[start - 1] == keys[start]:
        return None
    count = 1
    while start + count < len(keys) and keys[start + count] == keys[start]:
        count += 1
    return count


def tail_rows(item: Evaluation, outcome: evaluation.Result) -> list[list[Cell]]:
    numbers = outcome.numbers
    return [
        [Cell("总分", span=WIDTH - 3, label=True), _number(evaluation.RULES.total), _number(numbers.total),
         Cell(f"等级：{numbers.grade or ''}")],
        [Cell("评价结论", label=True), Cell(item.conclusion, span=WIDTH - 1, long=True)],
        [Cell("存在问题", label=True), Cell(item.problems, span=WIDTH - 1, long=True)],
        [Cell("改进措施", label=True), Cell(item.improvements, span=WIDTH - 1, long=True)],
        [Cell("财政部门\n审核意见", label=True), Cell(item.review_comment, span=WIDTH - 1, long=True)],
    ]


def _amount(amount: Decimal | None) -> Cell:
    return Cell(format_number(amount), number=amount)


def _number(number: Decimal | None) -> Cell:
    return Cell(format_number(number), number=number)


def _rate(rate: Decimal | None) -> Cell:
    return Cell(format_rate(rate), number=rate, percent=True)
