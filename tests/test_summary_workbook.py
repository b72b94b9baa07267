"""The 汇总表: every sheet of a year as a row with the numbers a bureau adds up, every indicator on a
flat worksheet; the bureau gets every unit, a 填报人 their own; written as it goes, so its memory
does not grow with the county."""
import gc
import tracemalloc
from datetime import date
from decimal import Decimal
from io import BytesIO
from tempfile import TemporaryFile
from urllib.parse import unquote
from zipfile import ZipFile

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert, text

from goalsapp.domain import overview, yearview
from goalsapp.domain.frameworks import HUNAN_2021
from goalsapp.domain.listing import unit_year_reports
from goalsapp.domain.models import (
    Evaluation,
    EvaluationRow,
    GoalSheet,
    Indicator,
    Monitoring,
    MonitoringRound,
    MonitoringRow,
    Status,
    Unit,
)
from goalsapp.extensions import db
from goalsapp.formats import excel
from goalsapp.formats.excel import read_workbook, write_workbooks_zip
from goalsapp.formats.summary import write_summary

from .test_overview import DEPARTMENT, add_sheet

SHEET_HEADS = ["填报单位", "项目支出名称", "预算部门", "年度本级预算（万元）", "上级资金（万元）", "部门整体资金总额（万元）",
               "实施期", "状态", "强制问题", "提示问题", "指标数"]
INDICATOR_HEADS = ["填报单位", "项目支出名称", "一级指标", "二级指标", "三级指标", "指标值", "绩效标准"]


def workbook(client, year: int):
    response = client.get(f"/overview/summary.xlsx?year={year}")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    data = response.get_data()
    response.close()  # as a server does once it has sent it: the file it was sent from goes
    return load_workbook(BytesIO(data)), response


def rows(ws) -> list[list]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


@pytest.fixture
def year_2021(seeded):
    """The seed's five sheets of 2021, another unit's sheet, a whole-department sheet, and a sheet of 2022."""
    add_sheet(seeded, "某县教育局", "学校食堂改造", year=2021, status=Status.RETURNED, budget="30.1234", dept="教育", rows=())
    add_sheet(seeded, "会同县工商联", "部门整体支出", year=2021, budget="100", template=DEPARTMENT, dept="")
    add_sheet(seeded, "会同县工商联", "下一年的项目", year=2022)
    return seeded


def test_a_row_for_every_sheet_of_the_year_with_the_numbers_a_bureau_adds_up(year_2021, reviewer):
    book, response = workbook(reviewer, 2021)
    assert "2021" in response.headers["Content-Disposition"]
    # then the monitoring's and the self-evaluation's (test_yearview): none here, the sheets being drafts
    assert book.sheetnames == ["项目汇总", "指标明细", "运行监控", "监控指标明细", "年度自评", "自评指标明细"]
    ws = book["项目汇总"]
    table = rows(ws)
    assert table[0] == SHEET_HEADS
    assert ws.freeze_panes == "A2"  # the headings stay in view
    assert ws.column_dimensions["B"].width == 30 and ws.page_setup.orientation == "landscape"
    assert [(row[0], row[1]) for row in table[1:]] == [
        ("会同县工商联", name) for name in ("基层商会专项经费", "非公党建项目", "光彩事业项目", "教育培训项目", "商会建设项目", "部门整体支出")
    ] + [("某县教育局", "学校食堂改造")]  # by unit, then as filed; 2022's left out
    first = dict(zip(SHEET_HEADS, table[1]))
    assert first["预算部门"] == "行政政法" and first["年度本级预算（万元）"] == 14 and first["实施期"] == "2021.1-2020.12"
    assert first["状态"] == "草稿" and first["部门整体资金总额（万元）"] is None
    with year_2021.app_context():
        reports = {sheet.project_name: (report, len(sheet.indicators)) for sheet, report in unit_year_reports("会同县工商联", 2021)}
    for row in table[1:6]:
        report, indicators = reports[row[1]]
        assert (row[8], row[9], row[10]) == (report.blocking, report.warnings, indicators)  # as the list counts them
    assert [row[10] for row in table[1:6]] == [8, 11, 13, 11, 12]
    # money as numbers in 万元: two decimals shown, a yuan (four) when there is one, the value exact
    money_cell = ws["D2"]
    assert money_cell.data_type == "n" and money_cell.number_format == "#,##0.00##"
    school = dict(zip(SHEET_HEADS, table[-1]))
    assert Decimal(str(school["年度本级预算（万元）"])) == Decimal("30.1234") and school["强制问题"] == 2 and school["状态"] == "已退回"
    # the department's 资金总额 stands apart: a SUM over the budget column adds projects only
    department = dict(zip(SHEET_HEADS, table[6]))
    assert department["年度本级预算（万元）"] is None and department["部门整体资金总额（万元）"] == 100
    assert sum(row[3] or 0 for row in table[1:]) == pytest.approx(24.4 + 30.1234)


