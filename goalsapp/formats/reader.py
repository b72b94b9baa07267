"""One reader for every file format and every form: rows of cells in, GoalSheets out.

Each format's reader (text, Word, Excel) turns its file into Rows: a paragraph is a row of
one cell, a table row a row of its cells, each cell at its grid column. From there on the
formats are one: the rows are split into forms at their titles; each form's template is
the one whose title, header labels and indicator heads fit it best (formtemplates); its
header is read label by label and its indicators column by column, found by their heads
in whatever order and spans the file has them. Every value is kept as written. A cell that
cannot be placed is an error naming the file and the cell: nothing is dropped in silence,
and nothing overwritten: a field the file gives twice must say the same both times.
"""
import re
from dataclasses import dataclass
from decimal import Decimal

from ..domain import limits, measures
from ..domain.errors import ReadError
from ..domain.formtemplates import LEVEL1, LEVEL2, TEMPLATES, Column, FormTemplate, Kind, SubTable, label_key, shown_label
from ..domain.layout import footer_key, shown
from ..domain.models import GoalSheet, Indicator
from ..domain.text import normalize
from ..domain.values import in_unit, parse_money, parse_period, written_amount

# Bounded, so a cell of a thousand unclosed "[bookmark: " costs a pass, not the square of one.
WORD_RESIDUE = re.compile(r"\[bookmark: [^\]\n]{0,200}\]")
# Longer than any real unit line: the pattern below costs the square of the length.
UNIT_LINE_MAX = 300
STAMP = r"(?:[(（]\s*盖章\s*[)）])?"
UNIT_LINE = re.compile(
    rf"^(?:填报单位|单位名称|单位)\s*{STAMP}\s*[:：]\s*(?P<unit>.*?)\s*{STAMP}\s*(?:(?:金额)?单位\s*[:：]\s*(?P<money>元|万元))?\s*$"
)
MONEY_NOTE = re.compile(r"^(?:金额)?单位\s*[:：]\s*(?P<money>元|万元)$")
FILE_YEAR = re.compile(r"((?:19|20)\d\d)")
YEAR_LINE = re.compile(r"^[(（]\s*(?P<year>\d{4})\s*年度?\s*[)）]$")
FOOTER_LABELS = {label for template in TEMPLATES.values() for label in template.footers}
# A footer label some form has under its table, with its colon; its characters may be spaced
# out ("填 表 人："). Longest first: "单位负责人签字：" is not "单位负责人" and a value.
FOOTER_LABEL = re.compile("(?P<label>" + "|".join(r"\s*".join(map(re.escape, label)) for label in
                                                 sorted(FOOTER_LABELS, key=len, reverse=True)) + r")\s*[:：]")
# A label no form has under its table ("审核人：李四"), after a blank inside a footer's value.
OTHER_LABEL = re.compile(r"(?:^|\s)(?P<label>[^\s:：\d][^\s:：]{0,9})\s*[:：]")
COMMENT_LABEL = "财政部门审核意见"
NAME_HEADS = {"三级指标", "三级"}  # the head every form gives its indicators' names
SUBTOTALS = ("合计", "小计", "总计")
# Block labels some forms print spanning the indicator block, or as a row of their own above it.
BLOCK_LABELS = {"本年度绩效指标", "绩效指标", "年度绩效指标"}


def clean(text: str) -> str:
    """A cell's words: Word residue and full-width padding dropped, line breaks kept."""
    return normalize(WORD_RESIDUE.sub("", text).replace("\u3000", " "))


@dataclass(frozen=True)
class Cell:
    text: str
    where: str  # for messages: "第12行", "第1个表格第3行第2列", "工作表“X”B4"
    column: int = 0  # grid column where the cell starts
    covered: bool = False  # under a cell merged down from a row above (Word's text cannot tell)


@dataclass(frozen=True)
class Row:
    cells: list[Cell]
    paragraph: bool = False  # a line of text outside any table
    # Cells numbered by their place in the row, not by grid column: Word's text does not say
    # which columns a merged cell covers.
    positional: bool = False

    @property
    def filled(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.text]

    @property
    def text(self) -> str:
        return " ".join(cell.text for cell in self.filled)


# --- splitting a file into forms ------------------------------------------------------------


def is_title(row: Row) -> bool:
    """A form's title: a line of its own, or a table row whose one filled cell is its first
    (an indicator row under merged categories may hold one cell too, further right)."""
    filled = row.filled
    return len(filled) == 1 and (row.paragraph or filled[0] is row.cells[0]) and \
        any(t.title_year(filled[0].text)[0] for t in TEMPLATES.values())


