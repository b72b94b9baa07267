"""Forms for a sheet's header and for one indicator row; messages in Chinese."""
from functools import cache

from wtforms import DecimalField, Field, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, NumberRange, Optional, StopValidation, ValidationError
from wtforms.widgets import TextArea, TextInput

from ...domain import limits, measures, values
from ...domain.formtemplates import INDICATOR_COLUMNS, SPLIT_COLUMNS, Kind, get_template, shown_label
from ...domain.frameworks import STANDARDS
from ...domain.values import NotANumber, TooLarge, TooPrecise, format_month, in_unit, parse_money, parse_year_month
from ..filters import money
from ..forms import BaseForm, at_most


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
    """An amount as a clerk types it (14, 2.4, 全角 digits, 1,000) in the sheet's money unit,
    万元 unless its form or file says 元; stored as 万元."""

    # A text box, not type=number: that would refuse 全角 digits and change on a mouse wheel.
    widget = TextInput()
    unit = "万元"

    def process_formdata(self, valuelist):
        self.data = None
        try:
            self.data = parse_money(valuelist[0] if valuelist else "", self.unit)
        except (TooLarge, TooPrecise) as error:
            raise ValueError(str(error)) from None
        except ValueError:
            raise ValueError(f"请输入数字（单位：{self.unit}），例如 14 或 2.4") from None

    def in_unit(self, unit: str) -> None:
        """Read the typing again in the sheet's unit (the form is made before the sheet is known)."""
        self.unit = unit
        if self.raw_data:
            self.process_errors = []
            try:
                self.process_formdata(self.raw_data)
            except ValueError as error:
                self.process_errors.append(str(error))

    def _value(self):
        return self.raw_data[0] if self.raw_data else money(None if self.data is None else in_unit(self.data, self.unit))


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


def written_amount(form, field) -> None:
    """An amount kept as typed (a form's 其中：财政拨款, a sub-table's 预算金额), in the sheet's
    money unit (form.money_unit): held to values.written_amount, as a file is; typing that is no
    number at all is told how to write one."""
    try:
        values.written_amount(field.data or "", form.money_unit)
    except NotANumber:
        raise ValidationError(f"请输入数字（单位：{form.money_unit}），例如 14 或 2.4") from None
    except ValueError as error:
        raise ValidationError(str(error)) from None


# The header fields every form has a place for, stored in GoalSheet's columns; period is two.
COLUMN_FIELDS = {"unit": ("unit",), "project_name": ("project_name",), "budget_dept": ("budget_dept",),
                 "local_budget": ("local_budget",), "higher_funds": ("higher_funds",),
                 "period": ("period_start", "period_end"), "period_goal": ("period_goal",), "annual_goal": ("annual_goal",)}


@cache
def header_form(code: str) -> type[SheetForm]:
    """The header form of one template: its own fields besides the columns' (实施单位, 项目期…),
    each labelled as the form labels it."""
    template = get_template(code)
    extras = {}
    for field in template.header:
        if field.stored_in_column:
            continue
        assert not hasattr(SheetForm, field.key), field.key  # a form attribute would be shadowed
        long = field.kind == Kind.LONG
        limit = limits.GOAL_TEXT if long else limits.FIELD_TEXT
        checks = [at_most(limit, shown_label(field.label))] + ([written_amount] if field.kind == Kind.MONEY else [])
        extras[field.key] = (TextAreaField if long else StringField)(shown_label(field.label), checks)
    return type(f"HeaderForm[{code}]", (TemplateHeaderForm,), {"template": template, "money_unit": template.money_unit, **extras})


