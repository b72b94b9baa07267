"""The same table in other templates: each form a unit is really handed (tests/variants)
comes in as Word text, .docx and .xlsx with every cell kept, prints in its own layout with
every cell on the page, and comes back unchanged from its own export."""
import re
from html import unescape

import pytest

from goalsapp.errors import ReadError
from goalsapp.extensions import db
from goalsapp.formats.excel import read_workbook, write_workbook
from goalsapp.formtemplates import label_key
from goalsapp.importing import fill_blank_units, read_bytes, store
from goalsapp.layout import footer_key, group_indicators, shown
from goalsapp.models import GoalSheet

from .paperforms import as_tuple
from .variants.catalog import BY_CODE
from .variants.writers import to_docx, to_txt_bytes, to_xlsx

READ = ["hunan_2021", "hunan_2023", "anhui_2025", "sichuan_2023", "hubei_2019", "flat_list"]
FORMATS = {
    "txt": lambda variant: to_txt_bytes(variant),
    "gb18030.txt": lambda variant: to_txt_bytes(variant, "gb18030", "\r\n"),
    "utf16.txt": lambda variant: to_txt_bytes(variant, "utf-16"),
    "docx": to_docx,
    "xlsx": to_xlsx,
}
UPLOADER_UNIT = "上传者所在单位"


def read(code: str, extension: str) -> list[GoalSheet]:
    sheets = read_bytes(FORMATS[extension](BY_CODE[code]), f"{code}.{extension}")
    fill_blank_units(sheets, UPLOADER_UNIT, code)
    return sheets


def header_value(sheet: GoalSheet, label: str) -> str:
    """What the sheet holds under a label of the form as printed ("group/label" under a group)."""
    label = label.split("/")[-1]
    if label_key(label) == "财政部门审核意见":
        return sheet.review_comment
    field = sheet.form.field_for(label)
    assert field is not None, f"{sheet.form.code} has no field for {label!r}"
    return sheet.unit if field.key == "unit" else shown(sheet, field)


def indicator_dicts(sheet: GoalSheet, headings: tuple[str, ...]) -> list[dict[str, str]]:
    """The sheet's rows as the variant's expected dicts: keyed by the file's headings."""
    rows = []
    for indicator in sheet.indicators:
        row = {}
        for heading in headings:
            column = sheet.form.column_for(heading)
            if column is None:
                continue  # a flat list's project columns: checked as the sheet's header
            row[heading] = indicator.level1 if column.key == "level1" else indicator.level2 if column.key == "level2" \
                else indicator.cell(column.key)
        rows.append(row)
    return rows


FLAT_SHEET_COLUMNS = ("单位名称", "项目名称", "预算数", "年度目标")  # a flat list's sheet, not its rows


def expected_rows(variant, project: str | None = None) -> list[dict[str, str]]:
    """The variant's indicators; categories as words only (the form breaks "产出\\n指标")."""
    rows = [row for row in variant.indicators if project is None or row.get("项目名称") == project]
    return [{heading: label_key(text) if heading in ("一级指标", "二级指标", "一级", "二级") else text
             for heading, text in row.items() if heading not in FLAT_SHEET_COLUMNS} for row in rows]


@pytest.mark.parametrize("extension", FORMATS)
@pytest.mark.parametrize("code", [code for code in READ if code != "flat_list"])
def test_a_form_reads_with_every_cell_kept(app, code, extension):
    variant = BY_CODE[code]
    with app.app_context():
        (sheet,) = read(code, extension)
        assert {label: header_value(sheet, label) for label, _ in variant.header} == dict(variant.header)
        assert indicator_dicts(sheet, variant.indicator_columns) == expected_rows(variant)
        assert {label: sheet.written(footer_key(label)) for label, _ in variant.footers} == dict(variant.footers)
        written_unit = next((line for line in variant.unit_lines if re.search(r"[：:]\s*[^（(\s]", line)), None)
        if written_unit is None and "单位(盖章):" not in dict(variant.header):
            assert sheet.unit == UPLOADER_UNIT  # a blank 填报单位 is the uploader's own


