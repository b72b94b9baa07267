"""Every form a unit is handed (tests/variants), printed to A4 by the real browser: every
label on the lines the form gives it, and one page, as on paper."""
from collections import Counter

import pytest

from goalsapp.domain.importing import fill_blank_units, read_bytes, store
from goalsapp.domain.models import Role

from ..variants.catalog import BY_CODE, FJ_GOALS
from ..variants.writers import to_docx
from .test_print import pdf_pages, pdf_words

CODES = list(BY_CODE)


def printed(page, live_server, app, tmp_path, code: str):
    """Each of the variant's sheets, read from its .docx, stored and printed: its PDF's path
    (the page stays on its print view)."""
    with app.app_context():
        sheets = read_bytes(to_docx(BY_CODE[code]), f"{code}.docx")
        fill_blank_units(sheets, "上传者所在单位", code)
        store(sheets, ["keep"] * len(sheets))
        ids = [sheet.id for sheet in sheets]
    for sheet_id in ids:
        page.goto(f"{live_server}/sheets/{sheet_id}/print")
        pdf = tmp_path / f"{code}-{sheet_id}.pdf"
        page.pdf(path=pdf, format="A4", print_background=True, prefer_css_page_size=True)
        yield pdf


@pytest.mark.parametrize("code", CODES)
def test_a_forms_labels_break_only_where_the_form_breaks_them(page, browser_login, csrf_app, tmp_path, code):
    for pdf in printed(page, browser_login(Role.REVIEWER), csrf_app, tmp_path, code):
        # Each label line (a <br> where the form breaks it) is one word on paper: a column too
        # narrow for it would break it anywhere ("项目实施单/位", "满意度指/标").
        lines = Counter(line.strip() for text in page.locator("table.form th").all_inner_texts()
                        for line in text.split("\n") if line.strip())
        words = Counter(word for number in range(1, len(pdf_pages(pdf)) + 1) for word in pdf_words(pdf, number))
        broken = sorted(line for line, count in lines.items() if words[line] < count)
        assert broken == [], f"{code}: labels broken where the form does not break them: {broken}"


@pytest.mark.parametrize("code", CODES)
def test_a_form_prints_on_one_a4_page_as_on_paper(page, browser_login, csrf_app, tmp_path, code):
    for pdf in printed(page, browser_login(Role.REVIEWER), csrf_app, tmp_path, code):
        assert len(pdf_pages(pdf)) == 1, f"{code}: the form runs onto a second page"


def test_a_value_written_on_several_lines_prints_on_them(page, browser_login, csrf_app, tmp_path):
    """Fujian's 年度总体目标 is 目标1, 目标2 and 目标3, a line each: on paper as in the file."""
    (pdf,) = printed(page, browser_login(Role.REVIEWER), csrf_app, tmp_path, "fujian_2019_department")
    words = pdf_words(pdf)
    assert [line for line in FJ_GOALS.split("\n") if line not in words] == []
