"""The reviewer's desk (the queue, decide-and-next, batch approval) and finding a sheet in the list
(search, year and status filters, sorts, the remembered filter)."""
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from goalsapp.domain import findings, listing
from goalsapp.domain.models import GoalSheet, Indicator, SheetEvent, Status
from goalsapp.extensions import db

from .test_sheets import VALID
from .test_workflow import ROWS

OTHER_UNIT = "某县教育局"


def new_clean_sheet(client, unit: str, project: str, **header) -> int:
    """A sheet with nothing blocking, made through the pages; returns its id."""
    response = client.post("/sheets/new", data={**VALID, "unit": unit, "project_name": project, **header})
    assert response.status_code == 303, response.get_data(as_text=True)
    sheet_id = int(response.headers["Location"].rsplit("/", 1)[1])
    for row in ROWS:
        assert client.post(f"/sheets/{sheet_id}/indicators", data=row).status_code == 200
    return sheet_id


def submit(client, sheet_id: int) -> None:
    client.post(f"/sheets/{sheet_id}/submit")
    assert status(client.application, sheet_id) == Status.SUBMITTED


def status(app, sheet_id: int) -> Status:
    with app.app_context():
        return db.session.get(GoalSheet, sheet_id).status


def order_on(page: str, *names: str) -> list[str]:
    """The names as the page lists them (as links), top to bottom."""
    return sorted(names, key=lambda name: page.index(f">{name}</a>"))


def listed(page: str) -> set[str]:
    """Every project the page lists."""
    return set(re.findall(r'<td><a href="/sheets/\d+">([^<]+)</a>', page))


def comment_box(page: str) -> str:
    """The review comment textarea as the page sends it."""
    return re.search(r"<textarea[^>]*id=\"comment\"[^>]*>.*?</textarea>", page, re.S).group(0)


@pytest.fixture
def queue(app, filler, other_filler):
    """Three submissions from two units, submitted in an order that is neither their ids' nor their
    units': 教育培训 (id 3) first, then 基层商会 (id 1), then 学校食堂 (id 2); 草稿项目 stays a draft."""
    first = new_clean_sheet(filler, "会同县工商联", "基层商会专项经费")
    second = new_clean_sheet(other_filler, OTHER_UNIT, "学校食堂改造")
    third = new_clean_sheet(filler, "会同县工商联", "教育培训项目")
    new_clean_sheet(filler, "会同县工商联", "草稿项目")
    for client, sheet_id in ((filler, third), (filler, first), (other_filler, second)):
        submit(client, sheet_id)
    return {"基层商会专项经费": first, "学校食堂改造": second, "教育培训项目": third}


# --- The queue -----------------------------------------------------------------------------------

def test_a_reviewer_opens_on_the_queue_across_units_oldest_submission_first(app, reviewer, filler, queue):
    page = reviewer.get("/").get_data(as_text=True)
    assert "待审核的表（3 张，先交先审）" in page
    assert listed(page) == {"教育培训项目", "基层商会专项经费", "学校食堂改造"}  # the draft is not in it
    assert order_on(page, *queue) == ["教育培训项目", "基层商会专项经费", "学校食堂改造"]
    assert "<td>会同县工商联</td>" in page and f"<td>{OTHER_UNIT}</td>" in page
    # The unit's clerk still opens on their own unit's sheets, grouped, drafts included.
    own = filler.get("/").get_data(as_text=True)
    assert "待审核的表" not in own and listed(own) == {"教育培训项目", "基层商会专项经费", "草稿项目"}


def test_a_resubmitted_sheet_joins_the_back_of_the_queue(app, reviewer, filler, queue):
    reviewer.post(f"/sheets/{queue['教育培训项目']}/return", data={"comment": "请补充成本指标。"})
    submit(filler, queue["教育培训项目"])
    page = reviewer.get("/").get_data(as_text=True)
    assert order_on(page, *queue) == ["基层商会专项经费", "学校食堂改造", "教育培训项目"]


def test_with_nothing_to_review_a_reviewer_opens_on_every_sheet(app, reviewer, filler):
    new_clean_sheet(filler, "会同县工商联", "草稿项目")
    page = reviewer.get("/").get_data(as_text=True)
    assert "没有待审核的表：下面是全部表" in page and listed(page) == {"草稿项目"}


