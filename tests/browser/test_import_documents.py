"""A clerk imports the unit's 自评表 from Word: the preview says where it goes and what review will
say, and confirming opens the self-evaluation with the file's wrong score named."""
import re

from playwright.sync_api import expect

from goalsapp.domain.models import Role
from tests.test_document_import import target_sheet
from tests.variants.documents import BY_CODE
from tests.variants.writers import to_docx

SHOTS = "/work/notes/shots13"
WRONG_SCORE = "文件写的得分是“19.5”，按评分规则应为19.67"


def test_a_clerk_uploads_a_word_self_evaluation_previews_it_confirms_and_sees_the_finding(page, browser_login, csrf_app, tmp_path):
    document = BY_CODE["evaluation_2019"]
    sheet_id = target_sheet(csrf_app, document)
    live_server = browser_login(Role.FILLER, document.unit)
    path = tmp_path / "2022年农村公路养护工程自评表.docx"
    path.write_bytes(to_docx(document.variant))

    page.goto(f"{live_server}/import")
    page.get_by_label("选择文件").set_input_files(path)
    page.get_by_role("button", name="上传并预览").click()
    preview = page.locator("table.documents > tbody > tr")
    expect(preview).to_have_count(1)
    expect(preview).to_contain_text("2022年自评表（2019—2022年式）")
    expect(preview.get_by_role("link", name="农村公路养护工程")).to_have_attribute("href", f"/sheets/{sheet_id}")
    expect(preview).to_contain_text("新建自评表")
    expect(preview.get_by_role("listitem").filter(has_text=WRONG_SCORE)).to_contain_text("提示")
    expect(preview).to_contain_text("按评分规则：总分 97.97，等级 优")
    page.screenshot(path=f"{SHOTS}/imports-preview.png", full_page=True)

    page.get_by_role("button", name="确认导入").click()
    expect(page).to_have_url(re.compile(r"/evaluations/\d+$"))
    expect(page.locator("#messages")).to_contain_text("已导入“农村公路养护工程”的自评表")
    findings = page.locator("#findings")
    expect(findings.get_by_role("listitem").filter(has_text=WRONG_SCORE)).to_contain_text("“养护农村公路里程”")
    expect(page.locator("#total")).to_have_text("97.97")
    expect(page.locator("#grade")).to_have_text("优")
    page.screenshot(path=f"{SHOTS}/imports-evaluation.png", full_page=True)
