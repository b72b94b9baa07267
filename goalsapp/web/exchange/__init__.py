"""Exchange: Excel export, file import with a preview, copying a year forward."""
from flask import Blueprint

bp = Blueprint("exchange", __name__)

from . import routes  # noqa
