"""The same table in other templates: each form a unit is really handed (tests/variants)
comes in as Word text, .docx and .xlsx with every cell kept, prints in its own layout with
every cell on the page, and comes back unchanged from its own export."""
import re
from dataclasses import replace
from decimal import Decimal
from html import unescape
from io import BytesIO

import pytest

from goalsapp.domain.errors import ReadError
from goalsapp.domain.formtemplates import label_key
from goalsapp.domain.importing import fill_blank_units, read_bytes, store
from goalsapp.domain.layout import footer_key, group_indicators, shown
from goalsapp.domain.models import GoalSheet
from goalsapp.extensions import db
from goalsapp.formats.excel import read_workbook, write_workbook
from goalsapp.formats.reader import category_key

from .paperforms import as_tuple
from .variants.catalog import BY_CODE, FLAT_TOTAL
from .variants.writers import to_docx, to_txt_bytes, to_xlsx

READ = ["hunan_2021", "hunan_2023", "anhui_2025", "sichuan_2023", "hubei_2019", "guangdong_2019", "fujian_2019_department",
        "flat_list"]
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
    return [{heading: category_key(text) if heading.split("/")[-1] in ("一级指标", "二级指标", "一级", "二级") else text
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
        for rows in variant.subtables.values():  # 年度履职目标, column by column
            kept = sheet.written(sheet.form.subtable.key)
            assert [dict(zip((label_key(c.label) for c in sheet.form.subtable.columns), row)) for row in kept] == \
                   [{label_key(k): v for k, v in row.items()} for row in rows]
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
    texts += [value for rows in variant.subtables.values() for row in rows for value in row.values() if value]
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


def stored(app, code: str, extension: str = "docx") -> int:
    with app.app_context():
        (sheet,) = read(code, extension)
        store([sheet], ["keep"])
        return sheet.id


def test_the_editor_shows_an_anhui_sheets_own_fields_and_saves_them(app, client):
    sheet_id = stored(app, "anhui_2025")
    page = client.get(f"/sheets/{sheet_id}").get_data(as_text=True)
    for label in ("主管部门及代码", "实施单位", "项目属性", "项目期", "年度资金总额", "中期目标", "年度目标"):
        assert f">{label}</label>" in page
    assert "该项目支出上级资金" not in page and "绩效标准" not in page  # not on this form
    assert 'value="□新增 √延续"' in page and 'value="3年"' in page
    form = {"unit": UPLOADER_UNIT, "year": "2025", "project_name": "全民健身公共服务体系建设",
            "budget_dept": "[042]六安市金安区体育局", "implementer": "六安市金安区全民健身服务中心",
            "kind": "□新增 √延续", "term": "4年", "local_budget": "180", "fiscal_funds": "150", "other_funds": "30",
            "carried_over": "0", "period_goal": "到2027年", "annual_goal": "2025年新建社区健身点12个"}
    assert client.post(f"/sheets/{sheet_id}", data=form).status_code == 303
    with app.app_context():
        sheet = db.session.get(GoalSheet, sheet_id)
        assert sheet.written("term") == "4年" and sheet.period_goal == "到2027年"
        assert ["项目期", "3年", "4年"] in sheet.events[0].changes  # the history names the form's own field
    printed = client.get(f"/sheets/{sheet_id}/print").get_data(as_text=True)
    assert ">4年<" in printed and "项目期" in printed

    # Its other amounts are kept as typed, but must be amounts: else the typing stays, nothing is saved.
    refused = client.post(f"/sheets/{sheet_id}", data=form | {"fiscal_funds": "一百五十万", "term": "5年"})
    assert refused.status_code == 422 and "请输入数字（单位：万元）" in refused.get_data(as_text=True)
    assert 'value="一百五十万"' in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(GoalSheet, sheet_id).written("term") == "4年"


def test_a_sichuan_row_is_edited_with_its_nature_unit_and_weight(app, client):
    sheet_id = stored(app, "sichuan_2023")
    with app.app_context():
        row = db.session.get(GoalSheet, sheet_id).indicators[0]
        row_id, level1, level2 = row.id, row.level1, row.level2
    form_row = client.get(f"/indicators/{row_id}/edit").get_data(as_text=True)
    for label in ("指标性质", "指标值", "度量单位", "权重", "指标方向性"):
        assert f'aria-label="{label}"' in form_row
    assert "绩效标准" not in form_row
    saved = client.put(f"/indicators/{row_id}", data={"level1": level1, "level2": level2, "name": "课后服务教师补助标准",
                                                      "nature": "≤", "value": "25", "measure": "元/课时", "weight": "10",
                                                      "direction": "反向"})
    assert saved.status_code == 200 and ">25<" in saved.get_data(as_text=True)
    with app.app_context():
        row = db.session.get(GoalSheet, sheet_id).indicators[0]
        # One value, its three columns read from it (measures.py); the other columns beside it.
        assert row.value == "≤25元/课时"
        assert {key: row.cell(key) for key in ("nature", "value", "measure", "weight", "direction")} == \
               {"nature": "≤", "value": "25", "measure": "元/课时", "weight": "10", "direction": "反向"}


def test_an_amount_kept_as_written_is_shown_and_forgotten_once_changed(app, client):
    sheet_id = stored(app, "hunan_2023")
    page = client.get(f"/sheets/{sheet_id}").get_data(as_text=True)
    assert "原文：250万" in page and "原文：2023.07-2024.01" in page
    with app.app_context():
        sheet = db.session.get(GoalSheet, sheet_id)
        form = {"unit": sheet.unit, "year": "2023", "project_name": sheet.project_name, "budget_dept": sheet.budget_dept,
                "local_budget": "260", "higher_funds": "", "period_start": "2023.7", "period_end": "2024.1",
                "period_goal": sheet.period_goal, "annual_goal": sheet.annual_goal}
    assert client.post(f"/sheets/{sheet_id}", data=form).status_code == 303
    printed = client.get(f"/sheets/{sheet_id}/print").get_data(as_text=True)
    assert '<td colspan="3">260</td>' in printed and '<td colspan="3">250万</td>' not in printed
    assert "2023.07-2024.01" in printed  # the same months: still as written


def test_the_preview_names_the_form_it_read_and_the_clerk_can_correct_it(app, client, tmp_path):
    from .test_exchange import token_of, upload

    app.config["UPLOADS_FOLDER"] = str(tmp_path / "uploads")
    data = to_docx(BY_CODE["hubei_2019"])
    page = upload(client, data, "湖北.docx").get_data(as_text=True)
    assert "读成了：<strong>湖北省项目支出绩效目标申报表（2019）</strong>" in page
    token = token_of(page)
    wrong = client.post("/import/reread", data={"token": token, "filename": "湖北.docx", "template": "hunan-2021"})
    assert wrong.status_code == 422 and "按“湖南省项目支出绩效目标表" in wrong.get_data(as_text=True)
    again = client.post("/import/reread", data={"token": token, "filename": "湖北.docx", "template": "hubei-2019"})
    assert again.status_code == 200 and 'name="template" type="hidden" value="hubei-2019"' in again.get_data(as_text=True)
    assert client.post("/import/confirm", data={"token": token, "filename": "湖北.docx", "template": "hubei-2019"}).status_code == 303
    with app.app_context():
        (sheet,) = db.session.query(GoalSheet).all()
        assert (sheet.template, sheet.unit) == ("hubei-2019", "武汉市江夏区文化和旅游局")


def test_a_sheet_in_yuan_is_edited_and_printed_in_yuan(app, client):
    """A list in 元 stays in 元: the editor takes 元, the paper says 元."""
    with app.app_context():
        sheets = read("flat_list", "xlsx")
        store(sheets, ["keep"] * len(sheets))
        sheet = sheets[0]
        sheet_id, form = sheet.id, {"unit": sheet.unit, "year": "2024", "project_name": sheet.project_name,
                                    "annual_goal": sheet.annual_goal}
    page = client.get(f"/sheets/{sheet_id}").get_data(as_text=True)
    assert 'placeholder="元"' in page and "金额单位：元" in page
    assert client.post(f"/sheets/{sheet_id}", data=form | {"local_budget": "3,400,000.00"}).status_code == 303
    with app.app_context():
        assert db.session.get(GoalSheet, sheet_id).local_budget == Decimal(340)  # 万元, exactly
    printed = client.get(f"/sheets/{sheet_id}/print").get_data(as_text=True)
    assert "金额单位：元" in printed and ">3400000<" in printed
    assert "部门预算项目绩效目标汇总表" in printed  # a list's sheet prints as the list's short form


def test_an_administrator_names_the_unit_a_blank_form_belongs_to(app, client, tmp_path):
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    from .test_exchange import token_of

    app.config["UPLOADS_FOLDER"] = str(tmp_path / "uploads")
    data = to_docx(BY_CODE["anhui_2025"])  # no 填报单位 anywhere
    boundary, body = encode_multipart({"file": FileStorage(BytesIO(data), "安徽.docx")})
    refused = client.post("/import", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert refused.status_code == 422 and "请在上传时写明算作哪个单位" in refused.get_data(as_text=True)
    boundary, body = encode_multipart({"file": FileStorage(BytesIO(data), "安徽.docx"), "unit": "六安市金安区体育局"})
    page = client.post("/import", data=body, content_type=f"multipart/form-data; boundary={boundary}").get_data(as_text=True)
    assert "2025年 · 六安市金安区体育局" in page
    confirmed = client.post("/import/confirm", data={"token": token_of(page), "filename": "安徽.docx", "unit": "六安市金安区体育局"})
    assert confirmed.status_code == 303
    with app.app_context():
        assert [sheet.unit for sheet in db.session.query(GoalSheet)] == ["六安市金安区体育局"]


def test_a_whole_department_table_shows_and_prints_its_duties(app, client):
    sheet_id = stored(app, "fujian_2019_department")
    page = client.get(f"/sheets/{sheet_id}").get_data(as_text=True)
    assert "年度履职目标" in page and "城乡最低生活保障资金" in page and ">部门（单位）名称</label>" in page
    printed = client.get(f"/sheets/{sheet_id}/print").get_data(as_text=True)
    assert "2019年部门整体支出绩效目标表" in printed
    assert '<td rowspan="2">社会救助</td>' in printed  # one 部门职能 over its two tasks, as on paper


@pytest.mark.parametrize("extension", ["txt", "docx", "xlsx"])
def test_a_lists_total_must_be_what_its_projects_add_up_to(app, extension):
    """The 合计 row is no project, but a wrong one is the kind of arithmetic mistake review exists for."""
    variant = BY_CODE["flat_list"]
    rows = tuple(tuple("5,309,841.00" if text == FLAT_TOTAL else text for text in row) for row in variant.block.rows)
    wrong = replace(variant, block=replace(variant.block, rows=rows))
    with app.app_context(), pytest.raises(ReadError, match=r"合计“5,309,841.00”与各项目预算数之和（5,309,840）不符"):
        read_bytes(FORMATS[extension](wrong), f"清单.{extension}")


def test_a_whole_department_table_is_edited_and_made_new_under_its_own_name(app, client):
    sheet_id = stored(app, "fujian_2019_department")
    form = {"unit": "福州市鼓楼区民政局", "year": "2019", "dept_code": "301001", "local_budget": "2865.4",
            "project_spending": "1932.60", "basic_spending": "932.80", "annual_goal": "目标1：应保尽保"}
    assert client.post(f"/sheets/{sheet_id}", data=form).status_code == 303
    new = client.post("/sheets/new", data=form | {"template": "fujian-2019-department", "year": "2020"})
    assert new.status_code == 303
    with app.app_context():
        names = [(sheet.year, sheet.project_name, sheet.written("dept_code")) for sheet in db.session.query(GoalSheet).order_by(GoalSheet.id)]
        assert names == [(2019, "部门整体支出", "301001"), (2020, "部门整体支出", "301001")]


def test_the_preview_shows_each_amount_in_the_unit_its_sheet_keeps_it_in(app, client, tmp_path):
    """A list in 元 is kept, edited and printed in 元: the preview says so, and shows 元, not a
    conversion to 万元 that the sheet never makes."""
    from .test_exchange import upload

    app.config["UPLOADS_FOLDER"] = str(tmp_path / "uploads")
    page = upload(client, to_xlsx(BY_CODE["flat_list"]), "清单.xlsx").get_data(as_text=True)
    assert "折算" not in page and "330.984" not in page
    assert "金额单位：元" in page
    assert re.search(r'<td class="num">3309840\s*元</td>', page)  # 3,309,840.00 元 as the sheet keeps it
    seed = upload(client, to_docx(BY_CODE["hunan_2021"]), "湖南.docx").get_data(as_text=True)
    assert re.search(r'<td class="num">36.5\s*万元</td>', seed) and "金额单位：" not in seed


@pytest.mark.parametrize(("code", "next_year_title", "old_text"), [
    ("hunan_2023", "2024年项目支出绩效目标申报表", "2023.07-2024.01"),
    ("sichuan_2023", "（2024年度）", "（2023年度）"),
])
def test_a_copy_for_next_year_prints_its_own_year_not_the_text_written_last_year(app, client, code, next_year_title, old_text):
    """A title and a period kept as written print only while they still say what the sheet holds."""
    sheet_id = stored(app, code)
    copied = client.post(f"/sheets/{sheet_id}/copy-forward")
    assert copied.status_code == 303
    page = client.get(copied.location.replace("/sheets/", "/sheets/", 1) + "/print").get_data(as_text=True)
    printed_title = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)
    assert next_year_title in re.sub(r"<br>|\s", "", printed_title).replace("(", "（").replace(")", "）")
    if code == "hunan_2023":
        period_row = re.search(r"项目支出实施期.*?</tr>", page, re.S).group(0)
        assert "2024.07-2025.01" in period_row and old_text not in period_row  # moved whole, as written
        assert f"原文：{old_text}" not in client.get(copied.location).get_data(as_text=True)  # the editor says the same


def test_a_file_refused_in_the_guessed_form_can_be_read_in_another_without_choosing_it_again(app, client, tmp_path):
    """An Anhui table under a Hunan-style title is guessed as Hunan and refused; the refusal offers its reading again."""
    from .test_exchange import token_of, upload

    app.config["UPLOADS_FOLDER"] = str(tmp_path / "uploads")
    data = to_docx(replace(BY_CODE["anhui_2025"], title=("2025年项目支出绩效目标表",)))
    refused = upload(client, data, "安徽.docx")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "不是湖南省" in page and "表样认错了？" in page
    again = client.post("/import/reread", data={"token": token_of(page), "filename": "安徽.docx", "template": "anhui-2025",
                                                "unit": UPLOADER_UNIT})  # the form leaves 填报单位 blank; an admin names it
    assert again.status_code == 200 and "读成了：<strong>安徽省" in again.get_data(as_text=True)


@pytest.mark.parametrize(("amount", "message"), [("-5", "金额不能为负数"), ("一百五十万", "金额“一百五十万”不是数字")])
def test_a_files_amount_kept_as_written_is_held_to_what_the_editor_allows(app, amount, message):
    """Anhui's 其中：财政拨款 from a file, as typed in the editor: a negative amount or no number is
    refused with the cell named, and nothing is read."""
    anhui = BY_CODE["anhui_2025"]
    head = tuple((label, replace(value, text=amount)) if "财政拨款" in label.text else (label, value, *rest)
                 for label, value, *rest in anhui.head)
    with app.app_context(), pytest.raises(ReadError, match=message):
        read_bytes(to_xlsx(replace(anhui, head=head)), "安徽.xlsx")
