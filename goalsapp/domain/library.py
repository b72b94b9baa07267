"""The indicator library (指标库) and the suggestions a clerk is offered while typing a 三级指标.

Three sources, in this order of trust: the unit's own earlier sheets (its rows of the same
category, as last written), the finance bureau's entries (stored, LibraryEntry, kept on the
admin page), and the built-in 共性指标 below. The built-in ones are data: a typical name, the
value most tables give it and the 绩效标准 it is set against. They are recalled from county
practice, not read from a published list (domain.md): correct them here, or let a bureau add
its own, which then come first.

A target is kept as the Hunan and MOF 2015 forms write it, in one text ("≥95%"); a 101-style
form's row (指标性质, 指标值, 度量单位) gets it split (form_cells).
"""
import re
import unicodedata
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter
from sqlalchemy import func, select

from ..extensions import db
from ..formats import excel, ooxml
from . import limits, measures
from .errors import ReadError
from .formtemplates import FormTemplate, label_key
from .frameworks import FRAMEWORKS, STANDARDS
from .importing import MAX_FILE_BYTES, MAX_FILE_MB, ZIP_MAGIC
from .models import GoalSheet, Indicator, LibraryEntry
from .text import normalize

PLAN, INDUSTRY, HISTORY, OTHER = STANDARDS  # 计划标准, 行业标准, 历史标准, 其他标准


@dataclass(frozen=True)
class Common:
    """A built-in 共性指标: its name, the target tables usually give it, the standard it uses."""

    name: str
    value: str
    standard: str


# --- the built-in 共性指标, by the kind of category they fit ----------------------------------

QUANTITY = (
    Common("实际完成率", "100%", PLAN),
    Common("开展活动次数", "≥1次", PLAN),
    Common("培训人次", "≥100人次", PLAN),
    Common("召开会议次数", "≥2次", PLAN),
    Common("宣传资料发放数量", "≥1000份", PLAN),
    Common("受益人数", "≥100人", PLAN),
    Common("设备购置数量", "≥1台", PLAN),
    Common("项目实施个数", "≥1个", PLAN),
)
QUALITY = (
    Common("质量达标率", "100%", INDUSTRY),
    Common("验收合格率", "100%", INDUSTRY),
    Common("培训合格率", "≥95%", INDUSTRY),
    Common("资金使用合规率", "100%", INDUSTRY),
    Common("政府采购合规率", "100%", INDUSTRY),
    Common("工作任务完成率", "≥95%", PLAN),
    Common("设备完好率", "≥95%", INDUSTRY),
)
TIMELINESS = (
    Common("项目按期完成率", "100%", PLAN),
    Common("资金到位率", "100%", PLAN),
    Common("预算执行率", "≥95%", PLAN),
    Common("资金拨付及时率", "100%", PLAN),
    Common("完成及时率", "100%", PLAN),
    Common("全年工作完成时间", "12月底前", PLAN),
)
COST = (  # amounts, as review asks of a cost indicator; a unit price is left out of their sum
    Common("人均培训成本", "≤300元/人", INDUSTRY),
    Common("单位面积建设成本", "≤3000元/平方米", INDUSTRY),
    Common("办公费", "≤1万元", PLAN),
    Common("培训费", "≤2万元", PLAN),
    Common("设备购置费", "≤5万元", PLAN),
)
SOCIAL_COST = (  # 101号: what the project costs society, not money
    Common("对社会发展的负面影响", "无明显影响", OTHER),
    Common("涉及征地拆迁户数", "0户", PLAN),
    Common("群众投诉次数", "≤1次", HISTORY),
)
ECOLOGICAL_COST = (
    Common("对生态环境的负面影响", "无明显影响", OTHER),
    Common("污染物超标排放次数", "0次", INDUSTRY),
    Common("能源消耗增长率", "≤5%", HISTORY),
)
ECONOMIC = (
    Common("带动就业人数", "≥10人", PLAN),
    Common("受益群众人均增收", "≥5%", HISTORY),
    Common("带动社会投资", "≥100万元", PLAN),
    Common("服务企业营业收入增长率", "≥5%", HISTORY),
)
SOCIAL = (
    Common("政策知晓率", "≥90%", INDUSTRY),
    Common("受益群众覆盖率", "≥90%", PLAN),
    Common("群众参与率", "≥80%", HISTORY),
    Common("安全事故发生次数", "0次", INDUSTRY),
    Common("投诉率", "≤1%", HISTORY),
    Common("媒体正面报道次数", "≥2次", PLAN),
)
ECOLOGICAL = (
    Common("单位能耗下降率", "≥5%", INDUSTRY),
    Common("环境污染事件发生次数", "0次", INDUSTRY),
    Common("绿化覆盖率", "≥40%", INDUSTRY),
    Common("垃圾无害化处理率", "≥95%", INDUSTRY),
    Common("植被恢复率", "≥90%", INDUSTRY),
)
SUSTAINABLE = (
    Common("建立长效管理制度", "≥1项", PLAN),
    Common("项目持续发挥作用年限", "≥3年", INDUSTRY),
    Common("设施设备使用年限", "≥5年", INDUSTRY),
    Common("制度建设完善率", "100%", PLAN),
)
SATISFACTION = (
    Common("服务对象满意度", "≥90%", INDUSTRY),
    Common("受益群众满意度", "≥90%", INDUSTRY),
    Common("参训人员满意度", "≥90%", INDUSTRY),
    Common("社会公众满意度", "≥85%", INDUSTRY),
    Common("会员满意度", "≥90%", INDUSTRY),
)

