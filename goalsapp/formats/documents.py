"""A self-evaluation (自评表) or a monitoring (监控表) read from a file, whatever its format.

Word's text, a .docx and an .xlsx all come here as reader.py's Rows of Cells. From there one
reader serves both documents and every published layout of each, by the words their print
layouts print (domain/wording.py; evaluation_layout.WORDING, monitoring_paper.WORDING): the
title says which document it is and its year, a label has its value in the cell after it, and
a row of heads says what the cells under it are, found by their words in whatever order and
spans the file has them. Every value is kept as written with where it stood (a FileDocument);
what it means is for domain/evaluation.py and domain/monitoring.py to say. A filled cell that is
none of these is refused, named: nothing is dropped in silence.

A file may hold several tables, each from its title to the next one's, target tables among
them: contents() reads each with its own reader.
"""
import re
from dataclasses import dataclass, field

from ..domain import evaluation_layout, limits, monitoring_paper
from ..domain.errors import ReadError
from ..domain.formtemplates import Column, FormTemplate
from ..domain.models import GoalSheet
from ..domain.wording import Wording, column_keys, head_key, without_months
from .reader import YEAR_LINE, Cell, Parts, Row, _is_line, _table_end, _unit_and_money, is_title, label_key_keep, read_rows

EVALUATION, MONITORING = "evaluation", "monitoring"
WORDINGS: dict[str, Wording] = {EVALUATION: evaluation_layout.WORDING, MONITORING: monitoring_paper.WORDING}
LAYOUT_OF = {EVALUATION: evaluation_layout.layout_of, MONITORING: monitoring_paper.layout_of}
GRADE = re.compile(r"^等级\s*[:：]?\s*(?P<grade>.*)$", re.S)
TITLE_ROWS = 5  # a worksheet's title is in its first rows


@dataclass
class FileRow:
    """One indicator row of a file: its cells by head key (level1, name, target, actual, …)."""

    cells: dict[str, Cell]

    def text(self, key: str) -> str:
        cell = self.cells.get(key)
        return cell.text if cell else ""


@dataclass
class FileDocument:
    """One self-evaluation or monitoring as a file has it: its header's and money block's cells
    by key ("project_name", "total:budget", "spent", "footer:leader"), its indicator rows, and
    where it stands in the file (place: "工作表“X”", or its title's line) for messages."""

    kind: str
    source: str
    place: str
    year: int
    unit: str = ""
    money_unit: str = ""
    layout: str = ""  # the published layout it is in (evaluation_layout / monitoring_paper codes)
    month: int | None = None  # a monitoring's: the month its "1-6月" heads run to
    cells: dict[str, Cell] = field(default_factory=dict)
    rows: list[FileRow] = field(default_factory=list)

    def text(self, key: str) -> str:
        cell = self.cells.get(key)
        return cell.text if cell else ""

    @property
    def project(self) -> str:
        return re.sub(r"\s+", " ", self.text("project_name")).strip()

    @property
    def name(self) -> str:
        """As messages name it: 自评表, 运行监控表."""
        return WORDINGS[self.kind].short


@dataclass
class Contents:
    """What a file holds: target sheets (reader.py's) and the year's other documents."""

    sheets: list[GoalSheet] = field(default_factory=list)
    documents: list[FileDocument] = field(default_factory=list)


# --- which document, where ------------------------------------------------------------------


def kind_of_title(row: Row) -> str | None:
    """The document a row titles (a line of its own, or a row whose one filled cell is its first), if any."""
    filled = row.filled
    if len(filled) != 1 or not (row.paragraph or filled[0] is row.cells[0]):
        return None
    return next((kind for kind, wording in WORDINGS.items() if wording.title_year(filled[0].text)[0]), None)


def holds_documents(rows: list[Row]) -> bool:
    return any(kind_of_title(row) for row in rows)


