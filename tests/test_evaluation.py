"""The year-end self-evaluation (项目支出绩效自评表): started only from an approved sheet; scores,
total and grade from what is typed; its review rules; access; the workflow; its own history;
print and the Excel round trip."""
import io
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from goalsapp.cli.commands import DEMO_FILE
from goalsapp.domain import evaluation, evaluation_layout, history
from goalsapp.domain.evaluation import Draft, RowDraft
from goalsapp.domain.importing import import_files
from goalsapp.domain.models import Evaluation, GoalSheet, Indicator, Role, SheetEvent, Status
from goalsapp.domain.review import Level
from goalsapp.extensions import db

from .conftest import SEED_UNIT, add_user

D = Decimal
ACHIEVED, PARTLY, NOT_ACHIEVED = evaluation.BANDS


# --- pure: a self-evaluation as typed --------------------------------------------------------


def indicator(level1, level2, name, value, position):
    return Indicator(level1=level1, level2=level2, name=name, value=value, standard="计划标准", position=position, extra={})


def sheet_of(*rows, **header) -> GoalSheet:
    header = {"unit": "某单位", "year": 2022, "template": "hunan-2021", "project_name": "培训项目", "budget_dept": "教育",
              "local_budget": D(10), "higher_funds": None, "period_start": date(2022, 1, 1), "period_end": date(2022, 12, 1),
              "annual_goal": "完成培训", "status": Status.APPROVED, **header}
    return GoalSheet(indicators=list(rows), **header)


TRAINING = indicator("产出指标", "数量指标", "培训人次", "≥100人次", 1)
ON_TIME = indicator("产出指标", "时效指标", "按时完成培训", "按时完成", 2)
COST = indicator("产出指标", "成本指标", "培训费", "≤2万元", 3)
EFFECT = indicator("效益指标", "社会效益指标", "能力提升率", "≥90%", 4)
SATISFIED = indicator("效益指标", "社会公众或服务对象满意度指标", "学员满意度", "95%", 5)
ROWS = (TRAINING, ON_TIME, COST, EFFECT, SATISFIED)
WEIGHTS = (D(20), D(15), D(15), D(30), D(10))  # 产出 50, 效益 30, 满意度 10


TEN = D(10)


def typed(*changes: dict, budget=TEN, spent=TEN, **header) -> Draft:
    """The five rows with their weights, each with its changes (an actual, a band…), every row
    explained, every text written: only what a case sets is missing."""
    rows = tuple(RowDraft(row, number, weight=weight, reason="已说明", **change)
                 for number, (row, weight, change) in enumerate(zip(ROWS, WEIGHTS, changes), start=1))
    texts = {"achieved": "完成", "conclusion": "良好", **header}
    return Draft(sheet_of(*ROWS), budget=budget, spent=spent, rows=rows, **texts)


FULL = ({"actual": "100人次"}, {"band": ACHIEVED}, {"actual": "2万元"}, {"actual": "90%"}, {"actual": "95%"})


@pytest.mark.parametrize("changes, spent, scores, total, grade", [
    (FULL, D(10), ("20", "15", "15", "30", "10"), "100", "优"),
    # B/A for ≥, A/B for ≤ overshot, 定性 by its band (the top until a score is given), ＝ as ≥
    (({"actual": "80人次"}, {"band": PARTLY}, {"actual": "2.5万元"}, {"actual": "72%"}, {"actual": "95"}), D(10),
     ("16", "12", "12", "24", "10"), "84", "良"),
    (({"actual": "50人次"}, {"band": NOT_ACHIEVED, "chosen": D(3)}, {"actual": "4万元"}, {"actual": "45%"}, {"actual": "60%"}),
     D(6), ("10", "3", "7.5", "15", "6.32"), "47.82", "差"),
    # a row that does not apply leaves the total rescaled: 80 of the 85 possible is 94.12
    (({"actual": "100人次"}, {"applicable": False}, {"actual": "2万元"}, {"actual": "90%"}, {"actual": "95%"}), D(5),
     ("20", None, "15", "30", "10"), "94.12", "优"),
])
def test_scores_total_and_grade_follow_what_is_typed(changes, spent, scores, total, grade):
    outcome = evaluation.result(typed(*changes, spent=spent))
    assert tuple(evaluation.format_number(row.score) or None for row in outcome.rows) == scores
    assert (evaluation.format_number(outcome.numbers.total), outcome.numbers.grade) == (total, grade)


def test_the_scores_come_from_the_approved_101_style_columns():
    """指标性质, 指标值 and 度量单位 of a 101-style row are its target."""
    row = Indicator(level1="产出指标", level2="数量指标", name="培训人次", value="100", position=1,
                    extra={"nature": "≥", "measure": "人次"})
    draft = Draft(sheet_of(row, template="sichuan-2023"), budget=D(1), spent=D(1),
                  rows=(RowDraft(row, 1, weight=D(90), actual="50"),))
    assert evaluation.result(draft).rows[0].score == D(45)


def blocking(draft: Draft) -> list[str]:
    return [finding.message for finding in evaluation.review(draft).findings if finding.level == Level.BLOCKING]


