"""公开文本: a unit's approved tables of a year as one printable, page-numbered document."""
from datetime import datetime

from flask import render_template

from ...domain.publication import budget_publication
from ..filters import BEIJING
from . import bp
from .routes import requested_unit_year


@bp.get("/publication")
def publication():
    """部门预算公开 of the unit and year the query names (404 when the user may read none of its sheets)."""
    unit, year, sheets = requested_unit_year()
    document = budget_publication(unit, year, sheets, datetime.now(BEIJING).date())
    return render_template("print/publication.html", publication=document)
