"""Self-evaluation scoring (domain/scoring.py): every rule and variant with its boundaries, the
weights, rescaling, grades and what needs explaining."""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goalsapp.cli.commands import DEMO_FILE
from goalsapp.domain import scoring
from goalsapp.domain.importing import read_sheets
from goalsapp.domain.measures import QUANTITATIVE, Measure, parse
from goalsapp.domain.scoring import (
    BELOW_FULL,
    DEFAULT_RULES,
    Explanation,
    Reverse,
    Row,
    ScoringRules,
    apportion,
    band_limits,
    band_of,
    default_weights,
    evaluate,
    execution_rate,
    execution_score,
    explanations_needed,
    grade,
    qualitative_score,
    quantitative_score,
    row_score,
    total,
    weights_add_up,
)

D = Decimal
LINEAR = ScoringRules(reverse=Reverse.LINEAR)
ACHIEVED, PARTLY, NOT_ACHIEVED = (band.name for band in DEFAULT_RULES.qualitative_bands)


# --- 预算执行率 --------------------------------------------------------------------------------


@pytest.mark.parametrize("budget, spent, rate, score", [
    (D(10), D("9.5"), D("0.95"), D("9.50")),
    (D(10), D(10), D(1), D("10.00")),
    (D(10), D(12), D("1.2"), D("10.00")),  # over 100%: capped at 10
    (D(10), D(0), D(0), D("0.00")),
    (D(3), D(1), D("0.3333"), D("3.33")),
    (D("2.4"), D("2.3999"), D("1.0000"), D("10.00")),  # the rate as printed, to 0.01%
    (D(14), D("13.3"), D("0.95"), D("9.50")),
    (D(0), D(0), None, None),  # nothing budgeted: no rate to score
    (D(0), D(5), None, None),
    (None, D(5), None, None),
    (D(10), None, None, None),
])
def test_execution_rate_and_its_score(budget, spent, rate, score):
    assert execution_rate(budget, spent) == rate
    assert execution_score(execution_rate(budget, spent)) == score


@pytest.mark.parametrize("rate, needed", [(D("0.8999"), True), (D("0.9"), False), (D(1), False), (None, False)])
def test_an_execution_rate_under_90_percent_needs_a_reason(rate, needed):
    assert scoring.execution_needs_reason(rate) is needed


# --- one row, by nature --------------------------------------------------------------------------


@pytest.mark.parametrize("nature, target, actual, weight, score", [
    # ≥: full from B = A, else B/A
    ("≥", D(95), D(95), D(10), D("10.00")),
    ("≥", D(95), D(99), D(10), D("10.00")),
    ("≥", D(95), D("94.99"), D(10), D("10.00")),  # 9.9989… rounds half up to 10.00
    ("≥", D(100), D(90), D(10), D("9.00")),
    ("≥", D(7), D(5), D("7.2"), D("5.14")),
    ("≥", D(7), D(0), D(10), D("0.00")),
    ("≥", D(0), D(0), D(10), D("10.00")),  # nothing to reach
    ("≥", D(5), D(-1), D(10), D("0.00")),  # never below 0
    ("＞", D(85), D(85), D(5), D("5.00")),  # ＞ scores as ≥
    ("＞", D(85), D(68), D(5), D("4.00")),
    # ＝: as ≥, except with A = 0 full only when B ≤ 0
    ("＝", D(100), D(100), D(10), D("10.00")),
    ("＝", D(100), D(80), D(10), D("8.00")),
    ("＝", D(100), D(120), D(10), D("10.00")),
    ("＝", D(0), D(0), D(10), D("10.00")),
    ("＝", D(0), D(-1), D(10), D("10.00")),
    ("＝", D(0), D(1), D(10), D("0.00")),
    ("＝", D(0), D("0.01"), D(10), D("0.00")),
])
def test_positive_and_equal_rows(nature, target, actual, weight, score):
    assert quantitative_score(nature, target, actual, weight) == score


