"""The stored data: goal sheets and their indicator rows, their history, units and users."""
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    event,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, Session, declared_attr, joinedload, mapped_column, relationship, selectinload, validates
from sqlalchemy.orm.attributes import flag_dirty
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from . import limits, measures
from .formtemplates import DEFAULT_TEMPLATE, INDICATOR_COLUMNS, SPLIT_COLUMNS, WHOLE_DEPARTMENT_FORMS, FormTemplate, get_template
from .text import normalize


class Money(TypeDecorator):
    """Decimal 万元 stored exactly as an integer count of 0.0001 万元 (one yuan).

    SQLite has no decimal type: Numeric would round-trip through a float.
    """

    impl = BigInteger
    cache_ok = True
    SCALE = 4

    def process_bind_param(self, value: Decimal | None, dialect) -> int | None:
        if value is None:
            return None
        scaled = Decimal(value).scaleb(self.SCALE)
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than {self.SCALE} decimal places")
        return int(scaled)

    def process_result_value(self, value: int | None, dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(value).scaleb(-self.SCALE)


class Status(StrEnum):
    """Where a sheet is in review; the value is what the user reads."""

    DRAFT = "草稿"
    SUBMITTED = "已提交"
    APPROVED = "已通过"
    RETURNED = "已退回"


class Role(StrEnum):
    FILLER = "填报人"  # edits the sheets of their own unit
    REVIEWER = "审核人"  # finance bureau: reads every unit, approves or returns
    ADMIN = "管理员"  # manages units and users; may also do both of the above


def utcnow() -> datetime:
    return datetime.now(UTC)


def at_most(column: str, characters: int) -> CheckConstraint:
    """The database keeps to the same limit as the forms and readers (SQLite ignores String(n))."""
    return CheckConstraint(f"length({column}) <= {characters}", name=f"{column}_length")


# The documents of a sheet's year, as its history names them: the target table itself, then
# the monitoring of a round ("monitoring-<round id>") and the self-evaluation measured against it.
TARGET = "target"


class Reviewed:
    """A document the bureau reviews (the target sheet; its monitoring and self-evaluation):
    where it is in workflow.py's 草稿 → 已提交 → 已通过 / 已退回, the bureau's comment, and who
    submitted it last. Each also names the sheet whose history records its changes, and its
    place in that history (`document`)."""

    status: Mapped[Status] = mapped_column(String(10), default=Status.DRAFT, index=True)
    review_comment: Mapped[str] = mapped_column(Text, default="")  # 财政部门审核意见

    @declared_attr
    def submitted_by_id(cls) -> Mapped[int | None]:
        # Who submitted it last: they may not approve it themselves.
        return mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # When it was submitted last (workflow.submit): the reviewers' queue is in this order, first come first.
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @validates("review_comment")
    def _comment(self, key: str, value: str | None) -> str:
        return normalize(value)

    @property
    def is_returned(self) -> bool:
        """Sent back by the bureau: its comment then says what to change."""
        return self.status == Status.RETURNED


class GoalSheet(Reviewed, db.Model):
    """项目支出绩效目标表: one project of one unit in one budget year."""

    document = TARGET

    __tablename__ = "goal_sheet"

    id: Mapped[int] = mapped_column(primary_key=True)
    # By id, so renaming a unit renames it on every sheet; read and written by name as `unit`.
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    year: Mapped[int] = mapped_column(index=True)
    template: Mapped[str] = mapped_column(String(40), default=DEFAULT_TEMPLATE.code)  # formtemplates.TEMPLATES
    project_name: Mapped[str] = mapped_column(String(limits.PROJECT_NAME))
    budget_dept: Mapped[str] = mapped_column(String(limits.BUDGET_DEPT), default="")
    local_budget: Mapped[Decimal] = mapped_column(Money)
    higher_funds: Mapped[Decimal | None] = mapped_column(Money)
    # Year-months, stored as the first day of the month.
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    period_goal: Mapped[str] = mapped_column(Text, default="")
    annual_goal: Mapped[str] = mapped_column(Text, default="")
    # The form's other header fields and footers by key (formtemplates), and every value as
    # the file or the clerk wrote it ("250万", "2023.07-2024.01", the title): printed back so.
    fields: Mapped[dict | None] = mapped_column(JSON, default=dict)
    # Set by every recorded change, rows included (history.record): each change then
    # updates this row under the version check, so changes to one sheet serialize.
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Bumped on every update of the sheet or its rows; the lock that serializes them.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    # Bumped when the header is saved; a header save based on an older one is a conflict, not an overwrite.
    header_version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        # The list's order (newest year first, then unit), so a page is read in order, not sorted.
        Index("ix_goal_sheet_list_order", year.desc(), unit_id, id),
        # The queue's order (status 已提交, the first submitted first) and the sorts': each page read in order.
        # (status and submitted_at by name: they are Reviewed's columns, not this class body's.)
        Index("ix_goal_sheet_queue", "status", "submitted_at", id),
        Index("ix_goal_sheet_budget_order", local_budget.desc(), year.desc(), unit_id, id),
        Index("ix_goal_sheet_status_order", "status", year.desc(), unit_id, id),  # each status's sheets in the list's order
        # A unit's project in a year: last year's sheet of each sheet on a page, found without a scan of the year.
        Index("ix_goal_sheet_unit_year_project", unit_id, year, project_name),
        CheckConstraint(f"year BETWEEN {limits.FIRST_YEAR} AND {limits.LAST_YEAR}", name="year_range"),
        at_most("project_name", limits.PROJECT_NAME),
        at_most("budget_dept", limits.BUDGET_DEPT),
        at_most("period_goal", limits.GOAL_TEXT),
        at_most("annual_goal", limits.GOAL_TEXT),
        at_most("review_comment", limits.COMMENT),
    )

    owner: Mapped["Unit"] = relationship(lazy="joined", innerjoin=True)  # every page shows the unit
    indicators: Mapped[list["Indicator"]] = relationship(
        back_populates="sheet",
        cascade="all, delete-orphan",
        order_by="Indicator.position",
    )
    # The target table's own history (its year's other documents keep theirs beside it), read
    # only: history.record adds events, and the database deletes them with their sheet.
    events: Mapped[list["SheetEvent"]] = relationship(
        primaryjoin=f"and_(GoalSheet.id == SheetEvent.sheet_id, SheetEvent.document == '{TARGET}')",
        viewonly=True,
        order_by="SheetEvent.id.desc()",
    )

    @validates("project_name", "budget_dept")
    def _one_line(self, key: str, value: str | None) -> str:
        return normalize(value, multiline=False)

    @property
    def unit(self) -> str:
        """填报单位, by name: the name a file or form gave it until it is stored, then its unit's."""
        pending = self.__dict__.get(_UNIT_NAME)
        if pending is not None:
            return pending
        return self.owner.name if self.owner is not None else ""

    @unit.setter
    def unit(self, name: str | None) -> None:
        """Files and forms name the unit; the sheet gets its id when stored (bind_units)."""
        name = normalize(name, multiline=False)
        if name != self.unit:
            self.__dict__[_UNIT_NAME] = name
            if inspect(self).persistent:
                flag_dirty(self)  # so the flush sees it and binds the new unit

    @validates("period_goal", "annual_goal")
    def _text(self, key: str, value: str | None) -> str:
        return normalize(value)

    @property
    def sheet(self) -> "GoalSheet":
        """The sheet whose history records this document's changes: itself."""
        return self

    @property
    def form(self) -> FormTemplate:
        return get_template(self.template)

    @hybrid_property
    def is_project(self) -> bool:
        """About one project, so its budget adds to its unit's: not a whole department's year,
        whose 资金总额 already holds the projects' budgets. In a query too: budget totals filter on it."""
        return not self.form.whole_department

    @is_project.inplace.expression
    @classmethod
    def _is_project_expression(cls):
        return cls.template.not_in(WHOLE_DEPARTMENT_FORMS)

    @property
    def money_unit(self) -> str:
        """The unit the sheet's amounts are written in: its file's, else its form's."""
        return self.written("money_unit") or self.form.money_unit

    def written(self, key: str) -> str:
        """A header field or footer as written, '' when it has none."""
        return (self.fields or {}).get(key, "")

    @validates("fields")
    def _fields(self, key: str, value: dict | None) -> dict:
        """Texts, and a form's sub-tables (formtemplates.SubTable) as rows of texts."""
        return {str(name): [[normalize(text) for text in row] for row in text] if isinstance(text, list) else normalize(text)
                for name, text in (value or {}).items() if text}

    def last_standard(self) -> str:
        """The 绩效标准 of the row added last: a clerk's next row most often has the same."""
        return db.session.scalar(
            select(Indicator.standard).where(Indicator.sheet_id == self.id).order_by(Indicator.id.desc()).limit(1)) or ""

    def next_position(self) -> int | None:
        """After the last row, or None when the sheet holds as many rows as a sheet may. Asked of
        the database in one query, so adding a row loads none of the others."""
        rows, last = db.session.execute(
            select(func.count(Indicator.id), func.coalesce(func.max(Indicator.position), 0)).where(Indicator.sheet_id == self.id)
        ).one()
        return None if rows >= limits.INDICATORS_PER_SHEET else last + 1


