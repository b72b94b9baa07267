"""The bureau's view of the year after the targets: each approved sheet's monitoring in the year's
latest round (its lights, its status, 逾期) and its self-evaluation (总分, 等级, its status); the
same added up for each unit, as the overview's two columns (registered on overview.EXTRA_COLUMNS);
the units that have not filed; and the year's monitorings and self-evaluations streamed for the
汇总表.

Nothing is judged here: a row's light is monitoring.py's (lights.py), a score and its grade
evaluation.py's (scoring.py). What they come to is remembered for each sheet, with a signature of
its documents' versions (every change to a monitoring or a self-evaluation, its rows included, is
recorded in the sheet's history and so bumps the sheet's version too). A county's rows take
seconds to light and score, so only the sheets that changed since are read again, and the
overview stays quick. As for the findings (overview.py), each process keeps its own and checks it
against the database on every view, so a second server never shows one out of date.
"""
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from weakref import WeakKeyDictionary

from sqlalchemy import and_, null, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from . import evaluation, monitoring, overview, scoring
from .lights import Light
from .models import Evaluation, GoalSheet, Monitoring, MonitoringRound, Status, Unit

# With the bureau: what counts as filed. A draft or a table sent back is still the unit's to finish.
FILED = (Status.SUBMITTED, Status.APPROVED)
NOT_BEGUN = monitoring.NOT_BEGUN  # 未填报: a document its unit has not started
LIGHTS = (Light.GREEN, Light.YELLOW, Light.RED)
GRADES = tuple(grade.name for grade in scoring.DEFAULT_RULES.grades)  # 优 良 中 差


# --- what a sheet's documents come to ------------------------------------------------------


@dataclass(frozen=True)
class Lights:
    """A monitoring's lights: each row's (None: nothing typed to judge it by), how many rows show
    each, and the money block's with its 执行率."""

    each: tuple[Light | None, ...]
    rows: dict[Light, int]
    money: Light | None
    rate: Decimal | None

    @classmethod
    def of(cls, found: Monitoring) -> "Lights":
        # Each row lit as monitoring.row_light lights it, given the round's month here: row_light
        # reads it through row.monitoring, which ties every row back to its monitoring in a cycle
        # only the garbage collector frees, and a county's rows would pile up meanwhile.
        month = found.round.month
        each = tuple(monitoring.light_of(monitoring.target(row), row.current, row.expected, row.possibility, month) for row in found.rows)
        return cls(each, {light: each.count(light) for light in LIGHTS}, monitoring.money_light(found, month),
                   monitoring.execution_rate(found))


@dataclass(frozen=True)
class Score:
    """A self-evaluation's numbers: 执行率, its 得分, each row's 得分, 总分 and 等级 (None: nothing to
    score yet, or a row that does not apply); complete once nothing blocks submitting it, so that
    every row that counts has been scored."""

    rate: Decimal | None
    execution: Decimal | None
    scores: tuple[Decimal | None, ...]
    total: Decimal | None
    grade: str | None
    complete: bool

    @classmethod
    def of(cls, found: Evaluation) -> "Score":
        outcome = evaluation.result(found)
        numbers = outcome.numbers
        complete = not evaluation.review(found, outcome).blocking
        return cls(numbers.rate, numbers.execution, numbers.scores, numbers.total, numbers.grade, complete)


@dataclass(frozen=True)
class SheetMonitoring:
    """An approved sheet in the round: its monitoring's status (None: not begun), 逾期, its lights."""

    id: int | None  # the monitoring's; None: not begun
    status: Status | None
    late: bool
    lights: Lights | None  # None: not begun

    @property
    def filed(self) -> bool:
        return self.status in FILED

    @property
    def status_text(self) -> str:
        return str(self.status or NOT_BEGUN)


