"""The import preview: what blocks told from what warns, one choice for every duplicate,
and each sheet's rows readable before anything is written."""
from playwright.sync_api import expect
from sqlalchemy import func, select

from goalsapp.cli.commands import DEMO_FILE
from goalsapp.domain.importing import import_files
from goalsapp.domain.models import GoalSheet, Role
from goalsapp.extensions import db

BLOCKING = "实施期结束（2020.12）早于开始（2021.1）"  # 强制, in every seed sheet
WARNING = "成本指标列出的金额 7+2+3=12 万元，与预算 14 万元不符"  # 提示, in the first


def upload_seed(page, live_server) -> None:
    page.goto(f"{live_server}/import")
    page.get_by_label("选择文件").set_input_files(DEMO_FILE)
    page.get_by_role("button", name="上传并预览").click()
    expect(page.locator("table.preview")).to_be_visible()


def colours(locator) -> tuple[str, str, str]:
    """What sets a finding apart at a glance: its text, background and edge colours."""
    return locator.evaluate(
        "element => { const style = getComputedStyle(element);"
        " return [style.color, style.backgroundColor, style.borderLeftColor]; }"
    )


def test_blocking_findings_look_unlike_warnings(page, browser_login):
    upload_seed(page, browser_login(Role.FILLER, "会同县工商联"))
    first = page.locator("table.preview > tbody > tr").first
    blocking = first.get_by_role("listitem").filter(has_text=BLOCKING)
    warning = first.get_by_role("listitem").filter(has_text=WARNING)
    expect(blocking).to_contain_text("强制")
    expect(warning).to_contain_text("提示")
    blocking_look, warning_look = colours(blocking), colours(warning)
    assert blocking_look[1] != warning_look[1] and blocking_look[2] != warning_look[2]
    # the level word itself is coloured as in the editor's findings: red for 强制
    level = blocking.get_by_text("强制", exact=True)
    assert colours(level)[0] == "rgb(180, 35, 24)" != colours(warning.get_by_text("提示", exact=True))[0]


def test_one_click_gives_every_duplicate_the_same_choice(page, browser_login, csrf_app):
    live_server = browser_login(Role.FILLER, "会同县工商联")
    upload_seed(page, live_server)
    # nothing is stored yet, so there is nothing to choose for all
    expect(page.get_by_role("button", name="全部跳过")).to_have_count(0)
    with csrf_app.app_context():
        import_files([DEMO_FILE])

    upload_seed(page, live_server)
    keep, skip = page.get_by_label("两份都保留"), page.get_by_label("跳过")
    expect(skip).to_have_count(5)
    page.get_by_role("button", name="全部两份都保留").click()
    for radio in keep.all():
        expect(radio).to_be_checked()
    page.get_by_role("button", name="全部跳过").click()
    for radio in skip.all():
        expect(radio).to_be_checked()
    page.get_by_role("button", name="全部两份都保留").click()
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_text("已导入 5 张表")).to_be_visible()
    with csrf_app.app_context():
        assert db.session.scalar(select(func.count(GoalSheet.id))) == 10


def test_each_sheets_rows_can_be_read_before_confirming(page, browser_login, csrf_app):
    upload_seed(page, browser_login(Role.FILLER, "会同县工商联"))
    first = page.locator("table.preview > tbody > tr").first
    row = first.get_by_text("促进7个基层商会正常运转，下拨每个基层商会工作经费2万元")
    expect(row).to_be_hidden()
    first.get_by_text("查看 8 条指标").click()
    expect(row).to_be_visible()
    # by category, in the form's order, each with its value and standard
    expect(first.get_by_text("产出指标 › 数量指标")).to_be_visible()
    expect(first.get_by_text("效益指标 › 社会公众或服务对象满意度指标")).to_be_visible()
    expect(first.locator("dd").filter(has_text="会员满意度达90%以上")).to_contain_text("98%")
    with csrf_app.app_context():
        assert db.session.scalar(select(func.count(GoalSheet.id))) == 0  # looking writes nothing
