"""CSRF protection on every change, htmx requests included."""
import re

import pytest
from sqlalchemy import func, select
from wtforms.widgets import html_params

from goalsapp.domain.models import GoalSheet, Indicator, Role
from goalsapp.extensions import db
from goalsapp.web.forms import QuickAttributes

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


# --- headers, cookies, logins, hostile input ------------------------------------------


def test_every_response_carries_the_security_headers(seeded, client):
    for url in ("/", "/sheets/1", "/sheets/1/print", "/static/app.css", "/login"):
        with client.get(url) as response:
            headers = response.headers
            assert "script-src 'self';" in headers["Content-Security-Policy"] and "frame-ancestors 'none'" in headers["Content-Security-Policy"]
            assert "unsafe-inline" not in headers["Content-Security-Policy"]
            assert (headers["X-Frame-Options"], headers["X-Content-Type-Options"], headers["Referrer-Policy"]) == ("DENY", "nosniff", "same-origin")


def test_no_page_has_inline_script_or_style(seeded, client):
    for url in ("/", "/sheets/1", "/sheets/1/print", "/import", "/admin/users", "/sheets/1/findings", "/indicators/1/edit"):
        page = client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), url
        assert "style=" not in page and "<style" not in page, url
        assert not re.search(r"\son[a-z]+=", page), url  # no inline event handlers either


def test_the_session_cookie_is_http_only_and_same_site(app):
    password = add_user(app, "zhang", Role.ADMIN)
    response = app.test_client().post("/login", data={"username": "zhang", "password": password})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_the_session_cookie_is_secure_when_configured(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=False, SESSION_COOKIE_SECURE=True)
    password = add_user(app, "zhang", Role.ADMIN)
    assert "Secure" in app.test_client().post("/login", data={"username": "zhang", "password": password}).headers["Set-Cookie"]


def test_failed_logins_are_limited(app):
    password = add_user(app, "zhang", Role.FILLER, "某单位")
    client = app.test_client()
    for _ in range(5):
        assert client.post("/login", data={"username": "zhang", "password": "guess"}).status_code == 422
    blocked = client.post("/login", data={"username": "zhang", "password": password})
    assert blocked.status_code == 429 and "登录失败次数过多，请15分钟后再试" in blocked.get_data(as_text=True)
    assert "Cache-Control" in blocked.headers and blocked.headers["Cache-Control"] == "no-store"
    assert client.get("/").status_code == 302  # not logged in


def test_a_good_login_clears_the_count(app):
    password = add_user(app, "zhang", Role.FILLER, "某单位")
    client = app.test_client()
    for _ in range(4):
        client.post("/login", data={"username": "zhang", "password": "guess"})
    assert client.post("/login", data={"username": "zhang", "password": password}).status_code == 303
    client.post("/logout")
    for _ in range(4):
        client.post("/login", data={"username": "zhang", "password": "guess"})
    assert client.post("/login", data={"username": "zhang", "password": password}).status_code == 303


def test_text_that_cannot_be_kept_is_normalised_away_at_the_door(app, client):
    name = "项目\x00\r\n名称\ufffe\u202e"
    response = client.post("/sheets/new", data={"unit": "单位", "year": "2022", "project_name": name, "local_budget": "1",
                                                 "annual_goal": "第一行\r\n第二行\x07"})
    assert response.status_code == 303
    with app.app_context():
        sheet = db.session.get(GoalSheet, 1)
        assert (sheet.project_name, sheet.annual_goal) == ("项目 名称", "第一行\n第二行")


def test_huge_numbers_in_urls_and_fields_are_not_server_errors(seeded, client):
    assert client.get("/sheets/99999999999999999999").status_code == 404
    assert client.get("/indicators/99999999999999999999/edit").status_code == 404
    assert client.get("/print?unit=会同县工商联&year=99999999999999999999").status_code == 404
    assert client.post("/copy-forward", data={"unit": "会同县工商联", "year": "99999999999999999999"}).status_code == 400
    big = client.post("/sheets/new", data={"unit": "单位", "year": "2022", "project_name": "项目", "local_budget": "1" + "0" * 30})
    assert big.status_code == 422 and "金额过大" in big.get_data(as_text=True)


