"""公开文本 printed by Chromium as a user's 打印 prints it: a cover, the contents, each table on its
own pages, every page numbered by the document itself, and the contents pointing at the pages
the tables are really on, a table longer than one page included."""
import re
from decimal import Decimal

from playwright.sync_api import expect

from goalsapp.cli.commands import DEMO_FILE
from goalsapp.domain.importing import import_files
from goalsapp.domain.models import GoalSheet, Indicator, Role, Status
from goalsapp.extensions import db

from ..conftest import SEED_UNIT
from .test_print import pdf_pages
from .test_subtable import shots_folder

LONG_ROWS = 40
WAITING = "教育培训项目"  # submitted, not approved: left out


def store_the_year(app) -> None:
    """A table too long for one page (first, so every table after it moves on), then the seed's
    five, all approved but one."""
    with app.app_context():
        long = GoalSheet(unit=SEED_UNIT, year=2021, project_name="长表项目", local_budget=Decimal(1), status=Status.APPROVED)
        # Names that wrap over several lines, so that rows are tall and a careless split would cut one.
        long.indicators = [
            Indicator(level1="产出指标", level2="数量指标", name=f"甲{n:02d}起" + "这是一段很长的指标说明文字" * 4 + f"乙{n:02d}止",
                      value=f"值{n:02d}", standard="计划标准", position=n)
            for n in range(LONG_ROWS)
        ]
        db.session.add(long)
        db.session.commit()
        import_files([DEMO_FILE])
        for sheet in db.session.scalars(db.select(GoalSheet)):
            sheet.status = Status.SUBMITTED if sheet.project_name == WAITING else Status.APPROVED
        db.session.commit()


def test_the_printed_publication_is_numbered_as_its_contents_says(page, browser_login, csrf_app, tmp_path):
    live_server = browser_login(Role.REVIEWER)
    store_the_year(csrf_app)
    page.goto(f"{live_server}/?status=")  # every sheet, grouped by unit and year
    page.get_by_role("link", name="公开文本").click()
    page.wait_for_selector("html[data-paginated]")
    expect(page.locator("#left-out")).to_contain_text(f"{WAITING} 已提交")
    expect(page.locator("#overflow-note")).to_be_hidden()  # every page fits its sheet of paper
    shots = shots_folder(tmp_path)
    # Cut from the whole document: the toolbar stays at the window's top, over a page scrolled to.
    for name, locator in (("cover", page.locator(".page.cover")), ("contents", page.locator(".page").nth(1))):
        page.screenshot(path=shots / f"publish-{name}.png", full_page=True, clip=locator.bounding_box())

    entries = [(row.locator("td.name").inner_text(), int(row.locator("td.page-of").inner_text()))
               for row in page.locator("table.contents tr:has(td.name)").all()]
    total = int(page.locator(".toolbar [data-page-count]").inner_text())
    pdf = tmp_path / "publication.pdf"
    page.pdf(path=pdf, format="A4", print_background=True, prefer_css_page_size=True)
    pages = [re.sub(r"\s+", "", text) for text in pdf_pages(pdf)]

    # 1 cover + 1 contents + each table's pages, as many sheets of paper as the document counts
    names = [name for name, _ in entries]
    assert names == ["长表项目", "基层商会专项经费", "非公党建项目", "光彩事业项目", "商会建设项目"]
    starts = [number for _, number in entries]
    spans = [after - start for start, after in zip(starts, starts[1:] + [total + 1])]
    assert starts[0] == 3 and spans[0] >= 3 and spans[1:] == [1, 1, 1, 1]
    assert len(pages) == total == 2 + sum(spans)
    # every page says which it is, of how many
    assert [f"第{number}页/共{total}页" in text for number, text in enumerate(pages, start=1)] == [True] * total
    assert "部门预算公开" in pages[0] and "2021年度项目支出绩效目标表" in pages[0] and "目录" in pages[1]
    # each table begins on the page the contents names (its header names the project), not before
    for name, start in entries:
        assert f"项目支出名称{name}" in pages[start - 1] and f"项目支出名称{name}" not in pages[start - 2], name

    # the long table: each row whole on one of its own pages, the column heads on each, and each
    # page that holds rows names their categories
    own = pages[starts[0] - 1:starts[1] - 1]
    for n in range(LONG_ROWS):
        (holder,) = [text for text in own if f"甲{n:02d}起" in text]
        assert f"乙{n:02d}止" in holder and f"值{n:02d}" in holder
    assert all("三级指标" in text and "绩效标准" in text for text in own)
    assert all("产出" in text and "数量指标" in text for text in own if "甲" in text)  # the spanned categories go on too
    # left out: the table not approved, the note about it, the toolbar
    assert not any(WAITING in text or "尚未审核通过" in text or "返回列表" in text for text in pages)
