"""Excel (.xlsx) in and out: written with XlsxWriter, read with openpyxl.

Out: a workbook holds one worksheet per sheet laid out as its paper form (the same grid as
print: layout.header_grid and print_rows) and a flat 指标清单 with one row per indicator,
the way budget systems export.

In: each worksheet's rows, cells at their columns, for reader.py. Read-only mode streams each
worksheet's XML and leaves merged ranges and styles alone (opened normally, one merged range
A1:XFD1048576 in a 1 KB file makes two million cells), so the merged ranges are read from the
worksheet's XML here. A merged range is one cell, at its first column, as in Word: the rows it
covers below hold an empty cell there. The same pass finds the cells openpyxl would read as
blank though they are not, a formula saved without its result and a cell right of the
columns read: a worksheet the sheets are read from is refused at the first of them.
"""
import gc
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from io import BytesIO
from typing import BinaryIO
from xml.etree import ElementTree
from zipfile import ZIP_STORED, ZipFile

import xlsxwriter
from openpyxl import load_workbook
from openpyxl.cell import Cell as XlCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet as OpenpyxlWorksheet

from ..domain import limits
from ..domain.errors import ReadError
from ..domain.formtemplates import DEFAULT_TEMPLATE
from ..domain.layout import footers, header_grid, print_rows, subtable_grid, title
from ..domain.models import GoalSheet, Indicator
from ..domain.text import normalize
from .documents import TITLE_ROWS, Contents, kind_of_title, worksheet_documents
from .reader import Cell, Row, clean, is_flat_list, is_title, read_rows

FLAT_TITLE = "指标清单"


def flat_heads(columns: tuple[str, ...]) -> tuple[str, ...]:
    """The flat list's columns: the sheet's, the categories, the forms' indicator columns, the budget."""
    return ("填报单位", "年度", "项目支出名称", "一级指标", "二级指标", *columns, "年度本级预算金额")


FLAT_HEADS = flat_heads(tuple(column.label for column in DEFAULT_TEMPLATE.columns))  # the default form's list
FONT = "宋体"  # Song, as on the government form; LibreOffice substitutes Noto Serif CJK
SONG = {"font_name": FONT, "font_size": 10.5}
BOXED = {"border": 1, "valign": "vcenter", "text_wrap": True}  # a thin line all round, centred down, wrapped
FORMULA_START = ("=", "+", "-", "@")  # a text starting so would be a formula once edited: marked text-not-formula
MARGIN = 0.47  # inches: 12 mm, as print.css
PIXELS_PER_CHARACTER = 7  # Excel's width of a digit in its default font (Calibri 11), which column widths count in
# Excel's width units per percent of the printed width (the form's template gives percentages).
WIDTH_PER_PERCENT = 0.925
LINE_HEIGHT = 14  # points per line of 10.5 pt text
# Excel's own limits: a file past them opens with parts cut or "repaired".
CELL_CHARACTERS = 32_767
ROW_HEIGHT = 409  # points
SHEET_NAME_CHARACTERS = 31
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAMES_TAKEN = (FLAT_TITLE.casefold(), "history")  # Excel keeps "History" for itself


# --- writing -----------------------------------------------------------------------


def write_workbook(sheets: Iterable[GoalSheet]) -> bytes:
    """The sheets as one .xlsx: a form worksheet each, then the flat 指标清单."""
    buffer = BytesIO()
    write_workbook_to(sheets, buffer)
    return buffer.getvalue()


def write_workbook_to(sheets: Iterable[GoalSheet], out: BinaryIO) -> None:
    """The workbook written into out: each form laid out and written as it comes, then the flat
    list (the last worksheet, its heads the columns of every form). A workbook is held whole until
    it closes (XlsxWriter's in_memory mode: no temporary file a worksheet, two to three times
    faster a sheet), so it is a unit's year at most; a county's year is one workbook a unit
    (write_workbooks_zip)."""
    book = Book(out)
    titles = set(SHEET_NAMES_TAKEN)
    columns: dict[str, None] = {}  # the columns of every form the sheets use, each once, in order
    flat: list[tuple[GoalSheet, Indicator]] = []
    for sheet in sheets:
        book.add_grid(_form(sheet, _worksheet_title(sheet.project_name, titles)))
        columns.update(dict.fromkeys(sheet.form.column_titles.values()))
        flat.extend((sheet, indicator) for indicator in sheet.indicators)
    book.add_list(FLAT_TITLE, _flat_widths(tuple(columns)), _flat_rows(tuple(columns), flat))
    book.close()


