"""Reader for the seed's text format: a Word 项目支出绩效目标表 saved as plain text.

Layout, as Word writes it: a title line "2021年项目支出绩效目标表", a line
"填报单位：…（盖章）  单位：万元", then table rows separated by empty lines. Each cell
starts on a line beginning with a tab; a line without a tab continues the cell above
(Word's line break inside a cell, as in "年度本级\\n预算金额").
"""
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import groupby

from .frameworks import DEFAULT_FRAMEWORK, Framework
from .errors import ReadError
from .models import GoalSheet, Indicator

TITLE = re.compile(r"^[ \u3000]*(\d{4})\s*年\s*项目支出绩效目标表\s*$")
UNIT_LINE = re.compile(r"填报单位[:：](?P<unit>.*?)(?:[（(]盖章[）)])?\s*(?:单位[:：]\s*(?P<money_unit>\S*)\s*)?$")
WORD_RESIDUE = re.compile(r"\[bookmark: [^\]]*\]")
YEAR_MONTH = r"(\d{4})\s*[.．/\-年]\s*(\d{1,2})\s*月?"
PERIOD = re.compile(rf"^{YEAR_MONTH}\s*(?:-|—|–|~|～|至|到)+\s*{YEAR_MONTH}$")
WHOLE_YEAR = re.compile(r"^(\d{4})\s*年?(?:度|全年)?$")
INDICATOR_HEADER = "一级指标"
MONEY_UNITS = {"万元": Decimal(1), "元": Decimal("0.0001"), "": Decimal(1)}

# The form's label → GoalSheet attribute; the value is the cell after the label.
HEADER_LABELS = {
    "项目支出名称": "project_name",
    "预算部门": "budget_dept",
    "年度本级预算金额": "local_budget",
    "该项目支出上级资金": "higher_funds",
    "项目支出实施期": "period",
    "实施期绩效目标": "period_goal",
    "本年度绩效目标": "annual_goal",
}


@dataclass(frozen=True)
class Cell:
    text: str
    line: int


