"""The editor by keyboard, as a clerk types: no mouse, few keys that are not the text itself."""
from decimal import Decimal

from playwright.sync_api import expect
from sqlalchemy import select

from goalsapp.domain.models import GoalSheet, Role
from goalsapp.extensions import db

from .sheetpage import category


def a_sheet(app, **fields) -> int:
    with app.app_context():
        sheet = GoalSheet(unit="会同县工商联", year=2022, project_name="项目", local_budget=Decimal(1), **fields)
        db.session.add(sheet)
        db.session.commit()
        return sheet.id


def focused_text(page) -> str:
    return page.evaluate("document.activeElement.textContent.trim() || document.activeElement.getAttribute('aria-label') || ''")


def test_a_new_sheet_starts_at_its_first_field_and_takes_months_as_clerks_write_them(page, browser_login, csrf_app):
    base = browser_login(Role.FILLER, "会同县工商联")
    page.goto(f"{base}/sheets/new")
    expect(page.get_by_label("项目支出名称")).to_be_focused()
    page.keyboard.type("基层商会专项经费")
    for label, typed in (("年度本级预算金额", "14"), ("项目支出实施期（起）", "2022.1"), ("项目支出实施期（止）", "2022年12月")):
        page.get_by_label(label).fill(typed)
    page.keyboard.press("Enter")  # Enter in a header field creates the sheet
    expect(page.get_by_text("已创建“基层商会专项经费”")).to_be_visible()
    expect(page.get_by_label("项目支出实施期（起）")).to_have_value("2022.1")
    expect(page.get_by_label("项目支出实施期（止）")).to_have_value("2022.12")
    with csrf_app.app_context():
        sheet = db.session.scalars(select(GoalSheet)).one()
        assert (sheet.period_start.isoformat(), sheet.period_end.isoformat()) == ("2022-01-01", "2022-12-01")


def test_rows_by_keyboard_alone_enter_saves_escape_cancels_focus_stays_in_the_table(page, browser_login, csrf_app):
    base = browser_login(Role.FILLER, "会同县工商联")
    sheet_id = a_sheet(csrf_app)
    page.goto(f"{base}/sheets/{sheet_id}")
    navigation = 0  # keys that are not the text itself

    # A sheet with no rows opens on its first category's first row.
    name = category(page, "数量指标").locator("tr.editing").get_by_label("三级指标")
    expect(name).to_be_focused()
    assert name.evaluate("element => element.tagName") == "TEXTAREA"  # 100 characters stay visible

    page.keyboard.type("促进7个基层商会正常运转，下拨每个基层商会工作经费2万元")
    page.keyboard.press("Tab")
    page.keyboard.type("7个")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # the 绩效标准 list: first choice
    page.keyboard.press("Enter")  # saves from the list itself
    navigation += 4
    saved = category(page, "数量指标").locator("tr.indicator:not(.editing)")
    expect(saved).to_have_count(1)
    expect(saved.locator("td").nth(2)).to_have_text("计划标准")
    # The category's next row is open, its 绩效标准 the one just used: the clerk types on.
    following = category(page, "数量指标").locator("tr.editing")
    expect(following.get_by_label("三级指标")).to_be_focused()
    expect(following.get_by_label("绩效标准")).to_have_value("计划标准")
    page.keyboard.type("不要的一行")
    page.keyboard.press("Escape")  # cancels: nothing stored, focus back on 添加指标
    navigation += 1
    expect(category(page, "数量指标").locator("tr.editing")).to_have_count(0)
    expect(category(page, "数量指标").get_by_role("button", name="＋ 添加指标")).to_be_focused()

    # Editing an existing row: Esc gives it back unchanged, with focus on its 编辑.
    saved.get_by_role("button", name="编辑").focus()
    page.keyboard.press("Enter")
    expect(category(page, "数量指标").locator("tr.editing").get_by_label("三级指标")).to_be_focused()
    page.keyboard.press("End")
    page.keyboard.type("改了又不要")
    page.keyboard.press("Escape")
    expect(saved.locator("td").first).to_contain_text("促进7个基层商会正常运转")
    expect(saved.get_by_role("button", name="编辑")).to_be_focused()

    assert navigation <= 10, navigation
    with csrf_app.app_context():
        assert [i.name for i in db.session.get(GoalSheet, sheet_id).indicators] == ["促进7个基层商会正常运转，下拨每个基层商会工作经费2万元"]