WORKBOOKS_BETWEEN_COLLECTIONS = 10  # a full collection takes tens of ms: once in ten units' workbooks, well under a ms a sheet


def write_workbooks_zip(workbooks: Iterable[tuple[str, Iterable[GoalSheet]]], out: BinaryIO) -> None:
    """A .zip of workbooks, (file name, its sheets) each, written one at a time: however many
    there are, a few workbooks' memory is held. Stored, not compressed again: an .xlsx is a zip already."""
    with ZipFile(out, "w", ZIP_STORED) as archive:
        for number, (name, sheets) in enumerate(workbooks, start=1):
            archive.writestr(name, write_workbook(sheets))
            if number % WORKBOOKS_BETWEEN_COLLECTIONS == 0:
                # A written workbook (XlsxWriter's worksheets and their book) and the sheets read for it
                # (a sheet and its rows point at each other) are cycles, which only the cycle collector frees;
                # left to its own pace it lets a few hundred sheets' worth pile up first (8 MB a county).
                gc.collect()


def _flat_rows(columns: tuple[str, ...], flat: list[tuple[GoalSheet, Indicator]]) -> Iterable[tuple]:
    """One row per indicator, under the heads (the columns' titles): each form's columns at their places."""
    yield flat_heads(columns)
    keys: dict[str, tuple[str | None, ...]] = {}  # each form's column under each title
    for sheet, indicator in flat:
        form = sheet.form
        if sheet.template not in keys:
            keys[sheet.template] = tuple(key if key in form.column_titles else None for key in (_flat_key(form, title) for title in columns))
        yield (sheet.unit, sheet.year, sheet.project_name, indicator.level1, indicator.level2,
               *(None if key is None else indicator.cell(key, form) for key in keys[sheet.template]), sheet.local_budget)


def _flat_key(form, title: str) -> str | None:
    """The form's column under a head of the list: its column of that title, else of that
    heading in its own words (another form's 三级 is this one's 三级指标)."""
    key = next((key for key, own in form.column_titles.items() if own == title), None)
    if key is None and (column := form.column_for(title)) is not None:
        key = column.key
    return key


def _flat_widths(columns: tuple[str, ...]) -> tuple[float, ...]:
    return (16, 6, 20, 10, 16, *(40 if "三级" in title else 12 for title in columns), 12)


def write_list(title: str, rows: list[tuple], widths: tuple[int, ...] = ()) -> bytes:
    """A plain list in one worksheet, the first row its heads: the indicator library's export."""
    buffer = BytesIO()
    book = Book(buffer)
    book.add_list(title, widths, rows)
    book.close()
    return buffer.getvalue()


class Style(Enum):
    """How a cell looks (FORMATS): one XlsxWriter format each, made once a workbook (Book), so every
    cell of a kind shares it, as an .xlsx's styles are meant to be shared."""

    PLAIN = "the workbook's default: the footers' line under a form"
    BOXED = "the form's cells"
    BOXED_LEFT = "a form's long texts"
    TITLE = "the form's title"
    TEXT = "a line of the form outside its table, a list's cell"
    TEXT_RIGHT = "the money unit over the table"
    HEAD = "a list's heads"


FORMATS = {
    Style.PLAIN: {},
    Style.BOXED: {**SONG, **BOXED, "align": "center"},
    Style.BOXED_LEFT: {**SONG, **BOXED, "align": "left"},
    Style.TITLE: {"font_name": FONT, "font_size": 18, "bold": True, "align": "center", "valign": "vcenter", "text_wrap": True},
    Style.TEXT: SONG,
    Style.TEXT_RIGHT: {**SONG, "align": "right"},
    Style.HEAD: {**SONG, "bold": True},
}


