"""Sizes real forms never reach are refused with a message, the same in the form, the rows and
the database; odd requests get answers, not server errors."""
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DataError, IntegrityError

from goalsapp.domain import limits
from goalsapp.domain.models import GoalSheet, Indicator
from goalsapp.extensions import db

from .test_sheets import VALID

ROW = {"level1": "产出指标", "level2": "数量指标", "name": "培训人次", "value": "100人次", "standard": "计划标准"}


def count(app, model=GoalSheet) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)))


@pytest.mark.parametrize("field, limit, label", [
    ("project_name", limits.PROJECT_NAME, "项目支出名称"),
    ("budget_dept", limits.BUDGET_DEPT, "预算部门"),
    ("annual_goal", limits.GOAL_TEXT, "本年度绩效目标"),
])
def test_header_text_over_its_limit_is_refused_with_the_typing_kept(app, client, field, limit, label):
    response = client.post("/sheets/new", data={**VALID, field: "字" * (limit + 1)})
    assert response.status_code == 422 and f"{label}不能超过{limit}个字" in response.get_data(as_text=True)
    assert count(app) == 0
    assert client.post("/sheets/new", data={**VALID, field: "字" * limit}).status_code == 303


def test_the_database_keeps_the_same_limits_whatever_path_the_text_takes(app):
    with app.app_context():
        db.session.add(GoalSheet(unit="单位", year=2022, project_name="字" * (limits.PROJECT_NAME + 1), local_budget=1))
        with pytest.raises((IntegrityError, DataError)):  # SQLite's CHECK; PostgreSQL's varchar(200) first
            db.session.commit()
        db.session.rollback()
        db.session.add(GoalSheet(unit="单位", year=limits.LAST_YEAR + 1, project_name="项目", local_budget=1))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        sheet = GoalSheet(unit="单位", year=2022, project_name="项目", local_budget=1)
        sheet.indicators.append(Indicator(position=1, level1="产出指标", level2="数量指标", name="字" * (limits.INDICATOR_NAME + 1)))
        db.session.add(sheet)
        with pytest.raises(IntegrityError):  # a text column: the CHECK, on both databases
            db.session.commit()


def test_a_sheet_takes_no_more_rows_than_the_limit(app, client, monkeypatch):
    monkeypatch.setattr(limits, "INDICATORS_PER_SHEET", 3)  # the real 300 works the same, only slower
    client.post("/sheets/new", data=VALID)
    for number in range(3):
        assert client.post("/sheets/1/indicators", data={**ROW, "name": f"指标{number}"}).get_data(as_text=True).startswith('<tr class="indicator"')
    refused = client.post("/sheets/1/indicators", data={**ROW, "name": "第四个"}).get_data(as_text=True)
    assert "一张表最多3个指标，不能再添加" in refused and "第四个" in refused  # the typing stays
    assert count(app, Indicator) == 3


def test_a_page_number_past_any_end_shows_the_last_page(seeded, client):
    for page in ("9223372036854775807", "-5", "abc"):
        response = client.get(f"/?page={page}")
        assert response.status_code == 200 and "基层商会专项经费" in response.get_data(as_text=True)


def test_a_row_saved_without_a_value_field_is_stored_with_an_empty_value(seeded, client):
    response = client.put("/indicators/1", data={key: value for key, value in ROW.items() if key != "value"})
    assert response.status_code == 200
    with seeded.app_context():
        assert db.session.get(Indicator, 1).value == ""


def test_copying_past_the_last_year_is_refused(app, client):
    client.post("/sheets/new", data={**VALID, "year": str(limits.LAST_YEAR)})
    response = client.post("/sheets/1/copy-forward")
    assert f"不能复制到{limits.LAST_YEAR + 1}年" in client.get(response.location).get_data(as_text=True)
    client.post("/copy-forward", data={"unit": VALID["unit"], "year": str(limits.LAST_YEAR)})
    assert count(app) == 1
    result = app.test_cli_runner().invoke(args=["copy-year", "--unit", VALID["unit"], "--from", str(limits.LAST_YEAR),
                                                "--to", str(limits.LAST_YEAR + 1)])
    assert result.exit_code == 1 and "不能复制到" in result.output


def test_a_period_year_no_form_holds_is_refused_and_a_copy_never_leaves_the_range(app, client):
    response = client.post("/sheets/new", data={**VALID, "period_end": "9999.12"})
    assert response.status_code == 422 and f"年份应在{limits.PERIOD_FIRST_YEAR}至{limits.PERIOD_LAST_YEAR}之间" in response.get_data(as_text=True)
    client.post("/sheets/new", data={**VALID, "year": "2050", "period_end": f"{limits.PERIOD_LAST_YEAR}.12"})
    copied = client.post("/sheets/1/copy-forward")
    assert "不能复制：实施期会到" in client.get(copied.location).get_data(as_text=True)
    client.post("/copy-forward", data={"unit": VALID["unit"], "year": "2050"})
    assert count(app) == 1
