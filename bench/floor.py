"""The floor: a bare route on the app's own stack that inserts one row and renders a tiny template.

Every benchmark figure is read against it, measured in the same run and served the same way: it
pays what any request pays (the session, the user, the CSRF check, a write and its commit) and
nothing the app's pages add.
"""
from flask import Blueprint, render_template_string
from sqlalchemy import Column, Integer, MetaData, String, Table, insert

from goalsapp import create_app
from goalsapp.extensions import db

floor_table = Table("bench_floor", MetaData(), Column("id", Integer, primary_key=True), Column("note", String(40)))
floor = Blueprint("bench", __name__)


@floor.post("/bench/floor")
def floor_route():
    with db.engine.begin() as connection:
        connection.execute(insert(floor_table).values(note="floor"))
    return render_template_string("<p>{{ note }}</p>", note="ok")


def app_with_floor(config: dict | None = None):
    """The app (configured as create_app is), with the floor route beside its own."""
    app = create_app(config)
    app.register_blueprint(floor)
    return app
