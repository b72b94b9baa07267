"""The indicator library's admin page: the bureau's entries added, changed, removed, imported
from .xlsx (all or nothing) and exported; for 管理员 only."""
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from goalsapp.domain import limits
from goalsapp.domain.models import LibraryEntry
from goalsapp.extensions import db

HEADS = ("一级指标", "二级指标", "三级指标", "指标值", "绩效标准")
ENTRY = {"category": "产出指标／时效指标", "name": "预算支出进度", "value": "≥50%", "standard": "计划标准"}


def entries(app) -> list[tuple]:
    with app.app_context():
        return [(e.level1, e.level2, e.name, e.value, e.standard) for e in db.session.scalars(select(LibraryEntry).order_by(LibraryEntry.id))]


def xlsx(rows, title="指标库", above=()) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = title
    for row in [*above, *rows]:
        ws.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes, name="指标库.xlsx"):
    return client.post("/admin/library/import", data={"file": (BytesIO(data), name)}, content_type="multipart/form-data")


def test_the_page_lists_the_library_per_category_of_the_framework_shown(app, client):
    page = client.get("/admin/library").get_data(as_text=True)
    assert page.startswith("<!doctype html>") and "<h1>指标库</h1>" in page
    assert "产出指标 › 时效指标" in page and "预算执行率" in page and "内置" in page  # Hunan's, next year's default form
    assert "效益指标 › 社会公众或服务对象满意度指标" in page
    mof = client.get("/admin/library?framework=mof-2021").get_data(as_text=True)
    assert "成本指标 › 社会成本指标" in mof and "对社会发展的负面影响" in mof


def test_an_entry_is_added_changed_and_removed(app, client):
    response = client.post("/admin/library", data=ENTRY)
    assert response.status_code == 303
    assert entries(app) == [("产出指标", "时效指标", "预算支出进度", "≥50%", "计划标准")]
    page = client.get(response.location).get_data(as_text=True)
    assert "已把“预算支出进度”加入指标库" in page and "<td>预算支出进度</td><td>≥50%</td><td>计划标准</td><td>本局</td>" in page
    (entry_id,) = [row.id for row in _stored(app)]
    edit = client.get(f"/admin/library/{entry_id}").get_data(as_text=True)
    assert 'value="预算支出进度"' in edit and '<option selected value="产出指标／时效指标">' in edit
    assert client.post(f"/admin/library/{entry_id}", data={**ENTRY, "value": "≥60%", "standard": ""}).status_code == 303
    assert entries(app) == [("产出指标", "时效指标", "预算支出进度", "≥60%", "")]
    assert client.post(f"/admin/library/{entry_id}/delete").status_code == 303
    assert entries(app) == []


def _stored(app):
    with app.app_context():
        return db.session.scalars(select(LibraryEntry)).all()


@pytest.mark.parametrize("changes, message", [
    ({"name": ""}, "请填写三级指标"),
    ({"name": "长" * 101}, "三级指标不能超过100个字"),
    ({"value": "9" * 101}, "指标值不能超过100个字"),
    ({"standard": "自定标准"}, "绩效标准应为计划标准、行业标准、历史标准、其他标准之一，或不填"),
    ({"category": "产出指标／满意度"}, "“产出指标／满意度”不是已知的指标类别"),
])
def test_a_bad_entry_is_refused_with_the_typing_kept(app, client, changes, message):
    response = client.post("/admin/library", data={**ENTRY, **changes})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page
    assert 'value="≥50%"' in page or "9" * 101 in page
    assert entries(app) == []


def test_the_same_name_twice_in_a_category_is_refused(app, client):
    client.post("/admin/library", data=ENTRY)
    response = client.post("/admin/library", data={**ENTRY, "value": "≥70%"})
    assert response.status_code == 422 and "这一类已有这个指标" in response.get_data(as_text=True)
    assert client.post("/admin/library", data={**ENTRY, "category": "产出指标／质量指标"}).status_code == 303  # another category may
    assert len(entries(app)) == 2


def test_a_good_file_is_imported_and_a_second_import_changes_rather_than_doubles(app, client):
    rows = [HEADS, ("产出指标", "时效指标", "预算支出进度", "≥50%", "计划标准"),
            (None, None, "资金支付及时率", 1, None),  # 一级/二级 as the row above, as a merged cell reads
            ("效益指标", "社会公众或服务对象满意度指标", "商会会员满意度", "≥95%", "行业标准")]
    response = upload(client, xlsx(rows, above=[("某市财政局 指标库",), ()]))
    assert response.status_code == 303
    assert "新增3条，修改0条" in client.get(response.location).get_data(as_text=True)
    assert entries(app) == [("产出指标", "时效指标", "预算支出进度", "≥50%", "计划标准"), ("产出指标", "时效指标", "资金支付及时率", "1", ""),
                            ("效益指标", "社会公众或服务对象满意度指标", "商会会员满意度", "≥95%", "行业标准")]
    # The columns are found by their headings, in any order, with the forms' other wordings.
    again = [("三级", "绩效标准", "一级", "二级", "指标值及单位"), ("预算支出进度", "计划标准", "产出指标", "时效指标", "≥60%")]
    response = upload(client, xlsx(again))
    assert "新增0条，修改1条" in client.get(response.location).get_data(as_text=True)
    assert entries(app)[0] == ("产出指标", "时效指标", "预算支出进度", "≥60%", "计划标准")


