"""Monitoring lights (domain/lights.py): each row nature, the thresholds at their edges, money."""
from decimal import Decimal

import pytest

from goalsapp.domain.lights import (
    CERTAIN,
    IMPOSSIBLE,
    POSSIBLE,
    Light,
    LightRules,
    elapsed_share,
    money_light,
    needs_reason,
    row_light,
)
from goalsapp.domain.measures import parse
from goalsapp.domain.scoring import Reverse, ScoringRules

D = Decimal
GREEN, YELLOW, RED = Light.GREEN, Light.YELLOW, Light.RED
JUNE = elapsed_share(6)


@pytest.mark.parametrize("month, share", [(1, D(1) / 12), (6, D("0.5")), (7, D(7) / 12), (12, D(1))])
def test_the_elapsed_share_of_the_year(month, share):
    assert elapsed_share(month) == share


@pytest.mark.parametrize("month", [0, 13])
def test_a_month_outside_the_year_is_refused(month):
    with pytest.raises(ValueError, match="1至12"):
        elapsed_share(month)


@pytest.mark.parametrize("target, current, expected, possibility, light", [
    # ≥7个 at the end of June: 7 × (0.5 − 0.1) = 2.8 keeps pace
    ("≥7个", "4个", "7个", CERTAIN, GREEN),
    ("≥7个", "2.8个", "7个", CERTAIN, GREEN),  # just on pace
    ("≥7个", "2个", "7个", CERTAIN, YELLOW),  # behind the year
    ("≥7个", "4个", "8个", "", GREEN),  # no possibility given: the numbers decide
    ("≥7个", "4个", "6个", CERTAIN, YELLOW),  # short of the target, not by much
    ("≥7个", "4个", "5.6个", CERTAIN, YELLOW),  # exactly 80%: not yet red
    ("≥7个", "4个", "5个", CERTAIN, RED),  # under 80% of the target
    ("≥7个", "4个", "7个", POSSIBLE, YELLOW),  # the clerk doubts it
    ("≥7个", "7个", "7个", IMPOSSIBLE, RED),  # the clerk says it will not happen
    ("≥7个", "4个", "", CERTAIN, YELLOW),  # no expected value: cannot be green
    ("≥7个", "", "7个", CERTAIN, YELLOW),  # no value so far: cannot be green
    ("≥7个", "", "", CERTAIN, YELLOW),  # a number to reach and none given
    ("≥7个", "", "", "", None),  # nothing filled in yet
    ("≥7个", "4次", "7次", CERTAIN, YELLOW),  # units that do not convert: nothing to compare
    ("7个", "4", "7", CERTAIN, GREEN),  # ＝ above zero: as ≥, bare numbers in the target's unit
    ("≥95%", "96%", "96%", CERTAIN, GREEN),  # a rate is ahead of any pace
    ("≥95%", "96%", "75%", CERTAIN, RED),
    # ≤: a ceiling not passed and expected to hold
    ("≤20元/课时", "18元/课时", "19元/课时", CERTAIN, GREEN),
    ("≤20元/课时", "22元/课时", "20元/课时", CERTAIN, YELLOW),  # already over the ceiling
    ("≤20元/课时", "18元/课时", "25元/课时", CERTAIN, YELLOW),  # A/B = 0.8: not yet red
    ("≤20元/课时", "18元/课时", "26元/课时", CERTAIN, RED),
    ("≤0.6万元", "3000元", "5800元", CERTAIN, GREEN),  # in the target's unit
    ("＜1起", "0起", "0起", CERTAIN, GREEN),
    # ＝0: nothing may happen
    ("=0", "0次", "0次", CERTAIN, GREEN),
    ("=0", "1次", "1次", CERTAIN, RED),
    ("=0", "0次", "", CERTAIN, YELLOW),
    # 定性: only the possibility
    ("按时完成", "进行中", "按时完成", CERTAIN, GREEN),
    ("按时完成", "", "", POSSIBLE, YELLOW),
    ("按时完成", "", "", IMPOSSIBLE, RED),
    ("按时完成", "进行中", "按时完成", "", None),
])
def test_a_rows_light(target, current, expected, possibility, light):
    assert row_light(parse(target), parse(current), parse(expected), possibility, JUNE) == light


@pytest.mark.parametrize("month, current, light", [
    (12, "6.3个", GREEN), (12, "6.2个", YELLOW),  # December: 90% of the target keeps pace
    (1, "0个", GREEN),  # January: 1/12 − 0.1 is below zero, nothing is asked yet
    (7, "3.43个", GREEN), (7, "3.38个", YELLOW),  # 7 × (7/12 − 0.1) = 3.383…
])
def test_pace_follows_the_month(month, current, light):
    assert row_light(parse("≥7个"), parse(current), parse("7个"), CERTAIN, elapsed_share(month)) == light


def test_the_thresholds_are_settings():
    strict = LightRules(lag_allowed=D(0), red_below=D("0.9"))
    assert row_light(parse("≥7个"), parse("3个"), parse("7个"), CERTAIN, JUNE, strict) == YELLOW  # 3 < 3.5
    assert row_light(parse("≥7个"), parse("4个"), parse("6个"), CERTAIN, JUNE, strict) == RED  # 6/7 < 0.9
    # a ceiling overshot is judged by the self-evaluation's rule: linear 1 − 5/20 = 0.75 is red
    linear = LightRules(scoring=ScoringRules(reverse=Reverse.LINEAR))
    assert row_light(parse("≤20元"), parse("18元"), parse("25元"), CERTAIN, JUNE, linear) == RED


@pytest.mark.parametrize("budget, spent, expected, light", [
    (D(14), D(7), D(14), GREEN),  # half spent by the end of June
    (D(14), D("5.6"), None, GREEN),  # 40%: exactly 10 points behind
    (D(14), D("5.5"), None, YELLOW),
    (D(14), D("2.8"), None, YELLOW),  # 20%: exactly 30 points behind, not yet red
    (D(14), D("2.7"), None, RED),  # far behind
    (D(14), D(7), D("11.2"), GREEN),  # 80% expected: not red
    (D(14), D(7), D(11), RED),  # more than a fifth of the budget expected unspent
    (D(14), D(16), D(16), GREEN),  # over the budget: not this light's concern
    (D(0), D(0), None, None),
    (None, D(1), None, None),
    (D(14), None, None, None),
])
def test_the_money_blocks_light(budget, spent, expected, light):
    assert money_light(budget, spent, expected, JUNE) == light


@pytest.mark.parametrize("possibility, needed", [(CERTAIN, False), (POSSIBLE, True), (IMPOSSIBLE, True), ("", False)])
def test_a_doubtful_possibility_needs_a_reason(possibility, needed):
    assert needs_reason(possibility) is needed
