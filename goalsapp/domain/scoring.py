"""Year-end self-evaluation scores (项目支出绩效自评, 财预〔2020〕10号) as data and pure functions.

Every number is a setting (ScoringRules); the functions take plain values (Decimal, measures.Measure)
and return Decimal scores rounded to 0.01 with ROUND_HALF_UP, as the published tables print them.
The scheme, from domain.md ("The lifecycle after the target table"):

- 预算执行率 10 points: 执行率 (全年执行数 B / 全年预算数 A) × 10, never above 10.
- The indicators 90: 产出 50, 效益 30, 满意度 10, spread over the rows (editable; must add up).
- A row: ≥ full when the actual reaches the target, else in proportion; ≤ full when under the
  ceiling, else one of two published variants; ＝ like ≥ except at zero; 定性 a band the filler
  picks and a score inside it.
- Rows that do not apply are left out and the total rescaled to 100; grades 优/良/中/差.

No model, no request: the self-evaluation document, its review and its import all call these.
"""
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from enum import StrEnum

from . import measures
from .measures import AT_LEAST, AT_MOST, EQUAL, LESS_THAN, MORE_THAN, Measure

D = Decimal
CENT = D("0.01")  # scores to two places
RATE_PLACES = D("0.0001")  # 执行率 as a fraction to 0.01%, as printed ("95.67%")

OUTPUT, EFFECT, SATISFACTION = "产出指标", "效益指标", "满意度指标"


class Reverse(StrEnum):
    """The two ways in use of scoring a ≤ target that was overshot (B > A)."""

    RATIO = "ratio"  # A/B × weight
    LINEAR = "linear"  # (1 − (B−A)/A) × weight, 0 from B = 2A


@dataclass(frozen=True)
class Band:
    """A 定性 band: the share of the row's weight (low and high both allowed) its score lies in."""

    name: str
    low: Decimal
    high: Decimal


@dataclass(frozen=True)
class Grade:
    name: str
    low: Decimal  # the lowest total that earns it


@dataclass(frozen=True)
class ScoringRules:
    """What a province may set differently; change here, not in the functions."""

    total: Decimal = D(100)
    execution_weight: Decimal = D(10)
    # The indicators' points by group, in the order the self-evaluation prints them.
    group_points: tuple[tuple[str, Decimal], ...] = ((OUTPUT, D(50)), (EFFECT, D(30)), (SATISFACTION, D(10)))
    # Each framework's level-1 names (frameworks.py) in a group. 成本指标, a level-1 of its own
    # since 财预〔2021〕101号, shares 产出's 50 with the output rows: it was a level-2 of 产出 in
    # every earlier framework, the self-evaluation forms print no points of its own for it, and
    # so a sheet scores the same whichever of the two frameworks it was written in.
    level1_groups: tuple[tuple[str, str], ...] = (
        ("产出指标", OUTPUT), ("成本指标", OUTPUT), ("预期产出指标", OUTPUT),
        ("效益指标", EFFECT), ("效果指标", EFFECT), ("满意度指标", SATISFACTION),
    )
    # 满意度 as a level-2 under 效益 (Hunan, Guangdong) still earns 满意度's points, as in the
    # self-evaluation forms, which all print 满意度指标 as a level-1 of its own.
    satisfaction_level2: tuple[str, ...] = ("社会公众或服务对象满意度指标", "服务对象满意度指标")
    # Default weights are multiples of this: one decimal keeps seven rows of 50 near-equal
    # (7.2 7.2 7.2 7.1 7.1 7.1 7.1) where whole points would give one row 8 and six 7.
    weight_step: Decimal = D("0.1")
    # A/B is the simpler and the more common in county practice; a province that uses the
    # linear rule sets it here.
    reverse: Reverse = Reverse.RATIO
    qualitative_bands: tuple[Band, ...] = (
        Band("达成年度指标", D("0.8"), D(1)),
        Band("部分达成年度指标并具有一定效果", D("0.6"), D("0.8")),
        Band("未达成年度指标且效果较差", D(0), D("0.6")),
    )
    grades: tuple[Grade, ...] = (Grade("优", D(90)), Grade("良", D(80)), Grade("中", D(60)), Grade("差", D(0)))
    # An actual ≥ 130% of its target needs an explanation (Guangxi): the target was set too low.
    explain_at_or_above: Decimal = D("1.3")
    # 101-style forms: an execution rate under 90% must be explained (≤100字).
    execution_explain_below: Decimal = D("0.9")

    def points(self, group: str) -> Decimal:
        return dict(self.group_points).get(group, D(0))


