"""The bureau's view of the year after the targets: each approved sheet's monitoring in the year's
latest round (its lights, its status, 逾期) and its self-evaluation (总分, 等级, its status); the
same added up for each unit, as the overview's two columns (运行监控, 年度自评);
the units that have not filed; and the year's monitorings and self-evaluations streamed for the
汇总表.

Nothing is judged here: a row's light is monitoring.py's (lights.py), a score and its grade
evaluation.py's (scoring.py). A county's rows take seconds to light and score, so what each unit's
come to is remembered, with a signature of its approved sheets' versions (every change to a
monitoring or a self-evaluation, its rows and its status included, is recorded in the sheet's
history and so bumps the sheet's version), and only the units whose sheets changed since are read
again: the overview stays quick. As for the findings (overview.py), each process keeps its own and
checks it against the database on every view, so a second server never shows one out of date.
"""
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import cached_property
from weakref import WeakKeyDictionary

from sqlalchemy import and_, func, null, select
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
class Filing:
    """A document of an approved sheet, as the bureau follows it: its id and status (None: not begun)."""

    id: int | None
    status: Status | None

    @property
    def filed(self) -> bool:
        return self.status in FILED

    @property
    def status_text(self) -> str:
        return str(self.status or NOT_BEGUN)


@dataclass(frozen=True)
class SheetMonitoring(Filing):
    """An approved sheet in the round: its monitoring, 逾期, its lights."""

    late: bool
    lights: Lights | None  # None: not begun


@dataclass(frozen=True)
class SheetEvaluation(Filing):
    """An approved sheet's self-evaluation and its score."""

    score: Score | None  # None: not begun

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
    evaluation: SheetEvaluation  # whether or not one is due yet (evaluations_due)


@dataclass(frozen=True)
class UnitDocuments:
    """One unit's approved sheets and where their documents stand, added up."""

    unit_id: int
    unit: str
    approved: int  # its approved sheets of the year: each has a monitoring and a self-evaluation to file
    monitoring_filed: int
    monitoring_begun: int
    row_lights: dict[Light, int]  # the rows of its begun monitorings, by light
    money_lights: dict[Light, int]  # its begun monitorings, by their money block's light
    evaluation_filed: int
    graded: dict[str, dict[Status, int]]  # its self-evaluations with a 总分, by grade and by status
    monitoring_late: int = 0  # of the unfiled, how many are past the round's deadline (as of the day asked)

    @property
    def monitoring_unfiled(self) -> int:
        return self.approved - self.monitoring_filed

    @property
    def evaluation_unfiled(self) -> int:
        return self.approved - self.evaluation_filed

    @property
    def grades(self) -> dict[str, int]:
        return {grade: sum(by_status.values()) for grade, by_status in self.graded.items()}


def added_up(unit_id: int, unit: str, sheets: Iterable[SheetDocuments]) -> UnitDocuments:
    """The sheets' documents added up, in one pass: a county's year is thousands of sheets."""
    approved = monitoring_filed = monitoring_begun = evaluation_filed = monitoring_late = 0
    row_lights, money_lights = dict.fromkeys(LIGHTS, 0), dict.fromkeys(LIGHTS, 0)
    graded = {grade: dict.fromkeys(overview.PROGRESS, 0) for grade in GRADES}
    for entry in sheets:
        approved += 1
        if (seen := entry.monitoring) is not None:
            monitoring_filed += seen.filed
            monitoring_late += seen.late
            if (lights := seen.lights) is not None:
                monitoring_begun += 1
                for light, count in lights.rows.items():
                    row_lights[light] += count
                if lights.money is not None:
                    money_lights[lights.money] += 1
        evaluated = entry.evaluation
        evaluation_filed += evaluated.filed
        if (grade := evaluated.grade) is not None:
            graded[grade][evaluated.status] += 1
    return UnitDocuments(unit_id, unit, approved, monitoring_filed, monitoring_begun, row_lights, money_lights, evaluation_filed, graded,
                         monitoring_late)


