"""年度自评 in the browser: a clerk opens the self-evaluation of an approved demo sheet, types
what was achieved and watches each row's score, 总分 and the grade follow, fixes the weights,
submits, and prints it: the PDF holds every cell of the published layout."""
import re
import subprocess

import pytest
from playwright.sync_api import expect

from goalsapp.cli.commands import DEMO_FILE
from goalsapp.domain.importing import import_files
from goalsapp.domain.models import GoalSheet, Role, Status
from goalsapp.extensions import db

from .sheetpage import click_and_confirm
from .test_print import is_subsequence, pdf_pages

UNIT = "会同县工商联"
SHOTS = "/work/notes/shots11"
# The seed's 基层商会专项经费, row by row: 三级指标 (as far as a label needs) and what was achieved.
ACHIEVED = [("促进7个基层商会正常运转", "6个"), ("7个基层商会按照", "96%"), ("2021年12月底完成全年工作计划", "95%"),
            ("所需办公费7万元", "95%"), ("各基层商会会员正常增加", "100%"), ("非公经济人士对商会的归属感", "98%"),
            ("基层商会工作运行良好", "98%"), ("会员满意度达90%以上", "99%")]


@pytest.fixture
def approved_demo(csrf_app):
    """The seed's five sheets, the first approved by the bureau."""
    with csrf_app.app_context():
        import_files([DEMO_FILE])
        db.session.get(GoalSheet, 1).status = Status.APPROVED
        db.session.commit()


class Actions:
    """What the clerk does, counted: each click, field typed and key pressed."""

    def __init__(self):
        self.count = 0

    def fill(self, field, text):
        field.fill(text)
        self.count += 1

    def press(self, field, key):
        field.press(key)
        self.count += 1

    def click(self, element):
        element.click()
        self.count += 1


def row(page, name):
    return page.locator("tr.evaluation-row", has_text=name)