def client_at(app, address: str):
    """A test client whose requests come from this address (no packet leaves the process)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_a_stranger_cannot_lock_a_real_user_out(app):
    """Guessing from one address locks only that name at that address; the real user elsewhere gets in."""
    password = add_user(app, "zhang", Role.FILLER, "某单位")
    stranger = client_at(app, "10.9.9.9")
    for _ in range(20):
        stranger.post("/login", data={"username": "zhang", "password": "guess"})
    assert stranger.post("/login", data={"username": "zhang", "password": password}).status_code == 429
    colleague = client_at(app, "10.1.1.1")
    assert colleague.post("/login", data={"username": "zhang", "password": password}).status_code == 303


def test_many_failures_behind_one_office_address_lock_nobody_else_there(app):
    password = add_user(app, "li", Role.FILLER, "某单位")
    office = client_at(app, "10.2.2.2")
    for number in range(40):
        assert office.post("/login", data={"username": f"user{number}", "password": "guess"}).status_code == 422
    assert office.post("/login", data={"username": "li", "password": password}).status_code == 303


def test_answers_slow_down_past_the_allowance_up_to_a_ceiling():
    from goalsapp.web.auth.routes import slowdown

    assert slowdown(5, 30, 3.0) == 0  # within what a person mistypes
    assert 0 < slowdown(6, 0, 3.0) < slowdown(8, 0, 3.0) < 3.0  # doubling per failure for the account
    assert 0 < slowdown(0, 31, 3.0)  # and for the address
    assert slowdown(500, 500, 3.0) == 3.0


def test_an_unknown_username_is_checked_against_a_hash_like_a_real_one(app, monkeypatch):
    """Same work for a name that does not exist, so timing does not tell which names do."""
    from werkzeug.security import check_password_hash

    import goalsapp.web.auth.routes as auth_routes

    checked = []
    monkeypatch.setattr(auth_routes, "check_password_hash", lambda *args: checked.append(args) or check_password_hash(*args))
    assert app.test_client().post("/login", data={"username": "nobody", "password": "guess"}).status_code == 422
    assert len(checked) == 1 and checked[0][0].startswith(("scrypt:", "pbkdf2:"))


def test_pages_are_not_kept_in_caches_but_static_files_are(seeded, client):
    assert client.get("/").headers["Cache-Control"] == "no-store"
    assert client.get("/sheets/1/export.xlsx").headers["Cache-Control"] == "no-store"
    with client.get("/static/app.css") as static:
        assert "no-store" not in static.headers.get("Cache-Control", "")


def test_workers_starting_together_share_one_secret_key(tmp_path):
    import threading

    from goalsapp import instance_secret_key

    keys = []
    threads = [threading.Thread(target=lambda: keys.append(instance_secret_key(tmp_path))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(keys)) == 1 and len(keys[0]) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert [path.name for path in tmp_path.iterdir()] == ["secret_key"]


def test_the_favicon_is_served_to_everyone(app):
    with app.test_client().get("/favicon.ico") as response:  # before login too: browsers ask on the login page
        assert response.status_code == 200 and response.mimetype == "image/svg+xml"


def test_a_name_that_keeps_failing_waits_between_tries_without_holding_a_worker(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=False, LOGIN_MAX_DELAY=60)
    password = add_user(app, "zhang", Role.FILLER, "某单位")
    for number in range(6):  # one over the allowance, each from another address: no lock anywhere
        client_at(app, f"10.3.3.{number}").post("/login", data={"username": "zhang", "password": "guess"})
    waiting = client_at(app, "10.4.4.4").post("/login", data={"username": "zhang", "password": password})
    assert waiting.status_code == 429 and "请1秒后再试" in waiting.get_data(as_text=True)
    with app.app_context():
        from goalsapp.domain.models import LoginFailure
        assert count(app, LoginFailure) == 6  # a try refused for waiting is no new failure


@pytest.mark.parametrize("attributes", [
    {"name": "project_name", "id": "project_name", "value": '"><script>alert(1)</script>', "maxlength": 200, "required": True},
    {"name": "unit", "class_": "wide", "readonly": False, "autocomplete": "organization", "data_row_id": "3", "aria_describedby": "x"},
    {"name": "local_budget", "placeholder": "万元", "inputmode": "decimal", "value": "1 & 2 < 3 'a'"},
])
def test_the_forms_quick_attribute_writer_writes_what_wtforms_writes(attributes):
    """Boxes are drawn with QuickAttributes for speed: the same attributes, order and escaping, so the
    same page and nothing a value could break out of."""
    assert QuickAttributes.html_params(**attributes) == html_params(**attributes)


def test_a_malformed_request_or_a_button_address_typed_in_is_answered_in_chinese(seeded, filler):
    """A posted year out of range, or a POST-only address opened in the browser: a page in Chinese."""
    refused = filler.post("/submit-group", data={"unit": "会同县工商联", "year": "99999999999999999999"})
    assert refused.status_code == 400 and "请求不完整或有误，没有保存任何内容" in refused.get_data(as_text=True)
    typed = filler.get("/submit-group")
    assert typed.status_code == 405 and "这个地址不能直接打开" in typed.get_data(as_text=True)
    assert "Bad Request" not in refused.get_data(as_text=True) + typed.get_data(as_text=True)
