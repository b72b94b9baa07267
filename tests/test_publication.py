"""公开文本: a unit's approved tables of a year as one document, cover, contents and numbered pages."""
import re
from datetime import date, datetime
from decimal import Decimal

from goalsapp.domain.models import GoalSheet, Indicator, Status
from goalsapp.domain.publication import Part, Publication
from goalsapp.extensions import db
from goalsapp.web.filters import BEIJING

from .conftest import SEED_UNIT

URL = "/publication"
SEED_YEAR = {"unit": SEED_UNIT, "year": 2021}


def set_statuses(app, statuses: dict[int, Status]) -> None:
    with app.app_context():
        for sheet_id, status in statuses.items():
            db.session.get(GoalSheet, sheet_id).status = status
        db.session.commit()


def approve_all_but_the_fourth(app) -> None:
    """The seed's five sheets approved, but 教育培训项目 (id 4), still waiting for the bureau."""
    set_statuses(app, {1: Status.APPROVED, 2: Status.APPROVED, 3: Status.APPROVED, 4: Status.SUBMITTED, 5: Status.APPROVED})


def contents(page: str) -> list[tuple[str, int]]:
    """The contents' lines: (project name, the page it starts on)."""
    found = re.findall(r'<a href="#target-\d+">([^<]*)</a>.*?data-page-of="target-\d+">(\d+)<', page, re.S)
    return [(name, int(number)) for name, number in found]


def numbered_pages(page: str) -> list[tuple[int, int]]:
    """Each page's footer: (its number, the page count it states)."""
    found = re.findall(r"第 <span data-page-number>(\d+)</span> 页 / 共 <span data-page-count>(\d+)</span> 页", page)
    return [(int(number), int(count)) for number, count in found]


def test_the_contents_lists_each_approved_table_at_the_page_it_starts_on(seeded, reviewer):
    approve_all_but_the_fourth(seeded)
    page = reviewer.get(URL, query_string=SEED_YEAR).get_data(as_text=True)
    # the cover is page 1, the contents page 2, then a page a table
    assert contents(page) == [("基层商会专项经费", 3), ("非公党建项目", 4), ("光彩事业项目", 5), ("商会建设项目", 6)]
    assert numbered_pages(page) == [(number, 6) for number in range(1, 7)]
    # each table's page is the one the contents names, and holds that table
    tables = re.findall(r'<section class="page" id="target-(\d+)">.*?<td colspan="\d+">([^<]*)</td>.*?data-page-number>(\d+)<', page, re.S)
    assert [(name, int(number)) for _, name, number in tables] == contents(page)


def test_only_approved_tables_are_published_and_the_preview_names_the_others(seeded, reviewer):
    approve_all_but_the_fourth(seeded)
    page = reviewer.get(URL, query_string=SEED_YEAR).get_data(as_text=True)
    assert page.count('<article class="sheet">') == 4
    assert 'id="target-4"' not in page and "#target-4" not in page
    note = page[page.index('<aside class="screen-note" id="left-out">'):page.index("</aside>")]
    assert "以下 1 张表尚未审核通过，不在公开文本中" in note
    assert '<a href="/sheets/4">教育培训项目</a> <span class="status">已提交</span>' in note
    assert "草稿" not in page and "送审稿" not in page  # no table printed with a not-approved mark


def test_with_nothing_approved_there_is_nothing_to_publish(seeded, filler):
    page = filler.get(URL, query_string=SEED_YEAR).get_data(as_text=True)
    assert "会同县工商联 2021年还没有审核通过的表，没有可公开的内容。" in page
    assert 'class="page' not in page and 'id="print-button"' not in page
    assert "以下 5 张表尚未审核通过" in page


