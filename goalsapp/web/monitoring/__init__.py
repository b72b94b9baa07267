"""运行监控: the bureau's rounds, each approved sheet's monitoring with its lights, its review, print and Excel."""
from flask import Blueprint

bp = Blueprint("monitoring", __name__)

from . import files, routes, transitions  # noqa
