"""The paper forms units are handed (模板), as data: one FormTemplate per form.

A template says everything the app needs to know about one form: how its title reads, its
header fields (label as printed, the synonyms other files use, what kind of value each is),
its indicator columns, its category set (frameworks.py), how it prints (which header fields
share a row, the label spanning the indicator block, footers), and what review asks of it.
The readers, the editor, the history, the print view, the .xlsx writer and the review all
take the form from here: a new province's form is a new FormTemplate, not edits elsewhere.

A field's key names where its value lives. The keys in SHEET_COLUMNS are GoalSheet columns
(the values the app adds up, sorts and checks); any other key is kept in GoalSheet.fields,
and an indicator column other than INDICATOR_COLUMNS in Indicator.extra (but SPLIT_COLUMNS: a
101-style form's 指标性质/指标值/度量单位 are the row's one value, read by measures.py). Every value is
also kept as written (GoalSheet.fields), so "250万" or "2023.07-2024.01" prints back as the
form had it; the columns hold what it means (250 万元; July 2023 to January 2024).
"""
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property

from . import limits
from .frameworks import GUANGDONG_2019, HUNAN_2021, MOF_2015, MOF_2021, Framework


class Kind(StrEnum):
    TEXT = "text"  # one line
    LONG = "long"  # goals: paragraphs
    MONEY = "money"  # an amount in the form's money unit, kept as written
    PERIOD = "period"  # 项目支出实施期 as written: "2021.1-2021.12", "2023.07-2024.01"
    CHOICE = "choice"  # check boxes as written: "□新增 √延续"


SHEET_COLUMNS = {"unit", "project_name", "budget_dept", "local_budget", "higher_funds", "period", "period_goal", "annual_goal"}
INDICATOR_COLUMNS = {"name", "value", "standard"}
# A 101-style form's value in three columns: 指标性质, 指标值, 度量单位. A row keeps the value in
# one text all the same (measures.py): these are read from it and written to it.
SPLIT_COLUMNS = ("nature", "value", "measure")


def shown_label(text: str) -> str:
    """A label on screen, on one line: "年度本级\n预算金额" is "年度本级预算金额"; its brackets stay."""
    return re.sub(r"\s+", "", text)


def label_key(text: str) -> str:
    """A label as wording only: "年度本级\\n预算金额" and "年度本级 预算金额" are "年度本级预算金额";
    "其中：财政拨款" and "其中:财政拨款" are one label too."""
    return re.sub(r"[\s:：()（）]+", "", text)


@dataclass(frozen=True)
class HeaderField:
    key: str
    label: str  # as printed; a line break where the paper breaks it
    synonyms: tuple[str, ...] = ()
    kind: Kind = Kind.TEXT
    required: bool = False
    group: str = ""  # a label printed once, spanning the rows of its fields ("项目资金（万元）")
    label_span: int = 1  # grid columns the label takes on paper

    @property
    def keys(self) -> set[str]:
        """Every wording a file may label this field with."""
        return {label_key(self.label), *map(label_key, self.synonyms)}

    @property
    def stored_in_column(self) -> bool:
        return self.key in SHEET_COLUMNS


@dataclass(frozen=True)
class Column:
    """An indicator column: 一级指标, 二级指标, or one of the form's own."""

    key: str
    label: str
    synonyms: tuple[str, ...] = ()
    width: int = 12  # share of the printed table's width, in percent
    span: int = 1  # grid columns it takes on paper (Anhui's 三级指标 takes two)
    group: str = ""  # a heading over several columns, on a heading row of its own ("中期指标")
    merged: bool = False  # equal values in consecutive rows print as one cell, as categories do
    kind: Kind = Kind.TEXT  # a sub-table's task is LONG text, its amount MONEY

    @property
    def max_chars(self) -> int:
        """What a cell of the column may hold, in the editor and from a file alike."""
        return limits.GOAL_TEXT if self.kind == Kind.LONG else limits.FIELD_TEXT

    @property
    def keys(self) -> set[str]:
        """Every heading a file may give it; under a group heading, "group/heading"."""
        plain = {label_key(self.label), *map(label_key, self.synonyms)}
        return {f"{label_key(self.group)}/{key}" for key in plain} if self.group else plain


