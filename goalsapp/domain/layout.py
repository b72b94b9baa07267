"""How a sheet's indicator rows are laid out: grouped for the editor, spanned for paper.

Print (and, later, Excel export) share print_rows, so the paper form has one definition.
"""
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from .formtemplates import Column, FormTemplate, HeaderField, Kind
from .frameworks import Framework
from .models import GoalSheet, Indicator, Status
from .values import format_period, in_unit, parse_money, parse_period


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
    # The labels' lines as the paper breaks them; every other label prints whole: print.css
    # keeps a CJK word together, which it would otherwise break at any character ("产出指/标").
    level1_lines: tuple[str, ...] = ()
    level2_lines: tuple[str, ...] = ()
    # The rows each of the form's merged columns spans from here (0: covered from above).
    spans: dict[str, int] = field(default_factory=dict)

    def cells(self, form: FormTemplate, broken: bool = True) -> list[tuple[Column, str, int]]:
        """The row's cells in the form's column order: (column, text, rows spanned), the cells
        covered by a span above left out; category labels broken where the paper breaks them
        (a worksheet keeps them whole: Excel wraps a cell itself)."""
        out = []
        for column in form.block_columns:
            if column.key == "level1":
                span, text = self.level1_span, "\n".join(self.level1_lines) if broken else self.level1
            elif column.key == "level2":
                span, text = self.level2_span, "\n".join(self.level2_lines) if broken else self.level2
            else:
                span = self.spans.get(column.key, 1)
                text = self.indicator.cell(column.key, form) if self.indicator else ""
                if column.merged and broken:  # a category column of the form's own (Guangdong's 中期 二级指标)
                    text = "\n".join(form.label_lines.get(text, (text,)))
            if span:
                out.append((column, text, span))
        return out


def group_indicators(framework: Framework, indicators: Iterable[Indicator]) -> list[Group]:
    """Every category of the framework, in form order, each with its indicators."""
    by_category = defaultdict(list)
    for indicator in sorted(indicators, key=lambda i: i.position):
        by_category[indicator.level1, indicator.level2].append(indicator)
    return [
        Group(level1, level2, tuple(by_category[level1, level2]))
        for level1, level2 in framework.pairs()
    ]


def print_rows(form: FormTemplate, indicators: Iterable[Indicator]) -> list[PrintRow]:
    """The indicator block as printed: every category present (or those in use, where the
    form's paper leaves the others out), each given the rows its paper gives it
    (rows_per_group), the unused ones blank.

    Hunan 2021's paper gives each category room for a second row, except the last: the
    table ends at the last category's last filled row (as in every table of the seed).
    """
    rows: list[PrintRow] = []
    framework = form.framework
    groups = [group for group in group_indicators(framework, indicators) if group.indicators or form.every_category]
    for level1 in framework.level1_names():
        block = [
            (group, _padded(group.indicators, 1 if group is groups[-1] else form.rows_per_group))
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
                        level1_lines=form.label_lines.get(level1, (level1,)),
                        level2_lines=form.label_lines.get(group.level2, (group.level2,)),
                    )
                )
    return _merged(form, rows)


def _merged(form: FormTemplate, rows: list[PrintRow]) -> list[PrintRow]:
    """Spans for the form's merged columns (Guangdong's 中期 二级指标): equal values in
    consecutive rows of one 一级指标 print as one cell."""
    keys = [column.key for column in form.columns if column.merged]
    if not keys:
        return rows
    value = lambda row, key: row.indicator.cell(key, form) if row.indicator else ""  # noqa: E731
    for key in keys:
        start = 0
        for index in range(1, len(rows) + 1):
            if index < len(rows) and rows[index].level1 == rows[start].level1 and value(rows[index], key) and \
                    value(rows[index], key) == value(rows[start], key):
                rows[index].spans[key] = 0
                continue
            rows[start].spans[key] = index - start
            start = index
    return rows


def _padded(indicators: tuple[Indicator, ...], minimum: int) -> list[Indicator | None]:
    return list(indicators) + [None] * (minimum - len(indicators))


@dataclass(frozen=True)
class PaperCell:
    """One cell of the printed header: a label or a value, spanning columns (and rows)."""

    text: str
    span: int = 1
    rows: int = 1
    label: bool = False
    long: bool = False  # paragraphs: set left, as the paper does
    amount: Decimal | None = None  # a sum of money not written otherwise: a number in Excel, to add up

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