# Each framework's level-2 categories (frameworks.py) and the common indicators they take.
# A level-2 name means the same in every framework that has it.
BUILT_IN: dict[str, tuple[Common, ...]] = {
    "数量指标": QUANTITY,
    "数量指标(或建筑规模指标)": QUANTITY,
    "质量指标": QUALITY,
    "时效指标": TIMELINESS,
    "成本指标": COST,
    "经济成本指标": COST,
    "预算(或投资规模)控制指标": COST,
    "社会成本指标": SOCIAL_COST,
    "生态环境成本指标": ECOLOGICAL_COST,
    "经济效益指标": ECONOMIC,
    "社会效益指标": SOCIAL,
    "生态效益指标": ECOLOGICAL,
    "社会、经济、生态效益指标": SOCIAL + ECONOMIC + ECOLOGICAL,
    "可持续影响指标": SUSTAINABLE,
    "社会公众或服务对象满意度指标": SATISFACTION,
    "服务对象满意度指标": SATISFACTION,
}


def built_in(level2: str) -> tuple[Common, ...]:
    return BUILT_IN.get(level2, ())


def is_category(level1: str, level2: str) -> bool:
    """A category of one of the frameworks the app knows: where a bureau's entry may go."""
    return any(framework.has_category(level1, level2) for framework in FRAMEWORKS.values())


# --- one target text, or 指标性质 + 指标值 + 度量单位 ---------------------------------------

def split_target(text: str) -> tuple[str, str, str]:
    """A target as a 101-style row holds it: "≥95%" is ("≥", "95", "%"), "7个" ("＝", "7", "个"),
    "1次以上" ("≥", "1", "次"); anything measures cannot read is 定性, kept whole."""
    if not text.strip():
        return "", "", ""
    measure = measures.parse(text)
    if not measure.quantitative:
        return measures.QUALITATIVE, measure.written, ""
    return measure.nature, measures.format_number(measure.number), measure.unit


def joined_target(nature: str, value: str, measure: str) -> str:
    """The one text of a 101-style row's target, as a Hunan row writes it ("≥" "90" "%" is "≥90%")."""
    if not value.strip():
        return value
    return measures.from_parts(nature, value, measure).written


def form_cells(form: FormTemplate, cells: dict[str, str]) -> dict[str, str]:
    """A suggestion's cells as this form's row holds them: each of its columns, the target split
    or joined when the row it came from wrote it the other way, a 绩效标准 only where the form has one."""
    keys = [column.key for column in form.columns]
    cells = {key: text for key, text in cells.items() if text}
    if "nature" in keys and "nature" not in cells:
        nature, value, measure = split_target(cells.get("value", ""))
        cells |= {"nature": nature, "value": value, "measure": cells.get("measure") or measure}
    elif "nature" not in keys and "nature" in cells:
        cells["value"] = joined_target(cells["nature"], cells.get("value", ""), cells.get("measure", ""))
    if cells.get("standard") not in STANDARDS:
        cells.pop("standard", None)
    return {key: cells.get(key, "") for key in keys}


