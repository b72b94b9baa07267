"""The bureau's view of the year after the targets: on the overview and a unit's year, each approved
sheet's monitoring (its lights, filed or not, 逾期) and self-evaluation (总分, 等级, filed or not);
who has not filed; the grade and lights charts; and the 汇总表's monitoring and self-evaluation
worksheets."""
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from goalsapp.domain import evaluation, monitoring, workflow, yearview
from goalsapp.domain.models import Evaluation, GoalSheet, Monitoring, MonitoringRound, Role, Status, Unit, User
from goalsapp.extensions import db

from .conftest import add_user, login
from .test_overview import BLOCKING, YEAR, add_sheet, unit_row

D = Decimal
CHAMBER, SCHOOLS, HEALTH = "会同县工商联", "某县教育局", "某县卫健局"
# Each sheet has test_workflow's two rows: 培训人次 100人次 (产出, 56.3 points) and 能力提升 ≥90% (效益, 33.7).
FULL, GOOD, FAIR = ("100人次", "90%"), ("80人次", "90%"), ("50人次", "90%")  # 100 优, 88.74 良, 71.85 中
# By the end of June: on pace and sure (green); 有可能 (yellow); 完全不可能 (red, with a cause and a measure).
GREEN = {"current": "50人次", "expected": "100人次", "possibility": "确定能"}
GREEN_RATE = {"current": "50%", "expected": "92%", "possibility": "确定能"}
YELLOW = {"current": "40%", "expected": "90%", "possibility": "有可能", "cause": "人员保障", "remedy": "增派人员"}
RED = {"current": "10人次", "expected": "30人次", "possibility": "完全不可能", "cause": "经费保障", "remedy": "调整预算"}
ON_PACE = {"initial_budget": D(10), "annual_budget": D(10), "spent": D(5), "expected_spending": D(10)}  # 50% by June: green
BEHIND = {**ON_PACE, "spent": D(1)}  # 10% by June: red


def clerk(app) -> User:
    """An administrator, who may fill in any unit's documents (a clerk may only their own)."""
    return db.session.scalars(select(User).where(User.username == "county")).one()


def approved(app, unit: str, project: str, budget: str = "10") -> int:
    return add_sheet(app, unit, project, status=Status.APPROVED, budget=budget)


def open_round(app, month: int = 6, deadline: date = date(YEAR, 7, 15)) -> int:
    with app.app_context():
        opened = monitoring.open_round(clerk(app), YEAR, month, deadline)
        db.session.commit()
        return opened.id


def monitor(app, sheet_id: int, round_id: int, rows: tuple[dict, ...], money: dict, *, submit: bool = False) -> int:
    """The sheet's monitoring in the round, filled in as a clerk saves it (recorded), submitted if asked."""
    with app.app_context():
        who = clerk(app)
        found = monitoring.start(db.session.get(GoalSheet, sheet_id), db.session.get(MonitoringRound, round_id), who)
        db.session.flush()
        typed = {row.id: values for row, values in zip(found.rows, rows)}
        monitoring.update(found, who, lambda: monitoring.fill(found, monitoring.MoneyBlock(**money), typed))
        if submit:
            workflow.submit(found, who, monitoring.review(found))
        db.session.commit()
        return found.id


def evaluate(app, sheet_id: int, actuals: tuple[str, ...], spent: str = "10", *, submit: bool = False) -> int:
    """The sheet's self-evaluation, filled in as a clerk saves it (recorded), submitted if asked."""
    with app.app_context():
        who = clerk(app)
        found = evaluation.start(db.session.get(GoalSheet, sheet_id), who)
        db.session.flush()
        typed = evaluation.draft_of(found)
        typed = replace(typed, spent=D(spent), achieved="完成", conclusion="良好", execution_reason="已说明",
                        rows=tuple(replace(row, actual=actual, reason="已说明") for row, actual in zip(typed.rows, actuals)))
        evaluation.save_all(found, typed, who)
        if submit:
            workflow.submit(found, who, evaluation.review(found))
        db.session.commit()
        return found.id


