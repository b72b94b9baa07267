"""Copy sheets to another year: most of a year's tables start as last year's; and bring
last year's rows of a category into this year's sheet (引用上年)."""
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from ..extensions import db
from . import history, limits, measures, years
from .formtemplates import FormTemplate, shown_label
from .layout import footer_key
from .models import GoalSheet, Indicator, Status, Unit, User, YearTemplate, template_for_year, unit_year_sheets

HEADER_FIELDS = ("unit", "template", "fields", "project_name", "budget_dept", "local_budget", "higher_funds", "period_goal", "annual_goal")
INDICATOR_FIELDS = ("position", "level1", "level2", "name", "value", "standard", "extra")


class CopyRefused(Exception):
    """A copy that cannot be made, said in Chinese."""


def check_year(year: int) -> None:
    if not limits.FIRST_YEAR <= year <= limits.LAST_YEAR:
        raise CopyRefused(f"不能复制到{year}年：年度应在{limits.FIRST_YEAR}至{limits.LAST_YEAR}之间。")


def _shift(day: date | None, years: int) -> date | None:
    """The same month, years on; a 实施期 that would leave the years a form can hold is refused."""
    if day is None:
        return None
    if not limits.PERIOD_FIRST_YEAR <= day.year + years <= limits.PERIOD_LAST_YEAR:
        raise CopyRefused(f"不能复制：实施期会到{day.year + years}年，超出{limits.PERIOD_LAST_YEAR}年。")
    return day.replace(year=day.year + years)  # always the 1st: no 29 February


@dataclass
class Copy:
    """A sheet copied to another year, with what the copy changed on the way."""

    sheet: GoalSheet
    left_behind: list[Indicator] = field(default_factory=list)  # rows the year's form has no category for
    moved: list[list[str]] = field(default_factory=list)  # [where, old, new] for each text whose years moved


def copy_to_year(sheet: GoalSheet, year: int, move_years: bool = True) -> Copy:
    """A new sheet for year: same header and indicators, 实施期 moved by the same number of
    years, and (unless told not to) the years in its texts that refer to the sheet's own
    year or 实施期 moved with it (domain/years.py says which). When the bureau hands out
    another form for that year, the copy moves to it: its rows keep their categories where
    the new form has one of the same name, and the rows it has no place for stay only in the
    original."""
    check_year(year)
    by = year - sheet.year
    copy = GoalSheet(
        year=year,
        status=Status.DRAFT,
        period_start=_shift(sheet.period_start, by),
        period_end=_shift(sheet.period_end, by),
        indicators=[Indicator(**{name: getattr(i, name) for name in INDICATOR_FIELDS}) for i in sheet.indicators],
        **{name: getattr(sheet, name) for name in HEADER_FIELDS},
    )
    left_behind: list[Indicator] = []
    if (form := template_for_year(year)).code != sheet.template and db.session.get(YearTemplate, year) is not None:
        copy.template, left_behind = form.code, _recategorised(copy.indicators, form.framework)
        copy.indicators = [row for row in copy.indicators if row not in left_behind]
        for position, row in enumerate(copy.indicators, start=1):
            row.position = position
    return Copy(copy, left_behind, _move_years(copy, sheet, by) if move_years else [])


def _move_years(copy: GoalSheet, original: GoalSheet, by: int) -> list[list[str]]:
    """Move the original's own years in the copy's texts; [where, old, new] for each text moved.
    The 实施期 as written moves whole, as its dates do."""
    own = years.own_years(original.year, original.period_start, original.period_end)
    form, moved = original.form, []

    def move(where: str, text: str, whole: bool = False) -> str:
        new = years.move_every_year(text, by) if whole else years.move_years(text, own, by)
        if new != text:
            moved.append([where, text, new])
        return new

    for key in ("period_goal", "annual_goal"):
        setattr(copy, key, move(_field_label(form, key), getattr(copy, key)))
    copy.fields = {key: [[move(_subtable_label(form, row, column), text) for column, text in enumerate(cells)]
                         for row, cells in enumerate(value, start=1)] if isinstance(value, list)
                   else move(_field_label(form, key), value, whole=key == "period")
                   for key, value in (copy.fields or {}).items()}
    for row in copy.indicators:
        where = f"{row.level2}第{_row_number(copy.indicators, row)}行"
        for key in ("name", "value", "standard"):
            setattr(row, key, move(f"{where}{_column_label(form, key)}", getattr(row, key)))
        # The cells kept beside the value spell the value's own years: they move with it, said once, as its.
        row.extra = {key: years.move_years(text, own, by) if key in measures.GIVEN else move(f"{where}{_column_label(form, key)}", text)
                     for key, text in (row.extra or {}).items()}
    return moved


