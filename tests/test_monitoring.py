"""Mid-year monitoring (绩效运行监控): rounds, each approved sheet's monitoring, its lights, its
review, access, workflow, history, print and the .xlsx round trip."""
import re
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from goalsapp.domain import history, monitoring
from goalsapp.domain.models import GoalSheet, Monitoring, MonitoringRound, Role, SheetEvent, Status
from goalsapp.extensions import db

from .conftest import login
from .test_security import logged_in, token_from

ROUND = {"year": "2021", "month": "6", "deadline": "2021-07-15"}
BASIC = "基层商会专项经费"  # the seed's sheet 1: 8 rows, 14 万元
NAMES = [
    "促进7个基层商会正常运转，下拨每个基层商会工作经费2万元",
    "7个基层商会按照《会同县工商联基层商会2021年度目标管理综合绩效考核办法》正常开展工作",
    "2021年12月底完成全年工作计划",
    "7个基层商会正常运转所需办公费7万元，水、电费2万元，租赁费3万元",
    "各基层商会会员正常增加，促进经济总量增长",
    "非公经济人士对商会的归属感",
    "基层商会工作运行良好，实现可持续发展",
    "会员满意度达90%以上",
]
TARGETS = ["7个", "95%", "95%", "95%", "100%", "98%", "98%", "98%"]
CURRENT = ["4个"] + ["50%"] * 7  # by the end of June: on pace for every target


def approve_sheet(app, sheet_id: int = 1) -> None:
    """The bureau has approved the target (as the workflow would leave it)."""
    with app.app_context():
        db.session.get(GoalSheet, sheet_id).status = Status.APPROVED
        db.session.commit()


@pytest.fixture
def opened(seeded, reviewer):
    """The seed with sheet 1 approved and the 2021 round (to the end of June) opened by the bureau."""
    approve_sheet(seeded)
    assert reviewer.post("/monitoring", data=ROUND).status_code == 303
    return seeded


@pytest.fixture
def begun(opened, filler):
    """Sheet 1's monitoring, begun by its unit's clerk: monitoring 1."""
    assert filler.post("/sheets/1/monitoring/1").location.endswith("/monitorings/1")
    return opened


def stored(app, monitoring_id: int = 1) -> Monitoring:
    with app.app_context():
        found = db.session.get(Monitoring, monitoring_id)
        for row in found.rows:  # loaded before the session goes
            _ = row.indicator.name, row.monitoring.round.month
        _ = found.sheet.unit, found.round.month
        db.session.expunge_all()
        return found


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def row_ids(app) -> list[int]:
    return [row.id for row in stored(app).rows]


def filled(app, **rows) -> dict:
    """A complete monitoring as posted: 7 of 14 万元 spent by June, each row on its way to its
    target, 确定能; rows={index: {field: text}} changes some rows."""
    data = {"initial_budget": "14", "annual_budget": "14", "spent": "7", "expected_spending": "14"}
    for index, row_id in enumerate(row_ids(app)):
        values = {"current": CURRENT[index], "expected": TARGETS[index], "possibility": "确定能"} | rows.get(f"r{index}", {})
        data |= {f"row-{row_id}-{field}": text for field, text in values.items()}
    return data


def text(response) -> str:
    return response.get_data(as_text=True)


# --- rounds -----------------------------------------------------------------------------------------


def test_only_the_bureau_opens_a_round(seeded, filler):
    assert filler.post("/monitoring", data=ROUND).status_code == 403
    assert "开启一轮运行监控" not in text(filler.get("/monitoring"))
    assert count(seeded, MonitoringRound) == 0
    admin = login(seeded, "admin", Role.ADMIN)
    assert admin.post("/monitoring", data=ROUND).status_code == 303
    with seeded.app_context():
        opened = db.session.scalars(select(MonitoringRound)).one()
        assert (opened.year, opened.month, opened.deadline, opened.opened_by.username) == (2021, 6, date(2021, 7, 15), "admin")


def test_a_round_is_opened_once_and_its_deadline_comes_after_its_month(opened, reviewer):
    again = reviewer.post("/monitoring", data=ROUND)
    assert again.status_code == 422 and "2021年截至6月的运行监控已经开启过了" in text(again)
    early = reviewer.post("/monitoring", data={**ROUND, "month": "7", "deadline": "2021-07-20"})
    assert early.status_code == 422 and "截止日期应在2021年7月底之后" in text(early)
    assert count(opened, MonitoringRound) == 1