def parse(text: str, source: str, framework: Framework = DEFAULT_FRAMEWORK) -> list[GoalSheet]:
    """Every sheet in the text, in order; ReadError names the line of the first problem."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    starts = [index for index, line in enumerate(lines) if TITLE.match(line)]
    if not starts:
        raise ReadError(source, 1, "没有找到标题“XXXX年项目支出绩效目标表”")
    ends = starts[1:] + [len(lines)]
    return [_parse_sheet(lines, start, end, source, framework) for start, end in zip(starts, ends)]


def _parse_sheet(lines: list[str], start: int, end: int, source: str, framework: Framework) -> GoalSheet:
    year = int(TITLE.match(lines[start]).group(1))
    unit_index = next((i for i in range(start + 1, end) if "填报单位" in lines[i]), None)
    if unit_index is None:
        raise ReadError(source, start + 2, "标题下没有“填报单位：…”一行")
    unit_match = UNIT_LINE.search(lines[unit_index].strip())
    unit = _clean(unit_match.group("unit")) if unit_match else ""
    if not unit:
        raise ReadError(source, unit_index + 1, "填报单位为空")
    money_unit = _clean(unit_match.group("money_unit") or "")
    if money_unit not in MONEY_UNITS:
        raise ReadError(source, unit_index + 1, f"金额单位“{money_unit}”无法识别，应为万元或元")

    rows = _rows(lines, unit_index + 1, end)
    header_end = next((i for i, row in enumerate(rows) if any(c.text == INDICATOR_HEADER for c in row)), len(rows))
    fields = _header_fields(rows[:header_end])
    if "project_name" not in fields or not fields["project_name"].text:
        raise ReadError(source, start + 1, "缺少“项目支出名称”")

    scale = MONEY_UNITS[money_unit]
    period_start, period_end = _period(fields.get("period"), source)
    return GoalSheet(
        unit=unit,
        year=year,
        framework=framework.code,
        project_name=fields["project_name"].text,
        budget_dept=_text(fields.get("budget_dept")),
        local_budget=_money(fields.get("local_budget"), scale, source, required=True, start=start),
        higher_funds=_money(fields.get("higher_funds"), scale, source),
        period_start=period_start,
        period_end=period_end,
        period_goal=_text(fields.get("period_goal")),
        annual_goal=_text(fields.get("annual_goal")),
        indicators=_indicators(rows[header_end + 1 :], source, framework),
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
    cells: list[tuple[int, str]] = []
    for index in indices:
        line = lines[index]
        if line.startswith("\t") or not cells:
            cells.append((index + 1, line.removeprefix("\t")))
        else:
            number, text = cells[-1]
            cells[-1] = (number, text + line)
    return [Cell(_clean(text), number) for number, text in cells]


def _clean(text: str) -> str:
    """Drop Word residue and full-width padding; keep the words."""
    return WORD_RESIDUE.sub("", text).replace("\u3000", " ").strip()


def _header_fields(rows: list[list[Cell]]) -> dict[str, Cell]:
    fields = {}
    for row in rows:
        for label, value in zip(row, row[1:] + [Cell("", row[-1].line)]):
            if label.text in HEADER_LABELS:
                fields[HEADER_LABELS[label.text]] = value
    return fields


def _text(cell: Cell | None) -> str:
    return cell.text if cell else ""


def _money(cell: Cell | None, scale: Decimal, source: str, required: bool = False, start: int = 0) -> Decimal | None:
    if cell is None or not cell.text:
        if required:
            raise ReadError(source, cell.line if cell else start + 1, "缺少“年度本级预算金额”")
        return None
    try:
        amount = Decimal(cell.text.replace(",", "").replace("，", "")) * scale
    except InvalidOperation:
        raise ReadError(source, cell.line, f"金额“{cell.text}”不是数字") from None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.0001")):
        raise ReadError(source, cell.line, f"金额“{cell.text}”最多保留到0.0001万元（1元）")
    return amount


def _period(cell: Cell | None, source: str) -> tuple[date | None, date | None]:
    """项目支出实施期 as written; an end before the start is kept for review to flag."""
    if cell is None or not cell.text:
        return None, None
    text = cell.text.replace(" ", "")
    if match := WHOLE_YEAR.match(text):
        year = int(match.group(1))
        return date(year, 1, 1), date(year, 12, 1)
    if match := PERIOD.match(text):
        start_year, start_month, end_year, end_month = map(int, match.groups())
        if 1 <= start_month <= 12 and 1 <= end_month <= 12:
            return date(start_year, start_month, 1), date(end_year, end_month, 1)
    raise ReadError(source, cell.line, f"项目支出实施期“{cell.text}”无法识别，应写作“2021.1-2021.12”")


def _indicators(rows: list[list[Cell]], source: str, framework: Framework) -> list[Indicator]:
    indicators: list[Indicator] = []
    level1 = level2 = None
    for row in rows:
        if len(row) == 6:
            row = row[1:]  # the "本年度绩效指标" column, spanning every row
        if len(row) != 5:
            raise ReadError(source, row[0].line, f"指标行应有5或6个单元格，这一行有{len(row)}个")
        level1_cell, level2_cell, name, value, standard = row
        if level1_cell.text:
            if level1_cell.text not in framework.level1_names():
                raise ReadError(source, level1_cell.line, f"未知的一级指标“{level1_cell.text}”")
            level1, level2 = level1_cell.text, None
        if level2_cell.text:
            if level1 is None or not framework.has_category(level1, level2_cell.text):
                raise ReadError(source, level2_cell.line, f"“{level1 or '（无一级指标）'}”下没有二级指标“{level2_cell.text}”")
            level2 = level2_cell.text
        if not (name.text or value.text or standard.text):
            continue  # the template's blank padding rows
        if level2 is None:
            raise ReadError(source, name.line, "指标行前面没有二级指标")
        indicators.append(
            Indicator(
                position=len(indicators) + 1,
                level1=level1,
                level2=level2,
                name=name.text,
                value=value.text,
                standard=standard.text,
            )
        )
    return indicators
