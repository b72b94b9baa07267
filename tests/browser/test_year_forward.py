"""A unit's year carried forward in the browser: copy the whole year (its years moved, and shown),
fix and save-and-next, submit the year at once, move between the group's sheets, delete a row
and take it back (撤销 right after, 恢复 from the history)."""
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from goalsapp.cli.commands import DEMO_FILE
from goalsapp.domain.importing import import_files
from goalsapp.domain.models import GoalSheet, Indicator, Role, Status
from goalsapp.extensions import db

from .sheetpage import category, click_and_confirm

UNIT = "会同县工商联"
SHOTS = Path("/work/notes/shots10")


@pytest.fixture
def seeded_live(csrf_app, live_server):
    with csrf_app.app_context():
        import_files([DEMO_FILE])
    return live_server


def shot(page, name: str) -> None:
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / f"round-{name}.png"), full_page=True)


def test_copy_the_year_see_the_moved_years_submit_it_move_on_and_undo_a_delete(page, browser_login, csrf_app, seeded_live):
    browser_login(Role.FILLER, UNIT, username="filler")

    # Copy the whole year: the flash says how many texts had their year moved, a link per sheet.
    click_and_confirm_free(page, page.get_by_role("button", name="全部复制到2022年"))
    messages = page.locator("#messages")
    expect(messages).to_contain_text("文中的年份已顺延 12 处")
    shot(page, "1-copied")
    messages.get_by_role("link", name="基层商会专项经费").click()

    # The history lists each moved text, old → new; the copy's texts are 2022's.
    history = page.locator("#history")
    expect(history).to_contain_text("时效指标第1行三级指标（年份顺延）：2021年12月底完成全年工作计划 → 2022年12月底完成全年工作计划")
    expect(page.get_by_label("本年度绩效目标")).to_have_value("2022年7个基层商会正常运转，自身建设得到加强")
    expect(page.locator("#findings")).not_to_contain_text("不是本表年度")
    shot(page, "2-history")

    # The seed's impossible 实施期 blocks: fix it, save and go on to the next sheet, which opens on its own.
    expect(page.get_by_text("本组第 1/5 张")).to_be_visible()
    page.get_by_label("项目支出实施期（止）").fill("2022.12")
    page.get_by_role("button", name="保存并下一张").click()
    expect(page.get_by_text("“基层商会专项经费”的表头已保存")).to_be_visible()
    expect(page.get_by_text("本组第 2/5 张")).to_be_visible()
    period_end = page.get_by_label("项目支出实施期（止）")
    expect(period_end).to_be_focused()  # the editor opens on the first thing to fix
    shot(page, "3-opens-on-first-fix")
    page.keyboard.type("2022.12")  # over the wrong text: the field opens with it selected
    page.keyboard.press("Control+Enter")  # 保存并下一张 from the keyboard
    expect(page.get_by_text("本组第 3/5 张")).to_be_visible()

    # Submit the year: the two clean ones go, the three still blocked are listed with why.
    page.get_by_role("link", name="返回列表").click()
    group_2022 = page.locator("section.group", has_text="2022年 · 会同县工商联")
    click_and_confirm(page, group_2022.get_by_role("button", name="全部提交"), "提交2022年本组2张没有“强制”问题的表？另有3张")
    expect(page.get_by_text("已提交 2 张：基层商会专项经费、非公党建项目")).to_be_visible()
    left = page.locator("section.group-open")
    expect(left.locator(".open-sheet")).to_have_count(3)
    expect(left).to_contain_text("项目支出实施期（止）：实施期结束（2021.12）早于开始（2022.1），请改正")
    shot(page, "4-submitted-year")
    with csrf_app.app_context():
        submitted = db.session.scalars(select(GoalSheet.project_name).where(GoalSheet.year == 2022, GoalSheet.status == Status.SUBMITTED))
        assert sorted(submitted) == ["基层商会专项经费", "非公党建项目"]

    # Open one left over, then the next one by 下一张.
    left.get_by_role("link", name="光彩事业项目").click()
    page.get_by_role("link", name="下一张 ›").click()
    expect(page.locator("h1")).to_contain_text("教育培训项目")

    # Delete a row: its place says so with 撤销, focused; Enter brings it back where it was.
    timeliness = category(page, "时效指标")
    row = timeliness.locator("tr.indicator", has_text="2022年12月底完成全年教育培训计划")
    click_and_confirm(page, row.get_by_role("button", name="删除"), "删除指标")
    placeholder = timeliness.locator("tr.deleted-row")
    expect(placeholder).to_contain_text("已删除指标“2022年12月底完成全年教育培训计划”")
    undo = placeholder.get_by_role("button", name="撤销")
    expect(undo).to_be_focused()
    shot(page, "5-deleted")
    page.keyboard.press("Enter")
    expect(placeholder).to_have_count(0)
    back = timeliness.locator("tr.indicator", has_text="2022年12月底完成全年教育培训计划")
    expect(back).to_contain_text("95%")
    expect(back.get_by_role("button", name="编辑")).to_be_focused()
    expect(page.locator("#history .event").first).to_contain_text("恢复指标")

    # Another delete, taken back later from the history.
    cost = category(page, "成本指标").locator("tr.indicator", has_text="外出参加教育培训经费支出0.6万元")
    click_and_confirm(page, cost.get_by_role("button", name="删除"), "删除指标")
    restore = page.locator("#history .event", has_text="删除指标").first.get_by_role("button", name="恢复")
    restore.click()
    expect(category(page, "成本指标").locator("tr.indicator", has_text="外出参加教育培训经费支出0.6万元")).to_be_visible()
    expect(page.locator("tr.deleted-row")).to_have_count(0)  # its 撤销 line goes with it
    expect(page.locator("#history .event").first).to_contain_text("恢复指标")
    shot(page, "6-restored")
    page.reload()
    expect(category(page, "成本指标").locator("tr.indicator", has_text="外出参加教育培训经费支出0.6万元")).to_contain_text("100%")
    with csrf_app.app_context():
        sheet = db.session.scalars(select(GoalSheet).where(GoalSheet.year == 2022, GoalSheet.project_name == "教育培训项目")).one()
        assert db.session.scalar(select(db.func.count()).select_from(Indicator).where(Indicator.sheet_id == sheet.id)) == 11


def click_and_confirm_free(page, button) -> None:
    """A post button that does not ask: click and wait for the page it leads to."""
    button.click()
    page.wait_for_load_state()
