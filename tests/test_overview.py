"""The bureau's overview of a year: each unit's sheets by status, its projects' budget, its open 强制
findings, the units that filed nothing, the budget by 预算部门, the drill-down into the list; and
the list's unit-year total, which (like the overview) adds up projects only."""
import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import event

from goalsapp import create_app
from goalsapp.domain import evaluation, monitoring, overview
from goalsapp.domain.models import GoalSheet, Indicator, Role, Status, Unit, User
from goalsapp.domain.review import review
from goalsapp.extensions import db
from goalsapp.web.overview import routes

from .conftest import add_user, login
from .test_workflow import ROWS

YEAR = 2025
DEPARTMENT = "fujian-2019-department"  # the whole-department form: 资金总额, not a project's budget


def add_sheet(app, unit: str, project: str, *, year: int = YEAR, status: Status = Status.DRAFT, budget: str = "10",
              higher: str | None = None, dept: str = "行政政法", template: str = "hunan-2021", rows=ROWS) -> int:
    """A sheet stored as it would be filed; with ROWS it has no 强制 finding, with no rows two
    (产出 and 效益 each want an indicator)."""
    with app.app_context():
        sheet = GoalSheet(unit=unit, year=year, project_name=project, template=template, budget_dept=dept, local_budget=Decimal(budget),
                          higher_funds=Decimal(higher) if higher else None, period_start=date(year, 1, 1), period_end=date(year, 12, 1),
                          period_goal="实施期目标", annual_goal="年度目标", status=status)
        sheet.indicators = [Indicator(position=number, **row) for number, row in enumerate(rows, start=1)]
        db.session.add(sheet)
        db.session.commit()
        return sheet.id


def add_unit(app, name: str) -> None:
    with app.app_context():
        db.session.add(Unit(name=name))
        db.session.commit()


BLOCKING = 7  # the cell of 待改强制问题 in a unit's row: after 表数, the four statuses and the two budgets


