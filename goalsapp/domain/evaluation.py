"""The year-end self-evaluation (项目支出绩效自评表, 财预〔2020〕10号) of an approved sheet.

It starts from the approved target: a row for each indicator in its order, weights spread by
scoring.py, the budget from the sheet's. Everything it shows is computed by scoring.py from
what is typed (each row's 得分, 执行率 and its 得分, 总分, the grade), never stored; and it is
checked by the rules here, in review.py's style and with its Finding and Report.

The functions read anything shaped like an Evaluation: a stored one, or one as the clerk has
typed it but not saved (Draft), so the editor shows the score of what is on the screen.
"""
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from ..extensions import db
from . import history, limits, measures, scoring
from .errors import ReadError
from .models import SCORE_TEXT, Evaluation, EvaluationRow, GoalSheet, Indicator, Status, User
from .review import DEFAULT_SETTINGS, Finding, Level, Report, not_applicable, target_measure
from .values import parse_money
from .wording import matched_by_name, name_key

RULES = scoring.DEFAULT_RULES
BANDS = tuple(band.name for band in RULES.qualitative_bands)

# The money block's rows under its total, by the keys Evaluation.fields keeps their amounts
# under ("fiscal:budget"; the total's own amounts are columns of their own), as each published
# form names them: the 2019–22 form's, and the 101-style form's (Sichuan 2023).
PARTS = (("fiscal", "其中：本年财政拨款"), ("carried", "上年结转资金"), ("other", "其他资金"))
PARTS_101 = (("fiscal", "财政资金"), ("special", "财政专户管理资金"), ("own", "单位资金"), ("other", "其他资金"))
ALL_PARTS = tuple(dict.fromkeys(part for part, _ in (*PARTS, *PARTS_101)))
AMOUNTS = (("opening", "年初预算数"), ("budget", "全年预算数"), ("spent", "全年执行数"))
TOTAL_COLUMNS = {"opening": "opening_budget", "budget": "budget", "spent": "spent"}
# A target form's own amounts that are the 其中 rows' 年初预算数 (Anhui, Sichuan, Hubei).
PART_FIELDS = {"fiscal": "fiscal_funds", "carried": "carried_over", "other": "other_funds"}
TEXTS = (("execution_reason", "执行率偏低原因"), ("achieved", "实际完成情况"), ("conclusion", "评价结论"),
         ("problems", "存在问题"), ("improvements", "改进措施"))
# Scores a file wrote for the whole table, kept in Evaluation.fields to be checked.
WRITTEN_EXECUTION, WRITTEN_TOTAL, WRITTEN_GRADE = "execution_score", "total", "grade"

ACTIONS = {
    "start_evaluation": "开始年度自评",
    "update_evaluation": "修改自评表",
    "update_evaluation_row": "修改自评指标",
    "import_evaluation": "导入自评表",
}


class EvaluationRefused(Exception):
    """A self-evaluation that cannot be started or changed so, said in Chinese."""


# --- starting ------------------------------------------------------------------------------


def evaluation_of(sheet: GoalSheet) -> Evaluation | None:
    return db.session.scalars(select(Evaluation).where(Evaluation.sheet_id == sheet.id)).first()


def is_101_style(sheet: GoalSheet) -> bool:
    """A sheet filed in a 101-style form (指标性质, 指标值, 度量单位 columns) is evaluated in that style too."""
    return sheet.form.splits_value


def parts_of(sheet: GoalSheet) -> tuple[tuple[str, str], ...]:
    """The money block's rows under its total, as the sheet's self-evaluation form has them."""
    return PARTS_101 if is_101_style(sheet) else PARTS


def may_start(sheet: GoalSheet) -> bool:
    """Only an approved target is the yardstick: a draft's rows may still change."""
    return sheet.status == Status.APPROVED


