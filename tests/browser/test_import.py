"""Upload a file in the browser, look at the preview, confirm."""
from playwright.sync_api import expect

from goalsapp.cli.commands import DEMO_FILE
from goalsapp.domain.importing import read_sheets
from goalsapp.domain.models import Role
from goalsapp.formats.excel import write_workbook


def test_upload_preview_confirm_then_replace_one(page, browser_login, tmp_path):
    live_server = browser_login(Role.FILLER, "会同县工商联")
    workbook = tmp_path / "会同县工商联2021.xlsx"
    workbook.write_bytes(write_workbook(read_sheets(DEMO_FILE)))

    page.goto(live_server)
    page.get_by_role("link", name="导入").click()
    page.get_by_label("选择文件").set_input_files(workbook)
    page.get_by_role("button", name="上传并预览").click()
    rows = page.locator("table.preview tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.nth(2)).to_contain_text("光彩事业项目")
    expect(rows.nth(2)).to_contain_text("“2021年12月完成率”在时效指标下重复出现")
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_text("已导入 5 张表，替换 0 张，跳过 0 张")).to_be_visible()
    expect(page.get_by_text("年度本级预算合计 24.4 万元")).to_be_visible()

    # The same file again: every sheet is a duplicate; replace one, keep the rest.
    page.get_by_role("link", name="导入").click()
    page.get_by_label("选择文件").set_input_files(workbook)
    page.get_by_role("button", name="上传并预览").click()
    expect(page.get_by_role("link", name="已有同名表")).to_have_count(5)
    rows.nth(1).get_by_label("替换已有").check()
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_text("已导入 0 张表，替换 1 张，跳过 4 张")).to_be_visible()
    expect(page.locator("table.list tbody tr")).to_have_count(5)


def test_a_bad_upload_is_explained_on_the_page(page, browser_login, tmp_path):
    live_server = browser_login()
    bad = tmp_path / "坏文件.xlsx"
    bad.write_bytes(b"not a workbook")
    page.goto(f"{live_server}/import")
    page.get_by_label("选择文件").set_input_files(bad)
    page.get_by_role("button", name="上传并预览").click()
    expect(page.get_by_role("alert")).to_contain_text("坏文件.xlsx：文件扩展名是Excel/Word，但内容不是")