LEVEL1 = Column("level1", "一级指标", ("一级",), width=10)
LEVEL2 = Column("level2", "二级指标", ("二级",), width=16)


@dataclass(frozen=True)
class SubTable:
    """A table of its own inside a form's header, with its own heads (the whole-department
    form's 年度履职目标: what each function of the department does this year, and with what)."""

    key: str  # where its rows are kept in GoalSheet.fields: a list of rows, each a list of texts
    label: str  # printed spanning its rows, as 本年度绩效指标 spans the indicators
    columns: tuple[Column, ...]  # the first one merges down, as a category does


@dataclass(frozen=True)
class FormTemplate:
    code: str
    name: str  # what the user picks from: province, year, system
    # Title patterns; a pattern's (?P<year>) group gives the budget year when the title has it.
    titles: tuple[str, ...]
    title: str  # as printed, with {year}
    header: tuple[HeaderField, ...]
    # Print layout of the header: the keys printed on each row, one or two fields a row.
    header_rows: tuple[tuple[str, ...], ...]
    columns: tuple[Column, ...]
    framework: Framework
    money_unit: str = "万元"
    block_label: str = "本年度\n绩效指标"  # the label spanning the indicator block ("" for none)
    block_width: int = 16  # its column's share of the width, in percent; the header's labels sit in it
    footers: tuple[str, ...] = ()  # labels under the table, each printed with its value
    comment_row: bool = True  # a 财政部门审核意见 row closes the table
    section_row: str = ""  # a full-width row between header and indicators ("绩效指标")
    even_pairs: bool = False  # two fields on a row share it evenly; else the first takes all but one column
    level_labels: tuple[str, str] = ("一级指标", "二级指标")  # the category columns' heads as printed
    level_widths: tuple[int, int] = (10, 16)  # their shares of the width; the header's labels sit in the first when there is no block label
    money_note: str = "单位：{unit}"  # the line above the table's right end
    subtable: SubTable | None = None
    # A form about no one project (the whole-department table): the name its sheets go by.
    project_name: str = ""
    level2_group: str = ""  # the group heading the 二级指标 column stands under, if any
    level2_at: int = 0  # how many of the form's columns print between 一级指标 and 二级指标
    unit_line: str = "填报单位：{unit}（盖章）"
    rows_per_group: int = 1  # rows the paper gives each level-2 group at least, the unused ones blank
    every_category: bool = True  # the paper lists every category, one with no indicator blank; else only those in use
    label_lines: dict[str, tuple[str, ...]] = field(default_factory=dict)  # category label → printed lines

    def field(self, key: str) -> HeaderField | None:
        return next((f for f in self.header if f.key == key), None)

    def field_for(self, label: str) -> HeaderField | None:
        """The header field a file's label names, if this form has it."""
        key = label_key(label)
        return next((f for f in self.header if key in f.keys), None)

    @cached_property  # asked for each cell a sheet writes or draws; a form never changes
    def block_columns(self) -> tuple[Column, ...]:
        """The indicator block's columns in print order, the category columns as this form heads them."""
        level1 = replace(LEVEL1, label=self.level_labels[0], synonyms=LEVEL1.synonyms + (LEVEL1.label,), width=self.level_widths[0])
        level2 = replace(LEVEL2, label=self.level_labels[1], synonyms=LEVEL2.synonyms + (LEVEL2.label,),
                         group=self.level2_group, merged=True, width=self.level_widths[1])
        return (level1, *self.columns[:self.level2_at], level2, *self.columns[self.level2_at:])

    @cached_property
    def column_titles(self) -> dict[str, str]:
        """Each indicator column's heading on one line (by key), under its group heading as the
        paper heads it, so no two read alike (Guangdong's 中期指标／三级指标 and 年度指标／三级指标).
        The editor, the history, the messages and the flat list name a column so."""
        return {column.key: f"{shown_label(column.group)}／{shown_label(column.label)}" if column.group else shown_label(column.label)
                for column in self.columns}

    def column_for(self, heading: str) -> Column | None:
        key = label_key(heading)
        return next((c for c in self.block_columns if key in c.keys), None)

    def heading_rows(self) -> list[list[tuple[str, int, int]]]:
        """The indicator block's heads as printed: (label, columns spanned, rows spanned) per
        cell; a second row when some columns stand under a group heading."""
        columns = self.block_columns
        if not any(column.group for column in columns):
            return [[(column.label, column.span, 1) for column in columns]]
        top, below = [], []
        for column in columns:
            if not column.group:
                top.append((column.label, column.span, 2))
            elif top and top[-1][0] == column.group:
                top[-1] = (column.group, top[-1][1] + column.span, 1)
                below.append((column.label, column.span, 1))
            else:
                top.append((column.group, column.span, 1))
                below.append((column.label, column.span, 1))
        return [top, below]

    @property
    def groups(self) -> set[str]:
        """The group labels as a file may word them: "项目资金（万元）", or "（元）" in a file in 元."""
        return {label_key(f.group.replace("万元", unit)) for f in self.header if f.group for unit in ("万元", "元")}

    @property
    def whole_department(self) -> bool:
        """A whole department's year (部门整体支出), not one project: its amount is the department's
        资金总额, which holds its projects' budgets rather than adding to them."""
        return bool(self.project_name)

    @cached_property
    def splits_value(self) -> bool:
        """A 101-style form: the value in 指标性质, 指标值 and 度量单位."""
        return any(column.key == "nature" for column in self.columns)

    @property
    def has_standard(self) -> bool:
        return any(column.key == "standard" for column in self.columns)

    def column_widths(self) -> list[float]:
        """The printed grid's columns, in percent of the width: they add up to 100."""
        widths = [self.block_width] if self.block_label else []
        for column in self.block_columns:
            widths += [column.width / column.span] * column.span
        return widths

    @property
    def width(self) -> int:
        """Columns of the printed grid: the block label (if any), 一级, 二级, then the columns."""
        return (1 if self.block_label else 0) + sum(column.span for column in self.block_columns)

    def title_year(self, text: str) -> tuple[bool, int | None]:
        """Whether text is this form's title, and the year it names if it names one."""
        return matched_title(self.titles, text, re.search)