class TemplateHeaderForm(SheetForm):
    """SheetForm for one template (header_form makes one per template): the columns it has,
    in its words, and its other fields kept in GoalSheet.fields."""

    template = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        present = {name for field in self.template.header for name in COLUMN_FIELDS.get(field.key, ())}
        for names in COLUMN_FIELDS.values():
            for name in names:
                if name not in present and name != "unit":
                    del self[name]  # a column this form has no place for
        for field in self.template.header:
            for name in COLUMN_FIELDS.get(field.key, (field.key,)):
                suffix = {"period_start": "（起）", "period_end": "（止）"}.get(name, "")
                self[name].label.text = shown_label(field.label) + suffix

    @classmethod
    def for_sheet(cls, sheet, **kwargs):
        """The form over a stored sheet: its other fields from GoalSheet.fields (WTForms reads
        only attributes from obj), its amounts in the sheet's money unit."""
        written = {field.key: sheet.written(field.key) for field in cls.template.header if not field.stored_in_column}
        form = cls(obj=sheet, data=written | kwargs.pop("data", {}), **kwargs)
        form.money_unit = sheet.money_unit
        for name in ("local_budget", "higher_funds"):
            if name in form:
                form[name].in_unit(sheet.money_unit)
        return form

    def project_name_given(self) -> str:
        """The project the form names: typed, or the form's own name for its sheets (部门整体支出)."""
        return self.project_name.data if "project_name" in self else self.template.project_name

    def ordered(self) -> list:
        """The form's fields in the order the paper form has them."""
        names = ["unit", "year"] + [name for field in self.template.header if field.key != "unit"
                                    for name in COLUMN_FIELDS.get(field.key, (field.key,))]
        return [self[name] for name in names if name in self]

    def populate_obj(self, obj):
        """The columns as typed; the form's other fields into GoalSheet.fields; a value kept as
        written ("250万") forgotten once the clerk changes it."""
        before = {key: _column_value(obj, key) for key in COLUMN_FIELDS}
        super().populate_obj(obj)
        obj.project_name = self.project_name_given()
        written = dict(obj.fields or {})
        for key, value in before.items():
            if _column_value(obj, key) != value:
                written.pop(key, None)
        for field in self.template.header:
            if not field.stored_in_column:
                written[field.key] = self[field.key].data or ""
        obj.fields = written


def _column_value(sheet, key: str):
    return tuple(getattr(sheet, name, None) for name in COLUMN_FIELDS[key])


def field_labels(template) -> dict[str, str]:
    """Form field name → the form's label, for naming a finding's field."""
    labels = {"unit": LABELS["unit"], "year": LABELS["year"]}
    for field in template.header:
        for name in COLUMN_FIELDS.get(field.key, (field.key,)):
            labels[name] = shown_label(field.label) + {"period_start": "（起）", "period_end": "（止）"}.get(name, "")
    return labels


