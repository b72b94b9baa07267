"""Export copes with any text a database holds, and writes only what Excel accepts: a safe
download name, no character XML cannot carry, no cell past Excel's 32,767 characters without
saying so, no row taller than 409 pt, worksheet names Excel takes. Read back with openpyxl."""
from io import BytesIO
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from goalsapp.cli.commands import DEMO_FILE
from goalsapp.domain.importing import read_sheets
from goalsapp.extensions import db
from goalsapp.formats.excel import CELL_CHARACTERS, ROW_HEIGHT, write_workbook
from goalsapp.web.exchange.downloads import download_name

# What a database filled before text was normalised on the way in may hold: controls that
# XML cannot carry, the non-characters U+FFFE/U+FFFF, a line break, a right-to-left override.
UNSTORABLE = "\x01\x0b\x1f\ufffe\uffff"


def store_raw(app, table: str, **values) -> None:
    """Write past the models' normalising, as an older version of the app could have."""
    with app.app_context():
        assignments = ", ".join(f"{column} = :{column}" for column in values)
        db.session.execute(text(f"UPDATE {table} SET {assignments}"), values)
        db.session.commit()


def test_a_project_name_with_a_line_break_or_an_override_downloads_under_a_safe_name(seeded, client):
    store_raw(seeded, "goal_sheet", project_name="基层商会\n专项经费\u202excod.exe")
    response = client.get("/sheets/1/export.xlsx")
    assert response.status_code == 200
    disposition = unquote(response.headers["Content-Disposition"])
    assert "2021年基层商会 专项经费xcod.exe绩效目标表.xlsx" in disposition
    assert "\n" not in disposition and "\u202e" not in disposition
    assert load_workbook(BytesIO(response.data)).sheetnames[0] == "基层商会 专项经费xcod.exe"


def test_every_text_field_exports_whatever_it_holds(seeded, client):
    store_raw(seeded, "unit", name=f"会同县{UNSTORABLE}工商联")
    store_raw(seeded, "goal_sheet", project_name=f"项目{UNSTORABLE}",
              budget_dept=f"部门{UNSTORABLE}", period_goal=f"目标{UNSTORABLE}", annual_goal=f"年度{UNSTORABLE}",
              review_comment=f"意见{UNSTORABLE}")
    store_raw(seeded, "indicator", name=f"指标{UNSTORABLE}", value=f"值{UNSTORABLE}", standard=f"标准{UNSTORABLE}")
    response = client.get("/sheets/1/export.xlsx")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.data))
    form = book["项目"]
    assert (form["A2"].value, form["B3"].value, form["F3"].value, form["B6"].value, form["B7"].value) == (
        "填报单位：会同县工商联（盖章）", "项目", "部门", "目标", "年度")
    assert form["B9"].value == "产出指标" and form["D9"].value == "指标" and form["E9"].value == "值"
    assert any(cell.value == "意见" for row in form.iter_rows() for cell in row)
    assert [cell.value for cell in book["指标清单"][2]][:8] == ["会同县工商联", 2021, "项目", "产出指标", "数量指标", "指标", "值", "标准"]


@pytest.fixture
def seed_sheet():
    return read_sheets(DEMO_FILE)[0]


def test_a_text_longer_than_a_cell_holds_is_cut_with_a_note_saying_so(seed_sheet):
    seed_sheet.annual_goal = "长" * 100_000  # no form lets this in now; the writer does not rely on that
    cell = load_workbook(BytesIO(write_workbook([seed_sheet])))["基层商会专项经费"]["B7"].value
    assert len(cell) == CELL_CHARACTERS and cell.startswith("长" * 30_000)
    assert cell.endswith("【此处截断：原文共100000字，超过Excel单元格上限32767字，全文见系统】")


def test_no_row_is_taller_than_excel_allows(seed_sheet):
    seed_sheet.period_goal = seed_sheet.annual_goal = "很长的目标。" * 800
    seed_sheet.indicators[0].name = "名" * 100
    book = load_workbook(BytesIO(write_workbook([seed_sheet])))
    heights = [dimension.height for dimension in book["基层商会专项经费"].row_dimensions.values() if dimension.height]
    # As tall as Excel allows, to the pixel (0.75 pt) a row's height is stored in, and never taller.
    assert ROW_HEIGHT - 0.75 <= max(heights) <= ROW_HEIGHT and all(height > 0 for height in heights)


def test_worksheet_names_are_ones_excel_accepts():
    sheets = read_sheets(DEMO_FILE)
    names = ["'引号'", "'" * 40, "History", "指标清单", "Abc", "ABC", "a[b]:c*d?e/f\\g"] + ["同名很长的项目名称" * 5] * 12
    many = [read_sheets(DEMO_FILE)[0] for _ in names]
    for sheet, name in zip(many, names):
        sheet.project_name = name
    titles = load_workbook(BytesIO(write_workbook(sheets[:1] + many))).sheetnames
    assert len({title.casefold() for title in titles}) == len(titles) == len(names) + 2
    assert all(0 < len(title) <= 31 and title[0] != "'" and title[-1] != "'" for title in titles)
    assert titles[1:8] == ["引号", "表", "History(2)", "指标清单(2)", "Abc", "ABC(2)", "a_b__c_d_e_f_g"]
    assert titles[-2] == "同名很长的项目名称" * 3 + "(12)" and titles[-1] == "指标清单"


@pytest.mark.parametrize("name, safe", [
    ("2021年基层\n商会.xlsx", "2021年基层 商会.xlsx"),
    ("2021年表\u202excod.exe.xlsx", "2021年表xcod.exe.xlsx"),
    ('../a/b\\c:d*e?"f"<g>|h.xlsx', "_a_b_c_d_e__f__g__h.xlsx"),
    (".xlsx", "导出.xlsx"),
    (" . .xlsx", "导出.xlsx"),
    ("项" * 300 + ".xlsx", "项" * 80 + ".xlsx"),
    ("无扩展名", "无扩展名"),
])
def test_a_download_name_is_safe_on_every_system(name, safe):
    assert download_name(name) == safe
