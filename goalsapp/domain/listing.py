"""The sheet list as its reader sees it: a page of the sheets a filter picks, either grouped by year
and unit (each group with its totals over all its matching sheets, not just the page's) or, sorted
another way, as one table; and the reviewers' queue, the submissions oldest first."""
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from itertools import groupby

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from . import access, limits
from .models import TARGET, GoalSheet, SheetEvent, Status, Unit, User, previous_year_sheets, unit_year_sheets
from .review import Report, review
from .text import normalize

PER_PAGE = 50  # sheets a list page shows; the page costs the same however many there are
# Sorting by findings reviews every sheet the filter picks, so across all pages only up to this
# many (a unit's or a county's year: a few hundred ms); beyond it, the page is sorted within itself.
FINDINGS_SORTED_ACROSS_PAGES = 500
SEARCH_LENGTH = 100  # characters of the search box kept: a project name is at most 200

# Each sort's name as the user picks it; "" keeps the list grouped by year and unit.
SORTS = {
    "": "按年度、单位分组",
    "queue": "提交时间（先交先审）",
    "budget": "年度本级预算（从大到小）",
    "status": "状态（待审的在前）",
    "findings": "审核问题（多的在前）",
}
# Sorted by status, the sheets that wait for someone come first: the bureau's, then the unit's.
STATUS_ORDER = (Status.SUBMITTED, Status.RETURNED, Status.DRAFT, Status.APPROVED)


@dataclass(frozen=True)
class ListFilter:
    """What the list shows: sheets whose project or unit contains every word of `text`, of `year`,
    `status` and the unit named `unit` when given, in the order `sort` names (SORTS)."""

    text: str = ""
    year: int | None = None
    status: Status | None = None
    sort: str = ""
    unit: str = ""  # one unit's sheets only, by its exact name: the overview's drill-down

    KEYS = ("q", "year", "status", "sort", "unit")  # its query-string names

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> "ListFilter":
        """From a query string (or the copy remembered in the session); what is not valid is left out."""
        year = args.get("year", "")
        status = args.get("status", "")
        return cls(
            text=" ".join(normalize(args.get("q", ""), multiline=False)[:SEARCH_LENGTH].split()),
            year=int(year) if year.isdigit() and limits.FIRST_YEAR <= int(year) <= limits.LAST_YEAR else None,
            status=Status(status) if status in set(Status) else None,
            sort=args.get("sort", "") if args.get("sort", "") in SORTS else "",
            unit=normalize(args.get("unit", ""), multiline=False)[:limits.UNIT_NAME],
        )

    def as_args(self, **changes) -> dict[str, str]:
        """As a query string, with changes; `status` is always in it, so a link to every status
        (status empty) is a choice too, not the absence of one."""
        args = {"q": self.text, "year": str(self.year or ""), "status": self.status or "", "sort": self.sort, "unit": self.unit} | changes
        return {key: value for key, value in args.items() if value or key == "status"}

    @property
    def grouped(self) -> bool:
        return self.sort == ""

    @property
    def narrowed(self) -> bool:
        """Leaves some sheets out (the empty list then says so, rather than inviting a first sheet)."""
        return bool(self.text or self.year or self.status or self.unit)


REVIEW_QUEUE = ListFilter(status=Status.SUBMITTED, sort="queue")


@dataclass(frozen=True)
class Listed:
    """A sheet on the list, with its findings; waiting_since: when it was submitted, while it waits."""

    sheet: GoalSheet
    report: Report
    waiting_since: datetime | None = None


@dataclass(frozen=True)
class UnitYear:
    """The sheets one unit files for one year, with the whole group's totals."""

    unit: str
    year: int
    sheets: list[Listed]
    count: int
    local_budget: Decimal
    higher_funds: Decimal

    @property
    def reports(self) -> list[tuple[GoalSheet, Report]]:
        """(sheet, findings) of each, as a unit's year is submitted (workflow.submit_all)."""
        return [(listed.sheet, listed.report) for listed in self.sheets]


