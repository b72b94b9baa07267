"""Hostile and broken files: each is refused with a 422 naming the file and what is wrong,
never a 500 and never hours of work, and nothing is stored; on the upload page and in
`flask import` alike. The files are built here from the seed's own .xlsx and .docx."""
import random
import re
import struct
import time
from functools import cache
from io import BytesIO
from xml.sax.saxutils import escape
from zipfile import ZIP_DEFLATED, ZipFile

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from goalsapp.cli.commands import DEMO_FILE
from goalsapp.domain.errors import ReadError
from goalsapp.domain.importing import read_bytes, read_sheets
from goalsapp.domain.models import GoalSheet
from goalsapp.extensions import db
from goalsapp.formats import excel as xlsx
from goalsapp.formats import ooxml
from goalsapp.formats.excel import FLAT_HEADS, write_workbook
from goalsapp.formats.reader import Cell, clean

from .paperforms import paper_form_docx
from .test_exchange import upload

SHEET_PART, DOCUMENT_PART = "xl/worksheets/sheet1.xml", "word/document.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
OVER_THE_LIMIT = ooxml.MAX_UNPACKED_BYTES + 1024 * 1024
XXE = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS = b'<!DOCTYPE x [<!ENTITY lol "lol">' + b"".join(
    b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10) for n in range(1, 10)) + b"]>"


@cache
def seed_xlsx() -> bytes:
    return write_workbook(read_sheets(DEMO_FILE))


@cache
def seed_docx() -> bytes:
    return paper_form_docx(read_sheets(DEMO_FILE)[:2])


def part(data: bytes, name: str) -> bytes:
    return ZipFile(BytesIO(data)).read(name)


def repacked(data: bytes, changes: dict[str, bytes]) -> bytes:
    """The package with some parts' content replaced (or added)."""
    source, buffer, changes = ZipFile(BytesIO(data)), BytesIO(), dict(changes)
    with ZipFile(buffer, "w", ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, changes.pop(info.filename, None) or source.read(info))
        for name, content in changes.items():
            target.writestr(name, content)
    return buffer.getvalue()


def with_prolog(data: bytes, name: str, prolog: bytes, body_text: bytes = b"") -> bytes:
    """A part given a DOCTYPE after its XML declaration, and an entity reference in its text."""
    xml = part(data, name)
    declaration_end = xml.index(b"?>") + 2 if xml.startswith(b"<?xml") else 0
    xml = xml[:declaration_end] + prolog + xml[declaration_end:]
    if body_text:
        xml = xml.replace(b"2021", body_text, 1)
    return repacked(data, {name: xml})


def bomb(data: bytes, name: str) -> bytes:
    """A part padded past the unpacked limit with blanks, which deflate packs a thousandfold."""
    return repacked(data, {name: part(data, name) + b" " * OVER_THE_LIMIT})


def lying_about_its_size(data: bytes, name: str) -> bytes:
    """The bomb, its central directory claiming the part is as small as before."""
    packed, small = bomb(data, name), len(part(data, name))
    entry = packed.index(b"PK\x01\x02")
    while not packed[entry + 46:].startswith(name.encode()):
        entry = packed.index(b"PK\x01\x02", entry + 4)
    return packed[:entry + 24] + struct.pack("<L", small) + packed[entry + 28:]


def encrypted(data: bytes) -> bytes:
    """Every part flagged as encrypted, as a zip tool's password does it."""
    packed = bytearray(data)
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = packed.find(signature)
        while at >= 0:
            packed[at + flags_at] |= 1
            at = packed.find(signature, at + 4)
    return bytes(packed)