_UNIT_NAME = "_unit_name"  # a sheet's unit as named before it is stored


@event.listens_for(Session, "before_flush")
def bind_units(session: Session, flush_context, instances) -> None:
    """Give each sheet named a unit (by a file, a form, a copy) that unit's id: the unit of that
    name, made when there is none yet. Here, at the flush, so reading a file touches no table."""
    found: dict[str, Unit] = {}
    for sheet in [*session.new, *session.dirty]:
        if isinstance(sheet, GoalSheet) and (name := sheet.__dict__.pop(_UNIT_NAME, None)) is not None:
            if name not in found:
                found[name] = _stored_or_new_unit(session, name)
            sheet.owner = found[name]


def _stored_or_new_unit(session: Session, name: str) -> "Unit":
    with session.no_autoflush:
        unit = session.scalars(select(Unit).where(Unit.name == name)).first()
    unit = unit or next((new for new in session.new if isinstance(new, Unit) and new.name == name), None)
    if unit is None:
        unit = Unit(name=name)
        session.add(unit)
    return unit


class Indicator(db.Model):
    """One level-3 row of the indicator table (三级指标, 指标值及单位, 绩效标准)."""

    __tablename__ = "indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("goal_sheet.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    level1: Mapped[str] = mapped_column(String(40))
    level2: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(Text)
    value: Mapped[str] = mapped_column(Text, default="")
    standard: Mapped[str] = mapped_column(String(20), default="")
    # The form's other columns by key (指标性质, 度量单位, 权重…: formtemplates.Column).
    extra: Mapped[dict | None] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (at_most("name", limits.INDICATOR_NAME), at_most("value", limits.INDICATOR_VALUE))

    sheet: Mapped[GoalSheet] = relationship(back_populates="indicators")

    @validates("name", "value", "standard")
    def _one_line(self, key: str, value: str | None) -> str:
        return normalize(value, multiline=False)

    @validates("extra")
    def _extra(self, key: str, value: dict | None) -> dict:
        """Texts; a blank one dropped, but for a cell given beside the value (measures.GIVEN):
        a 101-style file's blank 指标性质 is kept blank."""
        return {str(name): normalize(text, multiline=False) for name, text in (value or {}).items()
                if text or name in measures.GIVEN}

    @property
    def given(self) -> dict[str, str]:
        """The cells kept beside the value (measures.GIVEN): where the text alone does not say them."""
        return {key: text for key, text in (self.extra or {}).items() if key in measures.GIVEN}

    @property
    def measure(self) -> measures.Measure:
        """The value understood (指标性质, number, 度量单位), the clerk's own reading honoured: what
        review, scoring and the monitoring lights compare."""
        return measures.of(self.value, self.given)

    def cell(self, key: str, form: FormTemplate | None = None) -> str:
        """The text in one of the form's indicator columns (the row's sheet's form unless given).
        On a form that splits the value (指标性质, 指标值, 度量单位) those three come from the value."""
        form = form or (self.sheet.form if self.sheet is not None else None)
        if form is not None and form.splits_value and key in SPLIT_COLUMNS:
            return dict(zip(SPLIT_COLUMNS, measures.cells(self.value, self.given)))[key]
        return getattr(self, key) if key in INDICATOR_COLUMNS else (self.extra or {}).get(key, "")

    def set_cell(self, key: str, text: str) -> None:
        """Write one of the form's indicator columns, as cell reads it."""
        if key in INDICATOR_COLUMNS:
            setattr(self, key, text)
        else:
            self.extra = {**(self.extra or {}), key: text}  # a new dict: the JSON column sees only a new value


