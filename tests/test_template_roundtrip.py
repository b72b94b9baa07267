"""Issue 9: a sheet of any form exports and re-imports unchanged (property-tested, per template).

Sheets are drawn for each form in TEMPLATES from the form itself: its header fields (those
backed by a GoalSheet column as attributes, money as Decimal to 4 places, the others as text
in sheet.fields), its indicator columns (name, value, standard as attributes, the others in
Indicator.extra) and its framework's categories. Text mixes Chinese, ASCII, digits, %, ≥ and
words the forms use as labels and heads, so a value that reads like a label is tried too.
Each sheet must come back as the form shows it, through the app's .xlsx and through a .docx
laid out as the printed form.
"""
import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from goalsapp.domain import limits
from goalsapp.domain.formtemplates import LEVEL1, LEVEL2, TEMPLATES, Kind
from goalsapp.domain.frameworks import STANDARDS
from goalsapp.domain.layout import group_indicators, shown, title
from goalsapp.domain.models import GoalSheet, Indicator
from goalsapp.domain.text import normalize
from goalsapp.domain.values import MAX_AMOUNT, QUANTUM, format_month
from goalsapp.formats.excel import read_workbook, write_workbook
from goalsapp.formats.word import read_document

from .paperforms import printed_form_docx

CODES = sorted(TEMPLATES)

# --- text -------------------------------------------------------------------------------------

# Words the forms print as labels, group labels, heads and block labels, as printed and as one line.
LABELS = sorted({
    text
    for form in TEMPLATES.values()
    for label in (*(f.label for f in form.header), *(f.group for f in form.header), *(c.label for c in form.columns),
                  LEVEL1.label, LEVEL2.label, *form.level_labels, form.block_label, form.section_row, *form.footers)
    if label
    for text in (label, label.replace("\n", ""))
} | {"合计", "填报单位", "单位", "盖章", *LEVEL1.keys, *LEVEL2.keys, "财政部门审核意见", "财政部门\n审核意见"})
CHARACTERS = "绩效目标指标项目经费建设管理完成率个次以上年月日元万ABCxyz0123456789%≥≤.,()（）:：=+-@ "
word = st.one_of(st.sampled_from(CHARACTERS), st.sampled_from(LABELS))


def texts(max_size: int, multiline: bool = False, required: bool = True) -> st.SearchStrategy[str]:
    """Text as the app stores it (normalized), at most max_size characters; '' unless required."""
    parts = st.one_of(word, st.just("\n")) if multiline else word
    drawn = st.lists(parts, min_size=1, max_size=12).map(lambda words: normalize("".join(words), multiline=multiline))
    drawn = drawn.filter(lambda text: 0 < len(text) <= max_size)
    return drawn if required else st.one_of(st.just(""), drawn)


amount = st.decimals(min_value=0, max_value=MAX_AMOUNT - QUANTUM, places=4, allow_nan=False, allow_infinity=False)
# The unit line's own "（盖章）" may stand before or after the unit: a unit ending in it loses it.
units = texts(40).filter(lambda text: not re.search(r"[(（]\s*盖章\s*[)）]$", text))
month = st.builds(date, st.integers(limits.PERIOD_FIRST_YEAR, limits.PERIOD_LAST_YEAR), st.integers(1, 12), st.just(1))


def money_as_written(value: Decimal) -> st.SearchStrategy[str]:
    """An amount as a clerk writes it in 万元: "14", "14.5000", "14.5万", "14.5万元"."""
    plain = format(value.normalize(), "f")
    return st.sampled_from((plain, format(value.quantize(Decimal("0.0001")), "f"), plain + "万", plain + "万元"))


# --- sheets -----------------------------------------------------------------------------------

TEXT_LIMITS = {"unit": limits.UNIT_NAME, "project_name": limits.PROJECT_NAME, "budget_dept": limits.BUDGET_DEPT}