@pytest.mark.parametrize("deadline, opens", [("2022-12-31", True), ("2023-01-01", False), ("2026-07-15", False)])
def test_a_deadline_years_after_the_round_is_a_year_to_check(seeded, reviewer, deadline, opens):
    """The form offers this year's 15 July: a bureau opening last year's round, its year changed
    and not the deadline, is asked to look before every sheet is late on the day it opens."""
    response = reviewer.post("/monitoring", data={**ROUND, "deadline": deadline})
    assert count(seeded, MonitoringRound) == (1 if opens else 0)
    if not opens:
        assert response.status_code == 422 and f'value="{deadline}"' in text(response)
        assert f"截止日期{deadline}离2021年太远：2021年的运行监控应在2022年底之前截止，请核对年度和截止日期" in text(response)


def test_a_bad_round_is_said_in_chinese_with_the_typing_kept(seeded, reviewer):
    response = reviewer.post("/monitoring", data={"year": "1900", "month": "13", "deadline": "七月十五"})
    page = text(response)
    assert response.status_code == 422
    assert "年度应在2000至2100之间" in page and "截至月份应在1至12之间" in page and "请按“2021-07-15”的样子填写日期" in page
    assert 'value="1900"' in page and 'value="七月十五"' in page
    assert count(seeded, MonitoringRound) == 0


# --- a sheet's monitoring ------------------------------------------------------------------------


def test_only_an_approved_sheet_has_a_monitoring(opened, filler):
    assert "运行监控（1-6月）" in text(filler.get("/sheets/1"))
    assert "运行监控（1-6月）" not in text(filler.get("/sheets/2"))  # a draft
    response = filler.post("/sheets/2/monitoring/1", follow_redirects=True)
    assert "只有审核通过的目标表才填报运行监控：这张表现在是“草稿”" in text(response)
    assert count(opened, Monitoring) == 0


def test_the_rows_are_the_targets_indicators_and_the_money_its_budget(begun, filler):
    found = stored(begun)
    assert [row.indicator.name for row in found.rows] == NAMES
    assert [monitoring.target_written(row) for row in found.rows] == TARGETS
    assert (found.initial_budget, found.annual_budget, found.status) == (Decimal(14), Decimal(14), Status.DRAFT)
    page = text(filler.get("/monitorings/1"))
    assert all(name in page for name in NAMES)
    assert '<td class="target">7个</td>' in page  # 年度指标值: shown, not an input
    assert filler.post("/sheets/1/monitoring/1").location.endswith("/monitorings/1")  # opened again, not begun twice
    assert count(begun, Monitoring) == 1


def test_a_link_followed_begins_no_monitoring(opened, filler):
    """Beginning one is a change: only the page's own button (a post, with its token) begins it,
    never a link followed from anywhere; once begun, 运行监控 is a plain link to it."""
    assert filler.get("/sheets/1/monitoring/1").status_code == 405
    assert count(opened, Monitoring) == 0
    page = filler.get("/sheets/1").get_data(as_text=True)
    assert re.search(r'<form method="post" action="/sheets/1/monitoring/1">.*?<button type="submit">运行监控（1-6月）</button>', page, re.S)
    filler.post("/sheets/1/monitoring/1")
    assert '<a class="button" href="/monitorings/1">运行监控（1-6月）</a>' in filler.get("/sheets/1").get_data(as_text=True)


def test_the_bureau_reads_a_monitoring_but_does_not_begin_one(opened, reviewer):
    response = reviewer.post("/sheets/1/monitoring/1", follow_redirects=True)
    assert "须由本单位的填报人开始" in text(response)
    assert count(opened, Monitoring) == 0
    assert "未填报" in text(reviewer.get("/monitoring/rounds/1"))


# --- lights -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("current, expected, possibility, light", [
    ("", "", "", "待填写"),
    ("4个", "7个", "确定能", "绿灯"),  # on pace (half the year, 4 of 7) and will make it
    ("1个", "7个", "确定能", "黄灯"),  # behind the elapsed share of the year
    ("4个", "7个", "有可能", "黄灯"),  # the clerk doubts it
    ("2", "5", "有可能", "红灯"),  # 5 of 7 is under 80% of the target
    ("4个", "7个", "完全不可能", "红灯"),
])
def test_a_rows_light_follows_what_is_typed_and_stores_nothing(begun, filler, current, expected, possibility, light):
    row_id = row_ids(begun)[0]  # 7个
    response = filler.post(f"/monitorings/1/rows/{row_id}/light", data={
        f"row-{row_id}-current": current, f"row-{row_id}-expected": expected, f"row-{row_id}-possibility": possibility})
    assert response.status_code == 200 and text(response).lstrip().startswith(f'<td id="light-row-{row_id}"')
    assert re.sub(r"<[^>]+>|\s", "", text(response)).endswith(light)  # a shape and a word, not colour alone
    assert stored(begun).rows[0].current == ""


