"""A small .xlsx writer: worksheets as grids of cells in a handful of shared styles, written
straight into the package as each is finished.

openpyxl makes an object of every cell and of every style set on it, then writes them all at
the end: 13 ms a form worksheet, and a workbook's memory grows with its cells. A form is a few
hundred cells in five styles; writing its XML from a grid takes a fraction of that, and only one
worksheet is ever held (a long list is streamed row by row). What the files hold is what
openpyxl wrote for them: the same values, merges, widths, heights, fonts, borders, alignments,
text-not-formula marks and print setup; strings are inline rather than shared.
"""
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import IntEnum
from typing import BinaryIO
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter
from openpyxl.writer.theme import theme_xml

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
FORMULA_START = ("=", "+", "-", "@")  # a text starting so would be a formula once edited: marked as text (quotePrefix)
SONG = "宋体"  # Song, as on the government form; LibreOffice substitutes Noto Serif CJK


class Style(IntEnum):
    """The cells' styles: each a font, a border, an alignment (the value is its place in styles.xml)."""

    PLAIN = 0  # the workbook's default (Calibri 11)
    BOXED = 1  # Song 10.5, thin border all round, centred, wrapped: the form's cells
    BOXED_LEFT = 2  # the same, to the left: long texts
    TITLE = 3  # Song 18 bold, centred
    TEXT = 4  # Song 10.5: a line of the form outside its table, a list's cell
    TEXT_RIGHT = 5  # Song 10.5 to the right: the money unit over the table
    HEAD = 6  # Song 10.5 bold: a list's heads


# The first is the workbook's default as openpyxl writes it, the theme's (its column widths are counted in it).
FONTS = ('<font><name val="Calibri"/><family val="2"/><color theme="1"/><sz val="11"/><scheme val="minor"/></font>',
         f'<font><sz val="10.5"/><name val="{SONG}"/></font>',
         f'<font><b val="1"/><sz val="18"/><name val="{SONG}"/></font>',
         f'<font><b val="1"/><sz val="10.5"/><name val="{SONG}"/></font>')
CENTERED = '<alignment horizontal="center" vertical="center" wrapText="1"/>'
# Each Style as (font, border, alignment), in Style's order.
XFS = ((0, 0, ""), (1, 1, CENTERED), (1, 1, '<alignment horizontal="left" vertical="center" wrapText="1"/>'), (2, 0, CENTERED),
       (1, 0, ""), (1, 0, '<alignment horizontal="right"/>'), (3, 0, ""))
QUOTED = len(XFS)  # each style again, marked text-not-formula: Style + QUOTED


