"""The finance bureau's view of a budget year: the overview and the 汇总表's rows.

The overview has every unit that filed, with how many sheets it has in each status, its budget,
and its open 强制 findings; the units that filed nothing; and the budget by 预算部门. The budget is
added up by 预算部门 because that is how a bureau adds it up: money is appropriated to the
department that answers for it. A count of indicators by 一级指标 is no sum anyone draws up. A budget
here is always a project's: a whole-department sheet's 资金总额 already holds its projects'
budgets (GoalSheet.is_project). These are query functions that return dataclasses. Each runs the
same number of statements however many units there are: the database adds up (GROUP BY) and never
gets one query per unit.
"""
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from weakref import WeakKeyDictionary

from sqlalchemy import and_, func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from .access import EDITABLE
from .models import GoalSheet, Status, Unit, previous_year_sheets
from .review import Report, review

# The statuses as the overview reads them, furthest along first: its columns and the bars' segments.
PROGRESS = (Status.APPROVED, Status.SUBMITTED, Status.RETURNED, Status.DRAFT)
# A sheet still with its unit. Its 强制 findings are open, for the unit to fix: a sheet cannot be
# submitted with one, so those the bureau holds have none.
OPEN = EDITABLE
BATCH = 500  # sheets read at a time, with their rows, when each is reviewed or written out


@dataclass(frozen=True)
class ExtraColumn:
    """A column that a later document adds to the overview, such as monitoring's lights (监控) or
    self-evaluation's grades (自评). It has a heading and one text per unit for a year, from one
    query ({unit id: text}). It shows only in a year it has something for."""

    label: str
    values: Callable[[int], dict[int, str]]


# Monitoring and self-evaluation register their columns here once those documents exist.
EXTRA_COLUMNS: list[ExtraColumn] = []


@dataclass(frozen=True)
class UnitLine:
    """One unit's year: its sheets by status, its projects' budget, its open 强制 findings."""

    unit_id: int
    unit: str
    by_status: dict[Status, int]
    local_budget: Decimal = Decimal(0)
    higher_funds: Decimal = Decimal(0)
    blocking: int = 0
    extras: tuple[str, ...] = ()  # one text per Overview.extra_labels

    @property
    def sheets(self) -> int:
        return sum(self.by_status.values())


@dataclass(frozen=True)
class DeptTotal:
    """The projects of one 预算部门 (budget_dept as written; "" when a sheet leaves it blank)."""

    dept: str
    sheets: int
    local_budget: Decimal
    higher_funds: Decimal


@dataclass(frozen=True)
class Overview:
    year: int
    units: list[UnitLine]  # the units that filed, by name
    unfiled: list[str]  # every other unit, by name
    by_dept: list[DeptTotal]  # the projects' budget by 预算部门, largest first
    extra_labels: tuple[str, ...] = ()  # the ExtraColumns that have something for the year

    @property
    def total(self) -> UnitLine:
        """Every unit's numbers added up."""
        return UnitLine(
            0, "合计", {status: sum(line.by_status[status] for line in self.units) for status in PROGRESS},
            sum((line.local_budget for line in self.units), Decimal(0)), sum((line.higher_funds for line in self.units), Decimal(0)),
            sum(line.blocking for line in self.units),
        )


def year_overview(year: int) -> Overview:
    """The county's year: every unit, filed or not, and the budget by 预算部门."""
    lines = _unit_lines(year)
    blocking = open_blocking_by_unit(year)
    extras = [(column.label, values) for column in EXTRA_COLUMNS if (values := column.values(year))]
    filed = [
        replace(line, blocking=blocking.get(line.unit_id, 0), extras=tuple(values.get(line.unit_id, "") for _, values in extras))
        for line in lines if line.sheets
    ]
    return Overview(year, filed, [line.unit for line in lines if not line.sheets], _by_dept(year), tuple(label for label, _ in extras))


def _unit_lines(year: int) -> list[UnitLine]:
    """Every unit with its counts and budget for the year, in one statement. A unit with no sheet
    in the year has zeros, which is how the units that have not filed are found."""
    rows = db.session.execute(
        select(Unit.id, Unit.name, *(func.count(GoalSheet.id).filter(GoalSheet.status == status) for status in PROGRESS),
               func.sum(GoalSheet.local_budget).filter(GoalSheet.is_project), func.sum(GoalSheet.higher_funds).filter(GoalSheet.is_project))
        .select_from(Unit).outerjoin(GoalSheet, and_(GoalSheet.unit_id == Unit.id, GoalSheet.year == year))
        .group_by(Unit.id, Unit.name).order_by(Unit.name)
    )
    return [
        UnitLine(unit_id, name, dict(zip(PROGRESS, counts)), local or Decimal(0), higher or Decimal(0))
        for unit_id, name, *counts, local, higher in rows
    ]


