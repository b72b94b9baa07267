from decimal import Decimal

import pytest
from sqlalchemy import select

from goalsapp.domain.listing import PER_PAGE
from goalsapp.domain.models import GoalSheet, Indicator, SheetEvent
from goalsapp.extensions import db

VALID = {
    "unit": "会同县工商联",
    "year": "2022",
    "project_name": "基层商会专项经费",
    "budget_dept": "行政政法",
    "local_budget": "14",
    "higher_funds": "2.4",
    "period_start": "2022-01",
    "period_end": "2022-12",
    "period_goal": "加强基层商会建设",
    "annual_goal": "7个基层商会正常运转",
}


def sheets(app):
    with app.app_context():
        return db.session.scalars(select(GoalSheet).order_by(GoalSheet.id)).all()


def test_the_list_groups_sheets_by_unit_and_year_with_totals(seeded, client):
    page = client.get("/").get_data(as_text=True)
    assert page.startswith("<!doctype html>")
    assert "2021年 · 会同县工商联" in page
    assert "5 张表，年度本级预算合计 <strong>24.4</strong> 万元" in page
    for name in ("基层商会专项经费", "非公党建项目", "光彩事业项目", "教育培训项目", "商会建设项目"):
        assert name in page
    assert '<td class="num">13</td>' in page  # 光彩事业项目's indicator count
    assert "全部打印" in page and "删除" in page


def test_an_empty_list_invites_a_first_sheet(client):
    page = client.get("/").get_data(as_text=True)
    assert "还没有绩效目标表" in page


def test_the_new_sheet_page_is_a_whole_document_with_the_forms_labels(client):
    page = client.get("/sheets/new?unit=会同县工商联&year=2022").get_data(as_text=True)
    assert page.startswith("<!doctype html>")
    for label in ("项目支出名称", "预算部门", "年度本级预算金额", "该项目支出上级资金", "项目支出实施期（起）", "实施期绩效目标", "本年度绩效目标"):
        assert label in page
    assert 'value="会同县工商联"' in page and 'value="2022"' in page


def test_creating_a_sheet_stores_it_and_opens_the_editor(app, client):
    response = client.post("/sheets/new", data=VALID)
    assert response.status_code == 303
    (sheet,) = sheets(app)
    assert response.location == f"/sheets/{sheet.id}"
    assert (sheet.project_name, sheet.local_budget, sheet.higher_funds) == ("基层商会专项经费", Decimal("14"), Decimal("2.4"))
    assert (sheet.period_start.isoformat(), sheet.period_end.isoformat()) == ("2022-01-01", "2022-12-01")
    assert sheet.template == "hunan-2021"


def test_money_is_stored_exactly(app, client):
    client.post("/sheets/new", data={**VALID, "local_budget": "0.0001", "higher_funds": "１２３４５６７.８９"})
    (sheet,) = sheets(app)
    assert sheet.local_budget == Decimal("0.0001") and sheet.higher_funds == Decimal("1234567.89")


def test_a_draft_may_leave_the_period_and_goals_for_later(app, client):
    draft = {**VALID, "period_start": "", "period_end": "", "period_goal": "", "annual_goal": "", "higher_funds": ""}
    assert client.post("/sheets/new", data=draft).status_code == 303
    (sheet,) = sheets(app)
    assert (sheet.period_start, sheet.period_end, sheet.higher_funds, sheet.annual_goal) == (None, None, None, "")


