"""The finance bureau's overview of a year, with its charts, and the year's 汇总表 workbook."""
from flask import Blueprint

bp = Blueprint("overview", __name__)

from . import routes  # noqa