def test_deciding_a_sheet_opens_the_next_in_the_queue_with_an_empty_comment_box(app, reviewer, queue):
    # Returning needs a comment: without one the reviewer stays on the sheet, which stays in the queue.
    refused = reviewer.post(f"/sheets/{queue['教育培训项目']}/return", data={"comment": "   "})
    assert refused.headers["Location"] == f"/sheets/{queue['教育培训项目']}"
    assert "退回时请写明审核意见" in reviewer.get(refused.headers["Location"]).get_data(as_text=True)
    assert status(app, queue["教育培训项目"]) == Status.SUBMITTED

    returned = reviewer.post(f"/sheets/{queue['教育培训项目']}/return", data={"comment": "成本指标请写明金额。"})
    assert returned.headers["Location"] == f"/sheets/{queue['基层商会专项经费']}"
    page = reviewer.get(returned.headers["Location"]).get_data(as_text=True)
    assert "“教育培训项目”已退回填报单位修改。下一张：会同县工商联“基层商会专项经费”。" in page
    box = comment_box(page)
    assert "成本指标请写明金额" not in page.split("修改记录")[0] and box.endswith("\n</textarea>")  # empty
    assert 'autocomplete="off"' in box and "data-forget" in box

    approved = reviewer.post(f"/sheets/{queue['基层商会专项经费']}/approve", data={"comment": ""})
    assert approved.headers["Location"] == f"/sheets/{queue['学校食堂改造']}"
    last = reviewer.post(f"/sheets/{queue['学校食堂改造']}/approve", data={"comment": "同意。"})
    assert last.headers["Location"] == "/"
    assert "待审核的表都已审完" in reviewer.get("/").get_data(as_text=True)
    assert [status(app, sheet_id) for sheet_id in queue.values()] == [Status.APPROVED, Status.APPROVED, Status.RETURNED]


def test_skipping_a_sheet_goes_on_past_it_and_comes_round_again(app, reviewer, queue):
    first = reviewer.get(f"/sheets/{queue['教育培训项目']}").get_data(as_text=True)
    assert f'<a class="skip" href="/sheets/{queue["基层商会专项经费"]}">' in first
    # Deciding the second while the first was skipped: on to the third, then round to the first.
    assert reviewer.post(f"/sheets/{queue['基层商会专项经费']}/approve").headers["Location"] == f"/sheets/{queue['学校食堂改造']}"
    assert reviewer.post(f"/sheets/{queue['学校食堂改造']}/approve").headers["Location"] == f"/sheets/{queue['教育培训项目']}"


# --- Approving from the list, one or several -----------------------------------------------------

def test_the_queue_offers_a_check_box_and_approve_on_each_sheet_the_reviewer_may_approve(app, client, reviewer, queue):
    own = new_clean_sheet(client, "会同县工商联", "管理员自己提交的项目")
    submit(client, own)
    page = client.get("/").get_data(as_text=True)  # the administrator reviews too
    assert "批量通过" in page and page.count('name="sheet_ids" value=') == 3 + 3  # a box and a 通过 each
    assert f'name="sheet_ids" value="{own}"' not in page  # nobody approves their own submission
    assert page.count('name="sheet_ids" value=') == reviewer.get("/").get_data(as_text=True).count('name="sheet_ids" value=') - 2


def test_a_list_row_approves_its_sheet_and_stays_on_the_list(app, reviewer, queue):
    response = reviewer.post("/sheets/approve", data={"sheet_ids": queue["学校食堂改造"]})
    assert response.headers["Location"] == "/"
    assert status(app, queue["学校食堂改造"]) == Status.APPROVED
    page = reviewer.get("/").get_data(as_text=True)
    assert "已审核通过 1 张：“学校食堂改造”。" in page and listed(page) == {"教育培训项目", "基层商会专项经费"}