@pytest.mark.parametrize("spent, rate, light", [("7", "50%", "绿灯"), ("4", "28.57%", "黄灯"), ("1", "7.14%", "红灯"), ("", "—", "待填写")])
def test_the_money_blocks_rate_and_light_follow_the_amounts_typed(begun, filler, spent, rate, light):
    response = filler.post("/monitorings/1/money/light", data={"annual_budget": "14", "spent": spent})
    cells = re.sub(r"<[^>]+>|\s", "", text(response))
    assert cells == rate + ("●" if light == "绿灯" else "▲" if light == "黄灯" else "■" if light == "红灯" else "○") + light


# --- review -------------------------------------------------------------------------------------------


def findings(app, **rows) -> list[tuple[str, str]]:
    with app.app_context():
        found = db.session.get(Monitoring, 1)
        monitoring.fill(found, monitoring.MoneyBlock(Decimal(14), Decimal(14), Decimal(7), Decimal(14)), {
            row.id: {"current": CURRENT[index], "expected": TARGETS[index], "possibility": "确定能"} | rows.get(f"r{index}", {})
            for index, row in enumerate(found.rows)})
        report = monitoring.review(found)
        db.session.rollback()
        return [(str(finding.level), finding.message) for finding in report.findings]


def test_a_complete_monitoring_on_track_has_no_findings(begun):
    assert findings(begun) == []


def test_a_doubt_needs_a_cause_and_a_measure(begun):
    assert findings(begun, r1={"possibility": "有可能"}) == [
        ("强制", "完成目标可能性为“有可能”，请选择偏差原因"), ("强制", "完成目标可能性为“有可能”，请填写整改措施")]
    assert findings(begun, r1={"possibility": "有可能", "cause": "经费保障", "remedy": "申请追加经费"}) == []


def test_the_other_cause_says_what_it_was(begun):
    doubt = {"possibility": "完全不可能", "remedy": "调整计划"}
    assert findings(begun, r1=doubt | {"cause": "其他"}) == [("强制", "偏差原因选了“其他”，请写明是什么原因")]
    assert findings(begun, r1=doubt | {"cause": "其他", "cause_note": "疫情停工"}) == []


def test_an_expected_value_short_of_the_target_needs_a_cause(begun):
    assert findings(begun, r1={"expected": "90%"}) == [("强制", "全年预计完成“90%”达不到年度指标值“95%”，请选择偏差原因")]
    assert findings(begun, r1={"expected": "90%", "cause": "人员保障"}) == []


def test_execution_far_behind_the_year_is_a_warning(begun):
    with begun.app_context():
        found = db.session.get(Monitoring, 1)
        found.annual_budget, found.spent = Decimal(14), Decimal("2.1")  # 15% by the end of June
        assert ("提示", "1-6月执行率15%，远低于序时进度50%，请说明原因、加快执行") in [
            (str(f.level), f.message) for f in monitoring.review(found).findings]
        found.spent = Decimal("3")  # 21.43%: behind, not far behind (30 points)
        assert not [f for f in monitoring.review(found).findings if f.rule == "execution_keeps_pace"]


def test_spending_past_the_budget_asks_a_look(begun):
    with begun.app_context():
        found = db.session.get(Monitoring, 1)
        found.annual_budget, found.spent, found.expected_spending = Decimal(14), Decimal(7), Decimal(15)
        assert [(str(f.level), f.message) for f in monitoring.review(found).findings if f.rule == "spending_within_budget"] == [
            ("提示", "全年预计执行数超过全年预算数，请核对")]


def test_an_empty_monitoring_cannot_be_submitted(begun, filler):
    filler.post("/monitorings/1/submit")
    assert stored(begun).status == Status.DRAFT
    page = text(filler.get("/monitorings/1"))
    assert "还有 10 个“强制”问题，改正后才能提交" in page  # 执行数, 全年预计执行数, and each of the 8 rows
    assert "请填写1-6月执行情况、全年预计完成情况、完成目标可能性" in page


# --- saving -------------------------------------------------------------------------------------------