# --- suggestions ------------------------------------------------------------------------------


class Source:
    """Where a suggestion comes from; the number is its rank among equally good matches."""

    OWN, BUREAU, BUILT_IN = 0, 1, 2
    LABELS = {OWN: "本单位", BUREAU: "本局指标库", BUILT_IN: "共性指标"}


@dataclass(frozen=True)
class Suggestion:
    name: str
    cells: dict[str, str] = field(compare=False)  # by column key: name, value, standard, nature…
    source: int
    note: str = ""  # for one's own rows, where it was written: "2021年 基层商会专项经费"

    @property
    def source_label(self) -> str:
        return Source.LABELS[self.source]

    @property
    def target(self) -> str:
        """The target in one text, to show: "≥95%" whichever way the form holds it."""
        if "nature" in self.cells:
            return joined_target(self.cells["nature"], self.cells.get("value", ""), self.cells.get("measure", ""))
        return self.cells.get("value", "")


def match_key(text: str) -> str:
    """A name as matching sees it: full-width folded, case folded, no blanks."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).casefold())


def match_tier(typed: str, name: str) -> int | None:
    """How well a name fits what was typed, best first: 0 the same, 1 it starts so, 2 it holds
    it, 3 it holds each typed word, 4 it holds the typed characters in order ("预算率" fits
    预算执行率); None: not at all. Nothing typed fits everything alike."""
    key, name_key = match_key(typed), match_key(name)
    if not key:
        return 0
    if name_key == key:
        return 0
    if name_key.startswith(key):
        return 1
    if key in name_key:
        return 2
    if all(match_key(word) in name_key for word in typed.split()):
        return 3
    rest = iter(name_key)
    if all(ch in rest for ch in key):
        return 4
    return None


def rank(typed: str, candidates: list[Suggestion], leave_out: set[str] = frozenset(), limit: int = 8) -> list[Suggestion]:
    """The suggestions to show for what was typed: the best fitting names first; among equally
    good ones the unit's own before the bureau's before the built-in, each in the order given
    (one's own most recent first). A name shows once, from its best source; names in leave_out
    (already rows of the category) not at all."""
    left_out = {match_key(name) for name in leave_out}
    scored = []
    for order, candidate in enumerate(candidates):
        tier = match_tier(typed, candidate.name)
        if tier is not None and match_key(candidate.name) not in left_out:
            scored.append((tier, candidate.source, order, candidate))
    shown: dict[str, Suggestion] = {}
    for *_, candidate in sorted(scored, key=lambda scored_one: scored_one[:3]):
        shown.setdefault(match_key(candidate.name), candidate)
        if len(shown) == limit:
            break
    return list(shown.values())


OWN_ROWS = 500  # of a category, the unit's most recent rows looked at: years of sheets


def own_rows(sheet: GoalSheet, level1: str, level2: str) -> list[Suggestion]:
    """The category's rows in the unit's other sheets of this year and before, most recent first."""
    rows = db.session.execute(
        select(Indicator.name, Indicator.value, Indicator.standard, Indicator.extra, GoalSheet.year, GoalSheet.project_name)
        .join(GoalSheet, Indicator.sheet_id == GoalSheet.id)
        .where(GoalSheet.unit_id == sheet.unit_id, GoalSheet.id != sheet.id, GoalSheet.year <= sheet.year,
               Indicator.level1 == level1, Indicator.level2 == level2)
        .order_by(GoalSheet.year.desc(), GoalSheet.id.desc(), Indicator.position)
        .limit(OWN_ROWS)
    )
    return [Suggestion(name, {**_target_cells(value, dict(extra or {})), "name": name, "standard": standard}, Source.OWN,
                       f"{year}年 {project}") for name, value, standard, extra, year, project in rows]


def _target_cells(value: str, extra: dict[str, str]) -> dict[str, str]:
    """A stored row's other columns and its value: the one text, or, where cells are kept beside
    it (measures.GIVEN: a file's own spelling, the clerk's reading), 指标性质/指标值/度量单位 as
    a 101-style row holds them, which form_cells joins or keeps for the form at hand."""
    given = {key: extra.pop(key) for key in measures.GIVEN if key in extra}
    if not given:
        return extra | {"value": value}
    return extra | dict(zip(("nature", "value", "measure"), measures.cells(value, given)))


def bureau_rows(level1: str, level2: str) -> list[Suggestion]:
    entries = db.session.scalars(select(LibraryEntry).where(LibraryEntry.level1 == level1, LibraryEntry.level2 == level2)
                                 .order_by(LibraryEntry.id))
    return [Suggestion(entry.name, {"name": entry.name, "value": entry.value, "standard": entry.standard}, Source.BUREAU)
            for entry in entries]


def built_in_rows(level2: str) -> list[Suggestion]:
    return [Suggestion(common.name, {"name": common.name, "value": common.value, "standard": common.standard}, Source.BUILT_IN)
            for common in built_in(level2)]


def suggestions(sheet: GoalSheet, level1: str, level2: str, typed: str, editing: int | None = None) -> list[Suggestion]:
    """What to offer for a row of this category of the sheet while its 三级指标 reads typed, each
    with its cells as the sheet's form holds them. The category's other rows on the sheet are
    not offered again (editing: the row being edited, whose own name may be)."""
    present = set(db.session.scalars(
        select(Indicator.name).where(Indicator.sheet_id == sheet.id, Indicator.level1 == level1, Indicator.level2 == level2,
                                     Indicator.id != (editing or 0))))
    candidates = own_rows(sheet, level1, level2) + bureau_rows(level1, level2) + built_in_rows(level2)
    return [Suggestion(found.name, form_cells(sheet.form, found.cells), found.source, found.note)
            for found in rank(typed, candidates, present)]


# --- the bureau's entries: what one may hold, the .xlsx in and out ---------------------------


def categories() -> list[tuple[str, str]]:
    """Every category of the frameworks the app knows, each once, in their print order."""
    return list(dict.fromkeys(pair for framework in FRAMEWORKS.values() for pair in framework.pairs()))


def entry_problems(level1: str, level2: str, name: str, value: str, standard: str) -> dict[str, str]:
    """What is wrong with an entry, by field ({} when nothing): the same for the admin form and the import."""
    problems = {}
    if not is_category(level1, level2):
        problems["level2"] = f"“{level1}／{level2}”不是已知的指标类别"
    if not name:
        problems["name"] = "请填写三级指标"
    elif len(name) > limits.INDICATOR_NAME:
        problems["name"] = f"三级指标不能超过{limits.INDICATOR_NAME}个字"
    if len(value) > limits.INDICATOR_VALUE:
        problems["value"] = f"指标值不能超过{limits.INDICATOR_VALUE}个字"
    if standard and standard not in STANDARDS:
        problems["standard"] = f"绩效标准应为{'、'.join(STANDARDS)}之一，或不填"
    return problems


def entry_named(level1: str, level2: str, name: str) -> LibraryEntry | None:
    return db.session.scalars(select(LibraryEntry).where(
        LibraryEntry.level1 == level1, LibraryEntry.level2 == level2, LibraryEntry.name == name)).first()


def entry_count() -> int:
    return db.session.scalar(select(func.count(LibraryEntry.id)))


@dataclass(frozen=True)
class EntryRow:
    """One entry as a file gives it."""

    level1: str
    level2: str
    name: str
    value: str
    standard: str


class LibraryRefused(Exception):
    """A library file not imported, with every reason, each naming its cell, in Chinese."""

    def __init__(self, problems: list[str]):
        super().__init__("；".join(problems))
        self.problems = problems


HEADS = ("一级指标", "二级指标", "三级指标", "指标值", "绩效标准")  # as exported; the import finds them by heading
HEADINGS = {
    "level1": ("一级指标", "一级"),
    "level2": ("二级指标", "二级"),
    "name": ("三级指标", "三级"),
    "value": ("指标值", "指标值及单位", "年度指标值", "目标值"),
    "standard": ("绩效标准",),
}
HEADING_ROWS = 20  # a title and notes may stand above the headings
EXCEL_CELL = re.compile(r"^(?P<sheet>.*?)(?P<column>[A-Z]+)(?P<row>\d+)$")


def read_library(data: bytes, source: str) -> list[EntryRow]:
    """The entries in an .xlsx, found by their headings (一级指标, 二级指标, 三级指标, 指标值, 绩效标准)
    in whichever worksheet has them. All or nothing: LibraryRefused names every bad cell;
    ReadError says the file itself cannot be read."""
    if len(data) > MAX_FILE_BYTES:
        raise ReadError(source, None, f"文件超过{MAX_FILE_MB} MB，不像是指标库")
    if not data.startswith(ZIP_MAGIC):
        raise ReadError(source, None, "不是Excel（.xlsx）文件：请用Excel另存为.xlsx后再导入")
    if "xl/workbook.xml" not in ooxml.check(data, source):  # before openpyxl opens any part
        raise ReadError(source, None, "不是Excel工作簿（可能是Word文档）")
    for rows in excel.worksheet_rows(data, source).values():
        for index, row in enumerate(rows[:HEADING_ROWS]):
            columns = _heading_columns(row)
            if {"level1", "level2", "name"} <= columns.keys():
                return _entries(rows[index + 1:], columns)
    raise ReadError(source, None, "没有找到标题行：需要“一级指标”“二级指标”“三级指标”三列（“指标值”“绩效标准”可选）")


def _heading_columns(row) -> dict[str, int]:
    """Which column each heading stands in, by its wording."""
    found = {}
    for cell in row.filled:
        key = label_key(cell.text)
        for name, wordings in HEADINGS.items():
            if key in wordings and name not in found:
                found[name] = cell.column
    return found


def _entries(rows: list, columns: dict[str, int]) -> list[EntryRow]:
    """The rows under the headings as entries; a blank 一级/二级 cell (merged down, or left
    blank as 'the same') is the one above it."""
    entries, problems, seen = [], [], {}
    above = {"level1": "", "level2": ""}
    for row in rows:
        cells = {cell.column: cell for cell in row.cells}
        texts = {key: normalize(cells[column].text, multiline=False) if column in cells else "" for key, column in columns.items()}
        if not any(texts.values()):
            continue
        where = {key: _cell_name(row, column) for key, column in columns.items()}
        for key in ("level1", "level2"):
            texts[key] = above[key] = texts[key] or above[key]
        texts.setdefault("value", "")
        texts.setdefault("standard", "")
        for key, problem in entry_problems(**texts).items():
            problems.append(f"{where.get(key, where['name'])}：{problem}")
        identity = (texts["level1"], texts["level2"], texts["name"])
        if texts["name"] and identity in seen:
            problems.append(f"{where['name']}：与{seen[identity]}重复")
        seen.setdefault(identity, where["name"])
        entries.append(EntryRow(**texts))
    if len(entries) > limits.LIBRARY_ENTRIES:
        problems.insert(0, f"文件里有{len(entries)}条指标，指标库最多{limits.LIBRARY_ENTRIES}条")
    if problems:
        raise LibraryRefused(problems)
    return entries


def _cell_name(row, column: int) -> str:
    """A cell's name for a message ("工作表“指标库”C5"), also for a cell the row left empty."""
    match = EXCEL_CELL.match(row.cells[0].where)
    if not match:
        return row.cells[0].where
    return f"{match.group('sheet')}{get_column_letter(column + 1)}{match.group('row')}"


def store_entries(rows: list[EntryRow]) -> tuple[int, int]:
    """Add the file's entries; one already in the library (same category and name) takes the
    file's value and standard. Returns (added, changed); the caller commits."""
    stored = {(entry.level1, entry.level2, entry.name): entry for entry in db.session.scalars(select(LibraryEntry))}
    added = changed = 0
    for row in rows:
        entry = stored.get((row.level1, row.level2, row.name))
        if entry is None:
            db.session.add(LibraryEntry(level1=row.level1, level2=row.level2, name=row.name, value=row.value, standard=row.standard))
            added += 1
        elif (entry.value, entry.standard) != (row.value, row.standard):
            entry.value, entry.standard = row.value, row.standard
            changed += 1
    if len(stored) + added > limits.LIBRARY_ENTRIES:
        raise LibraryRefused([f"导入后指标库将有{len(stored) + added}条，最多{limits.LIBRARY_ENTRIES}条"])
    return added, changed


def export_rows() -> list[tuple[str, ...]]:
    """The bureau's entries as the file has them, heading first, by category in print order."""
    order = {pair: index for index, pair in enumerate(categories())}
    entries = sorted(db.session.scalars(select(LibraryEntry)), key=lambda entry: (order.get((entry.level1, entry.level2), len(order)), entry.id))
    return [HEADS] + [(entry.level1, entry.level2, entry.name, entry.value, entry.standard) for entry in entries]