def test_a_complete_table_has_nothing_blocking():
    assert blocking(typed(*FULL)) == []


@pytest.mark.parametrize("weights, message", [
    ((D(20), D(15), D(15), D(30), D(10)), None),
    ((D(20), D(15), D(15), D(30), D(12)), "各指标分值合计92分，加预算执行率10分共102分，应为100分"),
    ((D("19.5"), D(15), D(15), D(30), D(10)), "各指标分值合计89.5分，加预算执行率10分共99.5分，应为100分"),
])
def test_weights_must_add_up_to_100_with_execution(weights, message):
    draft = typed(*FULL)
    draft = replace(draft, rows=tuple(replace(row, weight=weight) for row, weight in zip(draft.rows, weights)))
    assert blocking(draft) == ([message] if message else [])


@pytest.mark.parametrize("change, reason, message", [
    ({"actual": "100人次"}, "", None),  # full marks: nothing to explain
    ({"actual": "90人次"}, "", "未得满分，请填写偏差原因分析及改进措施"),
    ({"actual": "90人次"}, "场地受限，少办一期。", None),
    ({"actual": "129人次"}, "", None),
    ({"actual": "130人次"}, "", "实际完成值达到目标的130%以上，请填写偏差原因分析及改进措施"),
    ({"actual": "99.99人次"}, "", "未得满分，请填写偏差原因分析及改进措施"),  # short of it, though 20.00 rounds full
])
def test_a_row_off_its_target_needs_an_explanation(change, reason, message):
    draft = typed(*FULL)
    first = replace(draft.rows[0], reason=reason, **change)
    assert blocking(replace(draft, rows=(first, *draft.rows[1:]))) == ([message] if message else [])


@pytest.mark.parametrize("spent, reason, message", [
    (D(9), "", None),
    (D("8.99"), "", "预算执行率89.9%，低于90%，请说明原因"),
    (D("8.99"), "年末一笔支出跨年。", None),
])
def test_execution_under_90_percent_needs_a_reason(spent, reason, message):
    assert blocking(typed(*FULL, spent=spent, execution_reason=reason)) == ([message] if message else [])


@pytest.mark.parametrize("change, message", [
    ({"actual": ""}, "请填写实际完成值"),
    ({"actual": "已完成"}, "实际完成值“已完成”没有数字，无法与年度指标值“≥100人次”比较"),
    ({"actual": "3次"}, "实际完成值的单位“次”与年度指标值“≥100人次”的不同，无法比较"),
    ({"actual": "100"}, None),  # no unit: read in the target's
    ({"actual": "", "applicable": False}, None),
])
def test_every_row_that_applies_can_be_scored(change, message):
    draft = typed(*FULL)
    assert blocking(replace(draft, rows=(replace(draft.rows[0], **change), *draft.rows[1:]))) == ([message] if message else [])


@pytest.mark.parametrize("change, message", [
    ({"band": ""}, "请选择评价等级"),
    ({"band": PARTLY, "chosen": D(12)}, None),
    ({"band": PARTLY, "chosen": D(13)}, "“部分达成年度指标并具有一定效果”的得分应在9至12分之间"),  # its weight changed under it
])
def test_a_qualitative_row_is_scored_by_its_band(change, message):
    draft = typed(*FULL)
    rows = (draft.rows[0], replace(draft.rows[1], **change), *draft.rows[2:])
    assert blocking(replace(draft, rows=rows)) == ([message] if message else [])


def test_money_must_be_given():
    assert blocking(typed(*FULL, budget=None, spent=None)) == ["请填写全年预算数（A）", "请填写全年执行数（B）"]


def test_scores_a_file_wrote_are_checked_against_the_rules():
    draft = typed(*FULL)
    rows = (replace(draft.rows[0], actual="90人次", written_score="20"), *draft.rows[1:])
    draft = replace(draft, rows=rows, fields={"total": "100", "grade": "优"})
    warnings = [finding.message for finding in evaluation.review(draft).findings if finding.level == Level.WARNING]
    assert warnings == ["文件写的得分是“20”，按评分规则应为18", "文件写的总分是“100”，按评分规则应为98"]


def test_a_change_forgets_the_scores_a_file_wrote():
    stored = replace(typed(*FULL), fields={"total": "100", "grade": "优"})
    stored = replace(stored, rows=(replace(stored.rows[0], written_score="20"), *stored.rows[1:]))
    assert evaluation.forget_written(stored, stored) == stored
    changed = evaluation.forget_written(stored, replace(stored, rows=(replace(stored.rows[0], actual="99人次"), *stored.rows[1:])))
    assert (changed.rows[0].written_score, changed.fields) == ("", {})


# --- started from the approved sheet ---------------------------------------------------------


@pytest.fixture
def approved(seeded):
    """The seed's 基层商会专项经费 (8 rows, 14 万元), approved by the bureau."""
    with seeded.app_context():
        db.session.get(GoalSheet, 1).status = Status.APPROVED
        db.session.commit()
    return 1


