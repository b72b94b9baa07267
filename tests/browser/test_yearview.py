"""The bureau's year in Chromium: the overview with each unit's monitoring lights and self-evaluation
grades, who has not filed, the lights and grade charts, printed on A4 landscape; then a unit's year,
sheet by sheet, printed too, and on to a self-evaluation."""
import re
import subprocess

from playwright.sync_api import expect

from goalsapp.domain.models import Role, Status

from ..conftest import add_user
from ..test_overview import YEAR, add_sheet
from ..test_yearview import (
    BEHIND,
    CHAMBER,
    FAIR,
    FULL,
    GOOD,
    GREEN,
    GREEN_RATE,
    ON_PACE,
    RED,
    SCHOOLS,
    YELLOW,
    approved,
    evaluate,
    monitor,
    open_round,
)
from .test_overview import LONG_UNIT, shots_folder
from .test_print import page_sizes

GRADE_TITLE, LIGHTS_TITLE = f"{YEAR}年自评等级分布", f"{YEAR}年运行监控（截至6月）各单位指标的灯"
POOR = ("10人次", "45%")  # 差


def county(app) -> None:
    """Eleven units: the chamber's two sheets (优 filed, 中 a draft; a red row and money behind), the
    schools' one (its monitoring a late draft, no self-evaluation), a long-named unit's three, and
    eight towns' schools with a sheet or two each, their grades and lights varied."""
    add_user(app, "county", Role.ADMIN)
    round_id = open_round(app)
    chamber = [approved(app, CHAMBER, "基层商会专项经费"), approved(app, CHAMBER, "非公党建项目")]
    add_sheet(app, CHAMBER, "光彩事业项目")
    monitor(app, chamber[0], round_id, (GREEN, GREEN_RATE), ON_PACE, submit=True)
    monitor(app, chamber[1], round_id, (RED, YELLOW), BEHIND, submit=True)
    evaluate(app, chamber[0], FULL, submit=True)
    evaluate(app, chamber[1], FAIR)
    school = approved(app, SCHOOLS, "教师培训")
    monitor(app, school, round_id, (GREEN, GREEN_RATE), ON_PACE)
    for number in range(3):
        sheet_id = approved(app, LONG_UNIT, f"畜牧项目{number}")
        monitor(app, sheet_id, round_id, (GREEN, YELLOW if number else GREEN_RATE), ON_PACE, submit=True)
        evaluate(app, sheet_id, (GOOD, FULL, POOR)[number], spent=("10", "10", "5")[number], submit=True)
    for town in range(8):
        for project in range(1 + town % 2):
            sheet_id = approved(app, f"某镇{town + 1:02d}中心学校", f"校舍维修{project}")
            if town % 4 != 3:
                monitor(app, sheet_id, round_id, ((RED, GREEN_RATE), (GREEN, YELLOW), (GREEN, GREEN_RATE))[town % 3], ON_PACE,
                        submit=town % 2 == 0)
            if town != 5:
                evaluate(app, sheet_id, (FULL, GOOD, FAIR, FULL)[(town + project) % 4], submit=town % 3 != 1)
    add_sheet(app, "某县卫健局", "乡村卫生室", status=Status.SUBMITTED)


def test_the_bureau_reads_the_year_prints_it_and_opens_a_unit(page, browser_login, csrf_app, tmp_path):
    county(csrf_app)
    shots = shots_folder(tmp_path)
    live_server = browser_login(Role.REVIEWER)
    page.goto(f"{live_server}/overview?year={YEAR}")
    expect(page.get_by_role("heading", name=f"{YEAR}年全县概览")).to_be_visible()
    grade_chart = page.get_by_role("img", name=GRADE_TITLE)
    lights_chart = page.get_by_role("img", name=LIGHTS_TITLE)
    expect(grade_chart).to_be_visible()
    expect(lights_chart).to_be_visible()
    expect(grade_chart.locator("text.bar-label")).to_have_text(["优", "良", "中", "差"])
    expect(page.get_by_text("尚未报送运行监控的单位（")).to_be_visible()
    expect(page.get_by_text("尚未报送年度自评的单位（")).to_be_visible()
    chamber_row = page.locator("table.overview-units tr", has=page.get_by_role("link", name=CHAMBER, exact=True))
    expect(chamber_row).to_contain_text("指标 ●绿2 ▲黄1 ■红1")
    expect(chamber_row).to_contain_text("优1 中1")
    page.screenshot(path=shots / "yearview-overview.png", full_page=True)
    grade_chart.screenshot(path=shots / "yearview-grade-chart.png")
    lights_chart.screenshot(path=shots / "yearview-lights-chart.png")

    pdf = tmp_path / "overview.pdf"
    page.pdf(path=pdf, print_background=True, prefer_css_page_size=True)
    assert set(page_sizes(pdf, pages(pdf))) == {"841.92 x 594.96 pts (A4)"}
    printed = pdf_text(pdf)
    for words in (GRADE_TITLE, LIGHTS_TITLE, "尚未报送运行监控的单位", "尚未报送年度自评的单位", "自评表的张数", "指标行数", "■红灯", CHAMBER, LONG_UNIT):
        assert words in printed, words
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(shots / "yearview-overview-print")], check=True)

    page.locator("table.overview-units").get_by_role("link", name=CHAMBER, exact=True).click()
    expect(page.get_by_role("heading", name=f"{YEAR}年 · {CHAMBER}")).to_be_visible()
    fair = page.locator("table.unit-year tr", has=page.get_by_role("link", name="非公党建项目"))
    expect(fair.locator("td.grade")).to_have_text("中")
    expect(fair).to_contain_text("71.85")
    expect(fair.locator("td.row-lights")).to_contain_text("红灯 1")
    page.screenshot(path=shots / "yearview-unit.png", full_page=True)
    unit_pdf = tmp_path / "unit.pdf"
    page.pdf(path=unit_pdf, print_background=True, prefer_css_page_size=True)
    printed = pdf_text(unit_pdf)
    for words in (f"{YEAR}年·{CHAMBER}", "基层商会专项经费", "非公党建项目", "71.85", "红灯", "优"):
        assert words in printed, words
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(unit_pdf), str(shots / "yearview-unit-print")], check=True)

    fair.locator("td.evaluation-status a").click()
    expect(page.get_by_text("非公党建项目").first).to_be_visible()
    assert re.search(r"/evaluations/\d+$", page.url)


def pages(pdf) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def pdf_text(pdf) -> str:
    """The PDF's text in the order drawn, without spaces or line breaks."""
    return re.sub(r"\s+", "", subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, text=True).stdout)
