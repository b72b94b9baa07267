"""The self-evaluation on paper, as rows of cells on one column grid, shared by the print view
and the Excel export, so the two cannot drift apart. Two published layouts:

The 2019–22 form (项目支出绩效自评表 of Anhui and Sichuan's counties, after 财预〔2020〕10号), nine columns:

    项目名称 | …
    主管部门 | … | 实施单位 | …
    项目资金（万元） |              | 年初预算数 | 全年预算数（A） | 全年执行数（B） | 分值 | 执行率（B/A） | 得分
                    | 年度资金总额 | …
                    | 其中：本年财政拨款 / 上年结转资金 / 其他资金
    年度总体目标     | 预期目标 | 实际完成情况
    绩效指标 | 一级指标（with its points） | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施
    总分 | 100 | … | 等级
    评价结论 / 存在问题 / 改进措施 / 财政部门审核意见

The 101-style form (Sichuan 2023, after 财预〔2021〕101号), for a sheet filed in a 101-style form,
eleven columns: 预算执行情况（10分） with 年初预算 / 调整后预算数 / 预算执行数 / 预算执行率 / 权重 / 得分 /
原因 over 总额, 财政资金, 财政专户管理资金, 单位资金, 其他资金; 绩效指标（90分） with 一级 / 二级 / 三级 /
指标性质 / 指标值 / 度量单位 / 完成值 / 权重 / 得分 / 未完成原因分析 and 合计; then the texts, and
项目负责人 and 财务负责人 under the table.
"""
from dataclasses import dataclass, field, replace
from decimal import Decimal

from . import evaluation, measures
from .evaluation import AMOUNTS, NOT_APPLICABLE, TOTAL_COLUMNS, format_number, format_rate, part_amount, parts_of
from .formtemplates import Column
from .layout import PAPER_MARKS
from .models import Evaluation
from .scoring import execution_rate
from .wording import Wording, every_wording, labels_of

# Shares of the printed width, in percent: the indicator block's columns, which the blocks
# above share; 三级指标 and the deviation's analysis hold sentences, 分值 and 得分 a number.
WIDTHS = (9, 10, 11, 17, 11, 11, 7, 7, 17)
WIDTHS_101 = (9, 8, 9, 15, 6, 8, 6, 8, 6, 7, 18)
# Characters of 9.5 pt Song a line of the 一级指标 and 二级指标 columns holds, in each layout.
CATEGORY_CHARACTERS = (4, 5)
CATEGORY_CHARACTERS_101 = (3, 4)

# --- the forms' words: printed here, and read back from files by them (wording.py) --------------
# Each head a Column: its key where the value goes, its label as printed, its synonyms as other
# published forms and files word it.

HEADS = (
    Column("level1", "一级指标", ("一级",)),
    Column("level2", "二级指标", ("二级",)),
    Column("name", "三级指标", ("三级",)),
    Column("target", "年度\n指标值", ("指标值", "年度目标值", "目标值")),
    Column("actual", "实际\n完成值", ("完成值", "实际完成指标值")),
    Column("weight", "分值", ("权重",)),
    Column("score", "得分"),
    Column("reason", "偏差原因分析\n及改进措施", ("偏差原因分析", "原因分析及改进措施", "未完成原因分析")),
)
HEADS_101 = (
    Column("level1", "一级\n指标"), Column("level2", "二级指标"), Column("name", "三级指标"),
    Column("nature", "指标\n性质", ("计算符号",)), Column("target", "指标值"), Column("measure", "度量\n单位", ("计量单位",)),
    Column("actual", "完成值"), Column("weight", "权重"), Column("score", "得分"), Column("reason", "未完成\n原因分析"),
)
MONEY_HEADS = (
    Column("opening", "年初预算数", ("年初预算",)),
    Column("budget", "全年预算数\n（A）", ("全年预算数", "调整后预算数")),
    Column("spent", "全年执行数\n（B）", ("全年执行数", "预算执行数")),
    Column("weight", "分值", ("权重",)),
    Column("rate", "执行率\n（B/A）", ("执行率", "预算执行率")),
    Column("score", "得分"),
)
MONEY_HEADS_101 = (
    Column("opening", "年初预算"), Column("budget", "调整后\n预算数"), Column("spent", "预算\n执行数"),
    Column("rate", "预算\n执行率"), Column("weight", "权重"), Column("score", "得分"), Column("reason", "原因", ("执行率偏低原因",)),
)
# The money block's rows: its total, then the 其中 rows by the key Evaluation.fields keeps them under.
TOTAL, TOTAL_101 = Column("total", "年度资金总额", ("资金总额",)), Column("total", "总额")
PARTS = (Column("fiscal", "其中：本年\n财政拨款", ("其中：当年财政拨款", "其中：财政拨款", "财政拨款")),
         Column("carried", "上年结转资金", ("上年结转",)), Column("other", "其他资金"))
