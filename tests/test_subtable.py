"""The whole-department table's 年度履职目标, edited row by row: each endpoint answers with one <tr>
fragment (or nothing, on delete), as the indicator rows do."""
import dataclasses
import re

import pytest

from goalsapp.domain import limits
from goalsapp.domain.errors import ReadError
from goalsapp.domain.importing import read_bytes, store
from goalsapp.domain.models import GoalSheet, Role, SheetEvent, Status
from goalsapp.extensions import db
from goalsapp.web.sheets.subtable_forms import row_mark

from .conftest import login
from .test_security import logged_in, token_from
from .variants.catalog import BY_CODE, Variant
from .variants.writers import to_docx, to_txt_bytes, to_xlsx

FUJIAN = BY_CODE["fujian_2019_department"]

UNIT = "福州市鼓楼区民政局"
ROWS = [
    ["社会救助", "保障城乡低保对象基本生活", "城乡最低生活保障资金", "1120.00"],
    ["社会救助", "落实特困人员救助供养", "特困人员救助供养资金", "386.20"],
    ["养老服务", "推进居家社区养老服务", "居家养老服务补助", "326.40"],
    ["社会事务", "规范殡葬管理和婚姻登记", "殡葬改革专项经费", "100.00"],
]
NEW = {"function": "养老服务", "task": "新建社区居家养老服务站28个", "item": "养老服务站建设补助", "amount": "1,250.5"}


def fujian_sheet(app) -> int:
    """The Fujian 2019 whole-department table, read from its .docx as an upload would be."""
    with app.app_context():
        (sheet,) = read_bytes(to_docx(BY_CODE["fujian_2019_department"]), "2019年福建部门整体支出.docx")
        store([sheet], ["keep"])
        return sheet.id


@pytest.fixture
def sheet_id(app):
    return fujian_sheet(app)


def rows(app, sheet_id) -> list[list[str]]:
    with app.app_context():
        return db.session.get(GoalSheet, sheet_id).fields.get("duties", [])


def events(app, sheet_id) -> list[tuple[str, list]]:
    with app.app_context():
        return [(e.action, e.changes) for e in db.session.scalars(db.select(SheetEvent).where(SheetEvent.sheet_id == sheet_id)
                                                                     .order_by(SheetEvent.id))]


def marks(page: str) -> list[tuple[int, str]]:
    """Each row's place and mark, from its 编辑 button."""
    return [(int(index), mark) for index, mark in re.findall(r'hx-get="/sheets/\d+/subtable/(\d+)/edit\?mark=(\w+)"', page)]


def mark_of(client, sheet_id, index: int) -> str:
    return dict(marks(client.get(f"/sheets/{sheet_id}").get_data(as_text=True)))[index]


def test_the_editor_shows_each_row_with_its_buttons_and_the_add_button(app, client, sheet_id):
    page = client.get(f"/sheets/{sheet_id}").get_data(as_text=True)
    assert rows(app, sheet_id) == ROWS
    assert [index for index, _ in marks(page)] == [0, 1, 2, 3]
    assert page.count('class="small danger" hx-delete="/sheets/') == 4
    assert "＋ 添加一行" in page and f'hx-get="/sheets/{sheet_id}/subtable/new"' in page
    assert '<td class="num">1120.00</td>' in page  # the amount as the file wrote it
    assert "按导入的文件保存" not in page


def test_a_new_row_is_a_focused_form(client, sheet_id):
    response = client.get(f"/sheets/{sheet_id}/subtable/new")
    fragment = response.get_data(as_text=True).lstrip()
    assert response.status_code == 200 and "<html" not in fragment
    assert fragment.startswith('<tr class="subtable-row editing"')
    assert fragment.count("autofocus") == 1 and f'hx-post="/sheets/{sheet_id}/subtable"' in fragment
    assert 'aria-label="部门职能"' in fragment and 'aria-label="预算金额"' in fragment and 'placeholder="万元"' in fragment


