"""The self-evaluation's forms: its money block and texts (EvaluationForm), and one form per
row (RowForm, its names prefixed with the row's id), all inside one HTML form on the page, so a
row, the money block or the whole table can be posted and read alike. Messages in Chinese."""
from dataclasses import dataclass, replace
from decimal import Decimal

from wtforms import BooleanField, Field, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import TextInput

from ...domain import evaluation, limits, measures
from ...domain.evaluation import ALL_PARTS, AMOUNTS, BANDS, Draft, RowDraft, format_amount, format_number
from ...domain.models import Evaluation, EvaluationRow
from ..forms import BaseForm
from ..sheets.forms import MoneyField, ParsedField, at_most

POINTS_PLACES = Decimal("0.01")


class PointsField(ParsedField, Field):
    """分值 or 得分 as typed (7.5, 全角 digits): 0 to 100, at most two decimals; empty is None."""

    widget = TextInput()

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not text:
            return
        number = measures.parse_number(text)
        if number is None:
            raise ValueError(f"{self.label.text}应为数字，例如 7.5")
        if not 0 <= number <= 100:
            raise ValueError(f"{self.label.text}应在0至100之间")
        if number != number.quantize(POINTS_PLACES):
            raise ValueError(f"{self.label.text}最多保留两位小数")
        self.data = number

    def _value(self):
        return self.raw_data[0] if self.raw_data else format_number(self.data)


def given(message: str):
    def check(form, field):
        if field.data is None:
            raise StopValidation(message)

    return check


def not_negative(form, field):
    if field.data is not None and field.data < 0:
        raise ValidationError(f"{field.label.text}不能为负数")


class RowForm(BaseForm):
    """One indicator row: 实际完成值, 分值, 不适用, and for a 定性 target its band and score."""

    class Meta:
        csrf = False  # one of many on the page; CSRFProtect checks every post's token itself

    actual = StringField("实际完成值", [at_most(limits.INDICATOR_VALUE, "实际完成值")])
    weight = PointsField("分值", [given("请填写分值")])
    not_applicable = BooleanField("不适用")
    band = SelectField("评价等级", choices=[SelectChoice("", "请选择等级"), *(SelectChoice(name, name) for name in BANDS)],
                       validate_choice=False)
    chosen = PointsField("得分")
    reason = TextAreaField("偏差原因分析及改进措施", [at_most(limits.EVALUATION_TEXT, "偏差原因分析及改进措施")])

    qualitative = False  # set per row: only a 定性 target is scored by a band

    def validate_band(self, field):
        if self.qualitative and field.data and field.data not in BANDS:
            raise ValidationError(f"评价等级应为{'、'.join(BANDS)}之一")

    def validate_chosen(self, field):
        if self.qualitative and self.band.data in BANDS and field.data is not None and self.weight.data is not None:
            if (why := evaluation.why_out_of_band(self.band.data, field.data, self.weight.data)) is not None:
                raise ValidationError(why)

    def typed(self, row: EvaluationRow) -> RowDraft:
        """The row as typed; a field typed wrong keeps what is stored, and says why (its errors)."""
        good = lambda name: not self[name].errors  # noqa: E731
        values = dict(
            actual=self.actual.data if good("actual") else row.actual,
            weight=self.weight.data if good("weight") else row.weight,
            applicable=not self.not_applicable.data,
            band=(self.band.data or "") if self.qualitative and good("band") else row.band,
            chosen=self.chosen.data if self.qualitative and good("chosen") else row.chosen,
            reason=self.reason.data if good("reason") else row.reason,
        )
        return RowDraft(row.indicator, row.position, written_score=row.written_score, id=row.id, **values)


def part_key(part: str, amount: str) -> str:
    return f"{part}_{amount}"


class EvaluationForm(BaseForm):
    """The money block (年度资金总额 and its 其中 rows) and the texts."""

    class Meta:
        csrf = False

    opening_budget = MoneyField("年初预算数", [not_negative])
    budget = MoneyField("全年预算数（A）", [not_negative])
    spent = MoneyField("全年执行数（B）", [not_negative])
    execution_reason = TextAreaField("执行率偏低原因", [at_most(limits.EXECUTION_REASON, "执行率偏低原因")])
    achieved = TextAreaField("实际完成情况", [at_most(limits.GOAL_TEXT, "实际完成情况")])
    conclusion = TextAreaField("评价结论", [at_most(limits.EVALUATION_TEXT, "评价结论")])
    problems = TextAreaField("存在问题", [at_most(limits.EVALUATION_TEXT, "存在问题")])
    improvements = TextAreaField("改进措施", [at_most(limits.EVALUATION_TEXT, "改进措施")])

    def typed(self, stored: Draft) -> Draft:
        """The money block and texts as typed over the stored ones (a field typed wrong keeps its stored value)."""
        values = {name: self[name].data if not self[name].errors else getattr(stored, name)
                  for name in ("opening_budget", "budget", "spent", *(key for key, _ in evaluation.TEXTS))}
        fields = dict(stored.fields)
        for part in ALL_PARTS:  # a part the page has no row for is posted empty
            for amount, _ in AMOUNTS:
                field = self[part_key(part, amount)]
                if not field.errors:
                    fields[f"{part}:{amount}"] = format_amount(field.data)
        return replace(stored, fields={key: text for key, text in fields.items() if text}, **values)


for _part in ALL_PARTS:
    for _amount, _label in AMOUNTS:
        setattr(EvaluationForm, part_key(_part, _amount), MoneyField(_label, [not_negative]))


@dataclass
class Typed:
    """The whole page's forms, and the self-evaluation as they say it (Draft)."""

    header: EvaluationForm
    rows: dict[int, RowForm]  # by EvaluationRow.id
    draft: Draft

    @property
    def header_errors(self) -> bool:
        return bool(self.header.errors)

    def row_errors(self, row_id: int) -> bool:
        return bool(self.rows[row_id].errors)

    @property
    def errors(self) -> int:
        """How many fields are typed wrong."""
        return len(self.header.errors) + sum(len(form.errors) for form in self.rows.values())


def typed(item: Evaluation) -> Typed:
    """The page's forms as posted, validated, and the self-evaluation they describe."""
    return _forms(item, posted=True)


def shown(item: Evaluation) -> Typed:
    """The page's forms holding what is stored."""
    return _forms(item, posted=False)


def _forms(item: Evaluation, posted: bool) -> Typed:
    stored = evaluation.draft_of(item)
    header = EvaluationForm() if posted else EvaluationForm(formdata=None, data=_header_data(item))
    rows = {}
    for row in item.rows:
        form = RowForm(prefix=f"row-{row.id}") if posted else RowForm(formdata=None, prefix=f"row-{row.id}", data=_row_data(row))
        form.qualitative = not evaluation.target_of(row).quantitative
        rows[row.id] = form
    if not posted:
        return Typed(header, rows, stored)
    header.validate()
    for form in rows.values():
        form.validate()
    draft = replace(header.typed(stored), rows=tuple(rows[row.id].typed(row) for row in item.rows))
    return Typed(header, rows, evaluation.forget_written(stored, draft))


def _header_data(item: Evaluation) -> dict:
    data = {name: getattr(item, name) for name in evaluation.HEADER_VALUES}
    for part in ALL_PARTS:
        for amount, _ in AMOUNTS:
            data[part_key(part, amount)] = evaluation.part_amount(item, part, amount)
    return data


def _row_data(row: EvaluationRow) -> dict:
    return dict(actual=row.actual, weight=row.weight, not_applicable=not row.applicable, band=row.band,
                chosen=row.chosen, reason=row.reason)