PARTS_101 = (Column("fiscal", "财政资金"), Column("special", "财政专户\n管理资金"), Column("own", "单位资金"), Column("other", "其他资金"))
GOALS = (Column("annual_goal", "预期目标", ("年度目标",)), Column("achieved", "实际完成情况"))
# On paper the 得分 column no longer adds up to 总分 once something is left out: say why.
RESCALED = "总分（不适用的指标不计分，按其余分值折算为100分）"


TEXTS = {"conclusion": "评价结论", "problems": "存在问题", "improvements": "改进措施"}
COMMENT = "财政部门\n审核意见"
HEADING = tuple(column.label for column in HEADS)
HEADING_101 = tuple(column.label for column in HEADS_101)
MONEY_HEADING = tuple(column.label for column in MONEY_HEADS)
PART_LABELS = {column.key: column.label for column in PARTS}
PART_LABELS_101 = {column.key: column.label for column in PARTS_101}
LAYOUT_2019, LAYOUT_101 = "2019", "101"
LAYOUT_NAMES = {LAYOUT_2019: "2019—2022年式", LAYOUT_101: "财预〔2021〕101号式"}
# The target forms (formtemplates codes) a target table made from such a file is filed in, the
# first whose categories hold the file's rows: the forms these layouts evaluate.
TARGET_FORMS = {LAYOUT_2019: ("anhui-2025", "hunan-2021"), LAYOUT_101: ("sichuan-2023",)}
TITLE = "项目支出绩效自评表"


WORDING = Wording(
    name=TITLE,
    short="自评表",
    titles=(r"(?P<year>\d{4})年度?" + TITLE, TITLE + r"(?:(?P<year>\d{4})年度)?"),
    labels=labels_of(("project_name", ("项目名称", "项目支出名称")), ("budget_dept", ("主管部门", "主管部门及代码", "预算部门")),
                     ("implementer", ("实施单位", "项目实施单位")), ("execution_reason", ("执行率偏低原因",)),
                     *((key, (label,)) for key, label in TEXTS.items()), ("comment", (COMMENT,))),
    heads=every_wording(HEADS, HEADS_101),
    money=every_wording(MONEY_HEADS, MONEY_HEADS_101),
    money_rows=labels_of(*((column.key, (column.label, *column.synonyms)) for column in (TOTAL, TOTAL_101, *PARTS, *PARTS_101))),
    goals=GOALS,
    groups=frozenset(labels_of(("", ("项目资金（万元）", "预算执行情况", "年度总体目标", "绩效指标"))).keys()),
    closing=labels_of(("total", ("总分", RESCALED)), ("sum", ("合计",))),
    footers=labels_of(("leader", ("项目负责人",)), ("finance_leader", ("财务负责人",)), ("filler", ("填表人",)),
                      ("phone", ("联系电话",)), ("date", ("填报日期",))),
)


def layout_of(heads: set[str]) -> str:
    """The published layout a file's indicator heads are of: the 101-style one splits its target."""
    return LAYOUT_101 if {"nature", "measure"} & heads else LAYOUT_2019


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
    label spanning its heading and rows), the rows below it, and the lines under the table."""

    title: str
    unit_line: str
    money_note: str
    mark: str | None  # 草稿 / 送审稿 until the bureau approves it: paper outlives the app
    widths: tuple[int, ...]
    head: list[list[Cell]]
    heading: list[Cell]
    body: list[list[Cell]]
    tail: list[list[Cell]]
    block_label: str
    footers: list[tuple[str, str]] = field(default_factory=list)

    @property
    def width(self) -> int:
        return len(self.widths)


def paper(item: Evaluation) -> Paper:
    """The self-evaluation in its published layout: the 101-style form's for a sheet filed in one."""
    outcome = evaluation.result(item)
    sheet = item.sheet
    common = dict(title=f"{TITLE}\n（{sheet.year}年度）", unit_line=f"填报单位：{sheet.unit}（盖章）",
                  money_note="单位：万元", mark=PAPER_MARKS.get(item.status))
    if evaluation.is_101_style(sheet):
        width = len(WIDTHS_101)
        return Paper(
            **common, widths=WIDTHS_101,
            head=[*project_rows(item, width, "实施\n单位"), *money_rows_101(item, outcome), *goal_rows(item, width)],
            heading=[Cell(text, label=True) for text in HEADING_101],
            body=indicator_rows_101(item, outcome, category_cells(item, *CATEGORY_CHARACTERS_101)),
            tail=[*total_rows_101(item, outcome), *text_rows(item, width)], block_label="绩效\n指标\n（90分）",
            footers=[("项目负责人", sheet.written("leader")), ("财务负责人", "")],
        )
    width = len(WIDTHS)
    return Paper(
        **common, widths=WIDTHS,
        head=[*project_rows(item, width), *money_rows(item, outcome), *goal_rows(item, width)],
        heading=[Cell(text, label=True) for text in HEADING],
        body=indicator_rows(item, outcome, category_cells(item, *CATEGORY_CHARACTERS)),
        tail=[total_row(item, outcome, width - 3), *text_rows(item, width)], block_label="绩效\n指标",
    )