@dataclass(frozen=True)
class YearDocuments:
    """Where the year's later documents stand, unit by unit (those with an approved sheet, by
    name): the monitoring in the latest round and the self-evaluation."""

    year: int
    round: MonitoringRound | None  # the latest round of the year; None: none opened
    evaluations_due: bool  # the year is over, or some unit has begun one already
    units: list[UnitDocuments]

    def unit(self, unit_id: int) -> UnitDocuments | None:
        return self._by_id.get(unit_id)

    @cached_property
    def _by_id(self) -> dict[int, UnitDocuments]:
        return {unit.unit_id: unit for unit in self.units}

    @cached_property
    def total(self) -> UnitDocuments:
        """Every unit's added up."""
        units = self.units
        return UnitDocuments(
            0, "合计", sum(unit.approved for unit in units), sum(unit.monitoring_filed for unit in units),
            sum(unit.monitoring_begun for unit in units), {light: sum(unit.row_lights[light] for unit in units) for light in LIGHTS},
            {light: sum(unit.money_lights[light] for unit in units) for light in LIGHTS}, sum(unit.evaluation_filed for unit in units),
            {grade: {status: sum(unit.graded[grade][status] for unit in units) for status in overview.PROGRESS} for grade in GRADES},
            sum(unit.monitoring_late for unit in units),
        )

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
        return [(grade, [by_status[status] for status in overview.PROGRESS]) for grade, by_status in self.total.graded.items()]


# --- the county's year, remembered by unit ----------------------------------------------------

# {engine: {(year, round id, unit id): (signature, UnitDocuments)}}; see the module's docstring.
_REMEMBERED: WeakKeyDictionary = WeakKeyDictionary()


def latest_round(year: int) -> MonitoringRound | None:
    return db.session.scalars(select(MonitoringRound).where(MonitoringRound.year == year).order_by(MonitoringRound.month.desc())).first()


def evaluations_due(year: int, today: date, any_begun: bool) -> bool:
    """A self-evaluation is due once its year is over; a unit that begins one early shows it sooner."""
    return today.year > year or any_begun


def evaluations_begun(year: int) -> bool:
    """Whether any unit has begun a self-evaluation of the year."""
    return db.session.scalar(select(Evaluation.id).join(GoalSheet, Evaluation.sheet_id == GoalSheet.id)
                             .where(GoalSheet.year == year).limit(1)) is not None


def year_documents(year: int, today: date) -> YearDocuments:
    """Each unit's approved sheets of the year and where their documents stand. Two statements
    when nothing changed since the last view; five more for each overview.BATCH of sheets of the
    units whose documents changed."""
    latest = latest_round(year)
    round_id = latest.id if latest else None
    signatures = _unit_signatures(year, latest)
    remembered = _REMEMBERED.setdefault(db.engine, {})
    changed = [unit_id for unit_id, (_, signature) in signatures.items() if remembered.get((year, round_id, unit_id), (None,))[0] != signature]
    if changed:
        sheets = sheet_documents(year, latest, today, changed if len(changed) < len(signatures) else None)
        grouped: dict[int, list[SheetDocuments]] = {}
        for entry in sheets:
            grouped.setdefault(entry.unit_id, []).append(entry)
        for unit_id in changed:
            remembered[year, round_id, unit_id] = (signatures[unit_id][1], added_up(unit_id, signatures[unit_id][0], grouped.get(unit_id, ())))
    late = latest is not None and monitoring.is_late(latest, None, today)  # a sheet not filed, as of today
    units = []
    for unit_id, (name, _) in signatures.items():  # the unit's name as it is now: renaming one bumps no sheet
        signature, unit = remembered[year, round_id, unit_id]
        late_ones = unit.monitoring_unfiled if late else 0
        if (unit.unit, unit.monitoring_late) != (name, late_ones):  # copied only when it differs: a county is hundreds of units
            unit = replace(unit, unit=name, monitoring_late=late_ones)
            remembered[year, round_id, unit_id] = (signature, unit)
        units.append(unit)
    due = evaluations_due(year, today, any(signature[3] for _, signature in signatures.values()))
    return YearDocuments(year, latest, due, units)


def _unit_signatures(year: int, latest: MonitoringRound | None) -> dict[int, tuple[str, tuple]]:
    """{unit id: (name, signature)} for each unit with an approved sheet in the year, by name:
    how many sheets, the sums of their ids and versions (any change to a document, its rows or its
    status included, is recorded in its sheet's history and bumps the sheet's version), and of
    the ids of their monitorings in the round and their self-evaluations. One statement."""
    monitorings = (func.count(Monitoring.id), func.sum(Monitoring.id)) if latest else (null(), null())
    query = (
        select(Unit.id, Unit.name, func.count(GoalSheet.id), func.sum(GoalSheet.id), func.sum(GoalSheet.version),
               func.count(Evaluation.id), func.sum(Evaluation.id), *monitorings)
        .select_from(GoalSheet).join(Unit, GoalSheet.unit_id == Unit.id).outerjoin(Evaluation, Evaluation.sheet_id == GoalSheet.id)
        .where(GoalSheet.year == year, GoalSheet.status == Status.APPROVED).group_by(Unit.id, Unit.name).order_by(Unit.name)
    )
    if latest is not None:
        query = query.outerjoin(Monitoring, and_(Monitoring.sheet_id == GoalSheet.id, Monitoring.round_id == latest.id))
    return {unit_id: (name, tuple(signature)) for unit_id, name, *signature in db.session.execute(query)}