def test_adding_a_row_stores_it_last_and_prints_it(app, client, sheet_id):
    response = client.post(f"/sheets/{sheet_id}/subtable", data=NEW)
    fragment = response.get_data(as_text=True).lstrip()
    assert response.status_code == 200 and response.headers["HX-Trigger"] == "sheet-changed"
    assert fragment.startswith('<tr class="subtable-row">') and "新建社区居家养老服务站28个" in fragment
    assert f'/sheets/{sheet_id}/subtable/4/edit?mark=' in fragment
    # the amount is checked but kept as typed, as the header's amounts are
    assert rows(app, sheet_id) == ROWS + [["养老服务", "新建社区居家养老服务站28个", "养老服务站建设补助", "1,250.5"]]
    printed = client.get(f"/sheets/{sheet_id}/print").get_data(as_text=True)
    assert "新建社区居家养老服务站28个" in printed and "1,250.5" in printed
    assert printed.index("殡葬改革专项经费") < printed.index("养老服务站建设补助") < printed.index("年度<br>绩效<br>指标")


def test_editing_a_row_opens_it_with_its_values_and_saves_it(app, client, sheet_id):
    mark = mark_of(client, sheet_id, 1)
    fragment = client.get(f"/sheets/{sheet_id}/subtable/1/edit", query_string={"mark": mark}).get_data(as_text=True).lstrip()
    assert fragment.startswith('<tr class="subtable-row editing"')
    assert 'value="特困人员救助供养资金"' in fragment and "落实特困人员救助供养</textarea>" in fragment
    assert f'hx-put="/sheets/{sheet_id}/subtable/1"' in fragment and f'value="{mark}"' in fragment

    typed = dict(zip(NEW, ROWS[1])) | {"task": "落实特困人员救助供养，提高供养标准", "amount": "400", "mark": mark}
    response = client.put(f"/sheets/{sheet_id}/subtable/1", data=typed)
    fragment = response.get_data(as_text=True).lstrip()
    assert response.status_code == 200 and fragment.startswith('<tr class="subtable-row">') and "提高供养标准" in fragment
    assert rows(app, sheet_id)[1] == ["社会救助", "落实特困人员救助供养，提高供养标准", "特困人员救助供养资金", "400"]
    assert rows(app, sheet_id)[0] == ROWS[0] and rows(app, sheet_id)[2:] == ROWS[2:]
    printed = client.get(f"/sheets/{sheet_id}/print").get_data(as_text=True)
    assert "提高供养标准" in printed and "386.20" not in printed


def test_cancelling_an_edit_shows_the_stored_row(client, sheet_id):
    fragment = client.get(f"/sheets/{sheet_id}/subtable/2", query_string={"mark": mark_of(client, sheet_id, 2)}).get_data(as_text=True)
    assert fragment.lstrip().startswith('<tr class="subtable-row">') and "居家养老服务补助" in fragment


def test_deleting_a_row_answers_empty_and_it_no_longer_prints(app, client, sheet_id):
    response = client.delete(f"/sheets/{sheet_id}/subtable/0", query_string={"mark": mark_of(client, sheet_id, 0)})
    assert response.status_code == 200 and response.get_data() == b"" and response.headers["HX-Trigger"] == "sheet-changed"
    assert rows(app, sheet_id) == ROWS[1:]
    printed = client.get(f"/sheets/{sheet_id}/print").get_data(as_text=True)
    assert "城乡最低生活保障资金" not in printed and "特困人员救助供养资金" in printed


def test_a_row_is_found_again_after_rows_above_it_went(app, client, sheet_id):
    """The page still names the last row 3 after row 0 was deleted: its mark finds it at 2."""
    page_marks = dict(marks(client.get(f"/sheets/{sheet_id}").get_data(as_text=True)))
    client.delete(f"/sheets/{sheet_id}/subtable/0", query_string={"mark": page_marks[0]})
    typed = dict(zip(NEW, ROWS[3])) | {"amount": "120", "mark": page_marks[3]}
    fragment = client.put(f"/sheets/{sheet_id}/subtable/3", data=typed).get_data(as_text=True)
    assert f"/sheets/{sheet_id}/subtable/2/edit" in fragment  # the row answers with its place now
    assert rows(app, sheet_id) == ROWS[1:3] + [ROWS[3][:3] + ["120"]]
    assert client.delete(f"/sheets/{sheet_id}/subtable/1", query_string={"mark": page_marks[2]}).status_code == 200
    assert rows(app, sheet_id) == [ROWS[1], ROWS[3][:3] + ["120"]]