@dataclass
class Grid:
    """A worksheet laid out before it is written: values and styles at (row, column) counted from 1,
    merged ranges (top, left, bottom, right), column widths in Excel's characters, row heights in
    points. A form is a few hundred cells: laid out whole, then written row by row."""

    title: str
    widths: dict[int, float]
    heights: dict[int, float] = field(default_factory=dict)
    cells: dict[tuple[int, int], tuple[object, Style]] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    title_rows: tuple[int, int] | None = None  # repeated at the top of every printed page

    def put(self, row: int, column: int, value, style: Style = Style.PLAIN) -> None:
        """A text, an amount or a number (None: an empty cell, still styled)."""
        self.cells[row, column] = (_value(value), style)

    def merge(self, top: int, left: int, bottom: int, right: int) -> None:
        self.merges.append((top, left, bottom, right))

    def rows(self) -> Iterable[tuple[int, float | None, list[tuple[int, object, Style]]]]:
        """Each row in order: its number, its height, its cells left to right."""
        by_row: dict[int, list[tuple[int, object, Style]]] = {}
        for (row, column), (value, style) in sorted(self.cells.items()):
            by_row.setdefault(row, []).append((column, value, style))
        for row in sorted(by_row.keys() | self.heights.keys()):
            yield row, self.heights.get(row), by_row.get(row, [])


class Book:
    """An .xlsx written into `out` with XlsxWriter, held in memory until it closes (in_memory)."""

    def __init__(self, out: BinaryIO):
        self.book = xlsxwriter.Workbook(out, {"in_memory": True})
        # Each style, and each again marked text-not-formula (quotePrefix): a text starting "=" stays text when edited.
        self.formats = {(style, quoted): self.book.add_format({**properties, "quote_prefix": True} if quoted else properties)
                        for style, properties in FORMATS.items() for quoted in (False, True)}

    def add_grid(self, grid: Grid) -> None:
        ws = self._worksheet(grid.title, grid.widths)
        for row, height, cells in grid.rows():
            if height:
                ws.set_row(row - 1, height)
            for column, value, style in cells:
                self._write(ws, row - 1, column - 1, value, style)
        for top, left, bottom, right in grid.merges:
            # As merge_range records a range; merge_range itself would write the range's cells again,
            # which went out above with their borders.
            ws.merge.append([top - 1, left - 1, bottom - 1, right - 1])
        if grid.title_rows:
            ws.repeat_rows(grid.title_rows[0] - 1, grid.title_rows[1] - 1)
        _on_a4(ws, landscape=False)

    def add_list(self, title: str, widths: Iterable[float], rows: Iterable[Iterable]) -> None:
        """A worksheet of rows, the first its heads (staying in view as the rows scroll), written as they come."""
        ws = self._worksheet(title, dict(enumerate(widths, start=1)))
        for number, values in enumerate(rows):
            for column, value in enumerate(values):
                self._write(ws, number, column, _value(value), Style.HEAD if number == 0 else Style.TEXT)
        ws.freeze_panes(1, 0)
        _on_a4(ws, landscape=True)  # a wide list, not the form

    def close(self) -> None:
        self.book.close()

    def _worksheet(self, title: str, widths: dict[int, float]):
        ws = self.book.add_worksheet(title)
        for column, width in widths.items():
            # In pixels (7 a character of the default font): XlsxWriter then stores the width as given, where
            # set_column would add a cell's padding to it.
            ws.set_column_pixels(column - 1, column - 1, round(width * PIXELS_PER_CHARACTER))
        return ws

    def _write(self, ws, row: int, column: int, value, style: Style) -> None:
        if value is None or value == "":
            if style is not Style.PLAIN:
                ws.write_blank(row, column, None, self.formats[style, False])
        elif isinstance(value, str):
            ws.write_string(row, column, value, self.formats[style, value.startswith(FORMULA_START)])
        else:
            ws.write_number(row, column, value, self.formats[style, False])


def _on_a4(ws, landscape: bool) -> None:
    """A4, one page wide and as tall as needed, centred, 12 mm margins (as print.css)."""
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=MARGIN, right=MARGIN, top=MARGIN, bottom=MARGIN)
    ws.center_horizontally()