def unit_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalars(select(Unit.id).where(Unit.name == name)).one()


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


@pytest.fixture
def county(app):
    """The year after its end: 会同县工商联 with two approved sheets, both monitored and evaluated
    (one submitted each), and a draft; 某县教育局 with one approved sheet, its monitoring begun,
    no self-evaluation; 某县卫健局 with nothing approved. The round (to June) is long past its deadline."""
    add_user(app, "county", Role.ADMIN)
    chamber = [approved(app, CHAMBER, "基层商会专项经费"), approved(app, CHAMBER, "非公党建项目")]
    add_sheet(app, CHAMBER, "光彩事业项目")  # a draft: nothing to monitor or evaluate
    school = approved(app, SCHOOLS, "教师培训")
    add_sheet(app, HEALTH, "乡村卫生室", status=Status.SUBMITTED)
    round_id = open_round(app)
    monitor(app, chamber[0], round_id, (GREEN, GREEN_RATE), ON_PACE, submit=True)
    monitor(app, chamber[1], round_id, (RED, YELLOW), BEHIND, submit=True)
    monitor(app, school, round_id, (GREEN, GREEN_RATE), ON_PACE)  # a draft, past the deadline
    evaluate(app, chamber[0], FULL, submit=True)
    evaluate(app, chamber[1], FAIR)
    return app


# --- per unit, on the overview ---------------------------------------------------------------


def test_each_unit_shows_its_monitoring_and_its_self_evaluation(county, reviewer):
    page = text(reviewer.get(f"/overview?year={YEAR}"))
    heads = re.findall(r"<th>([^<]+)</th>", page.split('class="list overview-units"')[1].split("</thead>")[0])
    assert heads == ["填报单位", "运行监控", "年度自评"]
    chamber = unit_row(page, CHAMBER)
    assert chamber[BLOCKING + 1:] == ["已报送 2/2指标 ●绿2 ▲黄1 ■红1资金 ●绿1 ▲黄0 ■红1", "已报送 1/2优1 中1"]
    assert "已报送 2/2<br>指标 ●绿2 ▲黄1 ■红1<br>资金 ●绿1 ▲黄0 ■红1" in page  # a line each
    school = unit_row(page, SCHOOLS)
    assert school[BLOCKING + 1:] == ["已报送 0/1，逾期 1指标 ●绿2 ▲黄0 ■红0资金 ●绿1 ▲黄0 ■红0", "已报送 0/1"]
    assert unit_row(page, HEALTH)[BLOCKING + 1:] == ["—", "—"]  # nothing approved: nothing owed


def test_a_unit_with_two_evaluated_sheets_shows_their_grades(county, reviewer):
    page = text(reviewer.get(f"/overview/units/{unit_id(county, CHAMBER)}?year={YEAR}"))
    assert f"<h1>{YEAR}年 · {CHAMBER}</h1>" in page
    rows = {cells[0]: cells for cells in sheet_rows(page)}
    # 项目, 目标表, 预算, then the monitoring's status, 执行率, 资金, lights, then the self-evaluation's status, 总分, 等级
    assert rows["基层商会专项经费"][-3:] == ["已提交", "100", "优"]
    assert rows["非公党建项目"][-3:] == ["草稿", "71.85", "中"]
    assert rows["光彩事业项目"][1:] == ["草稿", "10", "目标表审核通过后填报"]
    # the grades are the self-evaluation's own, as its page shows them
    with county.app_context():
        found = db.session.scalars(select(Evaluation).join(GoalSheet).where(GoalSheet.project_name == "非公党建项目")).one()
        numbers = evaluation.result(found).numbers
        assert (numbers.total, numbers.grade) == (D("71.85"), "中")
    # each opens its document
    links = re.findall(r'href="(/evaluations/\d+)"', page)
    assert len(links) == 2 and "非公党建项目" in text(reviewer.get(links[1]))


