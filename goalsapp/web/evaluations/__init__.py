"""The year-end self-evaluation (项目支出绩效自评表): started from an approved sheet, its editor
scoring as the clerk types, its workflow, print view and Excel."""
from flask import Blueprint

bp = Blueprint("evaluations", __name__)

from . import exchange, routes  # noqa
