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


class Actions:
    """A user's actions, counted as issue 10 counts them: each click, typed field, key, and answer
    to a question the page asks, is one. A typed field is also the text that really changes, which
    the issue's goal (≤ 20 actions plus the text changed) counts apart: `moves` are the rest."""

    def __init__(self, page):
        self.page = page
        self.steps: list[str] = []
        self.texts = 0

    @property
    def count(self) -> int:
        return len(self.steps)

    @property
    def moves(self) -> int:
        return self.count - self.texts

    def click(self, target, step: str) -> None:
        target.click()
        self.steps.append(f"click {step}")

    def check(self, target, step: str) -> None:
        target.check()
        self.steps.append(f"check {step}")

    def fill(self, target, text: str, step: str) -> None:
        target.fill(text)
        self.texts += 1
        self.steps.append(f"type {step}")

    def type(self, text: str, step: str) -> None:
        """Type into whatever has the focus, as a user does when the page put it there."""
        self.page.keyboard.type(text)
        self.texts += 1
        self.steps.append(f"type {step}")

    def press(self, key: str, step: str) -> None:
        self.page.keyboard.press(key)
        self.steps.append(f"{key} {step}")

    def click_and_confirm(self, target, asks: str, step: str) -> None:
        """Click a button that asks first, and say yes: two actions."""
        questions = []

        def answer(dialog):
            questions.append(dialog.message)
            dialog.accept()

        self.page.once("dialog", answer)
        target.click()
        self.page.wait_for_load_state()
        assert questions and asks in questions[0], questions
        self.steps += [f"click {step}", "confirm"]

    def report(self, title: str) -> str:
        return f"\n{title}: {self.count} actions ({self.texts} of them typing changed text, {self.moves} other)\n  " + "\n  ".join(self.steps)
