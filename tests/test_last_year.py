"""引用上年: last year's rows of a category brought into this year's sheet of the same project."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from goalsapp.domain import limits
from goalsapp.domain.models import GoalSheet, Indicator, SheetEvent, Status
from goalsapp.extensions import db

QUALITY = {"level1": "产出指标", "level2": "质量指标"}
TIMELINESS = {"level1": "产出指标", "level2": "时效指标"}


def this_year(app, project="光彩事业项目", status=Status.DRAFT, rows=()) -> int:
    """2022's sheet of one of the seed's 2021 projects."""
    with app.app_context():
        sheet = GoalSheet(unit="会同县工商联", year=2022, project_name=project, local_budget=Decimal("2.4"), status=status,
                          indicators=[Indicator(position=position, **row) for position, row in enumerate(rows, start=1)])
        db.session.add(sheet)
        db.session.commit()
        return sheet.id


def rows(app, sheet_id) -> list[tuple]:
    with app.app_context():
        return [(row.level1, row.level2, row.name, row.value, row.standard) for row in
                db.session.scalars(select(Indicator).where(Indicator.sheet_id == sheet_id).order_by(Indicator.position))]


def last_year_row(app, project, name) -> int:
    with app.app_context():
        return db.session.scalars(select(Indicator.id).join(GoalSheet).where(
            GoalSheet.year == 2021, GoalSheet.project_name == project, Indicator.name == name)).first()


def last_year(app, project) -> int:
    with app.app_context():
        return db.session.scalars(select(GoalSheet.id).where(GoalSheet.year == 2021, GoalSheet.project_name == project)).one()


def events(app, sheet_id) -> list[tuple]:
    with app.app_context():
        return [(event.action, event.changes) for event in
                db.session.scalars(select(SheetEvent).where(SheetEvent.sheet_id == sheet_id).order_by(SheetEvent.id))]


def test_the_editor_offers_it_only_for_the_categories_last_year_had_rows_in(seeded, filler):
    page = filler.get(f"/sheets/{this_year(seeded)}").get_data(as_text=True)
    assert page.count(">引用上年</button>") == 8  # 光彩事业项目 2021: every category but 生态效益指标
    assert "/last-year?level1=效益指标&amp;level2=生态效益指标" not in page
    fresh = this_year(seeded, project="新项目")
    assert "引用上年" not in filler.get(f"/sheets/{fresh}").get_data(as_text=True)


def test_the_panel_lists_last_years_rows_of_the_category(seeded, filler):
    sheet_id = this_year(seeded, rows=[{**QUALITY, "name": "引导回报社会，促进非公经济人士的健康发展", "value": "96%", "standard": "行业标准"}])
    response = filler.get(f"/sheets/{sheet_id}/last-year", query_string=TIMELINESS)
    fragment = response.get_data(as_text=True).lstrip()
    assert response.status_code == 200 and fragment.startswith('<tr class="last-year">')
    # Each as it would come: last year's year in it moved to this year's. The seed lists it twice.
    assert "2021年“光彩事业项目”的时效指标" in fragment and fragment.count('<span class="name">2022年12月完成率</span>') == 2
    quality = filler.get(f"/sheets/{sheet_id}/last-year", query_string=QUALITY).get_data(as_text=True)
    assert ">已有</span>" in quality and "全部引用" not in quality  # its one row is in the sheet already


def test_one_row_comes_with_its_value_and_standard_and_is_recorded(seeded, filler):
    sheet_id = this_year(seeded)
    source = last_year_row(seeded, "光彩事业项目", "引导回报社会，促进非公经济人士的健康发展")
    response = filler.post(f"/sheets/{sheet_id}/last-year/{source}", query_string=QUALITY)
    fragment = response.get_data(as_text=True).lstrip()
    assert response.status_code == 200 and response.headers["HX-Trigger"] == "sheet-changed"
    assert fragment.startswith('<tr class="indicator" id="indicator-') and '<tr class="last-year">' in fragment
    assert "已引用1行" in fragment and ">已有</span>" in fragment
    assert rows(seeded, sheet_id) == [("产出指标", "质量指标", "引导回报社会，促进非公经济人士的健康发展", "95%", "行业标准")]
    ((action, changes),) = events(seeded, sheet_id)
    assert action == "carry_indicator"
    assert ["三级指标", "", "引导回报社会，促进非公经济人士的健康发展"] in changes and ["指标值及单位", "", "95%"] in changes
    # Again: it is there already, so nothing is added twice.
    again = filler.post(f"/sheets/{sheet_id}/last-year/{source}", query_string=QUALITY).get_data(as_text=True)
    assert "没有重复引用" in again and len(rows(seeded, sheet_id)) == 1


def test_a_whole_category_comes_once_each_name_in_order_after_the_rows_there(seeded, filler):
    sheet_id = this_year(seeded, rows=[{**QUALITY, "name": "质量", "value": "1", "standard": "计划标准"},
                                       {**TIMELINESS, "name": "2022年12月完成率", "value": "90%", "standard": "计划标准"}])
    social = {"level1": "效益指标", "level2": "社会效益指标"}
    response = filler.post(f"/sheets/{sheet_id}/last-year", query_string=social)
    assert "已引用2行" in response.get_data(as_text=True)
    # The seed's doubled 时效指标 row is in the sheet already: the category brings nothing.
    assert "没有重复引用" in filler.post(f"/sheets/{sheet_id}/last-year", query_string=TIMELINESS).get_data(as_text=True)
    assert rows(seeded, sheet_id)[2:] == [
        ("效益指标", "社会效益指标", "组织开展形式多样的光彩事业活动。", "95%", "行业标准"),
        ("效益指标", "社会效益指标", "非公企业和个人自主进行扶贫济困活动。", "95%", "行业标准")]
    assert [action for action, _ in events(seeded, sheet_id)] == ["carry_indicator"] * 2


def test_a_row_brought_says_this_years_year_where_it_said_last_years(seeded, filler):
    sheet_id = this_year(seeded)
    source = last_year_row(seeded, "光彩事业项目", "2021年12月完成率")
    fragment = filler.post(f"/sheets/{sheet_id}/last-year/{source}", query_string=TIMELINESS).get_data(as_text=True)
    assert rows(seeded, sheet_id) == [("产出指标", "时效指标", "2022年12月完成率", "95%", "计划标准")]
    assert "2022年12月完成率" in fragment and "2021年12月完成率" not in fragment  # the row and the panel
    ((_, changes),) = events(seeded, sheet_id)
    assert ["三级指标", "", "2022年12月完成率"] in changes
    assert "2021年12月完成率" in [name for _, _, name, _, _ in rows(seeded, last_year(seeded, "光彩事业项目"))]  # last year's stays


def test_a_whole_category_brought_moves_last_years_years_and_keeps_a_comparisons_base(seeded, filler):
    social = {"level1": "效益指标", "level2": "社会效益指标"}
    with seeded.app_context():
        previous = db.session.get(GoalSheet, last_year(seeded, "光彩事业项目"))
        previous.indicators.append(Indicator(position=len(previous.indicators) + 1, **social, name="参与企业较2021年增长",
                                             value="2021年底前达到二〇二一年的1.2倍", standard="计划标准"))
        db.session.commit()
    sheet_id = this_year(seeded)
    filler.post(f"/sheets/{sheet_id}/last-year", query_string=social)
    assert rows(seeded, sheet_id) == [
        ("效益指标", "社会效益指标", "组织开展形式多样的光彩事业活动。", "95%", "行业标准"),
        ("效益指标", "社会效益指标", "非公企业和个人自主进行扶贫济困活动。", "95%", "行业标准"),
        # 2021 as the sheet's year moves, also written in Chinese numerals; as the base of a comparison it stays.
        ("效益指标", "社会效益指标", "参与企业较2021年增长", "2022年底前达到二〇二二年的1.2倍", "计划标准")]


def test_a_doubled_row_of_last_year_comes_once(seeded, filler):
    sheet_id = this_year(seeded)
    filler.post(f"/sheets/{sheet_id}/last-year", query_string=TIMELINESS)
    assert rows(seeded, sheet_id) == [("产出指标", "时效指标", "2022年12月完成率", "95%", "计划标准")]


def test_the_sheets_row_limit_holds(seeded, filler, monkeypatch):
    sheet_id = this_year(seeded, rows=[{**QUALITY, "name": "质量", "value": "1", "standard": "计划标准"}])
    monkeypatch.setattr(limits, "INDICATORS_PER_SHEET", 2)
    response = filler.post(f"/sheets/{sheet_id}/last-year", query_string={"level1": "效益指标", "level2": "社会效益指标"})
    assert "一张表最多2个指标，只引用了1行" in response.get_data(as_text=True)
    assert len(rows(seeded, sheet_id)) == 2


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.APPROVED])
def test_only_a_sheet_open_to_changes_takes_rows(seeded, filler, status):
    sheet_id = this_year(seeded, status=status)
    source = last_year_row(seeded, "光彩事业项目", "引导回报社会，促进非公经济人士的健康发展")
    assert filler.get(f"/sheets/{sheet_id}/last-year", query_string=QUALITY).status_code == 403
    assert filler.post(f"/sheets/{sheet_id}/last-year/{source}", query_string=QUALITY).status_code == 403
    assert filler.post(f"/sheets/{sheet_id}/last-year", query_string=QUALITY).status_code == 403
    assert rows(seeded, sheet_id) == []
    assert "引用上年" not in filler.get(f"/sheets/{sheet_id}").get_data(as_text=True)


def test_only_last_years_sheet_of_the_same_project_gives_rows(seeded, filler, other_filler, reviewer):
    sheet_id = this_year(seeded)
    another_project = last_year_row(seeded, "教育培训项目", "工商联工作人员工作能力得到提升")
    assert filler.post(f"/sheets/{sheet_id}/last-year/{another_project}", query_string=QUALITY).status_code == 404
    source = last_year_row(seeded, "光彩事业项目", "引导回报社会，促进非公经济人士的健康发展")
    assert filler.post(f"/sheets/{sheet_id}/last-year/{source}", query_string=TIMELINESS).status_code == 404  # not of that category
    assert other_filler.post(f"/sheets/{sheet_id}/last-year/{source}", query_string=QUALITY).status_code == 404
    assert reviewer.post(f"/sheets/{sheet_id}/last-year", query_string=QUALITY).status_code == 403
    assert filler.post(f"/sheets/{sheet_id}/last-year", query_string={"level1": "产出指标", "level2": "满意度指标"}).status_code == 404
    assert rows(seeded, sheet_id) == []


def test_last_years_sheet_deleted_meanwhile_is_said_so_and_nothing_comes(seeded, filler):
    """The panel was opened, then last year's sheet was deleted: 全部引用 says the sheet is gone
    (not that every row is already here), and 引用 of one of its rows is a 404."""
    sheet_id = this_year(seeded)
    source = last_year_row(seeded, "光彩事业项目", "引导回报社会，促进非公经济人士的健康发展")
    with seeded.app_context():
        db.session.delete(db.session.get(GoalSheet, 3))  # 2021's 光彩事业项目
        db.session.commit()
    assert filler.post(f"/sheets/{sheet_id}/last-year/{source}", query_string=QUALITY).status_code == 404
    panel = filler.post(f"/sheets/{sheet_id}/last-year", query_string=QUALITY).get_data(as_text=True)
    assert "没有找到上年同一项目的表（可能刚被删除），没有引用。" in panel and "都已有" not in panel
    assert rows(seeded, sheet_id) == [] and events(seeded, sheet_id) == []