def test_every_indicator_on_a_flat_worksheet(year_2021, reviewer):
    book, _ = workbook(reviewer, 2021)
    ws = book["指标明细"]
    table = rows(ws)
    assert table[0] == INDICATOR_HEADS and ws.freeze_panes == "A2"
    with year_2021.app_context():
        seed = [(sheet.project_name, row) for sheet, _ in unit_year_reports("会同县工商联", 2021) for row in sheet.indicators]
        expected = [["会同县工商联", project, row.level1, row.level2, row.name, row.value or None, row.standard or None] for project, row in seed]
    assert table[1:] == expected  # the school's sheet has no rows
    assert ["会同县工商联", "基层商会专项经费", "产出指标", "数量指标"] == table[1][:4]


def test_a_filler_gets_their_own_units_sheets_only(year_2021, filler, other_filler):
    book, _ = workbook(filler, 2021)
    assert {row[0] for row in rows(book["项目汇总"])[1:]} == {"会同县工商联"}
    assert {row[0] for row in rows(book["指标明细"])[1:]} == {"会同县工商联"}
    book, response = workbook(other_filler, 2021)
    assert [row[1] for row in rows(book["项目汇总"])[1:]] == ["学校食堂改造"]
    assert "某县教育局" in unquote(response.headers["Content-Disposition"])


def test_a_year_without_sheets_gives_the_headings_only(app, reviewer):
    book, _ = workbook(reviewer, 2030)
    assert rows(book["项目汇总"]) == [SHEET_HEADS] and rows(book["指标明细"]) == [INDICATOR_HEADS]


def test_a_text_like_a_formula_stays_text(app, reviewer):
    add_sheet(app, "会同县工商联", "=HYPERLINK(\"http://x\",\"点我\")", year=2021, dept="@SUM(A1)")
    book, _ = workbook(reviewer, 2021)
    cell, dept = book["项目汇总"]["B2"], book["项目汇总"]["C2"]
    assert (cell.data_type, cell.value) == ("s", "=HYPERLINK(\"http://x\",\"点我\")")
    assert (dept.data_type, dept.value) == ("s", "@SUM(A1)")


def test_text_an_older_database_holds_unnormalised_still_writes(app, reviewer):
    """Text is normalised on the way in now; a control character stored before that (which .xlsx
    cannot hold) is left out of the cell rather than turning the download into a 500."""
    sheet_id = add_sheet(app, "会同县工商联", "旧项目", year=2021)
    with app.app_context():
        db.session.execute(text("UPDATE goal_sheet SET project_name = :name WHERE id = :id"), {"name": "旧\x01项目", "id": sheet_id})
        db.session.commit()
    book, _ = workbook(reviewer, 2021)
    assert book["项目汇总"]["B2"].value == "旧项目" and book["指标明细"]["B2"].value == "旧项目"


# --- memory ---------------------------------------------------------------------------------------

CATEGORIES = HUNAN_2021.pairs()