def stored(app, evaluation_id=1) -> Evaluation:
    with app.app_context():
        found = db.session.get(Evaluation, evaluation_id)
        if found is not None:
            found.rows  # noqa: B018 - loaded before the session closes
            db.session.expunge_all()
        return found


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.RETURNED])
def test_only_an_approved_sheet_is_evaluated(seeded, filler, status):
    with seeded.app_context():
        db.session.get(GoalSheet, 1).status = status
        db.session.commit()
    assert "年度自评" not in filler.get("/sheets/1").get_data(as_text=True)
    response = filler.post("/sheets/1/evaluation")
    assert response.location == "/sheets/1"
    assert "目标表审核通过后才能开始年度自评" in filler.get("/sheets/1").get_data(as_text=True)
    assert stored(seeded) is None


def test_starting_takes_the_approved_rows_budget_and_default_weights(app, approved, filler):
    assert "年度自评" in filler.get("/sheets/1").get_data(as_text=True)
    response = filler.post("/sheets/1/evaluation")
    assert response.location == "/evaluations/1"
    item = stored(app)
    with app.app_context():
        sheet = db.session.get(GoalSheet, 1)
        assert [row.indicator_id for row in item.rows] == [row.id for row in sheet.indicators]
    assert (item.status, item.opening_budget, item.budget, item.spent) == (Status.DRAFT, D(14), D(14), None)
    assert [row.weight for row in item.rows] == [D("12.5")] * 4 + [D(10)] * 4  # 产出 50 over 4, 效益 30 over 3, 满意度 10
    page = filler.get("/evaluations/1").get_data(as_text=True)
    assert page.startswith("<!doctype html>") and "年度自评" in page and "分值合计 <strong>100</strong>" in page
    # 年度自评 again opens the same one
    assert filler.post("/sheets/1/evaluation").location == "/evaluations/1"
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Evaluation.id))) == 1


def test_rows_follow_the_forms_categories_and_a_row_that_does_not_apply_starts_so(app, seeded):
    with app.app_context():
        sheet = db.session.get(GoalSheet, 1)
        sheet.indicators.append(Indicator(level1="产出指标", level2="数量指标", name="后加的数量指标", value="无", position=99))
        sheet.status = Status.APPROVED
        db.session.commit()
        item = evaluation.start(sheet, None)
        db.session.commit()
        assert [row.indicator.name for row in item.rows][:2] == [sheet.indicators[0].name, "后加的数量指标"]
        assert [row.applicable for row in item.rows][:2] == [True, False]
        assert sum(row.weight for row in item.rows) == 90


def test_higher_funds_and_a_forms_other_amounts_are_the_budget(app):
    with app.app_context():
        sheet = sheet_of(TRAINING, local_budget=D(10), higher_funds=D("2.5"), fields={"fiscal_funds": "8", "carried_over": "2"})
        assert evaluation.total_budget(sheet) == D("12.5")
        assert evaluation.opening_parts(sheet) == {"fiscal:opening": "8", "carried:opening": "2"}


# --- the editor ------------------------------------------------------------------------------


@pytest.fixture
def started(app, approved, filler):
    filler.post("/sheets/1/evaluation")
    return stored(app)


def posted(item: Evaluation, **changes) -> dict:
    """The editor's whole form as the page would post it, with changes by field name."""
    budget = evaluation.format_amount(item.budget)
    data = {"opening_budget": budget, "budget": budget, "spent": budget, "achieved": "7个商会运转", "conclusion": "良好"}
    for row in item.rows:
        data[f"row-{row.id}-weight"] = evaluation.format_number(row.weight)
        data[f"row-{row.id}-actual"] = row.indicator.value.strip()
    return {**data, **changes}


def test_typing_is_scored_at_once_and_nothing_is_stored(app, started, filler):
    response = filler.post("/evaluations/1/preview", data=posted(started, **{"row-1-actual": "6个", "spent": "13.3"}))
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and fragment.lstrip().startswith("<output")
    assert '<output id="score-1" class="score" hx-swap-oob="true">10.71</output>' in fragment
    assert '<output id="execution-rate" hx-swap-oob="true">95%</output>' in fragment
    assert '<strong id="total" hx-swap-oob="true">97.71</strong>' in fragment
    assert '<strong id="grade" hx-swap-oob="true">优</strong>' in fragment
    assert "未得满分，请填写偏差原因分析及改进措施" in fragment
    assert stored(app).rows[0].actual == "" and stored(app).spent is None


