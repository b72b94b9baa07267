"""Two app servers on one database, as a province runs them behind nginx: whichever server answers,
the user finds the same app. Nothing a request needs lives in one server's memory: the session is
the signed cookie (both servers hold the same secret key, as the deployment section says), who is
logged in and how often a login failed are in the database, and so are uploads awaiting their
confirmation. Runs on SQLite (one file, two processes) and, with TEST_DATABASE_URL, on PostgreSQL.
"""
import os
import re
import secrets
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from bench.webclient import WebClient
from goalsapp.cli.commands import DEMO_FILE
from goalsapp.domain.importing import import_files, read_sheets
from goalsapp.domain.models import GoalSheet, Indicator, Role
from goalsapp.extensions import db
from goalsapp.formats.excel import write_workbook

from .conftest import SEED_UNIT, add_user, database_url, listening
from .test_durability import free_port
from .test_sheets import VALID

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ROW = {"level1": "产出指标", "level2": "数量指标", "value": "3个", "standard": "计划标准"}


@pytest.fixture
def servers(app_factory, tmp_path):
    """(app, server A's address, server B's, a 填报人's username and password): two gunicorns on the
    seed's database, each started as its own machine would start it."""
    app = app_factory()
    with app.app_context():
        import_files([DEMO_FILE])
    password = add_user(app, "clerk", Role.FILLER, SEED_UNIT)
    shared = {"DATABASE_URL": database_url(tmp_path), "GOALSAPP_SECRET_KEY": secrets.token_hex(32)}
    started, addresses = [], []
    try:
        for name in ("a", "b"):
            port = free_port()
            # Each on "its own disk": a folder of its own where files could be left (uploads once were).
            env = {**os.environ, **shared, "GOALSAPP_UPLOADS_FOLDER": str(tmp_path / f"disk-{name}")}
            started.append(subprocess.Popen(
                [str(BIN / "gunicorn"), "--workers", "1", "--threads", "2", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
                cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            listening(started[-1], port)
            addresses.append(f"http://127.0.0.1:{port}")
        yield app, *addresses, "clerk", password
    finally:
        for server in started:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait()


def version_in(page: str) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)


def test_a_login_on_one_server_holds_on_the_other_and_so_does_its_logout(servers):
    _, a_address, b_address, username, password = servers
    on_a = WebClient(a_address)
    on_a.log_in(username, password)
    on_b = on_a.elsewhere(b_address)  # the same cookie, sent to the other server (nginx may pick either)

    status, page = on_b.request("GET", "/")
    assert status == 200 and "退出" in page and SEED_UNIT in page

    status, _ = on_b.request("POST", "/logout", {})  # 退出 on B ends the session A had let in too
    status, page = on_a.request("GET", "/")
    assert "登录" in page and "退出" not in page


def test_a_row_written_through_one_server_is_read_through_the_other(servers):
    app, a_address, b_address, username, password = servers
    on_a = WebClient(a_address)
    on_a.log_in(username, password)
    on_b = on_a.elsewhere(b_address)

    status, row = on_a.request("POST", "/sheets/1/indicators", {**ROW, "name": "甲服务器写入的指标"}, htmx=True)
    assert status == 200 and "甲服务器写入的指标" in row

    assert "甲服务器写入的指标" in on_b.request("GET", "/sheets/1")[1]
    assert "甲服务器写入的指标" in on_b.request("GET", "/sheets/1/print")[1]
    with app.app_context():
        assert db.session.scalar(select(Indicator.value).where(Indicator.name == "甲服务器写入的指标")) == "3个"


def test_a_stale_save_through_one_server_is_refused_after_a_save_through_the_other(servers):
    app, a_address, b_address, username, password = servers
    on_a = WebClient(a_address)
    on_a.log_in(username, password)
    on_b = on_a.elsewhere(b_address)
    seen_on_b = version_in(on_b.request("GET", "/sheets/1")[1])

    header = {**VALID, "year": "2021", "project_name": "基层商会专项经费"}
    status, _ = on_a.request("POST", "/sheets/1", {**header, "budget_dept": "甲改的部门", "version": seen_on_b})
    assert status == 200  # saved, and the editor shown again (after its redirect)

    status, page = on_b.request("POST", "/sheets/1", {**header, "budget_dept": "乙改的部门", "version": seen_on_b})
    assert status == 409
    assert "你编辑期间，别人修改并保存了这张表的表头" in page
    assert "预算部门：现在保存的是“甲改的部门”，你输入的是“乙改的部门”" in page and 'value="乙改的部门"' in page
    with app.app_context():
        assert db.session.get(GoalSheet, 1).budget_dept == "甲改的部门"

    # A row, likewise: changed through A, then saved through B from the version B had shown.
    row_id = 1
    seen = version_in(on_b.request("GET", f"/indicators/{row_id}/edit", htmx=True)[1])
    on_a.request("PUT", f"/indicators/{row_id}", {**ROW, "name": "甲改的指标", "version": seen}, htmx=True)
    _, fragment = on_b.request("PUT", f"/indicators/{row_id}", {**ROW, "name": "乙改的指标", "version": seen}, htmx=True)
    assert "没有保存：别人刚改过这一行，现在是“甲改的指标”" in fragment
    with app.app_context():
        assert db.session.get(Indicator, row_id).name == "甲改的指标"


def test_failed_logins_on_one_server_count_on_the_other(servers):
    _, a_address, b_address, username, _ = servers
    on_a, on_b = WebClient(a_address), WebClient(b_address)
    for _ in range(5):  # LOCK_AFTER: a name from one address
        status, page = login_attempt(on_a, username, "wrong-password")
        assert status == 422 and "用户名或密码不对" in page
    status, page = login_attempt(on_b, username, "wrong-password")
    assert status == 429 and "登录失败次数过多" in page


def login_attempt(client: WebClient, username: str, password: str) -> tuple[int, str]:
    _, page = client.request("GET", "/login")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return client.request("POST", "/login", {"username": username, "password": password, "csrf_token": token})


def test_an_upload_previewed_on_one_server_is_confirmed_on_the_other(servers):
    app, a_address, b_address, username, password = servers
    on_a = WebClient(a_address)
    on_a.log_in(username, password)
    on_b = on_a.elsewhere(b_address)
    with app.app_context():
        sheet = read_sheets(DEMO_FILE)[0]
        sheet.project_name = "两台服务器之间导入的项目"
        workbook = write_workbook([sheet])

    status, preview = on_a.upload("/import", "项目.xlsx", workbook)
    assert status == 200 and "两台服务器之间导入的项目" in preview
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', preview).group(1)
    status, page = on_b.request("POST", "/import/confirm", {"token": token, "filename": "项目.xlsx"})

    assert status == 200 and "已导入 1 张表" in page
    with app.app_context():
        assert db.session.scalar(select(GoalSheet.id).where(GoalSheet.project_name == "两台服务器之间导入的项目")) is not None
