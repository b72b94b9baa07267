"""Logging in and out; every other page needs a logged-in user."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import routes  # noqa