def test_the_cover_names_the_unit_the_year_the_purpose_and_the_date(seeded, reviewer):
    approve_all_but_the_fourth(seeded)
    page = reviewer.get(URL, query_string=SEED_YEAR).get_data(as_text=True)
    cover = page[page.index('<section class="page cover">'):page.index("</section>")]
    assert '<p class="purpose">部门预算公开</p>' in cover
    assert "<h1><span>会同县工商联</span><span>2021年度项目支出绩效目标表</span></h1>" in cover
    today = datetime.now(BEIJING).date()
    assert f"<span>{today.year}年{today.month}月{today.day}日</span>" in cover


def test_a_published_table_is_printed_as_the_print_view_prints_it(seeded, reviewer):
    approve_all_but_the_fourth(seeded)
    article = lambda page: page[page.index('<article class="sheet">'):page.index("</article>")]  # noqa: E731
    published = reviewer.get(URL, query_string=SEED_YEAR).get_data(as_text=True)
    printed = reviewer.get("/sheets/1/print").get_data(as_text=True)
    assert article(published) == article(printed)


def test_a_filler_publishes_their_own_unit_and_never_another(seeded, filler, other_filler):
    approve_all_but_the_fourth(seeded)
    assert filler.get(URL, query_string=SEED_YEAR).status_code == 200
    refused = other_filler.get(URL, query_string=SEED_YEAR)
    assert refused.status_code == 404 and "基层商会专项经费" not in refused.get_data(as_text=True)


def test_a_year_with_no_tables_is_404(seeded, reviewer):
    assert reviewer.get(URL, query_string={"unit": SEED_UNIT, "year": 2030}).status_code == 404
    assert reviewer.get(URL, query_string={"unit": "无此单位", "year": 2021}).status_code == 404


def test_the_lists_unit_year_group_links_to_its_publication(seeded, filler, reviewer):
    link = '<a class="button" href="/publication?unit=%E4%BC%9A%E5%90%8C%E5%8E%BF%E5%B7%A5%E5%95%86%E8%81%94&amp;year=2021">公开文本</a>'
    assert link in filler.get("/").get_data(as_text=True)
    assert link in reviewer.get("/?status=").get_data(as_text=True)


def test_parts_follow_one_another_in_the_page_numbers():
    """决算公开 will add a part, the self-evaluations of the same projects: its tables are numbered
    after the first part's, and a project's two tables have pages of their own to link to."""
    targets = [GoalSheet(id=n, project_name=f"项目{n}") for n in (1, 2)]
    parts = [Part("target", "项目支出绩效目标表", targets, "print/_sheet.html"),
             Part("evaluation", "项目支出绩效自评表", [*targets, GoalSheet(id=9, project_name="项目9")], "print/_sheet.html")]
    document = Publication("某单位", 2021, "标题", "决算公开", date(2022, 6, 1), parts, [])
    pages = [[(entry.anchor, entry.page) for entry in entries] for _, entries in document.contents()]
    assert pages == [[("target-1", 3), ("target-2", 4)], [("evaluation-1", 5), ("evaluation-2", 6), ("evaluation-9", 7)]]
    assert document.pages == 7


def add_approved_sheets(app, number: int) -> None:
    with app.app_context():
        for n in range(number):
            sheet = GoalSheet(unit="某单位", year=2022, project_name=f"项目{n}", local_budget=Decimal(1), status=Status.APPROVED)
            sheet.indicators = [Indicator(level1="产出指标", level2="数量指标", name=f"指标{k}", position=k) for k in range(3)]
            db.session.add(sheet)
        db.session.commit()


def test_a_publication_costs_the_same_queries_however_many_tables(app, client, count_queries):
    add_approved_sheets(app, 2)
    count_queries.count = 0
    client.get(URL, query_string={"unit": "某单位", "year": 2022})
    few = count_queries.count
    add_approved_sheets(app, 20)
    count_queries.count = 0
    page = client.get(URL, query_string={"unit": "某单位", "year": 2022}).get_data(as_text=True)
    assert count_queries.count == few and page.count('<article class="sheet">') == 22