def start(sheet: GoalSheet, user: User | None) -> Evaluation:
    """The sheet's self-evaluation, made now from its approved rows if it has none yet (the
    caller commits; two started at once meet on the unique sheet_id, and the later one fails)."""
    if not may_start(sheet):
        raise EvaluationRefused(f"目标表审核通过后才能开始年度自评（这张表现在是“{sheet.status}”）。")
    if (found := evaluation_of(sheet)) is not None:
        return found
    evaluation = made(sheet)
    db.session.add(evaluation)
    history.record(evaluation, user, "start_evaluation")
    return evaluation


def made(sheet: GoalSheet) -> Evaluation:
    """A new self-evaluation of the sheet, not yet in the session: a row for each indicator in
    the form's order, the weights spread by scoring.py, the budget the sheet's."""
    budget = total_budget(sheet)
    indicators = in_form_order(sheet)
    weights = scoring.default_weights([(row.level1, row.level2) for row in indicators], RULES)
    return Evaluation(
        sheet=sheet, status=Status.DRAFT, opening_budget=budget, budget=budget, spent=None, fields=opening_parts(sheet),
        review_comment="", **{key: "" for key, _ in TEXTS},
        rows=[EvaluationRow(indicator=indicator, position=number, weight=weight, actual="", band="", chosen=None, reason="",
                            written_score="", applicable=not not_applicable(indicator, DEFAULT_SETTINGS))
              for number, (indicator, weight) in enumerate(zip(indicators, weights), start=1)],
    )


def in_form_order(sheet: GoalSheet) -> list[Indicator]:
    """The sheet's rows as its form prints them: by category, then as entered (a row added later
    to an earlier category still prints under it)."""
    place = {pair: number for number, pair in enumerate(sheet.form.framework.pairs())}
    return sorted(sheet.indicators, key=lambda row: (place.get((row.level1, row.level2), len(place)), row.position))


def total_budget(sheet: GoalSheet) -> Decimal | None:
    """The year's money for the project as the target gave it: its budget and any higher-level funds."""
    if sheet.local_budget is None:
        return None
    return sheet.local_budget + (sheet.higher_funds or 0)


def opening_parts(sheet: GoalSheet) -> dict[str, str]:
    """The 其中 rows' 年初预算数 a target form gave (财政拨款, 上年结转, 其他资金), as amounts in 万元."""
    parts = {}
    for part, key in PART_FIELDS.items():
        try:
            amount = parse_money(sheet.written(key), sheet.money_unit)
        except ValueError:
            amount = None  # review of the target has said so; the clerk types it here
        if amount is not None:
            parts[f"{part}:opening"] = format_amount(amount)
    return parts


# --- what is typed, before it is saved -----------------------------------------------------


class RowLike(Protocol):
    indicator: Indicator
    position: int
    weight: Decimal
    actual: str
    applicable: bool
    band: str
    chosen: Decimal | None
    reason: str
    written_score: str


class EvaluationLike(Protocol):
    sheet: GoalSheet
    opening_budget: Decimal | None
    budget: Decimal | None
    spent: Decimal | None
    execution_reason: str
    achieved: str
    conclusion: str
    problems: str
    improvements: str
    fields: dict | None
    rows: Sequence[RowLike]


@dataclass(frozen=True)
class RowDraft:
    """A row as typed: what the scoring and the rules read, not yet saved."""

    indicator: Indicator
    position: int
    weight: Decimal = Decimal(0)
    actual: str = ""
    applicable: bool = True
    band: str = ""
    chosen: Decimal | None = None
    reason: str = ""
    written_score: str = ""
    id: int | None = None  # the stored row it changes


@dataclass(frozen=True)
class Draft:
    """A self-evaluation as typed (the stored one with the typing over it)."""

    sheet: GoalSheet
    opening_budget: Decimal | None = None
    budget: Decimal | None = None
    spent: Decimal | None = None
    execution_reason: str = ""
    achieved: str = ""
    conclusion: str = ""
    problems: str = ""
    improvements: str = ""
    fields: dict = field(default_factory=dict)
    rows: tuple[RowDraft, ...] = ()

    def written(self, key: str) -> str:
        return self.fields.get(key, "")


ROW_VALUES = ("weight", "actual", "applicable", "band", "chosen", "reason", "written_score")
HEADER_VALUES = ("opening_budget", "budget", "spent", *(key for key, _ in TEXTS))


