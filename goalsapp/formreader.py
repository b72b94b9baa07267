"""Reading the paper form's table, whichever file it came in: text, Word or Excel.

Each reader turns its file into FormTables (the title, the 填报单位 line and the
table's rows of cells); read_form turns one FormTable into a GoalSheet. Labels are
found by their wording, not their position, so templates that move a cell still read.
"""
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from . import limits
from .errors import ReadError
from .frameworks import DEFAULT_FRAMEWORK, Framework
from .models import GoalSheet, Indicator
from .text import normalize

TITLE = re.compile(r"(\d{4})\s*年\s*项目支出绩效目标表")
UNIT_LINE = re.compile(r"填报单位[:：](?P<unit>.*?)(?:[（(]盖章[）)])?\s*(?:单位[:：]\s*(?P<money_unit>\S*)\s*)?$")
# Longer than any real unit line: UNIT_LINE's lazy match costs the square of the length.
UNIT_LINE_MAX = 300
# Bounded, so a cell of a thousand unclosed "[bookmark: " costs a pass, not the square of one.
WORD_RESIDUE = re.compile(r"\[bookmark: [^\]\n]{0,200}\]")
YEAR_MONTH = r"(\d{4})[.．/\-年](\d{1,2})月?"
PERIOD = re.compile(rf"^(?:{YEAR_MONTH})?(?:-|—|–|~|～|至|到)(?:{YEAR_MONTH})?$")
WHOLE_YEAR = re.compile(r"^(\d{4})\s*年?(?:度|全年)?$")
INDICATOR_HEADS = ("一级指标", "二级指标", "三级指标")
# Rows some templates put under the indicators; the indicator block ends at them.
FOOTER_LABELS = ("财政部门审核意见", "填表人", "联系电话", "填报日期", "单位负责人")
MONEY_UNITS = {"万元": Decimal(1), "元": Decimal("0.0001"), "": Decimal(1)}
QUANTUM = Decimal("0.0001")  # 万元 to 4 places: one yuan
MAX_AMOUNT = 10**10  # 万元; far beyond any project, and within what the database stores exactly

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
    where: str  # for messages: "第12行", "工作表“X”B4"


@dataclass(frozen=True)
class FormTable:
    """One sheet's table as a file holds it."""

    title: Cell
    unit_line: Cell | None
    rows: list[list[Cell]]


def clean(text: str) -> str:
    """Drop Word residue and full-width padding; keep the words."""
    return normalize(WORD_RESIDUE.sub("", text).replace("\u3000", " "))


def label_key(text: str) -> str:
    """A label as wording only: "年度本级\\n预算金额" is "年度本级预算金额"."""
    return re.sub(r"\s+", "", text)


def parse_money(text: str, scale: Decimal = Decimal(1)) -> Decimal | None:
    """An amount in 万元 (after scale), exact to 0.0001; ValueError says what is wrong."""
    text = text.replace(",", "").replace("，", "").strip()
    if not text:
        return None
    try:
        amount = Decimal(text) * scale
    except InvalidOperation:
        raise ValueError(f"金额“{text}”不是数字") from None
    if not amount.is_finite():
        raise ValueError(f"金额“{text}”不是数字")
    if abs(amount) >= MAX_AMOUNT:  # before quantize, which a huge number would overflow
        raise ValueError(f"金额“{text}”过大")
    if amount != amount.quantize(QUANTUM):
        raise ValueError(f"金额“{text}”最多保留到0.0001万元（1元）")
    return amount


def parse_period(text: str) -> tuple[date | None, date | None]:
    """项目支出实施期 as written ("2021.1-2021.12", "2021年"); an end before the start is kept."""
    text = text.replace(" ", "")
    if not text:
        return None, None
    if match := WHOLE_YEAR.match(text):
        return _month(match.group(1), "1"), _month(match.group(1), "12")
    match = PERIOD.match(text)
    if match and any(match.groups()):
        start_year, start_month, end_year, end_month = match.groups()
        if all(month is None or 1 <= int(month) <= 12 for month in (start_month, end_month)):
            return _month(start_year, start_month), _month(end_year, end_month)
    raise ValueError(f"项目支出实施期“{text}”无法识别，应写作“2021.1-2021.12”")


def format_period(start: date | None, end: date | None) -> str:
    """The paper form's way: 2021.1-2021.12 (parse_period reads it back)."""
    if not (start or end):
        return ""
    return f"{_month_text(start)}-{_month_text(end)}"


def _month_text(day: date | None) -> str:
    return f"{day.year}.{day.month}" if day else ""


def _month(year: str | None, month: str | None) -> date | None:
    if year and not limits.PERIOD_FIRST_YEAR <= int(year) <= limits.PERIOD_LAST_YEAR:
        raise ValueError(f"实施期的年份{year}应在{limits.PERIOD_FIRST_YEAR}至{limits.PERIOD_LAST_YEAR}之间")
    return date(int(year), int(month), 1) if year else None