class IndicatorForm(VersionedForm):
    """One indicator row; its category must belong to the sheet's framework.

    The value is kept in one text (measures.py). How it is understood (指标性质, 数值, 度量单位)
    is edited beside it: on a 101-style form these are its own columns, the text made from them;
    on the others they sit under the value, with the text they were read from (read_from), so a
    text changed since is read afresh, and parts the clerk changed are their reading of it."""

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
    # A spelling of a file's own (">=") stays one of the choices of its row: kept unless changed.
    nature = SelectField("指标性质", choices=[SelectChoice("", "—")] + [SelectChoice(n, n) for n in measures.NATURES],
                         validate_choice=False)
    number = StringField("数值", [at_most(limits.INDICATOR_VALUE, "数值")])
    measure = StringField("度量单位", [at_most(limits.INDICATOR_VALUE, "度量单位")])
    read_from = HiddenField()
    template = None  # the FormTemplate: indicator_form makes one class per template

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.template.has_standard:
            del self.standard  # Anhui's and Sichuan's forms set no 绩效标准
        if self.template.splits_value:
            del self.number, self.read_from  # its 指标值 is the number
        for key, title in self.template.column_titles.items():
            self[key].label.text = title
        if self.nature.data and self.nature.data not in measures.NATURES:
            self.nature.choices = [*self.nature.choices, SelectChoice(self.nature.data, self.nature.data)]

    @classmethod
    def for_indicator(cls, indicator, **kwargs):
        """The form over a stored row: its other columns from Indicator.extra, and the value with
        how it is understood, as the row's form shows them."""
        data = {"level1": indicator.level1, "level2": indicator.level2, "name": indicator.name, "standard": indicator.standard,
                "version": indicator.version, **{key: text for key, text in (indicator.extra or {}).items() if key not in measures.GIVEN}}
        if cls.template.splits_value:
            data |= {key: indicator.cell(key, cls.template) for key in SPLIT_COLUMNS}
        else:
            data |= understood(indicator.measure) | {"value": indicator.value, "read_from": indicator.value}
        return cls(data=data, **kwargs)

    def holds(self, indicator) -> bool:
        """Says what the stored row says, in its category and every column."""
        cells = [(self[column.key].data or "", indicator.cell(column.key) or "") for column in self.template.columns]
        return (self.level1.data, self.level2.data) == (indicator.level1, indicator.level2) and all(a == b for a, b in cells)

    def columns(self) -> list:
        """The row's inputs in the order the form's columns are."""
        return [self[column.key] for column in self.template.columns]

    def reading_fields(self) -> list:
        """How the value is understood, beside it, on a form that keeps the value in one column."""
        return [] if self.template.splits_value else [self.nature, self.number, self.measure, self.read_from]

    def reading(self) -> tuple[str, dict[str, str]]:
        """The value to keep and the cells kept beside it (measures.GIVEN), as the clerk has them."""
        value = self.value.data or ""
        if self.template.splits_value:
            return measures.from_cells(self.nature.data or "", value, self.measure.data or "", as_written=False)
        if self.nature.data and self.read_from.data == self.value.data:
            return measures.chosen(value, self.nature.data, self.number.data or "", self.measure.data or "")
        return value, {}

    def refused(self) -> tuple[Field, str] | None:
        """Why the reading typed cannot be kept, and where: a 指标性质 that compares (≥ ≤ ＝ ＞ ＜)
        needs a number. Parts read from a value changed since are not the clerk's: no reason."""
        number = self.value if self.template.splits_value else self.number
        if not self.template.splits_value and self.read_from.data != self.value.data:
            return None
        refused = measures.refusal(self.nature.data or "", number.data or "", self.measure.data or "", number.label.text)
        if refused is None:
            return None
        part, message = refused
        return (number if part == "number" else self.measure), message

    def live(self) -> dict[str, str]:
        """What saving now would keep of the value, for the editor to follow as the clerk types
        (app.js): the value, its parts, and how it reads; or why it cannot be kept."""
        if refused := self.refused():
            return {"error": refused[1]}
        value, given = self.reading()
        measure = measures.of(value, given)
        return {"value": value, **understood(measure), "tag": measures.tag(measure)}

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if refused := self.refused():
            field, message = refused
            field.errors.append(message)
        return valid and not refused

    def populate_obj(self, obj):
        value, given = self.reading()
        obj.level1, obj.level2, obj.name, obj.value = self.level1.data, self.level2.data, self.name.data, value
        if "standard" in self:
            obj.standard = self.standard.data
        obj.extra = {column.key: self[column.key].data or "" for column in self.template.columns
                     if column.key not in INDICATOR_COLUMNS and column.key not in SPLIT_COLUMNS} | given

    def validate_level2(self, field):
        if not self.template.framework.has_category(self.level1.data, field.data):
            raise ValidationError("指标类别不属于本表的指标体系")


def understood(measure: measures.Measure) -> dict[str, str]:
    """A value's reading as the form's parts show it: 指标性质, 数值, 度量单位 ("—" for no value)."""
    if measure.quantitative:
        return {"nature": measure.nature, "number": measures.format_number(measure.number), "measure": measure.unit}
    return {"nature": measures.QUALITATIVE if measure.written else "", "number": "", "measure": ""}


@cache
def indicator_form(code: str) -> type[IndicatorForm]:
    """The row form of one template: 指标性质, 度量单位, 权重… where the form has them."""
    template = get_template(code)
    titles = template.column_titles
    extras = {column.key: StringField(titles[column.key], [at_most(limits.INDICATOR_VALUE, titles[column.key])])
              for column in template.columns if column.key not in INDICATOR_COLUMNS and column.key not in SPLIT_COLUMNS}
    return type(f"IndicatorForm[{code}]", (IndicatorForm,), {"template": template, **extras})