@pytest.mark.parametrize("target, actual, ratio, linear", [
    (D(20), D(20), D("10.00"), D("10.00")),  # B = A: full
    (D(20), D(15), D("10.00"), D("10.00")),
    (D(20), D(0), D("10.00"), D("10.00")),
    (D(20), D(25), D("8.00"), D("7.50")),  # A/B = 0.8; 1 − 5/20 = 0.75
    (D(20), D(30), D("6.67"), D("5.00")),
    (D(20), D("39.99"), D("5.00"), D("0.01")),  # just under 2A: linear keeps a sliver
    (D(20), D(40), D("5.00"), D("0.00")),  # B = 2A: linear 0
    (D(20), D(60), D("3.33"), D("0.00")),  # past 2A
    (D(0), D(0), D("10.00"), D("10.00")),  # a ceiling of nothing, kept
    (D(0), D(1), D("0.00"), D("0.00")),  # a ceiling of nothing, exceeded
])
def test_reverse_rows_in_both_variants(target, actual, ratio, linear):
    for nature in ("≤", "＜"):  # ＜ scores as ≤
        assert quantitative_score(nature, target, actual, D(10)) == ratio
        assert quantitative_score(nature, target, actual, D(10), LINEAR) == linear


@pytest.mark.parametrize("target, actual, score", [
    ("≤0.6万元", "5800元", D("10.00")),  # in the target's unit: 0.58万元
    ("≤0.6万元", "0.75万元", D("8.00")),
    ("1.5万吨", "12000吨", D("8.00")),
    ("≥95%", "90", D("9.47")),  # a bare actual is in the target's unit
    ("=0", "0次", D("10.00")),
    ("7个", "7次", None),  # units that do not convert: not scored
    ("≥95%", "基本完成", None),  # no number
    ("≥95%", "", None),  # not filled in yet
])
def test_a_rows_actual_is_read_in_the_targets_unit(target, actual, score):
    assert row_score(Row(parse(target), parse(actual), D(10))) == score


def test_a_row_that_does_not_apply_has_no_score():
    assert row_score(Row(parse("≥95%"), parse("50%"), D(10), applicable=False)) is None


# --- 定性 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, weight, limits", [
    (ACHIEVED, D(10), (D("8.00"), D("10.00"))),
    (PARTLY, D(10), (D("6.00"), D("8.00"))),
    (NOT_ACHIEVED, D(10), (D("0.00"), D("6.00"))),
    (PARTLY, D("7.1"), (D("4.26"), D("5.68"))),
])
def test_qualitative_band_limits(name, weight, limits):
    assert band_limits(name, weight) == limits


@pytest.mark.parametrize("name, chosen, score", [
    (ACHIEVED, None, D("10.00")),  # picking the band shows its top at once
    (PARTLY, None, D("8.00")),
    (NOT_ACHIEVED, None, D("6.00")),
    (ACHIEVED, D(8), D("8.00")),  # both edges belong to the band
    (ACHIEVED, D(10), D("10.00")),
    (PARTLY, D(8), D("8.00")),
    (PARTLY, D(6), D("6.00")),
    (NOT_ACHIEVED, D(6), D("6.00")),
    (NOT_ACHIEVED, D(0), D("0.00")),
    (ACHIEVED, D("9.555"), D("9.56")),
])
def test_a_qualitative_score_inside_its_band(name, chosen, score):
    assert qualitative_score(name, D(10), chosen) == score


@pytest.mark.parametrize("name, chosen, message", [
    (ACHIEVED, D("7.99"), f"“{ACHIEVED}”的得分应在8.00至10.00分之间"),
    (ACHIEVED, D("10.01"), f"“{ACHIEVED}”的得分应在8.00至10.00分之间"),
    (PARTLY, D("8.01"), f"“{PARTLY}”的得分应在6.00至8.00分之间"),
    (NOT_ACHIEVED, D("6.01"), f"“{NOT_ACHIEVED}”的得分应在0.00至6.00分之间"),
    (NOT_ACHIEVED, D("-0.01"), f"“{NOT_ACHIEVED}”的得分应在0.00至6.00分之间"),
    ("基本达成", D(9), f"“基本达成”不是定性指标的评价等级，应为{ACHIEVED}、{PARTLY}、{NOT_ACHIEVED}之一"),
])
def test_a_qualitative_score_outside_its_band_is_refused_with_the_reason(name, chosen, message):
    with pytest.raises(ValueError) as refused:
        qualitative_score(name, D(10), chosen)
    assert str(refused.value) == message