def matched_title(patterns: Iterable[str], text: str, match: Callable = re.search) -> tuple[bool, int | None]:
    """Whether text (as label_key reads it) matches one of the title patterns, and the year the
    pattern's "year" group names if it names one. match: re.search, or re.fullmatch for a title
    that must be the whole text."""
    for pattern in patterns:
        if found := match(pattern, label_key(text)):
            year = found.groupdict().get("year")
            return True, int(year) if year else None
    return False, None


# --- the forms -----------------------------------------------------------------------------
# Labels as each form prints them (a line break where its paper breaks); synonyms are what
# other files call the same field.

TITLE_YEAR = r"(?P<year>\d{4})年度?"  # "2021年…", "2019年度…"
YEAR_AFTER = r"(?:(?P<year>\d{4})年度)?"  # "…表(2025年度)", or the year on the next line

# A column fits its labels' lines at 10.5pt (about 1% of the width a character, plus the
# padding): 4 characters take 10%, 5 take 12%, 6 take 14%, 7 take 16%. A longer category
# breaks between its words, as Sichuan's paper breaks "服务对象/满意度指标".
SATISFACTION_LINES = {"服务对象满意度指标": ("服务对象", "满意度指标")}

NAME = HeaderField("project_name", "项目支出名称", ("项目名称",), required=True)
PROJECT = HeaderField("project_name", "项目名称", ("项目支出名称",), required=True)  # most forms but Hunan's
HUNAN_COLUMNS = (
    Column("name", "三级指标", ("三级",), width=33),
    Column("value", "指标值及单位", ("指标值",), width=14),
    Column("standard", "绩效标准", width=11),
)