def test_saving_stores_every_cell_and_records_it_apart_from_the_target(begun, filler):
    response = filler.post("/monitorings/1", data=filled(begun, r0={"cause_note": "无", "remedy": "继续推进", "note": "按月下拨"}))
    assert response.status_code == 303
    found = stored(begun)
    assert (found.spent, found.expected_spending) == (Decimal(7), Decimal(14))
    assert (found.rows[0].current, found.rows[0].expected, found.rows[0].possibility, found.rows[0].remedy, found.rows[0].note) == (
        "4个", "7个", "确定能", "继续推进", "按月下拨")
    with begun.app_context():
        kept = db.session.get(Monitoring, 1)
        assert [event.action for event in history.events_of(kept)] == ["update_monitoring", "create"]
        assert ["1-6月执行数", "", "7"] in history.events_of(kept)[0].changes
        sheet = db.session.get(GoalSheet, 1)
        assert [event.action for event in sheet.events] == ["import"]  # the target's own history, untouched
    assert "保存运行监控" in text(filler.get("/monitorings/1"))
    assert "保存运行监控" not in text(filler.get("/sheets/1"))


def test_bad_input_is_said_in_chinese_keeps_the_typing_and_stores_nothing(begun, filler):
    first = row_ids(begun)[0]
    data = filled(begun, r0={"possibility": "也许", "remedy": "很" * 501}) | {"spent": "七万", f"row-{first}-current": "已下拨3个"}
    response = filler.post("/monitorings/1", data=data)
    page = text(response)
    assert response.status_code == 422 and "未保存任何内容" in page
    assert "请输入数字（单位：万元）" in page and "“也许”不在可选项里" in page and "整改措施不能超过500个字（现有501个）" in page
    assert 'value="七万"' in page and 'value="已下拨3个"' in page  # the typing stays on screen
    found = stored(begun)
    assert found.spent is None and found.rows[0].current == "" and count(begun, SheetEvent) == 6  # 5 imports, 1 create


def test_a_save_over_someone_elses_is_a_conflict_until_saved_again(begun, filler):
    version = str(stored(begun).version)
    filler.post("/monitorings/1", data=filled(begun) | {"version": version})
    mine = filled(begun, r0={"current": "5个"}) | {"version": version}
    response = filler.post("/monitorings/1", data=mine)
    page = text(response)
    assert response.status_code == 409 and "别人修改并保存了这张运行监控表" in page
    assert "现在保存的是“4个”，你输入的是“5个”" in page and 'value="5个"' in page
    assert stored(begun).rows[0].current == "4个"
    newer = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    assert filler.post("/monitorings/1", data=mine | {"version": newer}).status_code == 303
    assert stored(begun).rows[0].current == "5个"


# --- access -------------------------------------------------------------------------------------------

OTHERS_SEE_NOTHING = [
    ("get", "/monitorings/1", None),
    ("post", "/monitorings/1", {"spent": "1"}),
    ("post", "/monitorings/1/rows/1/light", {"row-1-current": "1"}),
    ("post", "/monitorings/1/money/light", {"spent": "1"}),
    ("get", "/monitorings/1/print", None),
    ("get", "/monitorings/1/export.xlsx", None),
    ("post", "/monitorings/1/import", None),
    ("post", "/monitorings/1/submit", None),
    ("post", "/monitorings/1/withdraw", None),
    ("post", "/monitorings/1/approve", {"comment": "好"}),
    ("post", "/monitorings/1/return", {"comment": "改"}),
    ("post", "/sheets/1/monitoring/1", None),
    ("get", "/monitoring/rounds/1/print?unit=会同县工商联", None),
    ("get", "/monitoring/rounds/1?unit=会同县工商联", None),  # not even told, wrongly, it has nothing approved
]


@pytest.mark.parametrize("method, url, data", OTHERS_SEE_NOTHING)
def test_another_units_filler_can_neither_see_nor_change_a_monitoring(begun, other_filler, method, url, data):
    before = stored(begun)
    assert getattr(other_filler, method)(url, data=data).status_code == 404
    after = stored(begun)
    assert (after.version, after.status, after.spent) == (before.version, before.status, before.spent)


def test_another_units_filler_sees_none_of_the_round(begun, other_filler):
    assert BASIC not in text(other_filler.get("/monitoring/rounds/1"))


