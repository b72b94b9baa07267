"""The htmx row endpoints: each answers with one <tr> fragment (on delete, the line that says so)."""
import pytest
from sqlalchemy import select

from goalsapp.domain.models import Indicator
from goalsapp.extensions import db

ROW = {"level1": "产出指标", "level2": "质量指标", "name": "培训合格率", "value": "≥95%", "standard": "行业标准"}


def stored(app, sheet_id=1):
    with app.app_context():
        return [
            (i.level2, i.name, i.value, i.standard)
            for i in db.session.scalars(select(Indicator).where(Indicator.sheet_id == sheet_id).order_by(Indicator.position))
        ]


def test_a_new_row_is_a_focused_form_for_its_category(seeded, client):
    response = client.get("/sheets/1/indicators/new", query_string={"level1": "产出指标", "level2": "质量指标"})
    fragment = response.get_data(as_text=True).lstrip()
    assert response.status_code == 200
    assert fragment.startswith("<tr") and "<html" not in fragment
    assert "autofocus" in fragment
    assert 'name="level2" type="hidden" value="质量指标"' in fragment
    assert 'hx-post="/sheets/1/indicators"' in fragment


def test_a_new_row_for_a_category_outside_the_framework_is_404(seeded, client):
    response = client.get("/sheets/1/indicators/new", query_string={"level1": "产出指标", "level2": "满意度指标"})
    assert response.status_code == 404


def test_adding_a_row_stores_it_last_in_its_category(seeded, client):
    before = stored(seeded)
    response = client.post("/sheets/1/indicators", data=ROW)
    fragment = response.get_data(as_text=True).lstrip()
    assert response.status_code == 200
    assert fragment.startswith('<tr class="indicator" id="indicator-') and "培训合格率" in fragment
    assert stored(seeded) == before + [("质量指标", "培训合格率", "≥95%", "行业标准")]
    editor = client.get("/sheets/1").get_data(as_text=True)
    assert editor.index("7个基层商会按照") < editor.index("培训合格率") < editor.index("2021年12月底完成全年工作计划")


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"name": ""}, "请填写三级指标"),
        ({"name": "长" * 101}, "三级指标不能超过100个字"),
        ({"standard": "自定标准"}, "请选择绩效标准"),
        ({"standard": ""}, "请选择绩效标准"),
        ({"level2": "满意度指标"}, "指标类别不属于本表的指标体系"),
    ],
)
def test_a_bad_new_row_shows_its_error_in_the_row_and_is_not_stored(seeded, client, changes, message):
    before = stored(seeded)
    response = client.post("/sheets/1/indicators", data={**ROW, **changes})
    fragment = response.get_data(as_text=True).lstrip()
    assert response.status_code == 200  # htmx swaps only 2xx
    assert fragment.startswith("<tr") and message in fragment
    assert 'value="≥95%"' in fragment  # what was typed stays
    assert stored(seeded) == before


def test_editing_a_row_opens_it_as_a_form_with_its_values(seeded, client):
    fragment = client.get("/indicators/1/edit").get_data(as_text=True).lstrip()
    assert fragment.startswith('<tr class="indicator editing" id="indicator-1"')
    assert 'value="7个"' in fragment and 'hx-put="/indicators/1"' in fragment
    assert '<option selected value="行业标准">' in fragment


def test_saving_an_edited_row_stores_it_and_shows_the_row(seeded, client):
    response = client.put("/indicators/1", data={**ROW, "level2": "数量指标", "name": "促进8个基层商会正常运转", "value": "8个"})
    fragment = response.get_data(as_text=True).lstrip()
    assert fragment.startswith('<tr class="indicator" id="indicator-1"') and "8个" in fragment
    assert stored(seeded)[0] == ("数量指标", "促进8个基层商会正常运转", "8个", "行业标准")


def test_a_bad_edit_keeps_the_typing_and_the_stored_row(seeded, client):
    before = stored(seeded)
    fragment = client.put("/indicators/1", data={**ROW, "level2": "数量指标", "name": " ", "value": "9个"}).get_data(as_text=True)
    assert "请填写三级指标" in fragment and 'value="9个"' in fragment
    assert stored(seeded) == before


def test_cancelling_an_edit_shows_the_stored_row(seeded, client):
    fragment = client.get("/indicators/1").get_data(as_text=True).lstrip()
    assert fragment.startswith('<tr class="indicator" id="indicator-1"') and "促进7个基层商会正常运转" in fragment


def test_deleting_a_row_removes_it_and_answers_with_the_line_that_offers_undo(seeded, client):
    before = stored(seeded)
    response = client.delete("/indicators/1")
    fragment = response.get_data(as_text=True).lstrip()
    assert response.status_code == 200 and fragment.startswith('<tr class="deleted-row"')
    assert "已删除指标“促进7个基层商会正常运转，下拨每个基层商会工作经费2万元”" in fragment and ">撤销</button>" in fragment
    assert stored(seeded) == before[1:]


@pytest.mark.parametrize(
    "method, url",
    [("get", "/indicators/999"), ("get", "/indicators/999/edit"), ("put", "/indicators/999"), ("delete", "/indicators/999"),
     ("post", "/sheets/999/indicators"), ("get", "/sheets/999/indicators/new?level1=产出指标&level2=数量指标")],
)
def test_missing_rows_and_sheets_are_404(seeded, client, method, url):
    assert getattr(client, method)(url, data=ROW).status_code == 404