def draft_of(evaluation: EvaluationLike) -> Draft:
    """A stored self-evaluation as a Draft, for typing to be laid over."""
    rows = tuple(RowDraft(row.indicator, row.position, id=getattr(row, "id", None),
                          **{key: getattr(row, key) for key in ROW_VALUES}) for row in evaluation.rows)
    return Draft(evaluation.sheet, fields=dict(evaluation.fields or {}), rows=rows,
                 **{key: getattr(evaluation, key) for key in HEADER_VALUES})


TYPED_ROW_VALUES = tuple(key for key in ROW_VALUES if key != "written_score")
WRITTEN_TOTALS = (WRITTEN_EXECUTION, WRITTEN_TOTAL, WRITTEN_GRADE)


def forget_written(stored: Draft, typed: Draft) -> Draft:
    """A file's scores speak for the file's numbers: a row typed over loses its written 得分,
    and any change loses the written 预算执行率得分, 总分 and 等级 (review checks them no more)."""
    rows = tuple(row if _values(row, TYPED_ROW_VALUES) == _values(before, TYPED_ROW_VALUES) else replace(row, written_score="")
                 for row, before in zip(typed.rows, stored.rows))
    changed = rows != typed.rows or _values(typed, HEADER_VALUES) != _values(stored, HEADER_VALUES) or \
        without_written_totals(typed.fields) != without_written_totals(stored.fields)
    return replace(typed, rows=rows, fields=without_written_totals(typed.fields) if changed else typed.fields)


def without_written_totals(fields: dict) -> dict:
    return {key: text for key, text in fields.items() if key not in WRITTEN_TOTALS}


def _values(item, keys: Sequence[str]) -> tuple:
    return tuple(getattr(item, key) for key in keys)


def apply_header(evaluation: Evaluation, draft: Draft) -> None:
    """The money block and the texts, as typed, onto the stored self-evaluation."""
    for key in HEADER_VALUES:
        setattr(evaluation, key, getattr(draft, key))
    evaluation.fields = dict(draft.fields)


def apply_row(row: EvaluationRow, typed: RowDraft) -> None:
    for key in ROW_VALUES:
        setattr(row, key, getattr(typed, key))


# --- the scores ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RowResult:
    score: Decimal | None  # None: not applicable, or nothing to score yet
    target: measures.Measure
    explanation: str | None = None  # why the row needs 偏差原因分析 (scoring.explanations_needed)


@dataclass(frozen=True)
class Result:
    """What the form shows computed: each row's 得分, 执行率 and its 得分, the weights' sum, 总分, grade."""

    numbers: scoring.Evaluation
    rows: tuple[RowResult, ...]
    weight_sum: Decimal  # the rows' 分值 and 预算执行率's 10

    @property
    def weights_add_up(self) -> bool:
        return self.weight_sum == RULES.total


def result(evaluation: EvaluationLike) -> Result:
    """Every number of the form, from scoring.py."""
    scored = [scoring_row(row) for row in evaluation.rows]
    numbers = scoring.evaluate(evaluation.budget, evaluation.spent, scored, RULES)
    needs = {explanation.row: explanation.reason for explanation in numbers.explanations}
    rows = tuple(RowResult(score, row.target, needs.get(index)) for index, (score, row) in enumerate(zip(numbers.scores, scored)))
    weight_sum = sum((row.weight for row in evaluation.rows), Decimal(0)) + RULES.execution_weight
    return Result(numbers, rows, weight_sum)


def scoring_row(row: RowLike) -> scoring.Row:
    """The row as scoring.py reads it. A 定性 row is scored by its band only while its score lies
    in the band: otherwise (the weight changed under it) it has no score until it is set again,
    and review says so."""
    target = target_of(row)
    band, chosen = ("", None) if target.quantitative else (row.band, row.chosen)
    if band and why_out_of_band(band, chosen, row.weight) is not None:
        band, chosen = "", None
    return scoring.Row(target, measures.parse(row.actual or ""), row.weight, row.applicable, band, chosen)


