"""Suggestions in the real browser: a clerk types a few characters of a 三级指标, picks one of the
unit's own earlier rows with ↓ and Enter, and saves; the keys that are not text are counted."""
from decimal import Decimal

from playwright.sync_api import expect
from sqlalchemy import select

from goalsapp.cli.commands import DEMO_FILE
from goalsapp.domain.importing import import_files
from goalsapp.domain.models import GoalSheet, Indicator, Role
from goalsapp.extensions import db

from .sheetpage import category
from .test_keyboard import a_sheet
from .test_subtable import shots_folder

SEED_ROW = "促进7个基层商会正常运转，下拨每个基层商会工作经费2万元"


class Keys:
    """Presses keys and counts them: every key here is one that is not the text itself."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def press(self, *keys: str) -> None:
        for key in keys:
            self.page.keyboard.press(key)
            self.count += 1


def stored(app, sheet_id) -> list[tuple]:
    with app.app_context():
        return [(row.level2, row.name, row.value, row.standard) for row in
                db.session.scalars(select(Indicator).where(Indicator.sheet_id == sheet_id).order_by(Indicator.position))]


def test_a_clerk_picks_suggestions_by_keyboard_alone_and_saves(page, browser_login, csrf_app, tmp_path):
    with csrf_app.app_context():
        import_files([DEMO_FILE])  # the unit's 2021 sheets: what it wrote before
    base = browser_login(Role.FILLER, "会同县工商联")
    sheet_id = a_sheet(csrf_app)  # 2022, empty
    page.goto(f"{base}/sheets/{sheet_id}")
    keys = Keys(page)

    # An empty sheet opens on its first category's first row: no key to get there.
    quantity = category(page, "数量指标")
    row = quantity.locator("tr.editing")
    box = row.get_by_role("combobox", name="三级指标")
    expect(box).to_be_focused()
    page.keyboard.type("基层商会")
    listbox = row.get_by_role("listbox", name="指标建议")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    first = listbox.get_by_role("option").first
    expect(first).to_contain_text(SEED_ROW)
    expect(first).to_contain_text("本单位：2021年 基层商会专项经费")

    keys.press("ArrowDown")
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    page.screenshot(path=shots_folder(tmp_path) / "suggest-open-list.png")
    keys.press("Enter")  # fills the row, keeps the focus in the box
    expect(listbox).to_be_hidden()
    expect(box).to_have_value(SEED_ROW)
    expect(row.get_by_label("指标值及单位")).to_have_value("7个")
    expect(row.get_by_label("绩效标准")).to_have_value("行业标准")
    expect(box).to_be_focused()
    keys.press("Enter")  # saves
    expect(quantity.locator("tr.indicator:not(.editing)")).to_have_count(1)
    assert stored(csrf_app, sheet_id) == [("数量指标", SEED_ROW, "7个", "行业标准")]

    # A second row, opened by the save, from nothing typed at all: ↓ opens the category's list on its first option.
    row = quantity.locator("tr.editing")
    expect(row.get_by_role("combobox", name="三级指标")).to_be_focused()
    keys.press("ArrowDown")
    options = row.get_by_role("listbox", name="指标建议").get_by_role("option")
    expect(options.first).to_have_attribute("aria-selected", "true")
    names = [text.split("\n")[0].strip() for text in options.all_inner_texts()]
    assert SEED_ROW not in names  # already a row of the category
    keys.press("ArrowDown", "ArrowDown", "ArrowUp")  # moves through it, both ways
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    page.screenshot(path=shots_folder(tmp_path) / "suggest-whole-category.png")
    keys.press("Enter", "Enter")  # fill, save
    expect(quantity.locator("tr.indicator:not(.editing)")).to_have_count(2)
    assert stored(csrf_app, sheet_id)[1][1] == names[1]

    # Esc closes the list and leaves the row open; Esc again cancels the row.
    row = quantity.locator("tr.editing")
    expect(row.get_by_role("combobox", name="三级指标")).to_be_focused()
    page.keyboard.type("人次")
    expect(row.get_by_role("listbox", name="指标建议")).to_be_visible()
    keys.press("Escape")
    expect(row.get_by_role("listbox", name="指标建议")).to_be_hidden()
    expect(row).to_have_count(1)
    keys.press("Escape")
    expect(quantity.locator("tr.editing")).to_have_count(0)

    print(f"\nkeys that were not text, for two rows picked and saved and one cancelled: {keys.count}")
    assert keys.count <= 11, keys.count
    assert len(stored(csrf_app, sheet_id)) == 2


def test_a_click_on_a_suggestion_fills_the_row_of_a_101_style_form(page, browser_login, csrf_app):
    base = browser_login(Role.FILLER, "会同县工商联")
    sheet_id = a_sheet(csrf_app, template="sichuan-2023")
    page.goto(f"{base}/sheets/{sheet_id}")
    timeliness = category(page, "时效指标")
    timeliness.get_by_role("button", name="＋ 添加指标").click()
    row = timeliness.locator("tr.editing")
    row.get_by_role("combobox", name="三级指标").press_sequentially("执行率")
    row.get_by_role("option", name="预算执行率").click()
    expect(row.get_by_role("combobox", name="三级指标")).to_have_value("预算执行率")
    for label, value in (("指标性质", "≥"), ("指标值", "95"), ("度量单位", "%")):
        expect(row.get_by_label(label, exact=True)).to_have_value(value)
    row.get_by_role("button", name="保存").click()
    expect(timeliness.locator("tr.indicator:not(.editing)")).to_have_count(1)
    with csrf_app.app_context():
        (saved,) = db.session.get(GoalSheet, sheet_id).indicators
        assert (saved.name, saved.cell("nature"), saved.cell("value"), saved.cell("measure")) == ("预算执行率", "≥", "95", "%")
        assert saved.value == "≥95%"  # one value, its three columns read from it


def test_last_years_rows_come_in_by_keyboard_from_the_panel_under_the_category(page, browser_login, csrf_app, tmp_path):
    with csrf_app.app_context():
        import_files([DEMO_FILE])
    base = browser_login(Role.FILLER, "会同县工商联")
    with csrf_app.app_context():
        sheet = GoalSheet(unit="会同县工商联", year=2022, project_name="光彩事业项目", local_budget=Decimal("2.4"))  # of a 2021 project
        db.session.add(sheet)
        db.session.commit()
        sheet_id = sheet.id
    page.goto(f"{base}/sheets/{sheet_id}")
    page.evaluate("window.stillTheSamePage = true")
    social = category(page, "社会效益指标")
    social.get_by_role("button", name="引用上年").click()
    panel = social.locator("tr.last-year")
    expect(panel).to_contain_text("2021年“光彩事业项目”的社会效益指标")
    first = panel.get_by_role("button", name="引用“组织开展形式多样的光彩事业活动。”")
    expect(first).to_be_focused()
    page.screenshot(path=shots_folder(tmp_path) / "suggest-last-year-panel.png")
    keys = Keys(page)
    keys.press("Enter")  # 引用 the first row: the focus goes on to the next 引用
    expect(panel.get_by_role("button", name="引用“非公企业和个人自主进行扶贫济困活动。”")).to_be_focused()
    keys.press("Enter")
    expect(social.locator("tr.indicator")).to_have_count(2)
    expect(panel).to_contain_text("已引用1行")
    expect(panel.get_by_role("button", name="关闭")).to_be_focused()  # nothing left to bring
    expect(page.locator("#history")).to_contain_text("引用上年指标")
    keys.press("Enter")
    expect(social.locator("tr.last-year")).to_have_count(0)
    expect(social.get_by_role("button", name="引用上年")).to_be_focused()
    assert keys.count == 3 and page.evaluate("window.stillTheSamePage") is True
    assert [name for _, name, _, _ in stored(csrf_app, sheet_id)] == ["组织开展形式多样的光彩事业活动。", "非公企业和个人自主进行扶贫济困活动。"]
