"""Monitoring lights (绩效运行监控, 财预〔2019〕136号): green, yellow or red for each indicator row and
for the money block, from progress against the elapsed share of the year (序时进度: by the end of
June half the year has passed) and the expected full-year value. Thresholds are LightRules.

- A row is red when the clerk says the target is 完全不可能, or the expected full-year value would
  earn under 80% of the row's score (≥ 95 expecting 70; ≤ 20 expecting 30).
- It is green when the expected value meets the target, the value so far keeps pace (at least the
  elapsed share less 10 points of the target; a ceiling not already passed) and nobody doubts it
  (完成目标可能性 确定能 or not given).
- Yellow otherwise: someone should look. 定性 rows have only the possibility to go by.
- Money: red when execution trails the elapsed share by more than 30 points, or the expected
  spending leaves more than 20% of the budget unspent; green within 10 points; yellow between.

Pure: the monitoring document, its review and the bureau's overview call these.
"""
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from . import measures
from .measures import AT_LEAST, EQUAL, MORE_THAN, Measure
from .scoring import DEFAULT_RULES, SHARE_BY_NATURE, ScoringRules

D = Decimal
MONTHS = 12


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


# 完成目标可能性 and 偏差原因, as the monitoring forms list them.
CERTAIN, POSSIBLE, IMPOSSIBLE = "确定能", "有可能", "完全不可能"
POSSIBILITIES = (CERTAIN, POSSIBLE, IMPOSSIBLE)
DEVIATION_CAUSES = ("经费保障", "制度保障", "人员保障", "硬件条件保障", "其他")


@dataclass(frozen=True)
class LightRules:
    """What a province may set differently; change here, not in the functions."""

    # Green: the value so far is at least the elapsed share less this much of the target (a
    # count of 7 by the end of June needs 3 of them: 7 × (0.5 − 0.1) = 2.8).
    lag_allowed: Decimal = D("0.10")
    # Red: the expected full-year value would earn less than this share of the row's score.
    red_below: Decimal = D("0.80")
    # Money red: execution trails the elapsed share by more than this (at the end of June, under 20%).
    money_red_lag: Decimal = D("0.30")
    # How an overshot ceiling is judged: the self-evaluation's own rule, so both documents agree.
    scoring: ScoringRules = DEFAULT_RULES


DEFAULT_LIGHT_RULES = LightRules()


def elapsed_share(month: int) -> Decimal:
    """序时进度 at the end of a month: month / 12."""
    if not 1 <= month <= MONTHS:
        raise ValueError(f"监控截至月份应在1至{MONTHS}之间")
    return D(month) / MONTHS


def needs_reason(possibility: str) -> bool:
    """A possibility other than 确定能 asks for 偏差原因 and 整改措施."""
    return possibility in (POSSIBLE, IMPOSSIBLE)


def row_light(target: Measure, current: Measure, expected: Measure, possibility: str, elapsed: Decimal,
              rules: LightRules = DEFAULT_LIGHT_RULES) -> Light | None:
    """A row's light; None while nothing is filled in to judge it by. current and expected are
    measures.parse of what was typed (当前完成值, 全年预计完成值), in the target's unit or none."""
    if possibility == IMPOSSIBLE:
        return Light.RED
    if not target.quantitative:
        return _by_possibility(possibility)
    now, by_year_end = measures.comparable(target, current), measures.comparable(target, expected)
    if now is None and by_year_end is None:
        return Light.YELLOW if possibility else None  # a number to reach, and no number given for it
    if by_year_end is not None and _share(target, by_year_end[1], rules) < rules.red_below:
        return Light.RED
    on_pace = now is not None and _on_pace(target, now[1], elapsed, rules)
    meets = by_year_end is not None and _share(target, by_year_end[1], rules) >= 1
    return Light.GREEN if on_pace and meets and possibility in (CERTAIN, "") else Light.YELLOW


def money_light(budget: Decimal | None, spent: Decimal | None, expected: Decimal | None, elapsed: Decimal,
                rules: LightRules = DEFAULT_LIGHT_RULES) -> Light | None:
    """The money block's light from 执行数 / 全年预算数 against the elapsed share, and from
    全年预计执行数 when given; None with no budget or nothing spent written."""
    if budget is None or budget <= 0 or spent is None:
        return None
    rate = spent / budget
    if rate < elapsed - rules.money_red_lag or expected is not None and expected / budget < rules.red_below:
        return Light.RED
    return Light.GREEN if rate >= elapsed - rules.lag_allowed else Light.YELLOW


def _by_possibility(possibility: str) -> Light | None:
    return {CERTAIN: Light.GREEN, POSSIBLE: Light.YELLOW, IMPOSSIBLE: Light.RED}.get(possibility)


def _share(target: Measure, value: Decimal, rules: LightRules) -> Decimal:
    """The share of the row's score the value would earn at the year's end (scoring's rule)."""
    return SHARE_BY_NATURE[target.nature](target.number, value, rules.scoring)


def _on_pace(target: Measure, value: Decimal, elapsed: Decimal, rules: LightRules) -> bool:
    """A target to reach (≥ ＞ ＝ above zero): the value so far keeps up with the year. A ceiling
    (≤ ＜, ＝0): not passed already. Whether a ceiling's value adds up over the year (a cost) or
    not (a rate) cannot be told from the value, so no pace is asked of it; its expected value
    says whether it will hold."""
    if target.nature in (AT_LEAST, MORE_THAN) or target.nature == EQUAL and target.number > 0:
        return value >= target.number * (elapsed - rules.lag_allowed)
    return _share(target, value, rules) >= 1
