"""Test helpers: sheets as plain tuples, and a Word file laid out like the paper form."""
from io import BytesIO

from docx import Document

from goalsapp.filters import money, period
from goalsapp.layout import group_indicators, print_rows
from goalsapp.models import GoalSheet


def as_tuple(sheet: GoalSheet) -> tuple:
    """Everything a user sees of a sheet, indicators in the order the form shows them."""
    groups = group_indicators(sheet.form.framework, sheet.indicators)
    return (
        sheet.unit, sheet.year, sheet.template, sheet.project_name, sheet.budget_dept,
        sheet.local_budget, sheet.higher_funds, sheet.period_start, sheet.period_end,
        sheet.period_goal, sheet.annual_goal,
        [(i.level1, i.level2, i.name, i.value, i.standard) for g in groups for i in g.indicators],
    )


def paper_form_docx(sheets: list[GoalSheet]) -> bytes:
    """A .docx as a unit keeps it in Word: title, 填报单位 line, then the merged table."""
    document = Document()
    for number, sheet in enumerate(sheets):
        if number:
            document.add_page_break()
        document.add_paragraph(f"{sheet.year}年项目支出绩效目标表")
        document.add_paragraph(f"填报单位：{sheet.unit}（盖章）\t\t单位：万元")
        rows = print_rows(sheet.form, sheet.indicators)
        table = document.add_table(rows=6 + len(rows), cols=6)

        def put(row, first, last, text, down=0):
            cell = table.cell(row, first)
            if last > first or down:
                cell = cell.merge(table.cell(row + down, last))
            cell.text = text or ""

        put(0, 0, 0, "项目支出名称"), put(0, 1, 3, sheet.project_name), put(0, 4, 4, "预算部门"), put(0, 5, 5, sheet.budget_dept)
        put(1, 0, 0, "年度本级\n预算金额"), put(1, 1, 3, money(sheet.local_budget)), put(1, 4, 4, "该项目支出\n上级资金"), put(1, 5, 5, money(sheet.higher_funds))
        put(2, 0, 0, "项目支出实施期"), put(2, 1, 5, period(sheet))
        put(3, 0, 0, "实施期绩效目标"), put(3, 1, 5, sheet.period_goal)
        put(4, 0, 0, "本年度绩效目标"), put(4, 1, 5, sheet.annual_goal)
        put(5, 0, 0, "本年度\n绩效指标", down=len(rows))
        for column, head in enumerate(("一级指标", "二级指标", "三级指标", "指标值及单位", "绩效标准"), start=1):
            put(5, column, column, head)
        for number_, row in enumerate(rows, start=6):
            if row.level1_span:
                put(number_, 1, 1, row.level1, down=row.level1_span - 1)
            if row.level2_span:
                put(number_, 2, 2, row.level2, down=row.level2_span - 1)
            if row.indicator:
                put(number_, 3, 3, row.indicator.name), put(number_, 4, 4, row.indicator.value), put(number_, 5, 5, row.indicator.standard)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
