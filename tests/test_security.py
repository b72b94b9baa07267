"""CSRF protection on every change, htmx requests included."""
import re

from sqlalchemy import func, select

from goalsapp.extensions import db
from goalsapp.models import GoalSheet, Indicator, Role

from .conftest import add_user

SHEET = {"unit": "会同县工商联", "year": "2022", "project_name": "新项目", "local_budget": "1"}


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def token_from(page: str) -> str:
    return re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)


def logged_in(app):
    """A client that logged in through the CSRF-protected login form."""
    password = add_user(app, "admin", Role.ADMIN)
    client = app.test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    assert client.post("/login", data={"username": "admin", "password": password, "csrf_token": token}).status_code == 303
    return client


def test_logging_in_without_the_token_is_refused(csrf_app):
    password = add_user(csrf_app, "admin", Role.ADMIN)
    response = csrf_app.test_client().post("/login", data={"username": "admin", "password": password})
    assert response.status_code == 400


def test_a_form_post_without_the_token_is_refused(csrf_app):
    client = logged_in(csrf_app)
    response = client.post("/sheets/new", data=SHEET)
    assert response.status_code == 400
    assert "页面已过期或缺少安全令牌" in response.get_data(as_text=True)
    assert count(csrf_app, GoalSheet) == 0


def test_an_htmx_post_needs_the_token_header(csrf_app):
    client = logged_in(csrf_app)
    token = token_from(client.get("/sheets/new").get_data(as_text=True))
    client.post("/sheets/new", data={**SHEET, "csrf_token": token})
    row = {"level1": "产出指标", "level2": "数量指标", "name": "指标", "value": "1个", "standard": "计划标准"}

    refused = client.post("/sheets/1/indicators", data=row, headers={"HX-Request": "true"})
    assert refused.status_code == 400 and count(csrf_app, Indicator) == 0

    accepted = client.post("/sheets/1/indicators", data=row, headers={"HX-Request": "true", "X-CSRFToken": token})
    assert accepted.status_code == 200 and count(csrf_app, Indicator) == 1

    assert client.delete("/indicators/1").status_code == 400
    assert count(csrf_app, Indicator) == 1
