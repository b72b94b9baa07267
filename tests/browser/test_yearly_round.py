"""Issue 10's measure: a unit's five 2021 tables turned into 2022's and one review round, done as
the users would in Chromium, every click, typed field, key and answer counted. The goal: at most
20 actions beyond typing the text that really changes (the fixed 实施期, a changed value, the
reviewer's comment). Logging in is not part of the round."""
from pathlib import Path

from playwright.sync_api import expect
from sqlalchemy import select

from goalsapp.cli.commands import DEMO_FILE
from goalsapp.domain.importing import import_files
from goalsapp.domain.models import GoalSheet, Indicator, Role, Status
from goalsapp.extensions import db

from .sheetpage import Actions, category

UNIT = "会同县工商联"
SHOTS = Path("/work/notes/shots10")
GOAL = 20


def shot(page, name: str) -> None:
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / f"yearly-round-{name}.png"), full_page=True)


def sheets_of(app, year: int) -> dict[str, GoalSheet]:
    with app.app_context():
        return {sheet.project_name: sheet for sheet in db.session.scalars(select(GoalSheet).where(GoalSheet.year == year))}


def test_the_yearly_round_takes_at_most_20_actions_beyond_the_changed_text(page, browser_login, csrf_app, live_server):
    with csrf_app.app_context():
        import_files([DEMO_FILE])  # last year's five tables, as the demo has them
    browser_login(Role.FILLER, UNIT, username="clerk")
    clerk = Actions(page)

    # Copy the year: every sheet's years move with it.
    clerk.click(page.get_by_role("button", name="全部复制到2022年"), "全部复制到2022年")
    expect(page.locator("#messages")).to_contain_text("5 张表复制到2022年")
    shot(page, "1-copied")

    # Each copy keeps the seed's impossible 实施期 (2021.1–2020.12, now 2022.1–2021.12): a blocking finding,
    # so each opens on it. The first sheet also gets a new value for one row.
    this_year = page.locator("section.group", has_text="2022年 · 会同县工商联")
    clerk.click(this_year.get_by_role("link", name="基层商会专项经费"), "the first copy")
    expect(page.get_by_label("项目支出实施期（止）")).to_be_focused()
    clerk.type("2022.12", "实施期（止）")
    quantity = category(page, "数量指标").locator("tr.indicator").first
    clerk.click(quantity.get_by_role("button", name="编辑"), "编辑 a row")
    clerk.fill(category(page, "数量指标").locator("tr.editing").get_by_label("指标值及单位"), "8个", "its new value")
    clerk.press("Enter", "saves the row")
    expect(category(page, "数量指标").locator("tr.indicator").first).to_contain_text("8个")
    clerk.click(page.get_by_role("button", name="保存并下一张"), "保存并下一张")
    for place in (2, 3, 4, 5):
        expect(page.get_by_text(f"本组第 {place}/5 张")).to_be_visible()
        expect(page.get_by_label("项目支出实施期（止）")).to_be_focused()
        clerk.type("2022.12", "实施期（止）")
        clerk.press("Control+Enter", "保存并下一张" if place < 5 else "保存并回到本组")

    # After the last, the group's page: nothing blocks any more; submit the year.
    expect(page.get_by_role("heading", level=1)).to_have_text("2022年 · 会同县工商联：提交情况")
    expect(page.locator(".count.blocking")).to_have_count(0)
    clerk.click_and_confirm(page.get_by_role("button", name="全部提交"), "提交2022年本组5张", "全部提交")
    expect(page.get_by_text("已提交 5 张")).to_be_visible()
    shot(page, "2-submitted")

    # The reviewer: from the queue, return the first with a comment, approve the next it opens.
    page.get_by_role("button", name="退出").click()
    browser_login(Role.REVIEWER, username="reviewer")
    reviewer = Actions(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("待审核的表（5 张，先交先审）")
    clerk_first = page.locator("table.list tbody tr td:nth-child(4) a").first
    returned = clerk_first.inner_text()
    reviewer.click(clerk_first, "the first in the queue")
    reviewer.fill(page.get_by_label("财政部门审核意见"), "请把社会效益指标写具体。", "the comment")
    reviewer.click(page.get_by_role("button", name="退回修改"), "退回修改")
    approved = page.locator("h1").inner_text()
    reviewer.click_and_confirm(page.get_by_role("button", name="审核通过"), "审核通过", "审核通过")
    expect(page.get_by_text("已审核通过")).to_be_visible()
    shot(page, "3-reviewed")

    print(clerk.report("the clerk's year") + reviewer.report("the review round"))
    moves, texts = clerk.moves + reviewer.moves, clerk.texts + reviewer.texts
    print(f"yearly round: {moves + texts} actions = {moves} + {texts} typing the text that changed")
    assert moves <= GOAL

    sheets = sheets_of(csrf_app, 2022)
    assert {sheet.period_end.isoformat() for sheet in sheets.values()} == {"2022-12-01"}
    assert sheets[returned].status == Status.RETURNED and sheets[returned].review_comment == "请把社会效益指标写具体。"
    assert sum(sheet.status == Status.APPROVED for sheet in sheets.values()) == 1
    assert next(name for name in sheets if name in approved) != returned
    with csrf_app.app_context():
        values = db.session.scalars(select(Indicator.value).join(GoalSheet).where(
            GoalSheet.year == 2022, GoalSheet.project_name == "基层商会专项经费", Indicator.level2 == "数量指标"))
        assert "8个" in list(values)
    assert len(sheets_of(csrf_app, 2021)) == 5  # last year's stay as they were
