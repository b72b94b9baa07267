"""A deleted indicator row brought back: rebuilt from its delete event through the sheet's form
(domain), 撤销 right after deleting, and 恢复 from the history while the sheet is editable."""
import json
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from goalsapp.domain import history
from goalsapp.domain.formtemplates import get_template
from goalsapp.domain.models import GoalSheet, Indicator, SheetEvent
from goalsapp.extensions import db

from .test_workflow import ROWS, clean_sheet  # noqa: F401  (a fixture)

HUNAN = get_template("hunan-2021")


# --- the rebuild, in the domain -------------------------------------------------------------


@pytest.mark.parametrize(("code", "cells"), [
    ("hunan-2021", {"name": "培训合格率", "value": "≥95%", "standard": "行业标准"}),
    ("anhui-2025", {"name": "健身点建成数", "value": "10个"}),
    ("sichuan-2023", {"name": "覆盖人数", "nature": "≥", "value": "500", "measure": "人", "weight": "10", "direction": "正向"}),
    # Two columns headed 三级指标 (and two 二级指标, with the category's): each comes back as itself.
    ("guangdong-2019", {"mid_level2": "数量指标", "mid_name": "三年累计培训人次", "mid_value": "3000人次", "name": "年度培训人次", "value": "1000人次"}),
])
def test_a_deleted_row_is_rebuilt_through_its_form(app, code, cells):
    form = get_template(code)
    level1, level2 = list(form.framework.pairs())[-1]
    texts = {"name": "", "value": "", "standard": ""} | {key: text for key, text in cells.items() if key in ("name", "value", "standard")}
    row = Indicator(level1=level1, level2=level2, position=1, extra={key: text for key, text in cells.items() if key not in texts}, **texts)
    with app.app_context():
        sheet = GoalSheet(unit="某单位", year=2025, template=code, project_name="某项目", local_budget=Decimal(1), indicators=[row])
        db.session.add(sheet)
        db.session.flush()
        deleted = history.change(sheet, None, "delete_indicator", lambda: history.indicator_snapshot(row, form), lambda: db.session.delete(row))
        db.session.flush()
        rebuilt = history.indicator_from_snapshot(deleted.changes, form)
    assert (rebuilt.level1, rebuilt.level2) == (level1, level2)
    assert {column.key: rebuilt.cell(column.key, form) for column in form.columns} == {column.key: cells.get(column.key, "") for column in form.columns}


def test_a_guangdong_deletion_recorded_before_its_columns_had_names_of_their_own_comes_back_as_it_did():
    """Such an event kept one 三级指标, the 年度 one's (the later of two with one label)."""
    form = get_template("guangdong-2019")
    level1, level2 = list(form.framework.pairs())[0]
    recorded = [["类别", f"{level1}／{level2}", ""], ["二级指标", "数量指标", ""], ["三级指标", "年度培训人次", ""], ["指标值", "3000人次", ""],
                ["计划指标值", "1000人次", ""]]
    rebuilt = history.indicator_from_snapshot(recorded, form)
    assert {column.key: rebuilt.cell(column.key) for column in form.columns} == {
        "mid_level2": "数量指标", "mid_name": "", "mid_value": "3000人次", "name": "年度培训人次", "value": "1000人次"}


def test_a_row_of_a_category_the_form_no_longer_has_is_not_rebuilt():
    deleted = [["类别", "产出指标／无此类别", ""], ["三级指标", "某指标", ""]]
    with pytest.raises(history.RestoreRefused, match="已没有“产出指标／无此类别”这一类"):
        history.indicator_from_snapshot(deleted, HUNAN)


def event(event_id, action, changes):
    return SheetEvent(id=event_id, action=action, changes=changes)


ROW_A = [["类别", "产出指标／时效指标", ""], ["三级指标", "2021年12月完成率", ""]]
ROW_B = [["类别", "产出指标／数量指标", ""], ["三级指标", "培训人次", ""]]
BACK_A = [[what, "", old] for what, old, _ in ROW_A]


