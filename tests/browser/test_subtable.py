"""A department's clerk edits the 年度履职目标 of the Fujian whole-department table in the real
browser, row by row without a reload, and the printed page carries it."""
import os
import re
import subprocess
from pathlib import Path

from playwright.sync_api import expect

from goalsapp.domain.models import GoalSheet, Role
from goalsapp.extensions import db

from ..test_subtable import ROWS, UNIT, fujian_sheet
from .sheetpage import click_and_confirm
from .test_print import is_subsequence, pdf_pages


def shots_folder(tmp_path: Path) -> Path:
    """Where the pictures go: GOALSAPP_SHOTS to keep them and look at them, else the test's own folder."""
    folder = Path(os.environ.get("GOALSAPP_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_a_clerk_edits_adds_and_deletes_duty_rows_and_prints_them(page, browser_login, csrf_app, tmp_path):
    live_server = browser_login(Role.FILLER, UNIT)
    sheet_id = fujian_sheet(csrf_app)
    page.goto(f"{live_server}/sheets/{sheet_id}")
    page.evaluate("window.stillTheSamePage = true")  # gone if anything reloads the page
    duties = page.locator("#subtable")
    rows = duties.locator("tr.subtable-row")
    expect(rows).to_have_count(4)

    # Edit a row: 编辑 opens it in place, its first box focused; Enter in a box saves.
    rows.filter(has_text="特困人员救助供养资金").get_by_role("button", name="编辑").click()
    editing = duties.locator("tr.editing")
    expect(editing.get_by_label("部门职能")).to_be_focused()
    editing.get_by_label("年度目标任务").fill("落实特困人员救助供养，提高集中供养标准")
    editing.get_by_label("预算金额").fill("约四百")
    editing.get_by_label("预算金额").press("Enter")
    # A wrong amount is said in the row, the typing kept, nothing stored.
    expect(editing).to_contain_text("请输入数字（单位：万元）")
    expect(editing.get_by_label("年度目标任务")).to_have_value("落实特困人员救助供养，提高集中供养标准")
    editing.get_by_label("预算金额").fill("412.50")
    editing.get_by_label("预算金额").press("Enter")
    edited = rows.filter(has_text="提高集中供养标准")
    expect(edited.locator("td").nth(3)).to_have_text("412.50")
    expect(edited.get_by_role("button", name="编辑")).to_be_focused()

    # Add a row: one click, then type, Tab between boxes, Enter saves; focus goes back to 添加一行.
    duties.get_by_role("button", name="＋ 添加一行").click()
    expect(duties.locator("tr.editing").get_by_label("部门职能")).to_be_focused()
    for text in ("养老服务", "新建社区居家养老服务站28个", "养老服务站建设补助"):
        page.keyboard.type(text)
        page.keyboard.press("Tab")
    page.keyboard.type("158.60")
    page.screenshot(path=shots_folder(tmp_path) / "subtable-editor-adding.png", full_page=True)
    page.keyboard.press("Enter")
    expect(rows).to_have_count(5)
    expect(rows.last).to_contain_text("新建社区居家养老服务站28个")
    expect(duties.get_by_role("button", name="＋ 添加一行")).to_be_focused()
    # The next one needs no click: Enter on the focused button opens it; Esc drops it unsaved.
    page.keyboard.press("Enter")
    expect(duties.locator("tr.editing").get_by_label("部门职能")).to_be_focused()
    page.keyboard.type("不要的行")
    page.keyboard.press("Escape")
    expect(duties.locator("tr.editing")).to_have_count(0)
    expect(duties.get_by_role("button", name="＋ 添加一行")).to_be_focused()

    # Delete a row: asked first, then gone.
    click_and_confirm(page, rows.filter(has_text="殡葬改革专项经费").get_by_role("button", name="删除"), asks="规范殡葬管理和婚姻登记")
    expect(rows).to_have_count(4)
    expect(duties).not_to_contain_text("殡葬改革专项经费")

    # The history panel refreshes itself with each change, naming the sub-table's row and column.
    history = page.locator("#history")
    expect(history).to_contain_text("年度履职目标第2行／预算金额")
    expect(history).to_contain_text("年度履职目标第5行／年度目标任务")
    expect(history).to_contain_text("删除一行")
    assert page.evaluate("window.stillTheSamePage") is True
    page.screenshot(path=shots_folder(tmp_path) / "subtable-editor.png", full_page=True)

    with csrf_app.app_context():
        assert db.session.get(GoalSheet, sheet_id).fields["duties"] == [
            ROWS[0], ["社会救助", "落实特困人员救助供养，提高集中供养标准", "特困人员救助供养资金", "412.50"], ROWS[2],
            ["养老服务", "新建社区居家养老服务站28个", "养老服务站建设补助", "158.60"],
        ]

    # Printed: the rows as now stored, in the table's own layout, on A4.
    page.get_by_role("link", name="打印预览").click()
    printed = page.locator("article.sheet table.head")
    expect(printed).to_contain_text("提高集中供养标准")
    expect(printed).to_contain_text("养老服务站建设补助")
    expect(printed.locator("td[rowspan='2']", has_text="养老服务")).to_have_count(1)  # 养老服务 over its two tasks
    pdf = tmp_path / "duties.pdf"
    page.pdf(path=pdf, format="A4", print_background=True, prefer_css_page_size=True)
    text = re.sub(r"\s+", "", "".join(pdf_pages(pdf)))
    # A cell that wraps reads back interleaved with its neighbours: in order, not always whole.
    for piece in ("年度履职目标", "落实特困人员救助供养，提高集中供养标准", "新建社区居家养老服务站28个", "养老服务站建设补助"):
        assert is_subsequence(piece, text), piece
    assert "412.50" in text and "158.60" in text
    assert "殡葬改革专项经费" not in text
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf), str(shots_folder(tmp_path) / "subtable-print")],
                   check=True)


