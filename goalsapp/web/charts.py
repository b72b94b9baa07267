"""Bar charts as geometry. From numbers this module computes the bars' rectangles, the axis ticks
and the labels, cut to fit. The SVG macros in templates/overview/_charts.html only draw what it
returns. The functions are pure: no request, no template.

Sizes are SVG user units. The SVG scales to its box, on screen and on paper, so one set of sizes
serves both.
"""
import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

Number = int | Decimal
Rank = Callable[[tuple[Number, ...]], object]  # what orders the bars, from a bar's values: sum, the total, unless told

WIDTH = 960
FONT = 13  # the labels' size. A CJK character is about this wide, a digit or a Latin letter about 0.6 of it
SMALL = 11  # the numbers written on a segment
LABEL_WIDTH = 210  # the names, left of the bars
BAR = 22
GAP = 10
TITLE_ROW = 34  # the title
HEAD_ROW = 28  # over the names what each bar is; beside it, when the bars stack several series, the legend
BOTTOM = 56  # the axis, its ticks and its label
RIGHT = 70  # room for the total after the longest bar
SWATCH = 14
ELLIPSIS = "…"
TICKS = 5  # about this many steps along the axis


@dataclass(frozen=True)
class Segment:
    """One series' part of a bar."""

    x: float
    width: float
    text: str  # the value, as the reader reads it
    series: int

    @property
    def labelled(self) -> bool:
        """Wide enough to carry its number, which then tells the series apart in black and white too."""
        return self.width >= text_width(self.text, SMALL) + 6


@dataclass(frozen=True)
class Bar:
    name: str  # in full: the bar's tooltip
    label: str  # as it fits left of the bar
    y: float
    segments: tuple[Segment, ...]
    total: str
    end: float  # where the bar ends; its total is written after it
    height: float = BAR

    @property
    def baseline(self) -> float:
        """Where the bar's texts stand, centred on it."""
        return self.y + self.height / 2 + FONT * 0.35


@dataclass(frozen=True)
class Tick:
    x: float
    text: str


@dataclass(frozen=True)
class LegendItem:
    x: float  # the swatch's left; its name follows it
    name: str
    series: int
    y: float = TITLE_ROW  # the swatch's top
    size: float = SWATCH

    @property
    def baseline(self) -> float:
        return self.y + self.size - 2


@dataclass(frozen=True)
class Chart:
    title: str
    x_label: str  # under the axis: what the bars measure, with its unit
    y_label: str  # over the names: what each bar is
    series: tuple[str, ...]
    looks: tuple[str, ...]  # how each series is filled (a pattern's name in the template)
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    legend: tuple[LegendItem, ...]
    left: float  # the plot area: the bars start at left, and the axis runs along bottom
    right: float
    top: float
    bottom: float
    height: float
    width: float = WIDTH

    @property
    def head_baseline(self) -> float:
        """Where the heading over the names stands: on the legend's line."""
        return TITLE_ROW + SWATCH - 2

    @property
    def empty(self) -> bool:
        return not any(bar.segments for bar in self.bars)

    @property
    def description(self) -> str:
        """The numbers read out, for those who cannot see the bars: each bar's total and parts."""
        if self.empty:
            return f"{self.title}：暂无数据。"
        parts = []
        for bar in self.bars:
            detail = "，".join(f"{self.series[segment.series]}{segment.text}" for segment in bar.segments)
            parts.append(f"{bar.name}：{bar.total}" + (f"（{detail}）" if len(self.series) > 1 else ""))
        return f"{self.title}。" + "；".join(parts) + "。"


def plain(value: Number) -> str:
    """A number as people write it: 20, not 2E+1; 0.5, not 0.50."""
    return format(Decimal(value).normalize(), "f")


def text_width(text: str, size: float = FONT) -> float:
    """About how wide text is drawn at this size: wide (CJK) characters take a whole size, others 0.6."""
    return sum(size if unicodedata.east_asian_width(ch) in "WFA" else size * 0.6 for ch in text)


def cut(text: str, width: float, size: float = FONT) -> str:
    """text, or as much of it as fits into width with an ellipsis after it."""
    if text_width(text, size) <= width:
        return text
    room, kept = width - text_width(ELLIPSIS, size), ""
    for ch in text:
        if text_width(kept + ch, size) > room:
            break
        kept += ch
    return kept + ELLIPSIS