def read_form(table: FormTable, source: str, framework: Framework = DEFAULT_FRAMEWORK) -> GoalSheet:
    """The GoalSheet a paper form's table holds; ReadError names the cell at fault."""
    year = budget_year(int(TITLE.search(table.title.text).group(1)), table.title, source)
    if table.unit_line is None:
        raise ReadError(source, table.title.where, "标题下没有“填报单位：…”一行")
    if len(table.unit_line.text) > UNIT_LINE_MAX:
        raise ReadError(source, table.unit_line.where, f"“填报单位”一行超过{UNIT_LINE_MAX}个字，不像是填报单位")
    unit_match = UNIT_LINE.search(table.unit_line.text.strip())
    unit = clean(unit_match.group("unit")) if unit_match else ""
    if not unit:
        raise ReadError(source, table.unit_line.where, "填报单位为空")
    limited(Cell(unit, table.unit_line.where), limits.UNIT_NAME, "填报单位", source)
    money_unit = clean(unit_match.group("money_unit") or "")
    if money_unit not in MONEY_UNITS:
        raise ReadError(source, table.unit_line.where, f"金额单位“{money_unit}”无法识别，应为万元或元")

    header_end = next((i for i, row in enumerate(table.rows) if _is_indicator_head(row)), len(table.rows))
    fields = _header_fields(table.rows[:header_end])
    if not _text(fields.get("project_name")):
        raise ReadError(source, table.title.where, "缺少“项目支出名称”")
    if not _text(fields.get("local_budget")):
        raise ReadError(source, _where(fields.get("local_budget"), table.title), "缺少“年度本级预算金额”")

    scale = MONEY_UNITS[money_unit]
    period_start, period_end = _read(parse_period, fields.get("period"), source) or (None, None)
    return GoalSheet(
        unit=unit,
        year=year,
        framework=framework.code,
        project_name=limited(fields["project_name"], limits.PROJECT_NAME, "项目支出名称", source),
        budget_dept=limited(fields.get("budget_dept"), limits.BUDGET_DEPT, "预算部门", source),
        local_budget=_read(parse_money, fields["local_budget"], source, scale),
        higher_funds=_read(parse_money, fields.get("higher_funds"), source, scale),
        period_start=period_start,
        period_end=period_end,
        period_goal=limited(fields.get("period_goal"), limits.GOAL_TEXT, "实施期绩效目标", source),
        annual_goal=limited(fields.get("annual_goal"), limits.GOAL_TEXT, "本年度绩效目标", source),
        indicators=_indicators(table.rows[header_end + 1 :], source, framework),
    )


def _is_indicator_head(row: list[Cell]) -> bool:
    texts = [label_key(cell.text) for cell in row]
    return all(head in texts for head in INDICATOR_HEADS)


def _header_fields(rows: list[list[Cell]]) -> dict[str, Cell]:
    fields = {}
    for row in rows:
        for label, value in zip(row, row[1:] + [Cell("", row[-1].where)]):
            if label_key(label.text) in HEADER_LABELS:
                fields[HEADER_LABELS[label_key(label.text)]] = value
    return fields


def _text(cell: Cell | None) -> str:
    return cell.text if cell else ""


def limited(cell: Cell | None, limit: int, what: str, source: str) -> str:
    """The cell's text, if it is no longer than the editor and the database allow."""
    text = _text(cell)
    if len(text) > limit:
        raise ReadError(source, cell.where, f"{what}有{len(text)}个字，不能超过{limit}个字")
    return text


def budget_year(year: int, cell: Cell, source: str) -> int:
    if not limits.FIRST_YEAR <= year <= limits.LAST_YEAR:
        raise ReadError(source, cell.where, f"年度{year}应在{limits.FIRST_YEAR}至{limits.LAST_YEAR}之间")
    return year


def check_sheet_count(count: int, source: str, where: str | None = None) -> None:
    if count > limits.SHEETS_PER_FILE:
        raise ReadError(source, where, f"文件里有{count}张表，一个文件最多{limits.SHEETS_PER_FILE}张，请分成几个文件导入")


def check_row_count(count: int, cell: Cell, source: str) -> None:
    if count > limits.INDICATORS_PER_SHEET:
        raise ReadError(source, cell.where, f"一张表最多{limits.INDICATORS_PER_SHEET}个指标，到这一行已超过")


def _where(cell: Cell | None, fallback: Cell) -> str:
    return cell.where if cell else fallback.where


def _read(parse, cell: Cell | None, source: str, *args):
    """parse(cell.text), with a ValueError turned into a ReadError at that cell."""
    if cell is None:
        return None
    try:
        return parse(cell.text, *args)
    except ValueError as error:
        raise ReadError(source, cell.where, str(error)) from None


def _indicators(rows: list[list[Cell]], source: str, framework: Framework) -> list[Indicator]:
    indicators: list[Indicator] = []
    level1 = level2 = None
    for row in rows:
        if row and label_key(row[0].text).startswith(FOOTER_LABELS):
            break
        if len(row) == 6:
            row = row[1:]  # the "本年度绩效指标" column, spanning every row
        if len(row) != 5:
            raise ReadError(source, row[0].where, f"指标行应有5或6个单元格，这一行有{len(row)}个")
        level1_cell, level2_cell, name, value, standard = row
        if level1_cell.text and label_key(level1_cell.text) != level1:
            level1 = label_key(level1_cell.text)
            if level1 not in framework.level1_names():
                raise ReadError(source, level1_cell.where, f"未知的一级指标“{level1_cell.text}”")
            level2 = None
        if level2_cell.text:
            if level1 is None or not framework.has_category(level1, label_key(level2_cell.text)):
                raise ReadError(source, level2_cell.where, f"“{level1 or '（无一级指标）'}”下没有二级指标“{level2_cell.text}”")
            level2 = label_key(level2_cell.text)
        if not (name.text or value.text or standard.text):
            continue  # the template's blank padding rows
        if level2 is None:
            raise ReadError(source, name.where, "指标行前面没有二级指标")
        check_row_count(len(indicators) + 1, name, source)
        indicators.append(Indicator(
            position=len(indicators) + 1, level1=level1, level2=level2,
            name=limited(name, limits.INDICATOR_NAME, "三级指标", source),
            value=limited(value, limits.INDICATOR_VALUE, "指标值及单位", source),
            standard=limited(standard, limits.INDICATOR_STANDARD, "绩效标准", source)))
    return indicators
