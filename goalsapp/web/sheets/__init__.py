"""Sheets: the list, the editor with its inline indicator and sub-table rows, and the print view."""
from flask import Blueprint

bp = Blueprint("sheets", __name__)

from . import indicators, lastyear, publication, routes, subtable, transitions  # noqa
