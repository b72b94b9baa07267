"""草稿 → 已提交 → 已通过 / 已退回 → 已提交: the transitions, the refusals, and the history."""
import pytest
from sqlalchemy import select

from goalsapp.domain.models import GoalSheet, SheetEvent, Status
from goalsapp.extensions import db

from .test_sheets import VALID

ROWS = [
    {"level1": "产出指标", "level2": "数量指标", "name": "培训人次", "value": "100人次", "standard": "计划标准"},
    {"level1": "效益指标", "level2": "社会效益指标", "name": "能力提升", "value": "≥90%", "standard": "行业标准"},
]


def sheet(app, sheet_id=1) -> GoalSheet:
    with app.app_context():
        found = db.session.get(GoalSheet, sheet_id)
        db.session.expunge(found)
        return found


def events(app, sheet_id=1) -> list[tuple]:
    with app.app_context():
        rows = db.session.scalars(select(SheetEvent).where(SheetEvent.sheet_id == sheet_id).order_by(SheetEvent.id))
        return [(e.action, e.user.username if e.user else None, e.changes) for e in rows]


@pytest.fixture
def clean_sheet(app, filler):
    """A sheet of the seed's unit with nothing blocking, made by its filler."""
    filler.post("/sheets/new", data={**VALID, "unit": "会同县工商联"})
    for row in ROWS:
        filler.post("/sheets/1/indicators", data=row)
    return 1


def test_submit_approve(app, filler, reviewer, clean_sheet):
    response = filler.post("/sheets/1/submit")
    assert response.status_code == 303 and sheet(app).status == Status.SUBMITTED
    assert "已提交，等待财政部门审核" in filler.get("/sheets/1").get_data(as_text=True)
    reviewer.post("/sheets/1/approve", data={"comment": "同意。"})
    assert (sheet(app).status, sheet(app).review_comment) == (Status.APPROVED, "同意。")


def test_submitted_and_approved_sheets_are_locked(app, filler, reviewer, clean_sheet):
    filler.post("/sheets/1/submit")
    assert filler.put("/indicators/1", data={**ROWS[0], "value": "1人次"}).status_code == 403
    assert filler.post("/sheets/1", data={**VALID, "project_name": "改名"}).status_code == 403
    assert filler.post("/sheets/1/delete").status_code == 403
    page = filler.get("/sheets/1").get_data(as_text=True)
    assert "这张表已提交，只能查看" in page and "＋ 添加指标" not in page and "<fieldset class=\"grid\" disabled>" in page
    reviewer.post("/sheets/1/approve")
    assert filler.post("/sheets/1/indicators", data=ROWS[0]).status_code == 403
    assert sheet(app).project_name == VALID["project_name"]


def test_return_with_comment_then_edit_and_resubmit(app, filler, reviewer, clean_sheet):
    filler.post("/sheets/1/submit")
    reviewer.post("/sheets/1/return", data={"comment": "满意度目标请写到90%以上。"})
    assert (sheet(app).status, sheet(app).review_comment) == (Status.RETURNED, "满意度目标请写到90%以上。")
    page = filler.get("/sheets/1").get_data(as_text=True)
    assert "满意度目标请写到90%以上。" in page and "提交审核" in page
    assert filler.put("/indicators/2", data={**ROWS[1], "value": "≥95%"}).status_code == 200
    filler.post("/sheets/1/submit")
    assert sheet(app).status == Status.SUBMITTED


def test_a_sheet_with_blocking_findings_cannot_be_submitted(app, filler):
    filler.post("/sheets/new", data={**VALID, "unit": "会同县工商联"})  # no indicators: blocking
    response = filler.post("/sheets/1/submit")
    assert response.status_code == 303 and sheet(app).status == Status.DRAFT
    assert "还有 2 个“强制”问题，改正后才能提交" in filler.get("/sheets/1").get_data(as_text=True)


def test_returning_needs_a_comment(app, filler, reviewer, clean_sheet):
    filler.post("/sheets/1/submit")
    reviewer.post("/sheets/1/return", data={"comment": "  "})
    assert sheet(app).status == Status.SUBMITTED
    assert "退回时请写明审核意见" in reviewer.get("/sheets/1").get_data(as_text=True)


@pytest.mark.parametrize("action", ["approve", "return"])
def test_only_submitted_sheets_are_reviewed(app, filler, reviewer, clean_sheet, action):
    reviewer.post(f"/sheets/1/{action}", data={"comment": "意见"})
    assert sheet(app).status == Status.DRAFT
    assert "不在待审核状态" in reviewer.get("/sheets/1").get_data(as_text=True)


def test_an_approved_sheet_cannot_be_submitted_again(app, filler, reviewer, clean_sheet):
    filler.post("/sheets/1/submit")
    reviewer.post("/sheets/1/approve")
    filler.post("/sheets/1/submit")
    assert sheet(app).status == Status.APPROVED