DEFAULT_RULES = ScoringRules()


# --- 预算执行率 --------------------------------------------------------------------------------


def execution_rate(budget: Decimal | None, spent: Decimal | None) -> Decimal | None:
    """执行率 B/A as a fraction to 0.01%; None when nothing was budgeted (A = 0): there is then
    no rate to score, and the total leaves execution out like a row that does not apply."""
    if budget is None or spent is None or budget <= 0:
        return None
    return (spent / budget).quantize(RATE_PLACES, ROUND_HALF_UP)


def execution_score(rate: Decimal | None, rules: ScoringRules = DEFAULT_RULES) -> Decimal | None:
    """执行率 × 10 points, never above 10 (spending past the budget earns nothing more) nor below 0."""
    if rate is None:
        return None
    return _points(rules.execution_weight, rate)


def execution_needs_reason(rate: Decimal | None, rules: ScoringRules = DEFAULT_RULES) -> bool:
    return rate is not None and rate < rules.execution_explain_below


# --- weights -----------------------------------------------------------------------------------


def group_of(level1: str, level2: str, rules: ScoringRules = DEFAULT_RULES) -> str | None:
    """The group a row's points come from; None for a category no rule names."""
    if level2 in rules.satisfaction_level2:
        return SATISFACTION
    return dict(rules.level1_groups).get(level1)


def default_weights(categories: Sequence[tuple[str, str]], rules: ScoringRules = DEFAULT_RULES) -> list[Decimal]:
    """Each row's weight, from its (level1, level2): a group's points spread evenly over its rows.
    A group with no rows gives its points to the others in proportion (a Hunan sheet with no
    满意度 row: 产出 56.3, 效益 33.7), so the weights always add up to 100 with execution's 10.
    A row of no group gets 0."""
    groups = [group_of(level1, level2, rules) for level1, level2 in categories]
    present = [group for group, _ in rules.group_points if group in groups]
    indicator_points = rules.total - rules.execution_weight
    per_group = dict(zip(present, apportion(indicator_points, [rules.points(g) for g in present], rules.weight_step)))
    weights = [D(0)] * len(categories)
    for group in present:
        rows = [index for index, row_group in enumerate(groups) if row_group == group]
        for index, weight in zip(rows, apportion(per_group[group], [D(1)] * len(rows), rules.weight_step)):
            weights[index] = weight
    return weights


def apportion(total: Decimal, shares: Sequence[Decimal], step: Decimal) -> list[Decimal]:
    """total split in proportion to shares, each a multiple of step, adding up to total exactly
    (the largest-remainder method): each part is its quota rounded down, and the steps left over
    go to the largest remainders, the earlier part first on a tie. 50 over 7 is 7.2×3 + 7.1×4."""
    whole = sum(shares, D(0))
    if whole <= 0:
        return [D(0) for _ in shares]
    units = int((total / step).to_integral_value(ROUND_HALF_UP))
    quotas = [units * share / whole for share in shares]
    parts = [int(quota.to_integral_value(ROUND_DOWN)) for quota in quotas]
    by_remainder = sorted(range(len(shares)), key=lambda i: (parts[i] - quotas[i], i))
    for index in by_remainder[: units - sum(parts)]:
        parts[index] += 1
    return [(step * part).quantize(step) for part in parts]


def weights_add_up(weights: Sequence[Decimal], rules: ScoringRules = DEFAULT_RULES) -> bool:
    """The rows' weights and execution's make the total (100): otherwise the form is not ready."""
    return sum(weights, D(0)) + rules.execution_weight == rules.total


# --- one row -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One indicator row of a self-evaluation, as the scoring sees it."""

    target: Measure  # 年度指标值, from the approved target sheet (Indicator.measure: the clerk's reading honoured)
    actual: Measure  # 实际完成值 (measures.parse of what the clerk typed)
    weight: Decimal  # 分值
    applicable: bool = True  # False: the row does not apply, is left out and the total rescaled
    band: str = ""  # 定性: the band the filler picked (ScoringRules.qualitative_bands)
    chosen: Decimal | None = None  # 定性: the score picked inside the band


