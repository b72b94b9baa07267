"""Word (.docx), with python-docx: paragraphs and tables, in the order the body has them.

A paragraph is a row of one cell; a table row's cells stand at their grid columns (a cell
merged across columns is one cell, at its first column; a cell continuing a merge from
the row above is empty, its text being in the merge's first row).

A paragraph's text is every w:t in it, in document order, whatever holds the run: a tracked
insertion (w:ins), a content control (w:sdt), a hyperlink, a field's result, a smart tag.
Deleted text is w:delText, and whatever a tracked deletion holds stays out, as Word prints
the document. Paragraphs, rows and cells wrapped in a content control or custom XML are read
where they stand. A table inside a cell is read into the cell's text, a line per row, its
cells' words joined by a space: the form keeps texts, and a clerk who laid out a goal as a
small table wrote words the sheet must keep, not a layout it can hold.
"""
from io import BytesIO

from docx import Document
from docx.exceptions import PythonDocxError
from docx.opc.exceptions import OpcError
from docx.oxml.exceptions import XmlchemyError
from docx.oxml.ns import qn

from ..domain.errors import ReadError
from ..domain.models import GoalSheet
from .reader import Cell, Row, clean, read_rows

# What python-docx raises for a package that is sound XML (ooxml.check saw to that) but not
# a sound document: a part or attribute missing (opening it meets them as None), a number
# that is not one, XML that lxml finds stricter fault with than expat (a namespace that is
# no URI).
BROKEN_DOCUMENT = (PythonDocxError, XmlchemyError, OpcError, KeyError, ValueError)
BROKEN_PACKAGE = BROKEN_DOCUMENT + (AttributeError, TypeError, SyntaxError)
P, TBL, TR, TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
SDT, SDT_PR, SDT_CONTENT, CUSTOM_XML = qn("w:sdt"), qn("w:sdtPr"), qn("w:sdtContent"), qn("w:customXml")
SHOWING_PLACEHOLDER = qn("w:showingPlcHdr")
ALT_CHUNK = qn("w:altChunk")
# What a run's text is made of; python-docx's elements give each one's text as str().
RUN_CONTENT = frozenset(qn(f"w:{tag}") for tag in ("br", "cr", "noBreakHyphen", "ptab", "t", "tab"))
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Left out of a paragraph's text: properties (a w:tab there is a tab stop), what a tracked
# deletion or move holds, a ruby's reading aid, and the fallback copy of content Word also
# gives in mc:Choice.
NOT_TEXT = frozenset((qn("w:pPr"), qn("w:rPr"), SDT_PR, qn("w:del"), qn("w:moveFrom"), qn("w:rt"), f"{MC}Fallback"))


def read_document(data: bytes, source: str, template=None) -> list[GoalSheet]:
    """Every form in the document, in order."""
    return read_rows(document_rows(data, source), source, "文档", template)


def document_rows(data: bytes, source: str) -> list[Row]:
    """The document's paragraphs and table rows, in order, for a reader (reader.py, documents.py)."""
    document = _open(data, source)
    try:
        return list(rows_of(document, source))
    except BROKEN_DOCUMENT as error:
        raise _broken(source, error) from None


def _open(data: bytes, source: str):
    """The document, if python-docx can open it and it has a body to walk."""
    try:
        document = Document(BytesIO(data))
        body = document.element.body  # none when the root is not a w:document, or has no w:body
    except BROKEN_PACKAGE as error:
        raise _broken(source, error) from None
    if body is None:
        raise ReadError(source, None, "不是有效的Word文件，可能已损坏（没有正文）")
    return document


def _broken(source: str, error: Exception) -> ReadError:
    return ReadError(source, None, f"不是有效的Word文件，可能已损坏（{type(error).__name__}）")


def rows_of(document, source: str = ""):
    """The body's paragraphs and table rows, in order.

    Walked over the body's children: python-docx's iter_inner_content asks lxml for
    "./w:p | ./w:tbl", and libxml2 merges the two node sets in the square of their sizes
    (50,000 empty paragraphs and as many empty tables took 8 s before the first was read).
    """
    paragraphs = tables = 0
    for block, placeholder in _within(document.element.body, P, TBL, ALT_CHUNK):
        if block.tag == P:
            paragraphs += 1
            yield Row([Cell("" if placeholder else clean(_paragraph_text(block)), f"第{paragraphs}段")], paragraph=True)
        elif block.tag == TBL:
            tables += 1
            yield from _table_rows(block, tables)
        else:  # its content is a file of its own (HTML, RTF, another .docx) that Word merges in on opening
            raise ReadError(source, f"第{paragraphs}段之后" if paragraphs else "正文开头", "这里嵌入了另一个文件的内容（altChunk），无法读取；"
                                                             "请在Word里打开并另存为.docx后再导入")


def _within(parent, *tags, placeholder: bool = False):
    """parent's children of these tags in order, with those a content control or custom XML
    wraps (Word wraps paragraphs, rows and cells alike), each with whether it is a content
    control's placeholder (the prompt it shows while nothing is filled in)."""
    for child in parent.iterchildren(*tags, SDT, CUSTOM_XML):
        if child.tag == SDT:
            for content in child.iterchildren(SDT_CONTENT):
                yield from _within(content, *tags, placeholder=placeholder or _shows_placeholder(child))
        elif child.tag == CUSTOM_XML:
            yield from _within(child, *tags, placeholder=placeholder)
        else:
            yield child, placeholder


def _shows_placeholder(sdt) -> bool:
    return any(True for properties in sdt.iterchildren(SDT_PR) for _ in properties.iterchildren(SHOWING_PLACEHOLDER))


def _table_rows(tbl, number: int):
    """Walked over the XML's cells: python-docx's row.cells looks up the table for every
    vertically merged cell, so a 300-row table took seconds."""
    for row_number, (tr, _) in enumerate(_within(tbl, TR), start=1):
        cells, column = [], 0
        for tc, placeholder in _within(tr, TC):
            covered = tc.vMerge == "continue"
            text = "" if covered or placeholder else clean("\n".join(_cell_lines(tc)))
            cells.append(Cell(text, f"第{number}个表格第{row_number}行第{column + 1}列", column, covered))
            column += tc.grid_span
        yield Row(cells)


def _cell_lines(tc) -> list[str]:
    """A cell's paragraphs, and a table inside it a line per row, its cells' words joined by a space."""
    lines = []
    for block, placeholder in _within(tc, P, TBL):
        if placeholder:
            continue
        if block.tag == P:
            lines.append(_paragraph_text(block))
        else:
            for tr, _ in _within(block, TR):
                words = (" ".join(_cell_lines(inner)).strip() for inner, prompt in _within(tr, TC) if not prompt)
                lines.append(" ".join(word for word in words if word))
    return lines


def _paragraph_text(p) -> str:
    """The paragraph's text: a tab, a line break as "\\n". Walked over its elements: python-docx
    compiles an XPath for every paragraph and run, 15 µs each, seconds over a file of empty
    paragraphs, and reads only the runs directly in the paragraph or a hyperlink."""
    texts: list[str] = []
    _collect(p, texts)
    return "".join(texts)


def _collect(element, texts: list[str]) -> None:
    for child in element:
        tag = child.tag
        if tag in RUN_CONTENT:
            texts.append(str(child))
        elif tag in NOT_TEXT or (tag == SDT and _shows_placeholder(child)):
            continue
        elif tag == P:  # a text box's paragraph, inside a drawing in the run
            texts.append("\n")
            _collect(child, texts)
        else:
            _collect(child, texts)
