"""The whole review round in the browser: a unit fills in, the bureau returns, approves, prints."""
import re
import subprocess

from playwright.sync_api import expect

from goalsapp.domain.models import Role

from .sheetpage import category, click_and_confirm, fill_header, open_new_row

UNIT = "会同县工商联"


def add_row(page, level2, name, value, standard="计划标准"):
    open_new_row(page, level2).fill(name)
    row = category(page, level2).locator("tr.editing")
    row.get_by_label("指标值及单位").fill(value)
    row.get_by_label("绩效标准").select_option(standard)
    row.get_by_label("三级指标").press("Enter")
    expect(category(page, level2).locator("tr.indicator", has_text=name)).to_be_visible()


def log_out(page):
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("button", name="登录")).to_be_visible()


def test_fill_find_fix_submit_return_resubmit_approve_print(page, browser_login, tmp_path):
    base = browser_login(Role.FILLER, UNIT, username="filler")
    page.get_by_role("link", name="新建表").first.click()
    fill_header(
        page, year="2022", project_name="教育培训项目", budget_dept="行政政法", local_budget="1.6",
        period_start="2022.1", period_end="2022年12月", period_goal="提升非公经济人士能力", annual_goal="2022年教育培训活动正常开展",
    )
    page.get_by_role("button", name="创建并填写指标").click()

    findings = page.locator("#findings")
    expect(findings).to_contain_text("“产出指标”下至少要有一个指标")
    page.evaluate("window.stillTheSamePage = true")

    # A row without a value: the finding appears in the panel and beside the row, no reload.
    add_row(page, "数量指标", "组织培训活动", "")
    expect(findings).to_contain_text("请填写指标值及单位")
    expect(category(page, "数量指标").locator(".mark.blocking")).to_contain_text("请填写指标值及单位")
    # Fix it in place; the finding goes away.
    category(page, "数量指标").get_by_role("button", name="编辑").click()
    value = category(page, "数量指标").locator("tr.editing").get_by_label("指标值及单位")
    value.fill("2次以上")
    value.press("Enter")
    expect(findings).not_to_contain_text("请填写指标值及单位")
    expect(category(page, "数量指标").locator(".mark")).to_have_count(0)
    add_row(page, "社会公众或服务对象满意度指标", "学员满意度", "≥90%", "行业标准")
    expect(findings.locator("h2 .count").first).to_have_text("强制 0")
    assert page.evaluate("window.stillTheSamePage") is True

    click_and_confirm(page, page.get_by_role("button", name="提交审核"), "提交后表会锁定", accept=False)
    expect(page.locator("h1 .status")).to_have_text("草稿")  # said no: nothing happened
    click_and_confirm(page, page.get_by_role("button", name="提交审核"), "确定提交？")
    expect(page.get_by_text("已提交，等待财政部门审核")).to_be_visible()
    expect(page.locator("h1 .status")).to_have_text("已提交")
    expect(page.get_by_role("button", name="＋ 添加指标")).to_have_count(0)
    sheet_url = page.url
    log_out(page)

    # The bureau returns it with a comment.
    browser_login(Role.REVIEWER, username="reviewer")
    page.get_by_role("link", name="已提交").click()
    page.get_by_role("link", name="教育培训项目").click()
    page.get_by_label("财政部门审核意见").fill("满意度目标请提高到95%。")
    page.get_by_role("button", name="退回修改").click()
    # On to the next in the queue: here none, so the (now empty) queue.
    expect(page.get_by_text("“教育培训项目”已退回填报单位修改。待审核的表都已审完。")).to_be_visible()
    log_out(page)

    # The unit sees why, edits, resubmits.
    browser_login(Role.FILLER, UNIT, username="filler")
    page.goto(sheet_url)
    expect(page.locator("section.comment")).to_contain_text("满意度目标请提高到95%。")
    row = category(page, "社会公众或服务对象满意度指标")
    row.get_by_role("button", name="编辑").click()
    row.locator("tr.editing").get_by_label("指标值及单位").fill("≥95%")
    row.locator("tr.editing").get_by_label("指标值及单位").press("Enter")
    expect(row.locator("tr.indicator td").nth(1)).to_have_text("≥95%")
    click_and_confirm(page, page.get_by_role("button", name="提交审核"), "提交后表会锁定")
    expect(page.locator("h1 .status")).to_have_text("已提交")
    log_out(page)

    # The bureau approves; the approved sheet prints with the comment.
    browser_login(Role.REVIEWER, username="reviewer")
    page.goto(sheet_url)
    page.get_by_label("财政部门审核意见").fill("同意，按计划执行。")
    click_and_confirm(page, page.get_by_role("button", name="审核通过"), "审核通过“教育培训项目”？")
    expect(page.get_by_text("“教育培训项目”已审核通过。")).to_be_visible()
    page.goto(sheet_url)
    expect(page.locator("h1 .status")).to_have_text("已通过")
    history = page.locator("section.history")
    expect(history).to_contain_text("reviewer 通过")
    expect(history).to_contain_text("filler 修改指标")
    expect(history).to_contain_text("指标值及单位：≥90% → ≥95%")

    page.get_by_role("link", name="打印预览").click()
    page.wait_for_url("**/print")  # printed before the print view arrives, the PDF is blank
    pdf = tmp_path / "approved.pdf"
    page.pdf(path=pdf, format="A4", print_background=True, prefer_css_page_size=True)
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout)
    # the comment is on paper; pdftotext reads the cells around it in no fixed order
    assert "2022年项目支出绩效目标表" in text and "财政部门审核意见" in text and "同意，按计划执行。" in text
    assert base in sheet_url
