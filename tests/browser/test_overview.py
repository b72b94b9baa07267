"""The overview in Chromium on the demo data and a few more units: its charts drawn, a unit drilled
down to its year, its list and a sheet, and the page printed on A4 landscape with its names and chart titles."""
import os
import re
import subprocess
from pathlib import Path

from playwright.sync_api import expect

from goalsapp.cli.commands import DEMO_FILE
from goalsapp.domain.importing import import_files
from goalsapp.domain.models import Role, Status

from ..test_overview import add_sheet, add_unit
from .test_print import page_sizes

STATUS_TITLE, BUDGET_TITLE = "2021年各单位绩效目标表的状态", "2021年项目预算按预算部门"
LONG_UNIT = "会同县某某乡镇人民政府农业综合服务中心（畜牧水产站）"


def shots_folder(tmp_path: Path) -> Path:
    """Where the pictures go: GOALSAPP_SHOTS to keep them and look at them, else the test's own folder."""
    folder = Path(os.environ.get("GOALSAPP_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_the_bureau_reads_the_county_prints_it_and_drills_down(page, browser_login, csrf_app, tmp_path):
    with csrf_app.app_context():
        import_files([DEMO_FILE])  # 会同县工商联's five 2021 drafts
    add_sheet(csrf_app, "某县教育局", "学校食堂改造", year=2021, status=Status.RETURNED, budget="30", dept="教育", rows=())
    add_sheet(csrf_app, "某县教育局", "教师培训", year=2021, status=Status.SUBMITTED, budget="5.5", dept="教育")
    for number, status in enumerate((Status.APPROVED, Status.APPROVED, Status.SUBMITTED)):
        add_sheet(csrf_app, LONG_UNIT, f"畜牧项目{number}", year=2021, status=status, budget="12", dept="农林水")
    for number in range(24):  # a county's many small units: past the 15 most, the chart folds them into one bar; past 25, a second page
        for sheet in range(1 + number % 3):
            add_sheet(csrf_app, f"某镇{number + 1:02d}中心学校", f"项目{sheet}", year=2021, status=list(Status)[(number + sheet) % 4],
                      budget=str(2 + number), dept=("教育", "农林水", "卫生健康", "交通运输", "")[number % 5])
    add_unit(csrf_app, "某县文旅局")
    for number in range(21):  # past the twenty the summary names, the rest open on asking
        add_unit(csrf_app, f"邮政{number:02d}所")
    shots = shots_folder(tmp_path)

    live_server = browser_login(Role.REVIEWER)
    page.get_by_role("link", name="全县概览").click()
    expect(page.get_by_role("heading", name="2021年全县概览")).to_be_visible()
    status_chart = page.get_by_role("img", name=STATUS_TITLE)
    budget_chart = page.get_by_role("img", name=BUDGET_TITLE)
    expect(status_chart).to_be_visible()
    expect(budget_chart).to_be_visible()
    expect(page.get_by_text("尚未填报的单位（22 个）")).to_be_visible()
    expect(page.get_by_text("邮政20所")).to_be_hidden()
    page.get_by_text("……其余 2 个").click()
    expect(page.get_by_text("、邮政19所、邮政20所")).to_be_visible()
    page.locator("div.unfiled").first.screenshot(path=shots / "overview-unfiled-more.png")
    # the long name is cut on the chart and whole in the table
    expect(status_chart.locator("text.bar-label", has_text="…")).to_have_count(1)
    expect(status_chart.locator("text.bar-label", has_text="其余")).to_have_text("其余12个单位")  # 27 units filed
    expect(page.locator("table.overview-units").get_by_role("link", name=LONG_UNIT, exact=True)).to_be_visible()
    expect(page.get_by_text("第 1 / 2 页，共 27 个单位")).to_be_visible()
    page.screenshot(path=shots / "overview-page.png", full_page=True)
    page.get_by_role("link", name="下一页").click()
    expect(page.locator("table.overview-units tbody tr")).to_have_count(2)  # 某镇23 and 某镇24, by name
    expect(page.locator("table.overview-units")).to_be_in_viewport()  # the next page opens at the table, below the charts
    expect(page.locator("table.overview-units").get_by_role("link", name="某镇24中心学校")).to_be_visible()
    page.get_by_role("link", name="全部显示（打印全部单位时）").click()  # on paper, every unit
    expect(page.locator("table.overview-units tbody tr")).to_have_count(27)
    status_chart.screenshot(path=shots / "overview-status-chart.png")
    budget_chart.screenshot(path=shots / "overview-budget-chart.png")

    pdf = tmp_path / "overview.pdf"
    page.pdf(path=pdf, print_background=True, prefer_css_page_size=True)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    sizes = page_sizes(pdf, int(re.search(r"Pages:\s+(\d+)", info).group(1)))
    assert all(size == "841.92 x 594.96 pts (A4)" for size in sizes), sizes  # A4 landscape: wider than tall
    # -raw: in the order drawn, so "2021" stays with the rest of its title though another font draws it
    printed = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, text=True).stdout)
    for words in (STATUS_TITLE, BUDGET_TITLE, "会同县工商联", "某县教育局", LONG_UNIT, "某镇24中心学校", "某县文旅局", "表的张数", "年度本级预算（万元）"):
        assert words in printed, words
    assert "全部表" not in printed and "导出汇总表" not in printed  # the menu and the buttons stay on screen
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(shots / "overview-print")], check=True)

    page.locator("table.overview-units").get_by_role("link", name="某县教育局", exact=True).click()
    expect(page.get_by_role("heading", name="2021年 · 某县教育局")).to_be_visible()  # the unit's year (test_yearview)
    page.get_by_role("link", name="在全部表中查看").click()
    expect(page.get_by_text("只看单位：某县教育局")).to_be_visible()
    expect(page.get_by_role("heading", name="2021年 · 某县教育局")).to_be_visible()
    expect(page.get_by_role("link", name="基层商会专项经费")).to_have_count(0)
    page.screenshot(path=shots / "overview-drilldown.png", full_page=True)
    page.get_by_role("link", name="学校食堂改造").first.click()
    expect(page.get_by_label("项目支出名称")).to_have_value("学校食堂改造")
    assert page.url.startswith(f"{live_server}/sheets/")


def test_on_paper_the_summary_promises_no_list_it_does_not_print(page, browser_login, csrf_app):
    """Past twenty units owing a self-evaluation the summary links to the table listing them all: a
    link to follow on screen; printed with every unit's table, it would send the reader to a list
    that is not there."""
    for number in range(22):
        add_sheet(csrf_app, f"某镇{number + 1:02d}中心学校", "项目甲", year=2025, status=Status.APPROVED)  # the year is over
    live_server = browser_login(Role.REVIEWER)
    page.goto(f"{live_server}/overview?year=2025&all=1")
    owing = page.locator("p.evaluation-unfiled")
    expect(owing.get_by_role("link", name="在下表中列出全部 22 个")).to_be_visible()
    page.emulate_media(media="print")
    expect(owing).to_be_visible()
    expect(owing.get_by_role("link", name="在下表中列出全部 22 个")).to_be_hidden()
