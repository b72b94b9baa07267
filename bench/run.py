"""Benchmark: a generated county at two sizes, on SQLite and PostgreSQL, every figure a ratio to the floor.

    make bench      # or: .venv/bin/python -m bench.run --database sqlite --database postgresql+psycopg:///…

Requests go through the whole app stack in process (Flask's test client: routing, login, CSRF, the
database, templates), so the numbers are the app's own, without network or server noise. The floor is
a bare route on the same stack that inserts one row and renders a tiny template: every other number is
read against it, measured in the same run, so a slower machine or a busier database moves both.

Each database holds a generated county (county.py) twice in turn: a tenth (30 units) and the whole
(300 units × 12 projects × 3 years × 12 indicators). A figure meets its target only at both sizes:
that is what "whatever the county's size" means here. A new case is one line in CASES; a new target
one line in TARGETS.
"""
import argparse
import os
import platform
import random
import re
import secrets
import statistics
import subprocess
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import event, func, select, text

from goalsapp.domain import findings, listing, overview, yearview
from goalsapp.domain.models import GoalSheet, Indicator, Status, Unit
from goalsapp.extensions import db
from goalsapp.formats.excel import write_workbooks_zip

from . import county
from .county import COUNTY, TENTH, Size
from .floor import app_with_floor, floor_table

ROW = {"level1": "产出指标", "level2": "数量指标", "name": "新增培训场次", "value": "3场", "standard": "计划标准"}
LIGHT, HEAVY = "light", "heavy"  # how many requests a case gets: --requests, or a tenth of it


@dataclass
class Bench:
    """One database at one size, logged in as the bureau's 管理员, with what the cases pick from."""

    app: object
    client: object
    size: Size
    drafts: list[int]  # sheets that may be edited: rows are added to and changed on these
    rows: list[int]  # the rows of those sheets
    sheets: list[int]
    units: list[str]
    year: int
    rng: random.Random = field(default_factory=lambda: random.Random(1))

    def draft(self) -> int:
        return self.rng.choice(self.drafts)

    def row(self) -> int:
        return self.rng.choice(self.rows)

    def sheet(self) -> int:
        return self.rng.choice(self.sheets)

    def unit(self, among: int | None = None) -> str:
        """A unit, or one of the first `among` (the same ones whatever the county's size)."""
        return self.rng.choice(self.units[:among])

    def get(self, path: str, **query):
        return self.client.get(path, query_string=query)

    def uncounted(self, path: str, **query):
        """A page asked for as a server's first: no sheet's findings counted yet (findings.py), nor any
        unit's 强制 or documents for the overview (overview.py, yearview.py); what the other cases
        counted is kept for them."""
        with self.app.app_context():
            engine = db.engine
        counted = self.app.extensions.pop(findings.REMEMBERED_KEY, {})
        kept = [(memory, memory.pop(engine, {})) for memory in (overview._REMEMBERED, overview._SHEETS, yearview._REMEMBERED)]
        try:
            return self.get(path, **query)
        finally:
            self.app.extensions[findings.REMEMBERED_KEY] = counted
            for memory, remembered in kept:
                memory[engine] = remembered


@dataclass(frozen=True)
class Case:
    """One request the bench repeats; held to `limit` times the floor, when it has one."""

    name: str
    what: str
    request: Callable[[Bench, int], object]
    limit: float | None = None
    weight: str = LIGHT