@pytest.mark.parametrize(("events", "pending"), [
    ([event(1, "delete_indicator", ROW_A)], {1}),
    ([event(1, "delete_indicator", ROW_A), event(2, "restore_indicator", BACK_A)], set()),
    ([event(1, "delete_indicator", ROW_A), event(2, "delete_indicator", ROW_B), event(3, "restore_indicator", BACK_A)], {2}),
    # two rows with the same texts (the seed's repeated 时效指标) deleted, one brought back: one left to restore
    ([event(1, "delete_indicator", ROW_A), event(2, "delete_indicator", ROW_A), event(3, "restore_indicator", BACK_A)], {1}),
    ([event(1, "add_indicator", BACK_A)], set()),
])
def test_which_deletions_may_still_be_restored(events, pending):
    assert history.restorable(events) == pending


# --- 撤销 and 恢复 on the web ----------------------------------------------------------------


def rows(app, sheet_id=1):
    with app.app_context():
        return [(i.position, i.level1, i.level2, i.name, i.value, i.standard)
                for i in db.session.scalars(select(Indicator).where(Indicator.sheet_id == sheet_id).order_by(Indicator.position))]


def undo_of(fragment: str) -> tuple[str, dict]:
    """The 撤销 button's URL and the values it posts."""
    url = re.search(r'hx-post="([^"]+)"', fragment).group(1)
    values = json.loads(re.search(r"hx-vals='([^']+)'", fragment).group(1))
    return url, values


def test_undo_brings_the_row_back_in_its_place_with_every_column(seeded, client):
    before = rows(seeded)
    fragment = client.delete("/indicators/3").get_data(as_text=True)
    assert rows(seeded) == before[:2] + before[3:]
    url, values = undo_of(fragment)
    response = client.post(url, data=values)
    restored = response.get_data(as_text=True).lstrip()
    assert response.status_code == 200 and restored.startswith('<tr class="indicator restored"') and "2021年12月底完成全年工作计划" in restored
    assert response.headers["HX-Trigger"] == "sheet-changed"
    assert [row[:] for row in rows(seeded)] == before  # the same place (position 3), category and columns
    with seeded.app_context():
        actions = [e.action for e in db.session.scalars(select(SheetEvent).where(SheetEvent.sheet_id == 1).order_by(SheetEvent.id))]
        restore = db.session.scalars(select(SheetEvent).where(SheetEvent.action == "restore_indicator")).one()
        assert ["类别", "", "产出指标／时效指标"] in restore.changes and ["三级指标", "", "2021年12月底完成全年工作计划"] in restore.changes
    assert actions[-2:] == ["delete_indicator", "restore_indicator"]
    assert "恢复指标" in client.get("/sheets/1").get_data(as_text=True)


def test_a_row_is_brought_back_only_once(seeded, client):
    url, values = undo_of(client.delete("/indicators/3").get_data(as_text=True))
    client.post(url, data=values)
    again = client.post(url, data=values).get_data(as_text=True)
    assert "没有恢复：这一行已经恢复过了" in again
    assert len(rows(seeded)) == 8


def test_a_place_taken_meanwhile_puts_the_row_at_the_end(seeded, client):
    url, values = undo_of(client.delete("/indicators/8").get_data(as_text=True))  # the last row, position 8
    client.post("/sheets/1/indicators", data={"level1": "产出指标", "level2": "数量指标", "name": "新指标", "value": "1个", "standard": "计划标准"})
    client.post(url, data=values)
    assert [(position, name) for position, _, _, name, _, _ in rows(seeded)][-2:] == [(8, "新指标"), (9, "会员满意度达90%以上")]


def test_the_history_offers_to_restore_a_deleted_row_while_the_sheet_is_editable(app, filler, reviewer, clean_sheet):  # noqa: F811
    filler.delete("/indicators/1")
    page = filler.get("/sheets/1").get_data(as_text=True)
    history_panel = page[page.index('id="history"'):]
    (url,) = re.findall(r'hx-post="(/sheets/1/deleted/\d+/restore)"', history_panel)
    assert 'hx-target="#category-1" hx-swap="beforeend">恢复</button>' in history_panel  # 数量指标, the first category
    assert "恢复</button>" not in reviewer.get("/sheets/1").get_data(as_text=True)  # not theirs to change
    assert reviewer.post(url).status_code == 403
    response = filler.post(url)
    assert response.status_code == 200 and "培训人次" in response.get_data(as_text=True)
    assert [row[3] for row in rows(app)] == ["能力提升", "培训人次"]  # back, at the end
    assert "恢复</button>" not in filler.get("/sheets/1").get_data(as_text=True)  # nothing left to restore