def project_rows(item: Evaluation, width: int, implementer: str = "实施单位") -> list[list[Cell]]:
    sheet = item.sheet
    department = (width - 1) // 2 - 1
    return [
        [Cell("项目名称", label=True), Cell(sheet.project_name, span=width - 1)],
        [Cell("主管部门", label=True), Cell(sheet.budget_dept, span=department), Cell(implementer, label=True),
         Cell(sheet.written("implementer") or sheet.unit, span=width - 2 - department)],
    ]


def money_rows(item: Evaluation, outcome: evaluation.Result) -> list[list[Cell]]:
    """项目资金: 年度资金总额 scored (分值 10, 执行率, 得分), its 其中 rows beside it."""
    numbers = outcome.numbers
    reason = item.execution_reason.strip()
    rows = [
        [Cell("", span=2, label=True), *(Cell(text, label=True) for text in MONEY_HEADING)],
        [Cell(TOTAL.label, span=2, label=True), *(_amount(amount) for amount in _total(item)),
         _number(evaluation.RULES.execution_weight), _rate(numbers.rate), _number(numbers.execution)],
    ]
    for part, _ in parts_of(item.sheet):
        amounts = [part_amount(item, part, amount) for amount, _ in AMOUNTS]
        rows.append([Cell(PART_LABELS[part], span=2, label=True), *(_amount(amount) for amount in amounts),
                     Cell("—"), _rate(execution_rate(amounts[1], amounts[2])), Cell("—")])
    if reason:
        rows.append([Cell("执行率偏低原因", span=2, label=True), Cell(reason, span=len(WIDTHS) - 3, long=True)])
    return [[Cell("项目资金\n（万元）", rows=len(rows), label=True), *rows[0]], *rows[1:]]


def money_rows_101(item: Evaluation, outcome: evaluation.Result) -> list[list[Cell]]:
    """预算执行情况（10分）: 总额 scored, with the reason for a low rate in its own column."""
    numbers = outcome.numbers
    opening, budget, spent = _total(item)
    rows = [
        [Cell("", span=2, label=True), Cell(MONEY_HEADS_101[0].label, label=True), Cell(MONEY_HEADS_101[1].label, span=2, label=True),
         *(Cell(column.label, label=True) for column in MONEY_HEADS_101[2:])],
        [Cell(TOTAL_101.label, span=2, label=True), _amount(opening), _amount(budget, span=2), _amount(spent), _rate(numbers.rate),
         _number(evaluation.RULES.execution_weight), _number(numbers.execution), Cell(item.execution_reason, long=True)],
    ]
    for part, _ in parts_of(item.sheet):
        amounts = [part_amount(item, part, amount) for amount, _ in AMOUNTS]
        rows.append([Cell(PART_LABELS_101[part], span=2, label=True), _amount(amounts[0]), _amount(amounts[1], span=2),
                     _amount(amounts[2]), _rate(execution_rate(amounts[1], amounts[2])), Cell("—"), Cell("—"), Cell("")])
    return [[Cell("预算执行\n情况\n（10分）", rows=len(rows), label=True), *rows[0]], *rows[1:]]


def goal_rows(item: Evaluation, width: int) -> list[list[Cell]]:
    half = (width - 1) // 2
    return [
        [Cell("年度总体\n目标", rows=2, label=True), Cell(GOALS[0].label, span=half, label=True),
         Cell(GOALS[1].label, span=width - 1 - half, label=True)],
        [Cell(item.sheet.annual_goal, span=half, long=True), Cell(item.achieved, span=width - 1 - half, long=True)],
    ]


def indicator_rows(item: Evaluation, outcome: evaluation.Result, categories: list[list[Cell]]) -> list[list[Cell]]:
    """The rows in their order (start puts them in the form's category order), 一级 and 二级
    spanning their rows; 一级 says its points ("产出指标（50分）")."""
    points = evaluation.level1_points(item)
    out = []
    for row, scored, cells in zip(item.rows, outcome.rows, categories):
        level1 = row.indicator.level1
        if cells and cells[0].text.replace("\n", "") == level1:
            cells = [replace(cells[0], text=f"{cells[0].text}\n（{format_number(points[level1])}分）"), *cells[1:]]
        out.append([*cells, Cell(row.indicator.name, long=True), Cell(scored.target.written), Cell(row.actual),
                    _number(row.weight), _score(row, scored), Cell(row.reason, long=True)])
    return out


