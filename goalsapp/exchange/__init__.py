"""Exchange: Excel export, file import with a preview, copying a year forward."""
from flask import Blueprint

bp = Blueprint("exchange", __name__)

from . import routes  # noqa: E402,F401  (registers the views on bp)