def bit_flipped(data: bytes, name: str) -> bytes:
    """One bit changed in the middle of a part's packed bytes."""
    info = ZipFile(BytesIO(data)).getinfo(name)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    flipped = bytearray(data)
    flipped[start + info.compress_size // 2] ^= 0x10
    return bytes(flipped)


def many_parts(data: bytes) -> bytes:
    return repacked(data, {f"customXml/item{n}.xml": b"<a/>" for n in range(ooxml.MAX_PARTS)})


def many_elements(data: bytes) -> bytes:
    xml = part(data, DOCUMENT_PART)
    return repacked(data, {DOCUMENT_PART: xml.replace(b"<w:body>", b"<w:body>" + b"<w:p/>" * ooxml.MAX_ELEMENTS, 1)})


def many_attributes(data: bytes) -> bytes:
    """Paragraphs of a hundred empty attributes each, past the budget: lxml keeps 220 bytes for each."""
    paragraph = b"<w:p " + b" ".join(b'a%d=""' % n for n in range(100)) + b"/>"
    xml = part(data, DOCUMENT_PART)
    return repacked(data, {DOCUMENT_PART: xml.replace(b"<w:body>", b"<w:body>" + paragraph * (ooxml.MAX_ATTRIBUTES // 100), 1)})


def with_cells(data: bytes, cells: dict[str, object], worksheet: int = 0) -> bytes:
    """The workbook with some cells of one worksheet set."""
    book = load_workbook(BytesIO(data))
    for ref, value in cells.items():
        book.worksheets[worksheet][ref] = value
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sharing(text: str, rows: int, columns: int = 10) -> bytes:
    """A workbook whose cells all refer to one shared string (openpyxl writes each cell's own)."""
    book = Workbook()
    book.active["A1"] = "x"
    buffer = BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    row = '<c t="s"><v>0</v></c>' * columns
    sheet = part(data, SHEET_PART).split(b"<sheetData>")[0] + b"<sheetData>" + "".join(
        f'<row r="{n}">{row}</row>' for n in range(1, rows + 1)).encode() + b"</sheetData></worksheet>"
    strings = f'<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>{escape(text)}</t></si></sst>'.encode()
    types = part(data, "[Content_Types].xml").replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType='
                                                      b'"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    rels = part(data, "xl/_rels/workbook.xml.rels").replace(b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.'
                                                            b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                                                            b'Target="sharedStrings.xml"/></Relationships>')
    return repacked(data, {SHEET_PART: sheet, "xl/sharedStrings.xml": strings, "[Content_Types].xml": types,
                           "xl/_rels/workbook.xml.rels": rels})


HOSTILE = [  # file name, how to make it, what the message says
    ("bomb.xlsx", lambda: bomb(seed_xlsx(), SHEET_PART), "超过25 MB"),
    ("bomb.docx", lambda: bomb(seed_docx(), DOCUMENT_PART), "超过25 MB"),
    ("lying.xlsx", lambda: lying_about_its_size(seed_xlsx(), SHEET_PART), "无法解压"),
    ("many-parts.xlsx", lambda: many_parts(seed_xlsx()), f"文件超过{ooxml.MAX_PARTS}个"),
    ("many-elements.docx", lambda: many_elements(seed_docx()), "个XML元素"),
    ("many-attributes.docx", lambda: many_attributes(seed_docx()), "超过1,000,000个XML属性"),
    ("shared-string.xlsx", lambda: sharing("a" * 20_000_000, rows=2), "超过Excel单元格的上限32,767个字"),
    ("truncated.xlsx", lambda: seed_xlsx()[: len(seed_xlsx()) // 2], "文件已损坏"),
    ("hollowed.docx", lambda: seed_docx()[:200] + seed_docx()[-3000:], "文件已损坏"),
    ("bit-flipped.xlsx", lambda: bit_flipped(seed_xlsx(), SHEET_PART), "无法解压"),
    ("bit-flipped.docx", lambda: bit_flipped(seed_docx(), DOCUMENT_PART), "无法解压"),
    ("broken-xml.xlsx", lambda: repacked(seed_xlsx(), {SHEET_PART: part(seed_xlsx(), SHEET_PART)[:-20]}), "不是有效的XML"),
    ("broken-xml.docx", lambda: repacked(seed_docx(), {DOCUMENT_PART: b"<w:document><w:body>"}), "不是有效的XML"),
    ("encrypted.xlsx", lambda: encrypted(seed_xlsx()), "压缩包设了密码"),
    ("xxe.docx", lambda: with_prolog(seed_docx(), DOCUMENT_PART, XXE, b"&xxe;"), "含有实体声明"),
    ("xxe.xlsx", lambda: with_prolog(seed_xlsx(), SHEET_PART, XXE, b"&xxe;"), "含有实体声明"),
    ("laughs.docx", lambda: with_prolog(seed_docx(), DOCUMENT_PART, LAUGHS, b"&lol9;"), "含有实体声明"),
    ("laughs.xlsx", lambda: with_prolog(seed_xlsx(), SHEET_PART, LAUGHS, b"&lol9;"), "含有实体声明"),
]
NAMES = [name for name, _, _ in HOSTILE]


def count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(GoalSheet))


@pytest.mark.parametrize("filename, make, message", HOSTILE, ids=NAMES)
def test_a_hostile_upload_is_explained_and_stores_nothing(app, client, filename, make, message):
    response = upload(client, make(), filename)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert filename in page and message in page and "导入预览" not in page
    assert "root:" not in page  # no file of the server's came back
    assert count(app) == 0


@pytest.mark.parametrize("filename, make, message", HOSTILE, ids=NAMES)
def test_a_hostile_file_stops_the_import_command(app, runner, tmp_path, filename, make, message):
    path = tmp_path / filename
    path.write_bytes(make())
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code != 0 and filename in result.output and message in result.output
    assert "未导入任何数据" in result.output and count(app) == 0


def test_a_bomb_is_refused_from_its_directory_before_anything_is_unpacked():
    packed = bomb(seed_xlsx(), SHEET_PART)
    assert len(packed) < 200_000  # 26 MB of sheet in a file smaller than the seed's .docx
    with pytest.raises(ReadError, match="解压后有26 MB，超过25 MB"):
        ooxml.check(packed, "bomb.xlsx")


def test_a_merged_range_over_the_whole_grid_costs_nothing(app, client):
    """Opened normally, openpyxl would make two million cells for this range's borders."""
    xml = part(seed_xlsx(), SHEET_PART)  # written as XML: openpyxl itself would take minutes to merge it
    xml = re.sub(rb'<mergeCells count="(\d+)">', lambda m: b'<mergeCells count="%d"><mergeCell ref="H1:XFD1048576"/>'
                 % (int(m.group(1)) + 1), xml)
    page = upload(client, repacked(seed_xlsx(), {SHEET_PART: xml}), "merged.xlsx").get_data(as_text=True)
    assert "导入预览：merged.xlsx" in page and "文件里有 5 张表" in page


def test_a_picture_with_a_doctype_but_no_entities_still_reads():
    """SVG files often carry a DOCTYPE; only entity declarations are refused."""
    svg = b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg/>'
    sheets = read_bytes(repacked(seed_docx(), {"word/media/image1.svg": svg}), "picture.docx")
    assert [sheet.project_name for sheet in sheets] == ["基层商会专项经费", "非公党建项目"]


def _mutations(data: bytes, seed: int, count: int):
    """Deterministic damage: a bit flipped anywhere in the file, or inside one XML part."""
    rnd = random.Random(seed)
    archive = ZipFile(BytesIO(data))
    xml_parts = [name for name in archive.namelist() if name.endswith((".xml", ".rels"))]
    for _ in range(count):
        if rnd.random() < 0.5:
            damaged = bytearray(data)
            damaged[rnd.randrange(len(damaged))] ^= 1 << rnd.randrange(8)
            yield bytes(damaged)
        else:
            name = rnd.choice(xml_parts)
            xml = bytearray(archive.read(name))
            for _ in range(rnd.choice((1, 3))):
                xml[rnd.randrange(len(xml))] = rnd.choice(b'<>"=/ax0&;')
            yield repacked(data, {name: bytes(xml)})


@pytest.mark.filterwarnings("ignore::UserWarning")  # openpyxl's notes on odd parts, not failures
@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_a_damaged_file_reads_or_is_explained_never_anything_else(kind):
    data = seed_xlsx() if kind == "xlsx" else seed_docx()
    for damaged in _mutations(data, seed=8, count=150):
        try:
            read_bytes(damaged, f"damaged.{kind}")
        except ReadError as error:
            assert error.source == f"damaged.{kind}" and error.reason


def test_a_workbook_missing_one_worksheets_part_imports_nothing(app):
    """openpyxl passes over a worksheet whose part is gone; the import must not (all or nothing)."""
    with app.app_context():
        from goalsapp.domain.importing import read_sheets as read

        good = write_workbook(read(DEMO_FILE))
    damaged = BytesIO()
    with ZipFile(BytesIO(good)) as source, ZipFile(damaged, "w", ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                target.writestr(item, source.read(item))
    with pytest.raises(ReadError, match="基层商会专项经费.*这个工作表的内容缺失"):
        read_bytes(damaged.getvalue(), "缺一张.xlsx")


def test_a_word_file_of_empty_paragraphs_and_tables_reads_in_one_pass():
    """python-docx found paragraphs and tables with one XPath union, which libxml2 merges in
    the square of their count: a 40 KB file took 8 s before the first form was read. Asked as
    how the time grows (four times the filler, about four times the time; the square would be
    sixteen), in the process's own CPU time, so a busy machine does not fail it: time spent
    waiting for a core is not counted."""
    def reading_seconds(count: int) -> float:
        filler = b"<w:p/>" * count + b"<w:tbl/>" * count
        xml = part(seed_docx(), DOCUMENT_PART)
        data = repacked(seed_docx(), {DOCUMENT_PART: xml.replace(b"<w:body>", b"<w:body>" + filler, 1)})
        assert len(data) < 50_000
        start = time.process_time()
        sheets = read_bytes(data, "空段落.docx")
        assert [sheet.project_name for sheet in sheets] == ["基层商会专项经费", "非公党建项目"]
        return time.process_time() - start

    def fastest_of_three(count: int) -> float:
        """A busy machine only ever slows a run down: the fastest of three is the reading's own time."""
        return min(reading_seconds(count) for _ in range(3))

    reading_seconds(1_000)  # warm: the first read imports and compiles what later ones reuse
    assert fastest_of_three(50_000) < 8 * fastest_of_three(12_500)


@pytest.mark.parametrize("ref", ["AD90000", "XFD1048576", "A1048576"])
def test_a_lone_cell_far_down_a_worksheet_costs_no_row_in_between(monkeypatch, ref):
    """openpyxl hands over every row up to the last one: a cell at AD90000 made 2.7 million
    cells of text (a 21 KB file, 6 s and 780 MB). Only the rows that hold something count;
    the cell itself, no part of the form, is refused by name rather than left out."""
    made = []
    monkeypatch.setattr(xlsx, "Cell", lambda *args: made.append(args) or Cell(*args))
    with pytest.raises(ReadError, match=f"远.xlsx 工作表“基层商会专项经费”{ref}："):
        read_bytes(with_cells(seed_xlsx(), {ref: "尾"}), "远.xlsx")
    assert len(made) < 5_000


def test_a_cell_below_blank_rows_is_named_by_its_own_row():
    book = Workbook()
    book.active.append(FLAT_HEADS)
    book.active.append(("会同县工商联", 2021, "大项目", "产出指标", "数量指标", "指标", "1个", "计划标准", 1))
    book.active["B5"] = 1999
    buffer = BytesIO()
    book.save(buffer)
    with pytest.raises(ReadError, match="工作表“Sheet”B5：年度1999应在"):
        read_bytes(buffer.getvalue(), "清单.xlsx")


def test_one_huge_shared_string_is_refused_at_its_first_cell():
    """Cleaned once per cell that refers to it, 20 MB of text in a 24 KB file took a second a cell."""
    data = sharing("a" * 20_000_000, rows=2)
    assert len(data) < 30_000
    with pytest.raises(ReadError, match="工作表“Sheet”A1：单元格有20,000,000个字，超过Excel单元格的上限32,767个字"):
        read_bytes(data, "长串.xlsx")  # how often it is cleaned: the next test


def test_a_string_shared_by_many_cells_is_cleaned_once(monkeypatch):
    cleaned = []
    monkeypatch.setattr(xlsx, "clean", lambda text: cleaned.append(text) or clean(text))
    with pytest.raises(ReadError, match="工作簿里没有找到"):
        read_bytes(sharing("字" * xlsx.CELL_CHARACTERS, rows=300), "共享.xlsx")
    assert len(cleaned) == 1  # once per cell before: 3,000 times, 4 s


def test_attributes_are_refused_before_a_library_keeps_them():
    """lxml keeps 220 bytes for every attribute, however short: a million of them in this
    100 KB file cost python-docx 220 MB, three million (800 KB) 640 MB."""
    data = many_attributes(seed_docx())
    assert len(data) < 150_000
    with pytest.raises(ReadError, match="超过1,000,000个XML属性"):
        ooxml.check(data, "属性.docx")
    # a namespace declaration is kept as one too
    xmlns = b"<w:p " + b" ".join(b'xmlns:a%d="u"' % n for n in range(100)) + b"/>"
    xml = part(seed_docx(), DOCUMENT_PART).replace(b"<w:body>", b"<w:body>" + xmlns * (ooxml.MAX_ATTRIBUTES // 100), 1)
    with pytest.raises(ReadError, match="个XML属性"):
        ooxml.check(repacked(seed_docx(), {DOCUMENT_PART: xml}), "命名空间.docx")
