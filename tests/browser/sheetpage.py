"""How the browser tests work the sheet editor, as a user would."""
from playwright.sync_api import expect

HEADER_LABELS = {
    "year": "年度", "project_name": "项目支出名称", "budget_dept": "预算部门", "local_budget": "年度本级预算金额",
    "period_start": "项目支出实施期（起）", "period_end": "项目支出实施期（止）",
    "period_goal": "实施期绩效目标", "annual_goal": "本年度绩效目标",
}


def fill_header(page, **values: str) -> None:
    """Type the header fields given, by their labels on the form."""
    for field, value in values.items():
        page.get_by_label(HEADER_LABELS[field], exact=True).fill(value)


def category(page, level2):
    """The editor's group of rows under one level-2 category."""
    return page.locator("tbody.category", has=page.locator("tr.category-head", has_text=f"› {level2}"))


def open_new_row(page, level2):
    """Click 添加指标 in a category; returns the new row's first field, which has the focus."""
    category(page, level2).get_by_role("button", name="＋ 添加指标").click()
    name = category(page, level2).locator("tr.editing").get_by_label("三级指标")
    expect(name).to_be_focused()
    return name


def click_and_confirm(page, button, asks: str, accept: bool = True) -> None:
    """Click a button that asks first; check what it asks, then answer."""
    questions = []

    def answer(dialog):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", answer)
    button.click()
    page.wait_for_load_state()
    assert questions and asks in questions[0], questions
