"""Mid-year monitoring in the browser: the bureau opens a round, a clerk fills in an approved demo
sheet's monitoring and watches a row's light change as values are typed, submits, prints."""
import re
import subprocess
from pathlib import Path

from playwright.sync_api import expect

from goalsapp.cli.commands import DEMO_FILE
from goalsapp.domain.importing import import_files
from goalsapp.domain.models import GoalSheet, Role, Status
from goalsapp.extensions import db

from .sheetpage import click_and_confirm
from .test_print import is_subsequence, page_sizes, pdf_pages
from .test_review_workflow import log_out

UNIT = "会同县工商联"
PROJECT = "基层商会专项经费"
SHOTS = Path("/work/notes/shots11")
# Each row of the demo sheet: (三级指标 as it starts, by the end of June, expected for the year).
ROWS = [
    ("促进7个基层商会正常运转", "4个", "7个"),
    ("7个基层商会按照", "60%", "95%"),
    ("2021年12月底完成全年工作计划", "50%", "95%"),
    ("7个基层商会正常运转所需办公费", "48%", "95%"),
    ("各基层商会会员正常增加", "55%", "100%"),
    ("非公经济人士对商会的归属感", "90%", "98%"),
    ("基层商会工作运行良好", "60%", "98%"),
    ("会员满意度达90%以上", "92%", "98%"),
]


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"mon-{name}.png"), full_page=True)


def landscape_a4(size: str) -> bool:
    """pdfinfo's "841.92 x 595.2 pts": A4 lying on its side."""
    width, height = (float(number) for number in re.findall(r"[\d.]+", size)[:2])
    return round(width) == 842 and round(height) == 595


def row(page, name: str):
    return page.locator("tr.monitoring-row", has_text=name)


def light(page, name: str):
    return row(page, name).locator("td.light")


