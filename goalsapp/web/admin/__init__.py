"""Administration: units and user accounts, for 管理员 only."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import routes  # noqa