def target_of(row: RowLike) -> measures.Measure:
    """年度指标值 understood, as the approved target row has it (review.py reads it the same way)."""
    return target_measure(row.indicator, DEFAULT_SETTINGS)


def why_out_of_band(band: str, chosen: Decimal | None, weight: Decimal) -> str | None:
    """What is wrong with a 定性 row's band or the score picked in it (None: nothing)."""
    if band not in BANDS:
        return f"评价等级“{band}”应为{'、'.join(BANDS)}之一"
    low, high = scoring.band_limits(band, weight, RULES)
    if chosen is not None and not low <= chosen <= high:
        return f"“{band}”的得分应在{format_number(low)}至{format_number(high)}分之间"
    return None


def level1_points(evaluation: EvaluationLike) -> dict[str, Decimal]:
    """Each 一级指标's points as the form prints them ("产出指标（50分）"): its rows' 分值."""
    points: dict[str, Decimal] = {}
    for row in evaluation.rows:
        points[row.indicator.level1] = points.get(row.indicator.level1, Decimal(0)) + row.weight
    return points


# --- review --------------------------------------------------------------------------------

Rule = Callable[[EvaluationLike, Result], Iterable[Finding]]


def money_given(evaluation: EvaluationLike, outcome: Result) -> Iterable[Finding]:
    """执行率 needs both amounts; nothing budgeted leaves it out of the total (said, not blocked)."""
    if evaluation.budget is None:
        yield Finding("money_given", Level.BLOCKING, "请填写全年预算数（A）", field="budget")
    elif evaluation.budget == 0:
        yield Finding("money_given", Level.WARNING, "全年预算数为0：预算执行率不计分，总分按其余各项折算", field="budget")
    if evaluation.spent is None:
        yield Finding("money_given", Level.BLOCKING, "请填写全年执行数（B）", field="spent")


def execution_explained(evaluation: EvaluationLike, outcome: Result) -> Iterable[Finding]:
    """An execution rate under 90% is explained (the 101-style form's 原因, ≤100字): blocking, as
    the bureau returns a table without it."""
    if outcome.numbers.execution_needs_reason and not blank_free(evaluation.execution_reason):
        rate = format_rate(outcome.numbers.rate)
        yield Finding("execution_explained", Level.BLOCKING, f"预算执行率{rate}，低于90%，请说明原因", field="execution_reason")


def parts_add_up(evaluation: EvaluationLike, outcome: Result) -> Iterable[Finding]:
    """The 其中 rows, where any are given, add up to 年度资金总额 in each column."""
    for amount, label in AMOUNTS:
        parts = [part_amount(evaluation, part, amount) for part, _ in parts_of(evaluation.sheet)]
        whole = getattr(evaluation, TOTAL_COLUMNS[amount])
        given = [part for part in parts if part is not None]
        if given and whole is not None and sum(given) != whole:
            yield Finding("parts_add_up", Level.WARNING,
                          f"{label}：其中各项合计{format_amount(sum(given))}万元，与年度资金总额{format_amount(whole)}万元不符",
                          field=TOTAL_COLUMNS[amount])


def weights_add_up(evaluation: EvaluationLike, outcome: Result) -> Iterable[Finding]:
    """The 分值 make 100 with 预算执行率's 10: else the scores mean nothing (blocking)."""
    if evaluation.rows and not outcome.weights_add_up:
        rows = outcome.weight_sum - RULES.execution_weight
        yield Finding("weights_add_up", Level.BLOCKING,
                      f"各指标分值合计{format_number(rows)}分，加预算执行率{format_number(RULES.execution_weight)}分共"
                      f"{format_number(outcome.weight_sum)}分，应为{format_number(RULES.total)}分", field="weights")


def rows_scored(evaluation: EvaluationLike, outcome: Result) -> Iterable[Finding]:
    """Every row that applies has what its score needs: an actual value comparable with its
    target, or for a 定性 target a band (and a score inside it)."""
    for row, scored in zip(evaluation.rows, outcome.rows):
        if not row.applicable or scored.score is not None:
            continue
        yield Finding("rows_scored", Level.BLOCKING, why_unscored(row, scored.target), indicator=row.indicator)


