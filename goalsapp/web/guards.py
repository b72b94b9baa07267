"""Look up what a request names and check the current user may use it: 404 or 403.

A sheet the user may not read is a 404, so other units' sheets do not even show
that they exist; one they may read but not change is a 403.
"""
from typing import TypeVar

from flask import abort
from flask_login import current_user
from sqlalchemy.orm import joinedload

from ..domain import access
from ..domain.models import GoalSheet, Indicator, Reviewed
from ..extensions import db

R = TypeVar("R", bound=Reviewed)


def readable_document(model: type[R], document_id: int, *loaded) -> R:
    """A reviewed document (a target sheet, its self-evaluation, a monitoring) by id, with what `loaded`
    names read along with it: 404 unless the user may read its sheet's unit, so that another unit's
    do not even show they exist."""
    document = db.get_or_404(model, document_id, options=loaded)
    if not access.can_read(current_user, document):
        abort(404)
    return document


def editable_document(model: type[R], document_id: int) -> R:
    """The same, when the user may also change it now: 403 for one they may only read."""
    document = readable_document(model, document_id)
    if not access.can_edit(current_user, document):
        abort(403)
    return document


def readable_sheet(sheet_id: int, *loaded) -> GoalSheet:
    """The sheet, with what `loaded` names read along with it (joinedload(GoalSheet.indicators): its rows)."""
    return readable_document(GoalSheet, sheet_id, *loaded)


def editable_sheet(sheet_id: int) -> GoalSheet:
    return editable_document(GoalSheet, sheet_id)


def readable_indicator(indicator_id: int) -> Indicator:
    indicator = _indicator(indicator_id)
    readable_sheet(indicator.sheet_id)
    return indicator


def editable_indicator(indicator_id: int) -> Indicator:
    indicator = _indicator(indicator_id)
    editable_sheet(indicator.sheet_id)
    return indicator


def _indicator(indicator_id: int) -> Indicator:
    """The row with its sheet, in one query; the row holds the sheet, so the views' indicator.sheet
    reads no more (the session would forget a sheet nothing holds, and read it again)."""
    return db.get_or_404(Indicator, indicator_id, options=[joinedload(Indicator.sheet, innerjoin=True)])


def fillable_unit_year() -> tuple[str, int]:
    """The unit and year a posted UnitYearForm names, when the user may fill that unit's sheets:
    400 for a bad form, 404 for another unit's filler (who learns nothing), else 403."""
    from .exchange.forms import UnitYearForm  # here: the exchange package imports this module

    form = UnitYearForm()
    if not form.validate_on_submit():
        abort(400)
    if not access.can_fill(current_user, form.unit.data):
        abort(404 if access.unit_of(current_user) else 403)
    return form.unit.data, form.year.data


def require(allowed: bool, why: str | None = None) -> None:
    """A 403 unless allowed; why: what the page says, where the general message (about a sheet) does not fit."""
    if not allowed:
        abort(403, description=why)

