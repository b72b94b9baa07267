"""Forms for a sheet's header and for one indicator row; messages in Chinese."""
import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from wtforms import DecimalField, Field, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional, StopValidation, ValidationError
from wtforms.widgets import TextArea, TextInput

from .. import limits
from ..filters import money
from ..values import TooLarge, TooPrecise, format_month, parse_money, parse_year_month
from ..forms import BaseForm
from ..frameworks import STANDARDS, Framework


class VersionedForm(BaseForm):
    """A form for a row that others may change at the same time.

    It carries the version the user started from; saving over a newer version is a
    conflict to show, not an overwrite. A request without a version is not checked.
    """

    version = HiddenField()
    VERSION_OF = "version"  # the attribute of the object that the hidden field carries

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        if obj is not None and not self.version.raw_data:  # the version the user starts from
            self.version.data = getattr(obj, self.VERSION_OF)

    def populate_obj(self, obj):
        for name, field in self._fields.items():
            if name != "version":  # the database counts versions itself
                field.populate_obj(obj, name)

    def conflicts_with(self, obj) -> bool:
        return self.version.data not in (None, "") and str(self.version.data) != str(getattr(obj, self.VERSION_OF))

    def start_from(self, obj) -> None:
        """Let the next save overwrite obj as it is now (the user has seen it)."""
        self.version.data = getattr(obj, self.VERSION_OF)


class ParsedField:
    """Mixin: when the typed text does not parse, say only that, not also 'required'."""

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()


class MoneyField(ParsedField, DecimalField):
    """An amount in 万元, as a clerk types it: 14, 2.4, 全角 digits, 1,000."""

    # A text box, not type=number: that would refuse 全角 digits and change on a mouse wheel.
    widget = TextInput()

    def process_formdata(self, valuelist):
        self.data = None
        try:
            self.data = parse_money(valuelist[0] if valuelist else "")
        except (TooLarge, TooPrecise) as error:
            raise ValueError(str(error)) from None
        except ValueError:
            raise ValueError("请输入数字（单位：万元），例如 14 或 2.4") from None

    def _value(self):
        return self.raw_data[0] if self.raw_data else money(self.data)


class YearField(ParsedField, IntegerField):
    pass


class YearMonthField(ParsedField, Field):
    """A year-month as clerks write it (2021.1, 2021.01, 2021-01, 2021年1月), shown as the
    paper form writes it (2021.1); left empty it is simply not filled in yet."""

    widget = TextInput()

    def process_formdata(self, valuelist):
        text = valuelist[0].strip() if valuelist else ""
        self.data = parse_year_month(text) if text else None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return format_month(self.data)


def amount_required(message: str):
    def check(form, field):
        if field.data is None:
            raise StopValidation(message)

    return check


# The header's labels, worded as on the paper form; review findings name fields by them too.
LABELS = {
    "unit": "填报单位",
    "year": "年度",
    "project_name": "项目支出名称",
    "budget_dept": "预算部门",
    "local_budget": "年度本级预算金额",
    "higher_funds": "该项目支出上级资金",
    "period_start": "项目支出实施期（起）",
    "period_end": "项目支出实施期（止）",
    "period_goal": "实施期绩效目标",
    "annual_goal": "本年度绩效目标",
}


def at_most(characters: int, what: str) -> Length:
    return Length(max=characters, message=f"{what}不能超过{characters}个字")


class SheetForm(VersionedForm):
    """The header of a 项目支出绩效目标表, labelled as on the paper form."""

    VERSION_OF = "header_version"  # rows saved meanwhile are no conflict for the header

    unit = StringField(LABELS["unit"], [DataRequired("请填写填报单位"), at_most(limits.UNIT_NAME, "填报单位")])
    year = YearField(LABELS["year"], [InputRequired("请填写年度"), NumberRange(
        limits.FIRST_YEAR, limits.LAST_YEAR, f"年度应在{limits.FIRST_YEAR}至{limits.LAST_YEAR}之间")])
    project_name = StringField(
        LABELS["project_name"], [DataRequired("请填写项目支出名称"), at_most(limits.PROJECT_NAME, "项目支出名称")]
    )
    budget_dept = StringField(LABELS["budget_dept"], [at_most(limits.BUDGET_DEPT, "预算部门")])
    local_budget = MoneyField(
        LABELS["local_budget"], [amount_required("请填写年度本级预算金额"), NumberRange(min=0, message="金额不能为负数")]
    )
    higher_funds = MoneyField(LABELS["higher_funds"], [Optional(), NumberRange(min=0, message="金额不能为负数")])
    period_start = YearMonthField(LABELS["period_start"], [Optional()])
    period_end = YearMonthField(LABELS["period_end"], [Optional()])
    period_goal = TextAreaField(LABELS["period_goal"], [at_most(limits.GOAL_TEXT, LABELS["period_goal"])])
    annual_goal = TextAreaField(LABELS["annual_goal"], [at_most(limits.GOAL_TEXT, LABELS["annual_goal"])])


class IndicatorForm(VersionedForm):
    """One indicator row; its category must belong to the sheet's framework."""

    level1 = HiddenField()
    level2 = HiddenField()
    # A text area: names run to 100 characters, which a one-line box would hide. Still one line
    # of text: the form's normalising turns a typed line break into a space.
    name = StringField("三级指标", [DataRequired("请填写三级指标"), at_most(limits.INDICATOR_NAME, "三级指标")], widget=TextArea())
    value = StringField("指标值及单位", [at_most(limits.INDICATOR_VALUE, "指标值及单位")])
    standard = SelectField(
        "绩效标准",
        [AnyOf(STANDARDS, message="请选择绩效标准")],
        choices=[SelectChoice("", "请选择")] + [SelectChoice(standard, standard) for standard in STANDARDS],
        validate_choice=False,  # AnyOf says it in the form's words
    )

    def __init__(self, *args, framework: Framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.framework = framework

    def validate_level2(self, field):
        if not self.framework.has_category(self.level1.data, field.data):
            raise ValidationError("指标类别不属于本表的指标体系")


class CommentForm(BaseForm):
    """财政部门审核意见, given when approving or returning a sheet."""

    comment = TextAreaField("财政部门审核意见", [at_most(limits.COMMENT, "审核意见")])