def _field_label(form: FormTemplate, key: str) -> str:
    """A header field, footer or the title, as the history names it."""
    if (header_field := form.field(key)) is not None:
        return shown_label(header_field.label)
    footer = next((label for label in form.footers if footer_key(label) == key), None)
    return footer or {"title": "标题"}.get(key, key)


def _subtable_label(form: FormTemplate, row: int, column: int) -> str:
    subtable = form.subtable
    heading = shown_label(subtable.columns[column].label) if subtable and column < len(subtable.columns) else ""
    return f"{shown_label(subtable.label) if subtable else ''}第{row}行{heading}"


def _column_label(form: FormTemplate, key: str) -> str:
    return next((shown_label(column.label) for column in form.columns if column.key == key), key)


def _row_number(rows: list[Indicator], row: Indicator) -> int:
    """The row's place among its category's rows, as the editor lists them."""
    siblings = sorted((other for other in rows if other.level2 == row.level2), key=lambda other: other.position)
    return next(number for number, other in enumerate(siblings, start=1) if other is row)


def _recategorised(rows: list[Indicator], framework) -> list[Indicator]:
    """Put each row under the new framework's category of the same name; the rows left out."""
    homes = {level2: level1 for level1, level2 in framework.pairs()}
    left_out = []
    for row in rows:
        if row.level2 in homes:
            row.level1 = homes[row.level2]
        else:
            left_out.append(row)
    return left_out


def copy_unit_year(unit: str, from_year: int, to_year: int, user: User | None) -> tuple[list[Copy], list[GoalSheet]]:
    """Copy every sheet of a unit and year, each copy's history saying who; a project already
    in the target year is left out. Returns (the copies, the originals left out); the caller commits.
    """
    check_year(to_year)
    originals = unit_year_sheets(unit, from_year)
    taken = set(db.session.scalars(select(GoalSheet.project_name).where(GoalSheet.unit_id == Unit.id_named(unit), GoalSheet.year == to_year)))
    copies = []
    for sheet in originals:
        if sheet.project_name not in taken:
            copy = copy_to_year(sheet, to_year)
            record_copy(copy, user)
            copies.append(copy)
    db.session.add_all(copy.sheet for copy in copies)
    return copies, [sheet for sheet in originals if sheet.project_name in taken]


def record_copy(copy: Copy, user: User | None) -> None:
    """The copy's first history event: each text whose years moved, old → new, and any row
    the year's form had no category for."""
    left_out = [["未复制：新表没有此类别", f"{row.level1}／{row.level2}：{row.name}", ""] for row in copy.left_behind]
    history.record(copy.sheet, user, "copy", [[f"{where}（年份顺延）", old, new] for where, old, new in copy.moved] + left_out)


# --- 引用上年: last year's rows of a category brought into this year's sheet ---------------------


def last_year_rows(previous: GoalSheet | None, level2: str) -> list[Indicator]:
    """Last year's rows of a category, found by its level-2 name as copy_to_year moves rows."""
    return [row for row in previous.indicators if row.level2 == level2] if previous is not None else []


def rows_named(sheet: GoalSheet, level1: str, level2: str) -> set[str]:
    """The names the sheet's category already holds."""
    return set(db.session.scalars(select(Indicator.name).where(
        Indicator.sheet_id == sheet.id, Indicator.level1 == level1, Indicator.level2 == level2)))


@dataclass
class Carried:
    added: list[Indicator] = field(default_factory=list)
    full: bool = False  # stopped at the sheet's row limit, rows left to bring


def carry_rows(sheet: GoalSheet, rows: list[Indicator], level1: str, user: User | None) -> Carried:
    """Bring last year's rows into the sheet's category (level1 of the sheet's own form), after
    its rows, each recorded as a change of its own. A name the category already holds is not
    brought twice; past the sheet's row limit nothing more is. The caller commits."""
    carried = Carried()
    present = rows_named(sheet, level1, rows[0].level2) if rows else set()
    for row in rows:
        if row.name in present:
            continue
        if (position := sheet.next_position()) is None:
            carried.full = True
            break
        carried.added.append(_carry(sheet, row, level1, position, user))
        present.add(row.name)
    return carried


def _carry(sheet: GoalSheet, row: Indicator, level1: str, position: int, user: User | None) -> Indicator:
    new = Indicator(sheet_id=sheet.id, position=position, level1=level1,
                    **{name: getattr(row, name) for name in INDICATOR_FIELDS if name not in ("position", "level1")})
    # Added to the session, not appended to sheet.indicators: that would load every row.
    history.change(sheet, user, "carry_indicator", lambda: history.indicator_snapshot(new, sheet.form), lambda: db.session.add(new))
    return new
