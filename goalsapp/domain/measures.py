"""An indicator's value as written, understood: 指标性质 (nature), a number and a 度量单位 (unit).

"≥95%" is (≥, 95, %); "不超过30万元" (≤, 30, 万元); "95%以上" (≥, 95, %); "每户300元" (＝, 300, 元/户);
"按时完成", "12月底前", "较上年提高" are 定性. A sheet keeps the text as written; this reads it for
the 101-style columns (指标性质/指标值/度量单位), for scoring (scoring.py) and for the monitoring
lights (lights.py), and `written` turns the parts a clerk edits back into the form's text. What a
row keeps beside its text (a file's own spelling of those columns, the clerk's own reading) and
how it is read with it: `of`, `cells`, `from_cells`, `chosen` (Indicator.measure asks `of`).
Pure: no model, no request.
"""
import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from . import limits, values
from .frameworks import STANDARDS

AT_LEAST, AT_MOST, EQUAL, MORE_THAN, LESS_THAN, QUALITATIVE = "≥", "≤", "＝", "＞", "＜", "定性"
# The 101-style forms' 指标性质 (财预〔2021〕101号), written as they print them: full-width ＝ ＞ ＜.
NATURES = (AT_LEAST, AT_MOST, EQUAL, MORE_THAN, LESS_THAN, QUALITATIVE)
QUANTITATIVE = (AT_LEAST, AT_MOST, EQUAL, MORE_THAN, LESS_THAN)
REVERSE = (AT_MOST, LESS_THAN)  # 反向: less is better

# A bare number ("100%", "7个", "0次") is ＝. The 101-style tables themselves write rates that way
# ("＝ 100 %" for 验收合格率, "＝ 0 次" for 事故), and scoring treats ＝ like ≥ except at zero
# (domain.md's scoring rules): "0次" must then mean "none", never "at least none", which ≥ would
# give full marks whatever happened. It also keeps the text: ＝ is written without its sign,
# so "7个" reads back as "7个".
BARE_NUMBER_NATURE = EQUAL

# Before the number: a sign or words saying the same (after NFKC, so ＞ is ">", ＝ is "=").
NATURE_BEFORE = {
    ">=": AT_LEAST, "≥": AT_LEAST, "≧": AT_LEAST, "⩾": AT_LEAST,
    "不低于": AT_LEAST, "不少于": AT_LEAST, "不小于": AT_LEAST, "至少": AT_LEAST,
    "大于等于": AT_LEAST, "大于或等于": AT_LEAST, "达到": AT_LEAST, "达": AT_LEAST,
    "<=": AT_MOST, "≤": AT_MOST, "≦": AT_MOST, "⩽": AT_MOST,
    "不高于": AT_MOST, "不超过": AT_MOST, "不多于": AT_MOST, "不大于": AT_MOST, "至多": AT_MOST,
    "最多": AT_MOST, "小于等于": AT_MOST, "小于或等于": AT_MOST, "控制在": AT_MOST,
    ">": MORE_THAN, "大于": MORE_THAN, "高于": MORE_THAN, "超过": MORE_THAN, "多于": MORE_THAN,
    "<": LESS_THAN, "小于": LESS_THAN, "低于": LESS_THAN, "少于": LESS_THAN,
    "=": EQUAL, "等于": EQUAL,
}
# After it: "1次以上" is ≥1次. 以上, 以下 and 以内 include the number and 超过 does not
# (民法典 第一千二百五十九条), so 以上 is ≥ and 超过 is ＞.
NATURE_AFTER = {"及以上": AT_LEAST, "或以上": AT_LEAST, "以上": AT_LEAST,
                "及以下": AT_MOST, "或以下": AT_MOST, "以下": AT_MOST, "以内": AT_MOST, "内": AT_MOST}
UPWARD, DOWNWARD = (AT_LEAST, MORE_THAN), (AT_MOST, LESS_THAN)

# A unit naming a point in time ("12月底前", "6月中旬", "年初") is a date said in words: 定性.
DATE_IN_WORDS = re.compile(r"[年月日号旬季度][前后底初末中]")
UNIT_MAX = 6  # longer than any unit ("万头(只)", "元/课时"); past it the text is a sentence
DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"  # "42", "3.5", "2,000"
PLAIN_NUMBER = re.compile(rf"[-+]?{DIGITS}")