@pytest.mark.parametrize("score, name", [
    (D(10), ACHIEVED), (D(8), ACHIEVED), (D("7.99"), PARTLY), (D(6), PARTLY), (D("5.99"), NOT_ACHIEVED), (D(0), NOT_ACHIEVED),
    (D("10.01"), None), (D(-1), None),
])
def test_the_band_of_a_score_given_without_one(score, name):
    found = band_of(score, D(10))
    assert (found.name if found else None) == name


def test_a_qualitative_row_is_scored_by_its_band_whatever_its_actual_says():
    target = parse("按时完成")
    assert row_score(Row(target, parse("已完成"), D(10), band=PARTLY, chosen=D(7))) == D("7.00")
    assert row_score(Row(target, parse("已完成"), D(10))) is None  # no band picked yet


# --- weights ---------------------------------------------------------------------------------------

OUT = ("产出指标", "数量指标")
EFF = ("效益指标", "社会效益指标")
SAT = ("满意度指标", "服务对象满意度指标")


@pytest.mark.parametrize("categories, weights", [
    ([OUT] * 7 + [EFF] * 2 + [SAT], [D("7.2")] * 3 + [D("7.1")] * 4 + [D(15), D(15), D(10)]),
    ([OUT, EFF, SAT], [D(50), D(30), D(10)]),
    ([OUT] * 3 + [EFF] * 3 + [SAT] * 3, [D("16.7")] * 2 + [D("16.6"), D(10), D(10), D(10)] + [D("3.4"), D("3.3"), D("3.3")]),
    # Hunan: 满意度 a level-2 under 效益 earns 满意度's points
    ([OUT, ("效益指标", "社会效益指标"), ("效益指标", "社会公众或服务对象满意度指标")], [D(50), D(30), D(10)]),
    # MOF 2021: 成本指标 shares 产出's 50
    ([("成本指标", "经济成本指标"), ("产出指标", "数量指标"), EFF, SAT], [D(25), D(25), D(30), D(10)]),
    # Guangdong 2019's own names
    ([("预期产出指标", "质量指标"), ("效果指标", "可持续影响指标"), ("效果指标", "服务对象满意度指标")], [D(50), D(30), D(10)]),
    # no 满意度 row: its 10 go to the others in proportion (50:30 of 90)
    ([OUT, EFF], [D("56.3"), D("33.7")]),
    ([EFF], [D(90)]),
    # a category no rule names gets nothing
    ([OUT, ("其他", "其他"), EFF, SAT], [D(50), D(0), D(30), D(10)]),
    ([], []),
])
def test_default_weights(categories, weights):
    assert default_weights(categories) == weights


@pytest.mark.parametrize("rows", range(1, 21))
@pytest.mark.parametrize("category, points", [(OUT, D(50)), (EFF, D(30)), (SAT, D(10))])
def test_a_groups_points_always_add_up_over_1_to_20_rows(rows, category, points):
    others = [c for c in (OUT, EFF, SAT) if c != category]
    weights = default_weights([category] * rows + others)[:rows]
    assert sum(weights) == points and max(weights) - min(weights) <= DEFAULT_RULES.weight_step


def test_the_seeds_sheets_get_weights_that_add_up():
    for sheet in read_sheets(DEMO_FILE):
        weights = default_weights([(i.level1, i.level2) for i in sheet.indicators])
        assert weights_add_up(weights), sheet.project_name
    first = read_sheets(DEMO_FILE)[0]  # 4 产出 rows, 3 效益, 1 满意度 (a level-2 under 效益)
    assert default_weights([(i.level1, i.level2) for i in first.indicators]) == [D("12.5")] * 4 + [D(10)] * 4


