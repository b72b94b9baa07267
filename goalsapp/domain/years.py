"""Years written in a sheet's texts: which belong to the sheet, moving them to another year,
and finding the ones that fit neither the sheet's year nor its 实施期.

What counts as a written year (everything else is left alone, so an amount or a count is
never taken for a year):

- four digits, half- or full-width, followed by 年 (also 年度, 年底): "2021年12月底", "２０２１年";
- four digits followed by . - / and a month 1-12: "2021.12", "2021-6", "2021/01" (not
  "2021.5万元": an amount);
- four digits starting a range to another such year: the 2021 in "2021-2023年";
- four Chinese numerals followed by 年: "二〇二一年", "二零二一年".

A sheet's own years are its budget year and the years its 实施期 spans (start to end; a
period whose end comes before its start spans nothing, so the seed's "2021.1-2020.12" gives
2021 only). A sheet whose form has no 实施期 end (Anhui's 项目期 "3年", Sichuan) may name
any later year: its 中期目标 reaches as far as the project does. A year that is the base of a comparison ("较2020年增长", "与2020年相比",
"2020年同期", "不低于2020年水平") names a fixed past the target is measured against: it is
never moved, and it fits any sheet of a later year (or the same one).

Copying a sheet moves its own years by the copy's distance (the 实施期 moves the same way);
review flags every other year that is no comparison base.
"""
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from . import limits

FULL_WIDTH = str.maketrans("０１２３４５６７８９．－／", "0123456789.-/")
CHINESE_DIGITS = "〇一二三四五六七八九"
ZEROS = "〇零○"  # all written for 0 in a year
RANGE = r"[-—–~～至到]"
MONTH = r"(?:1[0-2]|0?[1-9])"
# On text with full-width digits and marks made half-width (one character for one, so the
# places found are the original text's places).
DIGIT_YEAR = re.compile(
    r"(?<![\d.])(?P<year>\d{4})(?!\d)"
    r"(?=\s*年"  # 2021年
    rf"|[./-]{MONTH}(?![\d.%％万元])"  # 2021.12, 2021-6
    rf"|\s*{RANGE}\s*\d{{4}}\s*(?:年|[./-]{MONTH}))"  # 2021-2023年
)
CHINESE_YEAR = re.compile(rf"(?<![{CHINESE_DIGITS}{ZEROS}])(?P<year>[{CHINESE_DIGITS}{ZEROS}]{{4}})(?=\s*年)")
# A comparison's base: the words just before the year, or just after its 年.
BASE_BEFORE = ("较", "比", "相较", "相较于", "相对", "相对于", "对比")
BASE_AFTER = ("同期", "相比", "比较", "对比", "为基", "基数", "水平", "的水平")
_BEFORE = re.compile(rf"(?:{'|'.join(BASE_BEFORE)})\s*$")
_AFTER = re.compile(rf"^\s*年?度?(?:底|末|初)?(?:{'|'.join(BASE_AFTER)})")


@dataclass(frozen=True)
class WrittenYear:
    """A year as it stands in a text: its value, where its digits are, and whether it is a
    comparison's base."""

    year: int
    start: int
    end: int
    written: str  # the digits as written: "2021", "２０２１", "二〇二一"
    base: bool


def years_in(text: str) -> list[WrittenYear]:
    """Every written year in the text, in order."""
    probe = text.translate(FULL_WIDTH)
    found = [(match, int(match.group("year"))) for match in DIGIT_YEAR.finditer(probe)]
    found += [(match, _chinese_value(match.group("year"))) for match in CHINESE_YEAR.finditer(probe)]
    return [
        WrittenYear(year, match.start(), match.end(), text[match.start():match.end()], _is_base(probe, match.start(), match.end()))
        for match, year in sorted(found, key=lambda pair: pair[0].start())
        if limits.PERIOD_FIRST_YEAR <= year <= limits.PERIOD_LAST_YEAR
    ]


def own_years(year: int | None, period_start: date | None, period_end: date | None) -> frozenset[int]:
    """The sheet's year and every year its 实施期 spans (none when its end is before its start)."""
    own = {year} if year is not None else set()
    if period_start and period_end:
        own.update(range(period_start.year, period_end.year + 1))
    else:
        own.update(day.year for day in (period_start, period_end) if day)
    return frozenset(own)


def move_years(text: str, own: Collection[int], by: int) -> str:
    """The text with each of the sheet's own years moved by `by` years, written as it was
    (full-width stays full-width, 〇 stays 〇); comparison bases and other years stay."""
    return _moved(text, [written for written in years_in(text) if written.year in own and not written.base], by)


def move_every_year(text: str, by: int) -> str:
    """The text with every written year moved: a 实施期 as written moves whole, as its dates do."""
    return _moved(text, years_in(text), by)


def stray_years(text: str, sheet_year: int, own: Collection[int], later_fits: bool = False) -> list[WrittenYear]:
    """The years written in the text that fit neither the sheet's year nor its 实施期, once
    each; a comparison base fits when it is not after the sheet's year. later_fits: a sheet
    with no 实施期 end says nothing of how far its goals reach ("项目期 3年", "到2027年建成"),
    so only an earlier year is out of place in it."""
    stray, seen = [], set()
    for written in years_in(text):
        fits = written.year in own or (written.base and written.year <= sheet_year) or (later_fits and written.year > sheet_year)
        if not fits and written.year not in seen:
            seen.add(written.year)
            stray.append(written)
    return stray


def _moved(text: str, years: list[WrittenYear], by: int) -> str:
    out, at = [], 0
    for written in years:
        out += [text[at:written.start], _write_like(written.year + by, written.written)]
        at = written.end
    return "".join(out) + text[at:]


def _write_like(year: int, model: str) -> str:
    """A year in the manner of another: Chinese numerals with its zero, full- or half-width digits."""
    digits = str(year)
    if model[0] in CHINESE_DIGITS + ZEROS:
        zero = next((char for char in model if char in ZEROS), "〇")
        return "".join(zero if digit == "0" else CHINESE_DIGITS[int(digit)] for digit in digits)
    if model[0] != model[0].translate(FULL_WIDTH):
        return digits.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return digits


def _chinese_value(numerals: str) -> int:
    return int("".join("0" if char in ZEROS else str(CHINESE_DIGITS.index(char)) for char in numerals))


def _is_base(probe: str, start: int, end: int) -> bool:
    return bool(_BEFORE.search(probe[max(0, start - 4):start]) or _AFTER.match(probe[end:end + 8]))