# A new page is one line here, as the overview's is.
CASES = [
    Case("floor", "the floor: insert one row, render a tiny template", lambda b, n: b.client.post("/bench/floor")),
    Case("add_row", "add a row to a draft (htmx)", lambda b, n: b.client.post(f"/sheets/{b.draft()}/indicators", data=ROW), 2),
    Case("edit_row", "change a row of a draft (htmx)", lambda b, n: b.client.put(f"/indicators/{b.row()}", data={**ROW, "value": f"{n}场"}), 2),
    Case("findings", "the findings a row change refreshes", lambda b, n: b.get(f"/sheets/{b.draft()}/findings"), 3),
    Case("editor", "open a sheet in the editor", lambda b, n: b.get(f"/sheets/{b.sheet()}"), 3),
    Case("list_queue", "the list as a reviewer opens it: the queue", lambda b, n: b.get("/", status=Status.SUBMITTED.value, sort="queue"), 3),
    Case("list_all", "the list of every sheet, by year and unit", lambda b, n: b.get("/", status=""), 3),
    # The same before any sheet's findings are counted: the first view after a restart (findings.py). Shown, not held to 3x.
    Case("list_all_uncounted", "the same, nothing counted yet", lambda b, n: b.uncounted("/", status="")),
    Case("list_last_page", "the list's last page", lambda b, n: b.get("/", status="", page=99_999), 3),
    Case("list_year", "the list of one year", lambda b, n: b.get("/", status="", year=b.year), 3),
    Case("list_search", "a search by unit and project", lambda b, n: b.get("/", status="", q=f"{b.unit(among=TENTH.units)} 培训"), 3),
    Case("list_by_budget", "the list sorted by budget", lambda b, n: b.get("/", status="", sort="budget"), 3),
    Case("list_by_status", "the list sorted by status", lambda b, n: b.get("/", status="", sort="status"), 3),
    Case("list_by_findings", "a unit's year sorted by findings",
         lambda b, n: b.get("/", status="", sort="findings", year=b.year, q=b.unit(among=TENTH.units)), 3),
    Case("overview", "the bureau's overview of a year (全县概览)", lambda b, n: b.get("/overview", year=b.year), 3),
    Case("overview_uncounted", "the same, nothing counted yet", lambda b, n: b.uncounted("/overview", year=b.year), weight=HEAVY),
    Case("print_one", "print a sheet", lambda b, n: b.get(f"/sheets/{b.sheet()}/print"), 4),
    Case("print_unit_year", "print a unit's year (12 sheets)", lambda b, n: b.get("/print", unit=b.unit(), year=b.year), weight=HEAVY),
    Case("export_one", "export a sheet to Excel", lambda b, n: b.get(f"/sheets/{b.sheet()}/export.xlsx"), weight=HEAVY),
    Case("export_unit_year", "export a unit's year (12 sheets)", lambda b, n: b.get("/export.xlsx", unit=b.unit(), year=b.year), weight=HEAVY),
]


@dataclass
class Run:
    """What one database at one size measured: median ms and statements per case, and export memory."""

    database: str
    size: Size
    median: dict[str, float] = field(default_factory=dict)
    statements: dict[str, tuple[int, int]] = field(default_factory=dict)  # fewest and most a request ran
    export_peak: dict[int, float] = field(default_factory=dict)  # sheets exported → tracemalloc peak, MB
    built: float = 0.0

    def ratio(self, case: str) -> float:
        return self.median[case] / self.median["floor"]

    def export_per_sheet(self) -> float:
        """What one more sheet adds to an export, as a ratio to the floor: from one sheet to a unit's year."""
        sheets = self.size.projects
        return (self.median["export_unit_year"] - self.median["export_one"]) / (sheets - 1) / self.median["floor"]


@dataclass(frozen=True)
class Target:
    what: str
    figure: Callable[[Run], float]
    limit: float
    shown: str = "{:.2f}×"

    def met(self, run: Run) -> bool:
        return self.figure(run) <= self.limit


MEMORY_SHEETS = (100, 1000)  # each more than a batch read from the database: memory stays the same


def _memory_per_sheet(run: Run) -> float:
    """KB of memory one sheet more adds to an export's peak, from the fewer sheets to the more."""
    (few, small), (many, large) = ((n, run.export_peak[n]) for n in MEMORY_SHEETS)
    return (large - small) * 1024 / (many - few)


TARGETS = [
    *[Target(f"{case.what} ≤ {case.limit:g}× the floor", lambda r, case=case: r.ratio(case.name), case.limit) for case in CASES if case.limit],
    Target("export: each sheet ≤ 1.5× the floor", Run.export_per_sheet, 1.5),
    # A county's export is a workbook a unit (the bureau's .zip): one unit's memory at a time, whatever the county's size.
    Target(f"export memory: a sheet more adds ≤ 2 KB to the peak ({MEMORY_SHEETS[0]} → {MEMORY_SHEETS[1]} sheets, a workbook a unit)",
           _memory_per_sheet, 2, "{:.2f} KB"),
]


def shown(statements: tuple[int, int]) -> str:
    fewest, most = statements
    return str(fewest) if fewest == most else f"{fewest}–{most}"


HELD = {case.name for case in CASES if case.limit}