def bulk_year(app, year: int, sheets: int) -> None:
    """A year of approved sheets × 12 indicators, inserted in bulk (as bench does), over units of 10
    sheets; each sheet monitored in a round and self-evaluated, every row filled in."""
    with app.app_context():
        units = {}
        for number in range(sheets // 10):
            unit = Unit(name=f"{year}单位{number:03d}")
            db.session.add(unit)
            units[number] = unit
        db.session.flush()
        sheet_rows = [dict(unit_id=units[n // 10].id, year=year, template=HUNAN_2021.code, project_name=f"{year}项目{n:04d}",
                           budget_dept="行政政法", local_budget=Decimal("12.3456"), period_start=date(year, 1, 1),
                           period_end=date(year, 12, 1), period_goal="实施期目标" * 20, annual_goal="年度目标" * 20,
                           status=Status.APPROVED, review_comment="", version=1) for n in range(sheets)]
        ids = db.session.scalars(insert(GoalSheet).returning(GoalSheet.id), sheet_rows).all()
        indicator_ids = db.session.scalars(insert(Indicator).returning(Indicator.id, sort_by_parameter_order=True), [
            dict(sheet_id=sheet_id, position=k + 1, level1=CATEGORIES[k % len(CATEGORIES)][0], level2=CATEGORIES[k % len(CATEGORIES)][1],
                 name=f"指标{k}完成率达到预定目标", value=f"{90 + k % 10}%", standard="计划标准", version=1)
            for sheet_id in ids for k in range(12)]).all()
        round_id = db.session.scalars(insert(MonitoringRound).returning(MonitoringRound.id),
                                      [dict(year=year, month=6, deadline=date(year, 7, 15))]).one()
        budget = dict(review_comment="", status=Status.SUBMITTED, version=1)
        monitorings = db.session.scalars(insert(Monitoring).returning(Monitoring.id, sort_by_parameter_order=True), [
            dict(round_id=round_id, sheet_id=sheet_id, initial_budget=Decimal(12), annual_budget=Decimal(12), spent=Decimal(5),
                 expected_spending=Decimal(12), **budget) for sheet_id in ids]).all()
        evaluations = db.session.scalars(insert(Evaluation).returning(Evaluation.id, sort_by_parameter_order=True), [
            dict(sheet_id=sheet_id, opening_budget=Decimal(12), budget=Decimal(12), spent=Decimal(11), conclusion="良好" * 50, **budget)
            for sheet_id in ids]).all()
        db.session.execute(insert(MonitoringRow), [
            dict(monitoring_id=monitorings[n // 12], indicator_id=indicator_id, position=n % 12 + 1, current="50%", expected="95%",
                 possibility="确定能", cause="", cause_note="", remedy="", note="说明" * 20) for n, indicator_id in enumerate(indicator_ids)])
        db.session.execute(insert(EvaluationRow), [
            dict(evaluation_id=evaluations[n // 12], indicator_id=indicator_id, position=n % 12 + 1, weight=Decimal("7.5"), actual="96%",
                 applicable=True, band="", written_score="", reason="原因" * 20) for n, indicator_id in enumerate(indicator_ids)])
        db.session.commit()


def write_year(file, year: int) -> None:
    today = date(year + 1, 1, 1)
    write_summary(file, "汇总表", overview.year_sheets(year), yearview.year_monitorings(year, today), yearview.year_evaluations(year, today))


def peak(app, write) -> int:
    """The most memory Python held while write(file) wrote (bytes)."""
    with app.app_context(), TemporaryFile() as file:
        gc.collect()
        tracemalloc.start()
        try:
            write(file)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
            db.session.remove()


def export_peak(app, year: int) -> int:
    """While the year's 汇总表 was written."""
    return peak(app, lambda file: write_year(file, year))


def test_memory_stays_flat_as_the_county_grows(app, monkeypatch):
    """Four times the sheets, not four times the memory: the sheets come a batch at a time, each with
    its monitoring and self-evaluation, and each row goes to disk as it is written. (Batches of 20
    here, so that a few hundred sheets are many.)"""
    monkeypatch.setattr(overview, "BATCH", 20)
    bulk_year(app, 2023, 20)
    bulk_year(app, 2024, 60)
    bulk_year(app, 2025, 240)
    export_peak(app, 2023)  # first use: imports, compiled statements, openpyxl's styles
    small, large = export_peak(app, 2024), export_peak(app, 2025)
    with app.app_context():
        written = load_workbook(BytesIO(_summary_bytes(2025)))
    assert len(rows(written["项目汇总"])) == 241 and len(rows(written["指标明细"])) == 240 * 12 + 1
    assert len(rows(written["运行监控"])) == 1 + 240 + 1 and len(rows(written["监控指标明细"])) == 240 * 12 + 1  # and its 合计
    assert len(rows(written["年度自评"])) == 1 + 240 + 1 and len(rows(written["自评指标明细"])) == 240 * 12 + 1
    # scored: 96% meets nine targets (7.5 each) and falls short of 97, 98, 99% (7.42, 7.35, 7.27); 执行率 91.67% is 9.17
    assert rows(written["年度自评"])[1][8] == 98.71
    assert large < 1.5 * small, (small, large)


def _summary_bytes(year: int) -> bytes:
    with TemporaryFile() as file:
        write_year(file, year)
        file.seek(0)
        return file.read()


# --- every unit's sheets, a workbook each ----------------------------------------------------------


def write_county(file, year: int) -> None:
    write_workbooks_zip(((f"{unit}.xlsx", sheets) for unit, sheets in overview.year_sheets_by_unit(year)), file)


def test_the_bureau_downloads_every_units_sheets_a_workbook_each(app, reviewer, filler):
    add_sheet(app, "某县教育局", "教师培训", budget="5.5")
    add_sheet(app, "会同县工商联", "基层商会专项经费", budget="14")
    add_sheet(app, "会同县工商联", "非公党建项目", budget="4")
    add_sheet(app, "会同县工商联", "往年项目", year=2024)
    with reviewer.get("/overview/sheets.zip?year=2025") as response:  # closed: the file it was sent from goes
        assert response.status_code == 200 and response.mimetype == "application/zip"
        assert "2025年各单位项目支出绩效目标表.zip" in unquote(response.headers["Content-Disposition"])
        archive = ZipFile(BytesIO(response.data))
    assert archive.namelist() == ["2025年会同县工商联项目支出绩效目标表.xlsx", "2025年某县教育局项目支出绩效目标表.xlsx"]
    # each as the unit's own export: it imports back as that unit's sheets of the year
    back = read_workbook(archive.read("2025年会同县工商联项目支出绩效目标表.xlsx"), "会同县工商联.xlsx")
    assert [(sheet.unit, sheet.project_name, sheet.local_budget) for sheet in back] == [
        ("会同县工商联", "基层商会专项经费", Decimal(14)), ("会同县工商联", "非公党建项目", Decimal(4))]
    assert filler.get("/overview/sheets.zip?year=2025").status_code == 403  # a unit exports its own from the list


def test_units_whose_file_names_would_be_the_same_get_a_workbook_each(app, reviewer):
    """Names that differ only where a file name cannot hold them, or only past its length, or only
    in letter case: numbered, so that unpacked no workbook lands over another."""
    units = ["城建/规划站", "城建:规划站", "城建_规划站", "ABC局", "abc局", "会同县" + "某" * 90 + "甲", "会同县" + "某" * 90 + "乙"]
    for unit in units:
        add_sheet(app, unit, f"{unit[-1]}的项目")
    with reviewer.get("/overview/sheets.zip?year=2025") as response:
        archive = ZipFile(BytesIO(response.data))
    names = archive.namelist()
    assert len({name.casefold() for name in names}) == len(units)
    assert "2025年城建_规划站项目支出绩效目标表(2).xlsx" in names and "2025年abc局项目支出绩效目标表(2).xlsx" in names
    assert all(name.endswith(".xlsx") and len(name.encode()) <= 255 for name in names)
    assert sorted(read_workbook(archive.read(name), name)[0].unit for name in names) == sorted(units)


def test_a_year_without_sheets_has_no_archive_to_download(app, reviewer):
    add_sheet(app, "某县教育局", "教师培训")
    response = reviewer.get("/overview/sheets.zip?year=2030")
    assert response.status_code == 404
    assert "2030年还没有单位填报，没有可导出的表。" in response.get_data(as_text=True)


def test_every_units_workbooks_take_a_few_units_memory(app, monkeypatch):
    """Four times the units, not four times the memory: a workbook is written a unit at a time, and
    what it leaves is collected every few workbooks (every 2 here, so that a few dozen units are many)."""
    monkeypatch.setattr(excel, "WORKBOOKS_BETWEEN_COLLECTIONS", 2)
    bulk_year(app, 2023, 20)
    bulk_year(app, 2024, 60)
    bulk_year(app, 2025, 240)
    zip_peak = lambda year: peak(app, lambda file: write_county(file, year))  # noqa: E731
    zip_peak(2023)  # first use: imports, compiled statements, XlsxWriter's formats
    small, large = zip_peak(2024), zip_peak(2025)
    with app.app_context(), TemporaryFile() as file:
        write_county(file, 2025)
        assert len(ZipFile(file).namelist()) == 24  # units of 10 sheets
    assert large < 1.5 * small, (small, large)
