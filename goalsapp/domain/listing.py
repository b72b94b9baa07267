"""The sheet list as its reader sees it: a page of the sheets a filter picks, either grouped by year
and unit (each group with its totals over all its matching sheets, not just the page's) or, sorted
another way, as one table; and the reviewers' queue, the submissions oldest first."""
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from itertools import groupby

from sqlalchemy import Row, Select, and_, bindparam, case, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased, load_only

from ..extensions import db
from . import access, findings, limits
from .findings import Counts
from .models import GoalSheet, Indicator, Status, Unit, User, previous_year_sheets, unit_year_sheets
from .paging import Pages, page_count, within
from .review import Report
from .text import normalize

# Sheets a list page shows: a page costs the same however many sheets there are, and its rows are
# most of that cost (25 keep the list within 3x the floor route, bench/run.py; 50 did not).
PER_PAGE = 25
# Sorting by findings ranks every sheet the filter picks on its counts (findings.py: those not
# counted yet are reviewed), so across all pages only up to this many (a unit's year, a small
# county's); beyond it, the page is sorted within itself.
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
    """A sheet on the list, with how many findings and rows it has; waiting_since: when it was
    submitted, while it waits."""

    sheet: GoalSheet
    report: Counts
    rows: int
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
    def reports(self) -> list[tuple[GoalSheet, Counts]]:
        """(sheet, findings counted) of each, as 全部提交 counts what it would submit."""
        return [(listed.sheet, listed.report) for listed in self.sheets]


@dataclass(frozen=True)
class ListPage(Pages):
    groups: list[UnitYear] = field(default_factory=list)  # the grouped order
    rows: list[Listed] = field(default_factory=list)  # any other order: one table
    sorted_within_page: bool = False  # by findings, over more sheets than are sorted across pages

    @property
    def listed(self) -> list[Listed]:
        """Every sheet on the page, whichever way it is laid out."""
        return self.rows or [item for group in self.groups for item in group.sheets]


def opening_filter(user: User) -> ListFilter:
    """Where the list opens for a user who has chosen nothing: a reviewer on the queue while
    anything waits in it, everyone else (and a reviewer with nothing to do) on every sheet."""
    if access.can_review(user) and db.session.scalar(select(GoalSheet.id).where(GoalSheet.status == Status.SUBMITTED).limit(1)):
        return REVIEW_QUEUE
    return ListFilter()


def sheet_list(unit_id: int | None, wanted: ListFilter, page: int) -> ListPage:
    """The page of sheets `wanted` picks, only unit_id's when given. A page past the end shows the last."""
    filters = _filters(unit_id, wanted)
    if wanted.sort == "findings":
        return _by_findings(filters, page)
    if wanted.text:
        # Words are looked for in every name, whatever the index: the matches, in order, come from
        # that one scan, and so do their count and the page (counting first would scan twice).
        matching = db.session.scalars(select(GoalSheet.id).where(*filters).order_by(*ORDERS[wanted.sort])).all()
        total, page = len(matching), _within(page, len(matching))
        listed = _listed(_sheets(matching[(page - 1) * PER_PAGE:page * PER_PAGE]))
    else:
        # Counted plainly: paginate's own count wraps the ordered query, which costs a scan of every sheet.
        total = db.session.scalar(select(func.count(GoalSheet.id)).where(*filters))
        page = _within(page, total)
        listed = _listed(_by_status(filters, page) if wanted.sort == "status" else _page_of(filters, ORDERS[wanted.sort], page))
    pages = _pages(total)
    if not wanted.grouped:
        return ListPage(page, pages, total, rows=listed)
    return ListPage(page, pages, total, groups=_grouped(listed, filters))


def _pages(total: int) -> int:
    return page_count(total, PER_PAGE)


def _within(page: int, total: int) -> int:
    return within(page, total, PER_PAGE)


def _page_of(filters: list, order: tuple, page: int) -> list[Row]:
    """One page of the sheets the filters pick, in this order. The page is found on the ids alone,
    in the index of its order, then only its sheets are read: a page deep in the list passes
    over index entries, not whole rows."""
    ids = select(GoalSheet.id).where(*filters).order_by(*order).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    return db.session.execute(_read(GoalSheet.id.in_(ids)).order_by(*order)).all()


