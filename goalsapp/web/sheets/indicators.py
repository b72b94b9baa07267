"""htmx row endpoints for indicators: each returns one table row (or nothing, on delete).

A row that fails validation comes back as its form with the errors and status 200,
because htmx does not swap 4xx responses.
"""
from collections.abc import Callable
from uuid import uuid4

from flask import Response, abort, make_response, render_template, request
from flask_login import current_user

from ...domain import access, history, library, limits
from ...domain.models import GoalSheet, Indicator, SheetEvent
from ...domain.retry import retried_when_changed_meanwhile
from ...domain.text import normalize
from ...extensions import db
from ..guards import editable_indicator, editable_sheet, readable_indicator
from . import bp
from .forms import IndicatorForm, indicator_form


@bp.get("/sheets/<int:sheet_id>/indicators/new")
def new_indicator(sheet_id: int):
    sheet = editable_sheet(sheet_id)
    level1, level2 = request.args.get("level1", ""), request.args.get("level2", "")
    if not sheet.form.framework.has_category(level1, level2):
        abort(404)
    form = indicator_form(sheet.template)(data={"level1": level1, "level2": level2, "standard": sheet.last_standard()})
    return _form_row(form, sheet=sheet)


@bp.get("/sheets/<int:sheet_id>/indicators/suggestions")
def suggest_indicators(sheet_id: int):
    """While a clerk types a 三级指标 (htmx, debounced): the options of the row's suggestion
    list, from the unit's own sheets and the library; empty when nothing fits."""
    sheet = editable_sheet(sheet_id)
    level1, level2 = request.args.get("level1", ""), request.args.get("level2", "")
    if not sheet.form.framework.has_category(level1, level2):
        abort(404)
    typed = normalize(request.args.get("name"), multiline=False)[:limits.INDICATOR_NAME]
    editing = request.args.get("indicator", type=int)
    found = library.suggestions(sheet, level1, level2, typed, editing if editing and 0 < editing <= limits.ROW_ID_MAX else None)
    return render_template("sheets/_suggestions.html", suggestions=found)


@bp.get("/sheets/<int:sheet_id>/indicators/reading")
def read_value(sheet_id: int):
    """While a clerk types a value or changes how it is understood (app.js): what a save would
    keep, as JSON. The server reads values (measures.py); the page only shows what it says."""
    sheet = editable_sheet(sheet_id)
    return indicator_form(sheet.template)(formdata=request.args).live()


@bp.post("/sheets/<int:sheet_id>/indicators")
@retried_when_changed_meanwhile
def add_indicator(sheet_id: int):
    sheet = editable_sheet(sheet_id)
    form = indicator_form(sheet.template)()
    if not form.validate():
        return _form_row(form, sheet=sheet)
    if (position := sheet.next_position()) is None:
        form.name.errors.append(f"一张表最多{limits.INDICATORS_PER_SHEET}个指标，不能再添加")
        return _form_row(form, sheet=sheet)
    indicator = Indicator(sheet_id=sheet.id, position=position)
    form.populate_obj(indicator)
    # Added to the session, not appended to sheet.indicators: that would load every row.
    history.change(sheet, current_user, "add_indicator", _snapshot(indicator, sheet), lambda: db.session.add(indicator))
    return _stored(lambda: _row(indicator))


@bp.get("/indicators/<int:indicator_id>")
def show_indicator(indicator_id: int):
    indicator = readable_indicator(indicator_id)
    return _row(indicator, editable=access.can_edit(current_user, indicator.sheet))


@bp.get("/indicators/<int:indicator_id>/edit")
def edit_indicator(indicator_id: int):
    indicator = editable_indicator(indicator_id)
    form = indicator_form(indicator.sheet.template).for_indicator(indicator)
    return _form_row(form, indicator=indicator)


@bp.put("/indicators/<int:indicator_id>")
@retried_when_changed_meanwhile
def update_indicator(indicator_id: int):
    indicator = editable_indicator(indicator_id)
    form = indicator_form(indicator.sheet.template)()
    if not form.validate():
        return _form_row(form, indicator=indicator)
    if form.conflicts_with(indicator) and form.holds(indicator):
        return _row(indicator)  # stored already (sent twice): nothing to overwrite or record
    if not form.conflicts_with(indicator):
        history.change(indicator.sheet, current_user, "update_indicator", _snapshot(indicator, indicator.sheet),
                       lambda: form.populate_obj(indicator))
        # A row saved meanwhile makes the commit fail: this is then a conflict when the view runs again.
        return _stored(lambda: _row(indicator))
    form.start_from(indicator)
    return _form_row(form, indicator=indicator, conflict=history.indicator_snapshot(indicator, form.template))