def test_the_bureau_reads_the_round_and_the_monitoring_but_does_not_fill_it(begun, reviewer):
    assert BASIC in text(reviewer.get("/monitoring/rounds/1"))
    assert reviewer.get("/monitorings/1").status_code == 200
    assert reviewer.post("/monitorings/1", data={"spent": "1"}).status_code == 403
    assert reviewer.post("/monitorings/1/submit").status_code == 303 and stored(begun).status == Status.DRAFT
    assert stored(begun).spent is None


# --- workflow -----------------------------------------------------------------------------------------


def test_submit_return_resubmit_approve(begun, filler, reviewer):
    assert filler.post("/monitorings/1/submit", data=filled(begun)).status_code == 303  # saves, then submits
    assert stored(begun).status == Status.SUBMITTED and stored(begun).spent == Decimal(7)
    assert "审核前可以撤回" in text(filler.get("/monitorings/1"))
    assert filler.post("/monitorings/1", data=filled(begun)).status_code == 403  # locked

    reviewer.post("/monitorings/1/return", data={"comment": " "})
    assert stored(begun).status == Status.SUBMITTED  # a return says what to change
    assert reviewer.post("/monitorings/1/return", data={"comment": "请补充整改措施。"}).status_code == 303
    assert (stored(begun).status, stored(begun).review_comment) == (Status.RETURNED, "请补充整改措施。")
    assert "请补充整改措施。" in text(filler.get("/monitorings/1"))

    filler.post("/monitorings/1/submit", data=filled(begun))
    response = reviewer.post("/monitorings/1/approve", data={"comment": "同意。"})
    assert response.location.endswith("/monitoring/rounds/1")  # none left waiting: back to the round
    assert (stored(begun).status, stored(begun).review_comment) == (Status.APPROVED, "同意。")
    with begun.app_context():
        actions = [e.action for e in history.events_of(db.session.get(Monitoring, 1))]
        assert actions == ["approve", "submit", "return", "submit", "update_monitoring", "create"]  # resubmitted unchanged
        assert db.session.get(GoalSheet, 1).status == Status.APPROVED  # the target is not moved by its monitoring


def test_a_submission_may_be_withdrawn_until_the_bureau_decides(begun, filler):
    filler.post("/monitorings/1/submit", data=filled(begun))
    filler.post("/monitorings/1/withdraw")
    assert stored(begun).status == Status.DRAFT


def test_nobody_approves_a_monitoring_they_submitted(begun, app):
    admin = login(app, "admin", Role.ADMIN)
    admin.post("/monitorings/1/submit", data=filled(begun))
    admin.post("/monitorings/1/approve")
    assert stored(begun).status == Status.SUBMITTED


def test_the_round_shows_each_sheets_status_and_lights(begun, filler, reviewer):
    filler.post("/monitorings/1/submit", data=filled(begun, r1={"expected": "70%", "possibility": "完全不可能", "cause": "制度保障",
                                                             "remedy": "修订考核办法"}))
    page = re.sub(r"<[^>]+>|\s", "", text(reviewer.get("/monitoring/rounds/1")))
    assert "未填报0张，草稿0张，已提交1张" in page
    assert "已提交" in page and "50%" in page and "●绿灯7" in page and "■红灯1" in page


# --- print and Excel ---------------------------------------------------------------------------------


def test_the_print_holds_every_cell_in_the_published_layout(begun, filler):
    filler.post("/monitorings/1", data=filled(begun, r1={"expected": "90%", "possibility": "有可能", "cause": "经费保障",
                                                          "cause_note": "资金未到位", "remedy": "申请追加", "note": "七月复核"}))
    page = text(filler.get("/monitorings/1/print"))
    for piece in ("项目支出绩效目标执行监控表", "（2021年度）", "填报单位（盖章）：会同县工商联", "项目名称", BASIC, "主管部门", "行政政法",
                  "实施单位", "年初预算数", "全年预算数", "1-6月执行数", "执行率", "全年预计执行数", "50%", "年度总体<br>目标",
                  "一级指标", "二级指标", "三级指标", "年度<br>指标值", "1-6月<br>执行情况", "全年预计<br>完成情况", "完成目标<br>可能性",
                  "偏差原因", "整改措施", "备注", "经费保障：资金未到位", "申请追加", "七月复核", "财政部门<br>审核意见", "草稿"):
        assert piece in page, piece
    assert all(name in page for name in NAMES)
    assert '<th rowspan="4">产出指标</th>' in page  # 一级 spans its rows
    hubei = text(filler.get("/monitorings/1/print?layout=hubei-2019"))
    assert "半年度指标<br>执行情况" in hubei and "偏差原因<br>分析" in hubei and "七月复核" in hubei