def _worksheet_title(project_name: str, taken: set[str]) -> str:
    """A name Excel accepts: one line of at most 31 characters, none of []:*?/\\, no ' first
    or last, and no other worksheet's name in any letter case (taken holds them casefolded)."""
    name = SHEET_NAME_FORBIDDEN.sub("_", normalize(project_name, multiline=False))
    title, number = _sheet_name(name, ""), 1
    while title.casefold() in taken:
        number += 1
        title = _sheet_name(name, f"({number})")
    taken.add(title.casefold())
    return title


def _sheet_name(name: str, suffix: str) -> str:
    return (name[:SHEET_NAME_CHARACTERS - len(suffix)].strip("'") or "表") + suffix


def _box(grid: Grid, top: int, left: int, bottom: int, right: int, value, style: Style = Style.BOXED) -> None:
    """Write value into a cell or merged range, bordering every cell of it, and make the
    rows tall enough for its wrapped text (nothing autofits: Excel does not on opening,
    LibreOffice will not)."""
    if (bottom, right) != (top, left):
        grid.merge(top, left, bottom, right)
    for row in range(top, bottom + 1):
        for column in range(left, right + 1):
            grid.put(row, column, value if (row, column) == (top, left) else None, style)
    written = grid.cells[top, left][0]
    lines = 1 if written is None else _wrapped_lines(str(written), sum(grid.widths[column] for column in range(left, right + 1)))
    for row in range(top, bottom + 1):
        # Excel's tallest row: a longer text still is all in the cell, shown on selecting it.
        grid.heights[row] = min(ROW_HEIGHT, max(grid.heights.get(row, 0), LINE_HEIGHT * lines / (bottom - top + 1) + 4))


# A county's sheets repeat their categories, standards and values. Kept for the process's life, so few:
# a text may be a 5,000-character goal, and 512 of those (text and result) are at most some 10 MB.
TEXTS_REMEMBERED = 512


@lru_cache(maxsize=TEXTS_REMEMBERED)
def _wrapped_lines(text: str, width: float) -> int:
    """How many lines text wraps to in a column of this width (in Excel's character units)."""
    usable = max(width - 1.5, 1)
    return sum(max(1, math.ceil(sum(2 if ord(ch) > 0x2E80 else 1.1 for ch in line) / usable)) for line in text.split("\n"))


def _value(value):
    """A value as a cell holds it: text as _cell_text makes it, an amount or a number as it is."""
    return _cell_text(value) if isinstance(value, str) else value


@lru_cache(maxsize=TEXTS_REMEMBERED)
def _cell_text(text: str) -> str:
    """Text as a cell can hold it. A database from before text was normalised on the way in
    may hold what XML cannot carry (control characters, U+FFFE): normalising drops it. Past
    Excel's 32,767 characters the cell says where it stops and how long the text is, rather
    than Excel cutting it silently."""
    text = normalize(text)
    if len(text) > CELL_CHARACTERS:
        note = f"……【此处截断：原文共{len(text)}字，超过Excel单元格上限{CELL_CHARACTERS}字，全文见系统】"
        text = text[:CELL_CHARACTERS - len(note)] + note
    return text


