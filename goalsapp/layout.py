"""How a sheet's indicator rows are laid out: grouped for the editor, spanned for paper.

Print (and, later, Excel export) share print_rows, so the paper form has one definition.
"""
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from .frameworks import Framework
from .models import Indicator


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
    """The indicator block as printed: every category present, padded with blank rows."""
    rows: list[PrintRow] = []
    groups = group_indicators(framework, indicators)
    for level1 in framework.level1_names():
        block = [(group, _padded(group.indicators, framework.rows_per_group)) for group in groups if group.level1 == level1]
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
