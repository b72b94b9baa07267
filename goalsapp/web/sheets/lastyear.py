"""引用上年 (htmx): last year's rows of a category, offered in a panel under it and brought into
this year's sheet one by one or all at once. Last year's sheet is the one of the same unit and
project (models.previous_year_sheet); only its rows can be brought, so an id names no one else's."""
from flask import abort, make_response, render_template, request
from flask_login import current_user

from ...domain import limits
from ...domain.copying import Offer, carry_rows, last_year_rows, rows_named
from ...domain.models import GoalSheet, previous_year_sheet
from ...domain.retry import retried_when_changed_meanwhile
from ...extensions import db
from ..guards import editable_sheet
from . import bp


@bp.get("/sheets/<int:sheet_id>/last-year")
def last_year(sheet_id: int):
    """The panel listing last year's rows of the category, each with 引用, and 全部引用."""
    sheet = editable_sheet(sheet_id)
    level1, level2 = _category(sheet)
    return _panel(sheet, level1, level2, previous_year_sheet(sheet))


@bp.post("/sheets/<int:sheet_id>/last-year/<int:indicator_id>")
@retried_when_changed_meanwhile
def carry_row(sheet_id: int, indicator_id: int):
    sheet = editable_sheet(sheet_id)
    level1, level2 = _category(sheet)
    previous = previous_year_sheet(sheet)
    offer = next((offer for offer in last_year_rows(previous, level2, sheet.year) if offer.source.id == indicator_id), None)
    if offer is None:
        abort(404)
    return _carried(sheet, [offer], level1, level2, previous)


@bp.post("/sheets/<int:sheet_id>/last-year")
@retried_when_changed_meanwhile
def carry_category(sheet_id: int):
    sheet = editable_sheet(sheet_id)
    level1, level2 = _category(sheet)
    previous = previous_year_sheet(sheet)
    return _carried(sheet, last_year_rows(previous, level2, sheet.year), level1, level2, previous)


def _category(sheet: GoalSheet) -> tuple[str, str]:
    level1, level2 = request.args.get("level1", ""), request.args.get("level2", "")
    if not sheet.form.framework.has_category(level1, level2):
        abort(404)
    return level1, level2


def _carried(sheet: GoalSheet, offers: list[Offer], level1: str, level2: str, previous: GoalSheet | None):
    """The rows brought, then the panel again (they now read 已有), in place of the panel; the
    page is told the sheet changed, so its findings and history refresh."""
    carried = carry_rows(sheet, offers, level1, current_user)
    db.session.commit()
    if previous is None:  # deleted since the panel was opened
        message = "没有找到上年同一项目的表（可能刚被删除），没有引用。"
    elif carried.full:
        done = f"只引用了{len(carried.added)}行" if carried.added else "不能再引用"
        message = f"一张表最多{limits.INDICATORS_PER_SHEET}个指标，{done}。"
    elif carried.added:
        message = f"已引用{len(carried.added)}行，可在表中修改。"
    else:
        message = "这些指标表中都已有，没有重复引用。"
    new_rows = "".join(render_template("sheets/_indicator_row.html", indicator=row, editable=True) for row in carried.added)
    response = make_response(new_rows + _panel(sheet, level1, level2, previous, message))
    response.headers["HX-Trigger"] = "sheet-changed"
    return response


def _panel(sheet: GoalSheet, level1: str, level2: str, previous: GoalSheet | None, message: str = "") -> str:
    return render_template("sheets/_last_year.html", sheet=sheet, level1=level1, level2=level2, previous=previous,
                           offers=last_year_rows(previous, level2, sheet.year), present=rows_named(sheet, level1, level2), message=message)
