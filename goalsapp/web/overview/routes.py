"""The overview page with its charts, a unit's year sheet by sheet, and the 汇总表 download."""
from collections.abc import Callable
from datetime import date
from tempfile import TemporaryFile

from flask import render_template, request, send_file
from flask_login import current_user

from ...domain import access, evaluation, limits, monitoring, yearview
from ...domain.lights import Light
from ...domain.listing import available_years
from ...domain.models import Status, Unit
from ...domain.overview import PER_PAGE, PROGRESS, Overview, page_listing, year_overview, year_sheets, year_sheets_by_unit
from ...extensions import db
from ...formats.excel import write_workbooks_zip
from ...formats.summary import write_summary
from .. import charts
from ..exchange.downloads import download_name, numbered_download_name
from ..filters import money
from ..guards import require
from . import bp

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# How each status's part of a bar is filled: a pattern as well as a colour, so that a black-and-white
# printout still tells them apart (templates/overview/_charts.html draws each pattern).
STATUS_LOOKS = {Status.APPROVED: "solid", Status.SUBMITTED: "hatch", Status.RETURNED: "cross", Status.DRAFT: "dots"}
# The lights as the lights chart stacks them, red first: the bars then line up by what needs a look.
LIGHTS_CHARTED = (Light.RED, Light.YELLOW, Light.GREEN)
LIGHT_LOOKS = {Light.RED: "cross", Light.YELLOW: "lines", Light.GREEN: "solid"}
NO_DEPT = "（未填预算部门）"
# The units that still owe a document, as the summary names them and the table lists them (?missing=):
# the document's column in the table (document_columns) and the units owing it (yearview.YearDocuments).
OWING = {"monitoring": ("运行监控", "monitoring_unfiled"), "evaluation": ("年度自评", "evaluation_unfiled")}
BUREAU_ONLY = "全县概览和各单位的表（zip）只对财政部门（审核人、管理员）开放。本单位的表可在“全部表”中导出。"
UNITS_NAMED = 20  # named in the summary; the table lists the rest
UNITS_CHARTED = 15  # bars, the units with the most sheets; the rest add up into one more
DEPTS_CHARTED = 12


@bp.get("/overview")
def show():
    require(access.can_oversee(current_user), BUREAU_ONLY)
    years = available_years(None)
    seen = year_overview(chosen_year(years))
    documents = yearview.year_documents(seen.year, date.today())
    every = request.args.get("all") == "1"  # every unit on one page, to print them all
    columns = document_columns(documents)
    missing = owed_document(columns)
    owing = {unit.unit_id for unit in getattr(documents, OWING[missing][1])} if missing else None
    return render_template("overview/index.html", seen=seen, years=years, statuses=PROGRESS, no_dept=NO_DEPT,
                           units=seen.page(None if every else request.args.get("page", 1, type=int), owing), every=every,
                           paged_by={"year": seen.year} | ({"missing": missing} if missing else {}),
                           owed=OWING[missing][0] if missing else None, units_named=UNITS_NAMED,
                           units_per_page=PER_PAGE, documents=documents, document_columns=columns,
                           shapes=yearview.shapes,
                           status_chart=status_chart(seen), budget_chart=budget_chart(seen),
                           grade_chart=grade_chart(documents) if any(documents.total.grades.values()) else None,
                           lights_chart=lights_chart(documents) if documents.total.monitoring_begun else None)


@bp.get("/overview/units/<int:unit_id>")
def unit_year(unit_id: int):
    """A unit's year from the overview: each sheet, and each approved one's monitoring and self-evaluation."""
    require(access.can_oversee(current_user), BUREAU_ONLY)
    unit = db.get_or_404(Unit, unit_id)
    year = chosen_year(available_years(None))
    return render_template("overview/unit.html", seen=yearview.unit_year(unit, year, date.today()), overview_page=page_listing(unit, year),
                           sign=monitoring.sign, percent=monitoring.percent, number=evaluation.format_number,
                           lights=yearview.LIGHTS)


@bp.get("/overview/summary.xlsx")
def summary_workbook():
    """The year's 汇总表: every unit's sheets for the bureau, their own unit's for a 填报人."""
    unit_id, unit = access.own_unit_id(current_user), access.unit_of(current_user) or ""
    year = chosen_year(available_years(unit_id))
    title = f"{year}年{unit}项目支出绩效汇总表"
    today = date.today()
    file = TemporaryFile()  # written to disk as the rows come, then sent from there a piece at a time
    write_summary(file, title, year_sheets(year, unit_id), yearview.year_monitorings(year, today, unit_id),
                  yearview.year_evaluations(year, today, unit_id))
    file.seek(0)
    return send_file(file, mimetype=XLSX, as_attachment=True, download_name=download_name(f"{title}.xlsx"))


