"""Importing real self-evaluations and monitorings: every published layout in every format a unit
hands in (Word's text, .docx, .xlsx; tests/variants/documents.py) goes through the upload →
preview → confirm of the target tables, lands on the sheet of its unit, year and project (made
from the file when there is none), keeps its scores as written and has review check them; a
file that cannot go anywhere is refused with where, and nothing is written."""
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from goalsapp.domain import evaluation, history
from goalsapp.domain.formtemplates import get_template
from goalsapp.domain.models import (
    Evaluation,
    GoalSheet,
    Indicator,
    Monitoring,
    MonitoringRound,
    Role,
    SheetEvent,
    Status,
)
from goalsapp.domain.review import DEFAULT_SETTINGS, target_measure
from goalsapp.extensions import db
from goalsapp.formats.reader import Cell, indicator_of
from tests.variants.documents import BY_CODE, DOCUMENTS, of_unit
from tests.variants.model import C
from tests.variants.writers import to_docx, to_text, to_txt_bytes, to_xlsx

from .conftest import login

FORMATS = {"txt": lambda variant: to_txt_bytes(variant, "gb18030", "\r\n"), "docx": to_docx, "xlsx": to_xlsx}


def file_of(document, fmt: str, variant=None) -> tuple[bytes, str]:
    return FORMATS[fmt](variant or document.variant), f"{document.project}.{fmt}"


def upload(client, data: bytes, filename: str):
    boundary, body = encode_multipart({"file": FileStorage(BytesIO(data), filename)})
    return client.post("/import", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def confirm(client, page: str, filename: str):
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
    return client.post("/import/confirm", data={"token": token, "filename": filename})


def text(response) -> str:
    return response.get_data(as_text=True)


def counts(app) -> tuple[int, ...]:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (GoalSheet, Indicator, Evaluation, Monitoring, SheetEvent))


def target_sheet(app, document, status: Status = Status.APPROVED) -> int:
    """The target the document measures against, stored as the unit filed it."""
    template = get_template(document.target_form)
    split = any(column.key == "nature" for column in template.columns)
    with app.app_context():
        rows = []
        for position, (level1, level2, name, value) in enumerate(document.target_rows, start=1):
            cells = {"name": Cell(name, ""), "value": Cell(value, "")}
            if split:
                measure = target_measure(Indicator(value=value, extra={}), DEFAULT_SETTINGS)
                cells = {"name": Cell(name, ""), "nature": Cell(measure.nature, ""),
                         "value": Cell(format(measure.number, "f") if measure.quantitative else value, ""), "measure": Cell(measure.unit, "")}
            rows.append(indicator_of(position, level1, level2, cells, template, "test"))
        sheet = GoalSheet(unit=document.unit, year=document.year, template=template.code, project_name=document.project,
                          budget_dept="主管部门", local_budget=Decimal(100), annual_goal="目标", status=status, indicators=rows)
        db.session.add(sheet)
        db.session.commit()
        return sheet.id


def open_round(app, year: int, month: int = 6) -> int:
    with app.app_context():
        opened = MonitoringRound(year=year, month=month, deadline=date(year, 12, 31))
        db.session.add(opened)
        db.session.commit()
        return opened.id


def stored_document(app, document):
    """The document stored for the variant's project, with its sheet."""
    sheet = db.session.scalars(select(GoalSheet).where(GoalSheet.project_name == document.project)).one()
    if document.kind == "evaluation":
        return sheet, evaluation.evaluation_of(sheet)
    return sheet, db.session.scalars(select(Monitoring).where(Monitoring.sheet_id == sheet.id)).one()


def value_of(item, attribute: str):
    value = getattr(item, attribute)
    return format(value.normalize(), "f") if isinstance(value, Decimal) else value


@pytest.fixture
def clerk(app):
    """A 填报人 of a unit the test names: clerk(unit)."""
    made = {}

    def of(unit: str):
        if unit not in made:
            made[unit] = login(app, f"clerk{len(made)}", Role.FILLER, unit)
        return made[unit]

    return of