def test_a_submitted_sheet_offers_no_restore(app, filler, clean_sheet):  # noqa: F811
    url, values = undo_of(filler.delete("/indicators/1").get_data(as_text=True))
    filler.post("/sheets/1/indicators", data=ROWS[0])  # typed again instead
    filler.post("/sheets/1/submit")
    assert "恢复</button>" not in filler.get("/sheets/1").get_data(as_text=True)
    assert filler.post(url, data=values).status_code == 403
    assert len(rows(app)) == 2


def test_restoring_needs_a_delete_event_of_the_same_sheet(seeded, client, other_filler):
    url, values = undo_of(client.delete("/indicators/3").get_data(as_text=True))
    event_id = int(re.search(r"/deleted/(\d+)/", url).group(1))
    assert client.post(f"/sheets/2/deleted/{event_id}/restore").status_code == 404  # another sheet's event
    assert client.post(f"/sheets/1/deleted/{event_id + 100}/restore").status_code == 404
    assert other_filler.post(url, data=values).status_code == 404  # another unit's sheet
    client.put("/indicators/1", data={"level1": "产出指标", "level2": "数量指标", "name": "改过", "value": "7个", "standard": "行业标准"})
    with seeded.app_context():
        update = db.session.scalars(select(SheetEvent).where(SheetEvent.action == "update_indicator")).one().id
    assert client.post(f"/sheets/1/deleted/{update}/restore").status_code == 404  # not a deletion
    assert len(rows(seeded)) == 7


def guangdong_sheet(app) -> tuple[int, int]:
    """A Guangdong 批复表 with one row that has both its 中期 and its 年度 texts: (sheet, row)."""
    form = get_template("guangdong-2019")
    level1, level2 = list(form.framework.pairs())[0]
    row = Indicator(position=1, level1=level1, level2=level2, name="年度培训人次", value="1000人次", standard="",
                    extra={"mid_level2": "数量指标", "mid_name": "三年累计培训人次", "mid_value": "3000人次"})
    with app.app_context():
        sheet = GoalSheet(unit="会同县工商联", year=2021, template=form.code, project_name="培训项目", local_budget=Decimal(5), indicators=[row])
        db.session.add(sheet)
        db.session.commit()
        return sheet.id, row.id


def test_a_guangdong_row_restored_from_the_history_has_its_mid_term_and_annual_texts(app, client):
    sheet_id, row_id = guangdong_sheet(app)
    client.delete(f"/indicators/{row_id}")
    page = client.get(f"/sheets/{sheet_id}").get_data(as_text=True)
    (url,) = re.findall(rf'hx-post="(/sheets/{sheet_id}/deleted/\d+/restore)"', page)
    restored = client.post(url).get_data(as_text=True)
    assert "三年累计培训人次" in restored and "年度培训人次" in restored
    with app.app_context():
        (row,) = db.session.scalars(select(Indicator).where(Indicator.sheet_id == sheet_id)).all()
        assert (row.extra, row.name, row.value) == ({"mid_level2": "数量指标", "mid_name": "三年累计培训人次", "mid_value": "3000人次"},
                                                    "年度培训人次", "1000人次")


def test_a_change_to_a_guangdong_rows_mid_term_indicator_alone_is_in_the_history(app, client):
    sheet_id, row_id = guangdong_sheet(app)
    with app.app_context():
        row = db.session.get(Indicator, row_id)
        data = {"level1": row.level1, "level2": row.level2, "version": row.version, "name": "年度培训人次", "value": "1000人次",
                "mid_level2": "数量指标", "mid_name": "三年累计培训人数", "mid_value": "3000人次"}
    assert client.put(f"/indicators/{row_id}", data=data).status_code == 200
    with app.app_context():
        update = db.session.scalars(select(SheetEvent).where(SheetEvent.sheet_id == sheet_id, SheetEvent.action == "update_indicator")).one()
        assert update.changes == [["中期指标／三级指标", "三年累计培训人次", "三年累计培训人数"]]
