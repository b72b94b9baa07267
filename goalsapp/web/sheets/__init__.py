"""Sheets: the list, the editor with its inline indicator rows, and the print view."""
from flask import Blueprint

bp = Blueprint("sheets", __name__)

from . import indicators, routes, transitions  # noqa