def _alternatives(words) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


MEASURE = re.compile(
    rf"(?P<before>{_alternatives(NATURE_BEFORE)})?"
    r"(?:每(?P<per>\D{1,3}?)|(?P<average>\D)均)?"  # "每户300元", "人均500元": a rate per something
    rf"(?P<number>{DIGITS})"
    rf"(?P<unit>[^\d,;:。、!?]{{0,{UNIT_MAX}}}?)"
    rf"(?P<after>{_alternatives(NATURE_AFTER)})?"
)
# "100%(历史标准)": a whole-department form puts the value's 绩效标准 after it.
STANDARD_NOTE = re.compile(rf"\((?:{'|'.join(STANDARDS)})\)$")


@dataclass(frozen=True)
class Measure:
    """A value understood: 定性 has no number and no unit, and `written` is what the form says."""

    nature: str  # one of NATURES
    number: Decimal | None
    unit: str
    written: str

    @property
    def quantitative(self) -> bool:
        return self.nature in QUANTITATIVE and self.number is not None

    @property
    def reverse(self) -> bool:
        """≤ and ＜: the smaller the better (反向指标)."""
        return self.nature in REVERSE


def qualitative(text: str) -> Measure:
    return Measure(QUALITATIVE, None, "", text.strip())


def parse(text: str) -> Measure:
    """A value as a Hunan or MOF row writes it ("≥95%", "7个", "不超过30万元"); not understood: 定性."""
    match = MEASURE.fullmatch(_plain(text))
    if not match or not _is_unit(match.group("unit")):
        return qualitative(text)
    nature = _nature(match.group("before"), match.group("after"))
    if nature is None:
        return qualitative(text)
    per = match.group("per") or match.group("average")
    unit = f"{match.group('unit')}/{per}" if per else match.group("unit")
    return Measure(nature, Decimal(match.group("number").replace(",", "")), unit, text.strip())


def from_parts(nature: str, value: str, unit: str = "") -> Measure:
    """A 101-style row's three columns (指标性质, 指标值, 度量单位) understood as one value, written
    as a Hunan row would write it ("≥" "95" "%" is "≥95%"); a blank 指标性质 reads the value alone."""
    sign = nature_of(nature)
    if sign == QUALITATIVE:
        return qualitative(value)
    if sign is None and nature.strip():
        return qualitative(f"{nature.strip()}{value.strip()}{unit.strip()}")
    measure = parse(f"{sign or ''}{value.strip()}{unit.strip()}")
    if sign is not None and measure.nature != sign:
        return qualitative(f"{nature.strip()}{value.strip()}{unit.strip()}")  # "≥" in its column, "30以内" in the value
    return replace(measure, written=written(measure)) if measure.quantitative else measure


def nature_of(text: str) -> str | None:
    """A 指标性质 as written ("≥", ">=", "=", "＝", "定性") in the NATURES spelling; None for anything else."""
    text = unicodedata.normalize("NFKC", text).strip()
    if text == QUALITATIVE:
        return QUALITATIVE
    return NATURE_BEFORE.get(text) if text and not text[0].isalnum() else None


def written(measure: Measure) -> str:
    """The form's text for a value: "≥95%", "7个" (＝ needs no sign), a 定性 value as written."""
    if not measure.quantitative:
        return measure.written
    sign = "" if measure.nature == BARE_NUMBER_NATURE else measure.nature
    return f"{sign}{format_number(measure.number)}{measure.unit}"


def tag(measure: Measure) -> str:
    """How a value is understood, for the clerk to check: "≥ 95 %", "定性"; nothing for no value."""
    if measure.quantitative:
        return f"{measure.nature} {format_number(measure.number)} {measure.unit}".strip()
    return QUALITATIVE if measure.written else ""


def from_tag(text: str, tag_text: str) -> Measure:
    """The reading a tag wrote ("≥ 12 期", "定性") of a value's text: as the clerk had marked it."""
    nature, _, rest = tag_text.strip().partition(" ")
    number, _, unit = rest.partition(" ")
    measure = from_parts(nature, number, unit) if nature != QUALITATIVE else qualitative(text)
    return replace(measure, written=text.strip())