def _form(sheet: GoalSheet, worksheet_title: str) -> Grid:
    """The sheet as its paper form, on the grid print uses (layout.header_grid, print_rows)."""
    form = sheet.form
    grid = Grid(worksheet_title, widths={index: percent * WIDTH_PER_PERCENT for index, percent in enumerate(form.column_widths(), start=1)})
    last = form.width
    grid.merge(1, 1, 1, last)
    grid.put(1, 1, title(sheet), Style.TITLE)
    grid.heights[1] = 32 * len(title(sheet).split("\n"))
    grid.merge(2, 1, 2, last - 2)
    grid.put(2, 1, form.unit_line.format(unit=sheet.unit), Style.TEXT)
    grid.merge(2, last - 1, 2, last)
    grid.put(2, last - 1, form.money_note.format(unit=sheet.money_unit), Style.TEXT_RIGHT)

    head = 3 + _write_header(grid, form, sheet, first_row=3)
    taken: set[tuple[int, int]] = set()
    subtable = subtable_grid(form, sheet)
    for number, row in enumerate(subtable, start=head):
        _put_row(grid, number, 1, [(cell.text or None, cell.span, cell.rows, Style.BOXED_LEFT if cell.long else Style.BOXED) for cell in row], taken)
    head += len(subtable)
    if form.section_row:
        _box(grid, head, 1, head, last, form.section_row)
        head += 1
    rows = print_rows(form, sheet.indicators)
    headings = form.heading_rows()
    first = 1
    if form.block_label:
        _box(grid, head, 1, head + len(headings) - 1 + len(rows), 1, form.block_label)
        first = 2
    for number, heads in enumerate(headings, start=head):
        _put_row(grid, number, first, [(label, columns, spanned, Style.BOXED) for label, columns, spanned in heads], taken)
    body = head + len(headings)
    for number, row in enumerate(rows, start=body):
        cells = [(text if row.indicator or column.key in ("level1", "level2") else None, column.span, spanned,
                  Style.BOXED_LEFT if column.key in ("name", "mid_name") else Style.BOXED) for column, text, spanned in row.cells(form, broken=False)]
        _put_row(grid, number, first, cells, taken)

    after = body + len(rows)
    if form.comment_row:
        _box(grid, after, 1, after, 1, "财政部门\n审核意见")
        _box(grid, after, 2, after, last, sheet.review_comment or None, Style.BOXED_LEFT)
        grid.heights[after] = max(grid.heights[after], 45)
        after += 1
    if signed := footers(sheet):
        grid.merge(after, 1, after, last)
        grid.put(after, 1, "    ".join(f"{label}：{value}" for label, value in signed))

    grid.title_rows = (head, body - 1)  # the column heads repeat on every printed page
    return grid


def _put_row(grid: Grid, number: int, first: int, cells: list, taken: set[tuple[int, int]]) -> None:
    """Cells (value, columns, rows, style) left to right from column first, passing over
    the places a cell spanning down from an earlier row already takes."""
    places = placed(number, first, [(columns, spanned) for _, columns, spanned, _ in cells], taken)
    for (value, _, _, style), (column, bottom, end) in zip(cells, places):
        _box(grid, number, column, bottom, end, value, style)


def placed(number: int, first: int, spans: list[tuple[int, int]], taken: set[tuple[int, int]]) -> Iterator[tuple[int, int, int]]:
    """Where each cell of row number goes, given the (columns, rows) it spans: left to right from
    column first, passing over the places a cell spanning down from an earlier row takes (taken,
    which it fills). (column, bottom row, right column) for each, in turn."""
    column = first
    for columns, spanned in spans:
        while (number, column) in taken:
            column += 1
        end, bottom = column + columns - 1, number + spanned - 1
        taken.update((r, c) for r in range(number, bottom + 1) for c in range(column, end + 1))
        yield column, bottom, end
        column = end + 1


def area(top: int, left: int, bottom: int, right: int) -> str:
    """A cell's reference, or its merged range's ("B3", "B3:D4")."""
    ref = f"{get_column_letter(left)}{top}"
    return ref if (bottom, right) == (top, left) else f"{ref}:{get_column_letter(right)}{bottom}"


def _write_header(grid: Grid, form, sheet: GoalSheet, first_row: int) -> int:
    """The header block from layout.header_grid; how many rows it took."""
    header = header_grid(form, sheet)
    taken: set[tuple[int, int]] = set()  # cells covered by a group label spanning rows
    for number, row in enumerate(header, start=first_row):
        _put_row(grid, number, 1, [(cell.amount if cell.amount is not None else cell.text or None, cell.span, cell.rows,
                                    Style.BOXED_LEFT if cell.long else Style.BOXED) for cell in row], taken)
    return len(header)


# --- openpyxl cells: the monitoring's, the self-evaluation's and the 汇总表's workbooks ----------

THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


def _put(ws: OpenpyxlWorksheet, cells: str, value, align: Alignment = CENTER) -> None:
    """Write value into a cell or merged range, bordering every cell of it, and make the
    rows tall enough for its wrapped text (openpyxl cannot autofit; LibreOffice will not)."""
    if ":" in cells:
        ws.merge_cells(cells)
    block = ws[cells] if ":" in cells else ((ws[cells],),)
    _set_value(block[0][0], value)
    for row in block:
        for cell in row:
            cell.border, cell.alignment, cell.font = BORDER, align, Font(name=FONT, size=10.5)
    width = sum(ws.column_dimensions[get_column_letter(cell.column)].width for cell in block[0])
    written = block[0][0].value
    lines = _wrapped_lines("" if written is None else str(written), width)
    for row in block:
        dimension = ws.row_dimensions[row[0].row]
        # Excel's tallest row: a longer text still is all in the cell, shown on selecting it.
        dimension.height = min(ROW_HEIGHT, max(dimension.height or 0, LINE_HEIGHT * lines / len(block) + 4))


