"""A sheet prints the rows its form really has: the file a unit handed in (tests/variants) is
the paper, so its printed table has that file's rows, its blank ones included, and no more."""
import pytest

from goalsapp.domain.formtemplates import TEMPLATES
from goalsapp.domain.importing import fill_blank_units, read_bytes, store

from .variants.catalog import BY_CODE
from .variants.writers import to_docx, to_txt_bytes, to_xlsx

COMMENT_ROW = "财政部门<br>审核意见"


def stored(app, code: str) -> list[tuple[int, str]]:
    """The variant's sheets read from its .docx and stored: (id, project name) each."""
    with app.app_context():
        sheets = read_bytes(to_docx(BY_CODE[code]), f"{code}.docx")
        fill_blank_units(sheets, "上传者所在单位", code)
        store(sheets, ["keep"] * len(sheets))
        return [(sheet.id, sheet.project_name) for sheet in sheets]


def rows_on_paper(code: str, project: str) -> int:
    """The indicator rows the file prints for the project, blank ones included, to its last
    filled row (a flat list's rows are its projects')."""
    block = BY_CODE[code].block
    rows = [row for row in block.padded if dict(zip(block.columns, row)).get("项目名称", project) == project]
    return 1 + max(index for index, row in enumerate(rows) if block.is_record(row))


def printed_rows(page: str) -> int:
    """The indicator rows of a printed sheet: the rows of its indicator table's first body."""
    indicators = page.split('<table class="form indicators">', 1)[1]
    return indicators.split("<tbody>", 1)[1].split("</tbody>", 1)[0].count("<tr>")


@pytest.mark.parametrize("code", list(BY_CODE))
def test_a_form_prints_the_rows_its_paper_has(app, client, code):
    for sheet_id, project in stored(app, code):
        page = client.get(f"/sheets/{sheet_id}/print").get_data(as_text=True)
        assert printed_rows(page) == rows_on_paper(code, project)
        assert (COMMENT_ROW in page) == bool(BY_CODE[code].tail)


@pytest.mark.parametrize(("code", "template"), [("hunan_2021", "hunan-2021"), ("hunan_2023", "hunan-2023"), ("hubei_2019", "hubei-2019")])
@pytest.mark.parametrize(("extension", "write"), [("docx", to_docx), ("xlsx", to_xlsx), ("txt", to_txt_bytes)])
def test_hunans_2023_form_is_told_from_its_2021_form_by_the_title(app, code, template, extension, write):
    """"…绩效目标申报表" is Hunan's 2023 form (Hubei's 2019 one is worded alike; its labels differ)."""
    with app.app_context():
        (sheet,) = read_bytes(write(BY_CODE[code]), f"{code}.{extension}")
        assert sheet.template == template


@pytest.mark.parametrize(("code", "template", "year"), [("hunan_2023", "hunan-2021", 2023), ("hunan_2021", "hunan-2023", 2021)])
def test_a_file_read_in_the_other_hunan_form_keeps_its_titles_year(app, code, template, year):
    """The clerk may have a file read in another form than its title's: the title still names the year."""
    with app.app_context():
        (sheet,) = read_bytes(to_docx(BY_CODE[code]), "湖南.docx", TEMPLATES[template])
        assert (sheet.template, sheet.year) == (template, year)