def why_unscored(row: RowLike, target: measures.Measure) -> str:
    if not target.quantitative:
        return "请选择评价等级" if not row.band else why_out_of_band(row.band, row.chosen, row.weight) or "请选择评价等级"
    if not blank_free(row.actual):
        return "请填写实际完成值"
    actual = measures.parse(row.actual)
    if actual.number is None:
        return f"实际完成值“{row.actual}”没有数字，无法与年度指标值“{target.written}”比较"
    return f"实际完成值的单位“{actual.unit}”与年度指标值“{target.written}”的不同，无法比较"


def deviations_explained(evaluation: EvaluationLike, outcome: Result) -> Iterable[Finding]:
    """A row below full marks, or at 130% of its target or more, says why (偏差原因分析及改进
    措施). Blocking: the form's column exists for exactly these rows, and financial review
    returns a table that leaves a deviation unexplained, so it is asked for before submitting."""
    for row, scored in zip(evaluation.rows, outcome.rows):
        if scored.explanation and not blank_free(row.reason):
            yield Finding("deviations_explained", Level.BLOCKING, f"{scored.explanation}，请填写偏差原因分析及改进措施",
                          indicator=row.indicator)


def written_scores_agree(evaluation: EvaluationLike, outcome: Result) -> Iterable[Finding]:
    """Scores a file wrote, checked against the rules: which, what the file says, what the rules give."""
    for row, scored in zip(evaluation.rows, outcome.rows):
        if row.written_score and row.applicable and not _same_number(row.written_score, scored.score):
            yield Finding("written_scores_agree", Level.WARNING,
                          f"文件写的得分是“{row.written_score}”，按评分规则应为{format_score(scored.score)}", indicator=row.indicator)
    numbers = outcome.numbers
    for key, label, computed in ((WRITTEN_EXECUTION, "预算执行率得分", numbers.execution), (WRITTEN_TOTAL, "总分", numbers.total)):
        written = (evaluation.fields or {}).get(key, "")
        if written and not _same_number(written, computed):
            yield Finding("written_scores_agree", Level.WARNING, f"文件写的{label}是“{written}”，按评分规则应为{format_score(computed)}")
    written = (evaluation.fields or {}).get(WRITTEN_GRADE, "")
    if written and written != (numbers.grade or ""):
        yield Finding("written_scores_agree", Level.WARNING, f"文件写的等级是“{written}”，按评分规则应为“{numbers.grade or '（无）'}”")


def target_approved(evaluation: EvaluationLike, outcome: Result) -> Iterable[Finding]:
    """The approved target is the yardstick: a self-evaluation imported with a target the file
    made (or onto one not yet approved) waits for the bureau to approve the target first."""
    if evaluation.sheet.status != Status.APPROVED:
        yield Finding("target_approved", Level.BLOCKING, f"目标表现在是“{evaluation.sheet.status}”：目标表审核通过后才能提交自评表")


def texts_given(evaluation: EvaluationLike, outcome: Result) -> Iterable[Finding]:
    if not blank_free(evaluation.achieved):
        yield Finding("texts_given", Level.WARNING, "请填写年度总体目标的实际完成情况", field="achieved")
    if not blank_free(evaluation.conclusion):
        yield Finding("texts_given", Level.WARNING, "请填写评价结论", field="conclusion")


RULES_IN_ORDER: tuple[Rule, ...] = (
    target_approved, money_given, execution_explained, parts_add_up, weights_add_up, rows_scored, deviations_explained,
    written_scores_agree, texts_given,
)


def review(evaluation: EvaluationLike, outcome: Result | None = None) -> Report:
    """Every finding for the self-evaluation, blocking first."""
    outcome = outcome or result(evaluation)
    findings = [finding for rule in RULES_IN_ORDER for finding in rule(evaluation, outcome)]
    return Report(sorted(findings, key=lambda finding: finding.level != Level.BLOCKING))


# --- saving, recorded ----------------------------------------------------------------------