def _set_value(cell: XlCell, value) -> None:
    if isinstance(value, str):
        value = _cell_text(value)
    cell.value = value
    if isinstance(value, str):
        # Text, never a formula: "=…" would run in Excel; quotePrefix keeps it text on edit too.
        cell.data_type = "s"
        cell.quotePrefix = value.startswith(FORMULA_START)


def _a4(ws: OpenpyxlWorksheet, orientation: str) -> None:
    ws.page_setup.paperSize = OpenpyxlWorksheet.PAPERSIZE_A4  # a write-only worksheet (the 汇总表) lacks the constant
    ws.page_setup.orientation = orientation
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0  # one page wide, as tall as needed
    ws.page_margins.left = ws.page_margins.right = MARGIN
    ws.page_margins.top = ws.page_margins.bottom = MARGIN
    ws.print_options.horizontalCentered = True


# --- reading -----------------------------------------------------------------------

# A form is 6 to 12 columns wide, a flat list about 20; a cell further right is refused, not
# read: reading every column would cost openpyxl 16,384 cells for each row of a file with one
# cell at XFD.
MAX_COLUMNS = 30
# A flat list may hold a whole file's rows; a worksheet longer than that is refused, not cut.
MAX_ROWS = limits.INDICATORS_PER_FILE + 1000
MAX_MERGES = 20_000  # a form merges a few dozen ranges; a county's flat list a few thousand
# Excel's own limit (CELL_CHARACTERS above): a longer cell was not written by Excel, and
# cleaning it would cost its length for every cell that refers to it.
# What openpyxl raises for a package that is sound XML (ooxml.check saw to that) but not a
# sound workbook: a part missing, a style number pointing nowhere, a value of the wrong kind.
BROKEN_WORKBOOK = (InvalidFileException, OSError, KeyError, IndexError, TypeError, ValueError, OverflowError, SyntaxError)
SHEET_XML = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
MERGE_CELL, CELL, ROW = f"{SHEET_XML}mergeCell", f"{SHEET_XML}c", f"{SHEET_XML}row"
FORMULA, VALUE, INLINE, TEXT = f"{SHEET_XML}f", f"{SHEET_XML}v", f"{SHEET_XML}is", f"{SHEET_XML}t"
# What a cell holds, kept until the cell's end is parsed (an inline string's runs among them).
IN_CELL = {FORMULA, VALUE, INLINE, TEXT, f"{SHEET_XML}r", f"{SHEET_XML}rPr", f"{SHEET_XML}rPh"}
COLUMN_LETTERS = re.compile(r"[A-Z]{1,3}")


@dataclass(frozen=True)
class Scanned:
    """A worksheet as read: its rows, and the first cell that could not be read, if any (where,
    why), refused once the worksheet is one the workbook's sheets are read from."""

    title: str
    rows: list[Row]
    unread: tuple[str, str] | None = None


def read_workbook(data: bytes, source: str, template=None) -> list[GoalSheet]:
    """The sheets in a workbook: its form worksheets if it has any, else a flat list
    (an exported workbook has both; its 指标清单 repeats the forms)."""
    return _sheets(_worksheets(data, source), source, template)


def read_contents(data: bytes, source: str, template=None) -> Contents:
    """What a workbook holds: the worksheets titled as a self-evaluation or monitoring are read
    as one each (documents.py), the others as target tables are (read_workbook)."""
    worksheets = _worksheets(data, source)
    titled = [ws for ws in worksheets if any(kind_of_title(row) for row in ws.rows[:TITLE_ROWS])]
    if not titled:
        return Contents(sheets=_sheets(worksheets, source, template))
    targets = [ws for ws in worksheets if any(is_title(row) for row in ws.rows[:TITLE_ROWS])]
    return Contents(sheets=_sheets(targets, source, template) if targets else [],
                    documents=worksheet_documents({ws.title: ws.rows for ws in _readable(titled, source)}, source))