def _by_dept(year: int) -> list[DeptTotal]:
    local = func.sum(GoalSheet.local_budget)
    rows = db.session.execute(
        select(GoalSheet.budget_dept, func.count(), local, func.sum(GoalSheet.higher_funds))
        .where(GoalSheet.year == year, GoalSheet.is_project).group_by(GoalSheet.budget_dept).order_by(local.desc(), GoalSheet.budget_dept)
    )
    return [DeptTotal(dept or "", count, total or Decimal(0), higher or Decimal(0)) for dept, count, total, higher in rows]


# Reviewing one sheet takes about a millisecond, so a county's year takes seconds. Each unit's count
# is therefore remembered with a signature of its open sheets: how many there are, the sum of their
# ids and of their versions, and their last change. Any change to one of them, or to its rows, bumps
# its version and its time; a sheet added, deleted or submitted changes how many there are. Counts
# are kept per database (engine) and per process. A second server keeps and checks its own, so it
# never shows a count that is out of date: it only counts once more.
_REMEMBERED: WeakKeyDictionary = WeakKeyDictionary()


def open_blocking_by_unit(year: int) -> dict[int, int]:
    """The 强制 findings on each unit's open sheets of the year (a unit with none open is left out).
    Only the units whose open sheets changed since the last count are reviewed again (_REMEMBERED)."""
    signatures = {
        unit_id: tuple(signature) for unit_id, *signature in db.session.execute(
            select(GoalSheet.unit_id, func.count(), func.sum(GoalSheet.id), func.sum(GoalSheet.version), func.max(GoalSheet.updated_at))
            .where(GoalSheet.year == year, GoalSheet.status.in_(OPEN)).group_by(GoalSheet.unit_id)
        )
    }
    remembered = _REMEMBERED.setdefault(db.engine, {})
    changed = [unit_id for unit_id, signature in signatures.items() if remembered.get((year, unit_id), (None, 0))[0] != signature]
    if changed:
        counts = _blocking_of(year, changed if len(changed) < len(signatures) else None)
        remembered.update({(year, unit_id): (signatures[unit_id], counts.get(unit_id, 0)) for unit_id in changed})
    return {unit_id: remembered[year, unit_id][1] for unit_id in signatures}


def _blocking_of(year: int, unit_ids: list[int] | None) -> dict[int, int]:
    """The 强制 findings on the open sheets of the year, of these units (None: every unit), per unit.
    The sheets come BATCH at a time with their rows: one statement for them, one more per batch."""
    query = (
        select(GoalSheet).where(GoalSheet.year == year, GoalSheet.status.in_(OPEN))
        .options(selectinload(GoalSheet.indicators)).execution_options(yield_per=BATCH)
    )
    if unit_ids is not None:
        query = query.where(GoalSheet.unit_id.in_(unit_ids))
    counts: dict[int, int] = {}
    for batch in db.session.scalars(query).partitions():
        for sheet in batch:
            counts[sheet.unit_id] = counts.get(sheet.unit_id, 0) + review(sheet).blocking
    return counts


def year_sheets(year: int, unit_id: int | None = None) -> Iterator[tuple[GoalSheet, Report]]:
    """Every sheet of the year, only unit_id's when that is given, by unit and then in the order
    they were filed. Each comes with its findings, compared with last year's sheet as the list
    compares them. The sheets are fetched BATCH at a time (yield_per), so a county's year is never
    all in memory at once."""
    query = (
        select(GoalSheet).join(Unit, GoalSheet.unit_id == Unit.id).where(GoalSheet.year == year)
        .order_by(Unit.name, GoalSheet.id).options(selectinload(GoalSheet.indicators)).execution_options(yield_per=BATCH)
    )
    if unit_id is not None:
        query = query.where(GoalSheet.unit_id == unit_id)
    for batch in db.session.scalars(query).partitions():
        previous = previous_year_sheets(batch)
        for sheet in batch:
            yield sheet, review(sheet, previous.get((sheet.unit, sheet.project_name, year - 1)))