EVALUATION = "evaluation"  # the self-evaluation's place in its sheet's history (Reviewed.document)
SCORE_TEXT = 20  # a score as a file wrote it ("9.5", "9.50分"): kept to be checked, never summed


class Points(Money):
    """分值 and 得分: a Decimal kept exactly, as money is (a weight of 7.1 is 71000)."""

    cache_ok = True


class Evaluation(Reviewed, db.Model):
    """项目支出绩效自评表: the year-end self-evaluation of one approved sheet, measured row by row
    against its indicators (EvaluationRow). Its scores are not stored: scoring.py computes them
    from what is typed, so they never disagree with it. A file's own scores are kept as written
    (fields, EvaluationRow.written_score), to be checked against the rules."""

    document = EVALUATION

    __tablename__ = "evaluation"

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("goal_sheet.id", ondelete="CASCADE"), unique=True)  # one a sheet
    opening_budget: Mapped[Decimal | None] = mapped_column(Money)  # 年初预算数
    budget: Mapped[Decimal | None] = mapped_column(Money)  # 全年预算数 (A)
    spent: Mapped[Decimal | None] = mapped_column(Money)  # 全年执行数 (B)
    execution_reason: Mapped[str] = mapped_column(Text, default="")  # why 执行率 is under 90%
    achieved: Mapped[str] = mapped_column(Text, default="")  # 年度总体目标: 实际完成情况
    conclusion: Mapped[str] = mapped_column(Text, default="")  # 评价结论
    problems: Mapped[str] = mapped_column(Text, default="")  # 存在问题
    improvements: Mapped[str] = mapped_column(Text, default="")  # 改进措施
    # Texts as written by key: the 其中 rows' amounts ("fiscal:budget"), and the scores a file
    # gave ("execution_score", "total", "grade").
    fields: Mapped[dict | None] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        at_most("execution_reason", limits.EXECUTION_REASON),
        at_most("achieved", limits.GOAL_TEXT),
        at_most("conclusion", limits.EVALUATION_TEXT),
        at_most("problems", limits.EVALUATION_TEXT),
        at_most("improvements", limits.EVALUATION_TEXT),
        at_most("review_comment", limits.COMMENT),
    )

    sheet: Mapped[GoalSheet] = relationship(lazy="joined", innerjoin=True)  # every page shows its project
    rows: Mapped[list["EvaluationRow"]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan", order_by="EvaluationRow.position")

    @validates("execution_reason", "achieved", "conclusion", "problems", "improvements")
    def _text(self, key: str, value: str | None) -> str:
        return normalize(value)

    @validates("fields")
    def _fields(self, key: str, value: dict | None) -> dict:
        return {str(name): normalize(text, multiline=False) for name, text in (value or {}).items() if text}

    @property
    def unit(self) -> str:
        """Its sheet's unit: access.py decides on it as on the sheet's."""
        return self.sheet.unit

    @property
    def unit_id(self) -> int:
        return self.sheet.unit_id

    def written(self, key: str) -> str:
        return (self.fields or {}).get(key, "")


class EvaluationRow(db.Model):
    """One indicator of a self-evaluation: the approved target's row (年度指标值 read from it),
    what was achieved (实际完成值), its 分值, and why it fell short (偏差原因分析及改进措施).
    A 定性 target is scored by the band the clerk picks and a score inside it."""

    __tablename__ = "evaluation_row"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    weight: Mapped[Decimal] = mapped_column(Points, default=Decimal(0))  # 分值
    actual: Mapped[str] = mapped_column(Text, default="")  # 实际完成值, as written
    applicable: Mapped[bool] = mapped_column(default=True)  # False: left out, the total rescaled
    band: Mapped[str] = mapped_column(String(40), default="")  # 定性: scoring.ScoringRules.qualitative_bands
    chosen: Mapped[Decimal | None] = mapped_column(Points)  # 定性: the score picked inside the band
    written_score: Mapped[str] = mapped_column(String(SCORE_TEXT), default="")  # 得分 as a file wrote it
    reason: Mapped[str] = mapped_column(Text, default="")  # 偏差原因分析及改进措施
    __table_args__ = (
        UniqueConstraint("evaluation_id", "indicator_id", name="uq_evaluation_row_indicator"),
        at_most("actual", limits.INDICATOR_VALUE),
        at_most("reason", limits.EVALUATION_TEXT),
        at_most("written_score", SCORE_TEXT),
    )

    evaluation: Mapped[Evaluation] = relationship(back_populates="rows")
    # No way back from the indicator: a row being typed is never added to the session through it.
    indicator: Mapped[Indicator] = relationship(lazy="joined", innerjoin=True)

    @validates("actual", "band", "written_score")
    def _one_line(self, key: str, value: str | None) -> str:
        return normalize(value, multiline=False)

    @validates("reason")
    def _text(self, key: str, value: str | None) -> str:
        return normalize(value)



class LibraryEntry(db.Model):
    """An indicator the finance bureau adds to the library, beside the built-in 共性指标
    (library.py): suggested to every unit filling in a row of its category."""

    __tablename__ = "library_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    level1: Mapped[str] = mapped_column(String(40))
    level2: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(Text)
    value: Mapped[str] = mapped_column(Text, default="")  # as the Hunan form writes it: "≥95%"
    standard: Mapped[str] = mapped_column(String(limits.INDICATOR_STANDARD), default="")
    __table_args__ = (
        UniqueConstraint("level1", "level2", "name", name="uq_library_entry_category_name"),  # one entry a name per category
        at_most("name", limits.INDICATOR_NAME),
        at_most("value", limits.INDICATOR_VALUE),
    )

    @validates("level1", "level2", "name", "value", "standard")
    def _one_line(self, key: str, value: str | None) -> str:
        return normalize(value, multiline=False)


class SheetEvent(db.Model):
    """One change to a sheet, for its history: who, when, what, and old → new."""

    __tablename__ = "sheet_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("goal_sheet.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    action: Mapped[str] = mapped_column(String(40))
    # Which of the sheet's documents changed (Reviewed.document): the target table, a monitoring, the self-evaluation.
    document: Mapped[str] = mapped_column(String(30), default=TARGET, server_default=TARGET)
    # [[what, old, new], ...]: the changed fields, worded for the reader.
    changes: Mapped[list] = mapped_column(JSON, default=list)

    sheet: Mapped[GoalSheet] = relationship()
    user: Mapped["User | None"] = relationship(lazy="joined")  # the history names who made each change


# --- mid-year monitoring (绩效运行监控) -------------------------------------------------------


class MonitoringRound(db.Model):
    """A monitoring round the finance bureau opens for a budget year: data to the end of a month
    (截至6月), filed by a deadline. Every approved sheet of the year then has its monitoring."""

    __tablename__ = "monitoring_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    month: Mapped[int]  # 截至月份: the data run to the end of it (1–12)
    deadline: Mapped[date]
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    __table_args__ = (
        UniqueConstraint("year", "month", name="uq_monitoring_round_year_month"),  # one round per year and month
        CheckConstraint(f"year BETWEEN {limits.FIRST_YEAR} AND {limits.LAST_YEAR}", name="year_range"),
        CheckConstraint("month BETWEEN 1 AND 12", name="month_range"),
    )

    opened_by: Mapped["User | None"] = relationship()

    @property
    def months(self) -> str:
        """The months its data cover, as the forms head their columns: "1-6月" ("1月" in January)."""
        return "1月" if self.month == 1 else f"1-{self.month}月"


MONITORING = "monitoring"  # a monitoring's history names its round: "monitoring-<round id>"


class Monitoring(Reviewed, db.Model):
    """绩效运行监控表: one approved sheet measured in one round, reviewed like the sheet itself."""

    __tablename__ = "monitoring"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("monitoring_round.id", ondelete="CASCADE"), index=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("goal_sheet.id", ondelete="CASCADE"), index=True)
    initial_budget: Mapped[Decimal | None] = mapped_column(Money)  # 年初预算数
    annual_budget: Mapped[Decimal | None] = mapped_column(Money)  # 全年预算数 (as adjusted)
    spent: Mapped[Decimal | None] = mapped_column(Money)  # 1–N月执行数
    expected_spending: Mapped[Decimal | None] = mapped_column(Money)  # 全年预计执行数
    # Set by every save (monitoring.update), so a change to its rows alone moves its version:
    # a save begun from an older version is then a conflict, not an overwrite.
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("round_id", "sheet_id", name="uq_monitoring_round_sheet"),  # one a sheet per round
        at_most("review_comment", limits.COMMENT),
    )

    round: Mapped[MonitoringRound] = relationship(lazy="joined", innerjoin=True)
    # The approved target it measures; its history records the monitoring's changes too.
    sheet: Mapped[GoalSheet] = relationship(lazy="joined", innerjoin=True)
    rows: Mapped[list["MonitoringRow"]] = relationship(
        back_populates="monitoring", cascade="all, delete-orphan", order_by="MonitoringRow.position", lazy="selectin")

    @property
    def document(self) -> str:
        return f"{MONITORING}-{self.round.id}"  # the round's, not round_id: set only at the flush

    @property
    def unit(self) -> str:
        """The sheet's unit: access.py decides on a monitoring as on its sheet."""
        return self.sheet.unit

    @property
    def unit_id(self) -> int:
        return self.sheet.unit_id


