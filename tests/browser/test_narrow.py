"""The pages on a narrow screen (800 px, a laptop with the window halved) and a wide one:
nothing clipped, no short label broken a character a line."""
import pytest
from playwright.sync_api import expect

from goalsapp.cli.commands import DEMO_FILE
from goalsapp.domain.importing import import_files
from goalsapp.domain.models import GoalSheet, Role, Status
from goalsapp.extensions import db

from .sheetpage import HEADER_LABELS

WIDTHS = [800, 1280]

# How many lines an element's text runs over: its text boxes grouped by their top edge.
LINE_COUNT = """element => {
  const range = document.createRange();
  range.selectNodeContents(element);
  const half = parseFloat(getComputedStyle(element).fontSize) / 2;
  const tops = [...range.getClientRects()].filter(box => box.width > 0).map(box => box.top).sort((a, b) => a - b);
  return tops.filter((top, i) => i === 0 || top - tops[i - 1] > half).length;
}"""


def lines_of(locator) -> dict[str, int]:
    """Each matching element's text with the number of lines it is drawn on."""
    return {element.inner_text(): element.evaluate(LINE_COUNT) for element in locator.all()}


def assert_one_line_each(locator) -> None:
    lines = lines_of(locator)
    assert lines, "nothing to check"
    assert {text: count for text, count in lines.items() if count != 1} == {}


def assert_no_sideways_scroll(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def seed_with_every_status(csrf_app) -> None:
    with csrf_app.app_context():
        import_files([DEMO_FILE])
        for sheet_id, status in {2: Status.APPROVED, 3: Status.RETURNED, 4: Status.SUBMITTED}.items():
            db.session.get(GoalSheet, sheet_id).status = status
        db.session.commit()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_editor_header_fits_the_window(page, browser_login, csrf_app, width):
    live_server = browser_login()
    seed_with_every_status(csrf_app)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server}/sheets/1")

    for label in ["填报单位", *HEADER_LABELS.values()]:
        field = page.get_by_label(label, exact=True)
        box = field.bounding_box()
        form = field.evaluate("element => { const box = element.form.getBoundingClientRect(); return [box.left, box.right]; }")
        assert form[0] <= box["x"] and box["x"] + box["width"] <= form[1] <= width, f"{label} is clipped: {box}, form {form}"
        expect(page.get_by_text(label, exact=True).first).to_be_visible()
    assert_one_line_each(page.locator("form label"))
    assert_one_line_each(page.locator(".page-actions .button, .page-actions button"))
    assert_one_line_each(page.locator(".status"))
    assert_no_sideways_scroll(page, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_list_keeps_badges_links_and_heads_whole(page, browser_login, csrf_app, width):
    live_server = browser_login()
    seed_with_every_status(csrf_app)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server}/?status=")  # every sheet, grouped (an administrator opens on the queue)

    assert_one_line_each(page.locator("table.list .status"))  # 草稿, 已通过, 已退回, 已提交
    assert_one_line_each(page.locator("table.list .count"))  # 强制 1, 提示 3
    assert_one_line_each(page.locator("table.list td.actions a, table.list td.actions button"))
    assert_one_line_each(page.locator(".group-actions .button, .group-actions button"))
    assert_one_line_each(page.locator("table.list th", has_text="项目支出名称"))
    assert_one_line_each(page.locator("table.list th", has_text="指标数"))
    # every sheet's actions sit on one line beside it
    for row in page.locator("table.list tbody tr").all():
        assert row.locator("td.actions").evaluate(LINE_COUNT) == 1
    assert_no_sideways_scroll(page, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_review_queue_fits_with_its_unit_year_and_submission_columns(page, browser_login, csrf_app, width):
    live_server = browser_login(Role.REVIEWER)
    seed_with_every_status(csrf_app)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server)

    expect(page.get_by_role("heading", level=1)).to_contain_text("待审核的表")
    assert_one_line_each(page.locator("table.list .status"))
    assert_one_line_each(page.locator("table.list td.actions a, table.list td.actions button"))  # 查看, 审核通过, 打印, Excel
    assert_one_line_each(page.locator("table.list th", has_text="填报单位"))
    assert_one_line_each(page.locator(".finder label, .batch button"))
    for row in page.locator("table.list tbody tr").all():
        assert row.locator("td.actions").evaluate(LINE_COUNT) == 1
    assert_no_sideways_scroll(page, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_import_preview_keeps_names_and_choices_whole(page, browser_login, csrf_app, width):
    live_server = browser_login(Role.FILLER, "会同县工商联")
    with csrf_app.app_context():
        import_files([DEMO_FILE])  # so that each sheet in the file has a stored twin
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server}/import")
    page.get_by_label("选择文件").set_input_files(DEMO_FILE)
    page.get_by_role("button", name="上传并预览").click()
    expect(page.get_by_role("link", name="已有同名表")).to_have_count(5)

    names = page.locator("table.preview tbody tr").get_by_text("基层商会专项经费", exact=True)
    assert_one_line_each(names)
    assert_one_line_each(page.locator(".choices label"))  # 跳过, 替换已有, 两份都保留
    assert_one_line_each(page.get_by_role("button", name="全部两份都保留"))
    assert_no_sideways_scroll(page, width)