def test_the_list_filters_by_status(app, filler, clean_sheet):
    filler.post("/sheets/new", data={**VALID, "unit": "会同县工商联", "project_name": "另一个项目"})
    filler.post("/sheets/1/submit")
    submitted = filler.get("/?status=已提交").get_data(as_text=True)
    assert f'>{VALID["project_name"]}</a>' in submitted and ">另一个项目</a>" not in submitted
    assert "没有“已通过”的表" in filler.get("/?status=已通过").get_data(as_text=True)


def test_the_comment_prints_in_the_bureaus_row(app, filler, reviewer, clean_sheet):
    filler.post("/sheets/1/submit")
    reviewer.post("/sheets/1/approve", data={"comment": "同意，按计划执行。"})
    page = filler.get("/sheets/1/print").get_data(as_text=True)
    assert "财政部门<br>审核意见</th><td colspan=\"5\" class=\"text comment\">同意，按计划执行。</td>" in page


def test_every_change_is_in_the_history_with_who_and_old_and_new(app, filler, reviewer, clean_sheet):
    filler.post("/sheets/1", data={**VALID, "unit": "会同县工商联", "budget_dept": "教育局", "local_budget": "15"})
    filler.put("/indicators/1", data={**ROWS[0], "value": "120人次"})
    filler.delete("/indicators/2")
    filler.post("/sheets/1/indicators", data=ROWS[1])
    filler.post("/sheets/1/submit")
    reviewer.post("/sheets/1/return", data={"comment": "请补充"})
    recorded = events(app)
    assert [e[0] for e in recorded] == [
        "create", "add_indicator", "add_indicator", "update_header", "update_indicator",
        "delete_indicator", "add_indicator", "submit", "return",
    ]
    assert recorded[3] == ("update_header", "filler", [["预算部门", "行政政法", "教育局"], ["年度本级预算金额", "14", "15"]])
    assert recorded[4][2] == [["指标值及单位", "100人次", "120人次"]]
    assert ["三级指标", "能力提升", ""] in recorded[5][2]
    assert recorded[-1] == ("return", "reviewer", [["状态", "已提交", "已退回"], ["财政部门审核意见", "", "请补充"]])

    page = filler.get("/sheets/1").get_data(as_text=True)
    timeline = page.split("修改记录")[1]
    assert "<strong>reviewer</strong> 退回" in timeline
    assert "预算部门：<del>行政政法</del> → <ins>教育局</ins>" in timeline
    assert timeline.index("退回") < timeline.index("修改表头")  # newest first


def test_an_unchanged_save_adds_nothing_to_the_history(app, filler, clean_sheet):
    before = events(app)
    filler.post("/sheets/1", data={**VALID, "unit": "会同县工商联"})
    filler.put("/indicators/1", data=ROWS[0])
    assert events(app) == before


# --- Submitting never loses typing -----------------------------------------------------------

def test_submitting_saves_the_header_typed_but_not_yet_saved(app, filler, clean_sheet):
    typed = {**VALID, "unit": "会同县工商联", "local_budget": "16.5", "annual_goal": "改过的年度目标"}
    assert filler.post("/sheets/1/submit", data=typed).status_code == 303
    submitted = sheet(app)
    assert (submitted.status, str(submitted.local_budget.normalize()), submitted.annual_goal) == (
        Status.SUBMITTED, "16.5", "改过的年度目标")
    assert [e[0] for e in events(app)][-2:] == ["update_header", "submit"]


