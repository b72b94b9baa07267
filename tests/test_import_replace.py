"""导入 "替换已有": the stored sheet stays (same id, same history) and takes the file's contents;
a sheet already submitted or approved is refused exactly as an edit is."""
from sqlalchemy import select

from goalsapp.domain.models import GoalSheet, SheetEvent, Status
from goalsapp.extensions import db

from .test_exchange import SEED_BYTES, token_of, upload


def replace_first_sheet(client):
    """Upload the seed again and confirm: replace its first sheet, skip the others."""
    page = upload(client, SEED_BYTES, "seed.txt").get_data(as_text=True)
    return client.post("/import/confirm", data={"token": token_of(page), "filename": "seed.txt", "choice-0": "replace"})


def test_replacing_keeps_the_sheet_its_id_and_history_and_records_old_to_new(seeded, client):
    with seeded.app_context():
        sheet = db.session.get(GoalSheet, 1)
        sheet.budget_dept = "改过的部门"
        sheet.indicators[0].value = "99个"
        db.session.commit()
        history_before = db.session.scalars(select(SheetEvent.id).where(SheetEvent.sheet_id == 1)).all()

    assert replace_first_sheet(client).status_code == 303

    with seeded.app_context():
        sheet = db.session.get(GoalSheet, 1)
        assert (sheet.budget_dept, sheet.indicators[0].value, len(sheet.indicators)) == ("行政政法", "7个", 8)
        assert db.session.scalar(select(db.func.count(GoalSheet.id))) == 5
        events = db.session.scalars(select(SheetEvent).where(SheetEvent.sheet_id == 1).order_by(SheetEvent.id)).all()
        assert [event.id for event in events[:-1]] == history_before  # the old history is all there
        assert events[-1].action == "import"
        assert ["预算部门", "改过的部门", "行政政法"] in events[-1].changes
        rows = [change for change in events[-1].changes if change[0].startswith("指标：")]
        assert len(rows) == 1  # only the changed row, old → new
        assert rows[0][0].endswith(sheet.indicators[0].name) and "99个" in rows[0][1] and "7个" in rows[0][2]


def test_a_submitted_or_approved_sheet_is_not_replaced_and_nothing_is_imported(seeded, client):
    for status in (Status.SUBMITTED, Status.APPROVED):
        with seeded.app_context():
            db.session.get(GoalSheet, 1).status = status
            db.session.get(GoalSheet, 2).budget_dept = "别动"
            db.session.commit()
        page = upload(client, SEED_BYTES, "seed.txt").get_data(as_text=True)
        response = client.post("/import/confirm", data={
            "token": token_of(page), "filename": "seed.txt", "choice-0": "replace", "choice-1": "replace"})
        assert response.status_code == 303
        message = client.get(response.location).get_data(as_text=True)
        assert f"没有导入任何内容：“基层商会专项经费”（{status}）已不能修改，不能替换" in message
        with seeded.app_context():
            assert db.session.get(GoalSheet, 2).budget_dept == "别动"  # all or nothing
            assert db.session.scalar(select(db.func.count(GoalSheet.id))) == 5


def test_the_command_line_refuses_to_replace_a_locked_sheet_too(seeded, tmp_path):
    with seeded.app_context():
        db.session.get(GoalSheet, 1).status = Status.APPROVED
        db.session.commit()
    seed = tmp_path / "seed.txt"
    seed.write_bytes(SEED_BYTES)
    result = seeded.test_cli_runner().invoke(args=["import", str(seed), "--on-duplicate", "replace"])
    assert result.exit_code == 1 and "已不能修改，不能替换" in result.output


def test_the_preview_offers_no_replace_for_a_locked_sheet(seeded, client):
    with seeded.app_context():
        db.session.get(GoalSheet, 1).status = Status.APPROVED
        db.session.commit()
    page = upload(client, SEED_BYTES, "seed.txt").get_data(as_text=True)
    assert 'name="choice-0" value="replace"' not in page and "已通过，不能替换" in page
    assert 'name="choice-1" value="replace"' in page


def test_confirming_one_preview_twice_at_once_imports_it_once(seeded, client):
    """A double click on 确认导入: the second finds the upload already taken."""
    from .test_concurrency import run_together

    page = upload(client, SEED_BYTES, "seed.txt").get_data(as_text=True)
    confirmation = {"token": token_of(page), "filename": "seed.txt", **{f"choice-{n}": "keep" for n in range(5)}}
    run_together(*[lambda: client.post("/import/confirm", data=confirmation) for _ in range(4)])
    with seeded.app_context():
        assert db.session.scalar(select(db.func.count(GoalSheet.id))) == 5 + 5


def test_a_refused_import_can_be_confirmed_again_after_choosing_otherwise(seeded, client):
    with seeded.app_context():
        db.session.get(GoalSheet, 1).status = Status.APPROVED
        db.session.commit()
    page = upload(client, SEED_BYTES, "seed.txt").get_data(as_text=True)
    token = token_of(page)
    client.post("/import/confirm", data={"token": token, "filename": "seed.txt", "choice-0": "replace"})
    again = client.post("/import/confirm", data={"token": token, "filename": "seed.txt", "choice-0": "keep"})
    assert "已导入 1 张表" in client.get(again.location).get_data(as_text=True)
