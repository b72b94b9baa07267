"""A new user fills in a sheet in the real browser: htmx swaps, keyboard, persistence."""
from decimal import Decimal

from playwright.sync_api import expect
from sqlalchemy import select

from goalsapp.domain.models import GoalSheet, Role
from goalsapp.extensions import db

from .sheetpage import category, fill_header, open_new_row


def test_a_new_user_fills_in_the_first_seed_sheet(page, browser_login, csrf_app):
    live_server = browser_login(Role.FILLER, "会同县工商联")
    page.goto(live_server)
    expect(page.get_by_text("还没有绩效目标表")).to_be_visible()
    page.get_by_role("link", name="＋ 新建第一张表").click()

    expect(page.get_by_label("填报单位")).to_have_value("会同县工商联")  # a filler's own unit, fixed
    fill_header(
        page, year="2021", project_name="基层商会专项经费", budget_dept="行政政法", local_budget="十四",
        period_start="2021-01", period_end="2020-12", period_goal="加强基层商会建设，促进基层商会工作良好开展",
        annual_goal="2021年7个基层商会正常运转，自身建设得到加强",
    )
    page.get_by_role("button", name="创建并填写指标").click()

    # A budget that is not a number: explained next to the field, the typing kept.
    expect(page.get_by_text("请输入数字（单位：万元）")).to_be_visible()
    expect(page.get_by_label("项目支出名称")).to_have_value("基层商会专项经费")
    page.get_by_label("年度本级预算金额").fill("14")
    page.get_by_role("button", name="创建并填写指标").click()
    expect(page.get_by_text("已创建“基层商会专项经费”")).to_be_visible()

    page.evaluate("window.stillTheSamePage = true")  # gone if anything reloads the page

    # 数量指标: type, Tab, type, Tab to the standard, choose it, Enter in a field saves.
    open_new_row(page, "数量指标")
    page.keyboard.type("促进7个基层商会正常运转，下拨每个基层商会工作经费2万元")
    page.keyboard.press("Tab")
    page.keyboard.type("7个")
    page.keyboard.press("Tab")
    page.locator(":focus").select_option("行业标准")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    saved = category(page, "数量指标").locator("tr.indicator:not(.editing) td")
    expect(saved.nth(1)).to_have_text("7个")
    expect(saved.nth(2)).to_have_text("行业标准")
    expect(category(page, "数量指标").locator("tr.editing").get_by_label("三级指标")).to_be_focused()  # the next row, open

    # 质量指标: a row without a name shows its error in place and is not stored.
    open_new_row(page, "质量指标")
    page.keyboard.press("Tab")
    page.keyboard.type("95%")
    page.keyboard.press("Enter")
    editing = category(page, "质量指标").locator("tr.editing")
    expect(editing).to_contain_text("请填写三级指标")
    expect(editing.get_by_label("指标值及单位")).to_have_value("95%")
    editing.get_by_label("三级指标").fill("7个基层商会正常开展工作")
    editing.get_by_label("绩效标准").select_option("行业标准")
    editing.get_by_role("button", name="保存").click()
    expect(category(page, "质量指标").locator("tr.indicator:not(.editing)")).to_have_count(1)

    # 满意度: two rows (after the first, the next is already open), then remove one.
    for name in ("会员满意度达90%以上", "临时指标"):
        if name == "临时指标":
            expect(category(page, "社会公众或服务对象满意度指标").locator("tr.editing").get_by_label("三级指标")).to_be_focused()
        else:
            open_new_row(page, "社会公众或服务对象满意度指标")
        page.keyboard.type(name)
        satisfaction = category(page, "社会公众或服务对象满意度指标").locator("tr.editing")
        satisfaction.get_by_label("指标值及单位").fill("98%")
        satisfaction.get_by_label("绩效标准").select_option("行业标准")
        satisfaction.get_by_label("指标值及单位").press("Enter")
        expect(category(page, "社会公众或服务对象满意度指标").get_by_text(name)).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("tr.indicator", has_text="临时指标").get_by_role("button", name="删除").click()
    expect(page.locator("tr.indicator", has_text="临时指标")).to_have_count(0)
    expect(page.locator("tr.deleted-row")).to_contain_text("已删除指标“临时指标”")  # with 撤销, for a while

    # Edit in place: 编辑, change the value, Enter.
    page.locator("tr.indicator", has_text="促进7个").get_by_role("button", name="编辑").click()
    value = page.locator("tr.editing").get_by_label("指标值及单位")
    value.fill("7个商会")
    value.press("Enter")
    expect(page.locator("tr.indicator", has_text="促进7个")).to_contain_text("7个商会")

    assert page.evaluate("window.stillTheSamePage") is True

    page.reload()
    expect(category(page, "数量指标")).to_contain_text("7个商会")
    expect(category(page, "质量指标")).to_contain_text("7个基层商会正常开展工作")
    expect(category(page, "社会公众或服务对象满意度指标")).to_contain_text("会员满意度达90%以上")
    expect(page.locator("table.indicators").get_by_text("临时指标")).to_have_count(0)

    with csrf_app.app_context():
        sheet = db.session.scalars(select(GoalSheet)).one()
        assert (sheet.local_budget, sheet.period_start.month, sheet.period_end.year) == (Decimal("14"), 1, 2020)
        assert [(i.level2, i.value) for i in sheet.indicators] == [
            ("数量指标", "7个商会"),
            ("质量指标", "95%"),
            ("社会公众或服务对象满意度指标", "98%"),
        ]


def test_cancelling_a_new_row_removes_it_without_storing(page, browser_login, csrf_app):
    live_server = browser_login()
    with csrf_app.app_context():
        db.session.add(GoalSheet(unit="某单位", year=2022, project_name="项目", local_budget=Decimal(1)))
        db.session.commit()
    page.goto(f"{live_server}/sheets/1")
    open_new_row(page, "成本指标").fill("不要了")
    category(page, "成本指标").get_by_role("button", name="取消").click()
    expect(page.locator("tr.editing")).to_have_count(0)
    page.reload()
    expect(page.locator("tr.indicator:not(.editing)")).to_have_count(0)  # nothing stored


def test_deleting_a_sheet_asks_first(page, browser_login, csrf_app):
    live_server = browser_login()
    with csrf_app.app_context():
        db.session.add(GoalSheet(unit="某单位", year=2022, project_name="要删除的项目", local_budget=Decimal(1)))
        db.session.commit()
    page.goto(live_server)
    answers = iter([False, True])  # first say no, then yes
    asked = []
    page.on("dialog", lambda dialog: asked.append(dialog.message) or (dialog.accept() if next(answers) else dialog.dismiss()))
    page.get_by_role("button", name="删除").click()
    expect(page.get_by_role("link", name="要删除的项目")).to_be_visible()
    page.get_by_role("button", name="删除").click()
    expect(page.get_by_text("已删除“要删除的项目”")).to_be_visible()
    expect(page.get_by_role("link", name="要删除的项目")).to_have_count(0)
    assert asked == ["确定删除“要删除的项目”及其全部指标？删除后无法恢复。"] * 2
