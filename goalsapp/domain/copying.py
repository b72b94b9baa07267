"""Copy sheets to another year: most of a year's tables start as last year's; and bring
last year's rows of a category into this year's sheet (引用上年)."""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from ..extensions import db
from . import history, layout, limits, measures, years
from .formtemplates import FormTemplate, shown_label
from .layout import footer_key
from .models import (
    GoalSheet,
    Indicator,
    Status,
    Unit,
    User,
    YearTemplate,
    add_unless_named_twice,
    template_for_year,
    unit_year_sheets,
)

HEADER_FIELDS = ("unit", "template", "fields", "project_name", "budget_dept", "local_budget", "higher_funds", "period_goal", "annual_goal")
# What names a sheet on any form (the list goes by them), wherever a form prints it or not.
IDENTITY = {"unit", "project_name"}
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
    # (label, text) of each header value, footer and sub-table row the year's form has no place for
    no_place: list[tuple[str, str]] = field(default_factory=list)

    def left_out(self) -> list[str]:
        """Each thing the copy's form does not show, named with its text: header values, then rows."""
        return [f"{label}“{text}”" for label, text in self.no_place] + [f"{row.level2}“{row.name}”" for row in self.left_behind]


def copy_to_year(sheet: GoalSheet, year: int, move_years: bool = True) -> Copy:
    """A new sheet for year: same header and indicators, 实施期 moved by the same number of
    years, and (unless told not to) the years in its texts that refer to the sheet's own
    year or 实施期 moved with it (domain/years.py says which). When the bureau hands out
    another form for that year, the copy moves to it: its rows keep their categories where
    the new form has one of the same name, and the rows it has no place for stay only in the
    original, as do the header values, footers and sub-table rows it has no place for (the copy
    names each: Copy.left_out)."""
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
    moved = _move_years(copy, sheet, by) if move_years else []
    return Copy(copy, left_behind, moved, _no_place(copy, sheet.form, copy.form))


def _no_place(copy: GoalSheet, old: FormTemplate, new: FormTemplate) -> list[tuple[str, str]]:
    """Each header value, footer and sub-table row the old form had and the new one has no
    place for, (label as the old form prints it, text as the copy has it)."""
    fields = [(shown_label(header.label), layout.shown(copy, header)) for header in old.header
              if header.key not in IDENTITY and new.field(header.key) is None]
    footers = [(label, copy.written(footer_key(label))) for label in old.footers if label not in new.footers]
    rows = []
    if old.subtable and (new.subtable is None or new.subtable.key != old.subtable.key):
        rows = [(f"{shown_label(old.subtable.label)}第{number}行", "／".join(cell for cell in cells if cell))
                for number, cells in enumerate((copy.fields or {}).get(old.subtable.key, []), start=1)]
    return [(label, text) for label, text in fields + footers + rows if text]


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
        # The cells kept beside the value spell the value's own years: they move with it, said once, as its.
        _move_row_texts(row, lambda key, text, where=where: years.move_years(text, own, by) if key in measures.GIVEN
                        else move(f"{where}{_column_label(form, key)}", text))
    return moved


def _move_row_texts(row: Indicator, move: Callable[[str, str], str]) -> None:
    """Put each of the row's texts (its named columns and its form's other ones) through move(key, text)."""
    for key in ("name", "value", "standard"):
        setattr(row, key, move(key, getattr(row, key)))
    row.extra = {key: move(key, text) for key, text in (row.extra or {}).items()}


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
    return form.column_titles.get(key, key)


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
    copies, left_out = [], []
    for sheet in originals:
        if sheet.project_name in taken or (copy := _copy_unless_copied_meanwhile(sheet, to_year)) is None:
            left_out.append(sheet)
            continue
        record_copy(copy, user)
        copies.append(copy)
    return copies, left_out


def _copy_unless_copied_meanwhile(sheet: GoalSheet, to_year: int) -> Copy | None:
    """The copy, written; None when the same copy was written meanwhile (the same request sent
    twice): looking first is not enough, the write and then the look is (add_unless_named_twice)."""
    copy = copy_to_year(sheet, to_year)
    db.session.add(copy.sheet)
    if add_unless_named_twice(copy.sheet) is not None:
        db.session.delete(copy.sheet)
        return None
    return copy


def record_copy(copy: Copy, user: User | None) -> None:
    """The copy's first history event: each text whose years moved, old → new, any header value
    the year's form had no place for, and any row it had no category for."""
    no_place = [["未复制：新表没有此栏", f"{label}：{text}", ""] for label, text in copy.no_place]
    left_out = [["未复制：新表没有此类别", f"{row.level1}／{row.level2}：{row.name}", ""] for row in copy.left_behind]
    history.record(copy.sheet, user, "copy", [[f"{where}（年份顺延）", old, new] for where, old, new in copy.moved] + no_place + left_out)


# --- 引用上年: last year's rows of a category brought into this year's sheet ---------------------


@dataclass(frozen=True)
class Offer:
    """One of last year's rows as 引用上年 offers it: the stored row (its id names it in a request)
    and the row as it would come into this year's sheet."""

    source: Indicator
    row: Indicator  # not in any sheet yet


def last_year_rows(previous: GoalSheet | None, level2: str, year: int) -> list[Offer]:
    """Last year's rows of a category, found by its level-2 name as copy_to_year moves rows, each
    as it would come into a sheet of `year`: last year's own years in its texts moved there, as a
    copy moves them (a comparison's base stays: years.py)."""
    if previous is None:
        return []
    own, by = years.own_years(previous.year, previous.period_start, previous.period_end), year - previous.year
    offers = []
    for source in previous.indicators:
        if source.level2 == level2:
            row = Indicator(**{name: getattr(source, name) for name in INDICATOR_FIELDS})
            _move_row_texts(row, lambda key, text: years.move_years(text, own, by))
            offers.append(Offer(source, row))
    return offers


def rows_named(sheet: GoalSheet, level1: str, level2: str) -> set[str]:
    """The names the sheet's category already holds."""
    return set(db.session.scalars(select(Indicator.name).where(
        Indicator.sheet_id == sheet.id, Indicator.level1 == level1, Indicator.level2 == level2)))


@dataclass
class Carried:
    added: list[Indicator] = field(default_factory=list)
    full: bool = False  # stopped at the sheet's row limit, rows left to bring


def carry_rows(sheet: GoalSheet, offers: list[Offer], level1: str, user: User | None) -> Carried:
    """Bring last year's rows, as offered, into the sheet's category (level1 of the sheet's own
    form), after its rows, each recorded as a change of its own. A name the category already
    holds is not brought twice; past the sheet's row limit nothing more is. The caller commits."""
    carried = Carried()
    present = rows_named(sheet, level1, offers[0].row.level2) if offers else set()
    for offer in offers:
        if offer.row.name in present:
            continue
        if (position := sheet.next_position()) is None:
            carried.full = True
            break
        carried.added.append(_carry(sheet, offer.row, level1, position, user))
        present.add(offer.row.name)
    return carried


def _carry(sheet: GoalSheet, row: Indicator, level1: str, position: int, user: User | None) -> Indicator:
    new = Indicator(sheet_id=sheet.id, position=position, level1=level1,
                    **{name: getattr(row, name) for name in INDICATOR_FIELDS if name not in ("position", "level1")})
    # Added to the session, not appended to sheet.indicators: that would load every row.
    history.change(sheet, user, "carry_indicator", lambda: history.indicator_snapshot(new, sheet.form), lambda: db.session.add(new))
    return new