def test_open_a_round_fill_a_monitoring_watch_its_lights_submit_print(page, browser_login, csrf_app, tmp_path):
    with csrf_app.app_context():
        import_files([DEMO_FILE])
        db.session.get(GoalSheet, 1).status = Status.APPROVED  # the bureau approved the target
        db.session.commit()

    # The bureau opens the round: 2021, to the end of June, due by 15 July.
    browser_login(Role.REVIEWER, username="reviewer")
    page.get_by_role("link", name="运行监控").first.click()
    page.get_by_label("年度").fill("2021")
    page.get_by_label("截至月份").select_option("6")
    page.get_by_label("截止日期").fill("2021-07-15")
    page.get_by_role("button", name="开启").click()
    expect(page.get_by_text("已开启2021年截至6月的运行监控")).to_be_visible()
    expect(page.locator("table.round-progress")).to_contain_text(PROJECT)
    expect(page.locator("table.round-progress")).to_contain_text("未填报")
    log_out(page)

    # The unit's clerk opens 运行监控 on the approved sheet: the monitoring begins, its rows the target's.
    base = browser_login(Role.FILLER, UNIT, username="clerk")
    page.get_by_role("link", name=PROJECT).click()
    page.get_by_role("button", name="运行监控（1-6月）").click()
    expect(page.locator("h1")).to_contain_text(f"2021年运行监控（截至6月）：{PROJECT}")
    expect(page.locator("tr.monitoring-row")).to_have_count(8)
    expect(row(page, ROWS[0][0]).locator("td.target")).to_have_text("7个")
    expect(light(page, ROWS[0][0])).to_have_text("○待填写")

    # The light follows the typing, before anything is saved: shape and word, not colour alone.
    first = row(page, ROWS[0][0])
    first.get_by_label(re.compile("1-6月执行情况")).fill("1个")
    first.get_by_label(re.compile("全年预计完成情况")).fill("5个")
    expect(light(page, ROWS[0][0])).to_have_text("■红灯")  # 5 of 7 will not do
    first.get_by_label(re.compile("全年预计完成情况")).fill("7个")
    expect(light(page, ROWS[0][0])).to_have_text("▲黄灯")  # will do, but behind the half year
    first.get_by_label(re.compile("1-6月执行情况")).fill("4个")
    first.get_by_label(re.compile("完成目标可能性")).select_option("确定能")
    expect(light(page, ROWS[0][0])).to_have_text("●绿灯")

    # The money block: 执行率 and its light as the amounts are typed.
    page.get_by_label("1-6月执行数").fill("1")
    expect(page.locator("#money-rate")).to_have_text("7.14%")
    expect(page.locator("#money-light")).to_have_text("■红灯")
    page.get_by_label("1-6月执行数").fill("7.3")
    page.get_by_label("全年预计执行数").fill("14")
    expect(page.locator("#money-rate")).to_have_text("52.14%")
    expect(page.locator("#money-light")).to_have_text("●绿灯")

    # Every other row; one the clerk doubts, with its cause and measure.
    for name, current, expected in ROWS[1:]:
        this = row(page, name)
        this.get_by_label(re.compile("1-6月执行情况")).fill(current)
        this.get_by_label(re.compile("全年预计完成情况")).fill(expected)
        this.get_by_label(re.compile("完成目标可能性")).select_option("确定能")
    doubt = row(page, ROWS[4][0])
    doubt.get_by_label(re.compile("全年预计完成情况")).fill("90%")
    doubt.get_by_label(re.compile("完成目标可能性")).select_option("有可能")
    doubt.get_by_label(re.compile("：偏差原因$")).select_option("经费保障")
    doubt.get_by_label(re.compile("偏差说明")).fill("上级资金未到位")
    doubt.get_by_label(re.compile("整改措施")).fill("七月申请追加，按月下拨")
    expect(light(page, ROWS[4][0])).to_have_text("▲黄灯")
    expect(light(page, ROWS[5][0])).to_have_text("●绿灯")
    shot(page, "editor-typed")

    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text("运行监控已保存。")).to_be_visible()
    expect(page.locator("#findings h2 .count").first).to_have_text("强制 0")
    expect(light(page, ROWS[4][0])).to_have_text("▲黄灯")  # as saved
    expect(page.locator("section.history")).to_contain_text("clerk 保存运行监控")

    click_and_confirm(page, page.get_by_role("button", name="提交审核"), "确定提交？")
    expect(page.get_by_text("运行监控已提交，等待财政部门审核")).to_be_visible()
    expect(page.locator("h1 .status")).to_have_text("已提交")
    expect(page.get_by_label(re.compile("1-6月执行数"))).to_be_disabled()
    shot(page, "editor-submitted")

    # Printed: A4 landscape, every cell on paper.
    page.get_by_role("link", name="打印预览").click()
    page.wait_for_url("**/print")
    shot(page, "print-preview")
    pdf = tmp_path / "monitoring.pdf"
    page.pdf(path=pdf, format="A4", print_background=True, prefer_css_page_size=True)
    pages = pdf_pages(pdf)
    sizes = page_sizes(pdf, len(pages))
    assert all(landscape_a4(size) for size in sizes), sizes
    text = re.sub(r"\s+", "", "".join(pages))
    for piece in ("项目支出绩效目标执行监控表", "（2021年度）", "填报单位（盖章）：会同县工商联", "金额单位：万元", "项目名称", PROJECT,
                  "主管部门", "行政政法", "实施单位", "年初预算数", "全年预算数", "1-6月执行数", "执行率", "全年预计执行数",
                  "14", "7.3", "52.14%", "年度总体", "2021年7个基层商会正常运转，自身建设得到加强", "绩效", "一级指标", "二级指标",
                  "三级指标", "年度", "指标值", "执行情况", "全年预计", "完成情况", "完成目标", "可能性", "偏差原因", "整改措施", "备注",
                  "产出指标", "效益指标", "数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标",
                  "可持续影响指标", "4个", "7个", "有可能", "确定能", "经费保障：上级资金未到位", "七月申请追加，按月下拨",
                  "财政部门", "审核意见", "未经财政部门审核通过"):  # not yet approved, on every page
        # a cell that wraps is read back line by line, among its neighbours' lines
        assert piece in text if len(piece) <= 4 else is_subsequence(piece, text), piece
    for name, current, expected in ROWS:
        assert is_subsequence(name, text) and current in text and expected in text, name
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(SHOTS / "mon-print")], check=True)
    page.goto(base)
    log_out(page)

    # The bureau sees it submitted, its lights counted, in the round.
    browser_login(Role.REVIEWER, username="reviewer")
    page.get_by_role("link", name="运行监控").first.click()
    page.get_by_role("link", name="查看进度").click()
    progress = page.locator("table.round-progress")
    expect(progress).to_contain_text("已提交")
    expect(progress).to_contain_text("52.14%")
    expect(progress).to_contain_text("●绿灯 7")
    expect(progress).to_contain_text("▲黄灯 1")
    shot(page, "round")
