"""全部提交: a unit's whole year submitted at once from the list; the sheets it could not submit
listed with what blocks them; and moving between a group's sheets in the editor."""
import re
from datetime import date

from sqlalchemy import select

from goalsapp.domain.models import GoalSheet, Role, SheetEvent
from goalsapp.extensions import db

from .conftest import SEED_UNIT, add_user

GROUP = {"unit": SEED_UNIT, "year": "2021"}


def fix_periods(app, *sheet_ids: int) -> None:
    """Correct the seed's impossible 实施期 (its only 强制 finding) on these sheets."""
    with app.app_context():
        for sheet_id in sheet_ids:
            db.session.get(GoalSheet, sheet_id).period_end = date(2021, 12, 1)
        db.session.commit()


def statuses(app) -> dict[int, str]:
    with app.app_context():
        return {sheet.id: str(sheet.status) for sheet in db.session.scalars(select(GoalSheet).order_by(GoalSheet.id))}


def test_the_list_offers_a_filler_to_submit_the_whole_year_saying_what_it_will_do(seeded, filler):
    fix_periods(seeded, 2, 4)
    page = filler.get("/").get_data(as_text=True)
    assert "全部提交" in page
    assert "提交2021年本组2张没有“强制”问题的表？另有3张有“强制”问题，不会提交" in page


def test_submitting_the_whole_year_submits_the_clean_sheets_and_lists_the_others(seeded, filler):
    fix_periods(seeded, 2, 4)
    response = filler.post("/submit-group", data=GROUP)
    assert response.status_code == 303 and response.location == "/group?unit=%E4%BC%9A%E5%90%8C%E5%8E%BF%E5%B7%A5%E5%95%86%E8%81%94&year=2021"
    assert statuses(seeded) == {1: "草稿", 2: "已提交", 3: "草稿", 4: "已提交", 5: "草稿"}
    page = filler.get(response.location).get_data(as_text=True)
    assert "已提交 2 张：非公党建项目、教育培训项目。" in page and "有 3 张没有提交" in page
    # each sheet left, linked, with its blocking finding named by its field
    for sheet_id, name in ((1, "基层商会专项经费"), (3, "光彩事业项目"), (5, "商会建设项目")):
        assert f'<a href="/sheets/{sheet_id}">{name}</a>' in page
    assert page.count("项目支出实施期（止）：实施期结束（2020.12）早于开始（2021.1），请改正") == 3
    # each submission is in its sheet's own history, by the same workflow as one by one
    with seeded.app_context():
        submits = db.session.scalars(select(SheetEvent).where(SheetEvent.action == "submit")).all()
        assert sorted(event.sheet_id for event in submits) == [2, 4]
        assert all(event.user.username == "filler" for event in submits)
        assert db.session.get(GoalSheet, 2).submitted_by_id is not None


def test_submitting_again_leaves_submitted_sheets_alone(seeded, filler):
    fix_periods(seeded, 1, 2, 3, 4, 5)
    filler.post("/submit-group", data=GROUP)
    assert set(statuses(seeded).values()) == {"已提交"}
    page = filler.post("/submit-group", data=GROUP, follow_redirects=True).get_data(as_text=True)
    assert "本组没有可提交的表：都已提交或已通过" in page and "本组的表都已提交" in page
    with seeded.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(SheetEvent).where(SheetEvent.action == "submit")) == 5
    assert "全部提交" not in filler.get("/").get_data(as_text=True)  # nothing left to submit


def test_only_those_who_may_fill_the_unit_submit_its_year(seeded, reviewer, other_filler):
    fix_periods(seeded, 2)
    assert reviewer.post("/submit-group", data=GROUP).status_code == 403
    assert other_filler.post("/submit-group", data=GROUP).status_code == 404
    assert "全部提交" not in reviewer.get("/").get_data(as_text=True)
    assert set(statuses(seeded).values()) == {"草稿"}


def test_submitting_a_year_needs_the_csrf_token(csrf_app):
    from goalsapp.cli.commands import DEMO_FILE
    from goalsapp.domain.importing import import_files

    with csrf_app.app_context():
        import_files([DEMO_FILE])
    fix_periods(csrf_app, 2)
    password = add_user(csrf_app, "clerk", Role.FILLER, SEED_UNIT)
    client = csrf_app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    client.post("/login", data={"username": "clerk", "password": password, "csrf_token": token})
    assert client.post("/submit-group", data=GROUP).status_code == 400
    assert set(statuses(csrf_app).values()) == {"草稿"}
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").get_data(as_text=True)).group(1)
    assert client.post("/submit-group", data={**GROUP, "csrf_token": token}).status_code == 303
    assert statuses(csrf_app)[2] == "已提交"