def test_a_row_left_is_stored_and_recorded_in_the_evaluations_history(app, started, filler):
    response = filler.post("/evaluations/1/rows/1", data=posted(started, **{"row-1-actual": "6个", "row-1-reason": "一个商会合并。"}))
    fragment = response.get_data(as_text=True)
    assert "第1行已保存。" in fragment and 'id="history"' in fragment
    assert response.headers["HX-Trigger"] == '{"evaluation-saved": {"scope": "row-1"}}'
    row = stored(app).rows[0]
    assert (row.actual, row.reason) == ("6个", "一个商会合并。")
    assert stored(app).rows[1].actual == ""  # only the row left is stored
    with app.app_context():
        item = db.session.get(Evaluation, 1)
        actions = [(event.action, event.document) for event in history.events_of(item)]
        assert actions == [("update_evaluation_row", "evaluation"), ("start_evaluation", "evaluation")]
        changes = history.events_of(item)[0].changes
        assert ["第1行“促进7个基层商会正常运转，下拨每…”实际完成值", "", "6个"] in changes
        # the target table's history is its own
        assert [event.action for event in db.session.get(GoalSheet, 1).events] == ["import"]
    target_history = re.search(r'<section id="history".*?</section>', filler.get("/sheets/1").get_data(as_text=True), re.S).group(0)
    assert "导入" in target_history and "开始年度自评" not in target_history and "修改自评指标" not in target_history


@pytest.mark.parametrize("field, typed_value, message", [
    ("row-1-weight", "十二", "分值应为数字，例如 7.5"),
    ("row-1-weight", "12.555", "分值最多保留两位小数"),
    ("row-1-weight", "", "请填写分值"),
    ("row-1-actual", "6" * 101, "实际完成值不能超过100个字"),
])
def test_a_row_typed_wrong_is_not_stored_and_says_why(app, started, filler, field, typed_value, message):
    response = filler.post("/evaluations/1/rows/1", data=posted(started, **{field: typed_value, "row-1-reason": "改了"}))
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and message in fragment and "第1行没有保存" in fragment
    assert stored(app).rows[0].reason == "" and stored(app).rows[0].weight == D("12.5")