@dataclass(frozen=True)
class SheetEvaluation:
    """An approved sheet's self-evaluation: its status (None: not begun) and its score."""

    id: int | None  # the self-evaluation's; None: not begun
    status: Status | None
    score: Score | None  # None: not begun

    @property
    def filed(self) -> bool:
        return self.status in FILED

    @property
    def status_text(self) -> str:
        return str(self.status or NOT_BEGUN)

    @property
    def total(self) -> Decimal | None:
        """总分 once the table is complete: half filled in, its 总分 counts what is missing as 0 and means nothing yet."""
        return self.score.total if self.score and self.score.complete else None

    @property
    def grade(self) -> str | None:
        return self.score.grade if self.score and self.score.complete else None

    @property
    def unfinished(self) -> bool:
        """Begun, and not yet complete enough to give a grade."""
        return self.score is not None and not self.score.complete


@dataclass(frozen=True)
class SheetDocuments:
    """One approved sheet of the year and its later documents."""

    sheet_id: int
    unit_id: int
    unit: str
    project: str
    monitoring: SheetMonitoring | None  # None: the year has no monitoring round
    evaluation: SheetEvaluation | None  # None: no self-evaluation is due yet


@dataclass(frozen=True)
class UnitDocuments:
    """One unit's approved sheets and where their documents stand, added up."""

    unit_id: int
    unit: str
    approved: int  # its approved sheets of the year: each has a monitoring and a self-evaluation to file
    monitoring_filed: int
    monitoring_late: int
    monitoring_begun: int
    row_lights: dict[Light, int]  # the rows of its begun monitorings, by light
    money_lights: dict[Light, int]  # its begun monitorings, by their money block's light
    evaluation_filed: int
    grades: dict[str, int]  # its self-evaluations with a 总分, by grade

    @property
    def monitoring_unfiled(self) -> int:
        return self.approved - self.monitoring_filed

    @property
    def evaluation_unfiled(self) -> int:
        return self.approved - self.evaluation_filed


@dataclass(frozen=True)
class YearDocuments:
    """The year's approved sheets (by unit, then as filed) with their monitoring in the latest
    round and their self-evaluation, and what the bureau reads off them."""

    year: int
    round: MonitoringRound | None  # the latest round of the year; None: none opened
    evaluations_due: bool  # the year is over, or some unit has begun one already
    sheets: list[SheetDocuments]

    @property
    def units(self) -> list[UnitDocuments]:
        """Each unit with an approved sheet, its documents added up, by name."""
        return list(_by_unit(self.sheets).values())

    def unit(self, unit_id: int) -> UnitDocuments | None:
        return next((unit for unit in self.units if unit.unit_id == unit_id), None)

    @property
    def total(self) -> UnitDocuments:
        """Every unit's added up."""
        return _added_up(0, "合计", self.sheets)

    @property
    def monitoring_unfiled(self) -> list[UnitDocuments]:
        """The units with a monitoring in the round not yet with the bureau."""
        return [unit for unit in self.units if unit.monitoring_unfiled] if self.round else []

    @property
    def evaluation_unfiled(self) -> list[UnitDocuments]:
        """The units with a self-evaluation due and not yet with the bureau."""
        return [unit for unit in self.units if unit.evaluation_unfiled] if self.evaluations_due else []

    def grades_by_status(self) -> list[tuple[str, list[int]]]:
        """For each grade (优 良 中 差), how many self-evaluations have it, by their status as the
        overview orders statuses (已通过 first): a draft's grade may still change."""
        counts = {grade: dict.fromkeys(overview.PROGRESS, 0) for grade in GRADES}
        for entry in self.sheets:
            if entry.evaluation and entry.evaluation.grade:
                counts[entry.evaluation.grade][entry.evaluation.status] += 1
        return [(grade, [by_status[status] for status in overview.PROGRESS]) for grade, by_status in counts.items()]