def format_number(number: Decimal) -> str:
    """As a clerk writes it: "2000", never "2E+3"; the places the number has are kept ("95.50")."""
    return format(number, "f")


# --- a row's value as stored --------------------------------------------------------------------
# A row keeps its value as one text (Indicator.value: "≥95%", "按时完成"): the truth, read by
# `parse`. Beside it (Indicator.extra), and only where that text alone would not give them
# back, three cells as a 101-style form has them: 指标性质 ("nature"), 指标值 ("number") and
# 度量单位 ("measure"). They hold a file's cells where it spells them its own way (">=",
# "1,200", a blank 指标性质) and the clerk's own reading of a value ("100%" marked 定性; a
# sentence read as ≥ 12 期). A row stored before values were one text (the 指标值 alone, its
# 指标性质 and 度量单位 beside it) reads the same way.
GIVEN = ("nature", "number", "measure")


def of(text: str, given: dict[str, str]) -> Measure:
    """A stored row's value understood: the text as `parse` reads it, the cells given beside it
    taking the place of what the text says (a 101-style row's three cells, as from_parts reads them)."""
    read = parse(text)
    if not any(key in given for key in GIVEN):
        return read
    nature, number, unit = (given.get(key, cell) for key, cell in zip(GIVEN, plain_cells(read)))
    return replace(from_parts(nature, number, unit), written=text.strip())


def cells(text: str, given: dict[str, str]) -> tuple[str, str, str]:
    """A stored row's 指标性质, 指标值 and 度量单位 as a 101-style form prints them: the cells
    given, else as its value is understood ("≥95%" is "≥" "95" "%"; "按时完成" is "定性" "按时完成" "")."""
    return tuple(given.get(key, cell) for key, cell in zip(GIVEN, plain_cells(of(text, given))))


def plain_cells(measure: Measure) -> tuple[str, str, str]:
    if measure.quantitative:
        return measure.nature, format_number(measure.number), measure.unit
    return (QUALITATIVE, measure.written, "") if measure.written else ("", "", "")


def from_cells(nature: str, value: str, unit: str, as_written: bool = True) -> tuple[str, dict[str, str]]:
    """A 101-style row's three cells as a row keeps them: the value in one text ("≥" "95" "%" is
    "≥95%") and, from a file (as_written), the cells that text would not give back as written:
    `cells` then gives back exactly these three, and `of` reads what from_parts does. Typed in
    the editor, a value understood is kept in the form's own spelling (">=" is "≥")."""
    measure = from_parts(nature, value, unit)
    text = measure.written if len(measure.written) <= limits.INDICATOR_VALUE else value.strip()
    given = kept(text, replace(measure, written=text))
    if cells(text, given) != (nature, value, unit) and (as_written or not measure.quantitative):
        given = dict(zip(GIVEN, (nature, value, unit)))
    return text, given


def chosen(text: str, nature: str, number: str, unit: str) -> tuple[str, dict[str, str]]:
    """A value as the clerk typed it with the reading they chose for it, as a row keeps them. A
    text read otherwise (or none) follows the parts ("≥95%" marked ≤ becomes "≤95%"); a text
    the parser cannot read keeps its words, with the clerk's reading beside it; a text read
    the same way stays as typed ("95%以上")."""
    sign = nature_of(nature)
    measure = qualitative(text) if sign == QUALITATIVE else from_parts(nature, number, unit)
    if sign is None or sign in QUANTITATIVE and not measure.quantitative:
        return text.strip(), {}  # no reading (refusal says why): the text is read as it is
    read = parse(text)
    if measure.quantitative and not same(read, measure) and (read.quantitative or not text.strip()):
        text = written(measure)
    return text.strip(), kept(text, replace(measure, written=text.strip()))


def kept(text: str, measure: Measure) -> dict[str, str]:
    """What a row keeps beside its text for it to read as the measure: nothing when the text says it."""
    if same(parse(text), measure):
        return {}
    if not measure.quantitative:
        return {"nature": QUALITATIVE}
    return dict(zip(GIVEN, plain_cells(measure)))


