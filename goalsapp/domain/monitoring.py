"""Mid-year monitoring (绩效运行监控, 财预〔2019〕136号) as a document in its own right.

The finance bureau opens a round for a budget year, as of a month and with a deadline. Each
approved sheet of that year then has a monitoring in it, made when it is first opened: a row
for each of the target's indicators (年度指标值 read from the target, never retyped) and the
money block, 年初预算数 and 全年预算数 taken from the sheet's budget. The clerk fills in how far
each row is, where it will end and, where it falls short, why and what is done about it;
lights.py lights every row and the money block against the elapsed share of the year. It is
reviewed as the target is (workflow.py, history.py, access.py all take it as they take a sheet),
by the rules at the end of this module, in review.py's style.

No request in here: the web pages, the print view and the Excel file all call these.
"""
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from ..extensions import db
from . import access, history, lights, limits, measures, scoring
from .errors import ReadError
from .lights import DEFAULT_LIGHT_RULES, Light, LightRules
from .measures import Measure
from .models import GoalSheet, Indicator, Monitoring, MonitoringRound, MonitoringRow, SheetEvent, Status, Unit, User, utcnow
from .review import DEFAULT_SETTINGS, Finding, Level, Report, target_measure
from .values import parse_money
from .wording import matched_by_name, name_key, ticked

# The choice lists, as the monitoring forms print them (one definition: lights.py's, whose
# rules read them too).
POSSIBILITIES = lights.POSSIBILITIES  # 完成目标可能性: 确定能 / 有可能 / 完全不可能
CERTAIN = lights.CERTAIN
CAUSES = lights.DEVIATION_CAUSES  # 偏差原因: 经费保障 / 制度保障 / 人员保障 / 硬件条件保障 / 其他
OTHER_CAUSE = "其他"  # says what in its note

# A row's texts the clerk fills in, with how long each may be. Money is MONEY_FIELDS.
ROW_TEXTS = {
    "current": limits.INDICATOR_VALUE,
    "expected": limits.INDICATOR_VALUE,
    "cause_note": limits.MONITORING_TEXT,
    "remedy": limits.MONITORING_TEXT,
    "note": limits.MONITORING_TEXT,
}
ROW_CHOICES = {"possibility": POSSIBILITIES, "cause": CAUSES}
ROW_FIELDS = ("current", "expected", "possibility", "cause", "cause_note", "remedy", "note")
MONEY_FIELDS = ("initial_budget", "annual_budget", "spent", "expected_spending")


def row_label(field: str, months: str) -> str:
    """A row field's name as the form heads its column ("1-6月执行情况")."""
    return {
        "current": f"{months}执行情况", "expected": "全年预计完成情况", "possibility": "完成目标可能性",
        "cause": "偏差原因", "cause_note": "偏差说明", "remedy": "整改措施", "note": "备注",
    }[field]


def money_label(field: str, months: str) -> str:
    return {"initial_budget": "年初预算数", "annual_budget": "全年预算数", "spent": f"{months}执行数",
            "expected_spending": "全年预计执行数"}[field]


class RoundRefused(Exception):
    """A round that cannot be opened, said in Chinese."""


class NotMonitored(Exception):
    """A sheet that has no monitoring in a round, or may not be given one by this user, said in Chinese."""


# --- rounds ---------------------------------------------------------------------------------


def open_round(user: User, year: int, month: int, deadline: date) -> MonitoringRound:
    """Open the year's round as of a month (the caller commits). The data run to the end of the
    month, so the deadline comes after it, and before the next year is out: a deadline years
    away is a year typed in one box and not the other (the form offers this year's 15 July)."""
    if not access.can_open_round(user):
        raise RoundRefused("只有财政部门的审核人或管理员可以开启运行监控。")
    if not limits.FIRST_YEAR <= year <= limits.LAST_YEAR:
        raise RoundRefused(f"年度应在{limits.FIRST_YEAR}至{limits.LAST_YEAR}之间。")
    if not 1 <= month <= lights.MONTHS:
        raise RoundRefused("截至月份应在1至12之间。")
    if deadline <= month_end(year, month):
        raise RoundRefused(f"截止日期应在{year}年{month}月底之后：监控填报的是截至{month}月底的数据。")
    if deadline.year > year + 1:
        raise RoundRefused(f"截止日期{deadline:%Y-%m-%d}离{year}年太远：{year}年的运行监控应在{year + 1}年底之前截止，请核对年度和截止日期。")
    if round_of(year, month) is not None:
        raise RoundRefused(f"{year}年截至{month}月的运行监控已经开启过了。")
    opened = MonitoringRound(year=year, month=month, deadline=deadline, opened_by=user)
    db.session.add(opened)
    return opened