# --- every layout in every format ------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("code", [document.code for document in DOCUMENTS])
def test_each_layout_in_each_format_lands_on_its_sheet_with_its_values(app, clerk, code, fmt):
    document = BY_CODE[code]
    sheet_id = target_sheet(app, document)
    if document.kind == "monitoring":
        open_round(app, document.year)
    client = clerk(document.unit)
    data, filename = file_of(document, fmt)
    preview = upload(client, data, filename)
    page = text(preview)
    assert preview.status_code == 200, page
    assert f"导入预览：{filename}" in page and document.project in page and "将新建" not in page
    assert f'href="/sheets/{sheet_id}"' in page  # the sheet it goes to
    before = counts(app)[:2]
    landed = confirm(client, page, filename)
    assert landed.status_code == 303
    assert landed.headers["Location"] == ("/evaluations/1" if document.kind == "evaluation" else "/monitorings/1")
    assert counts(app)[:2] == before  # no sheet made, no row added: it is the sheet that was there
    with app.app_context():
        sheet, item = stored_document(app, document)
        assert sheet.id == sheet_id and item.status == Status.DRAFT
        assert {key: value_of(item, key) for key in document.money} == document.money
        for name, expected in document.rows.items():
            row = next(row for row in item.rows if row.indicator.name == name)
            assert {key: value_of(row, key) for key in expected} == expected, name
        actions = [event.action for event in history.events_of(item)]
        assert actions == (["import_evaluation"] if document.kind == "evaluation" else ["import"])


def test_the_editors_excel_import_reads_a_units_own_file_its_rows_by_name(app, clerk):
    """The editor's 导入Excel and the upload page read a file with one reader: a unit's 2019–22
    workbook, its rows in another order than the target's, goes into a started self-evaluation."""
    document = BY_CODE["evaluation_2019"]
    sheet_id = target_sheet(app, document)
    client = clerk(document.unit)
    client.post(f"/sheets/{sheet_id}/evaluation")
    rows = document.variant.block.rows
    shuffled = replace(document.variant, block=replace(document.variant.block, rows=(rows[1], rows[0], *rows[2:])))
    assert client.post("/evaluations/1/import", data={"file": (BytesIO(to_xlsx(shuffled)), "自评.xlsx")}).status_code == 303
    with app.app_context():
        item = db.session.get(Evaluation, 1)
        assert (item.spent, item.conclusion) == (Decimal(95), "项目完成较好，资金使用规范")
        assert next(row for row in item.rows if row.indicator.name == "养护农村公路里程").written_score == "19.5"


def test_a_file_holding_several_documents_brings_each_to_its_own_sheet(app, clerk):
    evaluated, monitored = BY_CODE["evaluation_2019"], BY_CODE["monitoring_mof_2019"]
    monitored = replace(monitored, unit=evaluated.unit, variant=of_unit(monitored, evaluated.unit))
    sheets = target_sheet(app, evaluated), target_sheet(app, monitored)
    open_round(app, monitored.year)
    client = clerk(evaluated.unit)
    data = (to_text(evaluated.variant) + "\n" + to_text(monitored.variant)).encode("gb18030")
    page = text(upload(client, data, "本单位.txt"))
    assert "文件里有 1 张自评表、1 张运行监控表" in page
    assert all(f'href="/sheets/{sheet_id}"' in page for sheet_id in sheets)
    landed = confirm(client, page, "本单位.txt")
    assert landed.headers["Location"] == "/"
    assert "已导入“农村公路养护工程”的自评表。已导入“村级体育健身工程”的运行监控表。" in text(client.get("/"))
    with app.app_context():
        assert [stored_document(app, document)[0].id for document in (evaluated, monitored)] == list(sheets)


# --- no sheet yet: the file makes it ----------------------------------------------------------


@pytest.mark.parametrize("code, fmt", [("evaluation_2019", "docx"), ("evaluation_101", "xlsx"), ("monitoring_mof_2019", "txt")])
def test_a_file_for_a_project_with_no_sheet_makes_its_target_a_draft(app, clerk, code, fmt):
    document = BY_CODE[code]
    if document.kind == "monitoring":
        open_round(app, document.year)
    client = clerk(document.unit)
    data, filename = file_of(document, fmt)
    page = text(upload(client, data, filename))
    assert "将新建" in page and f"{get_template(document.target_form).name}，{len(document.target_rows)} 个指标" in page
    assert counts(app) == (0, 0, 0, 0, 0)
    landed = confirm(client, page, filename)
    assert landed.status_code == 303
    with app.app_context():
        sheet, item = stored_document(app, document)
        assert (sheet.unit, sheet.year, sheet.template, sheet.status) == (document.unit, document.year, document.target_form, Status.DRAFT)
        assert [(row.level1, row.level2, row.name, target_measure(row, DEFAULT_SETTINGS).written) for row in sheet.indicators] == \
            list(document.target_rows)
        assert sheet.local_budget == Decimal(next(iter(document.money.values())))
        assert [event.action for event in sheet.events] == ["import"]
    shown = text(client.get(landed.headers["Location"]))
    assert f"目标表现在是“草稿”：目标表审核通过后才能提交{'自评表' if document.kind == 'evaluation' else '运行监控表'}" in shown
    assert "据此新建的草稿" in shown


