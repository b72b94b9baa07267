"""Values as forms write them, understood: amounts ("250万", "3,309,840.00" in 元) and periods
("2021.1-2021.12", "2023.07-2024.01", "2021年"). Sheets keep the text as written; these parse
it to check it and to add it up. Used by the readers and the editor alike."""
import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from . import limits

QUANTUM = Decimal("0.0001")  # 万元 to 4 places: one yuan
MAX_AMOUNT = 10**10  # 万元; far beyond any project, and within what the database stores exactly
# How many 万元 one of the form's money unit is.
MONEY_UNITS = {"万元": Decimal(1), "万": Decimal(1), "元": Decimal("0.0001"), "": Decimal(1)}
AMOUNT = re.compile(r"^(?P<number>[-+]?[\d.]+)\s*(?P<unit>万元|万|元)?$")



class NotANumber(ValueError):
    pass


class TooLarge(ValueError):
    pass


class TooPrecise(ValueError):
    pass


YEAR_MONTH = r"(\d{4})\s*[.．/\-年]\s*(\d{1,2})\s*月?"
PERIOD = re.compile(rf"^(?:{YEAR_MONTH})?(?:-|—|–|~|～|至|到)(?:{YEAR_MONTH})?$")
WHOLE_YEAR = re.compile(r"^(\d{4})\s*年?(?:度|全年)?$")


def parse_money(text: str, unit: str = "万元") -> Decimal | None:
    """An amount written in the form's money unit (or naming its own: "250万"), in 万元 exact
    to 0.0001; None for nothing written; ValueError says what is wrong."""
    text = unicodedata.normalize("NFKC", text).replace(",", "").replace("，", "").strip()
    if not text:
        return None
    match = AMOUNT.match(text)
    try:
        amount = Decimal(match.group("number")) if match else Decimal(text)
    except InvalidOperation:
        raise NotANumber(f"金额“{text}”不是数字") from None
    if not amount.is_finite():
        raise NotANumber(f"金额“{text}”不是数字")
    amount *= MONEY_UNITS[(match and match.group("unit")) or unit]
    if abs(amount) >= MAX_AMOUNT:  # before quantize, which a huge number would overflow
        raise TooLarge(f"金额过大（应小于{MAX_AMOUNT:,}万元）")
    if amount != amount.quantize(QUANTUM):
        raise TooPrecise(f"金额“{text}”最多保留4位小数（0.0001万元即1元）")
    return amount


def written_amount(text: str, unit: str = "万元") -> Decimal | None:
    """An amount a form keeps as written (a sub-table's 预算金额, Anhui's 其中：财政拨款): it must
    still be one (parse_money), and not below zero. A file and the editor are held to this alike."""
    amount = parse_money(text, unit)
    if amount is not None and amount < 0:
        raise ValueError("金额不能为负数")
    return amount


def in_unit(amount: Decimal, unit: str) -> Decimal:
    """An amount of 万元 expressed in a form's money unit (元: ten thousand times as many)."""
    return amount / MONEY_UNITS[unit]


def parse_year_month(text: str) -> date:
    """One year-month as clerks write it: 2021.1, 2021.01, 2021-01, 2021年1月."""
    match = re.fullmatch(YEAR_MONTH, unicodedata.normalize("NFKC", text).strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError("请按“2021.1”的样子填写年月")
    if not limits.PERIOD_FIRST_YEAR <= int(match.group(1)) <= limits.PERIOD_LAST_YEAR:
        raise ValueError(f"年份应在{limits.PERIOD_FIRST_YEAR}至{limits.PERIOD_LAST_YEAR}之间")
    return _month(match.group(1), match.group(2))


def parse_period(text: str) -> tuple[date | None, date | None]:
    """项目支出实施期 as written ("2021.1-2021.12", "2021年"); an end before the start is kept."""
    text = unicodedata.normalize("NFKC", text).replace(" ", "")
    if not text:
        return None, None
    if match := WHOLE_YEAR.match(text):
        return _month(match.group(1), "1"), _month(match.group(1), "12")
    match = PERIOD.match(text)
    if match and any(match.groups()):
        start_year, start_month, end_year, end_month = match.groups()
        if all(month is None or 1 <= int(month) <= 12 for month in (start_month, end_month)):
            return _month(start_year, start_month), _month(end_year, end_month)
    raise ValueError(f"项目支出实施期“{text}”无法识别，应写作“2021.1-2021.12”")


def format_period(start: date | None, end: date | None) -> str:
    """The paper form's way: 2021.1-2021.12 (parse_period reads it back)."""
    if not (start or end):
        return ""
    return f"{format_month(start)}-{format_month(end)}"


def format_month(day: date | None) -> str:
    return f"{day.year}.{day.month}" if day else ""


def _month(year: str | None, month: str | None) -> date | None:
    if year and not limits.PERIOD_FIRST_YEAR <= int(year) <= limits.PERIOD_LAST_YEAR:
        raise ValueError(f"实施期的年份{year}应在{limits.PERIOD_FIRST_YEAR}至{limits.PERIOD_LAST_YEAR}之间")
    return date(int(year), int(month), 1) if year else None
