"""Issue 10: the seed's first table entered from nothing with the keyboard alone, counting
every key that is not the text itself (Tab, Enter, arrows, Esc). The goal is under 40."""
import os

from playwright.sync_api import expect
from sqlalchemy import select

from goalsapp.cli.commands import DEMO_FILE
from goalsapp.domain.importing import read_sheets
from goalsapp.domain.models import GoalSheet, Role
from goalsapp.extensions import db

from .sheetpage import category


class Keyboard:
    """The page's keyboard, counting the keys that only move about or confirm."""

    def __init__(self, page):
        self.page, self.moves, self.steps = page, 0, []

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.steps.append(f"“{text}”")

    def press(self, *keys: str) -> None:
        for key in keys:
            self.page.keyboard.press(key)
            self.moves += 1
            self.steps.append(key)


def test_the_seeds_first_table_from_nothing_in_under_40_keys_that_are_not_its_text(page, browser_login, csrf_app):
    seed = read_sheets(DEMO_FILE)[0]  # what the clerk has on paper
    base = browser_login(Role.FILLER, "会同县工商联")
    page.goto(base)
    keys = Keyboard(page)

    expect(page.get_by_role("link", name="＋ 新建第一张表")).to_be_focused()  # an empty list's first step
    keys.press("Enter")
    expect(page.get_by_label("项目支出名称")).to_be_focused()
    keys.press("Shift+Tab")  # the year before it: the form proposes next year
    keys.type(str(seed.year))
    keys.press("Tab")
    keys.type(seed.project_name)
    keys.press("Tab")
    keys.type(seed.budget_dept)
    keys.press("Tab")
    keys.type("14")
    keys.press("Tab", "Tab")  # no 上级资金
    keys.type("2021.1")
    keys.press("Tab")
    keys.type("2021.12")
    keys.press("Tab")
    keys.type(seed.period_goal)
    keys.press("Tab")
    keys.type(seed.annual_goal)
    keys.press("Control+Enter")  # creates the sheet from the goal's box
    expect(page.get_by_text(f"已创建“{seed.project_name}”")).to_be_visible()

    standard = "计划标准"  # a new row starts with the standard last used ("请选择" on the first)
    choices = ["", "计划标准", "行业标准", "历史标准", "其他标准"]
    previous_level2 = None
    framework_order = [level2 for _, level2 in seed.form.framework.pairs()]
    for row in seed.indicators:
        if previous_level2 is not None:
            # Past the categories this table leaves empty: Enter in their blank row moves on.
            for empty in framework_order[framework_order.index(previous_level2) + 1:framework_order.index(row.level2)]:
                expect(category(page, empty).locator("tr.editing").get_by_label("三级指标")).to_be_focused()
                keys.press("Enter")
        name = category(page, row.level2).locator("tr.editing").get_by_label("三级指标")
        expect(name).to_be_focused()
        keys.type(row.name.strip())
        keys.press("Tab")
        keys.type(row.value.strip())
        wanted = row.standard
        current = "" if previous_level2 is None else standard
        if wanted != current:
            keys.press("Tab")
            step = choices.index(wanted) - choices.index(current)
            keys.press(*(["ArrowDown"] * step if step > 0 else ["ArrowUp"] * -step))
        last = row is seed.indicators[-1]
        keys.press("Enter" if last else "Control+Enter")  # saves; Ctrl: the next category's row opens
        expect(category(page, row.level2).get_by_text(row.name.strip())).to_be_visible()
        standard, previous_level2 = wanted, row.level2

    print(f"\nnon-typing keys: {keys.moves}; steps: {' '.join(keys.steps)}")
    if shots := os.environ.get("GOALSAPP_SHOTS"):
        page.screenshot(path=f"{shots}/typing-seed-table.png", full_page=True)
    with csrf_app.app_context():
        stored = db.session.scalars(select(GoalSheet)).one()
        assert (stored.year, stored.project_name, stored.budget_dept, str(stored.local_budget.normalize())) == (2021, seed.project_name, "行政政法", "14")
        assert [(i.level2, i.name, i.value, i.standard) for i in stored.indicators] == [
            (i.level2, i.name.strip(), i.value.strip(), i.standard) for i in seed.indicators]
    assert keys.moves < 40, keys.moves
