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
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property
from itertools import groupby
from operator import attrgetter
from typing import NamedTuple
from weakref import WeakKeyDictionary

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from .access import EDITABLE
from .models import GoalSheet, Status, Unit, previous_year_sheets, streamed
from .paging import Pages, page_count, within
from .review import Report, review

# The statuses as the overview reads them, furthest along first: its columns and the bars' segments.
PROGRESS = (Status.APPROVED, Status.SUBMITTED, Status.RETURNED, Status.DRAFT)
# A sheet still with its unit. Its 强制 findings are open, for the unit to fix: a sheet cannot be
# submitted with one, so those the bureau holds have none.
OPEN = EDITABLE
BATCH = 500  # sheets read at a time, with their rows, when each is reviewed or written out
PER_PAGE = 25  # units a page of the overview's table shows, as many as the list shows sheets


@dataclass(frozen=True)
class UnitLine:
    """One unit's year: its sheets by status, its projects' budget, its open 强制 findings."""

    unit_id: int
    unit: str
    by_status: dict[Status, int]
    local_budget: Decimal = Decimal(0)
    higher_funds: Decimal = Decimal(0)
    blocking: int = 0

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
class UnitsPage(Pages):
    lines: list[UnitLine] = field(default_factory=list)


@dataclass(frozen=True)
class Overview:
    year: int
    units: list[UnitLine]  # the units that filed, by name
    unfiled: list[str]  # every other unit, by name
    by_dept: list[DeptTotal]  # the projects' budget by 预算部门, largest first

    @cached_property
    def total(self) -> UnitLine:
        """Every unit's numbers added up."""
        return UnitLine(
            0, "合计", {status: sum(line.by_status[status] for line in self.units) for status in PROGRESS},
            sum((line.local_budget for line in self.units), Decimal(0)), sum((line.higher_funds for line in self.units), Decimal(0)),
            sum(line.blocking for line in self.units),
        )

    def page(self, number: int | None, unit_ids: set[int] | None = None) -> UnitsPage:
        """A page of the units' table, only these units' when given; None: every unit on one page (to print them all)."""
        lines = self.units if unit_ids is None else [line for line in self.units if line.unit_id in unit_ids]
        if number is None:
            return UnitsPage(1, 1, len(lines), lines)
        number = within(number, len(lines), PER_PAGE)
        return UnitsPage(number, page_count(len(lines), PER_PAGE), len(lines), lines[(number - 1) * PER_PAGE:number * PER_PAGE])


def year_overview(year: int) -> Overview:
    """The county's year: every unit, filed or not, and the budget by 预算部门. One statement adds up
    every unit's sheets (by unit and 预算部门), one reads the units' names, and the 强制 counts are
    remembered by unit (open_blocking_by_unit): a county's size adds rows to add up, not statements or reviews."""
    parts = _parts(year)
    signatures: dict[int, tuple] = {}
    for part in parts:  # a unit's parts added up: in whatever order the database gives them, the same signature
        signatures[part.unit_id] = tuple(a + (b or 0) for a, b in zip(signatures.get(part.unit_id, (0, 0, 0)), part.open_signature))
    blocking = open_blocking_by_unit(year, signatures)
    lines = _lines(parts, blocking)
    names = db.session.execute(select(Unit.id, Unit.name).order_by(Unit.name, Unit.id)).all()
    filed = [replace(lines[unit_id], unit=name) for unit_id, name in names if unit_id in lines]
    return Overview(year, filed, [name for unit_id, name in names if unit_id not in lines], _by_dept(parts))


def page_listing(unit: Unit, year: int) -> int:
    """The page of the year's units' table (Overview.page) that lists the unit: the units that
    filed, by name, before it."""
    before = (select(func.count(func.distinct(GoalSheet.unit_id))).join(Unit, GoalSheet.unit_id == Unit.id)
              .where(GoalSheet.year == year, Unit.name < unit.name))
    return db.session.scalar(before) // PER_PAGE + 1


class _Part(NamedTuple):
    """A unit's sheets of the year under one 预算部门, as the database adds them up."""

    unit_id: int
    dept: str
    by_status: tuple[int, ...]  # in PROGRESS's order
    projects: int
    local_budget: Decimal | None
    higher_funds: Decimal | None
    open_signature: tuple  # of its open sheets: how many, the sums of their ids and of their versions


def _parts(year: int) -> list[_Part]:
    """The year's sheets added up by unit and 预算部门, in one statement."""
    project, open_ = GoalSheet.is_project, GoalSheet.status.in_(OPEN)
    rows = db.session.execute(
        select(GoalSheet.unit_id, GoalSheet.budget_dept, *(func.count().filter(GoalSheet.status == status) for status in PROGRESS),
               func.count().filter(project), func.sum(GoalSheet.local_budget).filter(project), func.sum(GoalSheet.higher_funds).filter(project),
               func.count().filter(open_), func.sum(GoalSheet.id).filter(open_), func.sum(GoalSheet.version).filter(open_))
        .where(GoalSheet.year == year).group_by(GoalSheet.unit_id, GoalSheet.budget_dept)
    )
    statuses = len(PROGRESS)
    return [_Part(unit_id, dept, tuple(numbers[:statuses]), *numbers[statuses:statuses + 3], tuple(numbers[statuses + 3:]))
            for unit_id, dept, *numbers in rows]