def test_a_two_level_monitoring_cannot_make_its_target(app, clerk):
    document = BY_CODE["monitoring_hubei_2019"]
    open_round(app, document.year)
    response = upload(clerk(document.unit), *file_of(document, "docx"))
    assert response.status_code == 422
    assert "“送戏下乡惠民演出”还没有目标表，而这张运行监控表没有二级指标，不能据此新建目标表" in text(response)
    assert counts(app) == (0, 0, 0, 0, 0)


# --- scores as written, checked ---------------------------------------------------------------


def test_a_score_the_rules_do_not_give_is_kept_and_review_says_which_what_and_what_the_rules_give(app, clerk):
    document = BY_CODE["evaluation_2019"]
    target_sheet(app, document)
    client = clerk(document.unit)
    data, filename = file_of(document, "docx")
    preview = text(upload(client, data, filename))
    said = "文件写的得分是“19.5”，按评分规则应为19.67"
    assert f"“养护农村公路里程”：{said}" in preview
    assert "按评分规则：总分 <strong>97.97</strong>，等级 <strong>优</strong>" in preview
    shown = text(client.get(confirm(client, preview, filename).headers["Location"]))
    assert f"数量指标“养护农村公路里程”：{said}" in shown
    assert "文件写的总分是“97.78”，按评分规则应为97.97" in shown
    # the rows whose written scores agree with the rules raise nothing
    assert set(re.findall(r"文件写的得分是“([^”]*)”", shown)) == {"19.5"}


def test_a_101_style_file_whose_scores_agree_raises_no_score_finding(app, clerk):
    document = BY_CODE["evaluation_101"]
    target_sheet(app, document)
    client = clerk(document.unit)
    data, filename = file_of(document, "txt")
    shown = text(client.get(confirm(client, text(upload(client, data, filename)), filename).headers["Location"]))
    assert "文件写的" not in shown and "95.33" in shown


def test_a_target_written_otherwise_in_the_file_is_noted_and_the_targets_own_kept(app, clerk):
    document = BY_CODE["monitoring_hubei_2019"]
    target_sheet(app, document)
    open_round(app, document.year)
    variant = document.variant
    rows = tuple(row if row[1] != "送戏下乡场次" else (row[0], row[1], "≥45场", *row[3:]) for row in variant.block.rows)
    changed = replace(variant, block=replace(variant.block, rows=rows))
    page = text(upload(clerk(document.unit), to_xlsx(changed), "湖北.xlsx"))
    assert "“送戏下乡场次”：文件的年度指标值是“≥45场”，目标表是“≥40场”，按目标表监控" in page
    assert "表下的填表人“刘七”、联系电话“0728-6241234”不导入：运行监控表没有这些栏目" in page


# --- refused: nothing written -------------------------------------------------------------------


def test_a_file_of_another_unit_is_refused(app, clerk):
    document = BY_CODE["evaluation_2019"]
    target_sheet(app, document)
    before = counts(app)
    response = upload(clerk(document.unit), to_docx(of_unit(document, "某县教育局")), "别的单位.docx")
    assert response.status_code == 422
    assert "文件里有其他单位的表（某县教育局），你只能导入本单位的表" in text(response)
    # and a clerk of another unit cannot reach this unit's sheet with its file
    response = upload(clerk("某县教育局"), *file_of(document, "xlsx"))
    assert response.status_code == 422 and f"文件里有其他单位的表（{document.unit}）" in text(response)
    assert counts(app) == before


def test_a_monitoring_needs_its_years_round_of_its_month(app, clerk):
    document = BY_CODE["monitoring_mof_2019"]
    target_sheet(app, document)
    client = clerk(document.unit)
    response = upload(client, *file_of(document, "docx"))
    assert response.status_code == 422 and "2023年还没有开启运行监控，不能导入运行监控表" in text(response)
    open_round(app, document.year, month=9)
    response = upload(client, *file_of(document, "docx"))
    assert "文件是截至6月的运行监控表，2023年开启的运行监控是截至9月，没有截至6月的" in text(response)


def test_a_document_already_with_the_bureau_is_not_imported_over(app, clerk):
    document = BY_CODE["evaluation_2019"]
    sheet_id = target_sheet(app, document)
    client = clerk(document.unit)
    client.post(f"/sheets/{sheet_id}/evaluation")
    with app.app_context():
        db.session.get(Evaluation, 1).status = Status.SUBMITTED
        db.session.commit()
    response = upload(client, *file_of(document, "txt"))
    assert response.status_code == 422 and "“农村公路养护工程”的自评表现在是“已提交”，不能再导入" in text(response)


def garbled(document, change) -> bytes:
    return to_docx(replace(document.variant, **change(document.variant)))


def _head(variant):
    return {"block": replace(variant.block, headings=((*variant.block.headings[0][:-1], C("乱码列")),))}


