"""Suggestions while typing a 三级指标: the unit's own earlier rows, then the library; nobody
else's rows, and only for a sheet one may change."""
import json
import re
from decimal import Decimal

import pytest

from goalsapp.domain.models import GoalSheet, Indicator, LibraryEntry, Status
from goalsapp.extensions import db

SATISFACTION = {"level1": "效益指标", "level2": "社会公众或服务对象满意度指标"}


def a_sheet(app, unit="会同县工商联", year=2022, project="新项目", template="hunan-2021", rows=(), status=Status.DRAFT) -> int:
    with app.app_context():
        sheet = GoalSheet(unit=unit, year=year, project_name=project, local_budget=Decimal(1), template=template, status=status,
                          indicators=[Indicator(position=position, **row) for position, row in enumerate(rows, start=1)])
        db.session.add(sheet)
        db.session.commit()
        return sheet.id


def options(response) -> list[tuple[str, dict, str]]:
    """Each option's name, the cells it fills and where it comes from."""
    page = response.get_data(as_text=True)
    found = re.findall(r"<li role=\"option\"[^>]*data-cells='([^']*)'>\s*<span class=\"suggestion-name\">([^<]*)</span>"
                       r".*?<span class=\"suggestion-source\">([^<]*)</span>", page, re.S)
    return [(name, json.loads(cells.replace("&#34;", '"')), source) for cells, name, source in found]


def suggest(client, sheet_id, typed, category=SATISFACTION, **more):
    return client.get(f"/sheets/{sheet_id}/indicators/suggestions", query_string={**category, "name": typed, **more})


def test_the_units_own_rows_come_first_with_their_value_and_standard_then_the_common_ones(seeded, filler):
    sheet_id = a_sheet(seeded)
    response = suggest(filler, sheet_id, "满意")
    assert response.status_code == 200 and response.get_data(as_text=True).lstrip().startswith("<li")
    found = options(response)
    sources = [source.partition("：")[0] for _, _, source in found]
    assert sources == sorted(sources, key=["本单位", "共性指标"].index) and sources[0] == "本单位"
    # The seed's 商会建设项目 is its most recent sheet; 会员满意度达90%以上 shows once, though four sheets
    # have it, as last written (教育培训项目: 98%; 非公党建项目 says 100%).
    assert found[0] == ("工商联（总商会）会员满意度达90%以上", {"name": "工商联（总商会）会员满意度达90%以上", "value": "98%", "standard": "行业标准"},
                        "本单位：2021年 商会建设项目")
    assert [(cells, source) for name, cells, source in found if name == "会员满意度达90%以上"] == [
        ({"name": "会员满意度达90%以上", "value": "98%", "standard": "行业标准"}, "本单位：2021年 教育培训项目")]
    assert ("服务对象满意度", {"name": "服务对象满意度", "value": "≥90%", "standard": "行业标准"}, "共性指标") in found


def test_a_row_written_more_recently_is_the_one_offered(seeded, filler):
    a_sheet(seeded, project="商会年会", rows=[{**SATISFACTION, "name": "会员满意度达90%以上", "value": "99%", "standard": "历史标准"}])
    sheet_id = a_sheet(seeded, year=2023)
    (name, cells, source), *_ = options(suggest(filler, sheet_id, "会员"))
    assert (name, cells["value"], cells["standard"], source) == ("会员满意度达90%以上", "99%", "历史标准", "本单位：2022年 商会年会")


def test_another_units_rows_never_show(seeded, other_filler):
    sheet_id = a_sheet(seeded, unit="某县教育局")
    found = options(suggest(other_filler, sheet_id, "满意"))
    assert found and all(source == "共性指标" for _, _, source in found)
    assert not any("会员" in name and "90%以上" in name for name, _, _ in found)
    assert options(suggest(other_filler, sheet_id, "基层商会", {"level1": "产出指标", "level2": "数量指标"})) == []


def test_only_sheets_of_this_year_and_before_count_and_rows_already_in_the_category_are_left_out(seeded, filler):
    a_sheet(seeded, year=2024, project="以后的项目", rows=[{**SATISFACTION, "name": "将来的满意度", "value": "90%", "standard": "计划标准"}])
    sheet_id = a_sheet(seeded, rows=[{**SATISFACTION, "name": "会员满意度达90%以上", "value": "98%", "standard": "行业标准"}])
    names = [name for name, _, _ in options(suggest(filler, sheet_id, "满意度"))]
    assert "将来的满意度" not in names and "会员满意度达90%以上" not in names
    with seeded.app_context():
        editing = db.session.scalars(db.select(Indicator.id).where(Indicator.sheet_id == sheet_id)).one()
    names = [name for name, _, _ in options(suggest(filler, sheet_id, "会员", indicator=editing))]
    assert names[0] == "会员满意度达90%以上"  # the row being edited may take its own name again