@bp.delete("/indicators/<int:indicator_id>")
@retried_when_changed_meanwhile
def delete_indicator(indicator_id: int):
    """The row goes; in its place, for a while, a line saying so with 撤销 (app.js takes it away)."""
    indicator = editable_indicator(indicator_id)
    sheet, name, position = indicator.sheet, indicator.name, indicator.position
    event = history.change(sheet, current_user, "delete_indicator", _snapshot(indicator, sheet), lambda: db.session.delete(indicator))
    return _stored(lambda: render_template("sheets/_deleted_row.html", sheet=sheet, event=event, name=name, position=position))


@bp.post("/sheets/<int:sheet_id>/deleted/<int:event_id>/restore")
@retried_when_changed_meanwhile
def restore_indicator(sheet_id: int, event_id: int):
    """Bring a deleted row back from its delete event: 撤销 right after (to the place it had, if
    still free), or 恢复 from the history (at the end of its category). Recorded as its own event."""
    sheet = editable_sheet(sheet_id)
    event = db.get_or_404(SheetEvent, event_id)
    if event.sheet_id != sheet.id or event.action != "delete_indicator":
        abort(404)
    try:
        if event.id not in history.restorable(sheet.events):
            raise history.RestoreRefused("这一行已经恢复过了。")
        indicator = history.indicator_from_snapshot(event.changes, sheet.form)
    except history.RestoreRefused as error:
        return render_template("sheets/_deleted_row.html", sheet=sheet, event=None, error=str(error))
    indicator.sheet_id, indicator.position = sheet.id, _free_position(sheet, request.form.get("position", type=int))
    if indicator.position is None:
        return render_template("sheets/_deleted_row.html", sheet=sheet, event=None,
                               error=f"一张表最多{limits.INDICATORS_PER_SHEET}个指标，不能再恢复。")
    history.change(sheet, current_user, "restore_indicator", _snapshot(indicator, sheet), lambda: db.session.add(indicator))
    return _stored(lambda: render_template("sheets/_indicator_row.html", indicator=indicator, editable=True, restored=True))


def _free_position(sheet: GoalSheet, wanted: int | None) -> int | None:
    """The place asked for when no row holds it now, else after the last row (None: the sheet is full)."""
    taken = {row.position for row in sheet.indicators}
    if wanted is not None and 0 < wanted <= limits.ROW_ID_MAX and wanted not in taken and len(taken) < limits.INDICATORS_PER_SHEET:
        return wanted
    return sheet.next_position()


def _snapshot(indicator: Indicator, sheet: GoalSheet):
    return lambda: history.indicator_snapshot(indicator, sheet.form)


def _stored(render: Callable[[], str]) -> Response:
    """Write the change, then commit, answering with what render draws of it: drawn between the
    two, while the objects are in hand (after the commit each would be read again, two more
    queries for a row just written). The flush gives a new row its id; a commit that fails
    (a change to the sheet meanwhile) throws the drawing away."""
    db.session.flush()
    body = render()
    db.session.commit()
    return _changed(body)


def _changed(body) -> Response:
    """Tell the page the sheet changed, so its findings panel refreshes itself."""
    response = make_response(body)
    response.headers["HX-Trigger"] = "sheet-changed"
    return response


def _row(indicator: Indicator, editable: bool = True):
    return render_template("sheets/_indicator_row.html", indicator=indicator, editable=editable)


def _form_row(form: IndicatorForm, sheet: GoalSheet | None = None, indicator: Indicator | None = None, conflict=None):
    """The row as a form: a new one posts to its sheet, an existing one puts to itself."""
    form_id = f"indicator-form-{indicator.id if indicator else uuid4().hex[:8]}"
    return render_template(
        "sheets/_indicator_form.html", form=form, sheet=sheet, indicator=indicator, form_id=form_id, conflict=conflict
    )
