"""The sheet list as its reader sees it: a page of sheets grouped by year and unit, each group
with its findings and its totals over all its sheets (not just the page's)."""
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from .models import GoalSheet, Status, previous_year_sheets, unit_year_sheets
from .review import Report, review

PER_PAGE = 50  # sheets a list page shows; the page costs the same however many there are


@dataclass(frozen=True)
class UnitYear:
    """The sheets one unit files for one year, with the whole group's totals."""

    unit: str
    year: int
    sheets: list[tuple[GoalSheet, Report]]
    count: int
    local_budget: Decimal
    higher_funds: Decimal


@dataclass(frozen=True)
class ListPage:
    groups: list[UnitYear]
    page: int
    pages: int
    total: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def sheet_list(unit_id: int | None, status: str | None, page: int) -> ListPage:
    """Newest year first, then unit; only unit_id's sheets when given, only status's when it is one.
    A page past the end shows the last."""
    filters = []
    if unit_id is not None:
        filters.append(GoalSheet.unit_id == unit_id)
    if status in set(Status):
        filters.append(GoalSheet.status == status)
    # Counted plainly: paginate's own count wraps the ordered query, which costs a scan of every sheet.
    total = db.session.scalar(select(func.count(GoalSheet.id)).where(*filters))
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(page, 1), pages)
    sheets = db.session.scalars(
        select(GoalSheet).where(*filters).order_by(GoalSheet.year.desc(), GoalSheet.unit_id, GoalSheet.id)
        .options(selectinload(GoalSheet.indicators)).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).all()
    totals = _group_totals(filters, {(sheet.year, sheet.unit_id) for sheet in sheets})
    previous = previous_year_sheets(sheets)
    groups = [
        UnitYear(group[0].unit, year, [(sheet, review(sheet, previous.get((sheet.unit, sheet.project_name, year - 1)))) for sheet in group],
                 *totals[year, unit_id])
        for (year, unit_id), rows in groupby(sheets, key=lambda sheet: (sheet.year, sheet.unit_id))
        for group in [list(rows)]
    ]
    return ListPage(groups, page, pages, total)


def _group_totals(filters: list, keys: set[tuple[int, int]]) -> dict[tuple[int, int], tuple[int, Decimal, Decimal]]:
    """(count, 本级, 上级) for each unit-year on the page, over all its sheets, in one query."""
    if not keys:
        return {}
    rows = db.session.execute(
        select(GoalSheet.year, GoalSheet.unit_id, func.count(), func.sum(GoalSheet.local_budget), func.sum(GoalSheet.higher_funds))
        # unit IN / year IN rather than (year, unit) IN: the unit index then finds the rows.
        .where(*filters, GoalSheet.unit_id.in_({unit for _, unit in keys}), GoalSheet.year.in_({year for year, _ in keys}))
        .group_by(GoalSheet.year, GoalSheet.unit_id)
    )
    return {(year, unit): (count, local or Decimal(0), higher or Decimal(0)) for year, unit, count, local, higher in rows if (year, unit) in keys}


def unit_year_reports(unit: str, year: int) -> list[tuple[GoalSheet, Report]]:
    """Every sheet of a unit's year, oldest first, each with its findings (last year's targets compared)."""
    sheets = unit_year_sheets(unit, year)
    previous = previous_year_sheets(sheets)
    return [(sheet, review(sheet, previous.get((sheet.unit, sheet.project_name, year - 1)))) for sheet in sheets]


@dataclass(frozen=True)
class Place:
    """Where a sheet stands among its unit's sheets of its year, in the list's order."""

    number: int
    count: int
    previous: tuple[int, str] | None  # (id, project name)
    next: tuple[int, str] | None


def place_in_group(sheet: GoalSheet) -> Place:
    """The sheet's neighbours in its unit-year group, for moving between them (one small query)."""
    group = db.session.execute(
        select(GoalSheet.id, GoalSheet.project_name).where(GoalSheet.unit_id == sheet.unit_id, GoalSheet.year == sheet.year)
        .order_by(GoalSheet.id)
    ).all()
    members = [tuple(row) for row in group]
    at = next(index for index, (sheet_id, _) in enumerate(members) if sheet_id == sheet.id)
    return Place(at + 1, len(members), members[at - 1] if at > 0 else None, members[at + 1] if at + 1 < len(members) else None)
