"""A unit's tables made public as one printable document: a cover, a contents page, then each
table on its own pages, every page numbered.

The document is a list of parts, each one kind of table under its heading in the contents.
部门预算公开 has one part, the year's approved target tables; 决算公开 will add the
self-evaluations as a part of their own once they exist.
"""
from dataclasses import dataclass
from datetime import date

from .models import GoalSheet, Status

BUDGET_DISCLOSURE = "部门预算公开"
# Only what the bureau approved is published: a draft or a submission is not yet the table.
PUBLISHED = (Status.APPROVED,)
FRONT_PAGES = 2  # the cover, then the contents
# Every form's table fits one A4 page (tests/browser/test_print_variants), so the server numbers
# the pages one a table; a longer table is measured and the pages renumbered in the browser
# (static/publication.js), the only place that knows how tall its rows print.
PAGES_PER_TABLE = 1


@dataclass(frozen=True)
class Entry:
    """One table in the document, the page it starts on, and that page's id (the contents links to it)."""

    sheet: GoalSheet
    page: int
    anchor: str


@dataclass(frozen=True)
class Part:
    """One kind of table, under its heading in the contents, each printed by the part's template
    (the print view's own, so a table reads the same published as printed alone)."""

    key: str  # tells its tables' pages apart from another part's of the same sheet (a self-evaluation)
    title: str
    sheets: list[GoalSheet]
    template: str


@dataclass(frozen=True)
class Publication:
    unit: str
    year: int
    title: str
    purpose: str
    dated: date
    parts: list[Part]
    left_out: list[GoalSheet]  # the year's other tables, not yet approved

    def contents(self) -> list[tuple[Part, list[Entry]]]:
        """Each part with its tables and the page each starts on, the parts one after another."""
        contents, page = [], FRONT_PAGES + 1
        for part in self.parts:
            entries = [Entry(sheet, page + PAGES_PER_TABLE * index, f"{part.key}-{sheet.id}") for index, sheet in enumerate(part.sheets)]
            page += PAGES_PER_TABLE * len(part.sheets)
            contents.append((part, entries))
        return contents

    @property
    def tables(self) -> int:
        return sum(len(part.sheets) for part in self.parts)

    @property
    def pages(self) -> int:
        return FRONT_PAGES + PAGES_PER_TABLE * self.tables


def budget_publication(unit: str, year: int, sheets: list[GoalSheet], dated: date) -> Publication:
    """部门预算公开: the unit's approved target tables of the year, in the list's order."""
    targets = Part("target", "项目支出绩效目标表", [sheet for sheet in sheets if sheet.status in PUBLISHED], "print/_sheet.html")
    return Publication(
        unit=unit, year=year, title=f"{year}年度项目支出绩效目标表", purpose=BUDGET_DISCLOSURE, dated=dated,
        parts=[targets], left_out=[sheet for sheet in sheets if sheet.status not in PUBLISHED],
    )