def _styles_xml() -> str:
    aligned, text = ' applyAlignment="1"', ' quotePrefix="1"'
    xfs = "".join(
        f'<xf numFmtId="0" fontId="{font}" fillId="0" borderId="{border}" xfId="0" applyFont="1" applyBorder="1"'
        f'{aligned if alignment else ""}{text if quoted else ""}>{alignment}</xf>'
        for quoted in (False, True) for font, border, alignment in XFS)
    return (f'{XML_HEAD}<styleSheet xmlns="{MAIN}"><fonts count="{len(FONTS)}">{"".join(FONTS)}</fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border><left style="thin"/>'
            '<right style="thin"/><top style="thin"/><bottom style="thin"/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{2 * QUOTED}">{xfs}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


@dataclass
class PageSetup:
    """A4, one page wide and as tall as needed, centred, 12 mm margins (as print.css)."""

    landscape: bool = False
    title_rows: tuple[int, int] | None = None  # repeated at the top of every printed page
    frozen_head: bool = False  # the first row stays in view on scrolling

    def xml(self) -> str:
        return ('<printOptions horizontalCentered="1"/>'
                '<pageMargins left="0.47" right="0.47" top="0.47" bottom="0.47" header="0.5" footer="0.5"/>'
                f'<pageSetup paperSize="9" orientation="{"landscape" if self.landscape else "portrait"}" fitToWidth="1" fitToHeight="0"/>')


@dataclass
class Worksheet:
    """One worksheet, built in memory as cells at (row, column), numbered from 1."""

    title: str
    widths: dict[int, float] = field(default_factory=dict)  # by column, in Excel's character units
    heights: dict[int, float] = field(default_factory=dict)  # by row, in points
    cells: dict[tuple[int, int], tuple[object, Style]] = field(default_factory=dict)
    merges: list[str] = field(default_factory=list)
    setup: PageSetup = field(default_factory=PageSetup)

    def put(self, row: int, column: int, value, style: Style = Style.PLAIN) -> None:
        """A text, an amount or a number (None: an empty cell, still styled)."""
        self.cells[row, column] = (value, style)

    def merge(self, top: int, left: int, bottom: int, right: int) -> None:
        self.merges.append(f"{get_column_letter(left)}{top}:{get_column_letter(right)}{bottom}")

    def xml(self) -> str:
        return _worksheet_start(self.setup, self.widths) + "".join(self._rows()) + _worksheet_end(self.setup, self.merges)

    def _rows(self) -> Iterable[str]:
        rows: dict[int, list[str]] = {}
        for (row, column), (value, style) in sorted(self.cells.items()):
            rows.setdefault(row, []).append(cell_xml(f"{get_column_letter(column)}{row}", value, style))
        for row in sorted(rows.keys() | self.heights.keys()):
            yield _row_xml(row, self.heights.get(row), "".join(rows.get(row, ())))


def cell_xml(ref: str, value, style: Style) -> str:
    """One cell: a string inline (marked text when it would read as a formula), a number as a number;
    an empty one (None, or no text) only its style."""
    if value is None or value == "":
        return f'<c r="{ref}" s="{style}"/>' if style else ""
    if isinstance(value, str):
        s = style + QUOTED if value.startswith(FORMULA_START) else style
        return f'<c r="{ref}" s="{s}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'
    number = format(value, "f") if isinstance(value, Decimal) else str(value)
    return f'<c r="{ref}" s="{style}"><v>{number}</v></c>'


def _row_xml(number: int, height: float | None, cells: str) -> str:
    tall = f' ht="{height:g}" customHeight="1"' if height else ""
    return f'<row r="{number}"{tall}>{cells}</row>'


def _worksheet_start(setup: PageSetup, widths: dict[int, float]) -> str:
    pane = ('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/>'
            if setup.frozen_head else "")
    columns = "".join(f'<col min="{column}" max="{column}" width="{width:g}" customWidth="1"/>' for column, width in sorted(widths.items()))
    return (f'{XML_HEAD}<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            f'<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews><sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>'
            f'{f"<cols>{columns}</cols>" if columns else ""}<sheetData>')


def _worksheet_end(setup: PageSetup, merges: list[str]) -> str:
    merged = f'<mergeCells count="{len(merges)}">{"".join(f"<mergeCell ref={quoteattr(ref)}/>" for ref in merges)}</mergeCells>' if merges else ""
    return f"</sheetData>{merged}{setup.xml()}</worksheet>"


class Package:
    """The .xlsx being written into `out`: add worksheets in order, then close."""

    def __init__(self, out: BinaryIO):
        # Level 1: a form compresses almost as well, at a fraction of the time of the default.
        self.zip = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        self.sheets: list[tuple[str, tuple[int, int] | None]] = []  # each worksheet's name and print title rows

    def add(self, worksheet: Worksheet) -> None:
        self.zip.writestr(self._next_part(worksheet.title, worksheet.setup), worksheet.xml())

    def add_list(self, title: str, widths: dict[int, float], rows: Iterable[Iterable], head_style: Style = Style.HEAD,
                 style: Style = Style.TEXT) -> None:
        """A worksheet of rows, the first its heads, streamed into the package row by row."""
        setup = PageSetup(landscape=True, frozen_head=True)
        with self.zip.open(self._next_part(title, setup), "w") as part:
            part.write(_worksheet_start(setup, widths).encode())
            for number, values in enumerate(rows, start=1):
                cells = "".join(cell_xml(f"{get_column_letter(column)}{number}", value, head_style if number == 1 else style)
                                for column, value in enumerate(values, start=1))
                part.write(_row_xml(number, None, cells).encode())
            part.write(_worksheet_end(setup, []).encode())

    def close(self) -> None:
        count = len(self.sheets)
        sheets = "".join(f'<sheet name={quoteattr(title)} sheetId="{n}" r:id="rId{n}"/>' for n, (title, _) in enumerate(self.sheets, start=1))
        titles = "".join(
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{n}">{escape(_quoted(title))}!${first}:${last}</definedName>'
            for n, (title, rows) in enumerate(self.sheets) if rows for first, last in [rows])
        self.zip.writestr("xl/workbook.xml", f'{XML_HEAD}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><bookViews><workbookView/></bookViews>'
                          f'<sheets>{sheets}</sheets>{f"<definedNames>{titles}</definedNames>" if titles else ""}</workbook>')
        self.zip.writestr("xl/styles.xml", _styles_xml())
        self.zip.writestr("xl/theme/theme1.xml", theme_xml)
        worksheet = f"{RELATIONSHIPS}/worksheet"
        self.zip.writestr("xl/_rels/workbook.xml.rels", f'{XML_HEAD}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">' + "".join(
            f'<Relationship Id="rId{n}" Type="{worksheet}" Target="worksheets/sheet{n}.xml"/>' for n in range(1, count + 1))
            + f'<Relationship Id="rId{count + 1}" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId{count + 2}" Type="{RELATIONSHIPS}/theme" Target="theme/theme1.xml"/></Relationships>')
        # Readers lay a workbook out as Excel does (LibreOffice: its column widths) when it says it is written so.
        self.zip.writestr("docProps/app.xml", '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                          '<Application>Microsoft Excel Compatible / goalsapp</Application></Properties>')
        self.zip.writestr("_rels/.rels", f'{XML_HEAD}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}"><Relationship Id="rId1" '
                          f'Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" '
                          f'Type="{RELATIONSHIPS}/extended-properties" Target="docProps/app.xml"/></Relationships>')
        spreadsheet = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        self.zip.writestr("[Content_Types].xml", f'{XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                          '<Default Extension="xml" ContentType="application/xml"/>'
                          f'<Override PartName="/xl/workbook.xml" ContentType="{spreadsheet}.sheet.main+xml"/>'
                          f'<Override PartName="/xl/styles.xml" ContentType="{spreadsheet}.styles+xml"/>'
                          '<Override PartName="/xl/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>'
                          '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
                          + "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{spreadsheet}.worksheet+xml"/>'
                                    for n in range(1, count + 1)) + "</Types>")
        self.zip.close()

    def _next_part(self, title: str, setup: PageSetup) -> str:
        self.sheets.append((title, setup.title_rows))
        return f"xl/worksheets/sheet{len(self.sheets)}.xml"


def _quoted(title: str) -> str:
    """A worksheet's name as a formula names it: in quotes, a quote in it doubled."""
    return "'" + title.replace("'", "''") + "'"