HUNAN = FormTemplate(
    code="hunan-2021",
    name="湖南省项目支出绩效目标表（2021）",
    titles=(TITLE_YEAR + r"项目支出绩效目标表$",),
    title="{year}年项目支出绩效目标表",
    header=(
        NAME,
        HeaderField("budget_dept", "预算部门", ("主管部门",), required=True),
        HeaderField("local_budget", "年度本级\n预算金额", ("年度本级预算", "本级预算金额"), Kind.MONEY, required=True),
        HeaderField("higher_funds", "该项目支出\n上级资金", ("上级资金",), Kind.MONEY),
        HeaderField("period", "项目支出实施期", ("实施期",), Kind.PERIOD, required=True),
        HeaderField("period_goal", "实施期绩效目标", ("中期目标", "实施期目标"), Kind.LONG, required=True),
        HeaderField("annual_goal", "本年度绩效目标", ("年度目标", "年度绩效目标"), Kind.LONG, required=True),
    ),
    header_rows=(("project_name", "budget_dept"), ("local_budget", "higher_funds"), ("period",), ("period_goal",), ("annual_goal",)),
    columns=HUNAN_COLUMNS,
    framework=HUNAN_2021,
    footers=("填表人", "联系电话", "填报日期", "单位负责人签字"),
    rows_per_group=2,  # the seed's template: room for a second row under every category
    label_lines={"产出指标": ("产出", "指标"), "效益指标": ("效益", "指标"),
                 "社会公众或服务对象满意度指标": ("社会公众或", "服务对象", "满意度指标")},
)

# Hunan's 2023 申报表: the same fields and columns, one row for each category (an empty one
# still printed, blank) and no 财政部门审核意见 row.
HUNAN_2023 = replace(
    HUNAN,
    code="hunan-2023",
    name="湖南省项目支出绩效目标申报表（2023）",
    titles=(TITLE_YEAR + r"项目支出绩效目标申报表$",),
    title="{year}年项目支出绩效目标申报表",
    rows_per_group=1,
    comment_row=False,
)

ANHUI_MONEY = "项目资金\n（万元）"
ANHUI = FormTemplate(
    code="anhui-2025",
    name="安徽省项目支出绩效目标表（财政部2015式，2025）",
    titles=(r"^项目支出绩效目标表" + YEAR_AFTER + "$",),
    title="项目支出绩效目标表\n（{year}年度）",
    header=(
        PROJECT,
        HeaderField("budget_dept", "主管部门及代码", ("主管部门", "预算部门"), required=True),
        HeaderField("implementer", "实施单位", ("项目实施单位",)),
        HeaderField("kind", "项目属性", (), Kind.CHOICE),
        HeaderField("term", "项目期", ("项目周期",)),
        HeaderField("local_budget", "年度资金总额", ("资金总额",), Kind.MONEY, required=True, group=ANHUI_MONEY, label_span=2),
        HeaderField("fiscal_funds", "其中：财政拨款", ("财政拨款",), Kind.MONEY, group=ANHUI_MONEY, label_span=2),
        HeaderField("other_funds", "其他资金", (), Kind.MONEY, group=ANHUI_MONEY, label_span=2),
        HeaderField("carried_over", "上年结转", (), Kind.MONEY, group=ANHUI_MONEY, label_span=2),
        HeaderField("period_goal", "中期\n目标", ("实施期绩效目标", "实施期目标"), Kind.LONG, required=True, group="总体\n目标"),
        HeaderField("annual_goal", "年度\n目标", ("本年度绩效目标", "年度绩效目标"), Kind.LONG, required=True, group="总体\n目标"),
    ),
    header_rows=(("project_name",), ("budget_dept", "implementer"), ("kind", "term"), ("local_budget",), ("fiscal_funds",),
                 ("other_funds",), ("carried_over",), ("period_goal",), ("annual_goal",)),
    columns=(Column("name", "三级指标", ("三级",), width=40, span=2), Column("value", "指标值", ("指标值及单位", "年度指标值"), width=16)),
    framework=MOF_2015,
    level_widths=(12, 16),  # 满意度指标 whole
    label_lines=SATISFACTION_LINES,
    block_label="绩\n效\n指\n标",
    block_width=16,
    even_pairs=True,
    comment_row=False,
)