def unit_row(page: str, unit: str) -> list[str]:
    """The cells of a unit's row in the overview's table, as text."""
    row = re.search(rf"<tr>\s*<td><a href=\"[^\"]*\">{unit}</a></td>(.*?)</tr>", page, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


@pytest.fixture
def county(app):
    """Two units filing for 2025, one with a whole-department sheet; one unit filing only in 2024;
    one unit made by the administrator that never filed."""
    add_sheet(app, "会同县工商联", "基层商会专项经费", status=Status.APPROVED, budget="14", higher="2.4")
    add_sheet(app, "会同县工商联", "非公党建项目", status=Status.SUBMITTED, budget="4")
    add_sheet(app, "会同县工商联", "光彩事业项目", status=Status.DRAFT, budget="2.4", rows=())  # 2 强制
    add_sheet(app, "会同县工商联", "部门整体支出", status=Status.SUBMITTED, budget="100", template=DEPARTMENT, dept="")
    add_sheet(app, "某县教育局", "学校食堂改造", status=Status.RETURNED, budget="30", dept="教育", rows=())  # 2 强制
    add_sheet(app, "某县教育局", "教师培训", status=Status.SUBMITTED, budget="5.5", dept="教育")
    add_sheet(app, "某县卫健局", "乡村卫生室", year=YEAR - 1, budget="8", dept="卫生健康")
    add_unit(app, "某县文旅局")
    return app


def test_the_statuses_are_the_domains(app):
    """The overview's columns and bars are every status there is, each once."""
    assert sorted(overview.PROGRESS) == sorted(Status)


def test_each_unit_counts_its_sheets_by_status(county, reviewer):
    page = reviewer.get(f"/overview?year={YEAR}").get_data(as_text=True)
    assert page.startswith("<!doctype html>")
    assert f"{YEAR}年全县概览" in page
    heads = re.findall(r"<th class=\"num\">([^<]+)</th>", page.split("<thead>")[1].split("</thead>")[0])
    assert heads[:5] == ["表数", "已通过", "已提交", "已退回", "草稿"]
    # sheets, then 已通过 已提交 已退回 草稿, then 本级, 上级, open 强制; the year is over, so then
    # its self-evaluations, due from each approved sheet (a unit with none approved owes none)
    assert unit_row(page, "会同县工商联") == ["4", "1", "2", "0", "1", "20.4", "2.4", "强制 2", "已报送 0/1"]
    assert unit_row(page, "某县教育局") == ["2", "0", "1", "1", "0", "35.5", "0", "强制 2", "—"]
    with county.app_context():
        seen = overview.year_overview(YEAR)
    assert [line.unit for line in seen.units] == sorted(["会同县工商联", "某县教育局"])
    assert seen.total.by_status == {Status.APPROVED: 1, Status.SUBMITTED: 3, Status.RETURNED: 1, Status.DRAFT: 1}
    assert (seen.total.sheets, seen.total.local_budget, seen.total.blocking) == (6, Decimal("55.9"), 4)


def test_budget_totals_leave_out_the_whole_department_sheet(county, reviewer):
    """A whole-department sheet's 资金总额 already holds its projects: it is not one more project's
    budget, in the overview, its totals by 预算部门, or the list's unit-year total."""
    with county.app_context():
        seen = overview.year_overview(YEAR)
        department = db.session.scalars(db.select(GoalSheet).where(GoalSheet.template == DEPARTMENT)).one()
        assert not department.is_project
    line = next(line for line in seen.units if line.unit == "会同县工商联")
    assert line.local_budget == Decimal("20.4") and line.sheets == 4  # 14 + 4 + 2.4; the 100 is left out, the sheet still counted
    assert {total.dept: total.local_budget for total in seen.by_dept} == {"行政政法": Decimal("20.4"), "教育": Decimal("35.5")}
    listed = reviewer.get(f"/?year={YEAR}&unit=会同县工商联").get_data(as_text=True)
    assert "4 张表，年度本级预算合计 <strong>20.4</strong> 万元，上级资金合计 <strong>2.4</strong> 万元（部门整体支出表的资金总额已含各项目，不计入）" in listed
    other = reviewer.get(f"/?year={YEAR}&unit=某县教育局").get_data(as_text=True)
    assert "2 张表，年度本级预算合计 <strong>35.5</strong> 万元</p>" in other  # no department sheet, nothing to say


def test_units_that_have_not_filed_are_named(county, reviewer):
    page = reviewer.get(f"/overview?year={YEAR}").get_data(as_text=True)
    assert "尚未填报的单位（2 个）</strong>：某县卫健局、某县文旅局" in page
    with county.app_context():
        assert overview.year_overview(YEAR - 1).unfiled == ["会同县工商联", "某县教育局", "某县文旅局"]


def test_the_budget_adds_up_by_budget_department(county, reviewer):
    page = reviewer.get(f"/overview?year={YEAR}").get_data(as_text=True)
    depts = page.split("按预算部门汇总")[1]
    assert re.search(r"<td>教育</td><td class=\"num\">2</td><td class=\"num\">35.5</td>", depts)
    assert re.search(r"<td>行政政法</td><td class=\"num\">3</td><td class=\"num\">20.4</td>", depts)
    assert depts.index(">教育<") < depts.index(">行政政法<")  # the largest first


def test_open_findings_follow_the_sheets_changes(county, client):
    """The 强制 count is remembered per sheet version: a row that fixes a sheet is seen at once."""
    with county.app_context():
        returned = db.session.scalars(db.select(GoalSheet).where(GoalSheet.project_name == "学校食堂改造")).one().id
    assert unit_row(client.get(f"/overview?year={YEAR}").get_data(as_text=True), "某县教育局")[BLOCKING] == "强制 2"
    assert client.post(f"/sheets/{returned}/indicators", data=ROWS[0]).status_code == 200
    assert unit_row(client.get(f"/overview?year={YEAR}").get_data(as_text=True), "某县教育局")[BLOCKING] == "强制 1"
    assert client.post(f"/sheets/{returned}/indicators", data=ROWS[1]).status_code == 200
    assert unit_row(client.get(f"/overview?year={YEAR}").get_data(as_text=True), "某县教育局")[BLOCKING] == "0"
    with county.app_context():
        draft = db.session.scalars(db.select(GoalSheet).where(GoalSheet.project_name == "光彩事业项目")).one().id
    assert unit_row(client.get(f"/overview?year={YEAR}").get_data(as_text=True), "会同县工商联")[BLOCKING] == "强制 2"
    assert client.post(f"/sheets/{draft}/delete").status_code == 303
    assert unit_row(client.get(f"/overview?year={YEAR}").get_data(as_text=True), "会同县工商联")[BLOCKING] == "0"


def test_a_change_to_one_sheet_reviews_that_sheet_again_not_its_units_others(county, client, monkeypatch):
    """A county's overview stays quick while clerks type: of the unit that changed, only the sheet
    that changed is reviewed again."""
    add_sheet(county, "某县教育局", "校舍维修", rows=())  # a second open sheet of the unit: 2 强制 more
    with county.app_context():
        returned = db.session.scalars(db.select(GoalSheet).where(GoalSheet.project_name == "学校食堂改造")).one().id
    assert unit_row(client.get(f"/overview?year={YEAR}").get_data(as_text=True), "某县教育局")[BLOCKING] == "强制 4"
    reviewed = []
    monkeypatch.setattr(overview, "review", lambda sheet: reviewed.append(sheet.project_name) or review(sheet))
    assert client.post(f"/sheets/{returned}/indicators", data=ROWS[0]).status_code == 200
    assert unit_row(client.get(f"/overview?year={YEAR}").get_data(as_text=True), "某县教育局")[BLOCKING] == "强制 3"
    assert reviewed == ["学校食堂改造"]


def test_a_change_made_through_another_server_is_counted(county, client):
    """Each server process remembers counts of its own; a row saved through another one is seen."""
    other = create_app({**county.config, "SQLALCHEMY_DATABASE_URI": county.config["SQLALCHEMY_DATABASE_URI"]})
    try:
        through_other = login(other, "admin2", Role.ADMIN)
        with county.app_context():
            returned = db.session.scalars(db.select(GoalSheet).where(GoalSheet.project_name == "学校食堂改造")).one().id
        assert unit_row(client.get(f"/overview?year={YEAR}").get_data(as_text=True), "某县教育局")[BLOCKING] == "强制 2"
        assert through_other.post(f"/sheets/{returned}/indicators", data=ROWS[0]).status_code == 200
        assert unit_row(client.get(f"/overview?year={YEAR}").get_data(as_text=True), "某县教育局")[BLOCKING] == "强制 1"
    finally:
        with other.app_context():
            db.engine.dispose()


def test_a_unit_drills_down_to_its_year_on_to_its_list_and_to_a_sheet(county, reviewer):
    page = reviewer.get(f"/overview?year={YEAR}").get_data(as_text=True)
    link = re.search(r'<td><a href="([^"]+)">某县教育局</a></td>', page).group(1).replace("&amp;", "&")
    unit_page = reviewer.get(link).get_data(as_text=True)
    assert f"<h1>{YEAR}年 · 某县教育局</h1>" in unit_page
    assert "学校食堂改造" in unit_page and "教师培训" in unit_page and "基层商会专项经费" not in unit_page
    sheet_link = re.search(r'<td><a href="(/sheets/\d+)">学校食堂改造</a>', unit_page).group(1)
    assert "学校食堂改造" in reviewer.get(sheet_link).get_data(as_text=True)
    # on to the list narrowed to the unit and year, and from there on to a sheet as well
    list_link = re.search(r'<a class="button" href="([^"]+)">在全部表中查看</a>', unit_page).group(1).replace("&amp;", "&")
    listed = reviewer.get(list_link).get_data(as_text=True)
    assert f"{YEAR}年 · 某县教育局" in listed and "只看单位：<strong>某县教育局</strong>" in listed
    assert "学校食堂改造" in listed and "教师培训" in listed
    assert "基层商会专项经费" not in listed  # another unit's
    assert re.search(r'<td><a href="(/sheets/\d+)">学校食堂改造</a>', listed)
    # the status links narrow it further, the unit kept
    narrowed = reviewer.get(list_link + "&status=已退回").get_data(as_text=True)
    assert "学校食堂改造" in narrowed and "教师培训" not in narrowed
    assert 'href="/?year=2025&amp;status=%E5%B7%B2%E6%8F%90%E4%BA%A4&amp;unit=' in narrowed  # 已提交, still this unit


def test_a_unit_filter_is_the_unit_not_a_name_inside_another(app, reviewer):
    add_sheet(app, "教育局", "校舍维修")
    add_sheet(app, "某县教育局", "学校食堂改造")
    listed = reviewer.get(f"/?unit=教育局&year={YEAR}").get_data(as_text=True)
    assert "校舍维修" in listed and "学校食堂改造" not in listed


def test_the_bureau_finds_the_overview_in_the_menu_and_a_filler_does_not(county, reviewer, filler):
    assert 'href="/overview">全县概览</a>' in reviewer.get("/").get_data(as_text=True)
    assert "全县概览" not in filler.get("/").get_data(as_text=True)
    for address in (f"/overview?year={YEAR}", f"/overview?year={YEAR}&missing=evaluation", f"/overview/sheets.zip?year={YEAR}"):
        refused = filler.get(address)
        assert refused.status_code == 403
        assert "某县教育局" not in refused.get_data(as_text=True)
        assert "只对财政部门（审核人、管理员）开放。本单位的表可在“全部表”中导出。" in refused.get_data(as_text=True)  # not about a sheet


def test_the_charts_are_pictures_with_titles_that_print_in_black_and_white(county, reviewer):
    page = reviewer.get(f"/overview?year={YEAR}").get_data(as_text=True)
    svgs = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(svgs) == 2  # the lights and the grades once there are some (test_yearview)
    for svg in svgs:
        assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
    status, budget = svgs
    assert f"{YEAR}年各单位绩效目标表的状态" in status and "表的张数" in status and "填报单位" in status
    assert f"{YEAR}年项目预算按预算部门" in budget and "年度本级预算（万元）" in budget and "预算部门" in budget
    # each status its own pattern, and the legend names them
    assert len(set(re.findall(r'<pattern id="([^"]+)"', status))) == 4
    for name in ("已通过", "已提交", "已退回", "草稿"):
        assert f">{name}</text>" in status
    # the reader who cannot see it hears the numbers
    assert "会同县工商联：4（已通过1，已提交2，草稿1）" in status
    assert "教育：35.5" in budget


def test_an_empty_year_says_so(app, reviewer):
    add_unit(app, "某县文旅局")
    page = reviewer.get("/overview?year=2030").get_data(as_text=True)
    assert "2030年还没有单位填报。" in page and "暂无数据" in page
    assert "尚未填报的单位（1 个）</strong>：某县文旅局" in page


def test_a_nonsense_year_falls_back_to_the_newest(county, reviewer):
    for year in ("abc", "99999", "-1"):
        page = reviewer.get(f"/overview?year={year}")
        assert page.status_code == 200
        assert f"{YEAR}年全县概览" in page.get_data(as_text=True)


def test_a_county_of_many_units_is_paged_and_its_totals_are_the_whole_countys(app, reviewer):
    """25 units a page, by name, with 合计 and the charts over every unit; 全部显示 puts them all on
    one page to print; a page past the end shows the last."""
    units = [f"单位{number:02d}" for number in range(overview.PER_PAGE + 3)]
    for number, unit in enumerate(units):
        add_sheet(app, unit, "项目甲", status=Status.APPROVED if number % 2 else Status.DRAFT, budget="10")
    first = reviewer.get(f"/overview?year={YEAR}").get_data(as_text=True)
    shown = lambda page: re.findall(r"<tr>\s*<td><a href=\"[^\"]*\">(单位\d+)</a></td>", page)  # noqa: E731
    assert shown(first) == units[:overview.PER_PAGE]
    assert f"第 1 / 2 页，共 {len(units)} 个单位" in first
    assert re.search(r"<tfoot>\s*<tr><th>合计</th><th class=\"num\">28</th>", first)  # every unit, not the page's
    assert "其余13个单位" in first  # the status chart: 15 bars, then the rest of the whole county
    second = reviewer.get(f"/overview?year={YEAR}&page=2").get_data(as_text=True)
    assert shown(second) == units[overview.PER_PAGE:] and "第 2 / 2 页" in second
    assert shown(reviewer.get(f"/overview?year={YEAR}&page=99").get_data(as_text=True)) == units[overview.PER_PAGE:]
    every = reviewer.get(f"/overview?year={YEAR}&all=1").get_data(as_text=True)
    assert shown(every) == units and "第 1 / " not in every and "分页显示" in every


def test_from_a_units_year_the_overview_opens_on_the_page_listing_the_unit(app, reviewer):
    units = [f"单位{number:02d}" for number in range(overview.PER_PAGE * 2 + 3)]
    for unit in reversed(units):  # filed in another order than the table's, by name
        add_sheet(app, unit, "项目甲")
    shown = lambda page: re.findall(r"<tr>\s*<td><a href=\"[^\"]*\">(单位\d+)</a></td>", page)  # noqa: E731
    for unit in (units[0], units[overview.PER_PAGE], units[-1]):
        with app.app_context():
            unit_id = db.session.scalars(db.select(Unit.id).where(Unit.name == unit)).one()
        year = reviewer.get(f"/overview/units/{unit_id}?year={YEAR}").get_data(as_text=True)
        back = re.search(r'<a class="button" href="([^"]+)">全县概览</a>', year).group(1).replace("&amp;", "&")
        assert back.endswith("#units")
        assert unit in shown(reviewer.get(back).get_data(as_text=True)), (unit, back)


def test_past_twenty_units_owing_a_self_evaluation_the_table_lists_them(app, reviewer):
    """The summary names the first twenty units that owe a 年度自评 (the year is over); its link lists
    every one of them in the units' table, without the whole county's 合计."""
    units = [f"单位{number:02d}" for number in range(routes.UNITS_NAMED + 6)]
    for number, unit in enumerate(units):
        add_sheet(app, unit, "项目甲", status=Status.APPROVED if number < routes.UNITS_NAMED + 2 else Status.DRAFT)
    page = reviewer.get(f"/overview?year={YEAR}").get_data(as_text=True)
    owing = re.search(r"尚未报送年度自评的单位（22 个）</strong>：(.*?)</p>", page, re.S).group(1)
    assert re.findall(r">(单位\d+)</a>", owing) == units[:routes.UNITS_NAMED]
    link = re.search(r'<a [^>]*href="([^"]+)">在下表中列出全部 22 个</a>', owing).group(1).replace("&amp;", "&")
    listed = reviewer.get(link).get_data(as_text=True)
    assert "<h2>尚未报送年度自评的单位" in listed and "<tfoot>" not in listed
    assert re.findall(r"<tr>\s*<td><a href=\"[^\"]*\">(单位\d+)</a></td>", listed) == units[:22]


def test_past_twenty_units_that_have_not_filed_the_rest_open_on_asking(app, reviewer):
    """A county early in its year: the summary names twenty units that have filed nothing; the rest
    are one click away, not a page of names."""
    add_sheet(app, "某县教育局", "教师培训")
    for number in range(routes.UNITS_NAMED + 5):
        add_unit(app, f"未填{number:02d}")
    page = reviewer.get(f"/overview?year={YEAR}").get_data(as_text=True)
    unfiled = re.search(r'<div class="unfiled"><strong>尚未填报的单位（25 个）</strong>：(.*?)</div>', page, re.S).group(1)
    named, rest = re.search(r"^(.*?)\s*<details class=\"more-units\"><summary>……其余 5 个</summary><span>、(.*?)</span></details>", unfiled, re.S).groups()
    assert named.split("、") == [f"未填{number:02d}" for number in range(20)]
    assert rest.split("、") == [f"未填{number:02d}" for number in range(20, 25)]


def statements_for_overview(app_factory, units: int) -> tuple[int, int]:
    """SQL statements for the overview of a county of so many units (cold, then with the findings,
    lights and scores remembered): each unit's approved sheet monitored and self-evaluated."""
    app = app_factory(WTF_CSRF_ENABLED=False)
    approved = []
    for number in range(units):
        unit = f"单位{number:02d}"
        approved.append(add_sheet(app, unit, "项目甲", status=Status.APPROVED))
        add_sheet(app, unit, "项目乙", rows=())
        if number % 3 == 0:
            add_sheet(app, unit, "部门整体支出", template=DEPARTMENT)
        add_unit(app, f"未填报{number:02d}")
    add_user(app, "county", Role.ADMIN)
    with app.app_context():
        county = db.session.scalars(db.select(User).where(User.username == "county")).one()
        opened = monitoring.open_round(county, YEAR, 6, date(YEAR, 7, 15))
        for sheet_id in approved:
            sheet = db.session.get(GoalSheet, sheet_id)
            monitoring.start(sheet, opened, county)
            evaluation.start(sheet, county)
        db.session.commit()
    client = login(app, "reviewer", Role.REVIEWER)
    counts = []
    with app.app_context():
        engine = db.engine
    for _ in range(2):
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        page = client.get(f"/overview?year={YEAR}").get_data(as_text=True)
        event.remove(engine, "before_cursor_execute", listener)
        assert f"尚未填报的单位（{units} 个）" in page
        # begun, nothing typed yet: no light lit, no grade
        assert unit_row(page, "单位01")[BLOCKING:] == [
            "强制 2", "已报送 0/1，逾期 1指标 ●绿0 ▲黄0 ■红0资金 ●绿0 ▲黄0 ■红0", "已报送 0/1"]
        counts.append(len(statements))
    return counts[0], counts[1]


def test_the_overview_runs_as_many_statements_for_30_units_as_for_3(app_factory):
    cold3, warm3 = statements_for_overview(app_factory, 3)
    cold30, warm30 = statements_for_overview(app_factory, 30)
    assert (cold30, warm30) == (cold3, warm3)
    assert warm3 < cold3  # remembered findings, lights and scores: the sheets and their documents are not loaded again