def _by_status(filters: list, page: int) -> list[Row]:
    """One page sorted by status: each status's sheets read in the status index's order as far as
    the page reaches, those runs put one after another (no index has the statuses' own order)."""
    reach = page * PER_PAGE
    runs = [select(GoalSheet.id, literal(rank).label("rank"), GoalSheet.year, GoalSheet.unit_id)
            .where(*filters, GoalSheet.status == status).order_by(*GROUPED_ORDER).limit(reach).subquery()
            for rank, status in enumerate(STATUS_ORDER)]
    ordered = union_all(*(select(run) for run in runs)).subquery()
    ids = select(ordered.c.id).order_by(ordered.c.rank, ordered.c.year.desc(), ordered.c.unit_id, ordered.c.id)
    return db.session.execute(_read(GoalSheet.id.in_(ids.limit(PER_PAGE).offset(reach - PER_PAGE))).order_by(*ORDERS["status"])).all()


def _sheets(ids: list[int]) -> list[Row]:
    """These sheets, in this order, read as the list reads them."""
    found = {row[0].id: row for row in db.session.execute(_read(GoalSheet.id.in_(ids)))}
    return [found[sheet_id] for sheet_id in ids if sheet_id in found]


def _read(which):
    """The listed sheets with what the list shows beside each (LISTED, WITH_EACH)."""
    return select(GoalSheet, *WITH_EACH).where(which).options(LISTED)


# What the list shows of a sheet and asks of it (access, findings.counts, its form: whether its
# budget adds to its unit's): its goals, written fields and other texts stay unread.
LISTED = load_only(GoalSheet.unit_id, GoalSheet.year, GoalSheet.template, GoalSheet.project_name, GoalSheet.local_budget,
                   GoalSheet.higher_funds, GoalSheet.status, GoalSheet.submitted_by_id, GoalSheet.submitted_at, GoalSheet.version)
LAST_YEAR = aliased(GoalSheet)


def _last_year(column):
    """Of last year's sheet of the same unit and project (the older of two: models.previous_year_sheets)."""
    return (select(column).where(LAST_YEAR.unit_id == GoalSheet.unit_id, LAST_YEAR.year == GoalSheet.year - 1,
                                 LAST_YEAR.project_name == GoalSheet.project_name)
            .order_by(LAST_YEAR.id).limit(1).correlate(GoalSheet).scalar_subquery())


# Read with each listed sheet, each from an index: how many rows it has, and last year's sheet's id
# and version (what its findings counts are remembered by). Two queries a page fewer than asking after.
WITH_EACH = (select(func.count(Indicator.id)).where(Indicator.sheet_id == GoalSheet.id).correlate(GoalSheet).scalar_subquery(),
             _last_year(LAST_YEAR.id), _last_year(LAST_YEAR.version))


def available_years(unit_id: int | None) -> list[int]:
    """The years there are sheets of (unit_id's only, when given), newest first: the year filter's
    choices. Found a year at a time, each the latest before the last found, in the year index (or
    the unit's): a handful of lookups where DISTINCT would read every sheet of a county."""
    if unit_id is None:
        return list(db.session.scalars(YEARS))
    return list(db.session.scalars(UNIT_YEARS, {"unit_id": unit_id}))


def _years(*which) -> Select:
    years = select(func.max(GoalSheet.year).label("year")).where(*which).cte("years", recursive=True)
    earlier = select(func.max(GoalSheet.year)).where(*which, GoalSheet.year < years.c.year).scalar_subquery()
    years = years.union_all(select(earlier).where(years.c.year.is_not(None)))
    return select(years.c.year).where(years.c.year.is_not(None))


# Built once: a recursive query costs more to put together than to run.
YEARS, UNIT_YEARS = _years(), _years(GoalSheet.unit_id == bindparam("unit_id"))