def test_a_self_evaluation_half_filled_in_has_no_grade_yet(county, reviewer):
    """Its 总分 counts every row not yet scored as 0: a grade from it would be a 差 that means nothing."""
    with county.app_context():
        evaluation.start(db.session.get(GoalSheet, db_id(county, "教师培训")), clerk(county))
        db.session.commit()
    school = text(reviewer.get(f"/overview/units/{unit_id(county, SCHOOLS)}?year={YEAR}"))
    assert sheet_rows(school)[0][-3:] == ["草稿", "", "未填完"]
    page = text(reviewer.get(f"/overview?year={YEAR}"))
    assert unit_row(page, SCHOOLS)[-1] == "已报送 0/1"
    assert bar_totals(svg(page, "grade-chart")) == {"优": "1", "良": "0", "中": "1", "差": "0"}
    rows = table(workbook(reviewer)["年度自评"])
    assert [(row["项目支出名称"], row["总分"], row["等级"]) for row in rows][2] == ("教师培训", None, "未填完")


def test_a_red_row_counts(county, reviewer):
    page = text(reviewer.get(f"/overview/units/{unit_id(county, CHAMBER)}?year={YEAR}"))
    rows = {cells[0]: cells for cells in sheet_rows(page)}
    # status, 执行率, 资金, the rows' lights
    assert rows["非公党建项目"][3:7] == ["已提交", "10%", "■红灯", "●绿灯 0▲黄灯 1■红灯 1"]
    assert rows["基层商会专项经费"][3:7] == ["已提交", "50%", "●绿灯", "●绿灯 2▲黄灯 0■红灯 0"]
    overview = text(reviewer.get(f"/overview?year={YEAR}"))
    assert "指标 ●绿4 ▲黄1 ■红1，资金 ●绿2 ▲黄0 ■红1" in overview  # the county's, over every unit
    with county.app_context():
        chamber = yearview.year_documents(YEAR, date.today()).unit(unit_id(county, CHAMBER))
    assert (chamber.row_lights[yearview.Light.RED], chamber.money_lights[yearview.Light.RED]) == (1, 1)


def test_who_has_not_filed_is_named_and_who_is_late(county, reviewer):
    page = text(reviewer.get(f"/overview?year={YEAR}"))
    assert "运行监控（截至6月，截止日期 2025-07-15）：" in page
    assert re.search(r"尚未报送运行监控的单位（1 个）</strong>：<a href=\"[^\"]+\">某县教育局</a>（1 张，逾期）</p>", page)
    # the self-evaluation: a unit that has not begun one, and a unit whose second is still a draft
    unfiled = re.search(r"尚未报送年度自评的单位（2 个）</strong>：(.*?)</p>", page).group(1)
    assert re.sub(r"<[^>]+>", "", unfiled) == "会同县工商联（1 张）、某县教育局（1 张）"
    assert "逾期未报 <strong class=\"blocking-total\">1</strong> 张" in page
    school = text(reviewer.get(f"/overview/units/{unit_id(county, SCHOOLS)}?year={YEAR}"))
    assert sheet_rows(school)[0][3] == "草稿 逾期" and sheet_rows(school)[0][-3:] == ["未填报", "", ""]


def test_once_everything_is_filed_nobody_is_listed(county, reviewer):
    with county.app_context():
        who = clerk(county)
        for found in db.session.scalars(select(Evaluation)).all() + db.session.scalars(select(Monitoring)).all():
            if found.status == Status.DRAFT:
                report = monitoring.review(found) if isinstance(found, Monitoring) else evaluation.review(found)
                workflow.submit(found, who, report)
        db.session.commit()
    evaluate(county, db_id(county, "教师培训"), GOOD, submit=True)
    page = text(reviewer.get(f"/overview?year={YEAR}"))
    assert "各单位的运行监控都已报送。" in page and "各单位的年度自评都已报送。" in page
    assert "尚未报送" not in page and "逾期" not in page
    assert unit_row(page, SCHOOLS)[-1] == "已报送 1/1良1"