def row_score(row: Row, rules: ScoringRules = DEFAULT_RULES) -> Decimal | None:
    """得分 of a row; None when it does not apply or there is nothing to score yet (no band picked,
    an actual with no number, or in a unit the target's cannot be converted to). A 定性 score
    outside its band raises ValueError with a message for the clerk."""
    if not row.applicable:
        return None
    if not row.target.quantitative:
        return qualitative_score(row.band, row.weight, row.chosen, rules) if row.band else None
    numbers = measures.comparable(row.target, row.actual)
    if numbers is None:
        return None
    return quantitative_score(row.target.nature, *numbers, row.weight, rules)


def quantitative_score(nature: str, target: Decimal, actual: Decimal, weight: Decimal,
                       rules: ScoringRules = DEFAULT_RULES) -> Decimal:
    """得分 of a row with a number. ＞ and ＜ score as ≥ and ≤: the rules give no formula of their
    own for them, and an actual just on the line (B = A) is as good as the target's own number."""
    return _points(weight, SHARE_BY_NATURE[nature](target, actual, rules))


def positive_share(target: Decimal, actual: Decimal, rules: ScoringRules = DEFAULT_RULES) -> Decimal:
    """≥: all of it when B ≥ A, else B/A."""
    if actual >= target:
        return D(1)
    return actual / target if target > 0 else D(0)


def reverse_share(target: Decimal, actual: Decimal, rules: ScoringRules = DEFAULT_RULES) -> Decimal:
    """≤: all of it when B ≤ A; over the ceiling, A/B or, linear, 1 − (B−A)/A (0 from B = 2A)."""
    if actual <= target:
        return D(1)
    if target <= 0:
        return D(0)  # a ceiling of nothing, exceeded
    if rules.reverse == Reverse.LINEAR:
        return max(D(0), 1 - (actual - target) / target)
    return target / actual


def equal_share(target: Decimal, actual: Decimal, rules: ScoringRules = DEFAULT_RULES) -> Decimal:
    """＝: with A = 0 ("0次" 事故) all of it only when B ≤ 0, nothing otherwise; else as ≥."""
    if target == 0:
        return D(1) if actual <= 0 else D(0)
    return positive_share(target, actual, rules)


SHARE_BY_NATURE = {
    AT_LEAST: positive_share, MORE_THAN: positive_share,
    AT_MOST: reverse_share, LESS_THAN: reverse_share,
    EQUAL: equal_share,
}


def band(name: str, rules: ScoringRules = DEFAULT_RULES) -> Band:
    for candidate in rules.qualitative_bands:
        if candidate.name == name:
            return candidate
    raise ValueError(f"“{name}”不是定性指标的评价等级，应为{'、'.join(b.name for b in rules.qualitative_bands)}之一")


def band_limits(name: str, weight: Decimal, rules: ScoringRules = DEFAULT_RULES) -> tuple[Decimal, Decimal]:
    """The lowest and highest score a 定性 row may be given in the band, for this weight."""
    chosen = band(name, rules)
    return _points(weight, chosen.low), _points(weight, chosen.high)


def qualitative_score(name: str, weight: Decimal, chosen: Decimal | None = None,
                      rules: ScoringRules = DEFAULT_RULES) -> Decimal:
    """得分 of a 定性 row: the score the filler picked inside the band (both ends allowed); the
    band's top until one is picked, so choosing 达成年度指标 shows full marks at once."""
    low, high = band_limits(name, weight, rules)
    if chosen is None:
        return high
    if not low <= chosen <= high:
        raise ValueError(f"“{name}”的得分应在{low}至{high}分之间")
    return chosen.quantize(CENT, ROUND_HALF_UP)


def band_of(score: Decimal, weight: Decimal, rules: ScoringRules = DEFAULT_RULES) -> Band | None:
    """The band a 定性 score given without one lies in (an imported file's): the highest that holds
    it, so 80% of the weight is 达成年度指标. None when the score is outside 0..weight."""
    if weight <= 0 or not 0 <= score <= weight:
        return None
    share = score / weight
    return next((b for b in rules.qualitative_bands if b.low <= share <= b.high), None)


# --- the whole table ---------------------------------------------------------------------------


