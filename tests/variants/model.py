"""The shapes the variant catalog is written in: cells, row blocks, variants, and the grid layout.

A table is a list of rows; a row lists only the cells that START in it (as in HTML): a cell
spanning rows down is not repeated in the rows it covers. `layout()` places every cell on the
grid and checks that the rows fit together.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

LINE_BREAKS = str.maketrans("", "", "\n\r\t \u3000")


def normalise(text: str) -> str:
    """A label without line breaks and spaces: "年度本级\\n预算金额" -> "年度本级预算金额"."""
    return text.translate(LINE_BREAKS)


@dataclass(frozen=True)
class Cell:
    """One table cell as printed: its text (line breaks kept) and how far it spans."""

    text: str
    colspan: int = 1
    rowspan: int = 1


Row = tuple[Cell, ...]


def C(text: str = "", colspan: int = 1, rowspan: int = 1) -> Cell:
    """Short constructor for the catalog."""
    return Cell(text, colspan, rowspan)


@dataclass(frozen=True)
class Placed:
    """A cell at its grid position (0-based row and column of its top-left corner)."""

    row: int
    col: int
    cell: Cell


@dataclass(frozen=True)
class Block:
    """Table rows holding one record per row (the indicator block, or a sub-table).

    `rows` hold the texts column by column, aligned with `columns`. Consecutive equal, non-empty
    texts in a `merge` column are printed as one cell spanning those rows (nested: a column merges
    only while every merge column before it is equal too). A row whose non-merge columns are all
    empty is a padding row: printed, but not a record. `pad_to` adds padding rows until every
    group of merged cells covers at least that many rows (the seed prints two rows per level-2).
    """

    columns: tuple[str, ...]            # record keys: headings normalised, nested as "中期指标/二级指标"
    headings: tuple[Row, ...]           # heading rows as printed, without the leading label
    rows: tuple[tuple[str, ...], ...]   # texts as written, one tuple per printed row
    merge: tuple[int, ...] = ()         # columns whose equal neighbours are merged down
    widths: tuple[int, ...] = ()        # grid columns each column takes (default 1 each)
    leading: str | None = None          # label cell spanning headings and rows ("绩\n效\n指\n标")
    pad_to: int = 1
    category_columns: tuple[int, ...] = (0, 1)  # the 一级/二级 columns

    @cached_property
    def padded(self) -> tuple[tuple[str, ...], ...]:
        """`rows` with padding rows added after each short group of merged cells."""
        out: list[tuple[str, ...]] = []
        for index, row in enumerate(self.rows):
            out.append(row)
            following = self.rows[index + 1] if index + 1 < len(self.rows) else None
            if following is None or self._group(following) != self._group(row):
                size = sum(1 for earlier in out if self._group(earlier) == self._group(row))
                out.extend(self._blank_like(row) for _ in range(self.pad_to - size))
        return tuple(out)

    def _group(self, row: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(row[column] for column in self.merge)

    def _blank_like(self, row: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(text if column in self.merge else "" for column, text in enumerate(row))

    def is_record(self, row: tuple[str, ...]) -> bool:
        return any(text for column, text in enumerate(row) if column not in self.merge)

    @property
    def records(self) -> tuple[dict[str, str], ...]:
        return tuple(dict(zip(self.columns, row)) for row in self.padded if self.is_record(row))

    @property
    def categories(self) -> tuple[tuple[str, ...], ...]:
        """Every category group printed, in order, including groups with no record."""
        seen: list[tuple[str, ...]] = []
        for row in self.padded:
            group = tuple(row[column] for column in self.category_columns)
            if any(group) and group not in seen:
                seen.append(group)
        return tuple(seen)

    def table_rows(self) -> tuple[Row, ...]:
        """The block as printed: headings, then the rows with merged cells."""
        widths = self.widths or (1,) * len(self.columns)
        body = [self._body_row(index, widths) for index in range(len(self.padded))]
        rows = [list(row) for row in (*self.headings, *body)]
        if self.leading is not None:
            rows[0].insert(0, Cell(self.leading, 1, len(rows)))
        return tuple(tuple(row) for row in rows)

    def _body_row(self, index: int, widths: tuple[int, ...]) -> Row:
        row = self.padded[index]
        cells = []
        for column, text in enumerate(row):
            if column in self.merge:
                if index and self._merges(index - 1, index, column):
                    continue  # covered by the cell above
                span = 1
                while index + span < len(self.padded) and self._merges(index + span - 1, index + span, column):
                    span += 1
                cells.append(Cell(text, widths[column], span))
            else:
                cells.append(Cell(text, widths[column]))
        return tuple(cells)

    def _merges(self, upper: int, lower: int, column: int) -> bool:
        a, b = self.padded[upper], self.padded[lower]
        if not a[column]:
            return False
        return all(a[m] == b[m] for m in self.merge if m <= column)


@dataclass(frozen=True)
class Variant:
    """One template as a unit receives it, with what a correct reader must return from it.

    Printed: `title` lines, `unit_lines` and `money_note` above the table, the table (`head`
    rows, then the `subtable` block if any, the indicator `block`, the `tail` rows), then
    `footer_lines` below it.

    Expected (what a reader must return; every non-empty cell lands in one of these):
    `header` (label as on the form, value as written; a label under a spanning group label is
    "group/label", e.g. "项目资金\\n(万元)/年度资金总额"), `indicator_columns`, `indicators`,
    `categories`, `subtables`, `subtotals`, `section_labels` (labels that carry no value, such
    as "绩\\n效\\n指\\n标"), and `footers` (label, value) pairs.
    """

    code: str
    description: str
    title: tuple[str, ...]
    unit_lines: tuple[str, ...]
    money_note: str | None
    head: tuple[Row, ...]
    block: Block
    header: tuple[tuple[str, str], ...]
    section_labels: tuple[str, ...] = ()
    subtable: tuple[str, Block] | None = None
    tail: tuple[Row, ...] = ()
    footer_lines: tuple[str, ...] = ()
    footers: tuple[tuple[str, str], ...] = ()
    subtotals: tuple[dict[str, str], ...] = field(default=())

    @property
    def table(self) -> tuple[Row, ...]:
        middle = self.subtable[1].table_rows() if self.subtable else ()
        return (*self.head, *middle, *self.block.table_rows(), *self.tail)

    @property
    def block_start(self) -> int:
        """Index in `table` of the indicator block's first heading row."""
        return len(self.head) + (len(self.subtable[1].table_rows()) if self.subtable else 0)

    @property
    def indicator_columns(self) -> tuple[str, ...]:
        return self.block.columns

    @property
    def indicators(self) -> tuple[dict[str, str], ...]:
        return self.block.records

    @property
    def indicator_rows(self) -> tuple[int, ...]:
        """Index in `table` of the row each indicator is printed on, in order."""
        first = self.block_start + len(self.block.headings)
        return tuple(first + i for i, row in enumerate(self.block.padded) if self.block.is_record(row))

    @property
    def categories(self) -> tuple[tuple[str, ...], ...]:
        """(一级, 二级) as printed, every group in order, including groups with no indicator."""
        return self.block.categories

    @property
    def subtables(self) -> dict[str, tuple[dict[str, str], ...]]:
        return {self.subtable[0]: self.subtable[1].records} if self.subtable else {}

    @property
    def width(self) -> int:
        return grid_width(self.table)