def same(one: Measure, other: Measure) -> bool:
    """Understood alike (however each is written)."""
    return (one.nature, one.number, one.unit) == (other.nature, other.number, other.unit)


def refusal(nature: str, number: str, unit: str, number_label: str = "数值") -> tuple[str, str] | None:
    """Why a reading cannot be kept, as (the part to fix: "number" or "measure", what to say):
    a 指标性质 that compares (≥ ≤ ＝ ＞ ＜) needs a number, and a 度量单位 that reads as one."""
    sign = nature_of(nature)
    if sign not in QUANTITATIVE or from_parts(nature, number, unit).quantitative:
        return None
    if not number.strip():
        return "number", f"指标性质为“{sign}”，请填写{number_label}"
    if parse_number(number) is None and not parse(f"{sign}{number.strip()}").quantitative:
        return "number", f"指标性质为“{sign}”，{number_label}应为数字（现为“{number.strip()}”）"
    return "measure", f"度量单位“{unit.strip()}”无法理解，请只写单位，如 %、个、万元"


def parse_number(text: str) -> Decimal | None:
    """A plain number ("42", "-3.5", "1,200", full-width "９０"); None for anything else."""
    text = unicodedata.normalize("NFKC", text).strip()
    if not PLAIN_NUMBER.fullmatch(text):
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None


def comparable(target: Measure, actual: Measure) -> tuple[Decimal, Decimal] | None:
    """The target's and the actual's numbers in the target's unit; a side written without a unit
    is taken in the other's ("98" against "≥95%", "0次" against "=0"). None when either has no
    number or the units cannot be converted."""
    if not (target.quantitative and actual.number is not None):
        return None
    if not (target.unit and actual.unit):
        return target.number, actual.number
    in_target_unit = in_unit(actual, target.unit)
    return None if in_target_unit is None else (target.number, in_target_unit)


def in_unit(measure: Measure, unit: str) -> Decimal | None:
    """The measure's number expressed in another unit: the same unit, money between 元, 万 and 万元
    (values.MONEY_UNITS, as the header's amounts), or 万/亿 before any unit ("1.5万吨" is 15000吨)."""
    if measure.number is None:
        return None
    mine, theirs = _plain(measure.unit), _plain(unit)
    if mine == theirs:
        return measure.number
    if mine in values.MONEY_UNITS and theirs in values.MONEY_UNITS and "" not in (mine, theirs):
        return values.in_unit(measure.number * values.MONEY_UNITS[mine], theirs)
    mine_base, mine_times = _scaled(mine)
    theirs_base, theirs_times = _scaled(theirs)
    if mine_base != theirs_base or not mine_base:
        return None
    return measure.number * mine_times / theirs_times


# --- helpers ----------------------------------------------------------------------------------

MULTIPLIERS = {"万": Decimal(10) ** 4, "亿": Decimal(10) ** 8}


def _scaled(unit: str) -> tuple[str, Decimal]:
    """"万吨" is ("吨", 10000): the base unit and how many of it one of the unit is."""
    if len(unit) > 1 and unit[0] in MULTIPLIERS:
        return unit[1:], MULTIPLIERS[unit[0]]
    return unit, Decimal(1)


def _plain(text: str) -> str:
    """Full-width folded (＞ ％ ９ are > % 9), no blanks, a trailing "(历史标准)" dropped."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return STANDARD_NOTE.sub("", text)


def _is_unit(unit: str) -> bool:
    """Not a date in words, not a 以上 in the middle ("95以上%"), a percentage only as "%"."""
    if DATE_IN_WORDS.search(unit) or any(word in unit for word in NATURE_AFTER):
        return False
    return "%" not in unit or unit == "%"


def _nature(before: str | None, after: str | None) -> str | None:
    """The nature the words before and after the number give; None when they disagree
    ("≤30%以上"). A sign before wins over a suffix going the same way ("超过90%以上" is ＞)."""
    first, second = NATURE_BEFORE.get(before or ""), NATURE_AFTER.get(after or "")
    if first is None or first == EQUAL and second is not None:
        return second or first or BARE_NUMBER_NATURE
    if second is None or any(first in side and second in side for side in (UPWARD, DOWNWARD)):
        return first
    return None