def total(execution: Decimal | None, rows: Sequence[Row], rules: ScoringRules = DEFAULT_RULES) -> Decimal | None:
    """总分: what was earned over what could be earned by what applies, times 100. With nothing
    left out and the weights adding up this is the plain sum; rows that do not apply (and
    execution with no budget) drop out and the rest is rescaled to 100 (domain.md). A row not
    yet scored counts 0. Dividing by the applicable weights, not by 100 less the left-out ones,
    keeps a total within 100 even while the weights do not add up yet."""
    earned = possible = D(0)
    if execution is not None:
        earned, possible = execution, rules.execution_weight
    for row in rows:
        if row.applicable:
            earned += row_score(row, rules) or 0
            possible += row.weight
    if possible <= 0:
        return None
    return (earned * rules.total / possible).quantize(CENT, ROUND_HALF_UP)


def grade(score: Decimal | None, rules: ScoringRules = DEFAULT_RULES) -> str | None:
    """优 from 90, 良 from 80, 中 from 60, else 差 (89.99 is 良: the bands are lower bounds)."""
    if score is None:
        return None
    return next((g.name for g in sorted(rules.grades, key=lambda g: g.low, reverse=True) if score >= g.low), None)


@dataclass(frozen=True)
class Explanation:
    """A row that needs 偏差原因分析: its index among the rows and why."""

    row: int
    reason: str


BELOW_FULL = "未得满分"
FAR_ABOVE = "实际完成值达到目标的{percent}%以上"


def explanations_needed(rows: Sequence[Row], rules: ScoringRules = DEFAULT_RULES) -> list[Explanation]:
    """Rows that need 偏差原因分析: below full marks (or short of the target though the rounded
    score is full), and, for ≥ ＞ ＝ targets above zero, an actual at 130% of the target or more: a
    target met that easily was set too low (a ceiling overshot is already below full marks).
    Rows that do not apply or are not scored yet are not asked."""
    needed = []
    for index, row in enumerate(rows):
        score = row_score(row, rules)
        if score is not None and (score < row.weight or _short_of_target(row, rules)):
            needed.append(Explanation(index, BELOW_FULL))
        elif score is not None and _far_above(row, rules):
            percent = measures.format_number((rules.explain_at_or_above * 100).normalize())
            needed.append(Explanation(index, FAR_ABOVE.format(percent=percent)))
    return needed


@dataclass(frozen=True)
class Evaluation:
    """A self-evaluation's numbers, as the form shows them."""

    rate: Decimal | None
    execution: Decimal | None
    scores: tuple[Decimal | None, ...]
    total: Decimal | None
    grade: str | None
    explanations: tuple[Explanation, ...]
    execution_needs_reason: bool


def evaluate(budget: Decimal | None, spent: Decimal | None, rows: Sequence[Row],
             rules: ScoringRules = DEFAULT_RULES) -> Evaluation:
    """Everything at once: 执行率 and its 得分, each row's 得分, 总分, the grade and what needs explaining."""
    rate = execution_rate(budget, spent)
    execution = execution_score(rate, rules)
    overall = total(execution, rows, rules)
    return Evaluation(
        rate, execution, tuple(row_score(row, rules) for row in rows), overall, grade(overall, rules),
        tuple(explanations_needed(rows, rules)), execution_needs_reason(rate, rules),
    )


def _points(weight: Decimal, share: Decimal) -> Decimal:
    """weight × share, the share kept within 0..1, to 0.01."""
    return (weight * min(max(share, D(0)), D(1))).quantize(CENT, ROUND_HALF_UP)


def _short_of_target(row: Row, rules: ScoringRules) -> bool:
    """Missed by a hair: 94.99% against ≥95% prints 10.00 of 10, yet the target was not met."""
    numbers = measures.comparable(row.target, row.actual) if row.target.quantitative else None
    return numbers is not None and SHARE_BY_NATURE[row.target.nature](*numbers, rules) < 1


def _far_above(row: Row, rules: ScoringRules) -> bool:
    if row.target.nature not in (AT_LEAST, MORE_THAN, EQUAL):
        return False
    numbers = measures.comparable(row.target, row.actual)
    return numbers is not None and numbers[0] > 0 and numbers[1] >= numbers[0] * rules.explain_at_or_above