def statements_constant(runs: list[Run]) -> tuple[bool, list[str]]:
    """Whether every case held to a target runs as many SQL statements at both sizes (the fewest and the
    most); the cases that do not, the held first. A case only shown (a server's first page) may differ: said, not held."""
    small, large = runs
    differ = [name for name in small.statements if small.statements[name] != large.statements[name]]
    return not any(name in HELD for name in differ), sorted(differ, key=lambda name: name not in HELD)


# --- building a database ---------------------------------------------------------------------


def app_on(url: str):
    return app_with_floor({"SECRET_KEY": secrets.token_hex(16), "SQLALCHEMY_DATABASE_URI": url})


def build(url: str, size: Size):
    """An app on the database at `url`, emptied and filled with a county of `size`."""
    app = app_on(url)
    with app.app_context():
        db.drop_all()
        floor_table.drop(db.engine, checkfirst=True)
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        floor_table.create(db.engine)
        county.fill(size)
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE"))  # as autovacuum would have by the time a county works
        else:
            db.session.execute(text("ANALYZE"))
            db.session.commit()
    return app


def bench_on(app, size: Size) -> Bench:
    with app.app_context():
        drafts = db.session.scalars(select(GoalSheet.id).where(GoalSheet.status == Status.DRAFT)).all()
        rows = db.session.scalars(select(Indicator.id).where(Indicator.sheet_id.in_(drafts[:200]))).all()
        sheets = db.session.scalars(select(GoalSheet.id)).all()
        units = db.session.scalars(select(Unit.name).order_by(Unit.id)).all()
    return Bench(app, logged_in(app), size, list(drafts), list(rows), list(sheets), list(units), size.newest_year)


def logged_in(app):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    page = client.post("/login", data={"username": county.BUREAU, "password": county.PASSWORD, "csrf_token": token},
                       follow_redirects=True).get_data(as_text=True)
    client.environ_base["HTTP_X_CSRFTOKEN"] = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    return client


# --- measuring ---------------------------------------------------------------------------------


class Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, *args):
        self.count += 1


def measure(bench: Bench, cases: list[Case], requests: int) -> dict[str, tuple[float, tuple[int, int]]]:
    """Median milliseconds and the fewest and most SQL statements a request of each case ran (more
    when a sheet on its page had changed since its findings were counted). The cases take turns, one
    request each (a heavy case every tenth turn), so a machine busier at one moment than another
    slows every case alike, the floor too, and the ratios hold."""
    for case in cases:  # each asked once first, as a server that has been up a while has been: its caches filled
        case.request(bench, 0).close()
    counter = Counter()
    with bench.app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", counter)
    durations: dict[str, list[float]] = {case.name: [] for case in cases}
    statements: dict[str, list[int]] = {case.name: [] for case in cases}
    try:
        for n in range(requests):
            for case in cases:
                if case.weight == HEAVY and n % 10:
                    continue
                before = counter.count
                started = time.perf_counter()
                response = case.request(bench, n)
                durations[case.name].append((time.perf_counter() - started) * 1000)
                statements[case.name].append(counter.count - before)
                assert response.status_code == 200, (case.name, response.status_code, response.get_data(as_text=True)[:300])
                response.close()
    finally:
        event.remove(engine, "before_cursor_execute", counter)
    return {name: (statistics.median(durations[name]), (min(statements[name]), max(statements[name]))) for name in durations}


def export_peak(app, sheets: int) -> float:
    """The most memory (MB, tracemalloc) the bureau's export of the newest year (a workbook a unit,
    in one .zip) takes to write its first units' workbooks, up to `sheets` sheets."""
    with app.test_request_context(), app.app_context():
        year = db.session.scalar(select(func.max(GoalSheet.year)))
        tracemalloc.start()
        try:
            with tempfile.TemporaryFile() as out:
                write_workbooks_zip(_first_units(year, sheets), out)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
            db.session.remove()
    return peak / 1024 / 1024


def _first_units(year: int, sheets: int):
    """(file name, sheets) of the year's units by name, until `sheets` sheets are in."""
    taken = 0
    for unit, unit_sheets in overview.year_sheets_by_unit(year):
        if taken >= sheets:
            return
        taken += len(unit_sheets)
        yield f"{unit}.xlsx", unit_sheets