# The 101-style form: each value split into 指标性质, 指标值 and 度量单位, with a weight.
SICHUAN_MONEY = "项目资金\n（万元）"
SICHUAN = FormTemplate(
    code="sichuan-2023",
    name="四川省部门预算项目绩效目标申报表（财预〔2021〕101号式，2023）",
    titles=(r"项目绩效目标申报表" + YEAR_AFTER + "$",),
    title="部门预算项目绩效目标申报表\n（{year}年度）",
    header=(
        PROJECT,
        HeaderField("budget_dept", "主管部门", ("主管部门及代码", "预算部门"), required=True),
        HeaderField("implementer", "实施单位", ("项目实施单位",)),
        HeaderField("source", "项目来源"),
        HeaderField("leader", "项目负责人", ("项目责任人",)),
        HeaderField("phone", "联系电话"),
        HeaderField("plan_start", "计划开始日期"),
        HeaderField("plan_end", "计划完成日期"),
        HeaderField("local_budget", "资金总额", ("年度资金总额", "预算数"), Kind.MONEY, required=True, group=SICHUAN_MONEY, label_span=2),
        HeaderField("fiscal_funds", "财政资金", ("其中：财政拨款", "财政拨款"), Kind.MONEY, group=SICHUAN_MONEY, label_span=2),
        HeaderField("other_funds", "其他资金", (), Kind.MONEY, group=SICHUAN_MONEY, label_span=2),
        HeaderField("annual_goal", "年度\n绩效目标", ("本年度绩效目标", "年度目标"), Kind.LONG, required=True),
    ),
    header_rows=(("project_name", "budget_dept"), ("implementer", "source"), ("leader", "phone"), ("plan_start", "plan_end"),
                 ("local_budget",), ("fiscal_funds",), ("other_funds",), ("annual_goal",)),
    columns=(
        Column("name", "三级指标", ("三级",), width=25),
        Column("nature", "指标\n性质", width=8),
        Column("value", "指标值", ("目标值",), width=14),  # the second label of a header row sits here: 计划完成日期
        Column("measure", "度量\n单位", ("计量单位",), width=9),
        Column("weight", "权重", ("分值",), width=7),
        Column("direction", "指标\n方向性", ("指标方向",), width=9),
    ),
    framework=MOF_2021,
    level_widths=(14, 14),
    label_lines={**SATISFACTION_LINES, "生态环境成本指标": ("生态环境", "成本指标"),
                 "可持续影响指标": ("可持续", "影响指标"), "经济成本指标": ("经济成本", "指标"), "社会成本指标": ("社会成本", "指标")},
    block_label="",
    section_row="绩效指标",
    even_pairs=True,
    comment_row=False,
    unit_line="填报单位（盖章）：{unit}",
)