def test_batch_approval_approves_the_checked_and_names_each_refused_with_why(app, client, reviewer, queue):
    own = new_clean_sheet(client, "会同县工商联", "管理员自己提交的项目")
    submit(client, own)
    reviewer.post(f"/sheets/{queue['学校食堂改造']}/return", data={"comment": "请补充。"})  # decided meanwhile
    checked = [queue["教育培训项目"], own, queue["学校食堂改造"], queue["基层商会专项经费"], 999]
    response = client.post("/sheets/approve", data={"sheet_ids": checked})
    assert response.headers["Location"] == "/"
    assert status(app, queue["教育培训项目"]) == status(app, queue["基层商会专项经费"]) == Status.APPROVED
    assert (status(app, own), status(app, queue["学校食堂改造"])) == (Status.SUBMITTED, Status.RETURNED)
    page = client.get("/").get_data(as_text=True)
    assert "已审核通过 2 张：“教育培训项目”、“基层商会专项经费”。" in page
    assert "3 张没有通过：会同县工商联“管理员自己提交的项目”：这张表是你自己提交的，须由另一位审核人审核通过；" in page
    assert f"{OTHER_UNIT}“学校食堂改造”：这张表现在是“已退回”，不在待审核状态；" in page
    assert "第 999 号表：找不到这张表（可能已被删除）。" in page  # one full stop, at the end
    with app.app_context():
        approvals = db.session.scalars(select(SheetEvent).where(SheetEvent.action == "approve")).all()
        assert sorted(event.sheet_id for event in approvals) == sorted([queue["教育培训项目"], queue["基层商会专项经费"]])


def test_batch_approval_of_ids_no_sheet_can_have_names_them_and_approves_the_rest(app, reviewer, queue):
    """A posted id past what the database holds (or no number at all) is a sheet not found, not a 500."""
    checked = [queue["教育培训项目"], 2**63, 10**20, "abc", -1]
    response = reviewer.post("/sheets/approve", data={"sheet_ids": checked})
    assert response.status_code == 303
    assert status(app, queue["教育培训项目"]) == Status.APPROVED
    page = reviewer.get("/").get_data(as_text=True)
    assert "已审核通过 1 张：“教育培训项目”。" in page
    assert f"3 张没有通过：第 {2**63} 号表：找不到这张表（可能已被删除）；第 {10**20} 号表：" in page


def test_batch_approval_with_nothing_checked_says_so(app, reviewer, queue):
    response = reviewer.post("/sheets/approve", data={})
    assert "请先勾选要审核通过的表" in reviewer.get(response.headers["Location"]).get_data(as_text=True)
    assert all(status(app, sheet_id) == Status.SUBMITTED for sheet_id in queue.values())


def test_a_filler_cannot_approve_and_sees_only_their_units_sheets(app, filler, other_filler, queue):
    page = filler.get("/?status=已提交").get_data(as_text=True)
    assert listed(page) == {"教育培训项目", "基层商会专项经费"} and "批量通过" not in page and 'name="sheet_ids"' not in page
    assert filler.post("/sheets/approve", data={"sheet_ids": list(queue.values())}).status_code == 403
    assert filler.post(f"/sheets/{queue['教育培训项目']}/approve").status_code == 303
    assert all(status(app, sheet_id) == Status.SUBMITTED for sheet_id in queue.values())
    # Searching for the other unit, or sorting every way, finds nothing of it.
    for query in (f"?q={OTHER_UNIT}", "?q=学校食堂", "?sort=queue&status=", "?sort=findings&status=", "?sort=budget&status="):
        assert "学校食堂改造" not in filler.get("/" + query).get_data(as_text=True)
    assert listed(other_filler.get("/?q=项目&status=").get_data(as_text=True)) == set()


# --- Finding a sheet --------------------------------------------------------------------------------

@pytest.fixture
def many(app, filler, other_filler):
    """Sheets of two units and two years, with different budgets and statuses."""
    made = {
        "基层商会专项经费": new_clean_sheet(filler, "会同县工商联", "基层商会专项经费", local_budget="14"),
        "ABC培训项目": new_clean_sheet(filler, "会同县工商联", "ABC培训项目", local_budget="1.6"),
        "非公党建项目": new_clean_sheet(filler, "会同县工商联", "非公党建项目", year="2021", local_budget="4",
                                      period_start="2021-01", period_end="2021-12"),
        "学校食堂改造": new_clean_sheet(other_filler, OTHER_UNIT, "学校食堂改造", local_budget="30"),
        "100%完成项目": new_clean_sheet(other_filler, OTHER_UNIT, "100%完成项目", local_budget="2"),
    }
    submit(filler, made["ABC培训项目"])
    return made


