"""Write a catalog variant as a unit would hand it in: Word plain text, .docx, .xlsx.

Plain text follows the seed (Word's "save as plain text" of the form): title lines indented
with spaces, the unit line after a tab with the money note at its end after a run of spaces,
an empty line, then the table rows separated by empty lines; in a row each cell starts with a
tab, a line break inside a cell is a line without a tab; a cell covered by a cell from an earlier
row (vertical merge) is written as an empty cell, a horizontally merged cell once. The footer
follows after an empty line (an empty paragraph after the table, as forms usually have;
without it Word's text would run the footer into the last cell).
"""
from __future__ import annotations

from io import BytesIO
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Side

from .model import Variant, layout, slots

TITLE_INDENT = " " * 15          # Word centres a title with spaces in plain text (as in the seed)
UNIT_LINE_PREFIX = "\t"          # the seed's unit line starts with a tab
MONEY_NOTE_GAP = " " * 31        # the seed's gap between 填报单位 and 单位：万元


def above_table_lines(variant: Variant) -> list[str]:
    """The lines between title and table, money note appended to the last unit line."""
    lines = list(variant.unit_lines)
    if variant.money_note and lines:
        lines[-1] = lines[-1] + MONEY_NOTE_GAP + variant.money_note
    elif variant.money_note:
        lines.append(variant.money_note)
    return lines


# ---- plain text -------------------------------------------------------------------------------

def to_text(variant: Variant) -> str:
    lines = [TITLE_INDENT + title for title in variant.title]
    lines += [(UNIT_LINE_PREFIX if variant.unit_lines else "") + line for line in above_table_lines(variant)]
    lines.append("")
    rows = ["\n".join(_text_cell(p.cell.text if starts else "") for p, starts in row)
            for row in slots(variant.table)]
    lines.append("\n\n".join(rows))
    if variant.footer_lines:
        lines += ["", *variant.footer_lines]
    return "\n".join(lines) + "\n"


def _text_cell(text: str) -> str:
    return "\t" + text


def to_txt_bytes(variant: Variant, encoding: str = "utf-8", newline: str = "\n") -> bytes:
    """The text file as saved: encoding "utf-8", "utf-8-sig" or "gb18030"; newline "\\n" or "\\r\\n"."""
    return to_text(variant).replace("\n", newline).encode(encoding)


# ---- Word -------------------------------------------------------------------------------------

def to_docx(variant: Variant) -> bytes:
    document = Document()
    for title in variant.title:
        document.add_paragraph(title).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in above_table_lines(variant):
        document.add_paragraph(line)
    _docx_table(document, variant)
    for line in variant.footer_lines:
        document.add_paragraph(line)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_table(document, variant: Variant) -> None:
    table = document.add_table(rows=len(variant.table), cols=variant.width)
    table.style = "Table Grid"
    for p in layout(variant.table):
        cell = table.cell(p.row, p.col)
        if p.cell.colspan > 1 or p.cell.rowspan > 1:
            cell = cell.merge(table.cell(p.row + p.cell.rowspan - 1, p.col + p.cell.colspan - 1))
        cell.text = p.cell.text  # "\n" becomes a line break inside the cell


# ---- Excel ------------------------------------------------------------------------------------

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def xlsx_table_start(variant: Variant) -> int:
    """The 1-based worksheet row of the table's first row."""
    return 1 + len(variant.title) + len(above_table_lines(variant))


def to_xlsx(variant: Variant) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "绩效目标表"
    width = variant.width
    row = 1
    for title in variant.title:
        _put(sheet, row, 1, title, last_col=width).alignment = Alignment(horizontal="center")
        row += 1
    row = _xlsx_unit_rows(sheet, variant, row, width)
    _xlsx_table(sheet, variant, row)
    row += len(variant.table) + 1  # one empty row before the footer
    for line in variant.footer_lines:
        _put(sheet, row, 1, line, last_col=width)
        row += 1
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_unit_rows(sheet, variant: Variant, row: int, width: int) -> int:
    """填报单位 on the left (merged), the money note alone in the last column."""
    units = list(variant.unit_lines)
    for index, line in enumerate(units):
        last = index == len(units) - 1 and variant.money_note
        _put(sheet, row, 1, line, last_col=width - 1 if last else width)
        if not last:
            row += 1
    if variant.money_note:
        _put(sheet, row, width, variant.money_note)
        row += 1
    return row


def _xlsx_table(sheet, variant: Variant, top: int) -> None:
    for r in range(len(variant.table)):
        for c in range(variant.width):
            sheet.cell(top + r, c + 1).border = BOX
    for p in layout(variant.table):
        cell = _put(sheet, top + p.row, p.col + 1, p.cell.text,
                    last_row=top + p.row + p.cell.rowspan - 1, last_col=p.col + p.cell.colspan)
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def _put(sheet, row: int, col: int, text: str, last_row: int | None = None, last_col: int | None = None):
    """Write text as text (never a number) at (row, col), merged to (last_row, last_col)."""
    last_row, last_col = last_row or row, last_col or col
    if (last_row, last_col) != (row, col):
        sheet.merge_cells(start_row=row, start_column=col, end_row=last_row, end_column=last_col)
    cell = sheet.cell(row, col)
    cell.value = text or None
    cell.number_format = "@"
    return cell


# ---- all at once ------------------------------------------------------------------------------

def write_all(directory: Path, variants=None) -> list[Path]:
    """Every variant in every format into `directory` (for looking at them by hand)."""
    from .catalog import VARIANTS

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for variant in variants or VARIANTS:
        files = {
            f"{variant.code}.txt": to_txt_bytes(variant, "utf-8"),
            f"{variant.code}.gb18030.txt": to_txt_bytes(variant, "gb18030", "\r\n"),
            f"{variant.code}.docx": to_docx(variant),
            f"{variant.code}.xlsx": to_xlsx(variant),
        }
        for name, data in files.items():
            (directory / name).write_bytes(data)
            written.append(directory / name)
    return written
