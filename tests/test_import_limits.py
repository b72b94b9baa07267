"""A file is held to the same limits as the editor and the database (limits.py): a text too
long, a year out of range, too many rows or sheets is refused at the preview with the cell,
rather than previewing fine and failing on confirm. All or nothing, as ever."""
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from goalsapp.cli.commands import DEMO_FILE
from goalsapp.domain import limits
from goalsapp.domain.importing import read_sheets
from goalsapp.domain.models import GoalSheet, Indicator
from goalsapp.extensions import db
from goalsapp.formats.excel import FLAT_HEADS, write_workbook

from .test_exchange import upload
from .test_hostile_files import seed_xlsx

FORM = "基层商会专项经费"  # the seed's first sheet, as a form worksheet of the export


def count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(GoalSheet))


def changed(changes: dict[str, object], worksheet: str = FORM, only_flat: bool = False) -> bytes:
    book = load_workbook(BytesIO(seed_xlsx()))
    for ref, value in changes.items():
        book[worksheet][ref].value = value
    if only_flat:
        for ws in book.worksheets[:-1]:
            book.remove(ws)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def refused(app, client, data: bytes, filename: str, message: str) -> None:
    response = upload(client, data, filename)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and filename in page and message in page, page[-2000:]
    assert count(app) == 0


TOO_LONG = [  # cell, label, limit
    ("B3", "项目支出名称", limits.PROJECT_NAME),
    ("F3", "预算部门", limits.BUDGET_DEPT),
    ("B6", "实施期绩效目标", limits.GOAL_TEXT),
    ("B7", "本年度绩效目标", limits.GOAL_TEXT),
    ("D9", "三级指标", limits.INDICATOR_NAME),
    ("E9", "指标值及单位", limits.INDICATOR_VALUE),
    ("F9", "绩效标准", limits.INDICATOR_STANDARD),
]


@pytest.mark.parametrize("ref, label, limit", TOO_LONG, ids=[label for _, label, _ in TOO_LONG])
def test_a_text_over_its_limit_is_refused_with_its_cell(app, client, ref, label, limit):
    data = changed({ref: "字" * (limit + 1)})
    refused(app, client, data, "长.xlsx", f"工作表“{FORM}”{ref}：{label}有{limit + 1}个字，不能超过{limit}个字")


def test_a_unit_name_over_its_limit_is_refused(app, client):
    data = changed({"A2": f"填报单位：{'单' * (limits.UNIT_NAME + 1)}（盖章）"})
    refused(app, client, data, "单位.xlsx", f"A2：填报单位有{limits.UNIT_NAME + 1}个字")


def test_texts_at_their_limits_import(app, client):
    data = changed({ref: "字" * limit for ref, _, limit in TOO_LONG if ref != "F9"})
    page = upload(client, data, "刚好.xlsx").get_data(as_text=True)
    assert "导入预览：刚好.xlsx" in page and "文件里有 5 张表" in page


@pytest.mark.parametrize("ref, label, limit", [("C2", "项目支出名称", limits.PROJECT_NAME), ("A2", "填报单位", limits.UNIT_NAME),
                                               ("F2", "三级指标", limits.INDICATOR_NAME)])
def test_the_flat_list_keeps_the_same_limits(app, client, ref, label, limit):
    data = changed({ref: "字" * (limit + 1)}, worksheet="指标清单", only_flat=True)
    refused(app, client, data, "清单.xlsx", f"工作表“指标清单”{ref}：{label}有{limit + 1}个字")


@pytest.mark.parametrize("year", [limits.FIRST_YEAR - 1, limits.LAST_YEAR + 1])
def test_a_year_out_of_range_is_refused(app, client, year):
    refused(app, client, changed({"A1": f"{year}年项目支出绩效目标表"}), "年.xlsx",
            f"A1：年度{year}应在{limits.FIRST_YEAR}至{limits.LAST_YEAR}之间")
    refused(app, client, changed({"B2": year}, worksheet="指标清单", only_flat=True), "清单.xlsx",
            f"工作表“指标清单”B2：年度{year}应在{limits.FIRST_YEAR}至{limits.LAST_YEAR}之间")


def test_a_period_year_no_form_holds_is_refused(app, client):
    refused(app, client, changed({"B5": "0001.1-9999.12"}), "实施期.xlsx",
            f"B5：实施期的年份0001应在{limits.PERIOD_FIRST_YEAR}至{limits.PERIOD_LAST_YEAR}之间")


def test_a_sheet_with_more_rows_than_the_limit_is_refused_in_either_layout(app, client):
    seed = read_sheets(DEMO_FILE)[0]
    rows = [seed.indicators[n % len(seed.indicators)] for n in range(limits.INDICATORS_PER_SHEET + 1)]
    seed.indicators = [Indicator(position=n, level1=row.level1, level2=row.level2, name=f"指标{n}", value=row.value,
                                 standard=row.standard) for n, row in enumerate(rows, start=1)]
    refused(app, client, write_workbook([seed]), "长表.xlsx", f"一张表最多{limits.INDICATORS_PER_SHEET}个指标，到这一行已超过")

    flat = Workbook()
    flat.active.append(FLAT_HEADS)
    for row in rows:
        flat.active.append(("会同县工商联", 2021, "大项目", row.level1, row.level2, "指标", "1个", "计划标准", 1))
    buffer = BytesIO()
    flat.save(buffer)
    refused(app, client, buffer.getvalue(), "长清单.xlsx",
            f"工作表“Sheet”A{limits.INDICATORS_PER_SHEET + 2}：一张表最多{limits.INDICATORS_PER_SHEET}个指标")