def contents(rows: list[Row], source: str, what: str, template: FormTemplate | None = None) -> Contents:
    """Every table in one run of rows (a text, a document, a worksheet): cut at each title, a
    target table read by reader.py, a self-evaluation or monitoring here."""
    if not holds_documents(rows):
        return Contents(sheets=read_rows(rows, source, what, template))
    starts = [index for index, row in enumerate(rows) if kind_of_title(row) or is_title(row)]
    if stray := next((row.filled[0] for row in rows[:starts[0]] if row.filled), None):
        raise ReadError(source, stray.where, f"“{stray.text[:40]}”在第一张表的标题之前，不属于任何一张表：请删去后再导入")
    found = Contents()
    for start, end in zip(starts, starts[1:] + [len(rows)]):
        part = rows[start:end]
        if kind := kind_of_title(part[0]):
            found.documents.append(read_document(kind, part, source, f"{part[0].filled[0].where}起的{WORDINGS[kind].short}"))
        else:
            found.sheets += read_rows(part, source, what, template)
    if len(found.sheets) + len(found.documents) > limits.SHEETS_PER_FILE:
        raise ReadError(source, None, f"文件里的表超过{limits.SHEETS_PER_FILE}张，请分成几个文件导入")
    return found


def worksheet_documents(worksheets: dict[str, list[Row]], source: str) -> list[FileDocument]:
    """The documents of the worksheets titled as one in their first rows (an exported workbook's)."""
    found = []
    for title, rows in worksheets.items():
        if kind := next((kind for row in rows[:TITLE_ROWS] if (kind := kind_of_title(row))), None):
            start = next(index for index, row in enumerate(rows) if kind_of_title(row))
            found.append(read_document(kind, rows[start:], source, f"工作表“{title}”"))
    return found


def of_project(found: list[FileDocument], project: str, source: str) -> FileDocument:
    """The document of this project among a file's (a workbook may hold several)."""
    read = next((one for one in found if one.project == project), None)
    if read is None:
        named = "、".join(f"“{one.project}”" for one in found if one.project) or "没有写项目名称"
        raise ReadError(source, None, f"文件里的{found[0].name if found else '表'}是{named}的，不是“{project}”的：请导入本表导出后填写的文件")
    return read


# --- one document ---------------------------------------------------------------------------


def read_document(kind: str, rows: list[Row], source: str, place: str) -> FileDocument:
    """The document from its title row to the end of rows."""
    wording = WORDINGS[kind]
    title = rows[0].filled[0]
    year, index = wording.title_year(title.text)[1], 1
    while index < len(rows) and (not rows[index].filled or YEAR_LINE.match(label_key_keep(rows[index].text))):
        if rows[index].filled and year is None:
            year = int(YEAR_LINE.match(label_key_keep(rows[index].text)).group("year"))
        index += 1
    if year is None:
        raise ReadError(source, title.where, f"{wording.name}的标题里没有年度（如下一行的“（2021年度）”）")
    if not limits.FIRST_YEAR <= year <= limits.LAST_YEAR:
        raise ReadError(source, title.where, f"年度{year}应在{limits.FIRST_YEAR}至{limits.LAST_YEAR}之间")
    lines = []
    while index < len(rows) and _is_line(rows[index]):
        lines += rows[index].filled
        index += 1
    unit, money_unit = _unit_and_money(Parts([title], lines, [], None, [], [], []), source)
    end = _table_end(rows, index)
    document = FileDocument(kind, source, place, year, unit, money_unit)
    Walk(document, wording, [row for row in rows[index:end] if row.filled]).read()
    _footers(document, wording, [cell for row in rows[end:] for cell in row.filled])
    if not document.rows:
        raise ReadError(source, place, f"{wording.name}里没有绩效指标：没有找到“三级指标”等指标表头，或表头下没有指标")
    return document


@dataclass
class Heading:
    """A row of heads: which head each of its cells is (by index in the row), and how the rows
    under it line up with it: by grid column, or in Word's text, which has none, by place from
    the right (a row may leave out cells a merge from the left covers)."""

    row: Row
    keys: dict[int, str]

    def placed(self, row: Row, source: str, skip: Cell | None = None) -> dict[str, Cell]:
        """The row's filled cells (but skip) by the key of the head above each."""
        shift = len(self.row.cells) - len(row.cells)
        if row.positional and shift < 0:
            raise ReadError(source, row.cells[0].where, f"这一行有{len(row.cells)}个单元格，表头只有{len(self.row.cells)}个")
        starts = [cell.column for cell in self.row.cells]
        placed: dict[str, Cell] = {}
        for cell in row.filled:
            if cell is skip:
                continue
            if row.positional:
                owner = cell.column + shift
            else:
                owner = max((index for index, start in enumerate(starts) if start <= cell.column), default=None)
            key = self.keys.get(owner)
            if key is None:
                raise ReadError(source, cell.where, f"“{cell.text[:40]}”不在任何一栏下面，无法读取")
            if key in placed:
                raise ReadError(source, f"{placed[key].where}和{cell.where}", f"“{placed[key].text[:20]}”和“{cell.text[:20]}”在同一栏下面：请只留一格")
            placed[key] = cell
        return placed


