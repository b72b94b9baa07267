"""Two people editing the same sheet: the second save does not silently overwrite the first."""
import re

from goalsapp.domain.models import GoalSheet, Indicator, Role, SheetEvent
from goalsapp.extensions import db

from .conftest import SEED_UNIT, login
from .test_sheets import VALID

ROW = {"level1": "产出指标", "level2": "数量指标", "standard": "行业标准"}


def version_in(page: str) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)


def test_a_stale_header_save_is_a_conflict_that_keeps_the_typing(seeded):
    first, second = login(seeded, "zhang", Role.FILLER, SEED_UNIT), login(seeded, "li", Role.FILLER, SEED_UNIT)
    seen = version_in(first.get("/sheets/1").get_data(as_text=True))
    assert second.post("/sheets/1", data={**VALID, "unit": SEED_UNIT, "budget_dept": "李改的部门", "version": seen}).status_code == 303

    response = first.post("/sheets/1", data={**VALID, "unit": SEED_UNIT, "budget_dept": "张改的部门", "version": seen})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "没有保存" in page and "预算部门：现在保存的是“李改的部门”，你输入的是“张改的部门”" in page
    assert 'value="张改的部门"' in page  # the typing stays on screen
    with seeded.app_context():
        assert db.session.get(GoalSheet, 1).budget_dept == "李改的部门"

    # Having seen theirs, saving again is a deliberate overwrite.
    again = first.post("/sheets/1", data={**VALID, "unit": SEED_UNIT, "budget_dept": "张改的部门", "version": version_in(page)})
    assert again.status_code == 303
    with seeded.app_context():
        assert db.session.get(GoalSheet, 1).budget_dept == "张改的部门"


def test_a_stale_row_save_shows_the_current_row_and_keeps_the_typing(seeded):
    first, second = login(seeded, "zhang", Role.FILLER, SEED_UNIT), login(seeded, "li", Role.FILLER, SEED_UNIT)
    seen = version_in(first.get("/indicators/1/edit").get_data(as_text=True))
    second.put("/indicators/1", data={**ROW, "name": "李的指标", "value": "8个", "version": seen})

    fragment = first.put("/indicators/1", data={**ROW, "name": "张的指标", "value": "9个", "version": seen}).get_data(as_text=True)
    assert fragment.lstrip().startswith('<tr class="indicator editing" id="indicator-1"')
    assert "没有保存：别人刚改过这一行，现在是“李的指标”／“8个”／“行业标准”" in fragment
    assert '张的指标</textarea>' in fragment and 'value="9个"' in fragment
    with seeded.app_context():
        assert db.session.get(Indicator, 1).name == "李的指标"

    first.put("/indicators/1", data={**ROW, "name": "张的指标", "value": "9个", "version": version_in(fragment)})
    with seeded.app_context():
        assert (db.session.get(Indicator, 1).name, db.session.get(Indicator, 1).version) == ("张的指标", 3)


def test_the_same_header_or_row_sent_twice_is_saved_not_a_conflict(seeded):
    """A double submit, a resent request, or a colleague typing the same fix: what the user sends
    is what is stored already, so there is nothing to tell them about and nothing to overwrite."""
    clerk = login(seeded, "zhang", Role.FILLER, SEED_UNIT)
    seen = version_in(clerk.get("/sheets/1").get_data(as_text=True))
    header = {**VALID, "unit": SEED_UNIT, "budget_dept": "改过的部门", "version": seen}
    assert clerk.post("/sheets/1", data=header).status_code == 303
    again = clerk.post("/sheets/1", data=header)
    assert again.status_code == 303 and "表头已保存" in clerk.get(again.location).get_data(as_text=True)

    seen = version_in(clerk.get("/indicators/1/edit").get_data(as_text=True))
    row = {**ROW, "name": "改过的指标", "value": "9个", "version": seen}
    clerk.put("/indicators/1", data=row)
    fragment = clerk.put("/indicators/1", data=row).get_data(as_text=True)
    assert fragment.lstrip().startswith('<tr class="indicator" id="indicator-1"') and "没有保存" not in fragment
    with seeded.app_context():
        events = db.session.scalars(db.select(SheetEvent.action).where(SheetEvent.sheet_id == 1)).all()
        assert events.count("update_header") == 1 and events.count("update_indicator") == 1


def test_a_row_deleted_meanwhile_is_a_404_not_an_error(seeded):
    first, second = login(seeded, "zhang", Role.FILLER, SEED_UNIT), login(seeded, "li", Role.FILLER, SEED_UNIT)
    second.delete("/indicators/1")
    assert first.put("/indicators/1", data={**ROW, "name": "张的指标", "value": "9个", "version": "1"}).status_code == 404


# --- Row changes and status changes on one sheet serialize ----------------------------------

def run_together(*calls):
    """Run the calls in threads released at the same moment; their results in order."""
    import threading

    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index, call):
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_no_row_lands_after_the_sheet_is_submitted(seeded):
    """Several clerks add rows while another submits: once submitted, nothing more lands."""
    clerks = [login(seeded, f"clerk{n}", Role.FILLER, SEED_UNIT) for n in range(4)]
    with seeded.app_context():  # the seed's sheet 2 has nothing blocking
        db.session.get(GoalSheet, 2).period_end = db.session.get(GoalSheet, 2).period_start.replace(month=12)
        db.session.commit()
    for trial in range(5):
        sheet_id = 2
        with seeded.app_context():
            db.session.get(GoalSheet, sheet_id).status = "草稿"
            db.session.commit()
        adds = [lambda clerk=clerk, n=n: clerk.post(f"/sheets/{sheet_id}/indicators", data={**ROW, "name": f"第{trial}轮{n}", "value": "1个"}).status_code
                for n, clerk in enumerate(clerks[1:])]
        statuses = run_together(lambda: clerks[0].post(f"/sheets/{sheet_id}/submit").status_code, *adds)
        assert set(statuses) <= {200, 303, 403}, statuses  # added, submitted, or refused: never an error
        with seeded.app_context():
            events = db.session.scalars(
                db.select(SheetEvent).where(SheetEvent.sheet_id == sheet_id).order_by(SheetEvent.id)).all()
            submits = [event.id for event in events if event.action == "submit"]
            assert db.session.get(GoalSheet, sheet_id).status == "已提交" and submits
            late = [e.changes for e in events if e.action == "add_indicator" and e.id > submits[-1]]
            assert late == []


