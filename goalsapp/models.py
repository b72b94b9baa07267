"""The stored data: a goal sheet (one project, one year) and its indicator rows."""
from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, ForeignKey, String, Text, TypeDecorator, select
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from .extensions import db
from .frameworks import DEFAULT_FRAMEWORK


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


class GoalSheet(db.Model):
    """项目支出绩效目标表: one project of one unit in one budget year."""

    __tablename__ = "goal_sheet"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit: Mapped[str] = mapped_column(String(100), index=True)
    year: Mapped[int] = mapped_column(index=True)
    framework: Mapped[str] = mapped_column(String(40), default=DEFAULT_FRAMEWORK.code)
    project_name: Mapped[str] = mapped_column(String(200))
    budget_dept: Mapped[str] = mapped_column(String(100), default="")
    local_budget: Mapped[Decimal] = mapped_column(Money)
    higher_funds: Mapped[Decimal | None] = mapped_column(Money)
    # Year-months, stored as the first day of the month.
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    period_goal: Mapped[str] = mapped_column(Text, default="")
    annual_goal: Mapped[str] = mapped_column(Text, default="")

    indicators: Mapped[list["Indicator"]] = relationship(
        back_populates="sheet",
        cascade="all, delete-orphan",
        order_by="Indicator.position",
    )

    def next_position(self) -> int:
        return max((i.position for i in self.indicators), default=0) + 1


class Indicator(db.Model):
    """One level-3 row of the indicator table (三级指标, 指标值及单位, 绩效标准)."""

    __tablename__ = "indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("goal_sheet.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    level1: Mapped[str] = mapped_column(String(40))
    level2: Mapped[str] = mapped_column(String(40))
    # Text, not String(100): an imported table keeps what it says; the 100-character
    # limit is the editor's and the review's to enforce.
    name: Mapped[str] = mapped_column(Text)
    value: Mapped[str] = mapped_column(Text, default="")
    standard: Mapped[str] = mapped_column(String(20), default="")

    sheet: Mapped[GoalSheet] = relationship(back_populates="indicators")


def unit_year_sheets(unit: str, year: int | None) -> list[GoalSheet]:
    """Every sheet of one unit and year, oldest first, indicators loaded (two queries in all)."""
    return list(
        db.session.scalars(
            select(GoalSheet)
            .where(GoalSheet.unit == unit, GoalSheet.year == year)
            .order_by(GoalSheet.id)
            .options(selectinload(GoalSheet.indicators))
        )
    )


def previous_year_sheet(sheet: GoalSheet) -> GoalSheet | None:
    """Last year's sheet of the same unit and project, to compare targets with."""
    return db.session.scalars(
        select(GoalSheet)
        .where(GoalSheet.unit == sheet.unit, GoalSheet.year == sheet.year - 1, GoalSheet.project_name == sheet.project_name)
        .order_by(GoalSheet.id)
    ).first()