HUBEI_MONEY = "项目资金\n（万元）"
HUBEI = FormTemplate(
    code="hubei-2019",
    name="湖北省项目支出绩效目标申报表（2019）",
    titles=(TITLE_YEAR + r"项目支出绩效目标申报表$",),
    title="{year}年度项目支出绩效目标申报表",
    header=(
        HeaderField("unit", "单位\n（盖章）", ("填报单位",), required=True),
        PROJECT,
        HeaderField("budget_unit", "预算单位"),
        HeaderField("budget_dept", "主管部门", ("主管部门及代码", "预算部门"), required=True),
        HeaderField("kind", "项目属性", (), Kind.CHOICE),
        HeaderField("local_budget", "年度资金总额", ("资金总额",), Kind.MONEY, required=True, group=HUBEI_MONEY, label_span=2),
        HeaderField("fiscal_funds", "其中：财政拨款", ("财政拨款",), Kind.MONEY, group=HUBEI_MONEY, label_span=2),
        HeaderField("other_funds", "其他资金", (), Kind.MONEY, group=HUBEI_MONEY, label_span=2),
        HeaderField("annual_goal", "年度\n绩效\n目标", ("本年度绩效目标", "年度目标"), Kind.LONG, required=True),
    ),
    header_rows=(("unit",), ("project_name", "budget_unit"), ("budget_dept", "kind"), ("local_budget",), ("fiscal_funds",),
                 ("other_funds",), ("annual_goal",)),
    columns=(Column("name", "三级", ("三级指标",), width=58, span=3), Column("value", "指标值", ("指标值及单位",), width=14)),
    framework=MOF_2015,
    level_widths=(12, 16),
    label_lines=SATISFACTION_LINES,
    block_label="",
    footers=("填表人", "联系电话"),
    comment_row=False,
    every_category=False,  # its paper leaves out a category it has nothing under (生态效益指标)
    unit_line="",
    level_labels=("一级", "二级"),
    money_note="金额单位：{unit}",
    money_unit="万元",
)

# The approved copy (批复表): the medium-term targets beside the year's, row by row.
MID, YEAR = "中期指标", "年度指标"
GUANGDONG = FormTemplate(
    code="guangdong-2019",
    name="广东省项目支出绩效目标批复表（2019）",
    titles=(TITLE_YEAR + r"项目支出绩效目标批复表$",),
    title="{year}年项目支出绩效目标批复表",
    header=(
        PROJECT,
        HeaderField("budget_dept", "主管部门", ("主管部门及代码", "预算部门"), required=True),
        HeaderField("implementer", "项目实施单位", ("实施单位",)),
        HeaderField("kind", "项目属性", (), Kind.CHOICE),
        HeaderField("mid_budget", "中期资金总额", (), Kind.MONEY),
        HeaderField("local_budget", "年度资金总额", ("资金总额",), Kind.MONEY, required=True),
        HeaderField("period_goal", "中期目标", ("实施期绩效目标",), Kind.LONG, required=True, group="绩效\n目标"),
        HeaderField("annual_goal", "年度目标", ("本年度绩效目标",), Kind.LONG, required=True, group="绩效\n目标"),
    ),
    header_rows=(("project_name", "budget_dept"), ("implementer", "kind"), ("mid_budget", "local_budget"),
                 ("period_goal",), ("annual_goal",)),
    columns=(
        Column("mid_level2", "二级指标", width=14, group=MID, merged=True),
        Column("mid_name", "三级指标", width=12, group=MID),
        Column("mid_value", "指标值", width=14, group=MID),  # the second label of a header row sits here: 年度资金总额
        Column("name", "三级指标", width=13, group=YEAR),
        Column("value", "计划\n指标值", ("指标值",), width=9, group=YEAR),
    ),
    framework=GUANGDONG_2019,
    level_widths=(10, 14),
    label_lines={"预期产出指标": ("预期产出", "指标"), "数量指标(或建筑规模指标)": ("数量指标", "(或建筑", "规模指标)"),
                 "预算(或投资规模)控制指标": ("预算", "(或投资规模)", "控制指标"),
                 "社会、经济、生态效益指标": ("社会、经济、", "生态效益指标"), "可持续影响指标": ("可持续", "影响指标"),
                 **SATISFACTION_LINES},
    block_label="绩效\n指标",
    block_width=14,  # the header's labels sit in it: 项目实施单位
    level2_group=YEAR,
    level2_at=3,
    even_pairs=True,
    comment_row=False,
    unit_line="填报单位：{unit}",  # the approved copy names none; printed so the unit is on paper and in exports
    footers=("项目负责人", "财务负责人", "联系电话"),
)

