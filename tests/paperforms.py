"""Test helpers: sheets as plain tuples, and a Word file laid out like the paper form."""
from io import BytesIO

from docx import Document

from goalsapp.domain.layout import group_indicators, print_rows
from goalsapp.domain.models import GoalSheet
from goalsapp.web.filters import money, period


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


def block_columns(form) -> tuple:
    """The indicator block's columns in print order, the category columns headed as the form
    heads them (一级指标 or 一级)."""
    from dataclasses import replace

    from goalsapp.domain.formtemplates import LEVEL1, LEVEL2

    if (columns := getattr(form, "block_columns", None)) is not None:
        return tuple(columns)
    return (replace(LEVEL1, label=form.level_labels[0]), replace(LEVEL2, label=form.level_labels[1]), *form.columns)


def heading_rows(form) -> list[list[tuple[str, int, int]]]:
    """The indicator block's heads as printed: (label, columns spanned, rows spanned) per cell."""
    if (rows := getattr(form, "heading_rows", None)) is not None:
        return rows()
    return [[(column.label, column.span, 1) for column in block_columns(form)]]


def printed_form_docx(sheets: list[GoalSheet]) -> bytes:
    """A .docx of any template laid out as the printed form: title lines, the unit line and
    money note, then one table on the form's grid (layout.header_grid, its section row, the
    indicator heads, layout.print_rows with the categories merged down, the comment row),
    then the footers if any were written."""
    from goalsapp.domain.layout import footers, header_grid, title

    document = Document()
    for number, sheet in enumerate(sheets):
        if number:
            document.add_page_break()
        form = sheet.form
        for line in title(sheet).split("\n"):
            document.add_paragraph(line)
        money_note = f"单位：{sheet.written('money_unit') or form.money_unit}"
        if form.unit_line:
            document.add_paragraph(f"{form.unit_line.format(unit=sheet.unit)}\t\t{money_note}")
        else:
            document.add_paragraph(money_note)
        grid = header_grid(form, sheet)
        heads = heading_rows(form)
        rows = print_rows(form, sheet.indicators)
        height = len(grid) + bool(form.section_row) + len(heads) + len(rows) + bool(form.comment_row)
        table = document.add_table(rows=height, cols=form.width)
        taken: set[tuple[int, int]] = set()

        def put(row: int, column: int, text: str, span: int = 1, down: int = 1) -> None:
            cell = table.cell(row, column)
            if span > 1 or down > 1:
                cell = cell.merge(table.cell(row + down - 1, column + span - 1))
            cell.text = text or ""
            taken.update((r, c) for r in range(row, row + down) for c in range(column, column + span))

        def place(row: int, text: str, span: int = 1, down: int = 1) -> None:
            """At the row's first column no cell above covers, as layout's grid places it."""
            column = next(c for c in range(form.width) if (row, c) not in taken)
            put(row, column, text, span, down)

        at = 0
        for cells in grid:
            for cell in cells:
                place(at, cell.text, cell.span, cell.rows)
            at += 1
        if form.section_row:
            put(at, 0, form.section_row, span=form.width)
            at += 1
        if form.block_label:
            put(at, 0, form.block_label, down=len(heads) + len(rows))
        for cells in heads:
            for label, span, down in cells:
                place(at, label, span, down)
            at += 1
        starts, column = {}, 1 if form.block_label else 0
        for block_column in block_columns(form):
            starts[block_column.key] = (column, block_column.span)
            column += block_column.span
        for row in rows:
            for key, (column, span) in starts.items():
                if key == "level1":
                    if row.level1_span:
                        put(at, column, "\n".join(row.level1_lines or (row.level1,)), down=row.level1_span)
                elif key == "level2":
                    if row.level2_span:
                        put(at, column, "\n".join(row.level2_lines or (row.level2,)), down=row.level2_span)
                else:
                    put(at, column, row.indicator.cell(key) if row.indicator else "", span=span)
            at += 1
        if form.comment_row:
            put(at, 0, "财政部门\n审核意见"), put(at, 1, sheet.review_comment, span=form.width - 1)
        if signed := footers(sheet):
            document.add_paragraph("    ".join(f"{label}：{value}" for label, value in signed))
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
