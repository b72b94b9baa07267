"""A self-evaluation or monitoring file's document attached to its sheet: planned for the
preview, stored on confirming, all or nothing.

A document (formats.documents.FileDocument) belongs to the sheet of its unit, year and project:
the unit the file names, else the importing clerk's own; only a unit the user may fill in
(access.py). Where there is no such sheet, one is made from the file (its 一级/二级/三级 and
年度指标值, in the target form its layout evaluates), a draft: the document can then be filled in
and reviewed, but not submitted before the bureau approves the target (each document's review
says so). A monitoring goes into its year's round of the file's month. Each kind of document is
one entry of KINDS (start one, find the stored one, lay the file over it, review it as it will
be, store it), so the preview, the confirmation and the pages ask the registry, not the kind.
"""
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from ..extensions import db
from ..formats.reader import Cell, category_key, indicator_of, limited
from . import access, evaluation, evaluation_layout, history, limits, monitoring, monitoring_paper
from .errors import ReadError
from .formtemplates import TEMPLATES, FormTemplate
from .models import Evaluation, GoalSheet, Monitoring, MonitoringRound, MonitoringRow, Status, Unit, User, template_for_year
from .review import Finding
from .values import parse_money
from .wording import POINTS, Wording


@dataclass
class Plan:
    """What confirming will do with one document of the file: the sheet it goes to (stored, or
    made from the file and not yet stored), the document it fills in (stored, or made), the
    file's values laid over it (a Draft, or monitoring.Filled), and what the preview shows: its
    findings as it will be, and notes on what the file says that is not taken as it stands."""

    read: object  # formats.documents.FileDocument
    kind: "Kind"
    sheet: GoalSheet
    item: Evaluation | Monitoring
    values: object
    findings: list[Finding]
    notes: list[str] = field(default_factory=list)
    round: MonitoringRound | None = None
    creates_sheet: bool = field(init=False)  # as planned: once stored, the sheet and document have ids
    creates_document: bool = field(init=False)

    def __post_init__(self) -> None:
        self.creates_sheet, self.creates_document = self.sheet.id is None, self.item.id is None

    @property
    def layout_name(self) -> str:
        return self.kind.layout_names.get(self.read.layout, "")


class Kind:
    """One kind of document a file may hold: how it starts, is found, read, reviewed and stored."""

    code: str
    name: str
    wording: Wording
    layout_names: dict[str, str]
    target_forms: dict[str, tuple[str, ...]]

    def round_for(self, read, source: str) -> MonitoringRound | None:
        return None

    def stored(self, sheet: GoalSheet, monitoring_round: MonitoringRound | None):
        raise NotImplementedError

    def made(self, sheet: GoalSheet, monitoring_round: MonitoringRound | None):
        raise NotImplementedError

    def values(self, item, read, source: str, notes: list[str]):
        raise NotImplementedError

    def findings(self, item, values) -> list[Finding]:
        raise NotImplementedError

    def store(self, item, values, user: User) -> None:
        raise NotImplementedError

    def budget(self, read) -> str:
        """The cell whose amount is the year's budget of a target made from the file."""
        raise NotImplementedError


class EvaluationKind(Kind):
    code, name, wording = "evaluation", "自评表", evaluation_layout.WORDING
    layout_names = evaluation_layout.LAYOUT_NAMES
    target_forms = evaluation_layout.TARGET_FORMS

    def stored(self, sheet, monitoring_round):
        return evaluation.evaluation_of(sheet) if sheet.id is not None else None

    def made(self, sheet, monitoring_round):
        return evaluation.made(sheet)

    def values(self, item, read, source, notes):
        return evaluation.from_file(item, read, source, notes)

    def findings(self, item, values):
        return evaluation.review(values).findings

    def store(self, item, values, user):
        db.session.add(item)
        evaluation.save_all(item, values, user, action="import_evaluation")

    def budget(self, read):
        return "total:opening" if read.text("total:opening").strip() else "total:budget"


