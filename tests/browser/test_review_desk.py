"""The reviewer's desk in Chromium: from the queue, return one sheet with a comment, approve the
next, batch-approve two more, counting every click, typed field, key and answer as a user's action."""
from datetime import date
from decimal import Decimal
from pathlib import Path

from playwright.sync_api import expect
from sqlalchemy import select

from goalsapp.domain import workflow
from goalsapp.domain.models import GoalSheet, Indicator, Role, Status, User
from goalsapp.domain.review import review
from goalsapp.extensions import db

from ..conftest import add_user
from .sheetpage import Actions

SHOTS = Path("/work/notes/shots10")
UNITS = ("会同县工商联", "某县教育局")
# (unit, project), in the order they are submitted: neither their ids' order nor their units'.
SUBMISSIONS = [(UNITS[1], "学校食堂改造"), (UNITS[0], "非公党建项目"), (UNITS[0], "光彩事业项目"), (UNITS[1], "教师培训"),
               (UNITS[0], "商会建设项目")]


def submitted(app) -> dict[str, int]:
    """Five sheets with nothing blocking, of two units, submitted by their clerks in SUBMISSIONS' order."""
    for number, unit in enumerate(UNITS):
        add_user(app, f"clerk{number}", Role.FILLER, unit)
    with app.app_context():
        sheets = {}
        for unit, project in sorted(SUBMISSIONS, key=lambda submission: submission[1]):  # ids in name order
            sheet = GoalSheet(unit=unit, year=2022, project_name=project, budget_dept="行政政法", local_budget=Decimal("2.4"),
                              period_start=date(2022, 1, 1), period_end=date(2022, 12, 1), period_goal="目标", annual_goal="2022年目标")
            sheet.indicators = [Indicator(level1="产出指标", level2="数量指标", name="开展活动", value="2次", standard="计划标准", position=1),
                                Indicator(level1="效益指标", level2="社会效益指标", name="会员参与率", value="≥90%", standard="行业标准", position=2)]
            db.session.add(sheet)
            sheets[project] = sheet
        db.session.commit()
        for unit, project in SUBMISSIONS:
            clerk = db.session.scalars(select(User).where(User.username == f"clerk{UNITS.index(unit)}")).one()
            workflow.submit(sheets[project], clerk, review(sheets[project]))
            db.session.commit()
        return {project: sheet.id for project, sheet in sheets.items()}


def statuses(app) -> dict[str, str]:
    with app.app_context():
        return {sheet.project_name: sheet.status for sheet in db.session.scalars(select(GoalSheet))}


def test_a_reviewer_returns_one_approves_one_and_batch_approves_two(page, browser_login, csrf_app):
    SHOTS.mkdir(parents=True, exist_ok=True)
    ids = submitted(csrf_app)
    browser_login(Role.REVIEWER, username="reviewer")  # logging in is not part of the round
    act = Actions(page)

    # The app opens on the queue: every unit's submissions, the first submitted first.
    expect(page.get_by_role("heading", level=1)).to_have_text("待审核的表（5 张，先交先审）")
    queue = page.locator("table.list tbody tr td:nth-child(4) a")  # after the check box, year and unit
    expect(queue).to_have_text([project for _, project in SUBMISSIONS])
    page.screenshot(path=SHOTS / "desk-queue.png", full_page=True)

    # Return the first with a comment: on to the second, its comment box empty.
    act.click(page.get_by_role("link", name="学校食堂改造"), "the first sheet in the queue")
    act.fill(page.get_by_label("财政部门审核意见"), "食堂改造的成本指标请写明金额。", "the comment")
    act.click(page.get_by_role("button", name="退回修改"), "退回修改")
    expect(page.locator("h1")).to_contain_text("非公党建项目")
    expect(page.get_by_text("“学校食堂改造”已退回填报单位修改。下一张：会同县工商联“非公党建项目”。")).to_be_visible()
    expect(page.get_by_label("财政部门审核意见")).to_have_value("")
    page.screenshot(path=SHOTS / "desk-next-after-return.png", full_page=True)

    # Approve it: on to the third.
    act.click_and_confirm(page.get_by_role("button", name="审核通过"), "审核通过“非公党建项目”？", "审核通过")
    expect(page.locator("h1")).to_contain_text("光彩事业项目")
    expect(page.get_by_label("财政部门审核意见")).to_have_value("")

    # Back to the queue; check the next two and approve them at once.
    act.click(page.get_by_role("link", name="全部表"), "全部表 (back to the queue)")
    expect(page.get_by_role("heading", level=1)).to_have_text("待审核的表（3 张，先交先审）")
    act.check(page.get_by_label("选中“光彩事业项目”"), "光彩事业项目")
    act.check(page.get_by_label("选中“教师培训”"), "教师培训")
    act.click_and_confirm(page.get_by_role("button", name="批量通过"), "审核通过勾选的表？", "批量通过")
    expect(page.get_by_text("已审核通过 2 张：“光彩事业项目”、“教师培训”。")).to_be_visible()
    expect(queue).to_have_text(["商会建设项目"])
    page.screenshot(path=SHOTS / "desk-after-batch.png", full_page=True)

    print(f"\nreview round: {act.count} actions\n  " + "\n  ".join(act.steps))
    assert act.count <= 10
    assert statuses(csrf_app) == {"学校食堂改造": Status.RETURNED, "非公党建项目": Status.APPROVED, "光彩事业项目": Status.APPROVED,
                                  "教师培训": Status.APPROVED, "商会建设项目": Status.SUBMITTED}
    with csrf_app.app_context():
        assert db.session.get(GoalSheet, ids["学校食堂改造"]).review_comment == "食堂改造的成本指标请写明金额。"


def test_the_comment_box_forgets_typing_when_the_reviewer_comes_back(page, browser_login, csrf_app):
    ids = submitted(csrf_app)
    base = browser_login(Role.REVIEWER, username="reviewer")
    page.goto(f"{base}/sheets/{ids['商会建设项目']}")
    page.get_by_label("财政部门审核意见").fill("写了一半的意见")
    page.get_by_role("link", name="全部表").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("待审核的表")
    page.go_back()  # from the back-forward cache, or reloaded and restored by the browser: either way empty
    expect(page.locator("h1")).to_contain_text("商会建设项目")
    expect(page.get_by_label("财政部门审核意见")).to_have_value("")
    page.reload()
    expect(page.get_by_label("财政部门审核意见")).to_have_value("")


def test_batch_approve_with_nothing_checked_says_so_without_asking_first(page, browser_login, csrf_app):
    """No "审核通过勾选的表？" question about nothing: the page says what to do, and nothing is sent."""
    submitted(csrf_app)
    browser_login(Role.REVIEWER, username="reviewer")
    questions = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="批量通过").click()
    expect(page.locator("#messages")).to_have_text("请先勾选要审核通过的表。")
    assert questions == []
    assert set(statuses(csrf_app).values()) == {Status.SUBMITTED}
