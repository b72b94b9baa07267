"""Export, upload with preview and confirmation, copy a year forward: pages, endpoints, CLI."""
import re
from datetime import date, timedelta
from io import BytesIO
from zipfile import ZipFile

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select, update
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from goalsapp.cli.commands import DEMO_FILE
from goalsapp.domain.models import GoalSheet, Indicator, PendingUpload, utcnow
from goalsapp.extensions import db
from goalsapp.formats.excel import write_workbook
from goalsapp.web.exchange import uploads

from .paperforms import as_tuple

SEED_BYTES = DEMO_FILE.read_bytes()


def count(app, model=GoalSheet):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def all_sheets(app):
    with app.app_context():
        return [as_tuple(s) for s in db.session.scalars(select(GoalSheet).order_by(GoalSheet.id))]


def seed_workbook(app, change=None) -> bytes:
    """The seed exported to .xlsx, with change(workbook) applied."""
    with app.app_context():
        from goalsapp.domain.importing import read_sheets

        book = load_workbook(BytesIO(write_workbook(read_sheets(DEMO_FILE))))
    if change:
        change(book)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes, filename: str):
    # Encoded in memory: the test client would otherwise spool a big body to a
    # temporary file that it never closes (a ResourceWarning, an error here).
    boundary, body = encode_multipart({"file": FileStorage(BytesIO(data), filename)})
    return client.post("/import", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def token_of(page: str) -> str:
    return re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)


# --- export ------------------------------------------------------------------------