@pytest.mark.parametrize("weights, adds_up", [
    ([D(50), D(30), D(10)], True), ([D("45.5"), D("34.5"), D(10)], True), ([D(50), D(30)], False), ([D(50), D(30), D(11)], False),
])
def test_weights_must_add_up_with_executions_10(weights, adds_up):
    assert weights_add_up(weights) is adds_up


CATEGORIES = st.sampled_from([OUT, EFF, SAT, ("成本指标", "经济成本指标"), ("效益指标", "社会公众或服务对象满意度指标"), ("效果指标", "可持续影响指标")])


@given(st.lists(CATEGORIES, min_size=1, max_size=40))
def test_default_weights_always_add_up(categories):
    assert weights_add_up(default_weights(categories))


@given(
    total_steps=st.integers(min_value=0, max_value=10_000),
    shares=st.lists(st.integers(min_value=0, max_value=100).map(D), min_size=1, max_size=25).filter(lambda s: sum(s) > 0),
    step=st.sampled_from([D("0.1"), D(1), D("0.01")]),
)
def test_apportion_adds_up_and_stays_within_a_step_of_each_quota(total_steps, shares, step):
    whole = total_steps * step
    parts = apportion(whole, shares, step)
    assert sum(parts) == whole
    for part, share in zip(parts, shares):
        assert abs(part - whole * share / sum(shares)) < step


# --- total, rescaling and grade -------------------------------------------------------------------


def scored(weight, share_of_target, applicable=True):
    """A ≥100 row whose actual earns share_of_target of its weight."""
    return Row(parse("≥100%"), Measure("＝", D(100) * share_of_target, "%", ""), D(weight), applicable)


def test_the_total_is_the_plain_sum_when_everything_applies():
    rows = [scored(50, D("0.9")), scored(30, D(1)), scored(10, D("0.5"))]
    assert total(D("9.5"), rows) == D("9.5") + D(45) + D(30) + D(5)


@pytest.mark.parametrize("rows, execution, expected", [
    # one row left out: 63.5 earned of 70 possible → 90.71
    ([scored(50, D("0.9")), scored(30, D("0.5"), applicable=False), scored(10, D(1))], D("8.5"), D("90.71")),
    # all but one left out: execution 8 and 5 of 10 → 13 of 20 → 65
    ([scored(50, D(1), applicable=False), scored(30, D(1), applicable=False), scored(10, D("0.5"))], D(8), D("65.00")),
    # every row left out: execution alone, rescaled
    ([scored(90, D(1), applicable=False)], D("9.5"), D("95.00")),
    # no budget: execution left out too, the indicators rescaled to 100
    ([scored(50, D(1)), scored(30, D(1)), scored(10, D("0.5"))], None, D("94.44")),
    # nothing applies at all: no total
    ([scored(90, D(1), applicable=False)], None, None),
])
def test_rows_that_do_not_apply_are_left_out_and_the_total_rescaled(rows, execution, expected):
    assert total(execution, rows) == expected


def test_a_row_not_yet_scored_counts_nothing_but_its_weight_stays():
    rows = [scored(50, D(1)), Row(parse("≥95%"), parse(""), D(40))]
    assert total(D(10), rows) == D(60)


@pytest.mark.parametrize("score, name", [
    (D(100), "优"), (D(90), "优"), (D("89.99"), "良"), (D(80), "良"), (D("79.99"), "中"), (D(60), "中"), (D("59.99"), "差"),
    (D(0), "差"), (None, None),
])
def test_grade_edges(score, name):
    assert grade(score) == name


# --- explanations -----------------------------------------------------------------------------------