class MonitoringKind(Kind):
    code, name, wording = "monitoring", "运行监控表", monitoring_paper.WORDING
    layout_names = {code: layout.name for code, layout in monitoring_paper.LAYOUTS.items()}
    target_forms = monitoring_paper.TARGET_FORMS

    def round_for(self, read, source):
        """The year's round of the file's month (its "1-6月" heads), or the year's one round."""
        rounds = monitoring.rounds(read.year)
        if not rounds:
            raise ReadError(source, read.place, f"{read.year}年还没有开启运行监控，不能导入运行监控表：请财政部门先在“运行监控”里开启{read.year}年的监控")
        if read.month is not None:
            found = next((one for one in rounds if one.month == read.month), None)
            if found is None:
                opened = "、".join(f"截至{one.month}月" for one in rounds)
                raise ReadError(source, read.place, f"文件是截至{read.month}月的运行监控表，{read.year}年开启的运行监控是{opened}，没有截至{read.month}月的")
            return found
        if len(rounds) > 1:
            raise ReadError(source, read.place, f"{read.year}年开启了{len(rounds)}次运行监控，文件的表头没有写截至几月（如“1-6月执行情况”），不知道导入哪一次")
        return rounds[0]

    def stored(self, sheet, monitoring_round):
        return monitoring.monitoring_of(sheet, monitoring_round) if sheet.id is not None else None

    def made(self, sheet, monitoring_round):
        return monitoring.made(sheet, monitoring_round)

    def values(self, item, read, source, notes):
        return monitoring.from_file(item, read, source, notes)

    def findings(self, item, values):
        return monitoring.review(as_it_will_be(item, values)).findings

    def store(self, item, values, user):
        db.session.add(item)
        monitoring.update(item, user, lambda: values.apply(item), action="import")

    def budget(self, read):
        return "initial_budget" if read.text("initial_budget").strip() else "annual_budget"


KINDS: dict[str, Kind] = {kind.code: kind for kind in (EvaluationKind(), MonitoringKind())}


def as_it_will_be(item: Monitoring, filled: monitoring.Filled) -> Monitoring:
    """A copy of the monitoring, not in the session, with the file's values in it: its review
    is what the preview shows, and the stored one is left as it is until the import is confirmed."""
    copy = Monitoring(round=item.round, sheet=item.sheet, status=item.status, review_comment=item.review_comment,
                      **{name: getattr(item, name) for name in monitoring.MONEY_FIELDS},
                      rows=[MonitoringRow(indicator=row.indicator, position=row.position,
                                          **{name: getattr(row, name) for name in monitoring.ROW_FIELDS}) for row in item.rows])
    filled.apply(copy)
    return copy


# --- planning ---------------------------------------------------------------------------------


def plan(documents: list, user: User, own_unit: str | None, source: str, targets: list[GoalSheet] = ()) -> list[Plan]:
    """What confirming will do with each of the file's documents; ReadError (with where) for one
    that cannot go anywhere, and then nothing of the file is imported. own_unit is the unit a
    blank 填报单位 stands for (the clerk's, or the one an administrator named on uploading);
    targets are the target tables the same file holds."""
    made: dict[tuple[str, int, str], GoalSheet] = {}  # a sheet two documents of the file make once
    in_file = {(sheet.unit or own_unit, sheet.year, sheet.project_name) for sheet in targets}
    plans = []
    for read in documents:
        kind = KINDS[read.kind]
        unit = read.unit or own_unit
        if not unit:
            raise ReadError(source, read.place, f"{read.name}“{read.project}”的填报单位是空的：请在上传时写明算作哪个单位，或在文件里填写填报单位")
        if not access.can_fill(user, unit):
            raise ReadError(source, read.place, f"文件里有其他单位的表（{unit}），你只能导入本单位的表")
        if not read.project:
            raise ReadError(source, read.place, f"{read.name}没有填写项目名称")
        monitoring_round = kind.round_for(read, source)
        key = (unit, read.year, read.project)
        if key in in_file:
            raise ReadError(source, read.place, f"文件里既有“{read.project}”的目标表，又有它的{kind.name}：请先导入目标表，再导入{kind.name}")
        sheet = made.get(key) or sheet_of(*key) or made.setdefault(key, sheet_from_file(read, kind, unit, source))
        item = kind.stored(sheet, monitoring_round)
        if item is not None and not access.can_edit(user, item):
            raise ReadError(source, read.place, f"“{read.project}”的{kind.name}现在是“{item.status}”，不能再导入：请先撤回，或请财政部门退回")
        item = item or kind.made(sheet, monitoring_round)
        notes = left_out(read, sheet)
        values = kind.values(item, read, source, notes)
        plans.append(Plan(read, kind, sheet, item, values, kind.findings(item, values), notes, monitoring_round))
    places = [(plan.kind.code, id(plan.sheet), plan.round.id if plan.round else None) for plan in plans]
    twice = [plan for index, plan in enumerate(plans) if places[index] in places[:index]]
    if twice:
        raise ReadError(source, twice[0].read.place, f"文件里有两张“{twice[0].read.project}”的{twice[0].kind.name}：请只留一张")
    return plans


def left_out(read, sheet: GoalSheet) -> list[str]:
    """What the file says that nothing keeps, for the preview to say: the bureau's comment (the
    bureau writes it in the app), and the lines under the table (a target made from the file
    keeps its 项目负责人 where its form has one)."""
    notes = []
    if comment := read.text("comment").strip():
        notes.append(f"文件里的财政部门审核意见“{comment[:40]}”不导入：审核意见由财政部门在系统里填写")
    kept = {"footer:leader"} if sheet.id is None and sheet.written("leader") else set()
    footers = {key: label for label, key in KINDS[read.kind].wording.footers.items()}
    if unkept := [f"{footers[key.removeprefix('footer:')]}“{cell.text}”" for key, cell in read.cells.items()
                  if key.startswith("footer:") and key not in kept and cell.text.strip()]:
        notes.append(f"表下的{'、'.join(unkept)}不导入：{KINDS[read.kind].name}没有这些栏目")
    return notes