def test_a_sheet_downloads_as_xlsx(seeded, client):
    response = client.get("/sheets/1/export.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response.headers["Content-Disposition"] and ".xlsx" in response.headers["Content-Disposition"]
    assert load_workbook(BytesIO(response.data)).sheetnames == ["基层商会专项经费", "指标清单"]


def test_a_unit_year_downloads_as_one_workbook(seeded, client):
    response = client.get("/export.xlsx", query_string={"unit": "会同县工商联", "year": 2021})
    assert len(load_workbook(BytesIO(response.data)).sheetnames) == 6
    assert client.get("/export.xlsx", query_string={"unit": "无此单位", "year": 2021}).status_code == 404
    assert client.get("/sheets/99/export.xlsx").status_code == 404


def test_export_command_writes_the_workbook(seeded, tmp_path):
    out = tmp_path / "out.xlsx"
    result = seeded.test_cli_runner().invoke(args=["export", "--unit", "会同县工商联", "--year", "2021", "-o", str(out)])
    assert result.exit_code == 0 and "已导出 5 张表" in result.output
    assert load_workbook(out)["光彩事业项目"]["B4"].value == 2.4
    missing = seeded.test_cli_runner().invoke(args=["export", "--unit", "无此单位", "--year", "2021", "-o", str(out)])
    assert missing.exit_code != 0 and "没有找到无此单位 2021年" in missing.output


# --- upload, preview, confirm --------------------------------------------------------


def test_the_upload_page_is_a_whole_document(client):
    page = client.get("/import").get_data(as_text=True)
    assert page.startswith("<!doctype html>") and "上传并预览" in page and "5 MB" in page


def test_uploading_shows_a_preview_and_writes_nothing_until_confirmed(app, client):
    response = upload(client, seed_workbook(app), "会同县工商联2021.xlsx")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "导入预览：会同县工商联2021.xlsx" in page and "文件里有 5 张表" in page
    assert '<td class="num">2.4 万元</td>' in page and '<td class="num">13</td>' in page
    assert "实施期结束（2020.12）早于开始（2021.1）" in page and "“2021年12月完成率”在时效指标下重复出现" in page
    assert count(app) == 0

    confirmed = client.post("/import/confirm", data={"token": token_of(page), "filename": "会同县工商联2021.xlsx"})
    assert confirmed.status_code == 303
    assert count(app) == 5 and count(app, Indicator) == 55
    assert "已导入 5 张表，替换 0 张，跳过 0 张" in client.get("/").get_data(as_text=True)
    # the upload is gone: confirming twice imports nothing more
    client.post("/import/confirm", data={"token": token_of(page), "filename": "x.xlsx"})
    assert count(app) == 5


def test_the_seed_text_and_a_word_file_upload_too(app, client):
    from goalsapp.domain.importing import read_sheets

    from .paperforms import paper_form_docx

    for data, name in ((SEED_BYTES, "seed.txt"), (paper_form_docx(read_sheets(DEMO_FILE)[:2]), "两张.docx")):
        page = upload(client, data, name).get_data(as_text=True)
        assert "基层商会专项经费" in page and "导入预览" in page


def test_duplicates_are_skipped_replaced_or_kept_as_chosen(seeded, client):
    with seeded.app_context():
        db.session.get(GoalSheet, 1).budget_dept = "改过的部门"
        db.session.commit()
    page = upload(client, SEED_BYTES, "seed.txt").get_data(as_text=True)
    assert page.count(">已有同名表</a>") == 5 and page.count('value="skip" checked') == 5
    client.post("/import/confirm", data={"token": token_of(page), "filename": "seed.txt", "choice-0": "replace", "choice-1": "keep"})
    sheets = all_sheets(seeded)
    assert len(sheets) == 5 - 1 + 1 + 1  # one replaced, one kept twice, three skipped
    assert [s[3] for s in sheets].count("非公党建项目") == 2
    assert "改过的部门" not in {s[4] for s in sheets}


def test_an_expired_upload_is_explained(app, client):
    response = client.post("/import/confirm", data={"token": "../../etc/passwd", "filename": "x"})
    assert response.status_code == 303 and response.location == "/import"
    assert "这次上传已过期或无效" in client.get("/import").get_data(as_text=True)
    assert count(app) == 0


def uploads_kept(app) -> int:
    with app.app_context():
        return db.session.scalar(select(db.func.count(PendingUpload.token)))


def test_an_upload_is_only_its_uploaders_to_confirm(app, client, filler):
    page = upload(client, SEED_BYTES, "seed.txt").get_data(as_text=True)
    stolen = filler.post("/import/confirm", data={"token": token_of(page), "filename": "seed.txt"})
    assert stolen.location == "/import" and "这次上传已过期或无效" in filler.get("/import").get_data(as_text=True)
    assert count(app) == 0
    client.post("/import/confirm", data={"token": token_of(page), "filename": "seed.txt"})
    assert count(app) == 5


def test_a_user_holds_a_few_uploads_the_oldest_dropped_first(app, client):
    tokens = [token_of(upload(client, SEED_BYTES, "seed.txt").get_data(as_text=True)) for _ in range(uploads.KEEP_PER_USER + 1)]
    assert uploads_kept(app) == uploads.KEEP_PER_USER
    client.post("/import/confirm", data={"token": tokens[0], "filename": "seed.txt"})
    assert count(app) == 0 and "这次上传已过期或无效" in client.get("/import").get_data(as_text=True)
    client.post("/import/confirm", data={"token": tokens[-1], "filename": "seed.txt"})
    assert count(app) == 5


def test_an_upload_left_past_the_keep_time_is_gone(app, client):
    page = upload(client, SEED_BYTES, "seed.txt").get_data(as_text=True)
    with app.app_context():
        long_ago = utcnow() - timedelta(seconds=uploads.KEEP_SECONDS + 60)
        db.session.execute(update(PendingUpload).values(uploaded_at=long_ago))
        db.session.commit()
    client.post("/import/confirm", data={"token": token_of(page), "filename": "seed.txt"})
    assert count(app) == 0 and "这次上传已过期或无效" in client.get("/import").get_data(as_text=True)
    upload(client, SEED_BYTES, "seed.txt")  # the next upload sweeps the old one away
    assert uploads_kept(app) == 1


def test_no_file_chosen(client):
    response = client.post("/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "请选择要导入的文件" in response.get_data(as_text=True)


def zip_of(**files) -> bytes:
    buffer = BytesIO()
    with ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def empty_workbook() -> bytes:
    buffer = BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def set_cell(worksheet, ref, value):
    def change(book):
        book[worksheet][ref].value = value
    return change


BAD_FILES = [
    ("notes.xlsx", lambda app: b"just some notes", "文件扩展名是Excel/Word，但内容不是"),
    ("broken.xlsx", lambda app: seed_workbook(app)[:300], "文件已损坏"),
    ("empty.xlsx", lambda app: empty_workbook(), "工作簿里没有找到"),
    ("other.zip", lambda app: zip_of(**{"readme.txt": "hi"}), "既不是Excel工作簿也不是Word文档"),
    ("old.xls", lambda app: b"\xd0\xcf\x11\xe0" + b"\0" * 100, "另存为.xlsx或.docx后再导入"),
    ("blank.txt", lambda app: b"  \n", "文件是空的"),
    ("huge.txt", lambda app: b"x" * (5 * 1024 * 1024 + 1), "文件超过5 MB"),
    ("no-name.xlsx", lambda app: seed_workbook(app, set_cell("光彩事业项目", "A3", None)), "缺少“项目支出名称”"),
    ("no-budget.xlsx", lambda app: seed_workbook(app, set_cell("光彩事业项目", "B4", None)), "工作表“光彩事业项目”B4：缺少“年度本级预算金额”"),
    ("words.xlsx", lambda app: seed_workbook(app, set_cell("商会建设项目", "B4", "两万四")), "工作表“商会建设项目”B4：金额“两万四”不是数字"),
    ("bad-category.xlsx", lambda app: seed_workbook(app, set_cell("教育培训项目", "C11", "质量考核")), "下没有二级指标“质量考核”"),
    ("nothing.docx", lambda app: _plain_docx(), "文档里没有找到"),
]


def _plain_docx() -> bytes:
    from docx import Document

    buffer = BytesIO()
    document = Document()
    document.add_paragraph("会议纪要")
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("filename, make, message", BAD_FILES, ids=[name for name, _, _ in BAD_FILES])
def test_a_bad_file_is_explained_and_writes_nothing(seeded, client, filename, make, message):
    before = all_sheets(seeded)
    response = upload(client, make(seeded), filename)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"{filename}" in page and message in page
    assert "导入预览" not in page
    assert all_sheets(seeded) == before


def test_a_file_over_the_upload_limit_gets_a_chinese_413(client):
    response = upload(client, b"x" * (7 * 1024 * 1024), "huge.txt")
    assert response.status_code == 413 and "文件太大：最大 5 MB" in response.get_data(as_text=True)


def test_one_bad_worksheet_stops_the_whole_import(app, runner, tmp_path):
    path = tmp_path / "mixed.xlsx"
    path.write_bytes(seed_workbook(app, set_cell("商会建设项目", "B4", "abc")))
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code != 0 and "商会建设项目”B4" in result.output
    assert count(app) == 0


# --- copy a year forward --------------------------------------------------------------


def test_copying_a_sheet_makes_a_new_draft_for_next_year(seeded, client):
    response = client.post("/sheets/3/copy-forward")
    assert response.status_code == 303
    with seeded.app_context():
        original, copy = db.session.get(GoalSheet, 3), db.session.scalars(select(GoalSheet).where(GoalSheet.year == 2022)).one()
        assert response.location == f"/sheets/{copy.id}"
        assert (copy.year, copy.project_name, copy.local_budget) == (2022, "光彩事业项目", original.local_budget)
        assert (copy.period_start, copy.period_end) == (date(2022, 1, 1), date(2021, 12, 1))
        # The same rows, their own year moved on ("2021年12月完成率" is 2022's in the copy)
        assert as_tuple(copy)[-1] == [tuple(text.replace("2021年", "2022年") for text in row) for row in as_tuple(original)[-1]]
        assert len(copy.indicators) == 13
        assert (original.year, original.period_start) == (2021, date(2021, 1, 1))
        copy_id = copy.id
    assert "2022年项目支出绩效目标表" in client.get(f"/sheets/{copy_id}/print").get_data(as_text=True)
    again = client.post("/sheets/3/copy-forward")
    assert again.location == f"/sheets/{copy_id}" and count(seeded) == 6


def test_copying_a_unit_year_copies_every_sheet_once(seeded, client):
    client.post("/sheets/1/copy-forward")
    client.post("/copy-forward", data={"unit": "会同县工商联", "year": "2021"})
    assert count(seeded) == 10
    assert "已存在、未复制：基层商会专项经费" in client.get("/").get_data(as_text=True)
    assert "2022年 · 会同县工商联" in client.get("/").get_data(as_text=True)


def test_a_copy_moves_the_years_that_refer_to_its_own_year_and_lists_them(seeded, client):
    response = client.post("/sheets/1/copy-forward", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "文中的年份已顺延 3 处" in page and '<a href="#history">在修改记录里看改了哪些</a>' in page
    with seeded.app_context():
        copy = db.session.scalars(select(GoalSheet).where(GoalSheet.year == 2022)).one()
        assert copy.annual_goal == "2022年7个基层商会正常运转，自身建设得到加强"
        names = [row.name for row in copy.indicators]
        assert "2022年12月底完成全年工作计划" in names
        assert "7个基层商会按照《会同县工商联基层商会2022年度目标管理综合绩效考核办法》正常开展工作" in names
        (event,) = copy.events
        assert event.changes == [
            ["本年度绩效目标（年份顺延）", "2021年7个基层商会正常运转，自身建设得到加强", "2022年7个基层商会正常运转，自身建设得到加强"],
            ["质量指标第1行三级指标（年份顺延）", "7个基层商会按照《会同县工商联基层商会2021年度目标管理综合绩效考核办法》正常开展工作",
             "7个基层商会按照《会同县工商联基层商会2022年度目标管理综合绩效考核办法》正常开展工作"],
            ["时效指标第1行三级指标（年份顺延）", "2021年12月底完成全年工作计划", "2022年12月底完成全年工作计划"],
        ]
    # the history panel shows them, old → new
    assert "<del>2021年12月底完成全年工作计划</del> → <ins>2022年12月底完成全年工作计划</ins>" in page


def test_a_copy_leaves_other_years_and_moves_a_written_period_whole(seeded, client):
    with seeded.app_context():
        sheet = db.session.get(GoalSheet, 2)
        sheet.period_goal = "较2019年增长10%，2021年至2023年持续推进"
        sheet.fields = {"period": "2021.01-2020.12", "footer:填表人": "张三"}
        db.session.commit()
    client.post("/sheets/2/copy-forward")
    with seeded.app_context():
        copy = db.session.scalars(select(GoalSheet).where(GoalSheet.year == 2022)).one()
        assert copy.period_goal == "较2019年增长10%，2022年至2023年持续推进"
        assert copy.written("period") == "2022.01-2021.12"  # prints as the dates now say


def test_copying_a_unit_year_says_how_many_texts_moved_with_a_link_to_each(seeded, client):
    page = client.post("/copy-forward", data={"unit": "会同县工商联", "year": "2021"}, follow_redirects=True).get_data(as_text=True)
    with seeded.app_context():
        copies = db.session.scalars(select(GoalSheet).where(GoalSheet.year == 2022).order_by(GoalSheet.id)).all()
        moved = {copy.project_name: len(copy.events[0].changes) for copy in copies}
        assert all(moved.values()) and not any("2021年" in copy.annual_goal for copy in copies)
        first = copies[0].id
    assert f"文中的年份已顺延 {sum(moved.values())} 处" in page
    assert f'<a href="/sheets/{first}#history">基层商会专项经费</a> 3 处' in page


def test_copy_year_command(seeded):
    runner = seeded.test_cli_runner()
    result = runner.invoke(args=["copy-year", "--unit", "会同县工商联", "--from", "2021", "--to", "2023"])
    assert result.exit_code == 0 and "共复制 5 张表到2023年" in result.output
    assert "复制：基层商会专项经费，8 个指标，文中年份顺延 3 处" in result.output
    with seeded.app_context():
        copies = db.session.scalars(select(GoalSheet).where(GoalSheet.year == 2023)).all()
        assert {(s.period_start, s.period_end) for s in copies} == {(date(2023, 1, 1), date(2022, 12, 1))}
    missing = runner.invoke(args=["copy-year", "--unit", "无此单位", "--from", "2021", "--to", "2022"])
    assert missing.exit_code != 0