def month_end(year: int, month: int) -> date:
    """The last day of the month."""
    following = date(year + month // 12, month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def round_of(year: int, month: int) -> MonitoringRound | None:
    return db.session.scalars(select(MonitoringRound).where(MonitoringRound.year == year, MonitoringRound.month == month)).first()


def rounds(year: int | None = None) -> list[MonitoringRound]:
    """The rounds opened, newest year and latest month first; only the year's when one is given."""
    query = select(MonitoringRound).order_by(MonitoringRound.year.desc(), MonitoringRound.month.desc())
    if year is not None:
        query = query.where(MonitoringRound.year == year)
    return list(db.session.scalars(query))


def is_late(monitoring_round: MonitoringRound, status: Status | None, today: date) -> bool:
    """Past the deadline and not yet with the bureau (not started, a draft, or sent back)."""
    return today > monitoring_round.deadline and status not in (Status.SUBMITTED, Status.APPROVED)


# --- a sheet's monitoring ------------------------------------------------------------------------


def why_not_monitored(sheet: GoalSheet, monitoring_round: MonitoringRound) -> str | None:
    """Why the sheet has no monitoring in the round (None: it may have one): only an approved
    target is measured, and only in its own year's rounds."""
    if sheet.year != monitoring_round.year:
        return f"这张表是{sheet.year}年的，不在{monitoring_round.year}年的运行监控里。"
    if sheet.status != Status.APPROVED:
        return f"只有审核通过的目标表才填报运行监控：这张表现在是“{sheet.status}”。"
    return None


def monitoring_of(sheet: GoalSheet, monitoring_round: MonitoringRound) -> Monitoring | None:
    return db.session.scalars(
        select(Monitoring).where(Monitoring.sheet_id == sheet.id, Monitoring.round_id == monitoring_round.id)).first()


def start(sheet: GoalSheet, monitoring_round: MonitoringRound, user: User) -> Monitoring:
    """The sheet's monitoring in the round, begun (the caller commits): a row for each of the
    target's indicators in the order the form prints them, the money block from the sheet's
    budget. Only the sheet's own unit begins it; the bureau reads what the unit files."""
    if (why := why_not_monitored(sheet, monitoring_round)) is not None:
        raise NotMonitored(why)
    if not access.can_fill(user, sheet.unit):
        raise NotMonitored("这张表的运行监控还没有开始填报，须由本单位的填报人开始。")
    monitoring = made(sheet, monitoring_round)
    db.session.add(monitoring)
    history.record(monitoring, user, "create")
    return monitoring


def made(sheet: GoalSheet, monitoring_round: MonitoringRound) -> Monitoring:
    """A new monitoring of the sheet in the round, not yet in the session: a row for each of the
    target's indicators in the order the form prints them, the money block from its budget."""
    budget = sheet_budget(sheet)
    return Monitoring(round=monitoring_round, sheet=sheet, status=Status.DRAFT, review_comment="",
                      initial_budget=budget, annual_budget=budget, spent=None, expected_spending=None,
                      rows=[MonitoringRow(indicator=indicator, position=position, **{field: "" for field in ROW_FIELDS})
                            for position, indicator in enumerate(printed_order(sheet), start=1)])


def sheet_budget(sheet: GoalSheet) -> Decimal | None:
    """What the target budgets for the year: its own money and its higher level's together."""
    if sheet.local_budget is None and sheet.higher_funds is None:
        return None
    return (sheet.local_budget or 0) + (sheet.higher_funds or 0)


def printed_order(sheet: GoalSheet) -> list[Indicator]:
    """The sheet's indicators in its form's category order, each category's in position order;
    a category the framework does not name comes last, so no row is ever left out."""
    order = {pair: index for index, pair in enumerate(sheet.form.framework.pairs())}
    return sorted(sheet.indicators, key=lambda i: (order.get((i.level1, i.level2), len(order)), i.position))


def elapsed(monitoring: Monitoring) -> Decimal:
    """序时进度 of the monitoring's round: its month over twelve."""
    return lights.elapsed_share(monitoring.round.month)


def target(row: MonitoringRow) -> Measure:
    """年度指标值 understood, as the target's review reads it (a 101-style row's three columns as one)."""
    return target_measure(row.indicator, DEFAULT_SETTINGS)


def target_written(row: MonitoringRow) -> str:
    """年度指标值 as the monitoring prints it: the target's value ("≥90%" for a 101-style row)."""
    return target(row).written or row.indicator.value


def light_of(target_value: Measure, current: str, expected: str, possibility: str, month: int,
             rules: LightRules = DEFAULT_LIGHT_RULES) -> Light | None:
    """A row's light from what is typed (stored or not yet): the editor lights a row as the clerk types."""
    return lights.row_light(target_value, measures.parse(current), measures.parse(expected), possibility,
                            lights.elapsed_share(month), rules)


def row_light(row: MonitoringRow, rules: LightRules = DEFAULT_LIGHT_RULES) -> Light | None:
    return light_of(target(row), row.current, row.expected, row.possibility, row.monitoring.round.month, rules)


@dataclass(frozen=True)
class MoneyBlock:
    """The money block as typed, before it is stored (the editor lights it as the clerk types)."""

    initial_budget: Decimal | None = None
    annual_budget: Decimal | None = None
    spent: Decimal | None = None
    expected_spending: Decimal | None = None


def execution_rate(monitoring: Monitoring | MoneyBlock) -> Decimal | None:
    """执行率: 1–N月执行数 over 全年预算数, a fraction (0.4567 is 45.67%); None without a budget."""
    return scoring.execution_rate(monitoring.annual_budget, monitoring.spent)


def money_light(money: Monitoring | MoneyBlock, month: int, rules: LightRules = DEFAULT_LIGHT_RULES) -> Light | None:
    return lights.money_light(money.annual_budget, money.spent, money.expected_spending, lights.elapsed_share(month), rules)


@dataclass(frozen=True)
class Sign:
    """How a light reads without its colour: a shape and a word, for paper in black and white
    and for readers who cannot tell red from green."""

    shape: str
    name: str
    css: str


SIGNS = {Light.GREEN: Sign("●", "绿灯", "green"), Light.YELLOW: Sign("▲", "黄灯", "yellow"), Light.RED: Sign("■", "红灯", "red")}
UNJUDGED = Sign("○", "待填写", "none")  # nothing typed yet to judge the row by


def sign(light: Light | None) -> Sign:
    return SIGNS.get(light, UNJUDGED)


def light_counts(monitoring: Monitoring) -> dict[Light, int]:
    """How many rows show each light (the bureau's overview)."""
    counts = {light: 0 for light in Light}
    for row in monitoring.rows:
        if (light := row_light(row)) is not None:
            counts[light] += 1
    return counts


# --- a round's progress ------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """An approved sheet of the round's year and its monitoring, if begun: one line of the
    bureau's view of the round."""

    sheet: GoalSheet
    monitoring: Monitoring | None

    @property
    def status(self) -> Status | None:
        return self.monitoring.status if self.monitoring else None

    @property
    def money_light(self) -> Light | None:
        return money_light(self.monitoring, self.monitoring.round.month) if self.monitoring else None

    @property
    def rate(self) -> Decimal | None:
        return execution_rate(self.monitoring) if self.monitoring else None

    @property
    def lights(self) -> dict[Light, int]:
        return light_counts(self.monitoring) if self.monitoring else {}


NOT_BEGUN = "未填报"  # a sheet whose monitoring its unit has not opened yet


def progress(monitoring_round: MonitoringRound, unit_id: int | None = None) -> list[Progress]:
    """Every approved sheet of the round's year (of one unit, when given), by unit and then
    project as filed, with its monitoring in the round: three queries, whatever the count."""
    sheets = select(GoalSheet).join(Unit, GoalSheet.unit_id == Unit.id).where(
        GoalSheet.year == monitoring_round.year, GoalSheet.status == Status.APPROVED).order_by(Unit.name, GoalSheet.id)
    if unit_id is not None:
        sheets = sheets.where(GoalSheet.unit_id == unit_id)
    found = {monitoring.sheet_id: monitoring for monitoring in db.session.scalars(
        select(Monitoring).where(Monitoring.round_id == monitoring_round.id))}
    return [Progress(sheet, found.get(sheet.id)) for sheet in db.session.scalars(sheets)]


def tally(entries: list[Progress]) -> dict[str, int]:
    """How many lines stand at each status, 未填报 first (the bureau's summary of a round)."""
    counts = {NOT_BEGUN: 0} | {str(status): 0 for status in Status}
    for entry in entries:
        counts[str(entry.status or NOT_BEGUN)] += 1
    return counts


def next_submitted(monitoring_round: MonitoringRound, after: Monitoring, unit_id: int | None = None) -> Monitoring | None:
    """The next monitoring of the round waiting for the bureau, after this one (the reviewer goes
    on to it once this one is decided), else the first."""
    waiting = select(Monitoring).join(GoalSheet, Monitoring.sheet_id == GoalSheet.id).where(
        Monitoring.round_id == monitoring_round.id, Monitoring.status == Status.SUBMITTED, Monitoring.id != after.id)
    if unit_id is not None:
        waiting = waiting.where(GoalSheet.unit_id == unit_id)
    later = db.session.scalars(waiting.where(Monitoring.id > after.id).order_by(Monitoring.id)).first()
    return later or db.session.scalars(waiting.order_by(Monitoring.id)).first()


# --- filling it in -------------------------------------------------------------------------------


def row_problems(values: Mapping[str, str]) -> dict[str, str]:
    """What is wrong with a row's typed values (field → message), before any is stored: a text
    too long, a choice not on the form's list. Every face checks a row here."""
    problems = {}
    for field, most in ROW_TEXTS.items():
        if len(values.get(field, "")) > most:
            problems[field] = f"不能超过{most}个字（现有{len(values[field])}个）"
    for field, choices in ROW_CHOICES.items():
        if (chosen := values.get(field, "")) and chosen not in choices:
            problems[field] = f"“{chosen}”不在可选项里，应为{'、'.join(choices)}之一"
    return problems


def snapshot(monitoring: Monitoring, money: "MoneyBlock | None" = None,
             rows: Mapping[int, Mapping[str, str]] | None = None) -> dict[str, str]:
    """The monitoring as a reader sees it, for its history: the money, then each row's cells,
    named by the row's number and indicator (two rows of one name stay apart). With typed
    values, what saving them would make it (a conflict shows theirs against these)."""
    months = monitoring.round.months
    money = money or monitoring
    shown = {money_label(field, months): _amount(getattr(money, field)) for field in MONEY_FIELDS}
    for number, row in enumerate(monitoring.rows, start=1):
        typed = (rows or {}).get(row.id, {})
        for field in ROW_FIELDS:
            shown[f"第{number}项“{row.indicator.name}”{row_label(field, months)}"] = typed.get(field, getattr(row, field))
    return shown


def _amount(amount: Decimal | None) -> str:
    return "" if amount is None else format(amount.normalize(), "f")


def update(monitoring: Monitoring, user: User, apply: Callable[[], object], action: str = "update_monitoring") -> SheetEvent | None:
    """Change the monitoring through its history (the caller commits): only while its unit may
    change it (a draft, or sent back)."""
    if not access.can_edit(user, monitoring):
        raise NotMonitored(f"这张运行监控表现在是“{monitoring.status}”，不能修改。")
    def apply_and_touch() -> None:
        apply()
        monitoring.updated_at = utcnow()  # a change to its rows alone moves its version too

    return history.change(monitoring, user, action, lambda: snapshot(monitoring), apply_and_touch)


def fill(monitoring: Monitoring, money: MoneyBlock, rows: Mapping[int, Mapping[str, str]]) -> None:
    """Put typed values in place (already checked: row_problems): the money, and each row's
    fields by the row's id; a row not given keeps what it has."""
    for field in MONEY_FIELDS:
        setattr(monitoring, field, getattr(money, field))
    for row in monitoring.rows:
        for field, text in rows.get(row.id, {}).items():
            if field in ROW_FIELDS:
                setattr(row, field, text)


# --- review ------------------------------------------------------------------------------------------

Rule = Callable[[Monitoring, LightRules], Iterable[Finding]]


def money_filled(monitoring: Monitoring, rules: LightRules) -> Iterable[Finding]:
    months = monitoring.round.months
    for field in ("annual_budget", "spent", "expected_spending"):
        if getattr(monitoring, field) is None:
            yield Finding("money_filled", Level.BLOCKING, f"请填写{money_label(field, months)}", field=field)


def rows_filled(monitoring: Monitoring, rules: LightRules) -> Iterable[Finding]:
    """Each row says how far it is, where it will end and whether the target will be met."""
    months = monitoring.round.months
    for row in monitoring.rows:
        if missing := [row_label(field, months) for field in ("current", "expected", "possibility") if not getattr(row, field).strip()]:
            yield Finding("rows_filled", Level.BLOCKING, f"请填写{'、'.join(missing)}", indicator=row.indicator)


def doubt_explained(monitoring: Monitoring, rules: LightRules) -> Iterable[Finding]:
    """A target that may not be met (有可能, 完全不可能) says why and what is done about it."""
    for row in monitoring.rows:
        if lights.needs_reason(row.possibility):
            if not row.cause:
                yield Finding("doubt_explained", Level.BLOCKING, f"完成目标可能性为“{row.possibility}”，请选择偏差原因", indicator=row.indicator)
            if not row.remedy.strip():
                yield Finding("doubt_explained", Level.BLOCKING, f"完成目标可能性为“{row.possibility}”，请填写整改措施", indicator=row.indicator)


def other_cause_said(monitoring: Monitoring, rules: LightRules) -> Iterable[Finding]:
    for row in monitoring.rows:
        if row.cause == OTHER_CAUSE and not row.cause_note.strip():
            yield Finding("other_cause_said", Level.BLOCKING, "偏差原因选了“其他”，请写明是什么原因", indicator=row.indicator)


def shortfall_explained(monitoring: Monitoring, rules: LightRules) -> Iterable[Finding]:
    """An expected full-year value short of the target (under a ≥, over a ≤) is a deviation, and
    the form's 偏差原因 column is there to say why: blocking, as a doubt is."""
    for row in monitoring.rows:
        if not row.cause and falls_short(target(row), row.expected, rules):
            yield Finding("shortfall_explained", Level.BLOCKING,
                          f"全年预计完成“{row.expected}”达不到年度指标值“{target_written(row)}”，请选择偏差原因", indicator=row.indicator)


def falls_short(target_value: Measure, expected: str, rules: LightRules = DEFAULT_LIGHT_RULES) -> bool:
    """The expected value would not meet the target (scoring's rule of what meeting it is)."""
    numbers = measures.comparable(target_value, measures.parse(expected))
    return numbers is not None and scoring.SHARE_BY_NATURE[target_value.nature](*numbers, rules.scoring) < 1


def execution_keeps_pace(monitoring: Monitoring, rules: LightRules) -> Iterable[Finding]:
    """Spending far behind the elapsed share of the year (by more than the money's red lag) asks a look."""
    rate = execution_rate(monitoring)
    share = elapsed(monitoring)
    if rate is not None and rate < share - rules.money_red_lag:
        yield Finding("execution_keeps_pace", Level.WARNING,
                      f"{monitoring.round.months}执行率{percent(rate)}，远低于序时进度{percent(share)}，请说明原因、加快执行", field="spent")


def spending_within_budget(monitoring: Monitoring, rules: LightRules) -> Iterable[Finding]:
    budget = monitoring.annual_budget
    for field in ("spent", "expected_spending"):
        amount = getattr(monitoring, field)
        if budget is not None and amount is not None and amount > budget:
            yield Finding("spending_within_budget", Level.WARNING,
                          f"{money_label(field, monitoring.round.months)}超过全年预算数，请核对", field=field)


def target_approved(monitoring: Monitoring, rules: LightRules) -> Iterable[Finding]:
    """The approved target is the yardstick: a monitoring imported with a target its file made
    (or onto one not yet approved) waits for the bureau to approve the target first."""
    if monitoring.sheet.status != Status.APPROVED:
        yield Finding("target_approved", Level.BLOCKING, f"目标表现在是“{monitoring.sheet.status}”：目标表审核通过后才能提交运行监控表")


RULES: tuple[Rule, ...] = (target_approved, money_filled, rows_filled, doubt_explained, other_cause_said, shortfall_explained,
                           execution_keeps_pace, spending_within_budget)


def review(monitoring: Monitoring, rules: LightRules = DEFAULT_LIGHT_RULES) -> Report:
    """Every finding for the monitoring, blocking first (the same Report the target's review gives)."""
    findings = [finding for rule in RULES for finding in rule(monitoring, rules)]
    return Report(sorted(findings, key=lambda f: f.level != Level.BLOCKING))


def percent(rate: Decimal | None) -> str:
    """A fraction as the forms print a rate: 0.4567 is "45.67%", 0.5 is "50%"."""
    if rate is None:
        return ""
    return f"{format((rate * 100).quantize(Decimal('0.01')).normalize(), 'f')}%"


# --- from a file ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filled:
    """What a file fills a monitoring in with: the money, and each row's fields by its position."""

    money: MoneyBlock
    rows: dict[int, dict[str, str]]

    def apply(self, monitoring: Monitoring) -> None:
        """Put the file's values in place (a stored monitoring's through update(), for its history)."""
        fill(monitoring, self.money, {})
        for row in monitoring.rows:
            for field, text in self.rows.get(row.position, {}).items():
                setattr(row, field, text)


FILE_PROBLEMS_SHOWN = 10


def from_file(monitoring: Monitoring, read, source: str, notes: list[str] | None = None) -> Filled:
    """The values a file (formats.documents.FileDocument) gives this monitoring (stored, or made
    and not yet stored): the money it has cells for, and each of its rows onto the row of the
    same 三级指标 (the n-th of a name onto the n-th), a field the file has no column for kept as it
    is. Only what the unit fills in is taken: 年度指标值 stays the approved target's (notes say
    where the file's differs, and where its 执行率 is not its amounts'). All or nothing: every
    cell that cannot be taken is named in one ReadError."""
    notes = notes if notes is not None else []
    problems: list[str] = []
    if read.month is not None and read.month != monitoring.round.month:
        problems.append(f"文件是截至{read.month}月的，这张运行监控表截至{monitoring.round.month}月")
    money = _money_from_file(monitoring, read, problems, notes)
    rows = _rows_from_file(monitoring, read, problems, notes)
    if problems:
        shown = problems[:FILE_PROBLEMS_SHOWN]
        more = f"；另有{len(problems) - len(shown)}处" if len(problems) > len(shown) else ""
        raise ReadError(source, read.place, "；".join(shown) + more + "。没有导入任何内容")
    return Filled(money, rows)


def _money_from_file(monitoring: Monitoring, read, problems: list[str], notes: list[str]) -> MoneyBlock:
    amounts = {}
    for field in MONEY_FIELDS:
        cell = read.cells.get(field)
        if cell is None:
            amounts[field] = getattr(monitoring, field)
            continue
        try:
            amount = parse_money(cell.text, read.money_unit or "万元")
        except ValueError as error:
            problems.append(f"{cell.where}：{error}")
            continue
        if amount is not None and amount < 0:
            problems.append(f"{cell.where}：金额不能为负数")
            continue
        amounts[field] = amount
    money = MoneyBlock(**{field: amounts.get(field) for field in MONEY_FIELDS})
    if (cell := read.cells.get("rate")) and cell.text.strip() and (written := _percent(cell.text)) is not None:
        rate = execution_rate(money)
        if rate is None or abs(written - rate) >= Decimal("0.0001"):
            notes.append(f"文件写的执行率是“{cell.text}”，按执行数与全年预算数应为{percent(rate) or '（无法计算）'}")
    return money


def _percent(text: str) -> Decimal | None:
    number = measures.parse_number(text.strip().removesuffix("%").removesuffix("％"))
    return None if number is None else number / 100


def _rows_from_file(monitoring: Monitoring, read, problems: list[str], notes: list[str]) -> dict[int, dict[str, str]]:
    """Each row the file has, by the position of the monitoring's row of the same 三级指标."""
    named: dict[str, MonitoringRow] = {}
    filled: dict[int, dict[str, str]] = {}
    wheres: dict[int, dict[str, str]] = {}
    for row, line in matched_by_name(monitoring.rows, lambda row: row.indicator.name, read.rows,
                                     monitoring.sheet.project_name, problems):
        named.setdefault(name_key(row.indicator.name), row)
        filled[row.position], wheres[row.position] = _row_from_file(row, line, problems, notes)
    for key, field in (("causes", "cause"), ("remedies", "remedy")):  # 湖北's, gathered under the rows
        if cell := read.cells.get(key):
            _gathered_from_file(cell, field, named, filled, wheres, problems)
    for position, values in filled.items():
        for field, message in row_problems(values).items():
            problems.append(f"{wheres[position].get(field, wheres[position]['name'])}的{row_label(field, monitoring.round.months)}{message}")
    return filled


def _row_from_file(row: MonitoringRow, line, problems: list[str], notes: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """The row's fields as the file fills them (the rest as they are), and where each was."""
    values = {field: getattr(row, field) for field in ROW_FIELDS}
    wheres = {"name": line.cells["name"].where}
    for field in ("current", "expected", "possibility", "remedy", "note"):
        if cell := line.cells.get(field):
            values[field] = ticked(cell.text, POSSIBILITIES).strip() if field == "possibility" else cell.text
            wheres[field] = cell.where
    if cell := line.cells.get("cause"):
        try:
            values["cause"], values["cause_note"] = cause_of(cell.text)
        except ValueError as error:
            problems.append(f"{cell.where}：{error}")
        wheres["cause"] = wheres["cause_note"] = cell.where
    written = _file_target(line)
    if written and name_key(written) != name_key(target_written(row)) and measures.parse(written) != target(row):
        notes.append(f"“{row.indicator.name}”：文件的年度指标值是“{written}”，目标表是“{target_written(row)}”，按目标表监控")
    return values, wheres


def _file_target(line) -> str:
    nature, value, measure = (line.cells[key].text if key in line.cells else "" for key in ("nature", "target", "measure"))
    if nature.strip() or measure.strip():
        return measures.written(measures.from_parts(nature, value, measure))
    return value.strip()


def cause_of(text: str) -> tuple[str, str]:
    """偏差原因 as a cell writes it ("经费保障：资金未到位", a ticked box "√经费保障") → the choice and its note."""
    text = ticked(text, CAUSES).strip() if any(mark in text for mark in "√✓✔☑■●") else text.strip()
    if not text:
        return "", ""
    for cause in CAUSES:
        if text.startswith(cause):
            return cause, text[len(cause):].lstrip("：:，,、 ").strip()
    raise ValueError(f"偏差原因应以{'、'.join(CAUSES)}之一开头（如“经费保障：资金未到位”），现为“{text}”")


def _gathered_from_file(cell, field: str, rows: dict[str, MonitoringRow], filled: dict[int, dict[str, str]],
                        wheres: dict[int, dict[str, str]], problems: list[str]) -> None:
    """湖北's 偏差原因分析 and 相关建议或举措: a line a row, "指标名称：…", as print gathers them."""
    for line in (line.strip() for line in cell.text.split("\n")):
        if not line:
            continue
        name, colon, said = line.replace(":", "：").partition("：")
        row = rows.get(name_key(name))
        if not colon or row is None:
            problems.append(f"{cell.where}：“{line[:30]}”应以本表的一个指标名称开头（如“指标名称：…”），读不出是哪个指标的")
            continue
        if field == "cause":
            try:
                filled[row.position]["cause"], filled[row.position]["cause_note"] = cause_of(said)
            except ValueError:  # a reason in words only: kept as the note, the choice left to the clerk
                filled[row.position]["cause"], filled[row.position]["cause_note"] = "", said.strip()
        else:
            filled[row.position][field] = said.strip()
        wheres[row.position][field] = cell.where