BAD = [
    ({"amount": "约一千"}, "请输入数字（单位：万元），例如 14 或 2.4"),
    ({"amount": "-5"}, "金额不能为负数"),
    ({"amount": "1.00001"}, "最多保留4位小数"),
    ({"amount": "1" * 12}, "金额过大"),
    ({"item": "长" * (limits.FIELD_TEXT + 1)}, f"支出项目名称不能超过{limits.FIELD_TEXT}个字"),
    ({"task": "长" * (limits.GOAL_TEXT + 1)}, f"年度目标任务不能超过{limits.GOAL_TEXT}个字"),
    ({"function": " ", "task": "", "item": "", "amount": ""}, "这一行是空的：请至少填写一栏"),
]


@pytest.mark.parametrize("changes, message", BAD)
def test_a_bad_new_row_shows_its_error_and_keeps_the_typing(app, client, sheet_id, changes, message):
    response = client.post(f"/sheets/{sheet_id}/subtable", data=NEW | changes)
    fragment = response.get_data(as_text=True).lstrip()
    assert response.status_code == 200  # htmx swaps only 2xx
    assert fragment.startswith('<tr class="subtable-row editing"') and message in fragment
    assert 'aria-invalid="true"' in fragment
    for key, typed in (NEW | changes).items():
        if typed.strip() and len(typed) < 100:
            assert f'value="{typed}"' in fragment or f"{typed}</textarea>" in fragment, key
    assert "HX-Trigger" not in response.headers
    assert rows(app, sheet_id) == ROWS and [action for action, _ in events(app, sheet_id)] == ["import"]


@pytest.mark.parametrize("changes, message", BAD[:3])
def test_a_bad_edit_keeps_the_typing_and_the_stored_row(app, client, sheet_id, changes, message):
    typed = dict(zip(NEW, ROWS[0])) | changes | {"mark": mark_of(client, sheet_id, 0)}
    fragment = client.put(f"/sheets/{sheet_id}/subtable/0", data=typed).get_data(as_text=True).lstrip()
    assert fragment.startswith('<tr class="subtable-row editing"') and message in fragment
    assert f'value="{changes["amount"]}"' in fragment and f'hx-put="/sheets/{sheet_id}/subtable/0"' in fragment
    assert rows(app, sheet_id) == ROWS


def test_a_row_changed_meanwhile_is_not_overwritten_unseen(app, client, sheet_id):
    seen = mark_of(client, sheet_id, 2)
    theirs = dict(zip(NEW, ROWS[2])) | {"amount": "300", "mark": seen}
    assert client.put(f"/sheets/{sheet_id}/subtable/2", data=theirs).status_code == 200
    mine = dict(zip(NEW, ROWS[2])) | {"task": "推进居家社区养老服务全覆盖", "mark": seen}
    fragment = client.put(f"/sheets/{sheet_id}/subtable/2", data=mine).get_data(as_text=True)
    assert "没有保存：别人刚改过这一行" in fragment and "“300”" in fragment and 'value="推进居家社区养老服务全覆盖"' not in fragment
    assert "推进居家社区养老服务全覆盖</textarea>" in fragment  # the typing stays
    assert rows(app, sheet_id)[2][3] == "300"
    # the form now carries the row as it is: saving again is the clerk's choice, and it holds
    again = re.search(r'name="mark" type="hidden" value="(\w+)"', fragment).group(1)
    assert client.put(f"/sheets/{sheet_id}/subtable/2", data=mine | {"mark": again}).status_code == 200
    assert rows(app, sheet_id)[2] == ["养老服务", "推进居家社区养老服务全覆盖", "居家养老服务补助", "326.40"]


def test_a_row_deleted_meanwhile_is_offered_as_a_new_one(app, client, sheet_id):
    seen = mark_of(client, sheet_id, 3)
    client.delete(f"/sheets/{sheet_id}/subtable/3", query_string={"mark": seen})
    fragment = client.put(f"/sheets/{sheet_id}/subtable/3", data=dict(zip(NEW, ROWS[3])) | {"mark": seen}).get_data(as_text=True)
    assert "别人刚删除了这一行" in fragment and f'hx-post="/sheets/{sheet_id}/subtable"' in fragment
    assert rows(app, sheet_id) == ROWS[:3]
    # deleting it once more is no longer the row the clerk saw
    assert client.delete(f"/sheets/{sheet_id}/subtable/3", query_string={"mark": seen}).status_code == 409