def test_a_units_round_prints_at_once(begun, filler):
    page = text(filler.get("/monitoring/rounds/1/print?unit=会同县工商联"))
    assert page.count('<article class="sheet monitoring landscape">') == 1 and BASIC in page


def exported(client) -> bytes:
    response = client.get("/monitorings/1/export.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    return response.data


def cell_of(ws, text_value: str):
    return next(cell for row in ws.iter_rows() for cell in row if isinstance(cell.value, str) and re.sub(r"\s", "", cell.value) == text_value)


def test_the_excel_export_fills_in_offline_and_comes_back(begun, filler):
    filler.post("/monitorings/1", data=filled(begun))
    book = load_workbook(BytesIO(exported(filler)))
    ws = book.active
    rate = ws.cell(cell_of(ws, "执行率").row + 1, cell_of(ws, "执行率").column)
    assert (rate.value, rate.number_format) == (Decimal("0.5"), "0.00%") or (float(rate.value), rate.number_format) == (0.5, "0.00%")
    current = cell_of(ws, "1-6月执行情况").column
    expected = cell_of(ws, "全年预计完成情况").column
    first = cell_of(ws, NAMES[1]).row
    ws.cell(first, current).value = "80%"
    ws.cell(first, expected).value = "90%"
    ws.cell(first, cell_of(ws, "完成目标可能性").column).value = "有可能"
    ws.cell(first, cell_of(ws, "偏差原因").column).value = "人员保障：缺两名专干"
    ws.cell(first, cell_of(ws, "整改措施").column).value = "八月前补齐"
    spent = cell_of(ws, "1-6月执行数")
    ws.cell(spent.row + 1, spent.column).value = 8.5
    buffer = BytesIO()
    book.save(buffer)

    response = filler.post("/monitorings/1/import", data={"file": (BytesIO(buffer.getvalue()), "监控.xlsx")}, follow_redirects=True)
    assert "已从“监控.xlsx”导入：7 处有改动" in text(response)
    row = stored(begun).rows[1]
    assert (row.current, row.expected, row.possibility, row.cause, row.cause_note, row.remedy) == (
        "80%", "90%", "有可能", "人员保障", "缺两名专干", "八月前补齐")
    assert stored(begun).spent == Decimal("8.5")
    with begun.app_context():
        assert history.events_of(db.session.get(Monitoring, 1))[0].action == "import"


@pytest.mark.parametrize("heading, value, message", [
    ("完成目标可能性", "也许", "“也许”不在可选项里"),
    ("偏差原因", "资金没到", "偏差原因应以经费保障、制度保障、人员保障、硬件条件保障、其他之一开头"),
    ("三级指标", "别的指标", "的三级指标“别的指标”不是目标表“基层商会专项经费”的指标"),  # rows are matched by name
])
def test_an_excel_file_with_one_bad_cell_imports_nothing_and_names_it(begun, filler, heading, value, message):
    book = load_workbook(BytesIO(exported(filler)))
    ws = book.active
    first = cell_of(ws, NAMES[1]).row
    ws.cell(first, cell_of(ws, "1-6月执行情况").column).value = "80%"
    column = cell_of(ws, heading).column
    ws.cell(first, column).value = value
    buffer = BytesIO()
    book.save(buffer)
    response = filler.post("/monitorings/1/import", data={"file": (BytesIO(buffer.getvalue()), "监控.xlsx")}, follow_redirects=True)
    page = text(response)
    assert "没有导入" in page and message in page and f"{ws.cell(first, column).coordinate}" in page
    assert stored(begun).rows[1].current == "" and count(begun, SheetEvent) == 6


def test_a_file_that_is_not_a_workbook_imports_nothing(begun, filler):
    response = filler.post("/monitorings/1/import", data={"file": (BytesIO(b"hello"), "监控.xlsx")}, follow_redirects=True)
    assert "没有导入" in text(response) and "不是Excel" in text(response)
    assert count(begun, SheetEvent) == 6


def test_a_monitoring_post_without_the_token_is_refused(csrf_app):
    client = logged_in(csrf_app)
    assert client.post("/monitoring", data=ROUND).status_code == 400
    assert count(csrf_app, MonitoringRound) == 0
    token = token_from(client.get("/monitoring").get_data(as_text=True))
    assert client.post("/monitoring", data=ROUND | {"csrf_token": token}).status_code == 303