def grid_width(table: tuple[Row, ...]) -> int:
    return sum(cell.colspan for cell in table[0])


def layout(table: tuple[Row, ...]) -> list[Placed]:
    """Every cell at its grid position; ValueError when rows do not fill the grid exactly."""
    width = grid_width(table)
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, row in enumerate(table):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            spots = {(r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan)}
            if spots & taken or c + cell.colspan > width or r + cell.rowspan > len(table):
                raise ValueError(f"row {r}: cell {cell.text!r} does not fit at column {c}")
            taken |= spots
            placed.append(Placed(r, c, cell))
            c += cell.colspan
        missing = [col for col in range(width) if (r, col) not in taken]
        if missing:
            raise ValueError(f"row {r}: grid columns {missing} left empty")
    return placed


def slots(table: tuple[Row, ...]) -> list[list[tuple[Placed, bool]]]:
    """Per row, the cells Word writes in order: (cell, True) where it starts, (cell above, False)
    where a cell from an earlier row covers this row (Word writes an empty cell there)."""
    placed = layout(table)
    out: list[list[tuple[Placed, bool]]] = [[] for _ in table]
    for p in placed:
        for dr in range(p.cell.rowspan):
            out[p.row + dr].append((p, dr == 0))
    for row in out:
        row.sort(key=lambda item: item[0].col)
    return out
