"""Word's plain text (the seed's format): a form saved with 另存为 → 纯文本.

Word writes paragraphs as lines and each table row as a run of lines between empty lines:
a cell starts on a line beginning with a tab, a line without one continues the cell above
(a line break inside the cell, as in "年度本级\\n预算金额"). A cell covered by a merge from
the row above is written empty; one merged across columns is written once. Titles and the
lines under the table are lines without a tab.
"""
from itertools import groupby

from ..domain.errors import ReadError
from .documents import kind_of_title
from .reader import Cell, Row, clean, is_title, read_rows


def decode(data: bytes, source: str) -> str:
    """Text as Word saves it: UTF-8 (with or without BOM), UTF-16 with its BOM ("Unicode
    text"), else the Chinese GB18030."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ReadError(source, None, "文件开头标明是UTF-16编码，内容却不是，可能已损坏") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError(source, None, "文件不是UTF-8、UTF-16或GB18030编码的文本")


def read_text(text: str, source: str, template=None):
    """Every sheet in the text, in order; ReadError names the line of the first problem."""
    return read_rows(rows_of(text), source, "文本", template)


def rows_of(text: str) -> list[Row]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    rows = []
    # A blank line separates rows; a line holding only a tab is an empty cell, not a blank.
    # A title is a row of its own even right after the last cell of the form before (as in
    # the seed), where Word's rule would read it as that cell's second line.
    runs = groupby(range(len(lines)), key=lambda i: "title" if _is_title_line(lines[i]) else
                   "filled" if lines[i].startswith("\t") or lines[i].strip() else "")
    for kind, indices in runs:
        if kind:
            rows += _rows(lines, list(indices))
    return rows


def _is_title_line(line: str) -> bool:
    """A form's title, a self-evaluation's or a monitoring's too."""
    if line.startswith("\t"):
        return False
    row = Row([Cell(line.strip(), "")], paragraph=True)
    return is_title(row) or kind_of_title(row) is not None


def _rows(lines: list[str], indices: list[int]) -> list[Row]:
    """A run of lines: a table row if it starts with a tab, else paragraphs, one per line."""
    if not lines[indices[0]].startswith("\t"):
        return [Row([Cell(clean(lines[i]), f"第{i + 1}行")], paragraph=True) for i in indices]
    cells: list[tuple[int, list[str]]] = []  # each cell's lines, joined once
    for index in indices:
        line = lines[index]
        if line.startswith("\t") or not cells:
            cells += [(index, [part]) for part in line[1:].split("\t")]
        else:
            cells[-1][1].append(line)
    return [Row([Cell(clean("\n".join(parts)), f"第{index + 1}行", column) for column, (index, parts) in enumerate(cells)],
                positional=True)]