def test_the_units_owing_a_document_not_yet_asked_for_or_all_filed_are_no_empty_table(app, reviewer):
    """A year still running owes no self-evaluation, nor a monitoring before a round opens: asked
    for the units owing one (an address kept), the table lists every unit as usual, not none under
    a heading saying they owe it. A year every unit has filed says so."""
    this_year = date.today().year
    add_user(app, "county", Role.ADMIN)
    add_sheet(app, SCHOOLS, "教师培训", year=this_year, status=Status.APPROVED)
    add_sheet(app, HEALTH, "乡村卫生室", year=this_year)
    for missing in ("evaluation", "monitoring"):
        page = text(reviewer.get(f"/overview?year={this_year}&missing={missing}"))
        assert "<h2>各单位</h2>" in page and "尚未报送" not in page
        assert re.findall(r"<tr>\s*<td><a href=\"[^\"]*\">(\S+)</a></td>", page) == [HEALTH, SCHOOLS]
        assert "<tfoot>" in page  # the county's 合计, as under every unit
    evaluate(app, approved(app, SCHOOLS, "教师培训"), FULL, submit=True)  # the year is over
    page = text(reviewer.get(f"/overview?year={YEAR}&missing=evaluation"))
    assert "<h2>尚未报送年度自评的单位" in page and "各单位的年度自评都已报送。" in page and "overview-units" not in page


def test_before_a_round_and_before_the_year_ends_there_is_nothing_to_file(app, reviewer):
    """The monitoring shows once the bureau opens a round; the self-evaluation once the year is over
    (or a unit has begun one)."""
    this_year = date.today().year
    add_user(app, "county", Role.ADMIN)
    sheet_id = add_sheet(app, SCHOOLS, "教师培训", year=this_year, status=Status.APPROVED)
    page = text(reviewer.get(f"/overview?year={this_year}"))
    assert "<th>运行监控</th>" not in page and "<th>年度自评</th>" not in page and "尚未报送" not in page
    assert len(re.findall(r"<svg", page)) == 2  # the target's two charts only
    add_sheet(app, HEALTH, "乡村卫生室", year=this_year, status=Status.APPROVED)
    evaluate(app, sheet_id, FULL)  # begun early
    page = text(reviewer.get(f"/overview?year={this_year}"))
    assert "<th>年度自评</th>" in page and unit_row(page, SCHOOLS)[-1] == "已报送 0/1优1"
    assert unit_row(page, HEALTH)[-1] == "已报送 0/1"
    assert len(re.findall(r"<svg", page)) == 3  # the grades' chart, with a grade to show
    # a unit's year shows the self-evaluation's columns for each sheet, begun or not
    health = text(reviewer.get(f"/overview/units/{unit_id(app, HEALTH)}?year={this_year}"))
    assert "年度自评</th>" in health and sheet_rows(health) == [["乡村卫生室", "已通过", "10", "未填报", "", ""]]
    with app.app_context():
        monitoring.open_round(clerk(app), this_year, 1, date(this_year, 2, 15))
        db.session.commit()
    page = text(reviewer.get(f"/overview?year={this_year}"))
    assert "<th>运行监控</th>" in page and unit_row(page, SCHOOLS)[BLOCKING + 1].startswith("已报送 0/1")  # 逾期 after 15 February
    assert "lights-chart" not in page  # no monitoring begun: no light to chart


def test_a_change_to_a_document_is_seen_at_once(county, reviewer):
    """What a sheet's documents come to is remembered; every saved change shows on the next view."""
    assert "已报送 1/2优1 中1" in unit_row(text(reviewer.get(f"/overview?year={YEAR}")), CHAMBER)
    with county.app_context():
        who = clerk(county)
        found = db.session.scalars(select(Evaluation).join(GoalSheet).where(GoalSheet.project_name == "非公党建项目")).one()
        typed = evaluation.draft_of(found)
        row = typed.rows[0]
        evaluation.save_row(found, found.rows[0], replace(row, actual="80人次"), who)  # one row: 88.74, 良
        db.session.commit()
    assert "已报送 1/2优1 良1" in unit_row(text(reviewer.get(f"/overview?year={YEAR}")), CHAMBER)
    with county.app_context():
        found = db.session.scalars(select(Monitoring).join(GoalSheet).where(GoalSheet.project_name == "非公党建项目")).one()
        workflow.send_back(found, db.session.scalars(select(User).where(User.username == "reviewer")).one(), "请核实")
        monitoring.update(found, clerk(county), lambda: monitoring.fill(
            found, monitoring.MoneyBlock(**ON_PACE), {found.rows[0].id: GREEN, found.rows[1].id: GREEN_RATE}))
        db.session.commit()
    cell = unit_row(text(reviewer.get(f"/overview?year={YEAR}")), CHAMBER)[BLOCKING + 1]
    assert cell == "已报送 1/2，逾期 1指标 ●绿4 ▲黄0 ■红0资金 ●绿2 ▲黄0 ■红0"  # sent back, the deadline long past


