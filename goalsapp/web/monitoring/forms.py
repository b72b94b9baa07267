"""Forms for opening a round and for filling in a monitoring; messages in Chinese."""
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional

from ...domain import limits
from ...domain.monitoring import CAUSES, POSSIBILITIES, money_label, row_label, row_problems
from ..forms import BaseForm
from ..sheets.forms import MoneyField, ParsedField, VersionedForm


class ChineseDateField(ParsedField, DateField):
    """A date as the browser's date box sends it (2021-07-15), said wrong in Chinese."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("请按“2021-07-15”的样子填写日期") from None


class RoundForm(BaseForm):
    """开启运行监控: the year, the month its data run to, the deadline."""

    year = IntegerField("年度", [InputRequired("请填写年度"), NumberRange(
        limits.FIRST_YEAR, limits.LAST_YEAR, f"年度应在{limits.FIRST_YEAR}至{limits.LAST_YEAR}之间")])
    # A select of the twelve months on the page (rounds.html); checked here as a number.
    month = IntegerField("截至月份", [InputRequired("请选择截至月份"), NumberRange(1, 12, "截至月份应在1至12之间")])
    deadline = ChineseDateField("截止日期", [InputRequired("请填写截止日期")])


class MoneyForm(VersionedForm):
    """The money block, in 万元, and the version of the monitoring the clerk started from."""

    initial_budget = MoneyField("年初预算数", [Optional(), NumberRange(min=0, message="金额不能为负数")])
    annual_budget = MoneyField("全年预算数", [Optional(), NumberRange(min=0, message="金额不能为负数")])
    spent = MoneyField("执行数", [Optional(), NumberRange(min=0, message="金额不能为负数")])
    expected_spending = MoneyField("全年预计执行数", [Optional(), NumberRange(min=0, message="金额不能为负数")])

    def label_months(self, months: str) -> None:
        """The labels as the form heads them: 1-6月执行数."""
        for field in ("initial_budget", "annual_budget", "spent", "expected_spending"):
            self[field].label.text = money_label(field, months)


def _choices(values: tuple[str, ...]) -> list[SelectChoice]:
    return [SelectChoice("", "请选择")] + [SelectChoice(value, value) for value in values]


class RowForm(BaseForm):
    """One monitoring row, its fields named row-<id>-…: a page holds one of these per row, all
    posted at once. Checked by the domain's row_problems, as a file's rows are."""

    class Meta:
        csrf = False  # the money form carries the page's token

    current = StringField("执行情况")
    expected = StringField("全年预计完成情况")
    possibility = SelectField("完成目标可能性", choices=_choices(POSSIBILITIES), validate_choice=False)
    cause = SelectField("偏差原因", choices=_choices(CAUSES), validate_choice=False)
    cause_note = StringField("偏差说明")
    remedy = TextAreaField("整改措施")
    note = StringField("备注")

    FIELDS = ("current", "expected", "possibility", "cause", "cause_note", "remedy", "note")

    def label_months(self, months: str) -> None:
        for field in self.FIELDS:
            self[field].label.text = row_label(field, months)

    def values(self) -> dict[str, str]:
        return {field: self[field].data or "" for field in self.FIELDS}

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field, message in row_problems(self.values()).items():
            self[field].errors = [*self[field].errors, f"{self[field].label.text}{message}"]
            valid = False
        return valid