def split_forms(rows: list[Row], source: str, what: str) -> list[list[Row]]:
    """The rows of each form, from its title to the next form's title."""
    starts = [index for index, row in enumerate(rows) if is_title(row)]
    if not starts:
        known = "、".join(f"“{t.title.format(year='××××').splitlines()[0]}”" for t in TEMPLATES.values())
        first = next((row.filled[0] for row in rows if row.filled), None)
        if first is None:
            raise ReadError(source, None, f"{what}里没有找到绩效目标表：{what}是空的")
        raise ReadError(source, first.where, f"{what}里没有找到标题：第一行“{first.text[:40]}”不是认得的标题；"
                                             f"能读的表有{known}，或一行一个指标的清单")
    if len(starts) > limits.SHEETS_PER_FILE:
        raise ReadError(source, None, f"文件里有{len(starts)}张表，一个文件最多{limits.SHEETS_PER_FILE}张，请分成几个文件导入")
    return [rows[start:end] for start, end in zip(starts, starts[1:] + [len(rows)])]


def read_rows(rows: list[Row], source: str, what: str = "文件", template: FormTemplate | None = None) -> list[GoalSheet]:
    """Every sheet the rows hold: forms, or a flat list of indicators (titled or not); what
    names the file's kind for a message ("文档", "工作簿"). A template given (the user's
    correction of the guess) is the form every sheet is read in."""
    if not any(is_title(row) for row in rows) and _flat_heading(rows) is not None:
        return _bounded(read_flat(rows, source, template), source)
    sheets = []
    for form_rows in split_forms(rows, source, what):
        if _flat_heading(form_rows) is not None:
            sheets += read_flat(form_rows, source, template)
        else:
            sheets.append(read_form(form_rows, source, template))
    return _bounded(sheets, source)


def _bounded(sheets: list[GoalSheet], source: str) -> list[GoalSheet]:
    indicators = sum(len(sheet.indicators) for sheet in sheets)
    if indicators > limits.INDICATORS_PER_FILE:
        raise ReadError(source, None, f"文件里有{indicators}个指标，一个文件最多{limits.INDICATORS_PER_FILE}个，请分成几个文件导入")
    return sheets


# --- one form ----------------------------------------------------------------------------------


@dataclass
class Parts:
    """A form's rows sorted by what they are."""

    titles: list[Cell]
    lines: list[Cell]  # unit line, money note
    header: list[Row]
    heading: Row | None
    body: list[Row]
    tail: list[Row]  # 财政部门审核意见
    footers: list[Cell]


def parts_of(rows: list[Row]) -> Parts:
    titles = [rows[0].filled[0]]
    index = 1
    while index < len(rows) and (not rows[index].filled or YEAR_LINE.match(label_key_keep(rows[index].text))):
        if rows[index].filled:
            titles.append(rows[index].filled[0])
        index += 1
    lines = []
    while index < len(rows) and _is_line(rows[index]):
        lines += rows[index].filled
        index += 1
    table_end = _table_end(rows, index)
    footers = [cell for row in rows[table_end:] for cell in row.filled]
    table = [row for row in rows[index:table_end] if row.filled]
    head_at = next((i for i, row in enumerate(table) if _is_heading(row, table[i + 1] if i + 1 < len(table) else None)), None)
    if head_at is None:
        return Parts(titles, lines, table, None, [], [], footers)
    heading, heads = table[head_at], 1
    if not _names_level2(heading):  # the heads stand on two rows: groups above, columns below
        heading, heads = _combined(heading, table[head_at + 1]), 2
    body = table[head_at + heads :]
    tail_at = next((i for i, row in enumerate(body) if _is_comment_row(row)), len(body))
    return Parts(titles, lines, table[:head_at], heading, body[:tail_at], body[tail_at:], footers)


def _table_end(rows: list[Row], start: int) -> int:
    """Where the lines under the table start: at the first paragraph or footer line (填表人：…)
    of the last rows that hold at most one cell each. A row of one cell above it is the table's
    (an indicator row may hold one cell); one below it is under the table, to be read as a
    footer or refused."""
    trailing = len(rows)
    while trailing > start and (rows[trailing - 1].paragraph or len(rows[trailing - 1].filled) <= 1):
        trailing -= 1
    return next((i for i in range(trailing, len(rows)) if rows[i].paragraph or _is_footer(rows[i])), len(rows))


def _is_comment_row(row: Row) -> bool:
    """财政部门审核意见 in the row's first cell: the same words further right are an indicator's."""
    return row.filled[0] is row.cells[0] and label_key(row.cells[0].text) == COMMENT_LABEL


def category_key(text: str) -> str:
    """A category as its framework names it: line breaks gone, full-width brackets half-width
    ("数量指标（或建筑规模指标）" is Guangdong's "数量指标(或建筑规模指标)")."""
    return re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")")