def test_history_names_the_sub_table_the_row_and_the_column(app, client, sheet_id):
    client.post(f"/sheets/{sheet_id}/subtable", data=NEW)
    client.put(f"/sheets/{sheet_id}/subtable/0", data=dict(zip(NEW, ROWS[0])) | {"amount": "1100", "mark": mark_of(client, sheet_id, 0)})
    client.delete(f"/sheets/{sheet_id}/subtable/3", query_string={"mark": mark_of(client, sheet_id, 3)})
    recorded = events(app, sheet_id)[1:]
    assert recorded == [
        ("add_subtable_row", [["年度履职目标第5行／部门职能", "", "养老服务"], ["年度履职目标第5行／年度目标任务", "", "新建社区居家养老服务站28个"],
                              ["年度履职目标第5行／支出项目名称", "", "养老服务站建设补助"], ["年度履职目标第5行／预算金额", "", "1,250.5"]]),
        ("update_subtable_row", [["年度履职目标第1行／预算金额", "1120.00", "1100"]]),
        ("delete_subtable_row", [["年度履职目标第4行／部门职能", "社会事务", ""], ["年度履职目标第4行／年度目标任务", "规范殡葬管理和婚姻登记", ""],
                                 ["年度履职目标第4行／支出项目名称", "殡葬改革专项经费", ""], ["年度履职目标第4行／预算金额", "100.00", ""]]),
    ]
    history = client.get(f"/sheets/{sheet_id}").get_data(as_text=True)
    history = history[history.index('id="history"'):]
    assert "添加一行" in history and "修改一行" in history and "删除一行" in history
    assert "年度履职目标第1行／预算金额：<del>1120.00</del> → <ins>1100</ins>" in history


def test_an_unchanged_save_adds_nothing_to_the_history(app, client, sheet_id):
    response = client.put(f"/sheets/{sheet_id}/subtable/0", data=dict(zip(NEW, ROWS[0])) | {"mark": mark_of(client, sheet_id, 0)})
    assert response.status_code == 200 and [action for action, _ in events(app, sheet_id)] == ["import"]


def test_the_units_filler_edits_and_another_units_filler_sees_nothing(app, sheet_id):
    own = login(app, "mz", Role.FILLER, UNIT)
    mark = mark_of(own, sheet_id, 0)
    outsider = login(app, "outsider", Role.FILLER, "某县教育局")
    for method, url in [("get", "new"), ("post", ""), ("get", "0"), ("get", "0/edit"), ("put", "0"), ("delete", "0")]:
        response = getattr(outsider, method)(f"/sheets/{sheet_id}/subtable/{url}".rstrip("/"), query_string={"mark": mark}, data=NEW)
        assert response.status_code == 404, (method, url)
    assert rows(app, sheet_id) == ROWS
    assert own.post(f"/sheets/{sheet_id}/subtable", data=NEW).status_code == 200
    assert len(rows(app, sheet_id)) == 5


def test_a_reviewer_reads_the_rows_but_may_not_change_them(app, sheet_id):
    reviewer = login(app, "reviewer", Role.REVIEWER)
    mark = row_mark(ROWS[0])
    shown = reviewer.get(f"/sheets/{sheet_id}/subtable/0", query_string={"mark": mark}).get_data(as_text=True)
    assert "城乡最低生活保障资金" in shown and "编辑" not in shown
    for method, url in [("get", "new"), ("post", ""), ("get", "0/edit"), ("put", "0"), ("delete", "0")]:
        response = getattr(reviewer, method)(f"/sheets/{sheet_id}/subtable/{url}".rstrip("/"), query_string={"mark": mark}, data=NEW)
        assert response.status_code == 403, (method, url)
    assert rows(app, sheet_id) == ROWS


def test_a_submitted_sheet_refuses_every_change(app, sheet_id):
    filler = login(app, "mz", Role.FILLER, UNIT)
    mark = mark_of(filler, sheet_id, 0)
    with app.app_context():
        db.session.get(GoalSheet, sheet_id).status = Status.SUBMITTED
        db.session.commit()
    page = filler.get(f"/sheets/{sheet_id}").get_data(as_text=True)
    assert "城乡最低生活保障资金" in page and "＋ 添加一行" not in page and marks(page) == []
    for method, url in [("get", "new"), ("post", ""), ("get", "0/edit"), ("put", "0"), ("delete", "0")]:
        response = getattr(filler, method)(f"/sheets/{sheet_id}/subtable/{url}".rstrip("/"), query_string={"mark": mark},
                                           data=NEW | {"mark": mark})
        assert response.status_code == 403, (method, url)
    assert rows(app, sheet_id) == ROWS and [action for action, _ in events(app, sheet_id)] == ["import"]