def test_a_file_with_more_sheets_than_the_limit_is_refused(app, client, runner, tmp_path):
    text = DEMO_FILE.read_bytes()
    copies = limits.SHEETS_PER_FILE // 5 + 1  # the seed holds five sheets
    refused(app, client, text * copies, "很多表.txt", f"文件里有{copies * 5}张表，一个文件最多{limits.SHEETS_PER_FILE}张")
    path = tmp_path / "很多表.txt"
    path.write_bytes(text * copies)
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code != 0 and f"一个文件最多{limits.SHEETS_PER_FILE}张" in result.output and count(app) == 0


def test_a_unit_line_built_to_be_slow_is_refused_before_any_pattern_reads_it(app):
    """UNIT_LINE costs the square of a line's length (20,000 spaces took 8 s): such a line is refused first."""
    from goalsapp.domain.errors import ReadError
    from goalsapp.domain.importing import read_bytes

    spaces = ("2021年项目支出绩效目标表\n填报单位：" + " " * 20000 + "x\n").encode()
    with pytest.raises(ReadError, match="不像是填报单位"):
        read_bytes(spaces, "慢.txt")


def test_word_bookmarks_are_dropped_only_when_they_close_soon(app):
    """The residue pattern looks at most 200 characters ahead (30,000 unclosed ones took 6 s)."""
    from goalsapp.formats.reader import clean

    assert clean("正文[bookmark: _GoBack]完") == "正文完"
    unclosed = "[bookmark: " + "字" * 300 + "]"
    assert clean(unclosed) == unclosed


def _forms_docx(copies: int) -> bytes:
    """The seed's two-form .docx with its body repeated: 2 × copies forms."""
    from .test_hostile_files import DOCUMENT_PART, part, repacked, seed_docx

    xml = part(seed_docx(), DOCUMENT_PART)
    start, end = xml.index(b"<w:body>") + len(b"<w:body>"), xml.rindex(b"<w:sectPr")
    return repacked(seed_docx(), {DOCUMENT_PART: xml[:start] + xml[start:end] * copies + xml[end:]})


def test_forms_past_the_limit_are_counted_before_any_is_read(monkeypatch):
    """A .docx of 780 forms took 5.8 s to be refused: every form was read, then counted."""
    from goalsapp.domain.errors import ReadError
    from goalsapp.domain.importing import read_bytes
    from goalsapp.formats import reader

    copies = limits.SHEETS_PER_FILE // 2 + 1
    docx = _forms_docx(copies)
    book = Workbook()
    for n in range(limits.SHEETS_PER_FILE + 1):
        (book.active if n == 0 else book.create_sheet())["A1"] = "2021年项目支出绩效目标表"
    buffer = BytesIO()
    book.save(buffer)
    read = []
    monkeypatch.setattr(reader, "read_form", lambda *args, **kwargs: read.append(args))
    with pytest.raises(ReadError, match=f"文件里有{copies * 2}张表，一个文件最多{limits.SHEETS_PER_FILE}张"):
        read_bytes(docx, "很多表.docx")
    with pytest.raises(ReadError, match=f"文件里有{limits.SHEETS_PER_FILE + 1}张表"):
        read_bytes(buffer.getvalue(), "很多表.xlsx")
    assert read == []


def test_a_flat_list_past_the_file_limit_is_refused(app, client):
    """A 45,000-row 指标清单 previewed in 8.5 s as 15.6 MB of HTML."""
    flat = Workbook()
    flat.active.append(FLAT_HEADS)
    for n in range(limits.INDICATORS_PER_FILE + 1):
        flat.active.append(("会同县工商联", 2021, f"项目{n // 250}", "产出指标", "数量指标", f"指标{n}", "1个", "计划标准", 1))
    buffer = BytesIO()
    flat.save(buffer)
    refused(app, client, buffer.getvalue(), "大清单.xlsx",
            f"文件里有{limits.INDICATORS_PER_FILE + 1}个指标，一个文件最多{limits.INDICATORS_PER_FILE}个")


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_a_value_that_reads_like_a_title_or_a_label_survives_a_round_trip(kind):
    """A project named after the form's title made the exported 指标清单 look like a form,
    and a goal reading "预算部门" was taken for that label."""
    from goalsapp.domain.importing import read_bytes

    from .paperforms import as_tuple, paper_form_docx

    sheets = read_sheets(DEMO_FILE)[:2]
    sheets[0].project_name = "关于2021年项目支出绩效目标表的说明"
    sheets[1].annual_goal, sheets[1].period_goal = "预算部门", "项目支出名称"
    data = write_workbook(sheets) if kind == "xlsx" else paper_form_docx(sheets)
    assert [as_tuple(sheet) for sheet in read_bytes(data, f"往返.{kind}")] == [as_tuple(sheet) for sheet in sheets]


def test_text_saved_by_word_as_unicode_reads_like_the_seed(app, client):
    """Word's "Unicode text" is UTF-16 with a byte-order mark; it was refused as undecodable."""
    from goalsapp.domain.importing import read_bytes

    from .paperforms import as_tuple

    text = DEMO_FILE.read_bytes().decode("utf-8-sig")
    for encoding in ("utf-16", "utf-16-be", "utf-8-sig", "gb18030"):
        data = ("\ufeff" if encoding == "utf-16-be" else "").encode(encoding) + text.encode(encoding)
        assert [as_tuple(s) for s in read_bytes(data, "unicode.txt")] == [as_tuple(s) for s in read_sheets(DEMO_FILE)], encoding
    refused(app, client, b"\xff\xfe" + b"\x00\xd8" * 10, "坏.txt", "UTF-16")
