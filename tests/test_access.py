"""Who may use which endpoint: every endpoint, every role, other units' sheets invisible."""
from io import BytesIO

import pytest
from sqlalchemy import select

from goalsapp.cli.commands import DEMO_FILE
from goalsapp.domain.models import GoalSheet, Status
from goalsapp.extensions import db

ROW = {"level1": "产出指标", "level2": "数量指标", "name": "指标", "value": "1个", "standard": "计划标准"}
SHEET = {"unit": "会同县工商联", "year": "2022", "project_name": "新项目", "local_budget": "1"}
UNIT_YEAR = {"unit": "会同县工商联", "year": "2021"}

# Every endpoint that touches the seed's sheet 1 (会同县工商联) or its indicator 1.
READS = [
    ("get", "/sheets/1", None),
    ("get", "/sheets/1/findings", None),
    ("get", "/sheets/1/print", None),
    ("get", "/sheets/1/export.xlsx", None),
    ("get", "/indicators/1", None),
    ("get", "/print?unit=会同县工商联&year=2021", None),
    ("get", "/export.xlsx?unit=会同县工商联&year=2021", None),
]
CHANGES = [
    ("post", "/sheets/1", SHEET),
    ("post", "/sheets/1/delete", None),
    ("get", "/sheets/1/indicators/new?level1=产出指标&level2=数量指标", None),
    ("post", "/sheets/1/indicators", ROW),
    ("get", "/indicators/1/edit", None),
    ("put", "/indicators/1", ROW),
    ("delete", "/indicators/1", None),
    ("get", "/sheets/1/indicators/suggestions?level1=产出指标&level2=数量指标&name=基层", None),
    ("get", "/sheets/1/last-year?level1=产出指标&level2=数量指标", None),
    ("post", "/sheets/1/last-year?level1=产出指标&level2=数量指标", None),
    ("post", "/sheets/1/last-year/1?level1=产出指标&level2=数量指标", None),
    ("post", "/sheets/1/submit", None),
    ("post", "/sheets/1/copy-forward", None),
    ("post", "/copy-forward", UNIT_YEAR),
]
REVIEWS = [("post", "/sheets/1/approve", {"comment": "好"}), ("post", "/sheets/1/return", {"comment": "改"})]


def call(client, method, url, data):
    return getattr(client, method)(url, data=data)


def snapshot(app):
    with app.app_context():
        sheets = db.session.scalars(select(GoalSheet).order_by(GoalSheet.id)).all()
        return [(s.id, s.unit, s.year, s.project_name, s.status, s.review_comment, [(i.id, i.name, i.value) for i in s.indicators]) for s in sheets]


@pytest.mark.parametrize("method, url, data", READS + CHANGES + REVIEWS)
def test_another_units_filler_can_neither_see_nor_change_a_sheet(seeded, other_filler, method, url, data):
    before = snapshot(seeded)
    assert call(other_filler, method, url, data).status_code == 404
    assert snapshot(seeded) == before


def test_another_units_filler_sees_none_of_its_sheets_in_the_list(seeded, other_filler):
    page = other_filler.get("/").get_data(as_text=True)
    assert "会同县工商联" not in page and "基层商会专项经费" not in page


@pytest.mark.parametrize("method, url, data", READS)
def test_the_units_own_filler_and_the_reviewer_read(seeded, filler, reviewer, method, url, data):
    assert call(filler, method, url, data).status_code == 200
    assert call(reviewer, method, url, data).status_code == 200


@pytest.mark.parametrize("method, url, data", CHANGES)
def test_a_reviewer_changes_nothing_a_unit_fills_in(seeded, reviewer, method, url, data):
    before = snapshot(seeded)
    assert call(reviewer, method, url, data).status_code in (403, 303)  # 303: the workflow says why, and refuses
    assert snapshot(seeded) == before


def test_a_reviewer_neither_creates_nor_imports(seeded, reviewer):
    assert reviewer.get("/sheets/new").status_code == 403
    assert reviewer.post("/sheets/new", data=SHEET).status_code == 403
    assert reviewer.get("/import").status_code == 403


@pytest.mark.parametrize("method, url, data", REVIEWS)
def test_a_filler_cannot_review_even_their_own_unit(seeded, filler, method, url, data):
    with seeded.app_context():
        db.session.get(GoalSheet, 1).status = Status.SUBMITTED
        db.session.commit()
    before = snapshot(seeded)
    call(filler, method, url, data)
    assert snapshot(seeded) == before


def test_a_filler_creates_sheets_only_for_their_own_unit(app, filler):
    filler.post("/sheets/new", data={**SHEET, "unit": "某县教育局"})
    assert [(s[1], s[3]) for s in snapshot(app)] == [("会同县工商联", "新项目")]


def test_a_filler_imports_only_their_own_units_sheets(app, other_filler):
    response = other_filler.post("/import", data={"file": (BytesIO(DEMO_FILE.read_bytes()), "seed.txt")}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "文件里有其他单位的表（会同县工商联），你只能导入本单位的表" in response.get_data(as_text=True)
    assert snapshot(app) == []


@pytest.mark.parametrize("method, url", [("get", "/"), ("get", "/sheets/1"), ("get", "/import"), ("get", "/admin/users"), ("post", "/sheets/new")])
def test_nobody_gets_in_without_logging_in(seeded, method, url):
    response = getattr(seeded.test_client(), method)(url)
    assert response.status_code == 302 and response.location.startswith("/login")


def test_an_htmx_request_after_the_session_ended_is_sent_to_the_login_page(seeded):
    response = seeded.test_client().get("/indicators/1/edit", headers={"HX-Request": "true"})
    assert response.status_code == 401 and response.headers["HX-Redirect"] == "/login"


@pytest.mark.parametrize("url", ["/admin/users", "/admin/units", "/admin/library"])
def test_only_administrators_manage_accounts(app, filler, reviewer, client, url):
    assert filler.get(url).status_code == 403
    assert reviewer.get(url).status_code == 403
    assert client.get(url).status_code == 200


def test_the_list_offers_only_what_the_user_may_do(seeded, reviewer, filler):
    page = reviewer.get("/").get_data(as_text=True)
    assert page.count(">查看</a>") == 5 and ">编辑</a>" not in page and ">删除</button>" not in page
    page = filler.get("/").get_data(as_text=True)
    assert page.count(">编辑</a>") == 5 and page.count(">删除</button>") == 5