def test_saving_the_whole_table_keeps_the_typing_when_something_is_wrong(app, started, filler):
    response = filler.post("/evaluations/1", data=posted(started, spent="十三", conclusion="很好"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "有 1 处需要修改" in page and "未保存任何内容" in page
    assert 'value="十三"' in page and "很好</textarea>" in page
    assert stored(app).conclusion == "" and stored(app).spent is None


def test_the_money_block_and_texts_are_stored_when_left(app, started, filler):
    response = filler.post("/evaluations/1/header", data=posted(started, spent="13.3", fiscal_budget="10", conclusion="总体良好"))
    assert "已保存。" in response.get_data(as_text=True)
    item = stored(app)
    assert (item.spent, item.written("fiscal:budget"), item.conclusion) == (D("13.3"), "10", "总体良好")
    assert item.rows[0].actual == ""  # the rows are theirs to store


def test_a_qualitative_row_picks_a_band_and_a_score_inside_it(app, seeded, filler):
    with seeded.app_context():
        sheet = db.session.get(GoalSheet, 1)
        sheet.indicators[0].value = "按时完成"
        sheet.status = Status.APPROVED
        db.session.commit()
    filler.post("/sheets/1/evaluation")
    item = stored(app)
    assert "评价等级" in filler.get("/evaluations/1").get_data(as_text=True)
    refused = filler.post("/evaluations/1/rows/1", data=posted(item, **{"row-1-band": PARTLY, "row-1-chosen": "11"}))
    assert "“部分达成年度指标并具有一定效果”的得分应在7.5至10分之间" in refused.get_data(as_text=True)
    assert stored(app).rows[0].band == ""
    saved = filler.post("/evaluations/1/rows/1", data=posted(item, **{"row-1-band": PARTLY, "row-1-chosen": "9", "row-1-reason": "部分完成"}))
    assert '<output id="score-1" class="score" hx-swap-oob="true">9</output>' in saved.get_data(as_text=True)
    assert (stored(app).rows[0].band, stored(app).rows[0].chosen) == (PARTLY, D(9))



def version_of(page: str) -> str:
    """The version of the table a page (or a save's reply) says its typing goes on from."""
    found = re.search(r'id="evaluation-version"[^>]*><input type="hidden" name="version" value="(\d+)"', page)
    return found.group(1) if found else ""


def test_a_window_left_open_does_not_save_over_what_another_stored(app, started, filler):
    """Two windows on one table: what the first stored is not lost to the second's older page;
    the second is shown both, keeps its typing, and saving again overwrites on purpose."""
    opened = version_of(filler.get("/evaluations/1").get_data(as_text=True))
    first = filler.post("/evaluations/1/rows/1", data=posted(started, **{"row-1-actual": "6个", "row-1-reason": "一个商会合并。", "version": opened}))
    goes_on = version_of(first.get_data(as_text=True))  # the first window saves on from here, never a conflict with itself
    assert "第2行已保存。" in filler.post(
        "/evaluations/1/rows/2", data=posted(started, **{"row-1-actual": "6个", "row-1-reason": "一个商会合并。", "version": goes_on})).get_data(as_text=True)

    # the second window, opened before, leaves row 1 with only its reason typed
    older = posted(started, **{"row-1-actual": "", "row-1-reason": "另一个窗口的说明", "version": opened})
    refused = filler.post("/evaluations/1/rows/1", data=older).get_data(as_text=True)
    assert "第1行没有保存：别人（或另一个窗口）刚保存过这张自评表" in refused
    assert "实际完成值：现在保存的是“6个”，你输入的是“”" in refused
    assert (stored(app).rows[0].actual, stored(app).rows[0].reason) == ("6个", "一个商会合并。")
    for whole in ("/evaluations/1", "/evaluations/1/submit"):  # 保存 and 提交审核 from that window alike
        page = filler.post(whole, data=older)
        assert page.status_code == 409 and "另一个窗口的说明</textarea>" in page.get_data(as_text=True)
        assert (stored(app).rows[0].actual, stored(app).status) == ("6个", Status.DRAFT)

    # seen: saving again stores what that window holds
    again = filler.post("/evaluations/1/rows/1", data={**older, "version": version_of(refused)}).get_data(as_text=True)
    assert "第1行已保存。" in again and (stored(app).rows[0].actual, stored(app).rows[0].reason) == ("", "另一个窗口的说明")


# --- access ----------------------------------------------------------------------------------

ENDPOINTS = [
    ("get", "/evaluations/1"), ("get", "/evaluations/1/print"), ("get", "/evaluations/1/export.xlsx"),
    ("post", "/evaluations/1"), ("post", "/evaluations/1/preview"), ("post", "/evaluations/1/rows/1"),
    ("post", "/evaluations/1/header"), ("post", "/evaluations/1/submit"), ("post", "/evaluations/1/withdraw"),
    ("post", "/evaluations/1/approve"), ("post", "/evaluations/1/return"), ("post", "/evaluations/1/import"),
    ("post", "/sheets/1/evaluation"),
]


@pytest.mark.parametrize("method, url", ENDPOINTS)
def test_another_units_filler_finds_nothing(app, started, other_filler, method, url):
    assert getattr(other_filler, method)(url).status_code == 404


def test_the_bureau_reads_but_does_not_fill_in(app, started, reviewer):
    for url in ("/evaluations/1", "/evaluations/1/print", "/evaluations/1/export.xlsx"):
        assert reviewer.get(url).status_code == 200
    assert "年度自评" in reviewer.get("/sheets/1").get_data(as_text=True)
    for url in ("/evaluations/1", "/evaluations/1/preview", "/evaluations/1/rows/1", "/evaluations/1/header", "/evaluations/1/import"):
        assert reviewer.post(url, data=posted(started)).status_code == 403
    assert stored(app).spent is None


def test_the_bureau_does_not_start_one(app, approved, reviewer):
    assert "年度自评" not in reviewer.get("/sheets/1").get_data(as_text=True)
    assert reviewer.post("/sheets/1/evaluation").status_code == 403


def test_a_row_of_another_evaluation_is_not_found_here(app, started, filler):
    assert filler.post("/evaluations/1/rows/999", data=posted(started)).status_code == 404


def test_a_change_without_the_csrf_token_is_refused(csrf_app):
    with csrf_app.app_context():
        import_files([DEMO_FILE])
        db.session.get(GoalSheet, 1).status = Status.APPROVED
        db.session.commit()
    password = add_user(csrf_app, "clerk", Role.FILLER, SEED_UNIT)
    client = csrf_app.test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    client.post("/login", data={"username": "clerk", "password": password, "csrf_token": token})
    assert client.post("/sheets/1/evaluation").status_code == 400
    assert stored(csrf_app) is None
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sheets/1").get_data(as_text=True)).group(1)
    assert client.post("/sheets/1/evaluation", data={"csrf_token": token}).status_code == 303
    item = stored(csrf_app)
    assert client.post("/evaluations/1/rows/1", data=posted(item, **{"row-1-actual": "7个"})).status_code == 400
    # htmx sends the token in its header, as the page's <body hx-headers> says
    assert client.post("/evaluations/1/rows/1", data=posted(item, **{"row-1-actual": "7个"}), headers={"X-CSRFToken": token}).status_code == 200
    assert stored(csrf_app).rows[0].actual == "7个"


# --- the workflow ----------------------------------------------------------------------------


def complete(item: Evaluation, **changes) -> dict:
    """The whole form filled in with nothing blocking: every target met exactly."""
    return posted(item, **changes)


def test_submit_is_refused_while_something_blocks_and_saves_the_typing_all_the_same(app, started, filler):
    response = filler.post("/evaluations/1/submit", data=posted(started, **{"row-1-weight": "20", "conclusion": "写好了"}))
    assert response.status_code == 303
    page = filler.get("/evaluations/1").get_data(as_text=True)
    assert "已保存，但没有提交：还有 1 个“强制”问题" in page
    assert (stored(app).status, stored(app).conclusion) == (Status.DRAFT, "写好了")


def test_submit_withdraw_return_and_approve(app, started, filler, reviewer):
    assert filler.post("/evaluations/1/submit", data=complete(started)).status_code == 303
    item = stored(app)
    assert item.status == Status.SUBMITTED and item.spent == D(14) and item.rows[0].actual == "7个"
    assert filler.post("/evaluations/1/rows/1", data=complete(started)).status_code == 403  # locked
    assert "这张自评表已提交，只能查看" in filler.get("/evaluations/1").get_data(as_text=True)
    filler.post("/evaluations/1/withdraw")
    assert stored(app).status == Status.DRAFT
    filler.post("/evaluations/1/submit", data=complete(started))
    reviewer.post("/evaluations/1/return", data={"comment": " "})
    assert stored(app).status == Status.SUBMITTED  # returning needs a comment
    reviewer.post("/evaluations/1/return", data={"comment": "满意度请附调查表。"})
    assert (stored(app).status, stored(app).review_comment) == (Status.RETURNED, "满意度请附调查表。")
    assert "满意度请附调查表。" in filler.get("/evaluations/1").get_data(as_text=True)
    filler.post("/evaluations/1/submit", data=complete(started))
    reviewer.post("/evaluations/1/approve", data={"comment": "同意。"})
    assert (stored(app).status, stored(app).review_comment) == (Status.APPROVED, "同意。")
    with app.app_context():
        actions = [event.action for event in history.events_of(db.session.get(Evaluation, 1))]
        assert actions[:6] == ["approve", "submit", "return", "submit", "withdraw", "submit"]
        # the target table stays approved, its history untouched
        target = db.session.get(GoalSheet, 1)
        assert target.status == Status.APPROVED and [event.action for event in target.events] == ["import"]
        assert db.session.scalar(select(db.func.count(SheetEvent.id)).where(SheetEvent.document == "evaluation")) == len(actions)


def test_nobody_approves_their_own_submission(app, started, client):
    client.post("/evaluations/1/submit", data=complete(started))  # an administrator may fill in and review
    client.post("/evaluations/1/approve")
    assert stored(app).status == Status.SUBMITTED
    assert "这张表是你自己提交的" in client.get("/evaluations/1").get_data(as_text=True)


# --- print and Excel -------------------------------------------------------------------------


def test_the_print_view_holds_every_cell_of_the_published_layout(app, started, filler):
    filler.post("/evaluations/1", data=complete(started, **{"row-1-actual": "6个", "row-1-reason": "一个商会合并。",
                                                           "fiscal_opening": "14", "problems": "宣传不足", "improvements": "加强宣传"}))
    page = filler.get("/evaluations/1/print").get_data(as_text=True)
    assert page.startswith("<!doctype html>")
    for text in ("项目支出绩效自评表<br>（2021年度）", "填报单位：会同县工商联（盖章）", "项目名称", "基层商会专项经费", "主管部门", "行政政法",
                 "项目资金<br>（万元）", "年初预算数", "全年预算数<br>（A）", "全年执行数<br>（B）", "执行率<br>（B/A）", "年度资金总额",
                 "其中：本年<br>财政拨款", "上年结转资金", "其他资金", "年度总体<br>目标", "预期目标", "实际完成情况", "7个商会运转",
                 "2021年7个基层商会正常运转，自身建设得到加强", "产出指标<br>（50分）", "效益指标<br>（40分）", "数量指标",
                 "偏差原因分析<br>及改进措施", "一个商会合并。", "总分", "等级：优", "评价结论", "良好", "存在问题", "宣传不足",
                 "改进措施", "加强宣传", "财政部门<br>审核意见", "草稿"):
        assert text in page, text
    assert '<td class="number">10.71</td>' in page and '<td class="number">98.21</td>' in page


def test_a_printed_total_rescaled_past_a_row_that_does_not_apply_says_so(app, started, filler):
    """With a row left out the 得分 column no longer adds up to 总分: the paper says why."""
    filler.post("/evaluations/1", data=complete(started))
    page = filler.get("/evaluations/1/print").get_data(as_text=True)
    assert ">总分<" in page and evaluation_layout.RESCALED not in page
    filler.post("/evaluations/1", data=complete(started, **{"row-2-not_applicable": "y"}))
    page = filler.get("/evaluations/1/print").get_data(as_text=True)
    assert evaluation_layout.RESCALED in page and ">总分<" not in page


def test_a_units_year_prints_its_self_evaluations_together(app, seeded, filler, other_filler):
    with app.app_context():
        for sheet_id in (1, 3):
            db.session.get(GoalSheet, sheet_id).status = Status.APPROVED
        db.session.commit()
    filler.post("/sheets/1/evaluation")
    filler.post("/sheets/3/evaluation")
    page = filler.get(f"/evaluations/print?unit={SEED_UNIT}&year=2021").get_data(as_text=True)
    assert page.count('<article class="sheet evaluation">') == 2 and "2 张自评表" in page
    assert "基层商会专项经费" in page and "光彩事业项目" in page
    assert other_filler.get(f"/evaluations/print?unit={SEED_UNIT}&year=2021").status_code == 404
    assert filler.get(f"/evaluations/print?unit={SEED_UNIT}&year=2020").status_code == 404


def test_excel_export_is_the_paper_layout_with_numbers_as_numbers_and_comes_back_whole(app, started, filler):
    filler.post("/evaluations/1", data=complete(started, **{"row-1-actual": "6个", "row-1-reason": "一个商会合并。", "spent": "13.3"}))
    before = stored(app)
    exported = filler.get("/evaluations/1/export.xlsx")
    assert exported.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(exported.data))
    ws = book.active
    values = [cell.value for row in ws.iter_rows() for cell in row if cell.value is not None]
    assert "项目支出绩效自评表\n（2021年度）" in values and "偏差原因分析\n及改进措施" in values
    assert D("13.3") in [D(str(value)) for value in values if isinstance(value, float | int)]
    rate = next(cell for row in ws.iter_rows() for cell in row if cell.number_format == "0.00%")
    assert rate.value == pytest.approx(0.95)
    # filled in Excel: the second row's actual, and a score written by hand
    actual_column = next(cell.column for row in ws.iter_rows() for cell in row if cell.value == "实际\n完成值")
    name_row = next(cell.row for row in ws.iter_rows() for cell in row if cell.value == before.rows[1].indicator.name)
    ws.cell(name_row, actual_column).value = "90%"
    ws.cell(name_row, actual_column + 2).value = 12.5
    ws.cell(name_row, actual_column + 3).value = "考核未全部完成"
    buffer = io.BytesIO()
    book.save(buffer)
    filler.post("/evaluations/1", data=complete(started, conclusion="改掉"))  # changed after the export
    response = filler.post("/evaluations/1/import", data={"file": (io.BytesIO(buffer.getvalue()), "自评.xlsx")})
    assert response.status_code == 303
    after = stored(app)
    assert (after.spent, after.conclusion, after.rows[0].actual, after.rows[0].reason) == (D("13.3"), "良好", "6个", "一个商会合并。")
    assert (after.rows[1].actual, after.rows[1].reason, after.rows[1].written_score) == ("90%", "考核未全部完成", "12.5")
    page = filler.get("/evaluations/1").get_data(as_text=True)
    assert "文件写的得分是“12.5”，按评分规则应为11.84" in page
    with app.app_context():
        assert history.events_of(db.session.get(Evaluation, 1))[0].action == "import_evaluation"


def test_a_file_with_a_bad_cell_imports_nothing_and_names_it(app, started, filler):
    book = load_workbook(io.BytesIO(filler.get("/evaluations/1/export.xlsx").data))
    ws = book.active
    weight_column = next(cell.column for row in ws.iter_rows() for cell in row if cell.value == "分值" and cell.column > 5)
    first_row = next(cell.row for row in ws.iter_rows() for cell in row if cell.value == started.rows[0].indicator.name)
    ws.cell(first_row, weight_column).value = "十二"
    ws.cell(first_row, weight_column - 1).value = "6个"
    buffer = io.BytesIO()
    book.save(buffer)
    filler.post("/evaluations/1/import", data={"file": (io.BytesIO(buffer.getvalue()), "自评.xlsx")})
    page = filler.get("/evaluations/1").get_data(as_text=True)
    assert "没有导入：自评.xlsx 工作表“基层商会专项经费”：工作表“基层商会专项经费”G" in page and "的分值“十二”应为0至100之间" in page
    assert stored(app).rows[0].actual == ""


def test_a_file_of_another_project_is_refused(app, started, filler):
    book = load_workbook(io.BytesIO(filler.get("/evaluations/1/export.xlsx").data))
    cell = next(cell for row in book.active.iter_rows() for cell in row if cell.value == "基层商会专项经费")
    cell.value = "非公党建项目"
    buffer = io.BytesIO()
    book.save(buffer)
    filler.post("/evaluations/1/import", data={"file": (io.BytesIO(buffer.getvalue()), "自评.xlsx")})
    assert "文件里的自评表是“非公党建项目”的，不是“基层商会专项经费”的" in filler.get("/evaluations/1").get_data(as_text=True)


def test_a_file_that_is_no_workbook_is_refused(app, started, filler):
    filler.post("/evaluations/1/import", data={"file": (io.BytesIO(b"not a workbook"), "自评.xlsx")})
    assert "没有导入：自评.xlsx：不是Excel（.xlsx）文件" in filler.get("/evaluations/1").get_data(as_text=True)


# --- a sheet filed in a 101-style form -------------------------------------------------------


@pytest.fixture
def road(app):
    """An approved 101-style sheet (Sichuan 2023): each target as 指标性质, 指标值 and 度量单位."""
    def row(level1, level2, name, nature, value, measure, position):
        return Indicator(level1=level1, level2=level2, name=name, value=value, position=position,
                         extra={"nature": nature, "measure": measure})

    with app.app_context():
        sheet = GoalSheet(
            unit=SEED_UNIT, year=2023, template="sichuan-2023", project_name="农村道路养护", budget_dept="县交通运输局",
            local_budget=D(100), annual_goal="养护农村道路50公里", status=Status.APPROVED,
            fields={"fiscal_funds": "80", "other_funds": "20", "leader": "李四", "implementer": "县公路养护中心"},
            indicators=[row("产出指标", "数量指标", "养护里程", "≥", "50", "公里", 1),
                        row("成本指标", "经济成本指标", "每公里养护成本", "≤", "2", "万元", 2),
                        row("产出指标", "时效指标", "完成时间", "定性", "年底前完成", "", 3),
                        row("效益指标", "社会效益指标", "通行条件", "定性", "明显改善", "", 4),
                        row("满意度指标", "服务对象满意度指标", "群众满意度", "≥", "90", "%", 5)])
        db.session.add(sheet)
        db.session.commit()
        return sheet.id


def test_a_101_style_sheet_is_evaluated_and_printed_in_the_101_style_form(app, road, filler):
    filler.post(f"/sheets/{road}/evaluation")
    item = stored(app)
    # cost shares 产出's 50 (scoring.py); the form's order: 成本 first
    assert [(row.indicator.name, row.weight) for row in item.rows] == [
        ("每公里养护成本", D("16.7")), ("养护里程", D("16.7")), ("完成时间", D("16.6")), ("通行条件", D(30)), ("群众满意度", D(10))]
    assert item.fields == {"fiscal:opening": "80", "other:opening": "20"}
    editor = filler.get("/evaluations/1").get_data(as_text=True)
    assert "财政专户管理资金" in editor and "单位资金" in editor and "上年结转资金" not in editor
    ids = [row.id for row in item.rows]
    filler.post("/evaluations/1", data=posted(item, spent="85", fiscal_budget="80", fiscal_spent="70", execution_reason="年底一笔支付跨年。",
                                              **{f"row-{ids[0]}-actual": "2.2万元", f"row-{ids[0]}-reason": "材料涨价。",
                                                 f"row-{ids[1]}-actual": "52公里", f"row-{ids[2]}-band": ACHIEVED,
                                                 f"row-{ids[2]}-actual": "11月完成", f"row-{ids[3]}-band": ACHIEVED,
                                                 f"row-{ids[3]}-actual": "明显改善", f"row-{ids[4]}-actual": "93%"}))
    page = filler.get("/evaluations/1/print").get_data(as_text=True)
    for text in ("预算执行<br>情况<br>（10分）", "年初预算", "调整后<br>预算数", "预算<br>执行数", "预算<br>执行率", "权重", "原因", "总额",
                 "财政资金", "财政专户<br>管理资金", "单位资金", "其他资金", "年底一笔支付跨年。", "85%", "8.5", "绩效<br>指标<br>（90分）",
                 "指标<br>性质", "度量<br>单位", "完成值", "未完成<br>原因分析", "≤", "万元", "2.2万元", "材料涨价。", "定性", "年底前完成",
                 "合计", "总分", "项目负责人：李四", "财务负责人：", "实施<br>单位", "县公路养护中心", "一级<br>指标",
                 "成本<br>指标", "经济成本<br>指标", "满意度<br>指标", "服务对象<br>满意度<br>指标"):
        assert text in page, text
    # 养护成本 2.2 against ≤2: 2/2.2 of 16.7 is 15.18; the rest full; 90 - 1.52 of the indicators
    assert '<td class="number">15.18</td>' in page and '<td class="number">88.48</td>' in page
    assert '<td class="number">96.98</td>' in page  # 总分: 8.5 + 88.48


@pytest.mark.parametrize("label, characters, printed", [
    ("产出指标", 4, "产出指标"),
    ("经济效益指标", 5, "经济效益\n指标"),  # before its 指标, not "经济效益指\n标"
    ("满意度指标", 3, "满意度\n指标"),
    ("服务对象\n满意度指标", 4, "服务对象\n满意度\n指标"),  # the form's own break kept
    ("可持续影响指标", 4, "可持续影\n响\n指标"),  # no break between words fits: the column's end
])
def test_a_category_breaks_to_fit_its_column(label, characters, printed):
    from goalsapp.domain.evaluation_layout import broken
    assert broken(label, characters) == printed


def test_a_101_style_self_evaluation_comes_back_from_its_excel_file(app, road, filler):
    filler.post(f"/sheets/{road}/evaluation")
    item = stored(app)
    filler.post("/evaluations/1", data=posted(item, spent="85", execution_reason="年底一笔支付跨年。", special_opening="5"))
    book = load_workbook(io.BytesIO(filler.get("/evaluations/1/export.xlsx").data))
    ws = book.active
    actual_column = next(cell.column for row in ws.iter_rows() for cell in row if cell.value == "完成值")
    first_row = next(cell.row for row in ws.iter_rows() for cell in row if cell.value == "养护里程")
    ws.cell(first_row, actual_column).value = "48公里"
    ws.cell(first_row, actual_column + 3).value = "两段路段延至次年。"
    buffer = io.BytesIO()
    book.save(buffer)
    filler.post("/evaluations/1", data=posted(item, spent="1"))  # changed after the export
    assert filler.post("/evaluations/1/import", data={"file": (io.BytesIO(buffer.getvalue()), "道路.xlsx")}).status_code == 303
    after = stored(app)
    assert (after.spent, after.execution_reason, after.written("special:opening")) == (D(85), "年底一笔支付跨年。", "5")
    row = next(row for row in after.rows if row.indicator.name == "养护里程")
    assert (row.actual, row.reason) == ("48公里", "两段路段延至次年。")