def test_one_box_searches_project_names_and_units_case_insensitively(app, client, many):
    def found(query):
        return listed(client.get("/", query_string={"q": query, "status": ""}).get_data(as_text=True))

    assert found("培训") == {"ABC培训项目"}
    assert found("abc") == {"ABC培训项目"}  # letters match in either case
    assert found("教育局") == {"学校食堂改造", "100%完成项目"}  # by unit
    assert found("工商联 党建") == {"非公党建项目"}  # every word, each in the project or the unit
    assert found("100%") == {"100%完成项目"} and found("%") == {"100%完成项目"}  # % is a character, not a wildcard
    page = client.get("/", query_string={"q": "没有这个", "status": ""}).get_data(as_text=True)
    assert "没有符合条件的表（查找“没有这个”）" in page


def test_the_list_filters_by_year_and_status(app, client, many):
    assert listed(client.get("/?year=2021&status=").get_data(as_text=True)) == {"非公党建项目"}
    assert listed(client.get("/?year=2022&status=已提交").get_data(as_text=True)) == {"ABC培训项目"}
    page = client.get("/?status=").get_data(as_text=True)
    assert '<option value="2022">2022年</option>' in page and '<option value="2021">2021年</option>' in page


def test_the_list_sorts_by_budget_and_by_status_in_one_table(app, client, many):
    page = client.get("/?sort=budget&status=").get_data(as_text=True)
    assert order_on(page, *many) == ["学校食堂改造", "基层商会专项经费", "非公党建项目", "100%完成项目", "ABC培训项目"]
    assert "<th>填报单位</th>" in page and "2022年 · 会同县工商联" not in page  # one table, naming each unit
    page = client.get("/?sort=status&status=").get_data(as_text=True)
    assert order_on(page, *many)[0] == "ABC培训项目"  # the one waiting for the bureau first


def add_sheets(app, count: int, indicators: int, start: int = 0) -> None:
    """`count` sheets of one unit and year, each with `indicators` valued rows (none: 强制 findings)."""
    with app.app_context():
        for n in range(start, start + count):
            sheet = GoalSheet(unit="某单位", year=2022, project_name=f"项目{n:03d}", local_budget=Decimal(1))
            sheet.indicators = [Indicator(level1=level1, level2=level2, name=f"指标{k}", value="1个", standard="计划标准", position=k)
                                for k, (level1, level2) in enumerate([("产出指标", "数量指标"), ("效益指标", "社会效益指标")][:indicators])]
            db.session.add(sheet)
        db.session.commit()


def projects(first: int, count: int) -> list[str]:
    """The names add_sheets gives sheets first … first + count - 1."""
    return [f"项目{n:03d}" for n in range(first, first + count)]


def test_sorting_by_findings_spans_every_page_while_the_filter_picks_few_enough(app, client):
    add_sheets(app, listing.PER_PAGE, indicators=2)  # a page of them: fewer findings
    add_sheets(app, 3, indicators=0, start=listing.PER_PAGE)  # the next three: on page 2 in the list's own order
    worst = set(projects(listing.PER_PAGE, 3))
    assert not worst & listed(client.get("/?status=").get_data(as_text=True))
    first = client.get("/?sort=findings&status=").get_data(as_text=True)
    assert worst <= listed(first) and order_on(first, min(worst), "项目000")[0] == min(worst)
    assert "只在每一页之内" not in first
    second = client.get("/?sort=findings&status=&page=2").get_data(as_text=True)
    assert len(listed(second)) == 3 and not worst & listed(second)


def test_past_the_limit_findings_sort_within_the_page_and_say_so(app, client, monkeypatch):
    monkeypatch.setattr(listing, "FINDINGS_SORTED_ACROSS_PAGES", 10)
    add_sheets(app, listing.PER_PAGE + 2, indicators=2)  # a page and two more
    add_sheets(app, 3, indicators=0, start=listing.PER_PAGE + 2)  # three worse ones, after those two on page 2
    better, worse = projects(listing.PER_PAGE, 2), projects(listing.PER_PAGE + 2, 3)
    first = client.get("/?sort=findings&status=").get_data(as_text=True)
    assert "多于 10 张时只在每一页之内按审核问题排序" in first and not set(worse) & listed(first)
    second = client.get("/?sort=findings&status=&page=2").get_data(as_text=True)
    assert order_on(second, *better, *worse)[:3] == worse


