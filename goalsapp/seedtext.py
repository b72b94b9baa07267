"""Reader for the seed's text format: a Word 项目支出绩效目标表 saved as plain text.

Layout, as Word writes it: a title line "2021年项目支出绩效目标表", a line
"填报单位：…（盖章）  单位：万元", then table rows separated by empty lines. Each cell
starts on a line beginning with a tab; a line without a tab continues the cell above
(Word's line break inside a cell, as in "年度本级\\n预算金额").
"""
import re
from itertools import groupby

from .errors import ReadError
from .formreader import Cell, FormTable, check_sheet_count, clean, read_form
from .models import GoalSheet

TITLE_LINE = re.compile(r"^[ \u3000]*\d{4}\s*年\s*项目支出绩效目标表\s*$")


def parse(text: str, source: str) -> list[GoalSheet]:
    """Every sheet in the text, in order; ReadError names the line of the first problem."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    starts = [index for index, line in enumerate(lines) if TITLE_LINE.match(line)]
    if not starts:
        raise ReadError(source, "第1行", "没有找到标题“××××年项目支出绩效目标表”")
    check_sheet_count(len(starts), source)  # before reading any: a file of thousands costs one pass
    ends = starts[1:] + [len(lines)]
    return [read_form(_table(lines, start, end), source) for start, end in zip(starts, ends)]


def _table(lines: list[str], start: int, end: int) -> FormTable:
    unit_index = next((i for i in range(start + 1, end) if "填报单位" in lines[i]), None)
    return FormTable(
        title=_cell(lines[start], start),
        unit_line=_cell(lines[unit_index], unit_index) if unit_index is not None else None,
        rows=_rows(lines, (unit_index if unit_index is not None else start) + 1, end),
    )


def _rows(lines: list[str], start: int, end: int) -> list[list[Cell]]:
    """Table rows: the runs of non-empty lines."""
    return [
        _cells(lines, list(indices))
        for non_empty, indices in groupby(range(start, end), key=lambda i: lines[i] != "")
        if non_empty
    ]


def _cells(lines: list[str], indices: list[int]) -> list[Cell]:
    """A row's cells: a tab starts a cell, a line without one continues it."""
    cells: list[tuple[int, list[str]]] = []  # each cell's lines, joined once: no growing string copied per line
    for index in indices:
        line = lines[index]
        if line.startswith("\t") or not cells:
            cells.append((index, [line.removeprefix("\t")]))
        else:
            cells[-1][1].append(line)
    return [_cell("".join(parts), index) for index, parts in cells]


def _cell(text: str, index: int) -> Cell:
    return Cell(clean(text), f"第{index + 1}行")
