"""The 指标库 page in Chromium: a refused import or entry is said where the administrator looks,
not at the foot of a page of several hundred built-in indicators."""
from io import BytesIO

from openpyxl import Workbook
from playwright.sync_api import expect

from goalsapp.domain.models import Role


def library_file(*rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in (("一级指标", "二级指标", "三级指标", "指标值", "绩效标准"), *rows):
        sheet.append(row)
    data = BytesIO()
    book.save(data)
    return data.getvalue()


def test_a_refused_import_is_in_view_with_every_bad_cell(page, browser_login, tmp_path):
    base = browser_login(Role.ADMIN)
    bad = tmp_path / "指标库.xlsx"
    bad.write_bytes(library_file(("产出指标", "不存在的二级", "培训", "3次", "计划标准")))
    page.goto(f"{base}/admin/library")
    page.get_by_label("Excel 文件（.xlsx）").set_input_files(bad)
    page.get_by_role("button", name="导入").click()
    refusal = page.get_by_role("alert")
    expect(refusal).to_contain_text("没有导入任何指标")
    expect(refusal).to_contain_text("B2：“产出指标／不存在的二级”不是已知的指标类别")
    expect(refusal).to_be_in_viewport()


def test_a_refused_entry_is_in_view_with_the_typing_kept(page, browser_login):
    base = browser_login(Role.ADMIN)
    page.goto(f"{base}/admin/library")
    page.get_by_label("指标值").fill("≥95%")  # and no 三级指标
    page.get_by_role("button", name="添加", exact=True).click()
    expect(page.get_by_label("指标值")).to_have_value("≥95%")
    refused = page.locator(".field.invalid")
    expect(refused).to_contain_text("三级指标")
    expect(refused).to_be_in_viewport()