def run_one(url: str, label: str, size: Size, requests: int, only: set[str] | None) -> Run:
    started = time.perf_counter()
    app = build(url, size)
    run = Run(label, size, built=time.perf_counter() - started)
    bench = bench_on(app, size)
    cases = [case for case in CASES if not only or case.name in only or case.name == "floor"]
    for name, (median, statements) in measure(bench, cases, requests).items():
        run.median[name], run.statements[name] = median, statements
        print(f"  {label:10} {size.name:6} {name:18} {median:8.2f} ms {run.ratio(name):6.2f}× {shown(statements):>7} statements", flush=True)
    if not only or "export_memory" in only:
        for sheets in MEMORY_SHEETS:
            run.export_peak[sheets] = export_peak(app, sheets)
        print(f"  {label:10} {size.name:6} export memory peak " + ", ".join(f"{mb:.2f} MB at {n} sheets" for n, mb in run.export_peak.items()), flush=True)
    with app.app_context():
        db.engine.dispose()
    return run


def database_label(url: str) -> str:
    return "PostgreSQL" if url.startswith("postgresql") else "SQLite"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", action="append",
                        help="'sqlite' (a new temporary file) or a database URL; it is emptied first. Repeatable; default sqlite")
    parser.add_argument("--sizes", default="tenth,county", help="tenth,county (both: a target is met only at both)")
    parser.add_argument("--requests", type=int, default=200, help="requests per light case (a tenth as many for print and export)")
    parser.add_argument("--only", help="comma-separated case names (the floor always runs)")
    parser.add_argument("--markdown", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    sizes = [{"tenth": TENTH, "county": COUNTY}[name] for name in args.sizes.split(",")]
    only = set(args.only.split(",")) if args.only else None
    results: dict[str, list[Run]] = {}
    args.load = [load_average()]
    with tempfile.TemporaryDirectory() as folder:
        for database in args.database or ["sqlite"]:
            label = database_label(database)
            for size in sizes:
                url = f"sqlite:///{Path(folder) / f'bench-{size.name}.sqlite'}" if database == "sqlite" else database
                print(f"# {label}, {size.describe()}", flush=True)
                results.setdefault(label, []).append(run_one(url, label, size, args.requests, only))
                args.load.append(load_average())
    print()
    print(report(results))
    if args.markdown:
        args.markdown.write_text(markdown(results, args))


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def differing(names: list[str]) -> str:
    """The cases whose statements differ between the sizes: those held to a target, then those only shown."""
    held, shown_only = [name for name in names if name in HELD], [name for name in names if name not in HELD]
    return "; ".join(part for part in (", ".join(held), f"only shown, not held: {', '.join(shown_only)}" if shown_only else "") if part)


def report(results: dict[str, list[Run]]) -> str:
    """Each target with its figure on every database and size, and whether it is met on all of them."""
    runs = [run for runs in results.values() for run in runs]
    lines = [f"{'target':72} " + " ".join(f"{f'{run.database} {run.size.name}':>20}" for run in runs) + "  verdict"]
    for target in TARGETS:
        if not _measured(target, runs):
            continue
        figures = [target.shown.format(target.figure(run)) for run in runs]
        lines.append(f"{target.what:72} " + " ".join(f"{figure:>20}" for figure in figures) + f"  {verdict(all(target.met(run) for run in runs))}")
    for label, runs in results.items():
        if len(runs) == 2:
            ok, differ = statements_constant(runs)
            lines.append(f"{f'SQL statements per request the same at both sizes ({label})':72} {'':>41}  {verdict(ok)} {differing(differ)}")
    return "\n".join(lines)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), platform.processor())
    cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return f"{cpu}, {cores} cores, Python {platform.python_version()}"


def busy(loads: list[str]) -> str:
    """What else the machine did during the run, by its load average (2 cores)."""
    span = f"a load average of {' → '.join(loads)} on 2 cores from the run's start to its end"
    if max(float(load) for load in loads) < 1.5:
        return f"The machine was quiet: {span}."
    return f"**The machine was shared**: other work ran meanwhile, {span}; its commits share the disk with the floor's."


def load_average() -> str:
    """The machine's load over the last minute: how busy other work kept it while the run measured."""
    return f"{os.getloadavg()[0]:.1f}"