def test_leaving_with_header_typing_not_saved_asks_first(page, browser_login, csrf_app):
    base = browser_login(Role.FILLER, "会同县工商联")
    sheet_id = a_sheet(csrf_app)
    page.goto(f"{base}/sheets/{sheet_id}")
    page.get_by_label("预算部门").fill("还没保存的部门")
    asked = []
    page.on("dialog", lambda dialog: asked.append(dialog.type) or dialog.dismiss())
    page.get_by_role("link", name="返回列表").click()
    expect(page.get_by_label("预算部门")).to_have_value("还没保存的部门")  # stayed, typing intact
    assert asked == ["beforeunload"]


def test_leaving_after_saving_does_not_ask(page, browser_login, csrf_app):
    base = browser_login(Role.FILLER, "会同县工商联")
    sheet_id = a_sheet(csrf_app)
    page.goto(f"{base}/sheets/{sheet_id}")
    page.get_by_label("预算部门").fill("保存的部门")
    page.get_by_role("button", name="保存表头").click()
    expect(page.get_by_text("表头已保存")).to_be_visible()
    asked = []
    page.on("dialog", lambda dialog: asked.append(dialog.type) or dialog.dismiss())
    page.get_by_role("link", name="返回列表").click()
    page.wait_for_url(f"{base}/")
    assert asked == []


def test_leaving_still_asks_after_a_row_save_on_logout_and_after_a_refused_save(page, browser_login, csrf_app):
    base = browser_login(Role.FILLER, "会同县工商联")
    sheet_id = a_sheet(csrf_app)
    page.goto(f"{base}/sheets/{sheet_id}")
    asked = []
    page.on("dialog", lambda dialog: asked.append(dialog.type) or dialog.dismiss())

    category(page, "数量指标").get_by_role("button", name="＋ 添加指标").click()
    row = category(page, "数量指标").locator("tr.editing")
    row.get_by_label("三级指标").fill("一行")
    row.get_by_label("绩效标准").select_option("计划标准")
    row.get_by_label("三级指标").press("Enter")
    expect(category(page, "数量指标").locator("tr.indicator:not(.editing)")).to_have_count(1)
    expect(category(page, "数量指标").locator("tr.editing").get_by_label("三级指标")).to_be_focused()  # the next, blank
    page.get_by_label("预算部门").fill("没保存")
    page.get_by_role("link", name="全部表").click()  # a row was sent before: the header typing still counts
    page.get_by_role("button", name="退出").click()  # another form leaving: the header typing still counts
    expect(page.get_by_label("预算部门")).to_have_value("没保存")
    assert asked == ["beforeunload", "beforeunload"]

    page.get_by_label("年度本级预算金额").fill("不是数字")
    page.get_by_role("button", name="保存表头").click()
    expect(page.get_by_text("请输入数字（单位：万元）")).to_be_visible()
    page.wait_for_load_state()  # app.js runs once the page has loaded, as it will have for a person
    page.get_by_role("link", name="全部表").click()  # the refused typing is not stored: still asks
    expect(page.get_by_label("年度本级预算金额")).to_have_value("不是数字")
    assert asked == ["beforeunload"] * 3


def test_submitting_with_a_row_still_open_says_so_and_submits_nothing(page, browser_login, csrf_app):
    base = browser_login(Role.FILLER, "会同县工商联")
    sheet_id = a_sheet(csrf_app)
    page.goto(f"{base}/sheets/{sheet_id}")
    category(page, "数量指标").get_by_role("button", name="＋ 添加指标").click()
    category(page, "数量指标").locator("tr.editing").get_by_label("三级指标").fill("还没保存的行")
    asked = []
    page.on("dialog", lambda dialog: asked.append(dialog.message) or dialog.accept())
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_text("还有正在编辑的行没有保存")).to_be_visible()
    expect(category(page, "数量指标").locator("tr.editing").get_by_label("三级指标")).to_be_focused()
    assert asked == []
    with csrf_app.app_context():
        assert db.session.get(GoalSheet, sheet_id).status == "草稿"