@pytest.mark.parametrize(
    "field, typed, message",
    [
        ("local_budget", "十四万", "请输入数字（单位：万元）"),
        ("local_budget", "-3", "金额不能为负数"),
        ("local_budget", "", "请填写年度本级预算金额"),
        ("local_budget", "1.23456", "最多保留4位小数"),
        ("higher_funds", "abc", "请输入数字（单位：万元）"),
        ("project_name", "", "请填写项目支出名称"),
        ("unit", "  ", "请填写填报单位"),
        ("year", "明年", "整数"),
        ("period_start", "2022-13", "请按“2021.1”的样子填写年月"),
        ("period_end", "明年底", "请按“2021.1”的样子填写年月"),
    ],
)
def test_bad_input_is_explained_kept_on_screen_and_not_stored(app, client, field, typed, message):
    response = client.post("/sheets/new", data={**VALID, field: typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert "未保存任何内容" in page
    assert 'value="行政政法"' in page  # the rest of the typing stays too
    if typed.strip():
        assert f'value="{typed}"' in page
    assert sheets(app) == []


def test_a_bad_number_gets_one_message_not_two(client):
    page = client.post("/sheets/new", data={**VALID, "local_budget": "abc"}).get_data(as_text=True)
    assert "请输入数字" in page and "不能为负数" not in page


def test_editing_the_header_saves_it(seeded, client):
    response = client.post("/sheets/1", data={**VALID, "project_name": "基层商会经费（修订）"})
    assert response.status_code == 303
    with seeded.app_context():
        sheet = db.session.get(GoalSheet, 1)
        assert sheet.project_name == "基层商会经费（修订）"
        assert len(sheet.indicators) == 8  # rows untouched


def test_a_bad_header_edit_changes_nothing(seeded, client):
    response = client.post("/sheets/1", data={**VALID, "local_budget": "-1", "project_name": "新名字"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "金额不能为负数" in page and 'value="新名字"' in page
    assert "促进7个基层商会正常运转" in page  # the indicator rows are still shown
    sheet = sheets(seeded)[0]
    assert (sheet.project_name, sheet.local_budget) == ("基层商会专项经费", Decimal("14"))


def test_the_editor_shows_every_category_and_the_seeds_rows(seeded, client):
    page = client.get("/sheets/1").get_data(as_text=True)
    assert page.startswith("<!doctype html>")
    assert "效益指标 › 生态效益指标" in page
    assert page.count('class="category-head"') == 9
    assert page.count('class="indicator"') == 8
    assert 'value="2021.1"' in page and 'value="2020.12"' in page  # as the paper form writes them


def test_deleting_a_sheet_removes_it_and_its_rows(seeded, client):
    response = client.post("/sheets/1/delete")
    assert response.status_code == 303 and response.location == "/"
    with seeded.app_context():
        assert db.session.get(GoalSheet, 1) is None
        assert db.session.scalars(select(Indicator).where(Indicator.sheet_id == 1)).all() == []
        # Nor its history: a later sheet given the same id must not inherit it.
        assert db.session.scalars(select(SheetEvent).where(SheetEvent.sheet_id == 1)).all() == []
    assert "已删除“基层商会专项经费”" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("method, url", [("get", "/sheets/99"), ("post", "/sheets/99"), ("post", "/sheets/99/delete"), ("get", "/sheets/99/print"), ("get", "/print?unit=无此单位&year=2021")])
def test_missing_sheets_are_404s_with_a_chinese_page(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 404
    assert "找不到这个页面" in response.get_data(as_text=True)


def test_the_print_view_is_the_paper_form(seeded, client):
    page = client.get("/sheets/1/print").get_data(as_text=True)
    assert page.startswith("<!doctype html>")
    assert "2021年项目支出绩效目标表" in page
    assert "填报单位：会同县工商联（盖章）" in page and "单位：万元" in page
    assert "2021.1-2020.12" in page
    assert page.count('class="text">') == 2 + 8  # two goals, eight indicators
    # every category printed, each group but the last (满意度) padded to the template's two rows
    assert page.count('<td class="blank">') == 1 + 1 + 1 + 1 + 1 + 1 + 2 + 1 + 0
    assert 'rowspan="8">产出<br>指标' in page and 'rowspan="9">效益<br>指标' in page
    assert "<button" in page and "编辑" not in page  # only the screen toolbar's print button


def test_print_all_gives_every_sheet_of_the_unit_and_year(seeded, client):
    page = client.get("/print", query_string={"unit": "会同县工商联", "year": 2021}).get_data(as_text=True)
    assert page.count('<article class="sheet">') == 5
    assert page.count("2021年项目支出绩效目标表</h1>") == 5


def test_text_is_escaped_on_screen_and_on_paper(app, client):
    client.post("/sheets/new", data={**VALID, "project_name": "<script>alert(1)</script>"})
    client.post("/sheets/1/indicators", data={"level1": "产出指标", "level2": "数量指标", "name": "<b>粗</b>", "value": "1", "standard": "计划标准"})
    for url in ("/", "/sheets/1", "/sheets/1/print"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;粗&lt;/b&gt;" in client.get("/sheets/1/print").get_data(as_text=True)


def add_sheets(app, number):
    with app.app_context():
        for n in range(number):
            sheet = GoalSheet(unit="某单位", year=2022, project_name=f"项目{n}", local_budget=Decimal(1))
            sheet.indicators = [Indicator(level1="产出指标", level2="数量指标", name=f"指标{k}", position=k) for k in range(3)]
            db.session.add(sheet)
        db.session.commit()


@pytest.mark.parametrize("url", ["/", "/print?unit=某单位&year=2022"])
def test_list_and_print_queries_do_not_grow_with_sheets(app, client, count_queries, url):
    add_sheets(app, 2)
    count_queries.count = 0
    client.get(url)
    few = count_queries.count
    add_sheets(app, 20)
    count_queries.count = 0
    client.get(url)
    assert count_queries.count == few


def test_the_list_pages_through_many_sheets_with_whole_group_totals(app, client):
    add_sheets(app, 60)
    pages = -(-60 // PER_PAGE)
    first = client.get("/").get_data(as_text=True)
    assert first.count('<td><a href="/sheets/') == PER_PAGE and f"第 1 / {pages} 页，共 60 张表" in first
    assert "60 张表，年度本级预算合计 <strong>60</strong> 万元" in first  # the whole group, not the page
    last = client.get(f"/?page={pages}").get_data(as_text=True)
    assert last.count('<td><a href="/sheets/') == 60 - (pages - 1) * PER_PAGE and "上一页" in last


def test_a_new_sheet_shows_no_conflict_or_error(client):
    page = client.get("/sheets/new").get_data(as_text=True)
    assert "没有保存" not in page and "form-error" not in page


def test_a_second_sheet_of_the_same_unit_year_and_project_is_refused_with_a_link(seeded, client):
    twin = {**VALID, "year": "2021", "project_name": "基层商会专项经费"}
    response = client.post("/sheets/new", data=twin)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "2021年“基层商会专项经费”已经有一张表" in page and 'href="/sheets/1">打开已有的表</a>' in page
    assert 'value="行政政法"' in page  # the typing stays
    assert len(sheets(seeded)) == 5
    # Renaming another sheet onto it is refused the same way.
    renamed = client.post("/sheets/2", data=twin)
    assert renamed.status_code == 422 and "已经有一张表" in renamed.get_data(as_text=True)
    assert sheets(seeded)[1].project_name == "非公党建项目"


def test_two_sheets_an_import_kept_on_purpose_both_stay_editable(seeded, client):
    from .test_exchange import SEED_BYTES, token_of, upload

    page = upload(client, SEED_BYTES, "seed.txt").get_data(as_text=True)
    client.post("/import/confirm", data={"token": token_of(page), "filename": "seed.txt", "choice-0": "keep"})
    assert client.post("/sheets/6", data={**VALID, "year": "2021", "budget_dept": "第二份的部门"}).status_code == 303
    assert sheets(seeded)[5].budget_dept == "第二份的部门"


def test_the_period_fields_suggest_the_sheets_own_year(seeded, client):
    """A copied 2022 sheet, or a new one for 2023, does not show 2021 as the example 实施期."""
    client.post("/sheets/1/copy-forward")
    copied = client.get("/sheets/6").get_data(as_text=True)
    assert 'placeholder="如 2022.1"' in copied and 'placeholder="如 2022.12"' in copied and "如 2021." not in copied
    new = client.get("/sheets/new?year=2023").get_data(as_text=True)
    assert 'placeholder="如 2023.1"' in new and 'placeholder="如 2023.12"' in new