@pytest.mark.parametrize("extension", FORMATS)
def test_a_flat_list_becomes_one_sheet_per_project(app, extension):
    variant = BY_CODE["flat_list"]
    with app.app_context():
        sheets = read("flat_list", extension)
        projects = list(dict.fromkeys(row["项目名称"] for row in variant.indicators))
        assert [sheet.project_name for sheet in sheets] == projects
        for sheet in sheets:
            first = next(row for row in variant.indicators if row["项目名称"] == sheet.project_name)
            assert (sheet.unit, sheet.year, sheet.annual_goal) == (first["单位名称"], 2024, first["年度目标"])
            assert sheet.written("local_budget") == first["预算数"]  # in 元, with its separators, as written
            assert indicator_dicts(sheet, variant.indicator_columns) == expected_rows(variant, sheet.project_name)
        # 3,309,840.00 元 is 330.984 万元, exactly; the 合计 row is no project
        assert [str(sheet.local_budget.normalize()) for sheet in sheets] == ["330.984", "152", "48"]


@pytest.mark.parametrize("code", READ)
def test_a_form_prints_in_its_own_layout_with_every_cell(app, client, code):
    variant = BY_CODE[code]
    with app.app_context():
        sheets = read(code, "docx")
        store(sheets, ["keep"] * len(sheets))
        ids = [sheet.id for sheet in sheets]
    for sheet_id in ids:
        page = client.get(f"/sheets/{sheet_id}/print").get_data(as_text=True)
        printed = [unescape(re.sub(r"<br>", "\n", text)).strip()
                   for text in re.findall(r"<(?:td|th|h1|span)[^>]*>(.*?)</(?:td|th|h1|span)>", page, re.S)]
        with app.app_context():
            sheet = db.session.get(GoalSheet, sheet_id)
            cells = _cells_of(variant, sheet)
        printed = [label_key(text) for text in printed]
        missing = [text for text in cells if not any(label_key(text) in shown for shown in printed)]
        assert not missing, f"not printed: {missing}"


def _cells_of(variant, sheet: GoalSheet) -> list[str]:
    """Every non-empty cell of the variant that belongs to this sheet, as the form writes it."""
    if variant.code == "flat_list":
        rows = [row for row in variant.indicators if row["项目名称"] == sheet.project_name]
        return [text for row in rows for heading, text in row.items() if text and heading not in ("单位名称", "预算数")]
    texts = [value for _, value in variant.header if value]
    texts += [value for row in variant.indicators for value in row.values() if value]
    return texts


@pytest.mark.parametrize("code", READ)
def test_a_form_comes_back_unchanged_from_its_own_export(app, code):
    with app.app_context():
        sheets = read(code, "xlsx")
        back = read_workbook(write_workbook(sheets), "export.xlsx")
        assert [as_tuple(sheet) for sheet in back] == [as_tuple(sheet) for sheet in sheets]
        assert [(sheet.template, sheet.fields, extras(sheet)) for sheet in back] == \
               [(sheet.template, sheet.fields, extras(sheet)) for sheet in sheets]


def extras(sheet: GoalSheet) -> list[dict]:
    """The rows' other columns, in the order the form prints the rows."""
    return [indicator.extra for group in group_indicators(sheet.form.framework, sheet.indicators) for indicator in group.indicators]


@pytest.mark.parametrize("code", ["guangdong_2019", "fujian_2019_department"])
@pytest.mark.parametrize("extension", ["txt", "docx", "xlsx"])
def test_a_form_no_template_reads_is_refused_naming_the_cell(app, code, extension):
    with app.app_context(), pytest.raises(ReadError) as refused:
        read(code, extension)
    assert refused.value.where and BY_CODE[code].title[0] in str(refused.value)