def test_the_list_remembers_the_last_filter_until_cleared(app, client, many):
    client.get("/", query_string={"q": "工商联", "year": "2022", "status": "", "sort": "budget"})
    back = client.get("/").get_data(as_text=True)
    assert listed(back) == {"基层商会专项经费", "ABC培训项目"} and order_on(back, "基层商会专项经费", "ABC培训项目")[0] == "基层商会专项经费"
    assert 'value="工商联"' in back and '<option value="budget" selected>' in back and ">清除</a>" in back
    # Paging and opening a sheet keep it; 清除 forgets it.
    client.get(f"/sheets/{many['学校食堂改造']}")
    assert listed(client.get("/?page=1").get_data(as_text=True)) == {"基层商会专项经费", "ABC培训项目"}
    cleared = client.get("/?clear=1")
    assert cleared.status_code == 303 and cleared.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)  # where an administrator starts: the queue
    assert "待审核的表（1 张" in page and listed(page) == {"ABC培训项目"} and ">清除</a>" not in page


def test_the_pages_of_a_filtered_list_carry_its_filter(app, client):
    add_sheets(app, listing.PER_PAGE + 5, indicators=2)
    page = client.get("/?q=项目&status=&sort=budget").get_data(as_text=True)
    assert 'href="/?page=2&amp;q=%E9%A1%B9%E7%9B%AE&amp;status=&amp;sort=budget"' in page


@pytest.mark.parametrize("sort, query", [("", "?q=项目&status="), ("budget", "?sort=budget&status="), ("queue", "?sort=queue&status="),
                                         ("findings", "?sort=findings&status="), ("status", "?sort=status&year=2022&status=草稿")])
def test_a_filtered_or_sorted_page_costs_the_same_whatever_the_sheets(app, client, count_queries, sort, query):
    def statements() -> tuple[int, str]:
        """The statements of one request, its sheets' findings counted afresh (none remembered yet)."""
        with app.app_context():
            findings.forget()
        count_queries.count = 0
        page = client.get("/" + query).get_data(as_text=True)
        return count_queries.count, page

    add_sheets(app, 2, indicators=2)
    client.get("/" + query)  # the filter is remembered once; later requests run the same statements
    few, _ = statements()
    add_sheets(app, 60, indicators=2, start=2)
    many, page = statements()
    assert many == few
    pages = -(-62 // listing.PER_PAGE)
    assert f'<option value="{sort}" selected>' in page and f"第 1 / {pages} 页，共 62 张表" in page  # sorted and filtered as asked


def test_a_nonsense_filter_is_ignored_not_an_error(app, client, many):
    page = client.get("/", query_string={"year": "99999", "sort": "drop table", "status": "全部", "q": "工商联 " * 100})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert '<option value="" selected>按年度、单位分组</option>' in text and 'value="' + "工商联 " * 24 + '工商联"' in text
    assert listed(text) == {"基层商会专项经费", "ABC培训项目", "非公党建项目"}  # every year and status, the first 100 characters


def test_sorted_by_status_each_page_follows_on_from_the_last(app, client):
    """Waiting for the bureau first, then sent back, drafts, approved; within each, the list's order."""
    add_sheets(app, listing.PER_PAGE + 6, indicators=2)
    statuses = [Status.APPROVED, Status.DRAFT, Status.SUBMITTED, Status.RETURNED]
    with app.app_context():
        for sheet in db.session.scalars(select(GoalSheet)):
            sheet.status = statuses[sheet.id % len(statuses)]
        db.session.commit()
        expected = [sheet.project_name for sheet in sorted(
            db.session.scalars(select(GoalSheet)), key=lambda sheet: (listing.STATUS_ORDER.index(sheet.status), sheet.id))]
    shown = []
    for page in (1, 2):
        shown += re.findall(r'<td><a href="/sheets/\d+">([^<]+)</a>', client.get(f"/?sort=status&status=&page={page}").get_data(as_text=True))
    assert shown == expected  # one unit and year: the list's order within a status is the sheets' own