def sheet_of(unit: str, year: int, project: str) -> GoalSheet | None:
    """The stored sheet of this unit, year and project (the first, if a unit kept two)."""
    return db.session.scalars(select(GoalSheet).where(
        GoalSheet.unit_id == Unit.id_named(unit), GoalSheet.year == year, GoalSheet.project_name == project).order_by(GoalSheet.id)).first()


def sheet_from_file(read, kind: Kind, unit: str, source: str) -> GoalSheet:
    """A target sheet, a draft not yet stored, from what the file says of the target: its
    project, 主管部门, budget and 年度目标, and each row's categories, 三级指标 and 年度指标值."""
    if any("level2" not in row.cells for row in read.rows):
        raise ReadError(source, read.place, f"“{read.project}”还没有目标表，而这张{kind.name}没有二级指标，不能据此新建目标表："
                                            "请先导入或填写它的目标表")
    categories = [(category_key(POINTS.sub("", row.text("level1"))), category_key(row.text("level2"))) for row in read.rows]
    template = target_form(read, kind, categories, source)
    budget = read.cells.get(kind.budget(read))
    try:
        amount = parse_money(budget.text, read.money_unit or "万元") if budget is not None else None
    except ValueError as error:
        raise ReadError(source, budget.where, str(error)) from None
    if amount is None:
        raise ReadError(source, read.place, f"“{read.project}”还没有目标表，要据此新建，文件里须有年初预算数")
    indicators = [indicator_of(position, level1, level2, _target_cells(row, template), template, source)
                  for position, (row, (level1, level2)) in enumerate(zip(read.rows, categories), start=1)]
    fields = {key: read.text(cell) for key, cell in (("implementer", "implementer"), ("leader", "footer:leader"))
              if template.field(key) is not None and read.text(cell)}
    return GoalSheet(
        template=template.code, year=read.year, unit=unit, status=Status.DRAFT, local_budget=amount, period_goal="",
        project_name=limited(read.cells.get("project_name"), limits.PROJECT_NAME, "项目名称", source),
        budget_dept=limited(read.cells.get("budget_dept"), limits.BUDGET_DEPT, "主管部门", source),
        annual_goal=limited(read.cells.get("annual_goal"), limits.GOAL_TEXT, "年度目标", source),
        fields=fields, indicators=indicators, review_comment="")


def target_form(read, kind: Kind, categories: list[tuple[str, str]], source: str) -> FormTemplate:
    """The form a target made from the file is filed in: the year's (the bureau's choice) when it
    holds the file's rows as they are, else the first of its layout's that does."""
    forms = [TEMPLATES[code] for code in kind.target_forms.get(read.layout, ())]
    year_form = template_for_year(read.year)
    if forms and year_form.splits_value == forms[0].splits_value:
        forms.insert(0, year_form)
    for form in forms:
        if all(form.framework.has_category(*pair) for pair in categories):
            return form
    misfit = next((row, pair) for row, pair in zip(read.rows, categories) if not forms or not forms[-1].framework.has_category(*pair))
    row, (level1, level2) = misfit
    raise ReadError(source, row.cells["name"].where, f"“{level1}”下没有二级指标“{level2}”：不能据此新建{read.project}的目标表")


def _target_cells(row, template: FormTemplate) -> dict:
    """A file row's cells as the target form's columns: 三级指标 and 年度指标值 (split in three on a 101-style form)."""
    cells = {"name": row.cells["name"]}
    if "target" in row.cells:
        cells["value"] = row.cells["target"]
    if template.splits_value:
        cells |= {key: row.cells[key] for key in ("nature", "measure") if key in row.cells}
    elif row.text("nature").strip() or row.text("measure").strip():
        cells["value"] = Cell(evaluation.file_target(row), row.cells["name"].where)
    return cells


# --- storing ----------------------------------------------------------------------------------


def store(plans: list[Plan], user: User) -> None:
    """Every planned document in place, with its sheet when the file made it; the caller commits
    (with the file's target sheets, in one transaction)."""
    for plan in plans:
        if plan.creates_sheet and plan.sheet not in db.session:
            history.record(plan.sheet, user, "import")
            db.session.add(plan.sheet)
        plan.kind.store(plan.item, plan.values, user)


def total_of(plan: Plan) -> tuple[Decimal | None, str | None]:
    """A self-evaluation's 总分 and grade as they will be (None for a monitoring)."""
    if plan.kind.code != "evaluation":
        return None, None
    numbers = evaluation.result(plan.values).numbers
    return numbers.total, numbers.grade