@st.composite
def sheets(draw, code: str) -> GoalSheet:
    form = TEMPLATES[code]
    sheet = GoalSheet(template=code, year=draw(st.integers(limits.FIRST_YEAR, limits.LAST_YEAR)),
                      unit=draw(units), budget_dept="", period_goal="", annual_goal="")
    written = {}
    for field in form.header:
        if field.kind == Kind.MONEY:
            value = draw(amount) if field.required else draw(st.one_of(st.none(), amount))
            if field.stored_in_column:
                setattr(sheet, field.key, value)
                if value is not None and draw(st.booleans()):
                    written[field.key] = draw(money_as_written(value))  # "250万": kept as written
            elif value is not None:
                written[field.key] = draw(money_as_written(value))
        elif field.kind == Kind.PERIOD:
            start, end = draw(st.one_of(st.none(), month)), draw(st.one_of(st.none(), month))
            if field.required and not (start or end):
                start = end = draw(month)
            sheet.period_start, sheet.period_end = start, end
            if (start and end) and draw(st.booleans()):
                written[field.key] = f"{start.year}.{start.month:02}-{end.year}.{end.month:02}"  # "2023.07-2024.01"
        elif field.kind == Kind.CHOICE:
            choice = draw(st.one_of(st.sampled_from(("□新增 √延续", "√新增 □延续", "")), texts(20)))
            if choice:
                written[field.key] = choice
        else:
            long = field.kind == Kind.LONG
            limit = TEXT_LIMITS.get(field.key, limits.GOAL_TEXT if long else limits.FIELD_TEXT)
            value = draw(texts(min(limit, 60 if long else 40), multiline=long, required=field.required))
            if field.stored_in_column:
                setattr(sheet, field.key, value)
            elif value:
                written[field.key] = value
    sheet.fields = written
    if sheet.local_budget is None:
        sheet.local_budget = Decimal(0)
    categories = draw(st.lists(st.sampled_from(form.framework.pairs()), max_size=12))
    sheet.indicators = [draw(indicators(form, position, level1, level2)) for position, (level1, level2) in enumerate(categories, 1)]
    return sheet


@st.composite
def indicators(draw, form, position: int, level1: str, level2: str) -> Indicator:
    indicator = Indicator(position=position, level1=level1, level2=level2, name="", value="", standard="", extra={})
    for column in form.columns:
        if column.key == "name" or getattr(column, "merged", False):
            # On paper a blank under a column merged down its rows means "as above" (Guangdong's 中期二级指标).
            text = draw(texts(40))
        elif column.key == "standard":
            text = draw(st.one_of(st.sampled_from(("",) + STANDARDS), texts(limits.INDICATOR_STANDARD, required=False)))
        else:
            text = draw(texts(40, required=False))
        indicator.set_cell(column.key, text)
    return indicator


# --- what a user sees of a sheet ----------------------------------------------------------------


def as_seen(sheet: GoalSheet) -> tuple:
    """Unit, year, form and title; every header field as the form shows it, and what the columns
    hold of amounts and the period; every row's category and cells, in the form's print order."""
    form = sheet.form
    header = [(field.key, shown(sheet, field)) for field in form.header]
    columns = [(field.key, getattr(sheet, field.key)) for field in form.header if field.kind == Kind.MONEY and field.stored_in_column]
    if form.field("period"):
        columns.append(("period", format_month(sheet.period_start), format_month(sheet.period_end)))
    rows = [(i.level1, i.level2, *(i.cell(column.key) for column in form.columns))
            for group in group_indicators(form.framework, sheet.indicators) for i in group.indicators]
    return sheet.unit, sheet.year, sheet.template, title(sheet), header, columns, rows


def described(sheet: GoalSheet) -> str:
    """A drawn sheet as the code that makes it, for Hypothesis to print when a property fails."""
    rows = [(i.level1, i.level2, i.name, i.value, i.standard, i.extra) for i in sheet.indicators]
    columns = {key: getattr(sheet, key) for key in ("unit", "year", "template", "project_name", "budget_dept", "local_budget",
                                                     "higher_funds", "period_start", "period_end", "period_goal", "annual_goal")}
    return f"GoalSheet(**{columns!r}, fields={sheet.fields!r}) rows={rows!r}"


def round_trips(generated: list[GoalSheet], write, read) -> None:
    """What read makes of what write wrote is what was drawn, as the forms show it."""
    for sheet in generated:
        note(described(sheet))
    back = read(write(generated))
    assert [as_seen(sheet) for sheet in back] == [as_seen(sheet) for sheet in generated]


SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@pytest.mark.parametrize("code", CODES)
def test_any_sheets_of_a_form_survive_an_excel_round_trip(code):
    @SETTINGS
    @given(st.lists(sheets(code), min_size=1, max_size=3))
    def round_trip(generated):
        round_trips(generated, write_workbook, lambda data: read_workbook(data, "generated.xlsx"))

    round_trip()


