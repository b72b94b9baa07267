"""The bureau chooses the form each budget year is filed in: new sheets start in it, and a
sheet copied into that year moves to it, its rows kept where the new form has their category."""
from decimal import Decimal

from sqlalchemy import select

from goalsapp.domain.models import GoalSheet, SheetEvent
from goalsapp.extensions import db


def choose(client, year: int, template: str):
    return client.post("/admin/templates", data={"year": str(year), "template": template})


def test_the_bureau_sets_a_years_form_and_new_sheets_start_in_it(app, client):
    assert choose(client, 2027, "anhui-2025").status_code == 303
    page = client.get("/admin/templates").get_data(as_text=True)
    assert "2027年" in page and "安徽省项目支出绩效目标表" in page
    new = client.get("/sheets/new?year=2027").get_data(as_text=True)
    assert ">主管部门及代码</label>" in new and ">该项目支出上级资金</label>" not in new
    assert 'name="template" value="anhui-2025"' in new
    other = client.get("/sheets/new?year=2027&template=hunan-2021").get_data(as_text=True)
    assert ">该项目支出上级资金</label>" in other  # a project filed in another form
    created = client.post("/sheets/new", data={"template": "anhui-2025", "unit": "某单位", "year": "2027", "project_name": "健身",
                                               "budget_dept": "体育局", "local_budget": "180", "term": "3年"})
    assert created.status_code == 303
    with app.app_context():
        sheet = db.session.scalars(select(GoalSheet)).one()
        assert (sheet.template, sheet.written("term")) == ("anhui-2025", "3年")


def test_a_bad_year_or_form_is_refused_and_nothing_changes(client):
    assert choose(client, 1999, "anhui-2025").status_code == 422
    assert choose(client, 2027, "no-such-form").status_code == 422
    assert "未设定，默认" in client.get("/admin/templates").get_data(as_text=True)


def test_only_the_administrator_chooses_forms(app, filler, reviewer):
    assert filler.post("/admin/templates", data={"year": "2027", "template": "anhui-2025"}).status_code == 403
    assert reviewer.get("/admin/templates").status_code == 403


def test_a_copy_into_a_year_of_another_form_moves_its_rows_by_category_name(seeded, client):
    choose(client, 2022, "anhui-2025")
    assert client.post("/sheets/1/copy-forward").status_code == 303
    with seeded.app_context():
        original, copy = db.session.scalars(select(GoalSheet).where(GoalSheet.project_name == "基层商会专项经费").order_by(GoalSheet.id)).all()
        assert copy.template == "anhui-2025" and original.template == "hunan-2021"
        # Hunan's 满意度 sits under 效益指标 with a name Anhui's form has no place for: left behind, and said so
        assert {(row.level1, row.level2) for row in copy.indicators} <= set(copy.form.framework.pairs())
        moved = {row.name for row in copy.indicators}
        behind = [row for row in original.indicators if row.name.replace("2021年", "2022年") not in moved]  # years moved on
        assert [row.level2 for row in behind] == ["社会公众或服务对象满意度指标"]
        event = db.session.scalars(select(SheetEvent).where(SheetEvent.sheet_id == copy.id)).one()
        assert event.changes[-1] == ["未复制：新表没有此类别", f"效益指标／社会公众或服务对象满意度指标：{behind[0].name}", ""]
    page = client.get(f"/sheets/{copy.id}").get_data(as_text=True)
    assert "未复制：新表没有此类别" in page


def test_a_copy_into_another_form_names_each_header_value_it_has_no_place_for(seeded, client):
    """Hunan's 上级资金, 实施期 and footers have no place on Anhui's form: the copy says each, with
    its text, on the page it opens and in its history, as it says the rows left behind."""
    with seeded.app_context():
        sheet = db.session.get(GoalSheet, 1)
        sheet.higher_funds = Decimal("3.5")
        sheet.fields = {**sheet.fields, "higher_funds": "3.5", "footer:填表人": "张三", "footer:联系电话": "0745-8221234"}
        db.session.commit()
    choose(client, 2022, "anhui-2025")
    page = client.post("/sheets/1/copy-forward", follow_redirects=True).get_data(as_text=True)
    named = ["该项目支出上级资金“3.5”", "项目支出实施期“2022.1-2021.12”", "填表人“张三”", "联系电话“0745-8221234”"]
    for text in named:
        assert text in page, text
    with seeded.app_context():
        copy = db.session.scalars(select(GoalSheet).where(GoalSheet.year == 2022)).one()
        (event,) = db.session.scalars(select(SheetEvent).where(SheetEvent.sheet_id == copy.id)).all()
        assert [change for change in event.changes if change[0] == "未复制：新表没有此栏"] == [
            ["未复制：新表没有此栏", "该项目支出上级资金：3.5", ""], ["未复制：新表没有此栏", "项目支出实施期：2022.1-2021.12", ""],
            ["未复制：新表没有此栏", "填表人：张三", ""], ["未复制：新表没有此栏", "联系电话：0745-8221234", ""]]


def test_a_copy_into_the_same_form_names_nothing_left_out(seeded, client):
    page = client.post("/sheets/1/copy-forward", follow_redirects=True).get_data(as_text=True)
    assert "已复制到2022年" in page and "未复制" not in page


def test_a_unit_years_copy_into_another_form_points_to_what_each_sheet_left_out(seeded, client):
    choose(client, 2022, "anhui-2025")
    page = client.post("/copy-forward", data={"unit": "会同县工商联", "year": "2021"}, follow_redirects=True).get_data(as_text=True)
    with seeded.app_context():
        first = db.session.scalars(select(GoalSheet).where(GoalSheet.year == 2022).order_by(GoalSheet.id)).first()
        left_out = [change for change in first.events[0].changes if change[0].startswith("未复制")]
    assert "新表没有位置、未复制的内容" in page
    assert f'<a href="/sheets/{first.id}#history">基层商会专项经费</a> {len(left_out)} 项' in page
    # The command line names each, with its text.
    choose(client, 2023, "anhui-2025")
    result = seeded.test_cli_runner().invoke(args=["copy-year", "--unit", "会同县工商联", "--from", "2021", "--to", "2023"])
    assert "基层商会专项经费" in result.output and "新表没有位置、未复制：项目支出实施期“2023.1-2022.12”、社会公众或服务对象满意度指标“会员满意度达90%以上”" in result.output