def _sheets(worksheets: list["Scanned"], source: str, template=None) -> list[GoalSheet]:
    forms = [ws for ws in worksheets if any(is_title(row) for row in ws.rows[:TITLE_ROWS])]
    if forms:
        return read_rows([row for ws in _readable(forms, source) for row in ws.rows], source, "工作簿", template)
    # Else a flat list; failing that, the first worksheet, for the message to name its first cell.
    lists = [ws for ws in worksheets if is_flat_list(ws.rows)]
    if len(lists) > 1:  # reading the first alone would drop the others
        raise ReadError(source, f"工作表“{lists[1].title}”", f"工作簿里有{len(lists)}个指标清单，一次只能导入一个：请把每个清单存成一个文件再导入")
    lists = lists or worksheets
    return read_rows(_readable(lists[:1], source)[0].rows if lists else [], source, "工作簿", template)


def worksheet_rows(data: bytes, source: str) -> dict[str, list[Row]]:
    """Each worksheet's rows, by title, cells named "工作表“X”B4" (every cell readable, or the
    first that is not refused); the package must have passed ooxml.check first."""
    return {ws.title: ws.rows for ws in _readable(_worksheets(data, source), source)}


def _readable(worksheets: list[Scanned], source: str) -> list[Scanned]:
    """The worksheets, if every cell of theirs could be read: all or nothing."""
    for ws in worksheets:
        if ws.unread:
            raise ReadError(source, *ws.unread)
    return worksheets


def _worksheets(data: bytes, source: str) -> list[Scanned]:
    """Each worksheet's rows, in the workbook's order."""
    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
        try:
            if missing := [name for name in _declared_sheets(data) if name not in book.sheetnames]:
                # openpyxl passes over a worksheet whose part is missing: all or nothing says refuse.
                raise ReadError(source, f"工作表“{missing[0]}”", "这个工作表的内容缺失，文件可能已损坏")
            cleaned: dict[str, str] = {}  # shared by the worksheets, as the workbook's strings are
            scanned = []
            for ws in book.worksheets:
                merges, unread = _scan(book, ws, source)
                scanned.append(Scanned(ws.title, _rows(ws, merges, cleaned, source), unread))
            return scanned
        finally:
            book.close()
    except ReadError:
        raise
    except BROKEN_WORKBOOK as error:
        raise ReadError(source, None, f"不是有效的Excel文件，可能已损坏（{type(error).__name__}）") from None


def _declared_sheets(data: bytes) -> list[str]:
    """The sheet names the workbook part lists (ooxml.check has already refused any entity in it)."""
    workbook = ElementTree.fromstring(ZipFile(BytesIO(data)).read("xl/workbook.xml"))
    return [sheet.get("name", "") for sheet in workbook.iterfind("{*}sheets/{*}sheet")]


def _scan(book, ws, source: str) -> tuple[list[tuple[int, int, int, int]], tuple[str, str] | None]:
    """The worksheet's merged ranges as (first column, first row, last column, last row), and
    the first cell openpyxl would read wrong or not at all: a formula saved without its
    result (openpyxl, and tools like it, write none; read-only mode reads it as blank), or a
    cell right of the columns read."""
    merges, unread, column = [], None, 0
    texts: dict[str, bool] = {}  # whether each shared string holds text, as one may be shared by many cells
    with book._archive.open(ws._worksheet_path) as part:
        for _, element in ElementTree.iterparse(part):
            tag = element.tag
            if tag == CELL:
                letters = COLUMN_LETTERS.match(element.get("r", ""))
                column = column_index_from_string(letters.group()) if letters else column + 1
                if unread is None:
                    unread = _unreadable(element, column, ws, texts)
            elif tag == MERGE_CELL:
                merges.append(range_boundaries(element.get("ref", "")))
                if len(merges) > MAX_MERGES:
                    raise ReadError(source, f"工作表“{ws.title}”", f"合并单元格超过{MAX_MERGES}处，不像是绩效目标表")
            elif tag == ROW:
                column = 0
            if tag not in IN_CELL:
                element.clear()
    return merges, unread