@pytest.mark.parametrize("target, actual, reasons", [
    ("≥100个", "99个", [BELOW_FULL]),
    ("≥95%", "94.99%", [BELOW_FULL]),  # 10.00 of 10 once rounded, yet short of the target
    ("≥100个", "100个", []),
    ("≥100个", "129个", []),
    ("≥100个", "130个", ["实际完成值达到目标的130%以上"]),  # exactly 130%: asked
    ("100%", "130%", ["实际完成值达到目标的130%以上"]),  # ＝ as ≥
    ("≤20元", "30元", [BELOW_FULL]),  # a ceiling overshot is below full marks, nothing more
    ("≤20元", "5元", []),  # far under a ceiling is good, not suspicious
    ("=0", "0", []),
    ("≥0个", "5个", []),  # no ratio to a zero target
    ("≥95%", "", []),  # not scored yet: not asked yet
])
def test_what_needs_an_explanation(target, actual, reasons):
    needed = explanations_needed([Row(parse(target), parse(actual), D(10))])
    assert [explanation.reason for explanation in needed] == reasons


def test_explanations_name_their_rows_and_skip_rows_that_do_not_apply():
    rows = [scored(50, D(1)), scored(20, D("0.5"), applicable=False), scored(20, D("0.5")),
            Row(parse("按时完成"), parse(""), D(10), band=PARTLY)]
    assert explanations_needed(rows) == [Explanation(2, BELOW_FULL), Explanation(3, BELOW_FULL)]


def test_the_130_percent_threshold_is_a_setting():
    rules = ScoringRules(explain_at_or_above=D("1.5"))
    row = Row(parse("≥100个"), parse("140个"), D(10))
    assert explanations_needed([row], rules) == [] and explanations_needed([row])[0].reason.endswith("130%以上")


# --- a whole self-evaluation ---------------------------------------------------------------------------


def test_the_seeds_first_sheet_evaluated():
    sheet = read_sheets(DEMO_FILE)[0]  # 基层商会专项经费, 14万元
    weights = default_weights([(i.level1, i.level2) for i in sheet.indicators])
    actuals = ["7个", "96%", "95%", "90%", "100%", "100%", "100%", "97%"]  # 成本 90% of its 95%: below full
    rows = [Row(parse(i.value), parse(actual), weight) for i, actual, weight in zip(sheet.indicators, actuals, weights)]
    result = evaluate(D(14), D("13.3"), rows)
    assert result.rate == D("0.95") and result.execution == D("9.50")
    assert result.scores == (D("12.50"), D("12.50"), D("12.50"), D("11.84"), D("10.00"), D("10.00"), D("10.00"), D("9.90"))
    assert result.total == D("98.74") and result.grade == "优"
    assert [e.row for e in result.explanations] == [3, 7] and result.execution_needs_reason is False


# --- properties ---------------------------------------------------------------------------------------

AMOUNTS = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
WEIGHTS = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


@given(nature=st.sampled_from(QUANTITATIVE), target=AMOUNTS, actual=AMOUNTS | st.just(D(-5)), weight=WEIGHTS,
       variant=st.sampled_from(list(Reverse)))
def test_a_score_never_exceeds_its_weight_nor_goes_below_0(nature, target, actual, weight, variant):
    score = quantitative_score(nature, target, actual, weight, ScoringRules(reverse=variant))
    assert 0 <= score <= weight


@given(rate=st.decimals(min_value=0, max_value=5, places=4, allow_nan=False, allow_infinity=False))
def test_execution_never_earns_more_than_10(rate):
    assert 0 <= execution_score(rate) <= 10


@given(
    rows=st.lists(st.tuples(WEIGHTS, st.sampled_from(QUANTITATIVE), AMOUNTS, AMOUNTS, st.booleans()), max_size=12),
    execution=st.none() | st.decimals(min_value=0, max_value=10, places=2, allow_nan=False, allow_infinity=False),
)
def test_a_rescaled_total_stays_within_0_and_100(rows, execution):
    table = [Row(Measure(nature, target, "个", ""), Measure("＝", actual, "个", ""), weight, applicable)
             for weight, nature, target, actual, applicable in rows]
    result = total(execution, table)
    assert result is None or 0 <= result <= 100
