"""Sanity checks of the template-variant fixtures (tests/variants): the catalog is consistent and
every written file holds what the catalog says, merged where it says. Readers are not tested here."""
from io import BytesIO

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from tests.variants.catalog import BY_CODE, VARIANTS
from tests.variants.model import layout, normalise, slots
from tests.variants.writers import (
    above_table_lines,
    to_docx,
    to_text,
    to_txt_bytes,
    to_xlsx,
    xlsx_table_start,
)

CODES = [variant.code for variant in VARIANTS]
REQUIRED = {"hunan_2021", "hunan_2023", "anhui_2025", "sichuan_2023", "hubei_2019",
            "guangdong_2019", "fujian_2019_department", "flat_list"}


# ---- what every expected string is -------------------------------------------------------------

def expected_cell_texts(variant) -> set[str]:
    """Every text the expected data says is a cell of the table (labels split on "/")."""
    texts: set[str] = set(variant.section_labels)
    for label, value in variant.header:
        texts.update(label.split("/"))  # "group/label"
        texts.add(value)
    for column in variant.indicator_columns:
        texts.update(column.split("/"))
    for records in [variant.indicators, *variant.subtables.values(), variant.subtotals]:
        for record in records:
            for key, value in record.items():
                texts.update(key.split("/"))
                texts.add(value)
    for group in variant.categories:
        texts.update(group)
    texts.discard("")
    return texts


def expected_footer_texts(variant) -> set[str]:
    return {text for pair in variant.footers for text in pair if text}


# ---- reading the files back, independently of goalsapp ---------------------------------------

def text_rows(text: str) -> tuple[list[str], list[list[str]], list[str]]:
    """(lines above the table, table rows as cell texts, footer lines) of the writer's text."""
    groups, current = [], []
    for line in text.split("\n"):
        if line:
            current.append(line)
        elif current:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    preamble, rest = groups[0], groups[1:]
    rows = [_text_cells(group) for group in rest if group[0].startswith("\t")]
    footers = [line for group in rest if not group[0].startswith("\t") for line in group]
    return preamble, rows, footers


def _text_cells(lines: list[str]) -> list[str]:
    cells: list[list[str]] = []
    for line in lines:
        if line.startswith("\t"):
            cells.append([line[1:]])
        else:
            cells[-1].append(line)
    return ["\n".join(cell) for cell in cells]


def docx_spans(table) -> set[tuple[int, int, int, int]]:
    """(row, col, colspan, rowspan) of every cell, read from the table's XML."""
    starts: dict[tuple[int, int], list[int]] = {}
    for r, tr in enumerate(table._tbl.tr_lst):
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            vmerge = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
            continues = vmerge is not None and vmerge.get(qn("w:val")) in (None, "continue")
            if continues:
                top = max(row for row, c in starts if c == col)
                starts[(top, col)][1] += 1
            else:
                starts[(r, col)] = [span, 1]
            col += span
    return {(r, c, span, down) for (r, c), (span, down) in starts.items()}


def declared_spans(variant) -> set[tuple[int, int, int, int]]:
    return {(p.row, p.col, p.cell.colspan, p.cell.rowspan) for p in layout(variant.table)}


def xlsx_resolved(sheet) -> dict[tuple[int, int], str]:
    """Every cell's text, a merged range's text copied into the cells it covers."""
    values = {(c.row, c.column): c.value for row in sheet.iter_rows() for c in row if c.value is not None}
    for merged in sheet.merged_cells.ranges:
        text = values.get((merged.min_row, merged.min_col))
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if text is not None:
                    values[(r, c)] = text
    return values


# ---- the catalog -----------------------------------------------------------------------------

def test_every_variant_of_the_brief_is_there():
    assert REQUIRED <= set(BY_CODE)
    assert len(CODES) == len(set(CODES))


@pytest.mark.parametrize("code", CODES)
def test_catalog_is_consistent(code):
    variant = BY_CODE[code]
    layout(variant.table)  # raises when rows do not fill the grid
    assert 8 <= len(variant.indicators) <= 15
    assert any(value in ("无", "不适用") for record in variant.indicators for value in record.values())
    assert len(variant.indicators) == len(variant.indicator_rows)
    for record in variant.indicators:
        assert tuple(record) == variant.indicator_columns
        assert all("\n" not in key for key in record)