def indicator_rows_101(item: Evaluation, outcome: evaluation.Result, categories: list[list[Cell]]) -> list[list[Cell]]:
    """The rows as the 101-style form has them: the target in its three columns."""
    return [[*cells, Cell(row.indicator.name, long=True), *(Cell(text) for text in target_columns(row)),
             Cell(row.actual), _number(row.weight), _score(row, scored), Cell(row.reason, long=True)]
            for row, scored, cells in zip(item.rows, outcome.rows, categories)]


def target_columns(row) -> tuple[str, str, str]:
    """指标性质, 指标值, 度量单位 as the approved row prints them on a 101-style form: a file's
    cells as written, else its value understood (measures.cells, as the target's print does)."""
    return measures.cells(row.indicator.value, row.indicator.given)


def category_cells(item: Evaluation, level1_characters: int, level2_characters: int) -> list[list[Cell]]:
    """Each row's 一级 and 二级 cells, broken to their columns: at the start of a run of them,
    spanning it; none below."""
    lines = item.sheet.form.label_lines
    level1s = [row.indicator.level1 for row in item.rows]
    categories = [(row.indicator.level1, row.indicator.level2) for row in item.rows]
    cells = []
    for index, (level1, level2) in enumerate(categories):
        row = []
        if (spanned := _run(level1s, index)) is not None:
            row.append(Cell(broken(level1, level1_characters), rows=spanned, label=True))
        if (spanned := _run(categories, index)) is not None:
            row.append(Cell(broken("\n".join(lines.get(level2, (level2,))), level2_characters), rows=spanned, label=True))
        cells.append(row)
    return cells


def broken(label: str, characters: int) -> str:
    """A category label as the paper breaks it to fit its column: at the form's own breaks, then
    before its closing 指标 ("经济效益\n指标", as the forms break "产出\n指标"), and only then
    wherever the column ends: never inside a word while a break between words will do."""
    out = []
    for line in label.split("\n"):
        words = [line[:-2], "指标"] if len(line) > characters and line.endswith("指标") and len(line) > 2 else [line]
        for word in words:
            out.extend(word[start:start + characters] for start in range(0, len(word), characters))
    return "\n".join(out)


def _run(keys: list, start: int) -> int | None:
    """How many rows from start have its key (its 一级, or its category), when a run of them
    starts there; None when it is covered by a run from above."""
    if start and keys[start - 1] == keys[start]:
        return None
    count = 1
    while start + count < len(keys) and keys[start + count] == keys[start]:
        count += 1
    return count


def total_row(item: Evaluation, outcome: evaluation.Result, label_span: int) -> list[Cell]:
    numbers = outcome.numbers
    rescaled = numbers.rate is None or not all(row.applicable for row in item.rows)
    return [Cell(RESCALED if rescaled else "总分", span=label_span, label=True), _number(evaluation.RULES.total),
            _number(numbers.total), Cell(f"等级：{numbers.grade or ''}")]


def total_rows_101(item: Evaluation, outcome: evaluation.Result) -> list[list[Cell]]:
    """合计 of the indicators (their 权重 and 得分 as they stand), then 总分 with 预算执行 and the grade."""
    weights = sum((row.weight for row in item.rows), Decimal(0))
    scores = sum((scored.score or 0 for scored in outcome.rows), Decimal(0))
    label_span = len(WIDTHS_101) - 3
    return [[Cell("合计", span=label_span, label=True), _number(weights), _number(scores), Cell("")],
            total_row(item, outcome, label_span)]


def text_rows(item: Evaluation, width: int) -> list[list[Cell]]:
    return [*([Cell(label, label=True), Cell(getattr(item, key), span=width - 1, long=True)] for key, label in TEXTS.items()),
            [Cell(COMMENT, label=True), Cell(item.review_comment, span=width - 1, long=True)]]


def _total(item: Evaluation) -> list[Decimal | None]:
    return [getattr(item, TOTAL_COLUMNS[amount]) for amount, _ in AMOUNTS]


def _score(row, scored) -> Cell:
    return _number(scored.score) if row.applicable else Cell(NOT_APPLICABLE)


def _amount(amount: Decimal | None, span: int = 1) -> Cell:
    return Cell(format_number(amount), span=span, number=amount)


def _number(number: Decimal | None) -> Cell:
    return Cell(format_number(number), number=number)


def _rate(rate: Decimal | None) -> Cell:
    return Cell(format_rate(rate), number=rate, percent=True)