# --- sheet by sheet --------------------------------------------------------------------------


def sheet_documents(year: int, latest: MonitoringRound | None, today: date, unit_ids: list[int] | None = None) -> list[SheetDocuments]:
    """The approved sheets of the year (of these units; None: every unit), by unit and then as
    filed, each with its monitoring in the round (lit) and its self-evaluation (scored): a
    statement for the sheets, then four for each overview.BATCH of them (the documents and their rows)."""
    lines = _lines(year, latest, unit_ids)
    lit: dict[int, Lights] = {}
    scored: dict[int, Score] = {}
    for start in range(0, len(lines), overview.BATCH):
        batch = lines[start:start + overview.BATCH]
        lit |= {found.sheet_id: Lights.of(found) for found in _read(Monitoring, [line.monitoring_id for line in batch])}
        scored |= {found.sheet_id: Score.of(found) for found in _read(Evaluation, [line.evaluation_id for line in batch])}
    sheets = []
    for line in lines:
        seen = None
        if latest is not None:
            seen = SheetMonitoring(line.monitoring_id, line.monitoring_status, monitoring.is_late(latest, line.monitoring_status, today),
                                   lit.get(line.sheet_id))
        evaluated = SheetEvaluation(line.evaluation_id, line.evaluation_status, scored.get(line.sheet_id))
        sheets.append(SheetDocuments(line.sheet_id, line.unit_id, line.unit, line.project, seen, evaluated))
    return sheets


@dataclass(frozen=True)
class _Line:
    """An approved sheet and its documents' ids and statuses, as one statement reads them."""

    sheet_id: int
    unit_id: int
    unit: str
    project: str
    monitoring_id: int | None
    monitoring_status: Status | None
    evaluation_id: int | None
    evaluation_status: Status | None


def _lines(year: int, latest: MonitoringRound | None, unit_ids: list[int] | None) -> list[_Line]:
    monitorings = (Monitoring.id, Monitoring.status) if latest else (null(), null())
    query = (
        select(GoalSheet.id, GoalSheet.unit_id, Unit.name, GoalSheet.project_name, *monitorings, Evaluation.id, Evaluation.status)
        .join(Unit, GoalSheet.unit_id == Unit.id).outerjoin(Evaluation, Evaluation.sheet_id == GoalSheet.id)
        .where(GoalSheet.year == year, GoalSheet.status == Status.APPROVED).order_by(Unit.name, GoalSheet.id)
    )
    if latest is not None:
        query = query.outerjoin(Monitoring, and_(Monitoring.sheet_id == GoalSheet.id, Monitoring.round_id == latest.id))
    if unit_ids is not None:
        query = query.where(GoalSheet.unit_id.in_(unit_ids))
    return [_Line(*row[:5], _status(row[5]), row[6], _status(row[7])) for row in db.session.execute(query)]


_STATUSES = {str(status): status for status in Status}


def _status(value: str | None) -> Status | None:
    """A status as read (a plain text)."""
    return _STATUSES.get(value)


def _read(model, ids: list[int | None]) -> list:
    """The documents of these ids (None: none begun), with their rows."""
    ids = [one for one in ids if one is not None]
    if not ids:
        return []
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


# --- a unit's year, sheet by sheet ---------------------------------------------------------


@dataclass(frozen=True)
class UnitYear:
    """A unit's sheets of the year (every status), each approved one with its documents."""

    unit: Unit
    year: int
    round: MonitoringRound | None
    evaluations_due: bool
    sheets: list[tuple[GoalSheet, SheetDocuments | None]]

    @cached_property
    def total(self) -> UnitDocuments:
        return added_up(self.unit.id, self.unit.name, (entry for _, entry in self.sheets if entry is not None))


def unit_year(unit: Unit, year: int, today: date) -> UnitYear:
    """Read fresh, not remembered: a unit's dozen sheets light and score in a moment."""
    latest = latest_round(year)
    documents = {entry.sheet_id: entry for entry in sheet_documents(year, latest, today, [unit.id])}
    sheets = db.session.scalars(select(GoalSheet).where(GoalSheet.unit_id == unit.id, GoalSheet.year == year).order_by(GoalSheet.id))
    due = evaluations_due(year, today, evaluations_begun(year))
    return UnitYear(unit, year, latest, due, [(sheet, documents.get(sheet.id)) for sheet in sheets])


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
    if not evaluations_due(year, today, evaluations_begun(year)):
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
