"""Two people editing the same sheet: the second save does not silently overwrite the first."""
import re

from goalsapp.extensions import db
from goalsapp.models import GoalSheet, Indicator, Role

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


def test_a_row_deleted_meanwhile_is_a_404_not_an_error(seeded):
    first, second = login(seeded, "zhang", Role.FILLER, SEED_UNIT), login(seeded, "li", Role.FILLER, SEED_UNIT)
    second.delete("/indicators/1")
    assert first.put("/indicators/1", data={**ROW, "name": "张的指标", "value": "9个", "version": "1"}).status_code == 404
