"""A generated county for the benchmark: units × projects × years × indicators, as a finance bureau holds them.

Written with core bulk inserts (executemany of plain rows: the ORM would take minutes for 130,000
rows), the same way on SQLite and PostgreSQL. Ids are left to the database; the sheets' are read
back to attach their rows and history, so a PostgreSQL sequence ends where the data does.

What is in it, so the pages work as they do for a real bureau: every unit files the same projects
each year (last year's sheet is there to compare with); the older years are approved, the newest
is in review (a third of it waits in the queue, some sent back, some drafts, some approved); each
sheet has its history (created, a row added twelve times, submitted, decided).
"""
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import insert, select

from goalsapp.domain.formtemplates import DEFAULT_TEMPLATE
from goalsapp.domain.models import GoalSheet, Indicator, Role, SheetEvent, Status, Unit, User
from goalsapp.extensions import db

# (level1, level2, name, value, standard): a sheet's twelve rows, the kind a county's units write.
ROWS = (
    ("产出指标", "数量指标", "培训人次", "≥{n}人次", "计划标准"),
    ("产出指标", "数量指标", "覆盖乡镇数", "{k}个", "计划标准"),
    ("产出指标", "质量指标", "验收合格率", "100%", "行业标准"),
    ("产出指标", "质量指标", "资金使用合规率", "100%", "行业标准"),
    ("产出指标", "时效指标", "项目完成时间", "{year}年12月底前", "计划标准"),
    ("产出指标", "成本指标", "项目总成本", "≤{budget}万元", "计划标准"),
    ("效益指标", "经济效益指标", "带动就业人数", "≥{k}人", "历史标准"),
    ("效益指标", "社会效益指标", "政策知晓率", "≥{pct}%", "历史标准"),
    ("效益指标", "社会效益指标", "群众参与率", "≥{pct}%", "计划标准"),
    ("效益指标", "生态效益指标", "环境投诉下降率", "≥5%", "其他标准"),
    ("效益指标", "可持续影响指标", "长效机制建立情况", "建立", "其他标准"),
    ("效益指标", "社会公众或服务对象满意度指标", "服务对象满意度", "≥{pct}%", "行业标准"),
)
PROJECTS = ("办公设备购置", "业务培训", "信息化建设", "宣传教育", "专项调研", "设施维护", "人才引进",
            "应急保障", "基层服务", "档案整理", "安全生产", "课题研究")
# The newest year's sheets by project number: drafts, in the queue, sent back, approved.
NEWEST_STATUS = (Status.DRAFT,) * 4 + (Status.SUBMITTED,) * 4 + (Status.RETURNED,) * 2 + (Status.APPROVED,) * 2
FIRST_YEAR = 2023
CLERK, BUREAU = "bench-clerk", "bench"  # who filled the sheets in, and who measures (a 管理员)
PASSWORD = "bench-password"


@dataclass(frozen=True)
class Size:
    """How big the county is: units × projects × years, each sheet with `indicators` rows."""

    name: str
    units: int
    projects: int = 12
    years: int = 3
    indicators: int = 12

    @property
    def sheets(self) -> int:
        return self.units * self.projects * self.years

    @property
    def newest_year(self) -> int:
        return FIRST_YEAR + self.years - 1

    def describe(self) -> str:
        return (f"{self.units} units × {self.projects} projects × {self.years} years × {self.indicators} indicators "
                f"= {self.sheets:,} sheets, {self.sheets * self.indicators:,} rows")


COUNTY = Size("county", units=300)
TENTH = Size("tenth", units=30)


def unit_name(number: int) -> str:
    return f"县第{number:03d}单位"