@dataclass(frozen=True)
class ListPage:
    page: int
    pages: int
    total: int
    groups: list[UnitYear] = field(default_factory=list)  # the grouped order
    rows: list[Listed] = field(default_factory=list)  # any other order: one table
    sorted_within_page: bool = False  # by findings, over more sheets than are sorted across pages

    @property
    def listed(self) -> list[Listed]:
        """Every sheet on the page, whichever way it is laid out."""
        return self.rows or [item for group in self.groups for item in group.sheets]

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def opening_filter(user: User) -> ListFilter:
    """Where the list opens for a user who has chosen nothing: a reviewer on the queue while
    anything waits in it, everyone else (and a reviewer with nothing to do) on every sheet."""
    if access.can_review(user) and db.session.scalar(select(GoalSheet.id).where(GoalSheet.status == Status.SUBMITTED).limit(1)):
        return REVIEW_QUEUE
    return ListFilter()


def sheet_list(unit_id: int | None, wanted: ListFilter, page: int) -> ListPage:
    """The page of sheets `wanted` picks, only unit_id's when given. A page past the end shows the last."""
    filters = _filters(unit_id, wanted)
    # Counted plainly: paginate's own count wraps the ordered query, which costs a scan of every sheet.
    total = db.session.scalar(select(func.count(GoalSheet.id)).where(*filters))
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(page, 1), pages)
    if wanted.sort == "findings":
        rows, within_page = _by_findings(filters, total, page)
        return ListPage(page, pages, total, rows=rows, sorted_within_page=within_page)
    query = select(GoalSheet, SUBMITTED_AT).where(*filters).order_by(*ORDERS[wanted.sort])
    found = db.session.execute(_loaded(query).limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    listed = _reviewed(found)
    if not wanted.grouped:
        return ListPage(page, pages, total, rows=listed)
    return ListPage(page, pages, total, groups=_grouped(listed, filters))


def available_years(unit_id: int | None) -> list[int]:
    """The years there are sheets of (unit_id's only, when given), newest first: the year filter's choices."""
    query = select(GoalSheet.year).distinct().order_by(GoalSheet.year.desc())
    return list(db.session.scalars(query.where(GoalSheet.unit_id == unit_id) if unit_id is not None else query))


def next_in_queue(sheet: GoalSheet, place: tuple[datetime | None, int], unit_id: int | None = None) -> GoalSheet | None:
    """The submission to review after `sheet`, which stood at `place` (queue_place) in the queue:
    the next one after it, else the first of those before it; None when nothing else waits."""
    at, sheet_id = place
    waiting = [GoalSheet.status == Status.SUBMITTED, GoalSheet.id != sheet.id]
    if unit_id is not None:
        waiting.append(GoalSheet.unit_id == unit_id)
    if at is None:
        later = or_(SUBMITTED_AT.is_not(None), GoalSheet.id > sheet_id)
    else:
        later = or_(SUBMITTED_AT > at, and_(SUBMITTED_AT == at, GoalSheet.id > sheet_id))
    first = lambda *where: db.session.scalars(select(GoalSheet).where(*waiting, *where).order_by(*ORDERS["queue"]).limit(1)).first()  # noqa: E731
    return first(later) or first()


def queue_place(sheet: GoalSheet) -> tuple[datetime | None, int]:
    """Where the sheet stands in the queue: its submission time and id. Taken before it is decided:
    deciding changes updated_at, which stands in for a submission time the history lacks."""
    return db.session.scalar(select(SUBMITTED_AT).where(GoalSheet.id == sheet.id)), sheet.id


def _filters(unit_id: int | None, wanted: ListFilter) -> list:
    filters = []
    if unit_id is not None:
        filters.append(GoalSheet.unit_id == unit_id)
    if wanted.status is not None:
        filters.append(GoalSheet.status == wanted.status)
    if wanted.year is not None:
        filters.append(GoalSheet.year == wanted.year)
    if wanted.unit:
        filters.append(GoalSheet.unit_id == Unit.id_named(wanted.unit))
    for word in wanted.text.split():  # every word, each in the project's name or the unit's
        units = select(Unit.id).where(Unit.name.icontains(word, autoescape=True))
        filters.append(or_(GoalSheet.project_name.icontains(word, autoescape=True), GoalSheet.unit_id.in_(units)))
    return filters


# When a sheet was submitted: its last submission in the history. A sheet with no such event
# (written by hand into the database) counts from its last change: nothing changes a submitted
# sheet until it is decided, so for one that waits this is its submission time.
SUBMITTED_AT = func.coalesce(
    select(func.max(SheetEvent.at)).where(SheetEvent.sheet_id == GoalSheet.id, SheetEvent.document == TARGET,
                                          SheetEvent.action == "submit")
    .correlate(GoalSheet).scalar_subquery(),
    GoalSheet.updated_at,
).label("submitted_at")
GROUPED_ORDER = (GoalSheet.year.desc(), GoalSheet.unit_id, GoalSheet.id)  # the list order index's
ORDERS = {
    "": GROUPED_ORDER,
    "queue": (SUBMITTED_AT.asc().nulls_first(), GoalSheet.id),
    "budget": (GoalSheet.local_budget.desc(), *GROUPED_ORDER),
    "status": (case({status: rank for rank, status in enumerate(STATUS_ORDER)}, value=GoalSheet.status), *GROUPED_ORDER),
    "findings": GROUPED_ORDER,  # then sorted by the review, which the database cannot do (_by_findings)
}


def _loaded(query):
    return query.options(selectinload(GoalSheet.indicators))


def _reviewed(found: list[tuple[GoalSheet, datetime | None]]) -> list[Listed]:
    """Each sheet with its findings (compared with its last year's: one query for them all)."""
    previous = previous_year_sheets([sheet for sheet, _ in found])
    return [Listed(sheet, review(sheet, previous.get((sheet.unit, sheet.project_name, sheet.year - 1))),
                   submitted if sheet.status == Status.SUBMITTED else None) for sheet, submitted in found]


def _by_findings(filters: list, total: int, page: int) -> tuple[list[Listed], bool]:
    """The page sorted by findings, 强制 then 提示, most first: across every page when the filter picks
    few enough sheets to review them all, else within the page (True then)."""
    query = _loaded(select(GoalSheet, SUBMITTED_AT).where(*filters).order_by(*GROUPED_ORDER))
    across = total <= FINDINGS_SORTED_ACROSS_PAGES
    found = db.session.execute(query if across else query.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    ranked = sorted(_reviewed(found), key=lambda listed: (-listed.report.blocking, -listed.report.warnings))
    return (ranked[(page - 1) * PER_PAGE:page * PER_PAGE], False) if across else (ranked, True)


def _grouped(listed: list[Listed], filters: list) -> list[UnitYear]:
    totals = _group_totals(filters, {(item.sheet.year, item.sheet.unit_id) for item in listed})
    return [
        UnitYear(group[0].sheet.unit, year, group, *totals[year, unit_id])
        for (year, unit_id), rows in groupby(listed, key=lambda item: (item.sheet.year, item.sheet.unit_id))
        for group in [list(rows)]
    ]


def _group_totals(filters: list, keys: set[tuple[int, int]]) -> dict[tuple[int, int], tuple[int, Decimal, Decimal]]:
    """(count, 本级, 上级) for each unit-year on the page, over all its sheets, in one query; the
    budgets are the projects': a whole-department sheet's 资金总额 already holds them."""
    if not keys:
        return {}
    rows = db.session.execute(
        select(GoalSheet.year, GoalSheet.unit_id, func.count(), func.sum(GoalSheet.local_budget).filter(GoalSheet.is_project),
               func.sum(GoalSheet.higher_funds).filter(GoalSheet.is_project))
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