def axis_end(largest: Number, whole: bool) -> tuple[Decimal, Decimal]:
    """The axis's end and step: a round step (1, 2 or 5 times a power of ten) that reaches largest in
    about TICKS steps. Counts (whole) never step by less than one. With nothing to show it is 0 to 1."""
    largest = Decimal(largest)
    if largest <= 0:
        return Decimal(1), Decimal(1)
    rough = largest / TICKS
    power = Decimal(10) ** math.floor(math.log10(rough))
    step = next(power * m for m in (1, 2, 5, 10) if power * m >= rough)
    if whole:
        step = max(step, Decimal(1))
    return math.ceil(largest / step) * step, step


def stacked_bars(title: str, rows: Sequence[tuple[str, Sequence[Number]]], series: Sequence[str], looks: Sequence[str], *,
                 x_label: str, y_label: str, most: int = 15, rest: str = "其余{}个", formatter: Callable[[Number], str] | None = None,
                 whole: bool = False, rank: Rank | None = sum) -> Chart:
    """A horizontal bar per row, its values stacked left to right in series order, the largest
    totals first (or the largest by `rank` of the values; None keeps the rows' order). Past `most`
    rows, the rest add up into one last bar named by `rest`."""
    formatter = formatter or plain
    rows = _largest_first(rows, most, rest, rank)
    end, step = axis_end(max((sum(values) for _, values in rows), default=0), whole)
    top = TITLE_ROW + HEAD_ROW
    left, right = LABEL_WIDTH + 12, WIDTH - RIGHT
    scale = (right - left) / float(end)
    bars = []
    for number, (name, values) in enumerate(rows):
        x, segments = float(left), []
        for index, value in enumerate(values):
            if value:
                segments.append(Segment(x, float(value) * scale, formatter(value), index))
                x += float(value) * scale
        bars.append(Bar(name, cut(name, LABEL_WIDTH - 8), top + number * (BAR + GAP), tuple(segments), formatter(sum(values)), x))
    bottom = top + max(len(rows), 1) * (BAR + GAP)
    ticks = tuple(Tick(left + float(at) * scale, formatter(int(at) if whole else at)) for at in (step * n for n in range(int(end / step) + 1)))
    return Chart(title, x_label, y_label, tuple(series), tuple(looks), tuple(bars), ticks, _legend(series) if len(series) > 1 else (),
                 left, right, top, bottom, bottom + BOTTOM)


def bars(title: str, rows: Sequence[tuple[str, Number]], look: str, *, x_label: str, y_label: str, most: int = 15,
         rest: str = "其余{}个", formatter: Callable[[Number], str] | None = None, whole: bool = False) -> Chart:
    """One bar per row, the largest first: a stack of one series."""
    return stacked_bars(title, [(name, (value,)) for name, value in rows], (x_label,), (look,), x_label=x_label, y_label=y_label,
                        most=most, rest=rest, formatter=formatter, whole=whole)


def _largest_first(rows: Sequence[tuple[str, Sequence[Number]]], most: int, rest: str,
                   rank: Rank | None = sum) -> list[tuple[str, tuple[Number, ...]]]:
    """The rows by rank (their total unless told), largest first (ties keep their order), or as
    given when rank is None; past `most`, the rest as one. A single row left over is shown as
    itself: a bar named "the other one" would hide its name."""
    ranked = [(name, tuple(values)) for name, values in rows]
    if rank is not None:
        ranked.sort(key=lambda row: rank(row[1]), reverse=True)
    if len(ranked) <= most + 1:
        return ranked
    kept, others = ranked[:most], ranked[most:]
    return kept + [(rest.format(len(others)), tuple(sum(column) for column in zip(*(values for _, values in others))))]


def _legend(series: Sequence[str]) -> tuple[LegendItem, ...]:
    items, x = [], float(LABEL_WIDTH + 12)
    for index, name in enumerate(series):
        items.append(LegendItem(x, name, index))
        x += SWATCH + 6 + text_width(name) + 20
    return tuple(items)
