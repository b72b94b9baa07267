"""The charts' geometry (web/charts.py): bars in proportion to their numbers, a sensible axis, and
names that fit."""
from decimal import Decimal

import pytest

from goalsapp.web import charts

STATUSES = ("已通过", "已提交", "已退回", "草稿")
LOOKS = ("solid", "hatch", "cross", "dots")


def stacked(rows, **options):
    return charts.stacked_bars("各单位表的状态", rows, STATUSES, LOOKS, x_label="表的张数", y_label="填报单位", whole=True, **options)


def test_segments_and_bars_are_in_proportion_to_their_numbers():
    chart = stacked([("甲", (2, 4, 0, 1)), ("乙", (1, 0, 0, 0))])
    first, second = chart.bars
    widths = [segment.width for segment in first.segments]
    assert widths[1] == pytest.approx(2 * widths[0]) and widths[2] == pytest.approx(widths[0] / 2)
    assert [segment.series for segment in first.segments] == [0, 1, 3]  # a zero takes no room
    assert second.segments[0].width == pytest.approx(widths[0] / 2)  # one sheet is as wide in every bar
    # the parts stand end to end, from the axis's start, and the bar ends where its total is written
    assert first.segments[0].x == chart.left
    assert all(a.x + a.width == pytest.approx(b.x) for a, b in zip(first.segments, first.segments[1:]))
    assert first.end == pytest.approx(first.segments[-1].x + first.segments[-1].width) and first.total == "7"
    # the axis reaches past the largest bar in round steps, and its ticks stand where their numbers fall
    assert [tick.text for tick in chart.ticks] == ["0", "2", "4", "6", "8"]
    assert chart.ticks[-1].x == pytest.approx(chart.right)
    assert chart.ticks[1].x - chart.ticks[0].x == pytest.approx(widths[0])  # 2 sheets, as the first part


def test_the_largest_come_first_and_the_rest_add_up_into_one_bar():
    rows = [(f"单位{n:02d}", (n, 1, 0, 0)) for n in range(20)]
    chart = stacked(rows, most=5, rest="其余{}个单位")
    assert [bar.name for bar in chart.bars] == ["单位19", "单位18", "单位17", "单位16", "单位15", "其余15个单位"]
    assert chart.bars[-1].total == str(sum(range(15)) + 15)
    # one left over is shown by its name, not as "the other one"
    assert [bar.name for bar in stacked(rows[:6], most=5).bars][-1] == "单位00"


def test_nothing_to_show_draws_an_empty_chart_without_dividing_by_zero():
    for rows in ([], [("甲", (0, 0, 0, 0)), ("乙", (0, 0, 0, 0))]):
        chart = stacked(rows)
        assert chart.empty and "暂无数据" in chart.description
        assert all(not bar.segments for bar in chart.bars)
        assert [tick.text for tick in chart.ticks] == ["0", "1"]
        assert chart.height > chart.bottom > chart.top  # still room for its axis and the note


def test_one_unit_fills_the_axis_as_far_as_its_number_goes():
    chart = stacked([("会同县工商联", (3, 1, 0, 1))])
    (bar,) = chart.bars
    assert [tick.text for tick in chart.ticks] == ["0", "1", "2", "3", "4", "5"]
    assert bar.end == pytest.approx(chart.right)  # 5 of 5
    assert bar.label == "会同县工商联" and "会同县工商联：5（已通过3，已提交1，草稿1）" in chart.description


def test_a_long_name_is_cut_with_an_ellipsis_and_kept_whole_for_the_tooltip():
    name = "会同县某某乡镇人民政府农业综合服务中心（畜牧水产站）"
    (bar,) = stacked([(name, (1, 0, 0, 0))]).bars
    assert bar.name == name
    assert bar.label.endswith("…") and name.startswith(bar.label[:-1])
    assert charts.text_width(bar.label) <= charts.LABEL_WIDTH - 8
    assert charts.text_width(name) > charts.LABEL_WIDTH - 8  # it had to be cut
    assert charts.cut("ABC", 100) == "ABC"


def test_money_bars_step_in_round_amounts_and_read_as_amounts():
    chart = charts.bars("预算", [("教育", Decimal("35.5")), ("行政政法", Decimal("0.0001"))], "bar", x_label="万元", y_label="预算部门",
                        formatter=lambda amount: format(Decimal(amount).normalize(), "f"))
    assert [tick.text for tick in chart.ticks] == ["0", "10", "20", "30", "40"]
    assert [bar.total for bar in chart.bars] == ["35.5", "0.0001"]
    assert chart.bars[0].segments[0].width == pytest.approx((chart.right - chart.left) * 35.5 / 40)
    assert not chart.legend  # one series needs no legend
    small = charts.bars("预算", [("甲", Decimal("0.3"))], "bar", x_label="万元", y_label="预算部门")
    assert [tick.text for tick in small.ticks] == ["0", "0.1", "0.2", "0.3"]


def test_a_segment_carries_its_number_only_where_it_fits():
    chart = stacked([("甲", (1, 200, 0, 0))])
    narrow, wide = chart.bars[0].segments
    assert wide.labelled and not narrow.labelled


def test_bars_keep_the_order_given_or_rank_by_what_they_are_told():
    """Grades stand in their own order whatever their counts; the units' lights rank red first."""
    rows = [("优", (1, 0, 0)), ("良", (0, 5, 0)), ("中", (0, 0, 9)), ("差", (0, 0, 0))]
    kept = charts.stacked_bars("等级", rows, ("红", "黄", "绿"), ("cross", "lines", "solid"), x_label="张", y_label="等级", rank=None)
    assert [bar.name for bar in kept.bars] == ["优", "良", "中", "差"]
    assert [bar.total for bar in kept.bars] == ["1", "5", "9", "0"]
    red_first = charts.stacked_bars("灯", rows, ("红", "黄", "绿"), ("cross", "lines", "solid"), x_label="行", y_label="单位",
                                    rank=lambda counts: counts)
    assert [bar.name for bar in red_first.bars] == ["优", "良", "中", "差"]  # 1 red beats 5 yellow beats 9 green
    assert [bar.name for bar in stacked([(name, (*values, 0)) for name, values in rows]).bars] == ["中", "良", "优", "差"]  # by total