@pytest.mark.parametrize("code", CODES)
def test_every_non_empty_cell_lands_in_the_expected_data(code):
    variant = BY_CODE[code]
    expected = {normalise(text) for text in expected_cell_texts(variant)}
    for p in layout(variant.table):
        if p.cell.text:
            assert normalise(p.cell.text) in expected, p.cell.text


@pytest.mark.parametrize("code", CODES)
def test_every_expected_text_is_a_cell_of_the_table(code):
    variant = BY_CODE[code]
    cells = {p.cell.text for p in layout(variant.table)}
    assert expected_cell_texts(variant) <= cells, expected_cell_texts(variant) - cells


@pytest.mark.parametrize("code", CODES)
def test_indicators_sit_on_their_rows(code):
    variant = BY_CODE[code]
    grid = {}
    for p in layout(variant.table):
        for dr in range(p.cell.rowspan):
            for dc in range(p.cell.colspan):
                grid[(p.row + dr, p.col + dc)] = p.cell.text
    for record, row in zip(variant.indicators, variant.indicator_rows):
        on_row = {grid[(row, col)] for col in range(variant.width)}
        assert {value for value in record.values() if value} <= on_row


# ---- the files -------------------------------------------------------------------------------

@pytest.mark.parametrize("code", CODES)
def test_text_file(code):
    variant = BY_CODE[code]
    preamble, rows, footers = text_rows(to_text(variant))
    assert [line.strip() for line in preamble] == [*variant.title, *above_table_lines(variant)]
    assert len(rows) == len(variant.table)
    for row, row_slots in zip(rows, slots(variant.table)):
        # a horizontally merged cell is written once, a cell covered from above as an empty cell
        assert row == [p.cell.text if starts else "" for p, starts in row_slots]
    cells = {cell for row in rows for cell in row}
    assert expected_cell_texts(variant) <= cells
    assert footers == list(variant.footer_lines)
    for text in expected_footer_texts(variant):
        assert any(text in line for line in footers)


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("encoding,newline", [("utf-8", "\n"), ("gb18030", "\r\n"), ("utf-8-sig", "\r\n")])
def test_text_bytes_round_trip(code, encoding, newline):
    variant = BY_CODE[code]
    data = to_txt_bytes(variant, encoding, newline)
    assert data.decode(encoding).replace(newline, "\n") == to_text(variant)


@pytest.mark.parametrize("code", CODES)
def test_docx_file(code):
    variant = BY_CODE[code]
    document = Document(BytesIO(to_docx(variant)))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[:len(variant.title)] == list(variant.title)
    assert all(line in paragraphs for line in above_table_lines(variant))
    assert len(document.tables) == 1
    table = document.tables[0]
    assert len(table.rows) == len(variant.table)
    assert docx_spans(table) == declared_spans(variant)
    cells = {cell.text for row in table.rows for cell in row.cells}
    assert expected_cell_texts(variant) <= cells
    for record, row in zip(variant.indicators, variant.indicator_rows):
        on_row = {cell.text for cell in table.rows[row].cells}  # python-docx resolves merges
        assert {value for value in record.values() if value} <= on_row
    for text in expected_footer_texts(variant):
        assert any(text in p for p in paragraphs[-len(variant.footer_lines):])


@pytest.mark.parametrize("code", CODES)
def test_xlsx_file(code):
    variant = BY_CODE[code]
    sheet = load_workbook(BytesIO(to_xlsx(variant))).active
    top = xlsx_table_start(variant)
    for number, title in enumerate(variant.title, start=1):
        assert sheet.cell(number, 1).value == title
    table_merges = {
        (m.min_row - top, m.min_col - 1, m.max_col - m.min_col + 1, m.max_row - m.min_row + 1)
        for m in sheet.merged_cells.ranges if top <= m.min_row < top + len(variant.table)
    }
    assert table_merges == {span for span in declared_spans(variant) if span[2] > 1 or span[3] > 1}
    values = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert all(isinstance(value, str) for value in values)  # amounts stay text as written
    assert expected_cell_texts(variant) <= set(values)
    for text in expected_footer_texts(variant):
        assert any(text in value for value in values)
    if variant.money_note:
        assert variant.money_note in values
    resolved = xlsx_resolved(sheet)
    for record, row in zip(variant.indicators, variant.indicator_rows):
        on_row = {resolved.get((top + row, col)) for col in range(1, variant.width + 1)}
        assert {value for value in record.values() if value} <= on_row