def markdown(results: dict[str, list[Run]], args) -> str:
    """docs/benchmarks.md: both databases' tables, the targets, and why the numbers are what they are."""
    runs = [run for runs in results.values() for run in runs]
    heads = " | ".join(f"{run.database} {run.size.name}" for run in runs)
    targets = "\n".join(
        f"| {target.what} | " + " | ".join(target.shown.format(target.figure(run)) for run in runs)
        + f" | {verdict(all(target.met(run) for run in runs))} |" for target in TARGETS if _measured(target, runs))
    constant = "\n".join(
        f"| SQL statements per request the same at both sizes ({label}) | " + " | ".join("" for _ in runs)
        + f" | {verdict(ok)}{' (' + differing(differ) + ')' if differ else ''} |"
        for label, both in results.items() if len(both) == 2 for ok, differ in [statements_constant(both)])
    tables = "\n\n".join(_table(label, both) for label, both in results.items())
    county = next((run for run in runs if run.size == COUNTY), runs[-1])
    st = lambda name: shown(county.statements.get(name, (0, 0)))  # noqa: E731
    memory = "; ".join(f"{run.database} {run.size.name}: " + ", ".join(f"{mb:.2f} MB at {n} sheets" for n, mb in run.export_peak.items())
                       for run in runs if run.export_peak)
    floors = ", ".join(f"{run.median['floor']:.1f}" for run in runs)
    growth = lambda case: "; ".join(  # noqa: E731
        f"{label} " + " → ".join(f"{run.median[case]:,.0f} ms" for run in both) for label, both in results.items() if all(case in run.median for run in both))
    return f"""# Benchmarks

Run on {datetime.now():%Y-%m-%d} with `make bench`: {machine()}. {busy(args.load)} The floor took {floors} ms
in the runs below. Absolute times say little about another machine; the ratios to the floor measured in the same run,
request by request, are what the targets hold.

Each database holds a generated county, first a tenth of it and then the whole: {TENTH.describe()};
{COUNTY.describe()}. A unit files the same twelve projects every year, so last year's sheet is there to compare
with; the older years are approved, the newest is in review (a third waiting in the queue, some sent back, some
drafts); each sheet has its history (created, twelve rows added, submitted, decided). Written with core bulk
inserts, the same way on both databases.

Requests go through the whole stack in process (routing, login, CSRF, SQLAlchemy, templates), logged in as the
bureau's 管理员, who sees every unit. The floor is a bare route on the same stack that inserts one row and
renders a tiny template: every figure is a ratio to it, measured in the same run, the cases taking turns
request by request so that a machine busier at one moment slows the floor alike. Each case is asked once
before the clock starts, as a server that has been up a while has been (its remembered counts filled); the
"nothing counted yet" cases show a server's first page instead, and are shown, not held to a target. Medians
of {args.requests} requests a case (a tenth as many for print, export and the overview's first view).

| target | {heads} | |
|---|{"---|" * len(runs)}---|
{targets}
{constant}

{tables}

Export memory (tracemalloc peak of the bureau's .zip, a workbook a unit, its sheets read from the database a batch at a time):
{memory}.

Why the numbers are what they are:
- The floor is not free: it reads the session, loads the user, checks the CSRF token, inserts a row and commits.
  A page that only reads pays no commit, which is why printing a sheet comes in near the floor. The floor is also
  the least steady figure: its commit waits on the disk, the pages wait on the processor, and the machine's other
  work takes now more of one, now more of the other. Others' commits slow the floor and flatter every ratio; others'
  CPU slows the pages and raises every ratio. A quiet machine has the quickest floor (2–3 ms on SQLite, 4 ms on
  PostgreSQL) and so the least flattering ratios: the list's cases, 8–15 ms, come out at 2.3–3.5× here, and met 3×
  in runs on a busier machine whose floor was 6–16 ms. Read the cases near a limit as "about there".
- Adding and changing a row is the user, the sheet, the form, a write with its history entry and the sheet's
  version (the lock that serializes changes to a sheet) and a commit, against the floor's one write: {st("add_row")}
  and {st("edit_row")} statements. The row is drawn before the commit, so nothing just written is read back.
  Adding a row also asks how many rows the sheet holds and where the last one is (a sheet has a limit): read with
  the sheet in one statement (correlated subqueries) it measured slower on PostgreSQL than as a statement of its own.
- The list shows {listing.PER_PAGE} sheets a page ({st("list_all")} statements however many the county holds). The page is
  found on ids in the index of its order (the list's, the queue's on the time of submission, the budget's; sorted by
  status, each status's run from its own index), its rows are counted in the rows' index, and each sheet's findings
  come from counts remembered by the sheet's and last year's versions (goalsapp/domain/findings.py). Rows are most of
  what is left, which is why a page holds {listing.PER_PAGE}, not 50. "Nothing counted yet" is the page after a restart,
  each of its sheets reviewed once ({st("list_all_uncounted")} statements); a sheet changed since it was counted is
  reviewed again, alone, which is why a case's statements show a range.
- A search looks for its words in every project and unit name: a scan (no index serves a word inside a name),
  once, which gives the matches, their count and the page. It grows with the county ({COUNTY.sheets:,} names read
  where a tenth reads {TENTH.sheets:,}), the one list case that does; an index of name fragments (PostgreSQL's pg_trgm, SQLite's FTS5 trigrams) would be the next step. Sorting by findings
  ranks every sheet of the filter on its remembered counts while it picks at most 500 (a unit's year here); past
  that the page is sorted within itself.
- The editor reads the sheet, its rows, last year's sheet with its rows, its place among its group's sheets and its
  history ({st("editor")} statements), reviews it, and draws the header form, the findings, the rows and the history:
  most of its time is that page: about 3× a busy machine's floor and 4× a quiet one's, whatever the county's size.
- The overview (全县概览) holds the whole county: its 合计, its charts and who has not filed are over every unit;
  its table shows {overview.PER_PAGE} units a page (全部显示 puts them all on one, to print). {st("overview")} statements at
  either size: the year's sheets added up by unit and 预算部门 in one aggregate, the units' names, the lights and
  grades remembered per unit by a signature of its approved sheets (goalsapp/domain/yearview.py), and the 强制
  counts remembered per unit by a signature of its open sheets and per sheet by its version, so that of a unit
  whose sheets changed only the sheet that changed is reviewed again (the row cases change drafts between two
  views, so every view here does that once or twice). What still grows with the county ({growth("overview")} from
  the tenth to the county) is that aggregate over the year's {COUNTY.units * COUNTY.projects:,} sheets and the
  signatures over its approved ones, a few ms each, and adding up {COUNTY.units} units' lines in Python for the
  totals and the charts. Past 3× even at a tenth: the page draws its summary, three charts and a table. The next
  step would be counts kept per unit and year as sheets change, read instead of added up. Its first view after a
  restart reviews every open sheet of the year and reads every approved one, 500 at a time
  ({growth("overview_uncounted")}; the statements grow with the county by those batches): shown, not held.
- Export lays each sheet out as its paper form (our grid: values, merged ranges, sizes, as print draws it) and
  writes it with XlsxWriter in its in_memory mode, its formats made once a workbook (goalsapp/formats/excel.py). A
  workbook is at most a unit's year; the bureau's export of a year (全县概览 → 导出各单位的表) is a .zip of one
  workbook a unit, written one after another, so its memory is a few units' whatever the county's size (the
  written workbooks and the sheets read for them are reference cycles: a collection every ten workbooks frees them
  rather than waiting for the collector's own thresholds, which let some 8 MB pile up). XlsxWriter's
  constant_memory mode, used before, kept a temporary file open for every worksheet until the workbook closed
  (1,000 open files for 1,000 sheets, ~40 KB a sheet) and was slower a sheet on this disk.
- Per sheet an export is its layout (values, borders on every cell of a merged range, row heights from wrapped
  text) and XlsxWriter's cells (some 250 a sheet), plus the flat 指标清单's row for each indicator.

The load run (`make load`) is recorded in [load.md](load.md).
"""


def _measured(target: Target, runs: list[Run]) -> bool:
    try:
        for run in runs:
            target.figure(run)
    except (KeyError, ZeroDivisionError):
        return False
    return True


def _table(label: str, runs: list[Run]) -> str:
    """One database's cases: median ms, ratio to the floor and SQL statements, at each size."""
    heads = " | ".join(f"{run.size.name} ms | × floor | statements" for run in runs)
    rows = "\n".join(f"| {case.name} | {case.what} | " + " | ".join(
        f"{run.median[case.name]:.2f} | {run.ratio(case.name):.2f} | {shown(run.statements[case.name])}" for run in runs) + " |"
        for case in CASES if all(case.name in run.median for run in runs))
    return f"### {label}\n\n| case | what | {heads} |\n|---|---|{'---|---|---|' * len(runs)}\n{rows}"


if __name__ == "__main__":
    main()