class MonitoringRow(db.Model):
    """One indicator of the approved target as monitored: how far it is, where it will end, and why."""

    __tablename__ = "monitoring_row"

    id: Mapped[int] = mapped_column(primary_key=True)
    monitoring_id: Mapped[int] = mapped_column(ForeignKey("monitoring.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    current: Mapped[str] = mapped_column(Text, default="")  # 当前完成值 (1–N月执行情况)
    expected: Mapped[str] = mapped_column(Text, default="")  # 全年预计完成值
    possibility: Mapped[str] = mapped_column(String(10), default="")  # 完成目标可能性 (monitoring.POSSIBILITIES)
    cause: Mapped[str] = mapped_column(String(10), default="")  # 偏差原因 (monitoring.CAUSES)
    cause_note: Mapped[str] = mapped_column(Text, default="")  # what the cause was, in words
    remedy: Mapped[str] = mapped_column(Text, default="")  # 整改措施: written, the row needs rectifying
    note: Mapped[str] = mapped_column(Text, default="")  # 备注
    __table_args__ = (
        at_most("current", limits.INDICATOR_VALUE),
        at_most("expected", limits.INDICATOR_VALUE),
        at_most("cause_note", limits.MONITORING_TEXT),
        at_most("remedy", limits.MONITORING_TEXT),
        at_most("note", limits.MONITORING_TEXT),
    )

    monitoring: Mapped[Monitoring] = relationship(back_populates="rows")
    indicator: Mapped[Indicator] = relationship(lazy="joined", innerjoin=True)  # 年度指标值 and the categories

    @validates("current", "expected", "possibility", "cause")
    def _one_line(self, key: str, value: str | None) -> str:
        return normalize(value, multiline=False)

    @validates("cause_note", "remedy", "note")
    def _text(self, key: str, value: str | None) -> str:
        return normalize(value)


class LoginFailure(db.Model):
    """A failed login, kept for a while to slow down password guessing (in the database,
    so every worker process sees the same count)."""

    __tablename__ = "login_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), index=True)
    address: Mapped[str] = mapped_column(String(45), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class PendingUpload(db.Model):
    """A file uploaded for import, kept between its preview and its confirmation: in the database,
    so whichever server answers the confirmation has it (web/exchange/uploads.py)."""

    __tablename__ = "pending_upload"

    token: Mapped[str] = mapped_column(String(22), primary_key=True)  # unguessable; names it in the preview's form
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)  # only its uploader confirms it
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    claimed: Mapped[bool] = mapped_column(default=False)  # taken by a confirmation, until its import is stored


class YearTemplate(db.Model):
    """The form the finance bureau hands its units for a budget year: new sheets start in it,
    and copies moved to that year move to it."""

    __tablename__ = "year_template"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    template: Mapped[str] = mapped_column(String(40))

    @property
    def form_name(self) -> str:
        return get_template(self.template).name


def template_for_year(year: int | None) -> FormTemplate:
    """The bureau's form for the year; Hunan's until it chooses one."""
    chosen = db.session.get(YearTemplate, year) if year is not None else None
    return get_template(chosen.template) if chosen else DEFAULT_TEMPLATE


class Unit(db.Model):
    """填报单位: a budget unit that files sheets."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(limits.UNIT_NAME), unique=True)
    __table_args__ = (at_most("name", limits.UNIT_NAME),)

    @validates("name")
    def _one_line(self, key: str, value: str | None) -> str:
        return normalize(value, multiline=False)

    @staticmethod
    def id_named(name: str):
        """The id of the unit of this name, as a subquery: a sheet filter by the unit's name."""
        return select(Unit.id).where(Unit.name == name).scalar_subquery()


class User(UserMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(60), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(String(10))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    active: Mapped[bool] = mapped_column(default=True)
    # Part of every session's user id: bumping it ends every session of this account
    # (at logout, a password reset, deactivation).
    session_generation: Mapped[int] = mapped_column(default=1, server_default="1")

    unit: Mapped[Unit | None] = relationship(lazy="joined")  # every request asks a filler's unit

    def get_id(self) -> str:
        """Flask-Login's id in the session cookie: the account and its session generation."""
        return f"{self.id}.{self.session_generation}"

    def end_sessions(self) -> None:
        """Every session this account has open stops working at its next request."""
        self.session_generation += 1

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def name(self) -> str:
        return self.display_name or self.username

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


def unit_year_sheets(unit: str, year: int | None) -> list[GoalSheet]:
    """Every sheet of one unit and year, oldest first, indicators loaded (two queries in all)."""
    return list(
        db.session.scalars(
            select(GoalSheet)
            .where(GoalSheet.unit_id == Unit.id_named(unit), GoalSheet.year == year)
            .order_by(GoalSheet.id)
            .options(selectinload(GoalSheet.indicators))
        )
    )


def streamed(query, batch: int = 20) -> Iterator[GoalSheet]:
    """The sheets a query picks, with their rows, read a batch at a time: however many there are,
    only a batch is in memory while they are written out."""
    return iter(db.session.scalars(query.options(selectinload(GoalSheet.indicators)).execution_options(yield_per=batch)))


def previous_year_sheets(sheets: list[GoalSheet]) -> dict[tuple[str, str, int], GoalSheet]:
    """Last year's sheet of each sheet's unit and project, keyed (unit, project, year), with its rows, in one query."""
    keys = {(sheet.unit, sheet.project_name, sheet.year - 1) for sheet in sheets}
    if not keys:
        return {}
    # Stored sheets by their units' ids (the unit-year-project index then finds the rows; through the
    # units' names the year's index was read instead, every sheet of it); a file's sheets by name.
    unit_ids = {sheet.unit_id for sheet in sheets}
    units = unit_ids if None not in unit_ids else select(Unit.id).where(Unit.name.in_({unit for unit, _, _ in keys}))
    found = db.session.scalars(
        select(GoalSheet)
        # unit IN … rather than (unit, project, year) IN: the index then finds the rows.
        .where(GoalSheet.unit_id.in_(units), GoalSheet.year.in_({year for _, _, year in keys}),
               GoalSheet.project_name.in_({name for _, name, _ in keys}))
        .order_by(GoalSheet.id.desc())  # of two with one name, the older is the one compared with
        .options(joinedload(GoalSheet.indicators))
    ).unique()
    by_key = {(sheet.unit, sheet.project_name, sheet.year): sheet for sheet in found}
    return {key: sheet for key, sheet in by_key.items() if key in keys}


def previous_year_sheet(sheet: GoalSheet) -> GoalSheet | None:
    """Last year's sheet of the same unit and project, to compare targets with."""
    return previous_year_sheets([sheet]).get((sheet.unit, sheet.project_name, sheet.year - 1))


def add_unless_named_twice(sheet: GoalSheet) -> GoalSheet | None:
    """Write the new sheet (not yet committed) and return an older one with its unit, year and
    project, if there is one: then the caller rolls back. Two created at once cannot both pass:
    PostgreSQL first locks the name; on SQLite the write waits for the other writer's commit."""
    if db.engine.dialect.name == "postgresql":
        name = f"{sheet.unit}\n{sheet.year}\n{sheet.project_name}"
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": name})
    db.session.flush()
    return db.session.scalars(
        select(GoalSheet).where(GoalSheet.unit_id == sheet.unit_id, GoalSheet.year == sheet.year,
                                GoalSheet.project_name == sheet.project_name, GoalSheet.id != sheet.id).order_by(GoalSheet.id)
    ).first()


def unit_named(name: str) -> Unit:
    """The unit of this name, made (and added to the session) if there is none yet."""
    return _stored_or_new_unit(db.session, normalize(name, multiline=False))
