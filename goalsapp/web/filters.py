"""Template filters: how money, periods and values read on screen and on paper."""
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from ..domain import measures
from ..domain.values import format_period, in_unit


def money(amount: Decimal | None, unit: str = "万元") -> str:
    """An amount (kept in 万元) as a clerk writes it in the unit given: 14, 2.4, 0.0001 万元,
    or 3309840 元; nothing for no amount."""
    if amount is None:
        return ""
    return format(in_unit(amount, unit).normalize(), "f")


def period(sheet) -> str:
    """项目支出实施期 as on the paper form: 2021.1-2021.12."""
    return format_period(sheet.period_start, sheet.period_end)


def understood(indicator, form) -> str:
    """How a row's value is understood, for the clerk to check ("≥ 95 %", "定性"); on a 101-style
    form only where its own cells do not already say so (">=" in 指标性质, a blank one)."""
    if form.splits_value and measures.cells(indicator.value, indicator.given) == measures.plain_cells(indicator.measure):
        return ""
    return measures.tag(indicator.measure)


def lines(text: str) -> Markup:
    """A label or title as the paper breaks it: each line escaped, a <br> between them."""
    return Markup("<br>").join(escape(line) for line in text.split("\n"))


BEIJING = ZoneInfo("Asia/Shanghai")  # the app serves one country, one time zone


def local_time(moment: datetime) -> str:
    """A stored UTC time as people here read it: 2026-11-28 14:03."""
    if moment.tzinfo is None:  # SQLite hands back naive datetimes; they were stored as UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