def _keyed(columns: tuple[Column, ...]) -> dict[str, str]:
    return {wording: column.key for column in columns for wording in column_keys(column)}


def head_of(text: str, keyed: dict[str, str]) -> tuple[str | None, int | None]:
    """The key a head names (its months left out when it starts with them), and the month they run to."""
    bare, month = without_months(text)
    return keyed.get(head_key(text)) or keyed.get(bare), month


class Walk:
    """The table's rows read top to bottom: labels and their values, then a block under each
    row of heads (the money, the goals, the indicators), each block read to its last row."""

    def __init__(self, document: FileDocument, wording: Wording, table: list[Row]):
        self.document, self.wording, self.table = document, wording, table
        self.source = document.source
        self.heads, self.money, self.goals = _keyed(wording.heads), _keyed(wording.money), _keyed(wording.goals)
        self.at = 0

    def read(self) -> None:
        while self.at < len(self.table):
            row = self.table[self.at]
            if heading := self._indicator_heading(row):
                self._indicators(heading)
            elif heading := self._heading(row, self.money, 2):
                self._money(heading)
            elif heading := self._heading(row, self.goals, 2):
                self.at += 1
                self._row_below(heading)
            else:
                self._labels(row)
                self.at += 1

    def _indicator_heading(self, row: Row) -> Heading | None:
        """The indicator block's heads: 三级指标 and at least two more; any other cell in the row
        must be the block's name spanning it ("绩效指标"), else it is a head not known."""
        heading = self._heading(row, self.heads, 3, strict=True)
        return heading if heading and "name" in heading.keys.values() else None

    def _heading(self, row: Row, keyed: dict[str, str], least: int, strict: bool = False) -> Heading | None:
        """The row as a row of heads, when at least `least` of its cells are and the others only
        name a block (项目资金); a row that also holds values (湖北's 年初预算数 | 20 | …) is labels."""
        keys, others, months = {}, [], []
        for index, cell in enumerate(row.cells):
            if not cell.text:
                continue
            key, month = head_of(cell.text, keyed)
            if key is None:
                others.append(cell)
            else:
                keys[index] = key
                months.append((month, cell))
        if len(set(keys.values())) < least:
            return None
        if unknown := [cell for cell in others if head_key(cell.text) not in self.wording.groups]:
            if not strict:
                return None
            known = "、".join(dict.fromkeys(head_key(column.label) for column in self.wording.heads))
            raise ReadError(self.source, unknown[0].where, f"无法识别的指标栏目“{unknown[0].text[:40]}”：{self.wording.name}的指标栏目有{known}")
        for month, cell in months:
            self._month(month, cell)
        return Heading(row, keys)

    def _month(self, month: int | None, cell: Cell) -> None:
        if month is None:
            return
        if self.document.month not in (None, month):
            raise ReadError(self.source, cell.where, f"“{cell.text}”截至{month}月，表中别处截至{self.document.month}月：请统一")
        self.document.month = month

    # --- blocks ---

    def _money(self, heading: Heading) -> None:
        """A self-evaluation's rows of amounts, each headed by its label (年度资金总额, 其中…);
        a monitoring's one row of amounts under the heads."""
        self.at += 1
        if not self.wording.money_rows:
            self._row_below(heading)
            return
        while self.at < len(self.table):
            row = self.table[self.at]
            label = row.filled[0]
            part = self.wording.money_rows.get(head_key(label.text))
            if part is None:
                return
            for key, cell in heading.placed(row, self.source, skip=label).items():
                self.document.cells[f"{part}:{key}"] = cell
            self.at += 1

    def _row_below(self, heading: Heading) -> None:
        """The one row of values under a row of heads (预期目标 | 实际完成情况; a monitoring's amounts)."""
        if self.at < len(self.table) and not self._starts_block(self.table[self.at]):
            for key, cell in heading.placed(self.table[self.at], self.source).items():
                self._keep(key, cell)
            self.at += 1

    def _starts_block(self, row: Row) -> bool:
        first = head_key(row.filled[0].text)
        return first in self.wording.labels or first in self.wording.closing or first in self.wording.groups or \
            self._indicator_heading(row) is not None or self._heading(row, self.money, 2) is not None

    def _indicators(self, heading: Heading) -> None:
        """The indicator rows under their heads, to the first row that is none (总分, a label);
        一级 and 二级 merged down, or left blank, are the row's above."""
        self.document.layout = LAYOUT_OF[self.document.kind](set(heading.keys.values()))
        self.at += 1
        carried: dict[str, Cell] = {}
        while self.at < len(self.table):
            row = self.table[self.at]
            first = row.filled[0]
            if (closing := self.wording.closing.get(head_key(first.text))) is not None:
                self._closing(closing, heading, row, first)
            elif head_key(first.text) in self.wording.labels or head_key(first.text) in self.wording.groups:
                return
            else:
                self._indicator(heading.placed(row, self.source), carried, first)
            self.at += 1

    def _indicator(self, cells: dict[str, Cell], carried: dict[str, Cell], first: Cell) -> None:
        if "level1" in cells:
            carried.pop("level2", None)
        carried |= {key: cells[key] for key in ("level1", "level2") if key in cells}
        if not set(cells) - {"level1", "level2"}:
            return  # a category with no indicator in it, printed all the same
        if "name" not in cells:
            raise ReadError(self.source, first.where, "这一行没有三级指标（指标名称）")
        if len(self.document.rows) == limits.INDICATORS_PER_SHEET:
            raise ReadError(self.source, first.where, f"一张表最多{limits.INDICATORS_PER_SHEET}个指标，到这一行已超过")
        self.document.rows.append(FileRow({**carried, **cells}))

    def _closing(self, closing: str, heading: Heading, row: Row, label: Cell) -> None:
        """总分 (its 得分, and 等级 in a cell of its own), or 合计 (the rows' sums, computed anyway)."""
        placed = heading.placed(row, self.source, skip=label)
        if closing != "total":
            return
        if "score" in placed:
            self.document.cells["total"] = placed["score"]
        for cell in placed.values():
            if grade := GRADE.match(cell.text):
                self.document.cells["grade"] = Cell(grade.group("grade").strip(), cell.where, cell.column)

    def _labels(self, row: Row) -> None:
        """Labels each with its value in the cell after it; a group's label (项目资金) has none."""
        pending: str | None = None
        for cell in row.cells:
            if pending is not None:
                self._keep(pending, cell)
                pending = None
                continue
            if not cell.text:
                continue
            key, month = head_of(cell.text, self.wording.labels)
            if key is not None:
                self._month(month, cell)
                pending = key
            elif head_key(cell.text) not in self.wording.groups:
                known = "、".join(dict.fromkeys(self.wording.labels))
                raise ReadError(self.source, cell.where, f"无法识别的栏目“{cell.text[:40]}”：{self.wording.name}的栏目有{known}")
        if pending is not None:
            self._keep(pending, Cell("", row.cells[-1].where, row.cells[-1].column + 1))

    def _keep(self, key: str, cell: Cell) -> None:
        """A value, unless the file gave the same one a different value already."""
        first = self.document.cells.setdefault(key, cell)
        if first.text != cell.text and first.text and cell.text:
            raise ReadError(self.source, f"{first.where}和{cell.where}", f"同一栏填了两次，写的不一样：“{first.text[:40]}”和“{cell.text[:40]}”")
        if not first.text:
            self.document.cells[key] = cell


FOOTER = re.compile(r"(?P<label>[^\s:：]{2,10})\s*[:：]")


def _footers(document: FileDocument, wording: Wording, cells: list[Cell]) -> None:
    """项目负责人：李四    财务负责人：…: each label with what follows it up to the next label."""
    for cell in cells:
        for line in cell.text.split("\n"):
            labels = [match for match in FOOTER.finditer(line) if head_key(match.group("label")) in wording.footers]
            if (before := line[: labels[0].start() if labels else len(line)].strip()):
                known = "、".join(wording.footers)
                raise ReadError(document.source, cell.where, f"表格下面的“{before[:40]}”无法读取：{wording.name}表下只有这些栏目：{known}")
            for match, after in zip(labels, labels[1:] + [None]):
                value = line[match.end(): after.start() if after else len(line)].strip()
                document.cells[f"footer:{wording.footers[head_key(match.group('label'))]}"] = Cell(value, cell.where, cell.column)