def label_key_keep(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _is_line(row: Row) -> bool:
    """A line above the table: the unit line, the money note (in a table row of their own,
    the unit line and the money note may be two cells; "单位（盖章）｜X" is a header row)."""
    filled = row.filled
    if not filled:
        return True
    if len(row.text) > UNIT_LINE_MAX:
        return "填报单位" in row.text  # read as the unit line, to be refused as too long for one
    notes = [cell for cell in filled if UNIT_LINE.match(cell.text.strip()) or MONEY_NOTE.match(label_key_keep(cell.text))]
    return len(notes) == len(filled) and (row.paragraph or len(filled) <= 2)


def _is_footer(row: Row) -> bool:
    """A line under the table (填表人：…): a row of one cell starting with a label some form has
    under its table, in the row's first column. A last indicator row may be one cell too ("绩:",
    "填报日期："), but further right, under its merged categories; Word's text keeps no columns,
    so there the label decides alone."""
    filled = row.filled
    return len(filled) == 1 and (row.paragraph or row.positional or filled[0] is row.cells[0]) and \
        bool(FOOTER_LABEL.match(filled[0].text))


def _is_heading(row: Row, below: Row | None) -> bool:
    """The indicator block's heads: 一级指标, 二级指标 and 三级指标, the last two maybe on the
    row below (Guangdong's 中期 and 年度 blocks head their columns on a second row). Header
    values that happen to read "一级指标" and "二级指标" name no 三级指标 beside them."""
    keys = {label_key(cell.text) for cell in row.filled}
    below_keys = {label_key(cell.text).split("/")[-1] for cell in below.filled} if below is not None else set()
    if not keys & LEVEL1.keys:
        return False
    if _names_level2(row):
        return bool(keys & NAME_HEADS)
    # Heads on two rows: the row below names 二级指标 and 三级指标 but never 一级指标 again (a header value
    # reading "一级" above the real heads is no group row).
    return below is not None and _names_level2(below) and bool(below_keys & NAME_HEADS) and not below_keys & LEVEL1.keys


def _names_level2(row: Row) -> bool:
    return any(label_key(cell.text) in LEVEL2.keys for cell in row.filled)


def _combined(top: Row, below: Row) -> Row:
    """One row of heads from two: a group head over its columns' heads ("中期指标/三级指标").

    Which columns a group covers: in Word and Excel, from the group's column to the next
    head's; in Word's text, which has no columns, the row below leaves the places of the heads
    spanning both rows empty, and the groups share the rest in order, evenly.
    """
    if below.positional:
        standing = len(below.cells) - len(below.filled)  # heads spanning both rows, covered below
        groups = top.cells[standing:]
        share = max(1, len(below.filled) // max(1, len(groups)))
        owner = {id(cell): groups[min(index // share, len(groups) - 1)] for index, cell in enumerate(below.filled)}
    else:
        starts = [cell.column for cell in top.cells] + [10**6]
        owner = {}
        for cell in below.filled:
            owner[id(cell)] = next((head for head, end in zip(top.cells, starts[1:]) if head.column <= cell.column < end), None)
    cells = [cell for cell in top.cells if cell not in owner.values()]
    cells += [Cell(f"{owner[id(cell)].text}/{cell.text}" if owner[id(cell)] else cell.text, cell.where, cell.column) for cell in below.filled]
    return Row(sorted(cells, key=lambda cell: cell.column), positional=below.positional)


def read_form(rows: list[Row], source: str, template: FormTemplate | None = None) -> GoalSheet:
    """The GoalSheet one form holds; ReadError names the cell at fault."""
    parts = parts_of(rows)
    template = template or guess_template(parts)
    year = _year(parts, template, source)
    unit, money_unit = _unit_and_money(parts, source)
    if parts.heading is None:
        raise ReadError(source, parts.titles[0].where, "没有找到指标表头（一级指标、二级指标、三级指标…）")
    header, subtable = _split_subtable(parts.header, template, money_unit or template.money_unit, source)
    values, orphans = _header_values(header, template, source)
    _check_labels(template, values, orphans, parts, source)
    sheet = GoalSheet(template=template.code, year=year, unit=unit, budget_dept="", period_goal="", annual_goal="",
                      project_name=template.project_name)
    written = {template.subtable.key: subtable} if subtable else {}
    printed = template.title.format(year=year)
    if (title := "\n".join(cell.text for cell in parts.titles)) not in (printed, printed.replace(f"{year}年", "", 1)):
        written["title"] = title  # a title without its year is the form's own, printed with the year
    if money_unit and money_unit != template.money_unit:
        written["money_unit"] = money_unit
    for key, cell in values.items():
        field = template.field(key)
        _store(sheet, field, cell, money_unit or template.money_unit, source)
        if not field.stored_in_column or cell.text != shown(sheet, field):
            written[key] = cell.text  # "250万", "2023.07-2024.01": kept; "14" is just the number
    written |= _footers(parts.footers, template, source)
    sheet.fields = written
    if parts.tail:
        sheet.review_comment = limited(_comment(parts.tail, template, source), limits.COMMENT, "财政部门审核意见", source)
    _check_required(sheet, template, values, parts, source)
    sheet.indicators = _indicators(parts.heading, parts.body, template, source)
    return sheet


def guess_template(parts: Parts) -> FormTemplate:
    """The form whose title fits and whose labels and heads fit the most cells."""
    title = "".join(cell.text for cell in parts.titles)
    fitting = [t for t in TEMPLATES.values() if t.title_year(parts.titles[0].text)[0] or t.title_year(title)[0]]
    labels = [cell.text for row in parts.header for cell in row.filled]
    heads = parts.heading.filled if parts.heading else []

    def fit(template: FormTemplate) -> int:
        known = sum(1 for text in labels if template.field_for(text) or label_key(text) in template.groups)
        return known + sum(1 for cell in heads if template.column_for(cell.text))

    return max(fitting, key=fit)


def _year(parts: Parts, template: FormTemplate, source: str) -> int:
    for cell in parts.titles:
        # Read in the form the title names, or in another the clerk chose ("2023年…申报表" read
        # in Hunan's 2021 form): the year is the one the title names, whichever form's it is.
        year = next((year for form in (template, *TEMPLATES.values()) if (year := form.title_year(cell.text)[1])), None)
        if year is None and (line := YEAR_LINE.match(label_key_keep(cell.text))):
            year = int(line.group("year"))
        if year is not None:
            if not limits.FIRST_YEAR <= year <= limits.LAST_YEAR:
                raise ReadError(source, cell.where, f"年度{year}应在{limits.FIRST_YEAR}至{limits.LAST_YEAR}之间")
            return year
    if named := FILE_YEAR.search(source.rsplit("/", 1)[-1]):  # a form whose title has none: 部门整体支出绩效目标表
        if not limits.FIRST_YEAR <= (year := int(named.group(1))) <= limits.LAST_YEAR:
            raise ReadError(source, parts.titles[0].where, f"标题里没有年度，文件名里的年度{year}应在{limits.FIRST_YEAR}至{limits.LAST_YEAR}之间")
        return year
    raise ReadError(source, parts.titles[0].where, "标题里没有年度（如“2021年…”或下一行的“（2025年度）”），"
                                                   "文件名里也没有：请在文件名里写上年度，如“2019年部门整体支出.docx”")


def _unit_and_money(parts: Parts, source: str) -> tuple[str, str]:
    """The unit and money unit the lines above the table name; blank when they name none."""
    found: dict[str, Cell] = {}
    for cell in parts.lines:
        text = cell.text.strip()
        if len(text) > UNIT_LINE_MAX:
            raise ReadError(source, cell.where, f"“填报单位”一行超过{UNIT_LINE_MAX}个字，不像是填报单位")
        if match := MONEY_NOTE.match(label_key_keep(text)):  # "单位：万元" is no unit line
            _once(found, "money", Cell(match.group("money"), cell.where), source, "金额单位")
        elif match := UNIT_LINE.match(text):
            unit = Cell(match.group("unit").strip(), cell.where)
            limited(unit, limits.UNIT_NAME, "填报单位", source)
            _once(found, "unit", unit, source, "填报单位")
            if match.group("money"):
                _once(found, "money", Cell(match.group("money"), cell.where), source, "金额单位")
    unit, money = (found[key].text if key in found else "" for key in ("unit", "money"))
    return normalize(unit, multiline=False), money


def _header_values(rows: list[Row], template: FormTemplate, source: str) -> tuple[dict[str, Cell], list[Cell]]:
    """Each header field's value cell (the cell after its label, whatever it holds), and the
    filled cells that are neither a label nor after one. A field labelled twice (项目支出名称,
    and 项目名称 further down) must say the same both times."""
    values: dict[str, Cell] = {}
    orphans: list[Cell] = []
    for row in rows:
        if len(row.filled) == 1 and label_key(row.filled[0].text) in BLOCK_LABELS | {label_key(template.section_row)}:
            continue  # a full-width "绩效指标" row above the indicators
        pending = None
        for cell in row.cells:
            if pending is not None:
                _once(values, pending.key, cell, source, label_key(pending.label))
                pending = None
            elif field := template.field_for(cell.text) if cell.text else None:
                pending = field
            elif cell.text and label_key(cell.text) not in template.groups:
                orphans.append(cell)
        if pending is not None:
            _once(values, pending.key, Cell("", row.cells[-1].where, row.cells[-1].column), source, label_key(pending.label))
    return values, orphans


def _split_subtable(rows: list[Row], template: FormTemplate, money_unit: str, source: str) -> tuple[list[Row], list[list[str]]]:
    """The header's rows, and a sub-table's rows of texts when the form has one (年度履职目标):
    from the row of its heads to the indicators, its columns found by their heads. Its cells
    are held to what the editor allows (lengths, amounts, how many rows)."""
    if template.subtable is None:
        return rows, []
    heads = {label_key(column.label): index for index, column in enumerate(template.subtable.columns)}
    at = next((i for i, row in enumerate(rows) if len({label_key(c.text) for c in row.filled} & heads.keys()) >= 2), None)
    if at is None:
        return rows, []
    heading = rows[at]
    columns = {cell.column: heads[label_key(cell.text)] for cell in heading.filled if label_key(cell.text) in heads}
    label = label_key(template.subtable.label)
    table, above = [], ""
    for row in rows[at + 1 :]:
        texts = [""] * len(template.subtable.columns)
        shift = len(heading.cells) - len(row.cells) if row.positional else 0
        for cell in row.filled:
            if label_key(cell.text) == label:
                continue
            if cell.column + shift not in columns:
                raise ReadError(source, cell.where, f"“{cell.text}”不在{shown_label(template.subtable.label)}的任何一列下面")
            position = columns[cell.column + shift]
            texts[position] = _subtable_cell(cell, template.subtable, template.subtable.columns[position], money_unit, source)
        above = texts[0] = texts[0] or above  # the first column merges down, as a category does
        table.append(texts)
        if len(table) > limits.SUBTABLE_ROWS:
            raise ReadError(source, row.filled[0].where if row.filled else None,
                            f"{shown_label(template.subtable.label)}超过{limits.SUBTABLE_ROWS}行")
    return rows[:at], table


def _subtable_cell(cell: Cell, subtable: SubTable, column: Column, money_unit: str, source: str) -> str:
    text = limited(cell, column.max_chars, f"{shown_label(subtable.label)}的“{shown_label(column.label)}”", source)
    if column.kind == Kind.MONEY:
        _parsed(written_amount, cell, source, money_unit)
    return text


def _check_labels(template: FormTemplate, values: dict[str, Cell], orphans: list[Cell], parts: Parts, source: str) -> None:
    """Every required field has its label; no cell is left that the form has no label for."""
    for field in template.header:
        if field.required and field.key not in values and field.key != "unit":
            if orphans:  # most likely the label was renamed: say both
                raise ReadError(source, orphans[0].where, f"缺少“{label_key(field.label)}”：这里的“{orphans[0].text}”"
                                                          f"不是{template.name}的栏目")
            raise ReadError(source, parts.titles[0].where, f"缺少“{label_key(field.label)}”")
    if orphans:
        expected = "、".join(label_key(f.label) for f in template.header)
        raise ReadError(source, orphans[0].where, f"无法识别的栏目“{orphans[0].text}”：{template.name}的表头栏目是{expected}")


def _store(sheet: GoalSheet, field, cell: Cell, money_unit: str, source: str) -> None:
    """Put a header value where the app reads it: a column, parsed, or the form's own fields."""
    if field.kind == Kind.MONEY and field.stored_in_column:
        # A negative budget is read, and review blocks it (budget_sensible) until it is corrected.
        setattr(sheet, field.key, _parsed(parse_money, cell, source, money_unit))
    elif field.kind == Kind.MONEY:
        _parsed(written_amount, cell, source, money_unit)  # kept as written: held to what the editor allows
    elif field.kind == Kind.PERIOD:
        sheet.period_start, sheet.period_end = _parsed(parse_period, cell, source) or (None, None)
    elif field.stored_in_column:
        limit = {"project_name": limits.PROJECT_NAME, "budget_dept": limits.BUDGET_DEPT, "unit": limits.UNIT_NAME}.get(field.key, limits.GOAL_TEXT)
        setattr(sheet, field.key, limited(cell, limit, label_key(field.label), source))
    else:
        limited(cell, limits.GOAL_TEXT if field.kind == Kind.LONG else limits.FIELD_TEXT, label_key(field.label), source)


def _parsed(parse, cell: Cell, source: str, *args):
    try:
        return parse(cell.text, *args)
    except ValueError as error:
        raise ReadError(source, cell.where, str(error)) from None


def _check_required(sheet: GoalSheet, template: FormTemplate, values: dict[str, Cell], parts: Parts, source: str) -> None:
    if not sheet.project_name:
        raise ReadError(source, parts.titles[0].where, f"缺少“{label_key(template.field('project_name').label)}”")
    if sheet.local_budget is None:
        field = next(f for f in template.header if f.key == "local_budget")
        where = values["local_budget"].where if "local_budget" in values else parts.titles[0].where
        raise ReadError(source, where, f"缺少“{label_key(field.label)}”")


def _footers(cells: list[Cell], template: FormTemplate, source: str) -> dict[str, str]:
    """填表人：向 红梅    联系电话：…: each label the form has under its table, with what was
    written after it up to the next label some form has there, or the line's end (a value may
    hold blanks: "2021 年 1 月 12 日"). A line under the table that is no footer ("本表一式三份")
    is refused: the sheet has no place to keep it, and the clerk should know it is not kept."""
    expected = "、".join(template.footers) or "（无）"
    written: dict[str, Cell] = {}
    for cell in cells:
        for line in cell.text.split("\n"):
            labels = list(FOOTER_LABEL.finditer(line))
            if before := line[: labels[0].start() if labels else len(line)].strip():
                raise ReadError(source, cell.where, f"表格下面的“{before[:40]}”无法读取：{template.name}表下只有这些栏目：{expected}；"
                                                    "请删去这段文字后再导入")
            for match, after in zip(labels, labels[1:] + [None]):
                label = label_key(match.group("label"))
                value = line[match.end() : after.start() if after else len(line)].strip()
                if label in template.footers and (other := OTHER_LABEL.search(value)):
                    label = other.group("label")
                if label not in template.footers:
                    raise ReadError(source, cell.where, f"表下的“{label}”不是{template.name}的栏目；表下栏目应为：{expected}")
                _once(written, label, Cell(value, cell.where), source)
                limited(written[label], limits.FIELD_TEXT, label, source)  # as the editor holds it
    return {footer_key(label): cell.text for label, cell in written.items()}


def _once(values: dict[str, Cell], key: str, cell: Cell, source: str, what: str | None = None) -> None:
    """values[key] = cell, unless the file gave key a different value already: which one it
    means, only the clerk knows."""
    first = values.setdefault(key, cell)
    if first.text != cell.text:
        where = f"{first.where}和{cell.where}" if first.where != cell.where else cell.where
        raise ReadError(source, where, f"“{what or key}”填了两次，写的不一样：“{first.text[:40]}”和“{cell.text[:40]}”；请只留一处")


def _comment(rows: list[Row], template: FormTemplate, source: str) -> Cell:
    """The 财政部门审核意见 row's value: the row closes the table, so a row under it, or a cell
    beside its value, has no place on the form."""
    label, *values = rows[0].filled
    if len(values) > 1:
        raise ReadError(source, values[1].where, f"“{values[1].text[:40]}”无法读取：财政部门审核意见这一行只有一个值")
    if len(rows) > 1:
        stray = rows[1].filled[0]
        raise ReadError(source, stray.where, f"无法识别的栏目“{stray.text[:40]}”：{template.name}的表格到“财政部门审核意见”为止")
    return values[0] if values else Cell("", label.where)


# --- indicators -------------------------------------------------------------------------------


def _columns(heading: Row, template: FormTemplate, source: str) -> dict[int, Column]:
    """Each indicator column's grid position, found by its head."""
    found: dict[int, Column] = {}
    heads: dict[str, Cell] = {}
    for cell in heading.filled:
        if label_key(cell.text) in BLOCK_LABELS | {label_key(template.block_label)}:
            continue
        column = template.column_for(cell.text)
        if column is None:
            expected = "、".join(_heading(c) for c in template.block_columns)
            raise ReadError(source, cell.where, f"无法识别的指标列“{cell.text}”：{template.name}的指标列是{expected}")
        if (first := heads.setdefault(column.key, cell)) is not cell:  # two cells a row, one place to keep them
            raise ReadError(source, f"{first.where}和{cell.where}", f"“{first.text}”和“{cell.text}”是同一指标列：请只留一列")
        found[cell.column] = column
    keys = {column.key for column in found.values()}
    missing = [_heading(c) for c in template.block_columns if c.key in ("level1", "level2", "name") and c.key not in keys]
    if missing:
        raise ReadError(source, heading.filled[0].where, "指标表头缺少：" + "、".join(missing))
    return found


def _heading(column: Column) -> str:
    return f"{column.group}/{label_key(column.label)}" if column.group else label_key(column.label)


def _indicators(heading: Row, body: list[Row], template: FormTemplate, source: str) -> list[Indicator]:
    columns = _columns(heading, template, source)
    framework = template.framework
    indicators: list[Indicator] = []
    level1 = level2 = None
    merged = [column.key for column in template.columns if column.merged]
    carried: dict[str, Cell] = {}  # a merged column's value, for the rows its merge covers
    for row in body:
        texts = _placed(row, heading, columns, source)
        if (text := texts.get("level1")) and category_key(text.text) != level1:
            level1, level2, carried = category_key(text.text), None, {}
            if level1 not in framework.level1_names():
                raise ReadError(source, text.where, f"未知的一级指标“{text.text}”：{template.name}的一级指标是{'、'.join(framework.level1_names())}")
        if text := texts.get("level2"):
            if level1 is None or not framework.has_category(level1, category_key(text.text)):
                raise ReadError(source, text.where, f"“{level1 or '（无一级指标）'}”下没有二级指标“{text.text}”")
            level2 = category_key(text.text)
        cells = {key: cell for key, cell in texts.items() if key not in ("level1", "level2")}
        if not set(cells) - set(merged):
            continue  # the form's blank padding rows
        carried |= {key: cells[key] for key in merged if key in cells}
        covered = _covered(row, heading, columns)
        cells = {**{key: carried[key] for key in merged if key in carried and key in covered}, **cells}
        first = next(iter(cells.values()))
        if level2 is None:
            raise ReadError(source, first.where, "指标行前面没有二级指标")
        if len(indicators) == limits.INDICATORS_PER_SHEET:
            raise ReadError(source, first.where, f"一张表最多{limits.INDICATORS_PER_SHEET}个指标，到这一行已超过")
        indicators.append(_indicator(len(indicators) + 1, level1, level2, cells, template, source))
    return indicators


def _covered(row: Row, heading: Row, columns: dict[int, Column]) -> set[str]:
    """The columns a merge from above covers in this row; in Word's text, every empty one."""
    shift = len(heading.cells) - len(row.cells) if row.positional else 0
    return {columns[cell.column + shift].key for cell in row.cells
            if (cell.covered or (row.positional and not cell.text)) and cell.column + shift in columns}


def _placed(row: Row, heading: Row, columns: dict[int, Column], source: str) -> dict[str, Cell]:
    """The row's filled cells by column key; a filled cell under no head is an error.

    In Word's text a row may leave out the cells a merge from above covers on its left (the
    spanning 本年度绩效指标): such a row is read aligned to the heading's right end.
    """
    shift = 0
    if row.positional:
        if len(row.cells) > len(heading.cells):
            raise ReadError(source, row.cells[0].where, f"这一行有{len(row.cells)}个单元格，指标表头只有{len(heading.cells)}个")
        shift = len(heading.cells) - len(row.cells)
    placed = {}
    for cell in row.filled:
        column = columns.get(cell.column + shift)
        if column is None:
            raise ReadError(source, cell.where, f"“{cell.text}”不在任何指标列下面，无法读取")
        placed[column.key] = cell
    return placed


def indicator_of(position: int, level1: str, level2: str, cells: dict[str, Cell], template: FormTemplate, source: str) -> Indicator:
    """A row of the form from its cells by column key, held to what the editor allows: how any
    file's cells become a target's row (a target made from a self-evaluation's file too)."""
    return _indicator(position, level1, level2, cells, template, source)


def _indicator(position: int, level1: str, level2: str, cells: dict[str, Cell], template: FormTemplate, source: str) -> Indicator:
    def text(key: str, limit: int) -> str:
        column = next(c for c in template.columns if c.key == key) if key in cells else None
        return limited(cells.get(key), limit, label_key(column.label) if column else key, source)

    extra = {key: text(key, limits.INDICATOR_VALUE) for key in cells if key not in ("name", "value", "standard")}
    value = text("value", limits.INDICATOR_VALUE)
    if template.splits_value:  # 指标性质, 指标值, 度量单位: one value, the cells kept as the file wrote them
        value, given = measures.from_cells(extra.pop("nature", ""), value, extra.pop("measure", ""))
        extra |= given
    return Indicator(
        position=position, level1=level1, level2=level2,
        name=text("name", limits.INDICATOR_NAME),
        value=value,
        standard=text("standard", limits.INDICATOR_STANDARD),
        extra=extra,
    )


def limited(cell: Cell | None, limit: int, what: str, source: str) -> str:
    """The cell's text, if it is no longer than the editor and the database allow."""
    text = cell.text if cell else ""
    if len(text) > limit:
        raise ReadError(source, cell.where, f"{what}有{len(text)}个字，不能超过{limit}个字")
    return text


# --- flat lists: one row per indicator -------------------------------------------------------------

FLAT_FIELDS = {
    "unit": ("填报单位", "单位名称", "预算单位"),
    "year": ("年度",),
    "project_name": ("项目支出名称", "项目名称"),
    "local_budget": ("年度本级预算金额", "预算数", "资金总额", "年度资金总额"),
    "annual_goal": ("本年度绩效目标", "年度目标"),
}


def _flat_heading(rows: list[Row]) -> int | None:
    """Where a flat list's heading row is: its first row after any title and lines, naming
    projects and indicator categories."""
    first = next((i for i, row in enumerate(rows) if row.filled and not is_title(row) and not _is_line(row)), None)
    if first is None:
        return None
    keys = {label_key(cell.text) for cell in rows[first].filled}
    heads = keys & set(FLAT_FIELDS["project_name"]) and keys & LEVEL1.keys and keys & LEVEL2.keys and keys & NAME_HEADS
    return first if heads else None


def is_flat_list(rows: list[Row]) -> bool:
    return _flat_heading(rows) is not None


def read_flat(rows: list[Row], source: str, template: FormTemplate | None = None) -> list[GoalSheet]:
    """A flat list's sheets, one per unit, year and project, in the form whose columns it has.
    Its title, if it has one, may give the year; else every row names its own."""
    head_at = _flat_heading(rows)
    heading = rows[head_at]
    template = template or _flat_template(heading)
    columns: dict[int, str] = {}
    fields: dict[str, Cell] = {}
    for cell in heading.filled:
        field = columns[cell.column] = _flat_field(cell, template, source)
        if (first := fields.setdefault(field, cell)) is not cell:  # two cells a row, one place to keep them
            raise ReadError(source, f"{first.where}和{cell.where}", f"“{first.text}”和“{cell.text}”是同一列：请只留一列")
    heads = {columns[cell.column]: label_key(cell.text) for cell in heading.filled}  # messages name them as the file does
    parts = Parts([row.filled[0] for row in rows[:head_at] if is_title(row)], [c for row in rows[:head_at] if _is_line(row) for c in row.filled],
                  [], heading, [], [], [])
    _, money_unit = _unit_and_money(parts, source)
    title_year = _year(parts, template, source) if any(template.title_year(c.text)[1] for c in parts.titles) else None
    sheets: dict[tuple, GoalSheet] = {}
    carried: dict[str, Cell] = {}
    totals: list[Cell] = []
    body = rows[head_at + 1 :]
    for row in body:
        if not row.filled or row.paragraph:
            continue
        cells = {}
        for cell in row.filled:
            if cell.column not in columns:
                raise ReadError(source, cell.where, f"“{cell.text}”不在任何列下面，无法读取")
            cells[columns[cell.column]] = cell
        if "project_name" in cells:  # a new project: its budget and goal are its own
            carried = {key: cell for key, cell in carried.items() if key in ("unit", "year")}
        for key in FLAT_FIELDS:  # merged down their rows: blank means "as above"
            if key in cells:
                carried[key] = cells[key]
            elif key in carried:
                cells[key] = carried[key]
        if cells.get("project_name") and cells["project_name"].text in SUBTOTALS:
            if "local_budget" in cells:
                totals.append(cells["local_budget"])  # checked against the projects once all are read
            carried.pop("project_name", None)
            continue
        sheet = _flat_sheet(sheets, cells, heads, template, title_year, money_unit, row, source)
        indicator_cells = {key: cell for key, cell in cells.items() if key not in FLAT_FIELDS and key not in ("level1", "level2")}
        level1, level2 = (category_key(cells[k].text) if k in cells else "" for k in ("level1", "level2"))
        where = row.filled[0].where
        if not template.framework.has_category(level1, level2):
            raise ReadError(source, cells.get("level2", row.filled[0]).where, f"“{level1}”下没有二级指标“{level2}”")
        if len(sheet.indicators) == limits.INDICATORS_PER_SHEET:
            raise ReadError(source, where, f"一张表最多{limits.INDICATORS_PER_SHEET}个指标，到这一行已超过")
        sheet.indicators.append(_indicator(len(sheet.indicators) + 1, level1, level2, indicator_cells, template, source))
    if not sheets:
        raise ReadError(source, heading.filled[0].where, "清单没有任何指标行")
    _check_totals(totals, sheets.values(), money_unit or template.money_unit, source)
    return list(sheets.values())


def _check_totals(totals: list[Cell], sheets, money_unit: str, source: str) -> None:
    """A list's 合计 row is no project, but it says what the projects add up to: it must."""
    added = sum((sheet.local_budget for sheet in sheets), Decimal(0))
    for cell in totals:
        total = _parsed(parse_money, cell, source, money_unit)
        if total is not None and total != added:
            raise ReadError(source, cell.where, f"合计“{cell.text}”与各项目预算数之和"
                                                f"（{format(in_unit(added, money_unit).normalize(), ',f')}）不符")


def _flat_template(heading: Row) -> FormTemplate:
    """The form whose indicator columns name the most of the list's heads."""
    heads = [cell.text for cell in heading.filled]
    return max(TEMPLATES.values(), key=lambda t: sum(1 for text in heads if t.column_for(text)))


def _flat_field(cell: Cell, template: FormTemplate, source: str) -> str:
    key = label_key(cell.text)
    for field, labels in FLAT_FIELDS.items():
        if key in labels:
            return field
    if column := template.column_for(cell.text):
        return column.key
    raise ReadError(source, cell.where, f"无法识别的列“{cell.text}”")


def _flat_sheet(sheets: dict, cells: dict[str, Cell], heads: dict[str, str], template: FormTemplate, title_year: int | None,
                money_unit: str, row: Row, source: str) -> GoalSheet:
    unit, project = cells.get("unit"), cells.get("project_name")
    if project is None:
        raise ReadError(source, row.filled[0].where, "这一行缺少项目名称")
    year = title_year
    if "year" in cells:
        if not re.fullmatch(r"\d{4}", cells["year"].text):
            raise ReadError(source, cells["year"].where, f"年度“{cells['year'].text}”应为四位数字，如2021")
        year = int(cells["year"].text)
    if year is None:
        raise ReadError(source, row.filled[0].where, "没有年度：标题里没有，清单里也没有“年度”列")
    if not limits.FIRST_YEAR <= year <= limits.LAST_YEAR:
        raise ReadError(source, cells.get("year", row.filled[0]).where, f"年度{year}应在{limits.FIRST_YEAR}至{limits.LAST_YEAR}之间")
    key = (unit.text if unit else "", year, project.text)
    if key in sheets:
        return sheets[key]
    budget = cells.get("local_budget")
    sheet = sheets[key] = GoalSheet(
        template=template.code, year=year, budget_dept="", period_goal="",
        unit=limited(unit, limits.UNIT_NAME, heads.get("unit", ""), source),
        project_name=limited(project, limits.PROJECT_NAME, heads["project_name"], source),
        annual_goal=limited(cells.get("annual_goal"), limits.GOAL_TEXT, heads.get("annual_goal", ""), source),
        local_budget=(_parsed(parse_money, budget, source, money_unit or template.money_unit) if budget else None) or Decimal(0),
    )
    written = {"money_unit": money_unit} if money_unit else {}
    if budget and budget.text != shown(sheet, template.field("local_budget")):
        written["local_budget"] = budget.text
    sheet.fields = written
    return sheet