def test_a_bad_file_imports_nothing_and_names_every_bad_cell(app, client):
    client.post("/admin/library", data=ENTRY)
    before = entries(app)
    rows = [HEADS,
            ("产出指标", "时效指标", "资金支付及时率", "100%", "计划标准"),  # good, and still not stored
            ("产出指标", "时效指标", None, "100%", "计划标准"),
            ("产出指标", "满意度", "满意度", "90%", "行业标准"),
            ("产出指标", "时效指标", "完成时间", "12月底前", "自定标准"),
            ("产出指标", "时效指标", "资金支付及时率", "99%", None)]
    response = upload(client, xlsx(rows))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "指标库.xlsx：没有导入任何指标，请改正后重新导入" in page
    assert "工作表“指标库”C3：请填写三级指标" in page
    assert "工作表“指标库”B4：“产出指标／满意度”不是已知的指标类别" in page
    assert "工作表“指标库”E5：绩效标准应为计划标准、行业标准、历史标准、其他标准之一，或不填" in page
    assert "工作表“指标库”C6：与工作表“指标库”C2重复" in page
    assert entries(app) == before


@pytest.mark.parametrize("data, name, message", [
    (b"not a workbook", "指标库.xlsx", "不是Excel（.xlsx）文件"),
    (xlsx([("名称", "值"), ("预算执行率", "95%")]), "指标库.xlsx", "没有找到标题行"),
])
def test_a_file_that_is_no_library_says_so(app, client, data, name, message):
    response = upload(client, data, name)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert entries(app) == []


def test_a_file_with_more_entries_than_the_library_holds_is_refused(app, client, monkeypatch):
    monkeypatch.setattr(limits, "LIBRARY_ENTRIES", 2)
    rows = [HEADS] + [("产出指标", "数量指标", f"指标{number}", "1个", "计划标准") for number in range(3)]
    response = upload(client, xlsx(rows))
    assert response.status_code == 422 and "文件里有3条指标，指标库最多2条" in response.get_data(as_text=True)
    assert entries(app) == []


def test_the_export_reads_back_in_as_the_same_library(app, client):
    client.post("/admin/library", data=ENTRY)
    client.post("/admin/library", data={"category": "效益指标／社会效益指标", "name": "=SUM(A1)", "value": "", "standard": ""})
    response = client.get("/admin/library/export.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(BytesIO(response.data)).active
    assert [tuple(cell.value for cell in row) for row in sheet.iter_rows()] == [
        HEADS, ("产出指标", "时效指标", "预算支出进度", "≥50%", "计划标准"), ("效益指标", "社会效益指标", "=SUM(A1)", None, None)]
    assert sheet["C3"].data_type == "s"  # text, never a formula
    before = entries(app)
    with app.app_context():
        db.session.execute(db.delete(LibraryEntry))
        db.session.commit()
    assert upload(client, response.data).status_code == 303
    assert entries(app) == before


@pytest.mark.parametrize("method, url", [
    ("get", "/admin/library"), ("post", "/admin/library"), ("get", "/admin/library/1"), ("post", "/admin/library/1"),
    ("post", "/admin/library/1/delete"), ("post", "/admin/library/import"), ("get", "/admin/library/export.xlsx"),
])
def test_only_administrators_keep_the_library(app, client, filler, reviewer, method, url):
    client.post("/admin/library", data=ENTRY)
    before = entries(app)
    for someone in (filler, reviewer):
        assert getattr(someone, method)(url, data={**ENTRY, "value": "改"}).status_code == 403
    assert entries(app) == before


def test_the_libraries_bureau_entries_reach_the_clerks_suggestions(seeded, client, filler):
    client.post("/admin/library", data=ENTRY)
    page = client.get("/sheets/new").get_data(as_text=True)
    assert "指标库" in page  # in the administrator's menu
    assert "指标库" not in filler.get("/").get_data(as_text=True).split("</nav>")[0]
    suggestions = filler.get("/sheets/1/indicators/suggestions", query_string={"level1": "产出指标", "level2": "时效指标", "name": "支出进度"})
    assert "预算支出进度" in suggestions.get_data(as_text=True) and "本局指标库" in suggestions.get_data(as_text=True)


def test_the_same_entry_stored_by_someone_else_meanwhile_is_said_not_a_server_error(app, client, monkeypatch):
    client.post("/admin/library", data=ENTRY)
    monkeypatch.setattr("goalsapp.domain.library.entry_named", lambda *names: None)  # as if checked before the other's commit
    response = client.post("/admin/library", data={**ENTRY, "value": "≥70%"})
    assert response.status_code == 422 and "别人刚刚在这一类存入了同名指标" in response.get_data(as_text=True)
    assert entries(app) == [("产出指标", "时效指标", "预算支出进度", "≥50%", "计划标准")]