# A budget system's list, one row per indicator, each project a sheet: printed as a short form.
LIST = FormTemplate(
    code="list-101",
    name="部门预算项目绩效目标清单（一行一个指标，101号式）",
    titles=(TITLE_YEAR + r"部门预算项目绩效目标(?:汇总表|清单)$",),
    title="{year}年部门预算项目绩效目标汇总表",
    header=(
        PROJECT,
        HeaderField("local_budget", "预算数", ("年度资金总额", "资金总额"), Kind.MONEY, required=True),
        HeaderField("annual_goal", "年度目标", ("本年度绩效目标",), Kind.LONG, required=True),
    ),
    header_rows=(("project_name", "local_budget"), ("annual_goal",)),
    columns=SICHUAN.columns,
    framework=MOF_2021,
    block_label="",
    level_widths=SICHUAN.level_widths,
    label_lines=SICHUAN.label_lines,
    even_pairs=True,
    comment_row=False,
    every_category=False,  # a list has a row for each indicator, none for a category without one
    unit_line="单位名称：{unit}",
    money_note="金额单位：{unit}",
)

# The whole department's year (部门整体支出绩效目标表): the department's budget and duties
# above the same indicator block; a document of its own, filed once a year per department.
FUJIAN_DEPARTMENT = FormTemplate(
    code="fujian-2019-department",
    name="福建省部门整体支出绩效目标表（2019）",
    titles=(r"^(?:" + TITLE_YEAR + r")?部门整体支出绩效目标表$",),
    title="{year}年部门整体支出绩效目标表",  # the paper often leaves the year out: printed with it, it travels
    header=(
        HeaderField("unit", "部门\n（单位）\n名称", ("部门名称", "单位名称"), required=True),
        HeaderField("dept_code", "部门预算编码", ("预算编码",)),
        HeaderField("local_budget", "资金总额", ("年度资金总额",), Kind.MONEY, required=True, group="年度预算\n安排", label_span=2),
        HeaderField("project_spending", "项目支出", (), Kind.MONEY, group="年度预算\n安排", label_span=2),
        HeaderField("basic_spending", "基本支出", (), Kind.MONEY, group="年度预算\n安排", label_span=2),
        HeaderField("annual_goal", "年度\n总体\n目标", ("年度总体目标", "年度目标"), Kind.LONG, required=True),
    ),
    header_rows=(("unit", "dept_code"), ("local_budget",), ("project_spending",), ("basic_spending",), ("annual_goal",)),
    columns=(
        Column("name", "三级指标", ("三级",), width=20),
        Column("explanation", "指标解释", width=24),
        Column("value", "目标值", ("指标值",), width=16),
    ),
    framework=MOF_2015,
    block_label="年度\n绩效\n指标",
    block_width=12,
    level_widths=(12, 16),  # 满意度指标, 可持续影响指标 whole
    label_lines=SATISFACTION_LINES,
    even_pairs=True,
    comment_row=False,
    subtable=SubTable("duties", "年度\n履职\n目标", (
        Column("function", "部门职能", merged=True),
        Column("task", "年度目标任务", span=2, kind=Kind.LONG),
        Column("item", "支出项目名称"),
        Column("amount", "预算金额", kind=Kind.MONEY),
    )),
    project_name="部门整体支出",
    footers=("单位负责人", "填表人", "联系电话"),
)

TEMPLATES = {template.code: template for template in (HUNAN, HUNAN_2023, ANHUI, LIST, SICHUAN, HUBEI, GUANGDONG, FUJIAN_DEPARTMENT)}
DEFAULT_TEMPLATE = HUNAN
# The forms whose sheets are no project's (a code not here, an old framework code too, is a project's).
WHOLE_DEPARTMENT_FORMS = frozenset(code for code, template in TEMPLATES.items() if template.whole_department)


def get_template(code: str) -> FormTemplate:
    """The sheet's form; a sheet stored before templates existed has its framework's code."""
    return TEMPLATES.get(code, DEFAULT_TEMPLATE)