def _by_unit(sheets: Iterable[SheetDocuments]) -> dict[int, UnitDocuments]:
    grouped: dict[int, list[SheetDocuments]] = {}
    for entry in sheets:
        grouped.setdefault(entry.unit_id, []).append(entry)
    return {unit_id: _added_up(unit_id, entries[0].unit, entries) for unit_id, entries in grouped.items()}


def _added_up(unit_id: int, unit: str, sheets: Sequence[SheetDocuments]) -> UnitDocuments:
    monitored = [entry.monitoring for entry in sheets if entry.monitoring is not None]
    begun = [seen.lights for seen in monitored if seen.lights is not None]
    evaluated = [entry.evaluation for entry in sheets if entry.evaluation is not None]
    return UnitDocuments(
        unit_id, unit, approved=len(sheets),
        monitoring_filed=sum(seen.filed for seen in monitored), monitoring_late=sum(seen.late for seen in monitored),
        monitoring_begun=len(begun),
        row_lights={light: sum(lights.rows[light] for lights in begun) for light in LIGHTS},
        money_lights={light: sum(lights.money == light for lights in begun) for light in LIGHTS},
        evaluation_filed=sum(one.filed for one in evaluated),
        grades={grade: sum(one.grade == grade for one in evaluated) for grade in GRADES},
    )


# --- the year, remembered by sheet -----------------------------------------------------------

# {engine: {sheet id: (signature, Lights or None, Score or None)}}; see the module's docstring.
_REMEMBERED: WeakKeyDictionary = WeakKeyDictionary()


def latest_round(year: int) -> MonitoringRound | None:
    return db.session.scalars(select(MonitoringRound).where(MonitoringRound.year == year).order_by(MonitoringRound.month.desc())).first()


def evaluations_due(year: int, today: date, any_begun: bool) -> bool:
    """A self-evaluation is due once its year is over; a unit that begins one early shows it sooner."""
    return today.year > year or any_begun


def year_documents(year: int, today: date, unit_id: int | None = None) -> YearDocuments:
    """The year's approved sheets (only unit_id's when given) with where their monitoring and
    self-evaluation stand. Four statements when nothing changed since the last view; four more
    for each overview.BATCH of sheets whose documents changed."""
    latest = latest_round(year)
    lines = _signatures(year, latest, unit_id)
    remembered = _REMEMBERED.setdefault(db.engine, {})
    changed = [line for line in lines if remembered.get(line.sheet_id, (None,))[0] != line.signature]
    for start in range(0, len(changed), overview.BATCH):
        _remember(changed[start:start + overview.BATCH], remembered)
    due = evaluations_due(year, today, any(line.evaluation_id is not None for line in lines))
    sheets = []
    for line in lines:
        _, lights, score = remembered[line.sheet_id]
        seen = None
        if latest is not None:
            seen = SheetMonitoring(line.monitoring_id, line.monitoring_status, monitoring.is_late(latest, line.monitoring_status, today),
                                   lights)
        evaluated = SheetEvaluation(line.evaluation_id, line.evaluation_status, score) if due else None
        sheets.append(SheetDocuments(line.sheet_id, line.unit_id, line.unit, line.project, seen, evaluated))
    return YearDocuments(year, latest, due, sheets)


@dataclass(frozen=True)
class _Line:
    """An approved sheet as the signature query reads it."""

    sheet_id: int
    unit_id: int
    unit: str
    project: str
    sheet_version: int
    monitoring_id: int | None
    monitoring_version: int | None
    monitoring_status: Status | None
    evaluation_id: int | None
    evaluation_version: int | None
    evaluation_status: Status | None

    @property
    def signature(self) -> tuple:
        return (self.sheet_version, self.monitoring_id, self.monitoring_version, self.evaluation_id, self.evaluation_version)