def test_a_bad_group_request_changes_nothing(seeded, filler):
    assert filler.post("/submit-group", data={"unit": SEED_UNIT, "year": "abc"}).status_code == 400
    assert filler.get("/group?unit=无此单位&year=2021").status_code == 404
    assert set(statuses(seeded).values()) == {"草稿"}


def test_submitting_a_year_with_no_sheets_says_so_on_the_list_not_a_missing_page(seeded, filler):
    """A stale page's 全部提交 after the year's sheets were deleted, or a year never filled."""
    response = filler.post("/submit-group", data={"unit": SEED_UNIT, "year": "2030"})
    assert response.status_code == 303 and response.location == "/"
    page = filler.get(response.location)
    assert page.status_code == 200 and f"{SEED_UNIT} 2030年没有表，没有可提交的。" in page.get_data(as_text=True)
    assert set(statuses(seeded).values()) == {"草稿"}


# --- moving between a group's sheets --------------------------------------------------------


def test_the_editor_links_the_previous_and_next_sheet_of_its_group(seeded, filler):
    first = filler.get("/sheets/1").get_data(as_text=True)
    assert "本组第 1/5 张" in first and 'rel="next" href="/sheets/2"' in first and 'rel="prev"' not in first
    middle = filler.get("/sheets/3").get_data(as_text=True)
    assert 'rel="prev" href="/sheets/2"' in middle and 'rel="next" href="/sheets/4"' in middle
    last = filler.get("/sheets/5").get_data(as_text=True)
    assert 'rel="prev" href="/sheets/4"' in last and 'rel="next"' not in last and "保存并下一张" not in last
    assert "保存并回到本组" in last


def test_another_years_sheet_is_no_neighbour(seeded, client):
    client.post("/sheets/3/copy-forward")
    page = client.get("/sheets/6").get_data(as_text=True)
    assert "本组第" not in page and 'rel="prev"' not in page
    assert 'rel="next" href="/sheets/4"' in client.get("/sheets/3").get_data(as_text=True)


def test_save_and_next_saves_the_header_then_opens_the_next_sheet(seeded, filler):
    form = header_of(filler, 2)
    response = filler.post("/sheets/2", data={**form, "budget_dept": "统战", "then": "next"})
    assert response.status_code == 303 and response.location == "/sheets/3"
    with seeded.app_context():
        assert db.session.get(GoalSheet, 2).budget_dept == "统战"
    assert "“非公党建项目”的表头已保存" in filler.get("/sheets/3").get_data(as_text=True)


def test_save_and_next_on_the_last_sheet_goes_to_the_group(seeded, filler):
    response = filler.post("/sheets/5", data={**header_of(filler, 5), "then": "next"})
    assert response.status_code == 303 and response.location.startswith("/group?")
    assert "“商会建设项目”的表头已保存。那是本组的最后一张。" in filler.get(response.location).get_data(as_text=True)


def test_save_and_next_with_a_mistake_stays_with_the_typing(seeded, filler):
    form = header_of(filler, 2)
    response = filler.post("/sheets/2", data={**form, "budget_dept": "统战", "local_budget": "abc", "then": "next"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'value="统战"' in page and "保存并下一张" in page
    with seeded.app_context():
        assert db.session.get(GoalSheet, 2).budget_dept == "行政政法"


def test_the_editor_marks_where_to_open_only_when_something_blocks(seeded, filler):
    assert "data-first-fix" in filler.get("/sheets/1").get_data(as_text=True)  # the seed's 实施期
    fix_periods(seeded, 1)
    assert "data-first-fix" not in filler.get("/sheets/1").get_data(as_text=True)


def header_of(client, sheet_id: int) -> dict[str, str]:
    """The header form's fields as the editor fills them in."""
    page = client.get(f"/sheets/{sheet_id}").get_data(as_text=True)
    form = page[page.index('id="sheet-form"'):page.index("</form>", page.index('id="sheet-form"'))]
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form))
    fields |= {name: text for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>\s*([^<]*)</textarea>', form)}
    return {name: value for name, value in fields.items() if name != "csrf_token"}