@pytest.mark.parametrize("code", CODES)
def test_any_sheets_of_a_form_read_back_from_the_printed_form_in_word(code):
    @SETTINGS
    @given(st.lists(sheets(code), min_size=1, max_size=2))
    def round_trip(generated):
        round_trips(generated, printed_form_docx, lambda data: read_document(data, "generated.docx"))

    round_trip()


@SETTINGS
@given(st.lists(st.sampled_from(CODES).flatmap(sheets), min_size=2, max_size=4))
def test_sheets_of_different_forms_in_one_workbook_each_come_back_in_their_own(generated):
    round_trips(generated, write_workbook, lambda data: read_workbook(data, "mixed.xlsx"))


# --- what the properties found: a value that reads like the form's own structure ----------------
# Each is the smallest example Hypothesis shrank to: the reader took a cell for structure by its
# words alone, wherever it stood. Now a cell is structure only where the form puts it.

FORMATS = {
    "xlsx": (write_workbook, lambda data: read_workbook(data, "x.xlsx")),
    "docx": (printed_form_docx, lambda data: read_document(data, "x.docx")),
}


def hunan_sheet(names: tuple[str, ...] = (), **header) -> GoalSheet:
    columns = dict(unit="某单位", year=2021, template="hunan-2021", project_name="项目", budget_dept="部门",
                   local_budget=Decimal(1), period_goal="目标", annual_goal="目标")
    sheet = GoalSheet(**(columns | header))
    sheet.indicators = [Indicator(position=n, level1="产出指标", level2="数量指标", name=name, value="", standard="", extra={})
                        for n, name in enumerate(names, start=1)]
    return sheet


def hubei_sheet(names: tuple[str, ...]) -> GoalSheet:
    """Hubei's form ends at its last indicator row: nothing stands between it and the footers."""
    return hunan_sheet(names, template="hubei-2019", fields={"kind": "□新增 √延续"})


FOUND = {
    # reader._flat_heading: a form's first header row naming 项目支出名称 and holding "一级指标"
    # as a value is taken for a flat list's heading: ReadError "无法识别的列“项目”".
    "a 预算部门 of 一级指标 reads the form as a flat list": hunan_sheet(budget_dept="一级指标"),
    # reader._is_heading: any row holding both "一级指标" and "二级指标" is the indicator heading,
    # a header row too: ReadError "无法识别的列“预算部门”".
    "values 一级指标 and 二级指标 in a header row are taken for the indicator heading":
        hunan_sheet(project_name="一级指标", budget_dept="二级指标"),
    # reader.parts_of: a body row whose first filled cell reads 财政部门审核意见 (a second row of a
    # category, its category cells covered from above) ends the indicators: it and every row
    # after it are dropped without a word.
    "a row named 财政部门审核意见 drops itself and every row after it": hunan_sheet(("指标", "财政部门审核意见")),
    # reader.is_title/split_forms: a row with one filled cell reading as a form's title starts a
    # new form: ReadError "没有找到指标表头".
    "a row named like a form's title splits the form": hunan_sheet(("指标", "2021年项目支出绩效目标表")),
    # reader._is_footer: a last row holding only its name, the name a label written under some
    # form's table, was taken for a footer line: ReadError "表下的“填报日期”不是…的栏目".
    "a last row named like a footer is a row": hubei_sheet(("指标", "填报日期：")),
}


@pytest.mark.parametrize("extension", FORMATS)
@pytest.mark.parametrize("case", FOUND)
def test_a_value_worded_like_the_forms_structure_comes_back(case, extension):
    write, read = FORMATS[extension]
    sheet = FOUND[case]
    assert [as_seen(back) for back in read(write([sheet]))] == [as_seen(sheet)]


def test_a_goal_reading_like_a_head_above_the_heads_comes_back():
    """Found by the Word property on Hubei's form: 年度绩效目标 "一级" sits right above the heads."""
    sheet = GoalSheet(unit="绩", year=2000, template="hubei-2019", project_name="绩", budget_dept="绩",
                      local_budget=Decimal(0), period_goal="", annual_goal="一级", fields={"kind": "□新增 √延续"})
    sheet.indicators = []
    (back,) = read_document(printed_form_docx([sheet]), "x.docx")
    assert back.annual_goal == "一级"
