"""How the year's other documents word their paper: the self-evaluation's and the monitoring's
titles, labels and column heads, as data the print layouts print and the file reader reads by.

A Wording is one document's words across its published layouts (evaluation_layout.py and
monitoring_paper.py each build theirs from the same heads their print uses): a file of either
layout is read by them, and a head printed in a new way is one more synonym here, not a change
in the reader. A head is a formtemplates.Column: its key says where the value goes, its label
is what print shows, its synonyms what other files write.
"""
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from .formtemplates import Column, label_key, matched_title
from .text import normalize

Row = TypeVar("Row")

# Parts of a label that say nothing about which column it is: a block's points ("绩效指标（90分）",
# "产出指标（50分）"), an amount's unit ("年初预算数（万元）"); and the months a column covers
# ("1-6月执行情况", "半年度指标执行情况"), which say the round's month.
POINTS = re.compile(r"[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]")
MONEY_SUFFIX = re.compile(r"[(（]\s*(?:万元|元)\s*[)）]")
MONTHS = "{months}"  # in a head's label: the round's months, "1-6月"
MONTHS_WRITTEN = re.compile(r"^(?:1\s*[-—–~～至到]\s*(?P<month>\d{1,2})\s*月|(?P<january>1月)|(?P<half>上半年|半年度?))")
HALF_YEAR = 6
TICKS = "√✓✔☑■●"  # a box ticked on paper ("□确定能 √有可能"), as a file writes it


def head_key(text: str) -> str:
    """A label or head as wording only: no blanks or brackets, no points, no money unit."""
    return label_key(MONEY_SUFFIX.sub("", POINTS.sub("", text)))


def without_months(text: str) -> tuple[str, int | None]:
    """A head without the months it starts with, and the month they run to ("1-6月执行数" is
    ("执行数", 6); "半年度指标执行情况" is ("指标执行情况", 6)); the text as it was and None when
    it names none."""
    key = head_key(text)
    match = MONTHS_WRITTEN.match(key)
    if match is None:
        return key, None
    month = int(match.group("month")) if match.group("month") else 1 if match.group("january") else HALF_YEAR
    return key[match.end():], month


def column_keys(column: Column) -> set[str]:
    """Every wording a head may have in a file, the months left out ("{months}执行数" is "执行数")."""
    return {head_key(text.replace(MONTHS, "")) for text in (column.label, *column.synonyms)}


def ticked(text: str, choices: tuple[str, ...]) -> str:
    """The choice a cell of check boxes ticks ("□确定能 √有可能 □完全不可能" is 有可能); any other
    text as it is."""
    for mark in TICKS:
        for choice in choices:
            if re.search(rf"{re.escape(mark)}\s*{re.escape(choice)}", text):
                return choice
    return text


@dataclass(frozen=True)
class Wording:
    """One document's words, across its layouts: what a reader needs to place every cell.

    titles: patterns of its title (label_key'd, so "（2021年度）" reads "2021年度"), the budget
    year as (?P<year>). labels: a label → the key its value (the cell after it) is kept under.
    groups: labels that carry no value (a block's name spanning its rows). money: the money
    block's column heads; money_rows: its rows' labels, each a key ("total", "fiscal"), when the
    block has rows of its own (a self-evaluation's 年度资金总额 and 其中 rows; a monitoring's block
    is one row of amounts). goals: heads of a block of one row of texts (预期目标 | 实际完成情况).
    heads: the indicator columns. closing: labels of rows under the indicators that close them
    (总分, 合计), each a key. footers: labels under the table, their values read after a colon.
    """

    name: str  # as its title reads
    short: str  # as messages name it: 自评表
    titles: tuple[str, ...]
    labels: dict[str, str]
    heads: tuple[Column, ...]
    money: tuple[Column, ...] = ()
    money_rows: dict[str, str] = field(default_factory=dict)
    goals: tuple[Column, ...] = ()
    groups: frozenset[str] = frozenset()
    closing: dict[str, str] = field(default_factory=dict)
    footers: dict[str, str] = field(default_factory=dict)

    def title_year(self, text: str) -> tuple[bool, int | None]:
        """Whether text is this document's title (the whole of it), and the year it names if it names one."""
        return matched_title(self.titles, text, re.fullmatch)


def labels_of(*pairs: tuple[str, tuple[str, ...]]) -> dict[str, str]:
    """{wording: key} from (key, wordings) pairs."""
    return {head_key(text): key for key, texts in pairs for text in texts}


def every_wording(*groups: tuple[Column, ...]) -> tuple[Column, ...]:
    """One head a key, with every wording any of the layouts gives it: a file may be of any of them."""
    merged: dict[str, Column] = {}
    for column in (column for group in groups for column in group):
        known = merged.get(column.key)
        merged[column.key] = column if known is None else Column(
            column.key, known.label, tuple(dict.fromkeys((*known.synonyms, column.label, *column.synonyms))))
    return tuple(merged.values())


def name_key(name: str) -> str:
    """A 三级指标 as a file's row and the target's are matched by: blanks and line breaks left out."""
    return "".join(normalize(name, multiline=False).split())


def matched_by_name(rows: Sequence[Row], name_of: Callable[[Row], str], lines: Iterable, project: str,
                    problems: list[str]) -> Iterator[tuple[Row, object]]:
    """Each of a file's rows (lines) with the document's row of the same 三级指标: a file may order
    its rows its own way, and a name written twice matches its rows in turn. A file's row the
    target has not is a problem, said with where it is."""
    waiting: dict[str, list[Row]] = {}
    for row in rows:
        waiting.setdefault(name_key(name_of(row)), []).append(row)
    for line in lines:
        name = line.cells["name"]
        matches = waiting.get(name_key(name.text))
        if not matches:
            problems.append(f"{name.where}的三级指标“{name.text}”不是目标表“{project}”的指标")
            continue
        yield matches.pop(0), line