def test_nothing_typed_offers_the_category(seeded, filler):
    sheet_id = a_sheet(seeded)
    found = options(suggest(filler, sheet_id, "", {"level1": "产出指标", "level2": "时效指标"}))
    # The seed's four distinct rows, its most recent sheet's first, then the common ones: eight in all.
    assert [name for name, _, _ in found] == [
        "2021年12月底完成全年工商联工作计划", "2021年12月底完成全年教育培训计划", "2021年12月完成率", "2021年12月底完成全年工作计划",
        "项目按期完成率", "资金到位率", "预算执行率", "资金拨付及时率"]


def test_the_bureaus_entries_come_before_the_built_in_and_replace_one_of_the_same_name(seeded, filler):
    with seeded.app_context():
        db.session.add_all([LibraryEntry(level1="产出指标", level2="时效指标", name="预算执行率", value="100%", standard="计划标准"),
                            LibraryEntry(level1="产出指标", level2="时效指标", name="预算支出进度", value="≥50%", standard="计划标准")])
        db.session.commit()
    sheet_id = a_sheet(seeded)
    found = options(suggest(filler, sheet_id, "预算", {"level1": "产出指标", "level2": "时效指标"}))
    assert [(name, cells["value"], source) for name, cells, source in found] == [
        ("预算执行率", "100%", "本局指标库"), ("预算支出进度", "≥50%", "本局指标库")]


def test_a_101_style_form_gets_the_target_split_into_its_columns(seeded, filler):
    sheet_id = a_sheet(seeded, unit="会同县工商联", template="sichuan-2023")
    found = options(suggest(filler, sheet_id, "预算执行率", {"level1": "产出指标", "level2": "时效指标"}))
    assert found[0][1] == {"name": "预算执行率", "nature": "≥", "value": "95", "measure": "%", "weight": "", "direction": ""}


def test_the_editors_row_box_asks_for_suggestions_as_a_combobox(seeded, filler):
    sheet_id = a_sheet(seeded)
    fragment = filler.get(f"/sheets/{sheet_id}/indicators/new", query_string=SATISFACTION).get_data(as_text=True)
    box = re.search(r"<textarea[^>]*>", fragment).group(0)
    assert 'role="combobox"' in box and 'aria-autocomplete="list"' in box and 'aria-expanded="false"' in box
    assert f'hx-get="/sheets/{sheet_id}/indicators/suggestions?' in box and 'hx-trigger="input changed delay:250ms, suggest"' in box
    listbox_id = re.search(r'aria-controls="([^"]+)"', box).group(1)
    assert f'<ul class="suggestions" id="{listbox_id}" role="listbox"' in fragment


@pytest.mark.parametrize("category", [{"level1": "产出指标", "level2": "满意度指标"}, {}])
def test_a_category_outside_the_sheets_framework_is_404(seeded, filler, category):
    assert suggest(filler, a_sheet(seeded), "满意", category).status_code == 404


def test_who_may_ask(seeded, filler, other_filler, reviewer):
    sheet_id = a_sheet(seeded)
    assert suggest(other_filler, sheet_id, "满意").status_code == 404  # another unit's sheet does not exist for them
    assert suggest(reviewer, sheet_id, "满意").status_code == 403  # the bureau reads, it does not fill in
    submitted = a_sheet(seeded, project="已提交的", status=Status.SUBMITTED)
    assert suggest(filler, submitted, "满意").status_code == 403
    assert seeded.test_client().get(f"/sheets/{sheet_id}/indicators/suggestions").status_code == 302  # to the login


def test_odd_input_is_no_error(seeded, filler):
    sheet_id = a_sheet(seeded)
    for typed, more in (("满" * 5000, {}), ("\x00满意\u202e", {}), ("满意", {"indicator": "99999999999999999999"}), ("满意", {"indicator": "x"})):
        assert suggest(filler, sheet_id, typed, **more).status_code == 200