def _unreadable(cell, column: int, ws, texts: dict[str, bool]) -> tuple[str, str] | None:
    """Why the cell cannot be read as the reader reads it, if it cannot."""
    formula, value = cell.find(FORMULA), cell.find(VALUE)
    if formula is not None and (value is None or not (value.text or cell.get("t") == "str")):
        why = "公式没有计算结果（保存这个文件的程序没有算出公式的值）：请在Excel或WPS里打开、保存后再导入"
    elif column > MAX_COLUMNS and (formula is not None or _holds_text(cell, value, ws._shared_strings, texts)):
        why = f"这个单元格在{get_column_letter(MAX_COLUMNS)}列的右边，绩效目标表没有这么宽，读不到它：请把它移进表格里或删去后再导入"
    else:
        return None
    return f"工作表“{ws.title}”{cell.get('r') or get_column_letter(column)}", why


def _holds_text(cell, value, strings, texts: dict[str, bool]) -> bool:
    """Whether the cell holds more than blanks, in its value, its shared string or its inline string."""
    if cell.get("t") == "s" and value is not None:
        if value.text not in texts:
            try:
                texts[value.text] = bool(clean(str(strings[int(value.text)])))
            except (TypeError, ValueError, IndexError):
                texts[value.text] = True  # openpyxl refuses it as it reads the cell
        return texts[value.text]
    if value is not None:
        return bool(clean(value.text or ""))
    return any(clean(text.text or "") for text in cell.iter(TEXT))


def _rows(ws, merges: list[tuple[int, int, int, int]], cleaned: dict[str, str], source: str) -> list[Row]:
    """The worksheet's rows that hold anything, as Word would have them: a merged range is
    its first cell (empty in the rows it covers below), the rest of it left out.

    Blank rows are left out: one cell at AD90000 made 90,000 rows of 30 cells (a 1.5 KB file,
    8 s and 780 MB). Each cell keeps its own row number, so a message still names "B4".
    """
    ws.reset_dimensions()  # the file's own <dimension> may claim a million rows
    rows: list[Row] = []
    blank = None
    for row in ws.iter_rows(max_col=MAX_COLUMNS):
        if row is blank:
            continue  # openpyxl hands over one shared row of empty cells for each row the file skips
        number = next((cell.row for cell in row if hasattr(cell, "row")), None)
        if number is None:
            blank = row
            continue
        covering = [m for m in merges if m[1] <= number <= m[3]]
        placed = []  # (column, text, cell): Cells are made only for what is kept
        for column, cell in enumerate(row, start=1):
            merge = next((m for m in covering if m[0] <= column <= m[2]), None)
            if merge is not None and column != merge[0]:
                continue  # inside a merged range, right of its first column
            covered = merge is not None and merge[1] != number
            placed.append((column, "" if covered else _text(cell, ws.title, cleaned, source), covered))
        while placed and not placed[-1][1]:
            placed.pop()
        if not placed:
            continue
        cells = [Cell(text, f"工作表“{ws.title}”{get_column_letter(column)}{number}", column - 1, covered)
                 for column, text, covered in placed]
        if len(rows) == MAX_ROWS:
            raise ReadError(source, f"工作表“{ws.title}”", f"有内容的行超过{MAX_ROWS}行，不像是绩效目标表")
        rows.append(Row(cells))
    return rows


def _text(cell, title: str, cleaned: dict[str, str], source: str) -> str:
    """A cell's value as the form shows it: 0.95 formatted as a percentage reads "95%".

    Text is cleaned once per distinct string: a workbook's cells share its strings, and one
    1 MB string referenced by 100 cells took 5 s when each reference was cleaned anew.
    """
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, float | int | Decimal) and not isinstance(value, bool):
        if "%" in (cell.number_format or ""):
            return f"{Decimal(str(value)) * 100:f}".rstrip("0").rstrip(".") + "%"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    text = str(value)
    if text not in cleaned:
        if len(text) > CELL_CHARACTERS:  # Excel cuts a longer text: this one was written by something else
            raise ReadError(source, f"工作表“{title}”{cell.coordinate}",
                            f"单元格有{len(text):,}个字，超过Excel单元格的上限{CELL_CHARACTERS:,}个字，不像是绩效目标表")
        cleaned[text] = clean(text)
    return cleaned[text]
