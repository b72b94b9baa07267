"""How many findings each sheet has, for the pages that show many sheets at once (the list, and
whatever sums them up): remembered by the versions they were counted at, so a sheet is reviewed
again only once it, or last year's sheet of its project, has changed.

A sheet's findings are a pure function of the sheet and of last year's (review.review), and every
change to either bumps its version (history.record touches the sheet, and its rows with it). So a
count remembered under (sheet id, version, last year's id, version) is never wrong, only unused
once a version moves on: it needs no invalidation, and a second server (or this one after a
restart) that has not counted a sheet yet just reviews it once itself. New rules come with a new
deployment, which starts with nothing remembered. Each app keeps its own (an app is one database:
ids and versions name sheets only within it).
"""
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from .models import GoalSheet, previous_year_sheets
from .review import Report, review

REMEMBERED = 200_000  # counts kept (about 20 MB); a county has some 10,000 sheets, a version each
REMEMBERED_KEY = "findings.counts"  # where in app.extensions


@dataclass(frozen=True)
class Counts:
    """What the list shows of a sheet's review."""

    blocking: int
    warnings: int

    @property
    def findings(self) -> int:
        return self.blocking + self.warnings

    @classmethod
    def of(cls, report: Report) -> "Counts":
        return cls(report.blocking, report.warnings)


class Stored(Protocol):
    """A stored sheet, or a row of its columns: what its counts are remembered by."""

    id: int
    version: int
    unit_id: int
    project_name: str
    year: int


Version = tuple[int, int] | tuple[None, None]  # a sheet's (id, version); none when there is no sheet
Key = tuple[int, int, int | None, int | None]  # the sheet's id and version, then last year's


def reviewed(sheet: GoalSheet, previous: GoalSheet | None) -> Report:
    """The sheet's findings (against last year's sheet, `previous`), their counts remembered."""
    report = review(sheet, previous)
    _remember((sheet.id, sheet.version, *_version(previous)), Counts.of(report))
    return report


def counts(sheets: Iterable[Stored], last_year: dict[int, Version] | None = None) -> dict[int, Counts]:
    """Each sheet's counts, by id. One query finds last year's versions, unless the caller read them
    with the sheets (`last_year`, by sheet id); only sheets not counted at these versions are read
    with their rows and reviewed (three more queries for them all)."""
    sheets = list(sheets)
    last_year = _last_year_versions(sheets) if last_year is None else last_year
    found, missing = {}, []
    for sheet in sheets:
        remembered = _remembered().get((sheet.id, sheet.version, *last_year[sheet.id]))
        if remembered is None:
            missing.append(sheet.id)
        else:
            found[sheet.id] = remembered
    if missing:
        # Read whole, rows too: a page may have read only some of a sheet's columns (listing.LISTED).
        loaded = db.session.scalars(select(GoalSheet).where(GoalSheet.id.in_(missing)).options(selectinload(GoalSheet.indicators))
                                    .execution_options(populate_existing=True)).all()
        previous = previous_year_sheets(loaded)
        for sheet in loaded:
            found[sheet.id] = Counts.of(reviewed(sheet, previous.get((sheet.unit, sheet.project_name, sheet.year - 1))))
    return found


def forget() -> None:
    """Drop every count remembered (the benchmark measures a page with nothing counted yet)."""
    _remembered().clear()


def _remembered() -> dict[Key, Counts]:
    return current_app.extensions.setdefault(REMEMBERED_KEY, {})


def _remember(key: Key, counted: Counts) -> None:
    remembered = _remembered()
    if len(remembered) >= REMEMBERED:
        remembered.clear()  # mostly counts of versions long gone; the ones still current come back as pages ask
    remembered[key] = counted


def _version(sheet: GoalSheet | None) -> Version:
    return (sheet.id, sheet.version) if sheet is not None else (None, None)


def _last_year_versions(sheets: list[Stored]) -> dict[int, Version]:
    """For each sheet, (id, version) of last year's sheet of its unit and project, as
    models.previous_year_sheets finds it (of two with one name, the older), in one query."""
    if not sheets:
        return {}
    rows = db.session.execute(
        select(GoalSheet.id, GoalSheet.version, GoalSheet.unit_id, GoalSheet.project_name, GoalSheet.year)
        .where(GoalSheet.unit_id.in_({sheet.unit_id for sheet in sheets}), GoalSheet.year.in_({sheet.year - 1 for sheet in sheets}),
               GoalSheet.project_name.in_({sheet.project_name for sheet in sheets}))
        .order_by(GoalSheet.id.desc())
    )
    by_key = {(unit_id, name, year): (sheet_id, version) for sheet_id, version, unit_id, name, year in rows}
    return {sheet.id: by_key.get((sheet.unit_id, sheet.project_name, sheet.year - 1), (None, None)) for sheet in sheets}