def test_a_bad_header_is_not_submitted_and_the_typing_stays(app, filler, clean_sheet):
    response = filler.post("/sheets/1/submit", data={**VALID, "unit": "会同县工商联", "local_budget": "十四", "annual_goal": "新目标"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "请输入数字（单位：万元）" in page
    assert 'value="十四"' in page and "新目标" in page  # nothing typed is lost
    assert (sheet(app).status, sheet(app).annual_goal) == (Status.DRAFT, VALID["annual_goal"])


def test_a_blocked_submission_still_keeps_the_header_typed(app, filler):
    filler.post("/sheets/new", data={**VALID, "unit": "会同县工商联"})  # no indicators: blocking
    filler.post("/sheets/1/submit", data={**VALID, "unit": "会同县工商联", "budget_dept": "新部门"})
    assert (sheet(app).status, sheet(app).budget_dept) == (Status.DRAFT, "新部门")
    assert "表头已保存，但没有提交：还有 2 个“强制”问题" in filler.get("/sheets/1").get_data(as_text=True)


def test_the_submit_button_posts_the_header_form_and_asks_first(app, filler, clean_sheet):
    page = filler.get("/sheets/1").get_data(as_text=True)
    button = page.split('formaction="/sheets/1/submit"')[0].rsplit("<button", 1)[1]
    assert 'form="sheet-form"' in button
    assert 'data-confirm="提交时先保存表头；提交后表会锁定' in page.split('formaction="/sheets/1/submit"')[1].split(">")[0]
    # Enter in a header field still saves the header: its own button comes first in the page.
    assert page.index(">保存表头</button>") < page.index('formaction="/sheets/1/submit"')


# --- Separation of duties and 撤回 -----------------------------------------------------------

def test_nobody_approves_their_own_submission(app, client, reviewer):
    client.post("/sheets/new", data=VALID)  # the administrator fills in and submits…
    for row in ROWS:
        client.post("/sheets/1/indicators", data=row)
    client.post("/sheets/1/submit")
    client.post("/sheets/1/approve", data={"comment": "自己批"})  # …and may not approve it too
    assert sheet(app).status == Status.SUBMITTED
    page = client.get("/sheets/1").get_data(as_text=True)
    assert "这张表是你自己提交的，须由另一位审核人审核通过" in page and "审核通过</button>" not in page
    reviewer.post("/sheets/1/approve", data={"comment": "同意"})
    assert sheet(app).status == Status.APPROVED


def test_a_submission_can_be_withdrawn_until_it_is_decided(app, filler, reviewer, clean_sheet):
    filler.post("/sheets/1/submit")
    assert "撤回</button>" in filler.get("/sheets/1").get_data(as_text=True)
    assert filler.post("/sheets/1/withdraw").status_code == 303
    assert sheet(app).status == Status.DRAFT and events(app)[-1][:2] == ("withdraw", "filler")
    assert filler.put("/indicators/1", data={**ROWS[0], "value": "110人次"}).status_code == 200  # editable again

    filler.post("/sheets/1/submit")
    reviewer.post("/sheets/1/approve")
    filler.post("/sheets/1/withdraw")
    assert sheet(app).status == Status.APPROVED  # decided: no longer the filler's to take back


def test_another_unit_cannot_withdraw(app, filler, other_filler, clean_sheet):
    filler.post("/sheets/1/submit")
    assert other_filler.post("/sheets/1/withdraw").status_code == 404
    assert sheet(app).status == Status.SUBMITTED


def test_the_review_comment_is_normalised_and_bounded(app, filler, reviewer, clean_sheet):
    filler.post("/sheets/1/submit")
    reviewer.post("/sheets/1/return", data={"comment": "请改\x00正\r\n第二行"})
    assert sheet(app).review_comment == "请改正\n第二行"
    filler.post("/sheets/1/submit")
    refused = reviewer.post("/sheets/1/return", data={"comment": "长" * 2001})
    assert sheet(app).review_comment == "请改正\n第二行"  # refused, not cut
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "审核意见不能超过2000个字" in page
    assert "长" * 2001 in page  # the reviewer's typing is kept to shorten, not thrown away


# --- The page agrees with itself after row changes ---------------------------------------------

def test_after_a_row_change_the_submit_hint_and_history_refresh_with_the_findings(app, filler):
    filler.post("/sheets/new", data={**VALID, "unit": "会同县工商联"})
    assert "还有 2 个“强制”问题" in filler.get("/sheets/1").get_data(as_text=True)
    for row in ROWS:
        filler.post("/sheets/1/indicators", data=row)
    fragment = filler.get("/sheets/1/findings").get_data(as_text=True)
    assert "强制 0" in fragment and "还有" not in fragment
    workflow = fragment.split('<section id="workflow"')[1].split("</section>")[0]
    assert "提交审核</button>" in workflow
    history = fragment.split('<section id="history"')[1].split("</section>")[0]
    assert history.count("添加指标") == 2 and "能力提升" in history


def test_submitting_cannot_move_a_sheet_to_another_unit(app, filler, clean_sheet):
    filler.post("/sheets/1/submit", data={**VALID, "unit": "其他单位"})
    assert sheet(app).unit == "会同县工商联"
    assert filler.get("/sheets/1").status_code == 200  # still the filler's own


def test_a_name_with_invisible_characters_is_no_second_sheet(app, filler, clean_sheet):
    response = filler.post("/sheets/new", data={**VALID, "unit": "会同县工商联", "project_name": VALID["project_name"] + "\u200b\ufeff"})
    assert response.status_code == 422 and "已经有一张表" in response.get_data(as_text=True)


def test_refusals_name_the_status_in_words(app, filler, reviewer, clean_sheet):
    filler.post("/sheets/1/withdraw")
    assert "这张表现在是“草稿”：只有已提交、尚未审核的表可以撤回" in filler.get("/sheets/1").get_data(as_text=True)
    filler.post("/sheets/1/submit")
    reviewer.post("/sheets/1/withdraw")
    assert "只有本单位的填报人可以撤回这张表" in reviewer.get("/sheets/1").get_data(as_text=True)