def test_a_form_without_a_sub_table_has_no_rows_to_edit(seeded, client):
    assert client.get("/sheets/1/subtable/new").status_code == 404
    assert client.post("/sheets/1/subtable", data=NEW).status_code == 404


def test_missing_rows_and_sheets_are_404(client, sheet_id):
    assert client.get(f"/sheets/{sheet_id}/subtable/9/edit", query_string={"mark": "0" * 16}).status_code == 404
    assert client.get(f"/sheets/{sheet_id}/subtable/0/edit").status_code == 404  # a row is named by its mark too
    assert client.post("/sheets/999/subtable", data=NEW).status_code == 404


def test_a_sub_table_holds_at_most_so_many_rows(app, client, sheet_id):
    with app.app_context():
        sheet = db.session.get(GoalSheet, sheet_id)
        sheet.fields = {**sheet.fields, "duties": [[f"职能{n}", "任务", "项目", "1"] for n in range(limits.SUBTABLE_ROWS)]}
        db.session.commit()
    fragment = client.post(f"/sheets/{sheet_id}/subtable", data=NEW).get_data(as_text=True)
    assert f"年度履职目标最多{limits.SUBTABLE_ROWS}行，不能再添加" in fragment and 'value="养老服务站建设补助"' in fragment
    assert len(rows(app, sheet_id)) == limits.SUBTABLE_ROWS


def test_a_change_needs_the_csrf_token_header(csrf_app):
    sheet_id = fujian_sheet(csrf_app)
    client = logged_in(csrf_app)
    token = token_from(client.get(f"/sheets/{sheet_id}").get_data(as_text=True))
    assert client.post(f"/sheets/{sheet_id}/subtable", data=NEW).status_code == 400
    mark = mark_of(client, sheet_id, 0)
    assert client.delete(f"/sheets/{sheet_id}/subtable/0", query_string={"mark": mark}).status_code == 400
    assert rows(csrf_app, sheet_id) == ROWS
    assert client.post(f"/sheets/{sheet_id}/subtable", data=NEW, headers={"X-CSRFToken": token}).status_code == 200
    assert len(rows(csrf_app, sheet_id)) == 5


def _fujian_with_rows(rows) -> Variant:
    label, block = FUJIAN.subtable
    return dataclasses.replace(FUJIAN, subtable=(label, dataclasses.replace(block, rows=rows)))


FORMATS = {"txt": (to_txt_bytes, "2019年部门整体.txt"), "docx": (to_docx, "2019年部门整体.docx"), "xlsx": (to_xlsx, "2019年部门整体.xlsx")}


@pytest.mark.parametrize("kind", FORMATS)
@pytest.mark.parametrize(("rows", "message"), [
    ((("社会救助", "保障低保", "低保资金", "很多"),), "金额“很多”不是数字"),
    ((("社会救助", "保障低保", "低保资金", "-5"),), "金额不能为负数"),
    ((("社会救助", "保障低保", "低" * (limits.FIELD_TEXT + 1), "5"),), f"不能超过{limits.FIELD_TEXT}个字"),
    (tuple(("社会救助", f"任务{n}", "项目", "1") for n in range(limits.SUBTABLE_ROWS + 1)), f"年度履职目标超过{limits.SUBTABLE_ROWS}行"),
])
def test_a_file_is_held_to_what_the_editor_allows_in_the_sub_table(app, kind, rows, message):
    """A file cannot store sub-table rows the editor would refuse: the import names the cell, stores nothing."""
    write, name = FORMATS[kind]
    with app.app_context(), pytest.raises(ReadError, match=message):
        read_bytes(write(_fujian_with_rows(rows)), name)


def test_a_year_from_the_file_name_is_held_to_the_years_a_sheet_may_have(app):
    """A whole-department title names no year; the file name's is checked as a title's would be (was a 500 at store)."""
    with app.app_context(), pytest.raises(ReadError, match="文件名里的年度1999应在"):
        read_bytes(to_docx(FUJIAN), "1999年部门整体支出.docx")