def _row(variant, index: int, column: int, value: str):
    rows = list(variant.block.rows)
    rows[index] = (*rows[index][:column], value, *rows[index][column + 1:])
    return {"block": replace(variant.block, rows=tuple(rows))}


def _head_row(variant, index: int, column: int, value: str):
    head = [list(row) for row in variant.head]
    head[index][column] = replace(head[index][column], text=value)
    return {"head": tuple(tuple(row) for row in head)}


@pytest.mark.parametrize("change, where, message", [
    (_head, "第1个表格第10行第9列", "无法识别的指标栏目“乱码列”"),
    (lambda v: _head_row(v, 3, 3, "九十五"), "第1个表格第4行第6列", "金额“九十五”不是数字"),
    (lambda v: _row(v, 2, 6, "很高"), "第1个表格第13行第8列", "的得分“很高”应为0至10之间的数字"),
    (lambda v: _row(v, 0, 5, "二十"), "第1个表格第11行第7列", "的分值“二十”应为0至100之间"),
    (lambda v: _row(v, 1, 2, "一个不在目标表里的指标"), "第1个表格第12行第4列", "的三级指标“一个不在目标表里的指标”不是目标表"),
    (lambda v: {"footer_lines": ("本表一式三份",)}, "第", "表格下面的“本表一式三份”无法读取"),
])
def test_a_garbled_file_is_refused_with_where_and_nothing_is_written(app, clerk, change, where, message):
    document = BY_CODE["evaluation_2019"]
    target_sheet(app, document)
    before = counts(app)
    response = upload(clerk(document.unit), garbled(document, change), "乱.docx")
    assert response.status_code == 422
    page = text(response)
    assert message in page and where in page, page[page.find('class="error"'):][:400]
    assert counts(app) == before


@pytest.mark.parametrize("data, message", [
    (b"\x00\xff\xfe garbage \x81\x82" * 50, "文件不是UTF-8、UTF-16或GB18030编码的文本"),
    ("项目支出绩效自评表\n（2022年度）\n\n\t项目名称\t农村公路养护工程\n".encode(), "自评表里没有绩效指标"),
    ("项目支出绩效自评表\n\t项目名称\t农村公路养护工程\n".encode(), "标题里没有年度"),
    ("项目支出绩效目标执行监控表\n（1899年度）\n".encode(), "年度1899应在2000至2100之间"),
])
def test_a_hostile_text_is_refused_with_a_message(app, clerk, data, message):
    response = upload(clerk("金安区交通运输局"), data, "自评.txt")
    assert response.status_code == 422 and message in text(response)
    assert counts(app) == (0, 0, 0, 0, 0)


def test_a_file_that_can_no_longer_go_where_it_went_at_preview_writes_nothing_on_confirming(app, clerk):
    document = BY_CODE["monitoring_mof_2019"]
    target_sheet(app, document)
    round_id = open_round(app, document.year)
    client = clerk(document.unit)
    data, filename = file_of(document, "xlsx")
    page = text(upload(client, data, filename))
    with app.app_context():
        db.session.delete(db.session.get(MonitoringRound, round_id))
        db.session.commit()
    before = counts(app)
    response = confirm(client, page, filename)
    assert response.status_code == 303 and response.headers["Location"] == "/import"
    assert "2023年还没有开启运行监控" in text(client.get("/import"))
    assert counts(app) == before


def test_the_command_line_says_where_a_document_file_goes(app, tmp_path):
    from goalsapp.domain.errors import ReadError
    from goalsapp.domain.importing import import_files

    path = tmp_path / "自评.docx"
    path.write_bytes(to_docx(BY_CODE["evaluation_2019"].variant))
    with app.app_context(), pytest.raises(ReadError, match="这是自评表，不是绩效目标表：请在网页的“导入”里导入"):
        import_files([path])


def test_importing_again_replaces_the_draft_and_history_says_what_changed(app, clerk):
    document = BY_CODE["monitoring_mof_2019"]
    target_sheet(app, document)
    open_round(app, document.year)
    client = clerk(document.unit)
    data, filename = file_of(document, "docx")
    confirm(client, text(upload(client, data, filename)), filename)
    variant = document.variant
    changed = replace(variant, **_row(variant, 0, 6, "9个"))
    page = text(upload(client, to_docx(changed), filename))
    assert "替换" in page and "现有运行监控表" in page
    confirm(client, page, filename)
    with app.app_context():
        _, item = stored_document(app, document)
        assert item.rows[0].current == "9个"
        latest = history.events_of(item)[0]
        assert latest.action == "import" and ["第1项“新建村级体育健身工程”1-6月执行情况", "6个", "9个"] in latest.changes