def _signatures(year: int, latest: MonitoringRound | None, unit_id: int | None) -> list[_Line]:
    """Every approved sheet of the year, with its monitoring in the round and its self-evaluation,
    each document's id, version and status: one statement."""
    monitoring_columns = (Monitoring.id, Monitoring.version, Monitoring.status) if latest else (null(), null(), null())
    query = (
        select(GoalSheet.id, GoalSheet.unit_id, Unit.name, GoalSheet.project_name, GoalSheet.version, *monitoring_columns,
               Evaluation.id, Evaluation.version, Evaluation.status)
        .join(Unit, GoalSheet.unit_id == Unit.id)
        .outerjoin(Evaluation, Evaluation.sheet_id == GoalSheet.id)
        .where(GoalSheet.year == year, GoalSheet.status == Status.APPROVED)
        .order_by(Unit.name, GoalSheet.id)
    )
    if latest is not None:
        query = query.outerjoin(Monitoring, and_(Monitoring.sheet_id == GoalSheet.id, Monitoring.round_id == latest.id))
    if unit_id is not None:
        query = query.where(GoalSheet.unit_id == unit_id)
    return [_Line(*row[:7], _status(row[7]), row[8], row[9], _status(row[10])) for row in db.session.execute(query)]


def _status(value: str | None) -> Status | None:
    return Status(value) if value is not None else None


def _remember(lines: list[_Line], remembered: dict) -> None:
    """Light and score the documents of these sheets, read with their rows, and remember them."""
    monitoring_ids = [line.monitoring_id for line in lines if line.monitoring_id is not None]
    evaluation_ids = [line.evaluation_id for line in lines if line.evaluation_id is not None]
    lit = {found.sheet_id: Lights.of(found) for found in _read(Monitoring, monitoring_ids)} if monitoring_ids else {}
    scored = {found.sheet_id: Score.of(found) for found in _read(Evaluation, evaluation_ids)} if evaluation_ids else {}
    for line in lines:
        remembered[line.sheet_id] = (line.signature, lit.get(line.sheet_id), scored.get(line.sheet_id))


def _read(model, ids: list[int]) -> list:
    return list(db.session.scalars(select(model).where(model.id.in_(ids)).options(selectinload(model.rows))))


# --- the overview's columns ----------------------------------------------------------------


def shapes(counts: dict[Light, int]) -> str:
    """Light counts as a shape and a word each, so they read in black and white: ●绿10 ▲黄2 ■红1."""
    return " ".join(f"{monitoring.sign(light).shape}{monitoring.sign(light).name[0]}{counts[light]}" for light in LIGHTS)


def monitoring_text(unit: UnitDocuments) -> str:
    """A unit's cell under 运行监控: how many filed of how many, 逾期, then its rows' and money's lights."""
    lines = [f"已报送 {unit.monitoring_filed}/{unit.approved}" + (f"，逾期 {unit.monitoring_late}" if unit.monitoring_late else "")]
    if unit.monitoring_begun:
        lines += [f"指标 {shapes(unit.row_lights)}", f"资金 {shapes(unit.money_lights)}"]
    return "\n".join(lines)


def evaluation_text(unit: UnitDocuments) -> str:
    """A unit's cell under 年度自评: how many filed of how many, then its grades."""
    grades = " ".join(f"{grade}{count}" for grade, count in unit.grades.items() if count)
    return f"已报送 {unit.evaluation_filed}/{unit.approved}" + (f"\n{grades}" if grades else "")


def monitoring_column(year: int) -> dict[int, str]:
    documents = year_documents(year, date.today())
    return {unit.unit_id: monitoring_text(unit) for unit in documents.units} if documents.round else {}


def evaluation_column(year: int) -> dict[int, str]:
    documents = year_documents(year, date.today())
    return {unit.unit_id: evaluation_text(unit) for unit in documents.units} if documents.evaluations_due else {}


MONITORING_LABEL, EVALUATION_LABEL = "运行监控", "年度自评"
overview.EXTRA_COLUMNS.extend([overview.ExtraColumn(MONITORING_LABEL, monitoring_column),
                               overview.ExtraColumn(EVALUATION_LABEL, evaluation_column)])


