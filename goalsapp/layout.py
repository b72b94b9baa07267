"""How a sheet's indicator rows are laid out: grouped for the editor, spanned for paper.

Print (and, later, Excel export) share print_rows, so the paper form has one definition.
"""
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from .frameworks import Framework
from .models import Indicator

# Where the paper form breaks a category label that is too long for its cell, line by line.
# Every other label prints whole: print.css keeps a CJK word together, which it would
# otherwise break at any character ("产出指/标").
PAPER_LINES = {
    "产出指标": ("产出", "指标"),
    "效益指标": ("效益", "指标"),
    "社会公众或服务对象满意度指标": ("社会公众或", "服务对象", "满意度指标"),
}


def paper_lines(label: str) -> tuple[str, ...]:
    """A label's lines as the paper form prints them."""
    return PAPER_LINES.get(label, (label,))


@dataclass(frozen=True)
class Group:
    """One level-2 category with its indicators, in position order."""

    level1: str
    level2: str
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class PrintRow:
    """One printed row; a span of 0 means the cell is covered by a span above."""

    level1: str
    level1_span: int
    level2: str
    level2_span: int
    indicator: Indicator | None

    @property
    def level1_lines(self) -> tuple[str, ...]:
        return paper_lines(self.level1)

    @property
    def level2_lines(self) -> tuple[str, ...]:
        return paper_lines(self.level2)


def group_indicators(framework: Framework, indicators: Iterable[Indicator]) -> list[Group]:
    """Every category of the framework, in form order, each with its indicators."""
    by_category = defaultdict(list)
    for indicator in sorted(indicators, key=lambda i: i.position):
        by_category[indicator.level1, indicator.level2].append(indicator)
    return [
        Group(level1, level2, tuple(by_category[level1, level2]))
        for level1, level2 in framework.pairs()
    ]


def print_rows(framework: Framework, indicators: Iterable[Indicator]) -> list[PrintRow]:
    """The indicator block as printed: every category present, padded with blank rows.

    The paper template gives each category room for a second row, except the last: the
    table ends at the last category's last filled row (as in every table of the seed).
    """
    rows: list[PrintRow] = []
    groups = group_indicators(framework, indicators)
    for level1 in framework.level1_names():
        block = [
            (group, _padded(group.indicators, 1 if group is groups[-1] else framework.rows_per_group))
            for group in groups if group.level1 == level1
        ]
        level1_span = sum(len(group_rows) for _, group_rows in block)
        for group, group_rows in block:
            for index, indicator in enumerate(group_rows):
                rows.append(
                    PrintRow(
                        level1=level1,
                        level1_span=0 if rows and rows[-1].level1 == level1 else level1_span,
                        level2=group.level2,
                        level2_span=len(group_rows) if index == 0 else 0,
                        indicator=indicator,
                    )
                )
    return rows


def _padded(indicators: tuple[Indicator, ...], minimum: int) -> list[Indicator | None]:
    return list(indicators) + [None] * (minimum - len(indicators))