def save_header(evaluation: Evaluation, typed: Draft, user: User | None) -> None:
    def apply() -> None:
        apply_header(evaluation, typed)
        moved_on(evaluation)

    history.change(evaluation, user, "update_evaluation", lambda: header_snapshot(evaluation), apply)


def save_row(evaluation: Evaluation, row: EvaluationRow, typed: RowDraft, user: User | None) -> None:
    def apply() -> None:
        if _values(row, TYPED_ROW_VALUES) != _values(typed, TYPED_ROW_VALUES):
            evaluation.fields = without_written_totals(evaluation.fields or {})
        apply_row(row, typed)
        moved_on(evaluation)

    history.change(evaluation, user, "update_evaluation_row", lambda: row_snapshot(row), apply)


def save_all(evaluation: Evaluation, typed: Draft, user: User | None, action: str = "update_evaluation") -> None:
    """The whole form at once (a plain post, a submit, an import): one event with every change."""
    def apply() -> None:
        apply_header(evaluation, typed)
        for row, row_typed in zip(evaluation.rows, typed.rows):
            apply_row(row, row_typed)
        moved_on(evaluation)

    history.change(evaluation, user, action, lambda: snapshot(evaluation), apply)


def moved_on(evaluation: Evaluation) -> None:
    """Every save moves the self-evaluation's version, a save of one row alone too (its table's
    row is written again): a page that began from an older version then saves into a conflict,
    not over what someone (or the same clerk in another window) stored meanwhile."""
    flag_modified(evaluation, "fields")


def conflicting(evaluation: Evaluation, typed: Draft) -> list[list[str]]:
    """What a page begun from an older version would change of the stored table, [what, stored,
    typed]: someone's save meanwhile and this page's own typing alike, for the clerk to check."""
    return history.changes(snapshot(evaluation), snapshot(typed))


def snapshot(evaluation: EvaluationLike) -> dict[str, str]:
    return header_snapshot(evaluation) | {key: text for row in evaluation.rows for key, text in row_snapshot(row).items()}


def header_snapshot(evaluation: EvaluationLike) -> dict[str, str]:
    """The money block and the texts as a reader sees them, for the history."""
    money = {f"年度资金总额·{label}": format_amount(getattr(evaluation, TOTAL_COLUMNS[amount]))
             for amount, label in AMOUNTS}
    parts = {f"{part_label}·{label}": (evaluation.fields or {}).get(f"{part}:{amount}", "")
             for part, part_label in parts_of(evaluation.sheet) for amount, label in AMOUNTS}
    return money | parts | {label: getattr(evaluation, key) for key, label in TEXTS}


SHORT_NAME = 16  # of a 三级指标 in the history: enough to tell rows apart


def row_snapshot(row: RowLike) -> dict[str, str]:
    name = row.indicator.name
    label = f"第{row.position}行“{name[:SHORT_NAME]}{'…' if len(name) > SHORT_NAME else ''}”"
    return {
        f"{label}实际完成值": row.actual,
        f"{label}分值": format_number(row.weight),
        f"{label}不适用": "是" if not row.applicable else "",
        f"{label}评价等级": row.band,
        f"{label}等级内得分": format_number(row.chosen),
        f"{label}偏差原因分析及改进措施": row.reason,
        f"{label}文件所写得分": row.written_score,
    }


# --- how numbers read ----------------------------------------------------------------------


def part_amount(evaluation: EvaluationLike, part: str, amount: str) -> Decimal | None:
    """A 其中 row's amount, kept as written in 万元 (start and the forms keep it a plain amount)."""
    try:
        return parse_money((evaluation.fields or {}).get(f"{part}:{amount}", ""))
    except ValueError:
        return None


def part_rate(evaluation: EvaluationLike, part: str) -> Decimal | None:
    """A 其中 row's own 执行率, shown beside it (only 年度资金总额's is scored)."""
    return scoring.execution_rate(part_amount(evaluation, part, "budget"), part_amount(evaluation, part, "spent"))


def format_number(number: Decimal | None) -> str:
    """A weight or score as the tables print them: 7.2, 10, 95.67; nothing for none."""
    if number is None:
        return ""
    return format(number.normalize(), "f")