def header_grid(form: FormTemplate, sheet: GoalSheet) -> list[list[PaperCell]]:
    """The header block as printed, row by row, on the grid of the indicator table below it.

    A row holds one field (its value spanning the rest) or two (the first value wider, as
    the paper gives the project name more room than the department); a field's group label
    ("项目资金（万元）") is printed once, spanning the rows of its fields, and a label under it
    takes the columns the paper gives it (label_span), so that it stands on one line.
    """
    grid, grouped = [], set()
    for keys in form.header_rows:
        fields = [form.field(key) for key in keys]
        row, width = [], form.width
        if group := fields[0].group:
            if group not in grouped:
                grouped.add(group)
                spanned = sum(1 for other in form.header_rows if form.field(other[0]).group == group)
                # "项目资金（万元）" says the unit the amounts below it are written in
                row.append(PaperCell(group.replace("万元", sheet.money_unit), rows=spanned, label=True))
            width -= 1
        width -= sum(field.label_span for field in fields)
        if len(fields) == 1:
            row += _labelled(fields[0], sheet, width)
        else:
            # Two fields share the row evenly where the form does so; Hunan's gives the first all but one column.
            second = width // 2 if form.even_pairs else max(1, width // 3)
            row += _labelled(fields[0], sheet, width - second) + _labelled(fields[1], sheet, second)
        grid.append(row)
    return grid


def subtable_grid(form: FormTemplate, sheet: GoalSheet) -> list[list[PaperCell]]:
    """A form's sub-table as printed (年度履职目标): its label spanning it, its heads, its rows,
    the first column's equal neighbours as one cell."""
    if form.subtable is None:
        return []
    rows = [row for row in (sheet.fields or {}).get(form.subtable.key, []) if isinstance(row, list)]
    columns = form.subtable.columns
    grid = [[PaperCell(form.subtable.label, rows=len(rows) + 1, label=True)] +
            [PaperCell(column.label, span=column.span, label=True) for column in columns]]
    for index, row in enumerate(rows):
        cells = []
        for position, (column, text) in enumerate(zip(columns, row)):
            if position == 0 and column.merged:
                if index and text and rows[index - 1][0] == text:
                    continue  # covered by the same function above
                spanned = 1
                while index + spanned < len(rows) and text and rows[index + spanned][0] == text:
                    spanned += 1
                cells.append(PaperCell(text, rows=spanned))
            else:
                cells.append(PaperCell(text, span=column.span, long=column.kind == Kind.LONG))
        grid.append(cells)
    return grid


def _labelled(field: HeaderField, sheet: GoalSheet, span: int) -> list[PaperCell]:
    amount = None
    if field.kind == Kind.MONEY and field.stored_in_column and not sheet.written(field.key):
        amount = getattr(sheet, field.key)
        amount = None if amount is None else in_unit(amount, sheet.money_unit)
    value = PaperCell(shown(sheet, field), span=span, long=field.kind == Kind.LONG, amount=amount)
    return [PaperCell(field.label, span=field.label_span, label=True), value]


def shown(sheet: GoalSheet, field: HeaderField) -> str:
    """A header value as the form shows it: as written when it came so and still says what is
    stored (a copy moved to another year, a period retyped, no longer does), else as stored."""
    if (written := sheet.written(field.key)) and _still_means(sheet, field, written):
        return written
    if field.key == "period":
        return format_period(sheet.period_start, sheet.period_end)
    if field.kind == Kind.MONEY and field.stored_in_column:
        amount = getattr(sheet, field.key)
        return "" if amount is None else format(in_unit(amount, sheet.money_unit).normalize(), "f")
    return getattr(sheet, field.key) if field.stored_in_column else ""


# What a sheet not yet approved says on paper, by its status: paper outlives the app.
PAPER_MARKS = {Status.DRAFT: "草稿", Status.RETURNED: "草稿", Status.SUBMITTED: "送审稿"}


def paper_mark(sheet: GoalSheet) -> str | None:
    return PAPER_MARKS.get(sheet.status)


def kept_as_written(sheet: GoalSheet, key: str) -> str:
    """The text a header value prints as when that is its text as written (the editor says so)."""
    field = sheet.form.field(key)
    written = sheet.written(key)
    return written if written and field is not None and _still_means(sheet, field, written) else ""


YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def _still_means(sheet: GoalSheet, field: HeaderField, written: str) -> bool:
    """Whether a value kept as written reads as what the sheet now stores."""
    try:
        if field.key == "period":
            return parse_period(written) == (sheet.period_start, sheet.period_end)
        if field.kind == Kind.MONEY and field.stored_in_column:
            return parse_money(written, sheet.money_unit) == getattr(sheet, field.key)
    except ValueError:
        return False
    return True


def title(sheet: GoalSheet) -> str:
    """The title as written when it names the sheet's year (or none), else the form's own."""
    written = sheet.written("title")
    if written and (not (years := {int(year) for year in YEAR.findall(written)}) or sheet.year in years):
        return written
    return sheet.form.title.format(year=sheet.year)


def footers(sheet: GoalSheet) -> list[tuple[str, str]]:
    """The form's footer lines with what was written in them (填表人：张三); none when none was
    written (the seed's tables have no footer, and print as they came)."""
    signed = [(label, sheet.written(footer_key(label))) for label in sheet.form.footers]
    return signed if any(value for _, value in signed) else []


def footer_key(label: str) -> str:
    return f"footer:{label}"