def fill(size: Size) -> None:
    """Write the county into the app's (empty, created) database."""
    clerk = User(username=CLERK, display_name="填报员", role=Role.ADMIN)
    bureau = User(username=BUREAU, display_name="基准", role=Role.ADMIN)
    for user in (clerk, bureau):
        user.set_password(PASSWORD)
    db.session.add_all([clerk, bureau])
    db.session.flush()
    db.session.execute(insert(Unit.__table__), [{"name": unit_name(number)} for number in range(size.units)])
    unit_ids = dict(db.session.execute(select(Unit.name, Unit.id)).all())
    db.session.execute(insert(GoalSheet.__table__), [
        _sheet(unit_ids[unit_name(unit)], year, project, clerk.id, size.newest_year)
        for year in range(FIRST_YEAR, FIRST_YEAR + size.years) for unit in range(size.units) for project in range(size.projects)
    ])
    sheets = db.session.execute(select(GoalSheet.id, GoalSheet.year, GoalSheet.status, GoalSheet.local_budget)).all()
    for chunk in range(0, len(sheets), 2000):  # a bounded batch: memory flat while building too
        part = sheets[chunk:chunk + 2000]
        db.session.execute(insert(Indicator.__table__), [row for sheet in part for row in _indicators(sheet, size.indicators)])
        db.session.execute(insert(SheetEvent.__table__), [event for sheet in part for event in _events(sheet, size.indicators, clerk.id, bureau.id)])
    db.session.commit()


def _sheet(unit_id: int, year: int, project: int, clerk_id: int, newest_year: int) -> dict:
    status = NEWEST_STATUS[project % len(NEWEST_STATUS)] if year == newest_year else Status.APPROVED
    budget = 20 + (unit_id * 7 + project * 13) % 180  # 万元
    return dict(
        unit_id=unit_id, year=year, template=DEFAULT_TEMPLATE.code, project_name=project_name(project),
        budget_dept="行政政法", local_budget=Decimal(budget), higher_funds=None,
        period_start=date(year, 1, 1), period_end=date(year, 12, 1),
        period_goal="完成项目建设任务，提升服务能力和群众满意度。", annual_goal=f"{year}年度按计划完成各项工作任务。",
        fields={}, status=status, review_comment="请补充成本测算依据。" if status == Status.RETURNED else "",
        submitted_by_id=clerk_id if status != Status.DRAFT else None,
        submitted_at=None if status == Status.DRAFT else datetime(year - 1, 11, 1, tzinfo=UTC) + timedelta(minutes=(unit_id * 97 + project * 7) % 50_000),
        updated_at=datetime(year - 1, 11, 2, tzinfo=UTC) + timedelta(minutes=(unit_id * 97 + project * 7) % 50_000),
        version=1, header_version=1,
    )


def project_name(project: int) -> str:
    """The same each year, so last year's sheet of a project is found and compared."""
    base = PROJECTS[project % len(PROJECTS)]
    return f"{base}项目" if project < len(PROJECTS) else f"{base}项目（{project // len(PROJECTS) + 1}）"


def _indicators(sheet, count: int) -> list[dict]:
    sheet_id, year, _, budget = sheet
    rows = []
    for position in range(1, count + 1):
        level1, level2, name, value, standard = ROWS[(position - 1) % len(ROWS)]
        rows.append(dict(sheet_id=sheet_id, position=position, level1=level1, level2=level2,
                         name=name if position <= len(ROWS) else f"{name}{position}",
                         value=value.format(n=100 + sheet_id % 400, k=1 + sheet_id % 20, year=year, budget=int(budget), pct=85 + sheet_id % 11),
                         standard=standard, extra={}, version=1))
    return rows


def _events(sheet, count: int, clerk_id: int, bureau_id: int) -> list[dict]:
    """The sheet's history: created, each row added, then submitted and decided as its status says."""
    sheet_id, year, status, _ = sheet
    start = datetime(year - 1, 10, 1, tzinfo=UTC) + timedelta(minutes=sheet_id * 3)
    events = [dict(sheet_id=sheet_id, user_id=clerk_id, at=start, action="create", changes=[["项目支出名称", "", "…"]])]
    events += [dict(sheet_id=sheet_id, user_id=clerk_id, at=start + timedelta(minutes=k), action="add_indicator",
                    changes=[["类别", "", "产出指标／数量指标"], ["三级指标", "", f"指标{k}"]]) for k in range(1, count + 1)]
    if status != Status.DRAFT:
        events.append(dict(sheet_id=sheet_id, user_id=clerk_id, at=start + timedelta(days=20), action="submit",
                           changes=[["状态", "草稿", "已提交"]]))
    if status in (Status.APPROVED, Status.RETURNED):
        action = "approve" if status == Status.APPROVED else "return"
        events.append(dict(sheet_id=sheet_id, user_id=bureau_id, at=start + timedelta(days=25), action=action,
                           changes=[["状态", "已提交", str(status)]]))
    return events