# --- a unit's year, sheet by sheet ---------------------------------------------------------


@dataclass(frozen=True)
class UnitYear:
    """A unit's sheets of the year (every status), each approved one with its documents."""

    unit: Unit
    year: int
    documents: YearDocuments
    sheets: list[tuple[GoalSheet, SheetDocuments | None]]


def unit_year(unit: Unit, year: int, today: date) -> UnitYear:
    documents = year_documents(year, today, unit.id)
    by_sheet = {entry.sheet_id: entry for entry in documents.sheets}
    sheets = db.session.scalars(select(GoalSheet).where(GoalSheet.unit_id == unit.id, GoalSheet.year == year).order_by(GoalSheet.id))
    return UnitYear(unit, year, documents, [(sheet, by_sheet.get(sheet.id)) for sheet in sheets])


# --- the 汇总表's rows ----------------------------------------------------------------------


def rounds_of(year: int) -> list[MonitoringRound]:
    """The year's rounds, the earliest month first."""
    return list(db.session.scalars(select(MonitoringRound).where(MonitoringRound.year == year).order_by(MonitoringRound.month)))


def year_monitorings(year: int, today: date, unit_id: int | None = None
                     ) -> Iterator[tuple[GoalSheet, MonitoringRound, Monitoring | None, SheetMonitoring]]:
    """Every approved sheet of the year (only unit_id's when given) in each of the year's rounds,
    round by round, by unit and then as filed, with its monitoring (None: not begun) and what it
    comes to. The sheets come overview.BATCH at a time, each batch's monitorings with their rows, so a
    county's year is never all in memory at once."""
    for each in rounds_of(year):
        for batch in _approved_batches(year, unit_id):
            found = {one.sheet_id: one for one in db.session.scalars(
                select(Monitoring).where(Monitoring.round_id == each.id, Monitoring.sheet_id.in_([sheet.id for sheet in batch])))}
            for sheet in batch:
                one = found.get(sheet.id)
                status = one.status if one else None
                yield sheet, each, one, SheetMonitoring(one and one.id, status, monitoring.is_late(each, status, today),
                                                        Lights.of(one) if one else None)


def year_evaluations(year: int, today: date, unit_id: int | None = None
                     ) -> Iterator[tuple[GoalSheet, Evaluation | None, SheetEvaluation]]:
    """Every approved sheet of the year (only unit_id's when given), by unit and then as filed,
    with its self-evaluation (None: not begun) and its score; nothing while none is due. An
    overview.BATCH of sheets at a time, as year_monitorings."""
    any_begun = db.session.scalar(select(Evaluation.id).join(GoalSheet, Evaluation.sheet_id == GoalSheet.id)
                                  .where(GoalSheet.year == year).limit(1)) is not None
    if not evaluations_due(year, today, any_begun):
        return
    for batch in _approved_batches(year, unit_id):
        found = {one.sheet_id: one for one in db.session.scalars(
            select(Evaluation).where(Evaluation.sheet_id.in_([sheet.id for sheet in batch])).options(selectinload(Evaluation.rows)))}
        for sheet in batch:
            one = found.get(sheet.id)
            yield sheet, one, SheetEvaluation(one and one.id, one.status if one else None, Score.of(one) if one else None)


def _approved_batches(year: int, unit_id: int | None) -> Iterator[list[GoalSheet]]:
    query = (
        select(GoalSheet).join(Unit, GoalSheet.unit_id == Unit.id).where(GoalSheet.year == year, GoalSheet.status == Status.APPROVED)
        .order_by(Unit.name, GoalSheet.id).execution_options(yield_per=overview.BATCH)
    )
    if unit_id is not None:
        query = query.where(GoalSheet.unit_id == unit_id)
    for batch in db.session.scalars(query).partitions():
        yield list(batch)
