"""Template filters: how money and year-months read on screen and on paper."""
from datetime import date
from decimal import Decimal


def money(amount: Decimal | None) -> str:
    """万元 as a clerk writes it: 14, 2.4, 0.0001; nothing for no amount."""
    if amount is None:
        return ""
    return format(amount.normalize(), "f")


def year_month(day: date | None) -> str:
    """2021.1, the paper form's way of writing a month."""
    return f"{day.year}.{day.month}" if day else ""