def _lines(parts: list[_Part], blocking: dict[int, int]) -> dict[int, UnitLine]:
    """Each unit's line (its name still to be put in), its parts added up."""
    added: dict[int, list] = {}
    for part in parts:
        numbers = added.setdefault(part.unit_id, [0] * len(PROGRESS) + [Decimal(0), Decimal(0)])
        for n, count in enumerate(part.by_status):
            numbers[n] += count
        numbers[-2] += part.local_budget or 0
        numbers[-1] += part.higher_funds or 0
    return {unit_id: UnitLine(unit_id, "", dict(zip(PROGRESS, numbers)), numbers[-2], numbers[-1], blocking.get(unit_id, 0))
            for unit_id, numbers in added.items()}


def _by_dept(parts: list[_Part]) -> list[DeptTotal]:
    added: dict[str, list] = {}
    for part in parts:
        if part.projects:
            numbers = added.setdefault(part.dept or "", [0, Decimal(0), Decimal(0)])
            numbers[0] += part.projects
            numbers[1] += part.local_budget or 0
            numbers[2] += part.higher_funds or 0
    return sorted((DeptTotal(dept, *numbers) for dept, numbers in added.items()), key=lambda total: (-total.local_budget, total.dept))


# Reviewing one sheet takes about a millisecond, so a county's year takes seconds. What it comes to
# is therefore remembered twice over: each open sheet's count by its version (every change to a sheet
# or its rows bumps it: history.record), and each unit's total with a signature of its open sheets
# (how many there are, the sums of their ids and of their versions), so that a unit nothing changed
# in is not even read, and of a unit that changed only the sheet that changed is reviewed again.
# Both are kept per database (engine) and per process. A second server keeps and checks its own,
# so it never shows a count that is out of date: it only counts once more.
_REMEMBERED: WeakKeyDictionary = WeakKeyDictionary()  # {engine: {(year, unit id): (signature, count)}}
_SHEETS: WeakKeyDictionary = WeakKeyDictionary()  # {engine: {(sheet id, version): count}}
SHEETS_REMEMBERED = 200_000  # counts kept (a few MB); a county has some 10,000 sheets, a version each


def open_blocking_by_unit(year: int, signatures: dict[int, tuple]) -> dict[int, int]:
    """The 强制 findings on each unit's open sheets of the year, given each unit's signature of
    them (_parts). Only the units whose open sheets changed since the last count are counted again."""
    remembered = _REMEMBERED.setdefault(db.engine, {})
    changed = [unit_id for unit_id, signature in signatures.items() if remembered.get((year, unit_id), (None, 0))[0] != signature]
    if changed:
        counts = _blocking_of(year, changed if len(changed) < len(signatures) else None)
        remembered.update({(year, unit_id): (signatures[unit_id], counts.get(unit_id, 0)) for unit_id in changed})
    return {unit_id: remembered[year, unit_id][1] for unit_id in signatures}


def _blocking_of(year: int, unit_ids: list[int] | None) -> dict[int, int]:
    """The 强制 findings on the open sheets of the year, of these units (None: every unit), per unit.
    A sheet not counted at its version is read with its rows and reviewed, BATCH at a time."""
    query = select(GoalSheet.id, GoalSheet.version, GoalSheet.unit_id).where(GoalSheet.year == year, GoalSheet.status.in_(OPEN))
    if unit_ids is not None:
        query = query.where(GoalSheet.unit_id.in_(unit_ids))
    sheets = db.session.execute(query).all()
    known = _SHEETS.setdefault(db.engine, {})
    if len(known) > SHEETS_REMEMBERED:
        known.clear()  # mostly versions long gone; the current ones are counted again as views ask
    missing = [sheet.id for sheet in sheets if (sheet.id, sheet.version) not in known]
    read: dict[int, int] = {}  # as read now: a sheet changed since the ids were read is counted as it is
    for start in range(0, len(missing), BATCH):
        batch = select(GoalSheet).where(GoalSheet.id.in_(missing[start:start + BATCH])).options(selectinload(GoalSheet.indicators))
        for sheet in db.session.scalars(batch):
            known[sheet.id, sheet.version] = read[sheet.id] = review(sheet).blocking
    counts: dict[int, int] = {}
    for sheet in sheets:
        counts[sheet.unit_id] = counts.get(sheet.unit_id, 0) + known.get((sheet.id, sheet.version), read.get(sheet.id, 0))
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


def year_sheets_by_unit(year: int) -> Iterator[tuple[str, list[GoalSheet]]]:
    """Every sheet of the year with its rows, a unit's at a time (units by name, each's sheets as
    filed), read from the database a batch at a time: however many units, one unit's are held."""
    query = select(GoalSheet).join(Unit, GoalSheet.unit_id == Unit.id).where(GoalSheet.year == year).order_by(Unit.name, GoalSheet.id)
    for unit, sheets in groupby(streamed(query), key=attrgetter("unit")):
        yield unit, list(sheets)
