"""Template filters: how money, periods and values read on screen and on paper; links to many rows."""
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import g, url_for
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from ..domain import measures
from ..domain.values import format_period, in_unit


def money(amount: Decimal | None, unit: str = "万元") -> str:
    """An amount (kept in 万元) as a clerk writes it in the unit given: 14, 2.4, 0.0001 万元,
    or 3309840 元; nothing for no amount."""
    if amount is None:
        return ""
    return format(in_unit(amount, unit).normalize(), "f")


def coordinate(x: float) -> str:
    """A point of a chart's SVG, to a tenth of a unit: finer is invisible, and longer to send."""
    return f"{x:.1f}"


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


ANY_ID = 2**31 - 1  # the largest id a URL takes (RowIdConverter): in a pattern it stands for each row's


def id_url(endpoint: str, key: str) -> str:
    """The URL of endpoint with {} where the id named `key` goes, for a page linking many rows to
    fill in (url_for builds every URL afresh: five a row were the list page's largest cost)."""
    return url_for(endpoint, **{key: ANY_ID}).replace(str(ANY_ID), "{}")


def csrf_token() -> str:
    """The form token, looked up once a request: a page with a button form on every row asks often."""
    if "shown_csrf_token" not in g:
        g.shown_csrf_token = generate_csrf()
    return g.shown_csrf_token