def next_in_queue(sheet: GoalSheet, place: tuple[datetime | None, int], unit_id: int | None = None) -> GoalSheet | None:
    """The submission to review after `sheet`, which stood at `place` (queue_place) in the queue:
    the next one after it, else the first of those before it; None when nothing else waits."""
    at, sheet_id = place
    waiting = [GoalSheet.status == Status.SUBMITTED, GoalSheet.id != sheet.id]
    if unit_id is not None:
        waiting.append(GoalSheet.unit_id == unit_id)
    submitted = GoalSheet.submitted_at
    if at is None:
        later = or_(submitted.is_not(None), GoalSheet.id > sheet_id)
    else:
        later = or_(submitted > at, and_(submitted == at, GoalSheet.id > sheet_id))
    first = lambda *where: db.session.scalars(select(GoalSheet).where(*waiting, *where).order_by(*ORDERS["queue"]).limit(1)).first()  # noqa: E731
    return first(later) or first()


def queue_place(sheet: GoalSheet) -> tuple[datetime | None, int]:
    """Where the sheet stands in the queue: its submission time and id."""
    return sheet.submitted_at, sheet.id


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
        units = select(Unit.id).where(_holds(Unit.name, word))
        filters.append(or_(_holds(GoalSheet.project_name, word), GoalSheet.unit_id.in_(units)))
    return filters


def _holds(column, word: str):
    """The column holds the word, in any letter case. A word of nothing with a case (Chinese,
    digits) is looked for as it is: the database then need not lower every name it scans."""
    if word.lower() == word.upper():
        return column.contains(word, autoescape=True)
    return column.icontains(word, autoescape=True)


GROUPED_ORDER = (GoalSheet.year.desc(), GoalSheet.unit_id, GoalSheet.id)  # the list order index's
ORDERS = {
    "": GROUPED_ORDER,
    # The queue index's order, within 已提交 (a waiting sheet has its time: workflow.submit sets it, migration 0012 filled it in).
    "queue": (GoalSheet.submitted_at, GoalSheet.id),
    "budget": (GoalSheet.local_budget.desc(), *GROUPED_ORDER),
    "status": (case({status: rank for rank, status in enumerate(STATUS_ORDER)}, value=GoalSheet.status), *GROUPED_ORDER),
    "findings": GROUPED_ORDER,  # then sorted by the review, which the database cannot do (_by_findings)
}


def _listed(found: list[Row]) -> list[Listed]:
    """Each sheet (read with WITH_EACH) with how many findings (findings.counts: remembered, or
    reviewed now) and rows it has."""
    counted = findings.counts([sheet for sheet, *_ in found], {sheet.id: (last_id, last_version) for sheet, _, last_id, last_version in found})
    return [Listed(sheet, counted[sheet.id], rows, sheet.submitted_at if sheet.status == Status.SUBMITTED else None)
            for sheet, rows, _, _ in found]


def _by_findings(filters: list, page: int) -> ListPage:
    """The page sorted by findings, 强制 then 提示, most first: across every page when the filter picks
    few enough sheets to rank them all, else within the page (and the page says so). Ranked on
    the sheets' columns and their counts; only the page's sheets are read whole."""
    keys = db.session.execute(
        select(GoalSheet.id, GoalSheet.version, GoalSheet.unit_id, GoalSheet.project_name, GoalSheet.year)
        .where(*filters).order_by(*GROUPED_ORDER).limit(FINDINGS_SORTED_ACROSS_PAGES + 1)).all()
    by_findings = lambda listed: (-listed.report.blocking, -listed.report.warnings)  # noqa: E731
    if len(keys) > FINDINGS_SORTED_ACROSS_PAGES:
        total = db.session.scalar(select(func.count(GoalSheet.id)).where(*filters))
        page = _within(page, total)
        ranked = sorted(_listed(_page_of(filters, GROUPED_ORDER, page)), key=by_findings)
        return ListPage(page, _pages(total), total, rows=ranked, sorted_within_page=True)
    counted = findings.counts(keys)
    ranked = sorted((key.id for key in keys), key=lambda sheet_id: (-counted[sheet_id].blocking, -counted[sheet_id].warnings))
    page = _within(page, len(keys))
    on_page = _listed(_sheets(ranked[(page - 1) * PER_PAGE:page * PER_PAGE]))
    return ListPage(page, _pages(len(keys)), len(keys), rows=on_page)


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
    return [(sheet, findings.reviewed(sheet, previous.get((sheet.unit, sheet.project_name, year - 1)))) for sheet in sheets]


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