def test_rows_added_at_the_same_moment_all_land_in_distinct_places(seeded):
    clerks = [login(seeded, f"clerk{n}", Role.FILLER, SEED_UNIT) for n in range(6)]
    statuses = run_together(*[lambda clerk=clerk, n=n: clerk.post("/sheets/1/indicators", data={**ROW, "name": f"同时{n}", "value": "1个"}).status_code
                              for n, clerk in enumerate(clerks)])
    assert statuses == [200] * 6
    with seeded.app_context():
        positions = db.session.scalars(db.select(Indicator.position).where(Indicator.sheet_id == 1)).all()
        assert len(positions) == 8 + 6 and len(set(positions)) == len(positions)


def test_the_same_new_sheet_sent_four_times_at_once_is_stored_once(app):
    from .test_sheets import VALID as HEADER

    clerks = [login(app, f"clerk{n}", Role.FILLER, SEED_UNIT) for n in range(4)]
    statuses = run_together(*[lambda clerk=clerk: clerk.post("/sheets/new", data={**HEADER, "unit": SEED_UNIT}).status_code
                              for clerk in clerks])
    assert sorted(statuses) == [303, 422, 422, 422]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(GoalSheet.id))) == 1


def test_the_same_sheet_copied_forward_four_times_at_once_is_copied_once(seeded):
    """复制到下一年 sent again while the first is still being written (two clerks, two tabs)."""
    clerks = [login(seeded, f"clerk{n}", Role.FILLER, SEED_UNIT) for n in range(4)]
    responses = run_together(*[lambda clerk=clerk: clerk.post("/sheets/2/copy-forward") for clerk in clerks])
    assert {response.status_code for response in responses} == {303}
    with seeded.app_context():
        copies = db.session.scalars(db.select(GoalSheet.id).where(GoalSheet.year == 2022)).all()
    assert len(copies) == 1 and {response.location for response in responses} == {f"/sheets/{copies[0]}"}


def test_a_unit_year_copied_forward_three_times_at_once_is_copied_once(seeded):
    """全部复制到下一年 sent again while the first is still being written: each project once."""
    clerks = [login(seeded, f"clerk{n}", Role.FILLER, SEED_UNIT) for n in range(3)]
    responses = run_together(*[lambda clerk=clerk: clerk.post("/copy-forward", data={"unit": SEED_UNIT, "year": "2021"})
                               for clerk in clerks])
    assert {response.status_code for response in responses} == {303}
    with seeded.app_context():
        projects = db.session.scalars(db.select(GoalSheet.project_name).where(GoalSheet.year == 2022)).all()
    assert sorted(projects) == sorted(set(projects)) and len(projects) == 5


def test_two_administrators_deactivating_each_other_at_once_leave_one(app):
    from sqlalchemy import select

    from goalsapp.domain.models import User

    first, second = login(app, "first", Role.ADMIN), login(app, "second", Role.ADMIN)
    with app.app_context():
        ids = {name: db.session.scalars(select(User.id).where(User.username == name)).one() for name in ("first", "second")}
    for _ in range(5):
        run_together(lambda: first.post(f"/admin/users/{ids['second']}/active"),
                     lambda: second.post(f"/admin/users/{ids['first']}/active"))
        with app.app_context():
            assert db.session.scalar(select(db.func.count(User.id)).where(User.active.is_(True))) == 1
            for user in db.session.scalars(select(User)):
                user.active = True
            db.session.commit()
        first, second = login_again(app, "first"), login_again(app, "second")


def test_the_same_account_or_unit_added_twice_at_once_is_added_once_and_said_so(app):
    """An administrator's double submit (or two administrators): the second is told, not a 500."""
    from goalsapp.domain.models import Unit, User

    admins = [login(app, f"admin{n}", Role.ADMIN) for n in range(3)]
    account = {"username": "newclerk", "display_name": "新人", "role": "审核人", "unit": "0", "password": "new-pass-123"}
    added = run_together(*[lambda admin=admin: admin.post("/admin/users", data=account) for admin in admins])
    assert sorted(response.status_code for response in added) == [303, 422, 422]
    assert all("用户名已被使用" in response.get_data(as_text=True) for response in added if response.status_code == 422)
    units = run_together(*[lambda admin=admin: admin.post("/admin/units", data={"name": "新单位"}) for admin in admins])
    assert sorted(response.status_code for response in units) == [303, 422, 422]
    assert all("已有这个单位" in response.get_data(as_text=True) for response in units if response.status_code == 422)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id)).where(User.username == "newclerk")) == 1
        assert db.session.scalar(db.select(db.func.count(Unit.id)).where(Unit.name == "新单位")) == 1


def login_again(app, username):
    """A fresh session for an account whose sessions were ended (deactivation ends them)."""
    from goalsapp.domain.models import User

    with app.app_context():  # the test does not keep passwords: set a known one
        user = db.session.scalars(db.select(User).where(User.username == username)).one()
        user.set_password("same-password-1")
        db.session.commit()
    client = app.test_client()
    assert client.post("/login", data={"username": username, "password": "same-password-1"}).status_code == 303
    return client
