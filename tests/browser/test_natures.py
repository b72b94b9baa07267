"""Issue 11, structured values: in the real browser, a row's value and how it is understood
(指标性质, 数值, 度量单位) follow each other as the clerk edits either, and the save keeps it."""
import os

from playwright.sync_api import expect

from goalsapp.cli.commands import DEMO_FILE
from goalsapp.domain.importing import import_files, read_bytes, store
from goalsapp.domain.models import Indicator, Role
from goalsapp.extensions import db

from ..variants.catalog import SICHUAN_2023
from ..variants.writers import to_docx

SATISFACTION = 8  # the seed's first sheet's 会员满意度 row: "98%"


def shot(place, name: str) -> None:
    """A picture of the part of the page that matters (GOALSAPP_SHOTS: where to put it)."""
    if shots := os.environ.get("GOALSAPP_SHOTS"):
        place.screenshot(path=f"{shots}/nat-{name}.png")


def test_a_clerk_sees_and_corrects_how_a_value_is_understood(page, browser_login, csrf_app):
    with csrf_app.app_context():
        import_files([DEMO_FILE])
    base = browser_login(Role.FILLER, "会同县工商联")
    page.goto(f"{base}/sheets/1")
    row = page.locator(f"#indicator-{SATISFACTION}")
    expect(row.locator("td.understood")).to_have_attribute("data-understood", "＝ 98 %")

    row.get_by_role("button", name="编辑").click()
    editing = page.locator(f"#indicator-{SATISFACTION}.editing")
    value, nature = editing.get_by_label("指标值及单位"), editing.get_by_label("指标性质")
    number, unit = editing.get_by_label("数值"), editing.get_by_label("度量单位")
    expect(nature).to_have_value("＝")
    expect(number).to_have_value("98")
    expect(unit).to_have_value("%")

    # The parts are no Tab stop of the typing: Tab from the value goes on to 绩效标准; ↓ reaches them.
    value.focus()
    page.keyboard.press("Tab")
    expect(editing.get_by_label("绩效标准")).to_be_focused()
    value.focus()
    page.keyboard.press("ArrowDown")
    expect(nature).to_be_focused()
    page.keyboard.press("Tab")
    expect(number).to_be_focused()

    # Change the nature: the value's text follows; a number too.
    nature.select_option("≥")
    expect(value).to_have_value("≥98%")
    number.fill("95")
    expect(value).to_have_value("≥95%")
    shot(editing.locator("xpath=.."), "parts-to-text")

    # Type the value: the parts follow.
    value.fill("不超过5%")
    expect(nature).to_have_value("≤")
    expect(number).to_have_value("5")
    value.fill("98%")
    expect(nature).to_have_value("＝")
    expect(number).to_have_value("98")

    # "98%" meant as a description: the clerk marks it 定性, the text stays as written, Enter saves.
    nature.select_option("定性")
    expect(value).to_have_value("98%")
    nature.focus()
    page.keyboard.press("Enter")
    saved = page.locator(f"#indicator-{SATISFACTION}:not(.editing)")
    expect(saved.locator("td.understood")).to_have_attribute("data-understood", "定性（认定）")
    expect(saved.locator("td").nth(1)).to_have_text("98%")
    shot(saved.locator("xpath=.."), "marked-qualitative")
    with csrf_app.app_context():
        stored = db.session.get(Indicator, SATISFACTION)
        assert (stored.value, stored.given) == ("98%", {"nature": "定性"})

    # A comparing nature with no number: said as it is chosen, refused on saving, the typing kept.
    saved.get_by_role("button", name="编辑").click()
    value.fill("按时完成")
    expect(nature).to_have_value("定性")
    nature.select_option("≥")
    expect(editing.locator(".reading-note")).to_have_text("指标性质为“≥”，请填写数值")
    nature.focus()
    page.keyboard.press("Enter")
    expect(editing.locator("p.error")).to_have_text("指标性质为“≥”，请填写数值")
    expect(value).to_have_value("按时完成")
    expect(nature).to_have_value("≥")
    shot(editing.locator("xpath=.."), "refused")
    with csrf_app.app_context():
        assert db.session.get(Indicator, SATISFACTION).value == "98%"


def test_a_101_rows_columns_make_its_value_as_they_change(page, browser_login, csrf_app):
    with csrf_app.app_context():
        (sheet,) = read_bytes(to_docx(SICHUAN_2023), "四川.docx")
        store([sheet], ["keep"])
        sheet_id, row_id = sheet.id, sheet.indicators[3].id  # 开展课后服务学校数: ≥ 42 所
    base = browser_login(Role.ADMIN)
    page.goto(f"{base}/sheets/{sheet_id}")
    page.locator(f"#indicator-{row_id}").get_by_role("button", name="编辑").click()
    editing = page.locator(f"#indicator-{row_id}.editing")
    nature, tag = editing.get_by_label("指标性质"), editing.locator("output.understood")
    expect(nature).to_have_value("≥")
    nature.select_option("＞")
    expect(tag).to_have_text("＞ 42 所")
    editing.get_by_label("指标值", exact=True).fill("40")
    expect(tag).to_have_text("＞ 40 所")
    shot(editing.locator("xpath=.."), "101-row")
    editing.get_by_role("button", name="保存").click()
    expect(page.locator(f"#indicator-{row_id}:not(.editing) td").nth(1)).to_have_text("＞")
    with csrf_app.app_context():
        assert db.session.get(Indicator, row_id).value == "＞40所"