def format_score(score: Decimal | None) -> str:
    return format_number(score) if score is not None else "（无法计分）"


def format_amount(amount: Decimal | None) -> str:
    return format_number(amount)


def format_rate(rate: Decimal | None) -> str:
    """执行率 as printed: 95.67%."""
    return "" if rate is None else f"{format_number(rate * 100)}%"


def blank_free(text: str | None) -> str:
    """A text without its blanks ("" for none: a row not yet stored has no defaults)."""
    return (text or "").strip()


def _same_number(written: str, computed: Decimal | None) -> bool:
    number = measures.parse_number(written.removesuffix("分"))
    return computed is not None and number is not None and number == computed


# --- from a file ---------------------------------------------------------------------------


def from_file(item: EvaluationLike, read, source: str, notes: list[str] | None = None) -> Draft:
    """The self-evaluation as a file has it (formats.documents.FileDocument), laid over this one
    (stored, or made and not yet stored): each of the file's rows onto the row of the same 三级指标
    (the n-th of a name onto the n-th), a row the file leaves out kept as it is, what the file
    leaves out of the header too. Every cell is checked first, and the file is refused with each
    bad cell named (ReadError), or taken whole. The scores it wrote are kept as written, for
    review to check against the rules; a 定性 row's score also gives its band. Where the file's
    年度指标值 is not the target's, notes (for the preview) say so: the target's is the yardstick."""
    problems: list[str] = []
    draft = draft_of(item)
    header = _header_from_file(read, draft, problems)
    rows = _rows_from_file(read, draft, problems, notes if notes is not None else [])
    if problems:
        shown = problems[:FILE_PROBLEMS_SHOWN]
        more = f"；另有{len(problems) - len(shown)}处" if len(problems) > len(shown) else ""
        raise ReadError(source, read.place, "；".join(shown) + more + "。没有导入任何内容")
    return replace(header, rows=tuple(rows))


FILE_PROBLEMS_SHOWN = 10


# The money block's cells that are the whole table's: 年度资金总额's 得分 is 预算执行率's, and the
# 101-style form's 原因 beside it says why the rate is low.
TOTAL_CELLS = {"total:score": WRITTEN_EXECUTION, "total:reason": "execution_reason"}


def _header_from_file(read, draft: Draft, problems: list[str]) -> Draft:
    """The money block, the texts and the scores written for the whole table; what the file has
    no cell for stays as it is."""
    cells = read.cells | {alias: read.cells[key] for key, alias in TOTAL_CELLS.items() if key in read.cells and alias not in read.cells}
    values = {column: _file_amount(read, f"total:{amount}", problems, getattr(draft, column))
              for amount, column in TOTAL_COLUMNS.items()}
    fields = dict(draft.fields)
    for part in ALL_PARTS:
        for amount, _ in AMOUNTS:
            if f"{part}:{amount}" in cells:
                fields[f"{part}:{amount}"] = format_amount(_file_amount(read, f"{part}:{amount}", problems))
    fields |= {key: cells[key].text.strip() if key in cells else "" for key in WRITTEN_TOTALS}
    for key, label in TEXTS:
        values[key] = cells[key].text if key in cells else getattr(draft, key)
        _within(cells.get(key), label, TEXT_LIMITS[key], problems)
    for key in WRITTEN_TOTALS:
        _within(cells.get(key), "得分", SCORE_TEXT, problems)
    return replace(draft, fields={key: text for key, text in fields.items() if text}, **values)


TEXT_LIMITS = {"execution_reason": limits.EXECUTION_REASON, "achieved": limits.GOAL_TEXT, "conclusion": limits.EVALUATION_TEXT,
               "problems": limits.EVALUATION_TEXT, "improvements": limits.EVALUATION_TEXT}