def test_a_clerk_scores_submits_and_prints_a_self_evaluation(page, browser_login, approved_demo, tmp_path):
    browser_login(Role.FILLER, UNIT)
    act = Actions()
    page.get_by_role("link", name="基层商会专项经费").first.click()
    act.click(page.get_by_role("button", name="年度自评"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("2021年度项目支出绩效自评表：基层商会专项经费")
    total, grade, weight_sum = page.locator("#total"), page.locator("#grade"), page.locator("#weight-sum")
    expect(weight_sum).to_have_text("分值合计 100")
    expect(total).to_have_text("0")

    # 全年执行数: the execution rate and its score follow as it is typed
    spent = page.get_by_label("年度资金总额全年执行数（B）")
    act.fill(spent, "13.3")
    expect(page.locator("#execution-rate")).to_have_text("95%")
    expect(page.locator("#execution-score")).to_have_text("9.5")
    expect(total).to_have_text("9.5")

    # what each row achieved: its score appears, 总分 and the grade rise with them
    first = row(page, ACHIEVED[0][0])
    act.fill(first.get_by_label("实际完成值"), ACHIEVED[0][1])
    expect(first.locator("output.score")).to_have_text("10.71")  # 6 of 7 商会: 12.5 × 6/7
    expect(total).to_have_text("20.21")
    expect(first.locator(".mark.blocking")).to_have_text("强制：未得满分，请填写偏差原因分析及改进措施")
    for name, achieved in ACHIEVED[1:]:
        act.fill(row(page, name).get_by_label("实际完成值"), achieved)
    expect(row(page, ACHIEVED[-1][0]).locator("output.score")).to_have_text("10")
    expect(total).to_have_text("97.71")
    expect(grade).to_have_text("优")
    page.screenshot(path=f"{SHOTS}/eval-browser-scored.png", full_page=True)

    # a weight typed wrong: said beside it in Chinese, the typing kept, nothing stored
    economy_weight = row(page, ACHIEVED[4][0]).get_by_label("分值")
    economy_weight.fill("八")
    economy_weight.press("Tab")
    expect(row(page, ACHIEVED[4][0]).locator(".error:not(:empty)")).to_have_text("分值应为数字，例如 7.5")
    expect(economy_weight).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#save-state")).to_have_text("第5行没有保存：请改正标红的栏目。")
    expect(economy_weight).to_have_value("八")

    # a weight changed: the sum says it is off, and that blocks submitting, until it adds up again
    satisfied = row(page, ACHIEVED[-1][0]).get_by_label("分值")
    act.fill(satisfied, "12")
    expect(weight_sum).to_have_text("分值合计 102（应为100）")
    expect(page.locator("#findings")).to_contain_text("各指标分值合计92分，加预算执行率10分共102分，应为100分")
    act.fill(economy_weight, "8")
    expect(weight_sum).to_have_text("分值合计 100")
    expect(economy_weight).to_have_attribute("aria-invalid", "false")
    expect(page.locator("#points-2")).to_have_text("40")  # 效益指标 (40分): 8 + 10 + 10 + 12
    expect(page.locator("#findings")).not_to_contain_text("应为100分")

    # the one row short of its target says why; the goal and the conclusion are written
    act.fill(first.get_by_label("偏差原因分析及改进措施"), "一个基层商会年中合并，实际运转6个。")
    expect(first.locator(".mark.blocking")).to_have_count(0)
    act.fill(page.get_by_label("实际完成情况"), "7个基层商会中6个正常运转，1个并入相邻商会，自身建设得到加强。")
    act.fill(page.get_by_label("评价结论", exact=True), "项目总体完成较好，自评等级为优。")
    act.press(page.get_by_label("评价结论", exact=True), "Tab")  # leaving the field stores it
    expect(page.locator("#save-state")).to_have_text("已保存。")
    expect(page.locator("#findings")).to_contain_text("强制 0")
    expect(total).to_have_text("97.71")
    page.screenshot(path=f"{SHOTS}/eval-browser-ready.png", full_page=True)

    # leaving the page with a change not yet stored asks first; once it is stored, it does not
    problems = page.get_by_label("存在问题", exact=True)
    act.click(problems)
    problems.type("宣传不够。")  # still in the field: not stored yet
    act.count += 1
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="绩效目标表", exact=True).click()
    expect(problems).to_have_value("宣传不够。")
    assert asked == ["beforeunload"]
    act.press(problems, "Tab")
    expect(page.locator("#save-state")).to_have_text("已保存。")
    page.get_by_role("link", name="绩效目标表", exact=True).click()
    expect(page).to_have_url(re.compile(r"/sheets/1$"))
    assert asked == ["beforeunload"]
    page.go_back()

    # every row was stored as it was left: a reload shows them, nothing lost
    page.reload()
    expect(first.get_by_label("实际完成值")).to_have_value("6个")
    expect(row(page, ACHIEVED[4][0]).get_by_label("分值")).to_have_value("8")
    expect(total).to_have_text("97.71")

    click_and_confirm(page, page.get_by_role("button", name="提交审核"), "提交后自评表会锁定")
    act.count += 2  # the click and the yes
    expect(page.locator("#messages")).to_contain_text("自评表已提交，等待财政部门审核")
    expect(page.locator("h1 .status")).to_have_text("已提交")
    expect(first.get_by_label("实际完成值")).to_be_disabled()
    print(f"\nself-evaluation typed and submitted in {act.count} actions")

    # print: the published layout, every cell in the PDF
    page.get_by_role("link", name="打印预览").click()
    expect(page.locator("article.sheet.evaluation")).to_have_count(1)
    pdf = tmp_path / "evaluation.pdf"
    page.pdf(path=pdf, format="A4", print_background=True, prefer_css_page_size=True)
    pages = pdf_pages(pdf)
    assert len(pages) == 1
    text = re.sub(r"\s+", "", pages[0])
    # the numbers whole; a label or text the paper breaks over lines is read back interleaved
    # with its neighbours' lines, so its characters are looked for in order
    for number in ("13.3", "95%", "9.5", "10.71", "97.71", "等级：优", "12.5", "（50分）"):
        assert number in text, number
    for cell in ("项目支出绩效自评表", "（2021年度）", "填报单位：会同县工商联（盖章）", "单位：万元", "项目名称", "基层商会专项经费",
                 "主管部门", "行政政法", "实施单位", "项目资金（万元）", "年初预算数", "全年预算数（A）", "全年执行数（B）", "执行率（B/A）",
                 "年度资金总额", "其中：本年财政拨款", "上年结转资金", "其他资金", "年度总体目标", "预期目标",
                 "实际完成情况", "2021年7个基层商会正常运转，自身建设得到加强", "7个基层商会中6个正常运转，1个并入相邻商会，自身建设得到加强。",
                 "绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "偏差原因分析及改进措施", "产出指标（50分）",
                 "效益指标（40分）", "数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标", "可持续影响指标",
                 "社会公众或服务对象满意度指标", "一个基层商会年中合并，实际运转6个。", "总分", "评价结论", "项目总体完成较好，自评等级为优。",
                 "存在问题", "宣传不够。", "改进措施", "财政部门审核意见"):
        assert is_subsequence(cell, text), cell
    for name, achieved in ACHIEVED:
        assert is_subsequence(name, text) and is_subsequence(achieved, text), name
    page.screenshot(path=f"{SHOTS}/eval-browser-print.png", full_page=True)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf), f"{SHOTS}/eval-browser-pdf"], check=True)