# A loaded machine, as the browser sees it: every timer fires a second late. (htmx wires a row
# form it swaps in when the swap settles, which it did on a 20 ms timer.)
LATE_TIMERS = """
const onTime = window.setTimeout;
window.setTimeout = (callback, delay, ...args) => onTime(callback, (delay || 0) + 1000, ...args);
"""


def test_a_row_saved_the_moment_its_form_shows_is_saved_on_a_slow_machine(page, browser_login, csrf_app):
    """Enter pressed as soon as a row's form is on screen (opened, or back with its error) saves the
    row through its own endpoint: the page never reloads and loses the typing instead."""
    page.add_init_script(LATE_TIMERS)
    live_server = browser_login(Role.FILLER, UNIT)
    sheet_id = fujian_sheet(csrf_app)
    page.goto(f"{live_server}/sheets/{sheet_id}")
    page.evaluate("window.stillTheSamePage = true")

    duties = page.locator("#subtable")
    duties.locator("tr.subtable-row", has_text="居家养老服务补助").get_by_role("button", name="编辑").click()
    editing = duties.locator("tr.editing")
    editing.get_by_label("预算金额").fill("约三百")
    editing.get_by_label("预算金额").press("Enter")
    expect(editing).to_contain_text("请输入数字（单位：万元）")
    editing.get_by_label("预算金额").fill("330.00")
    editing.get_by_label("预算金额").press("Enter")
    expect(duties.locator("tr.subtable-row", has_text="居家养老服务补助").locator("td").nth(3)).to_have_text("330.00")
    expect(duties.locator("tr.editing")).to_have_count(0)

    indicators = page.locator("#indicators")
    indicators.locator("tr.indicator", has_text="救助对象满意度").get_by_role("button", name="编辑").click()
    editing = indicators.locator("tr.editing")
    editing.get_by_label("三级指标").fill("")
    editing.get_by_label("三级指标").press("Enter")
    expect(editing).to_contain_text("请填写三级指标")
    editing.get_by_label("三级指标").fill("低保对象满意度")
    editing.get_by_label("三级指标").press("Enter")
    expect(indicators.locator("tr.indicator:not(.editing)", has_text="低保对象满意度")).to_have_count(1)
    expect(indicators.locator("tr.editing")).to_have_count(0)

    assert page.evaluate("window.stillTheSamePage") is True
    with csrf_app.app_context():
        sheet = db.session.get(GoalSheet, sheet_id)
        assert sheet.fields["duties"][2] == ["养老服务", "推进居家社区养老服务", "居家养老服务补助", "330.00"]
        assert "低保对象满意度" in [indicator.name for indicator in sheet.indicators]