def _rows_from_file(read, draft: Draft, problems: list[str], notes: list[str]) -> list[RowDraft]:
    """Each row as the file has it, matched by its 三级指标; a row of the file the target has not is a problem."""
    rows = list(draft.rows)
    for index, line in matched_by_name(range(len(rows)), lambda index: rows[index].indicator.name, read.rows,
                                       draft.sheet.project_name, problems):
        rows[index] = _row_from_file(rows[index], line, problems, notes)
    return rows


def _row_from_file(row: RowDraft, line, problems: list[str], notes: list[str]) -> RowDraft:
    weight = _file_points(line.cells.get("weight"), problems)
    weight = row.weight if weight is None else weight
    score_cell = line.cells.get("score")
    score = score_cell.text.strip() if score_cell else ""
    applicable = NOT_APPLICABLE not in (score, line.text("actual").strip()) and (row.applicable or bool(score))
    band, chosen = "", None
    if applicable and score and not target_of(row).quantitative:
        band, chosen = _file_band(score_cell, weight, problems)
    _within(line.cells.get("actual"), "实际完成值", limits.INDICATOR_VALUE, problems)
    _within(line.cells.get("reason"), "偏差原因分析及改进措施", limits.EVALUATION_TEXT, problems)
    _within(score_cell, "得分", SCORE_TEXT, problems)
    if (written := file_target(line)) and measures.parse(written) != target_of(row) and \
            name_key(written) != name_key(target_of(row).written):
        notes.append(f"“{row.indicator.name}”：文件的年度指标值是“{written}”，目标表是“{target_of(row).written}”，按目标表计分")
    actual = "" if line.text("actual").strip() == NOT_APPLICABLE else line.text("actual")
    return replace(row, weight=weight, actual=actual, applicable=applicable, band=band, chosen=chosen,
                   reason=line.text("reason"), written_score=score if applicable else "")


def file_target(line) -> str:
    """年度指标值 as the file writes it: one cell, or a 101-style form's 指标性质, 指标值 and 度量单位 as one."""
    if line.text("nature").strip() or line.text("measure").strip():
        return measures.written(measures.from_parts(line.text("nature"), line.text("target"), line.text("measure")))
    return line.text("target").strip()


NOT_APPLICABLE = "不适用"  # as evaluation_layout prints a row left out, in its 得分


def _file_band(cell, weight: Decimal, problems: list[str]) -> tuple[str, Decimal | None]:
    """A 定性 row's band, from the score the file gave it."""
    score = measures.parse_number(cell.text.removesuffix("分"))
    found = scoring.band_of(score, weight, RULES) if score is not None else None
    if found is None:
        problems.append(f"{cell.where}的得分“{cell.text}”应为0至{format_number(weight)}之间的数字")
        return "", None
    return found.name, score


def _file_amount(read, key: str, problems: list[str], absent: Decimal | None = None) -> Decimal | None:
    """An amount of the file's, in 万元 (a file in 元 says so above its table); absent when it has no such cell."""
    if key not in read.cells:
        return absent
    cell = read.cells[key]
    if not cell.text.strip() or cell.text.strip() in PLACEHOLDERS:
        return None
    try:
        amount = parse_money(cell.text, read.money_unit or "万元")
    except ValueError as error:
        problems.append(f"{cell.where}：{error}")
        return None
    if amount is not None and amount < 0:
        problems.append(f"{cell.where}：金额不能为负数")
        return None
    return amount


PLACEHOLDERS = ("—", "-", "/")  # a cell the form leaves without an amount


def _file_points(cell, problems: list[str]) -> Decimal | None:
    """分值 as the file wrote it; None when it wrote none (the row keeps its own)."""
    if cell is None or not cell.text.strip() or cell.text.strip() in PLACEHOLDERS:
        return None
    number = measures.parse_number(cell.text.removesuffix("分"))
    if number is None or not 0 <= number <= 100 or number != number.quantize(Decimal("0.01")):
        problems.append(f"{cell.where}的分值“{cell.text}”应为0至100之间、最多两位小数的数字")
        return None
    return number


def _within(cell, label: str, characters: int, problems: list[str]) -> None:
    if cell is not None and len(cell.text) > characters:
        problems.append(f"{cell.where}的{label}超过{characters}个字（现有{len(cell.text)}个）")
