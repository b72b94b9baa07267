"""Sizes no real form reaches, in one place: the editor's forms, the file readers and the
database keep to the same numbers, so what one accepts the others can store and export."""

FIRST_YEAR, LAST_YEAR = 2000, 2100  # budget years a sheet may have
# Years a 实施期 may start or end in: multi-year projects reach a few decades either side,
# and a copy moved forward stays a real date.
PERIOD_FIRST_YEAR, PERIOD_LAST_YEAR = FIRST_YEAR - 50, LAST_YEAR + 50

# Ids in URLs and posted forms: what every database's INTEGER holds; a bigger one names no row.
ROW_ID_MAX = 2**31 - 1

# Characters per text.
UNIT_NAME = 100
PROJECT_NAME = 200
BUDGET_DEPT = 100
GOAL_TEXT = 5000  # 实施期绩效目标, 本年度绩效目标: real ones run to a few hundred characters
INDICATOR_NAME = 100  # 三级指标
INDICATOR_VALUE = 100  # 指标值及单位
INDICATOR_STANDARD = 20  # 绩效标准: one of four short names (frameworks.STANDARDS)
COMMENT = 2000  # 财政部门审核意见
FIELD_TEXT = 200  # a form's other one-line fields (实施单位, 项目负责人, 项目期…) and footers
MONITORING_TEXT = 500  # a monitoring row's 偏差原因 note, 整改措施 and 备注: a few sentences each
# The year-end self-evaluation's own, as its published forms set them (财预〔2020〕10号, Sichuan 2023).
EVALUATION_TEXT = 200  # 评价结论, 存在问题, 改进措施, and a row's 偏差原因分析及改进措施: "≤200字"
EXECUTION_REASON = 100  # why the budget was executed under 90%: "≤100字"

# Counts.
INDICATORS_PER_SHEET = 300  # real sheets hold 10–40 rows
SUBTABLE_ROWS = 100  # a form's sub-table (年度履职目标): a department's tasks run to a few dozen
SHEETS_PER_FILE = 300  # a whole department's year in one workbook
LIBRARY_ENTRIES = 5000  # the bureau's indicator library: a province's runs to a few thousand
# A whole file: a department's year is a few hundred to a few thousand rows; more would make a
# preview page of tens of megabytes.
INDICATORS_PER_FILE = 20_000