def test_a_renamed_unit_is_named_as_it_is_now(county, reviewer):
    assert "某县教育局</a>（1 张，逾期）" in text(reviewer.get(f"/overview?year={YEAR}"))
    with county.app_context():
        db.session.get(Unit, unit_id(county, SCHOOLS)).name = "某县教育和体育局"
        db.session.commit()
    page = text(reviewer.get(f"/overview?year={YEAR}"))
    assert "某县教育和体育局</a>（1 张，逾期）" in page and "某县教育局" not in page


def db_id(app, project: str) -> int:
    with app.app_context():
        return db.session.scalars(select(GoalSheet.id).where(GoalSheet.project_name == project)).one()


def sheet_rows(page: str) -> list[list[str]]:
    """The unit page's table, each row's cells as text (a light's shape and word kept together)."""
    body = page.split('class="list unit-year"')[1].split("<tbody>")[1].split("</tbody>")[0]
    return [[re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


# --- the charts ------------------------------------------------------------------------------


def svg(page: str, chart_id: str) -> str:
    return re.search(rf'<svg[^>]*aria-labelledby="{chart_id}-title {chart_id}-desc".*?</svg>', page, re.S).group(0)


def bar_totals(chart: str) -> dict[str, str]:
    """Each bar's name and the total written after it."""
    return dict(re.findall(r'<g class="bar">\s*<title>([^<：]+)：(\d+)</title>', chart))


def test_the_grade_chart_has_a_bar_for_each_grade_as_long_as_its_count(county, reviewer):
    evaluate(county, db_id(county, "教师培训"), GOOD, submit=True)
    chart = svg(text(reviewer.get(f"/overview?year={YEAR}")), "grade-chart")
    assert 'role="img"' in chart and f'<title id="grade-chart-title">{YEAR}年自评等级分布</title>' in chart
    assert bar_totals(chart) == {"优": "1", "良": "1", "中": "1", "差": "0"}  # in the grades' order, none left out
    assert re.findall(r'<text class="bar-label"[^>]*>([^<]+)</text>', chart) == ["优", "良", "中", "差"]
    # each bar by the self-evaluations' status, told apart by pattern as well as colour, and read out
    assert len(set(re.findall(r'<pattern id="([^"]+)"', chart))) == 4
    assert "优：1（已通过0，已提交1，已退回0，草稿0）" not in chart  # a zero takes no room and is not read out
    assert "中：1（草稿1）" in chart and "良：1（已提交1）" in chart and "差：0" in chart
    widths = {name: float(width) for name, width in re.findall(r'<title>([优良中差])：\d+</title>.*?width="([\d.]+)"', chart, re.S)}
    assert widths["优"] == widths["良"] == widths["中"]  # one sheet each, as long as each other


def test_the_lights_chart_counts_each_units_rows_red_first(county, reviewer):
    page = text(reviewer.get(f"/overview?year={YEAR}"))
    chart = svg(page, "lights-chart")
    assert f"{YEAR}年运行监控（截至6月）各单位指标的灯" in chart and "指标行数" in chart
    assert bar_totals(chart) == {CHAMBER: "4", SCHOOLS: "2"}
    assert f"{CHAMBER}：4（■红灯1，▲黄灯1，●绿灯2）" in chart and f"{SCHOOLS}：2（●绿灯2）" in chart
    assert list(bar_totals(chart)) == [CHAMBER, SCHOOLS]  # the unit with red first
    for name in ("■红灯", "▲黄灯", "●绿灯"):
        assert f">{name}</text>" in chart  # the legend


# --- access ------------------------------------------------------------------------------------


def test_clerks_cannot_see_the_overview_nor_a_units_year(county, filler):
    school = unit_id(county, SCHOOLS)
    for url in (f"/overview?year={YEAR}", f"/overview/units/{school}?year={YEAR}"):
        refused = filler.get(url)
        assert refused.status_code == 403 and SCHOOLS not in refused.get_data(as_text=True)


def test_a_unit_that_is_not_there_is_not_found(county, reviewer):
    assert reviewer.get("/overview/units/999").status_code == 404


# --- the 汇总表 --------------------------------------------------------------------------------


def workbook(client, year: int = YEAR):
    response = client.get(f"/overview/summary.xlsx?year={year}")
    assert response.status_code == 200
    data = response.get_data()
    response.close()  # as a server does once it has sent it: the file it was sent from goes
    return load_workbook(BytesIO(data))


def table(ws) -> list[dict]:
    rows = [list(row) for row in ws.iter_rows(values_only=True)]
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def test_the_workbook_has_a_row_for_each_sheet_in_the_round_with_its_money_and_lights(county, reviewer):
    book = workbook(reviewer)
    assert book.sheetnames == ["项目汇总", "指标明细", "运行监控", "监控指标明细", "年度自评", "自评指标明细"]
    rows = table(book["运行监控"])
    assert [(row["填报单位"], row["项目支出名称"], row["状态"], row["逾期"]) for row in rows] == [
        (CHAMBER, "基层商会专项经费", "已提交", None), (CHAMBER, "非公党建项目", "已提交", None),
        (SCHOOLS, "教师培训", "草稿", "逾期"), ("合计", "3张表", "已报送2张", "逾期1张")]
    red = rows[1]
    assert (red["监控期间"], red["全年预算数（万元）"], red["执行数（万元）"], red["执行率"], red["资金"]) == ("1-6月", 10, 1, 0.1, "■红灯")
    assert (red["绿灯（行）"], red["黄灯（行）"], red["红灯（行）"], red["指标数"]) == (0, 1, 1, 2)
    total = rows[-1]
    assert (total["全年预算数（万元）"], total["执行数（万元）"], total["执行率"]) == (30, 11, pytest.approx(11 / 30, abs=0.00005))
    assert (total["绿灯（行）"], total["黄灯（行）"], total["红灯（行）"], total["指标数"]) == (4, 1, 1, 6)
    assert total["资金"] == "●绿2 ▲黄0 ■红1"
    assert book["运行监控"]["J2"].number_format == "0.00%"
    indicators = table(book["监控指标明细"])
    assert [(row["项目支出名称"], row["三级指标"], row["年度指标值"], row["完成目标可能性"], row["灯"]) for row in indicators] == [
        ("基层商会专项经费", "培训人次", "100人次", "确定能", "●绿灯"), ("基层商会专项经费", "能力提升", "≥90%", "确定能", "●绿灯"),
        ("非公党建项目", "培训人次", "100人次", "完全不可能", "■红灯"), ("非公党建项目", "能力提升", "≥90%", "有可能", "▲黄灯"),
        ("教师培训", "培训人次", "100人次", "确定能", "●绿灯"), ("教师培训", "能力提升", "≥90%", "确定能", "●绿灯")]
    assert indicators[2]["偏差原因"] == "经费保障" and indicators[2]["整改措施"] == "调整预算"


def test_a_round_before_the_latest_has_rows_of_its_own(county, reviewer):
    later = open_round(county, month=9, deadline=date(YEAR, 10, 15))
    monitor(county, db_id(county, "教师培训"), later, (GREEN, GREEN_RATE), {**ON_PACE, "spent": D(8)}, submit=True)
    rows = table(workbook(reviewer)["运行监控"])
    assert [(row["监控期间"], row["项目支出名称"], row["状态"]) for row in rows] == [
        ("1-6月", "基层商会专项经费", "已提交"), ("1-6月", "非公党建项目", "已提交"), ("1-6月", "教师培训", "草稿"), ("1-6月", "3张表", "已报送2张"),
        ("1-9月", "基层商会专项经费", "未填报"), ("1-9月", "非公党建项目", "未填报"), ("1-9月", "教师培训", "已提交"), ("1-9月", "3张表", "已报送1张")]
    # the overview follows the latest round
    page = text(reviewer.get(f"/overview?year={YEAR}"))
    assert "运行监控（截至9月，截止日期 2025-10-15）" in page
    assert unit_row(page, CHAMBER)[BLOCKING + 1] == "已报送 0/2，逾期 2"


def test_the_rate_of_the_whole_round_counts_only_what_has_its_spending_typed(county, reviewer):
    """A monitoring begun carries its sheet's budget but nothing spent yet: counted as spending
    nothing, it made the round's 执行率 look behind (8 of 20 where 8 of 10 is so)."""
    later = open_round(county, month=9, deadline=date(YEAR, 10, 15))
    monitor(county, db_id(county, "教师培训"), later, (GREEN, GREEN_RATE), {**ON_PACE, "spent": D(8)}, submit=True)
    with county.app_context():
        monitoring.start(db.session.get(GoalSheet, db_id(county, "基层商会专项经费")), db.session.get(MonitoringRound, later), clerk(county))
        db.session.commit()
    total = table(workbook(reviewer)["运行监控"])[-1]
    assert (total["监控期间"], total["全年预算数（万元）"], total["执行数（万元）"]) == ("1-9月", 20, 8)
    assert total["执行率"] == pytest.approx(0.8, abs=0.00005)


def test_the_workbook_has_a_row_for_each_sheets_self_evaluation_with_its_score(county, reviewer):
    book = workbook(reviewer)
    rows = table(book["年度自评"])
    assert [(row["项目支出名称"], row["状态"], row["总分"], row["等级"]) for row in rows] == [
        ("基层商会专项经费", "已提交", 100, "优"), ("非公党建项目", "草稿", 71.85, "中"), ("教师培训", "未填报", None, None),
        ("3张表", "已报送1张", None, "优1 良0 中1 差0")]
    first = rows[0]
    assert (first["全年预算数（万元）"], first["全年执行数（万元）"], first["执行率"], first["预算执行得分"]) == (10, 10, 1, 10)
    total = rows[-1]
    assert (total["填报单位"], total["全年预算数（万元）"], total["全年执行数（万元）"], total["执行率"]) == ("合计", 20, 20, 1)
    indicators = table(book["自评指标明细"])
    assert [(row["项目支出名称"], row["三级指标"], row["年度指标值"], row["实际完成值"], row["分值"], row["得分"]) for row in indicators] == [
        ("基层商会专项经费", "培训人次", "100人次", "100人次", 56.3, 56.3), ("基层商会专项经费", "能力提升", "≥90%", "90%", 33.7, 33.7),
        ("非公党建项目", "培训人次", "100人次", "50人次", 56.3, 28.15), ("非公党建项目", "能力提升", "≥90%", "90%", 33.7, 33.7)]
    assert book["自评指标明细"]["I2"].number_format == "0.00"


def test_a_filler_gets_their_own_units_monitoring_and_self_evaluation(county):
    own = login(county, "chamber-clerk", Role.FILLER, CHAMBER)
    book = workbook(own)
    assert {row["填报单位"] for row in table(book["运行监控"])} == {CHAMBER, "合计"}
    assert {row["填报单位"] for row in table(book["年度自评"])} == {CHAMBER, "合计"}
    assert {row["填报单位"] for row in table(book["自评指标明细"])} == {CHAMBER}


def test_a_year_without_rounds_or_self_evaluations_gives_the_headings_only(app, reviewer):
    this_year = date.today().year
    add_sheet(app, SCHOOLS, "教师培训", year=this_year, status=Status.APPROVED)
    book = workbook(reviewer, this_year)
    for title in ("运行监控", "监控指标明细", "年度自评", "自评指标明细"):
        assert len(list(book[title].iter_rows())) == 1, title