def document_columns(documents: yearview.YearDocuments) -> dict[str, Callable[[yearview.UnitDocuments], str]]:
    """The columns the year's later documents add to the units' table, once there is something to show:
    运行监控 once a round is open, 年度自评 once one is due. Each with what a unit's cell says."""
    columns = {}
    if documents.round:
        columns["运行监控"] = yearview.monitoring_text
    if documents.evaluations_due:
        columns["年度自评"] = yearview.evaluation_text
    return columns


def owed_document(columns: dict) -> str | None:
    """The document whose owing units the table lists (?missing=), once the units owe it this year
    (its column shows: a round open, self-evaluations due). Else, as for anything else asked, None:
    the table lists every unit, where it would list none under a heading saying they owe it."""
    missing = request.args.get("missing")
    return missing if missing in OWING and OWING[missing][0] in columns else None


@bp.get("/overview/sheets.zip")
def county_workbooks():
    """The year's sheets as Excel for the bureau: a workbook a unit (each as that unit's own export),
    in one .zip written to disk one workbook at a time and sent from there."""
    require(access.can_oversee(current_user), BUREAU_ONLY)
    years = available_years(None)
    year = chosen_year(years)
    if year not in years:  # the page offers no button then; an address typed or kept gets no empty archive
        return render_template("error.html", message=f"{year}年还没有单位填报，没有可导出的表。"), 404
    file, taken = TemporaryFile(), set()
    write_workbooks_zip(((numbered_download_name(f"{year}年{unit}项目支出绩效目标表.xlsx", taken), sheets)
                         for unit, sheets in year_sheets_by_unit(year)), file)
    file.seek(0)
    return send_file(file, mimetype="application/zip", as_attachment=True, download_name=f"{year}年各单位项目支出绩效目标表.zip")


def chosen_year(years: list[int]) -> int:
    """The year asked for; else the newest year that has sheets; else next year, the one units fill in now."""
    year = request.args.get("year", type=int)
    if year is not None and limits.FIRST_YEAR <= year <= limits.LAST_YEAR:
        return year
    return years[0] if years else date.today().year + 1


def status_chart(seen: Overview) -> charts.Chart:
    return charts.stacked_bars(
        f"{seen.year}年各单位绩效目标表的状态", [(line.unit, [line.by_status[status] for status in PROGRESS]) for line in seen.units],
        [str(status) for status in PROGRESS], [STATUS_LOOKS[status] for status in PROGRESS],
        x_label="表的张数", y_label="填报单位", most=UNITS_CHARTED, rest="其余{}个单位", whole=True,
    )


def budget_chart(seen: Overview) -> charts.Chart:
    return charts.bars(
        f"{seen.year}年项目预算按预算部门", [(total.dept or NO_DEPT, total.local_budget) for total in seen.by_dept], "bar",
        x_label="年度本级预算（万元）", y_label="预算部门", most=DEPTS_CHARTED, rest="其余{}个预算部门", formatter=money,
    )


def grade_chart(documents: yearview.YearDocuments) -> charts.Chart:
    """How many self-evaluations have each grade, in the grades' order, each bar by status: a
    draft's grade may still change, an approved one's stands."""
    return charts.stacked_bars(
        f"{documents.year}年自评等级分布", documents.grades_by_status(), [str(status) for status in PROGRESS],
        [STATUS_LOOKS[status] for status in PROGRESS], x_label="自评表的张数", y_label="自评等级", most=len(yearview.GRADES),
        whole=True, rank=None,
    )


def lights_chart(documents: yearview.YearDocuments) -> charts.Chart:
    """Each unit's monitored rows by light, the units with most red first."""
    signs = [monitoring.sign(light) for light in LIGHTS_CHARTED]
    return charts.stacked_bars(
        f"{documents.year}年运行监控（截至{documents.round.month}月）各单位指标的灯",
        [(unit.unit, [unit.row_lights[light] for light in LIGHTS_CHARTED]) for unit in documents.units if unit.monitoring_begun],
        [f"{sign.shape}{sign.name}" for sign in signs], [LIGHT_LOOKS[light] for light in LIGHTS_CHARTED],
        x_label="指标行数", y_label="填报单位", most=UNITS_CHARTED, rest="其余{}个单位", whole=True, rank=lambda counts: counts,
    )
