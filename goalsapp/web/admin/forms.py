"""Forms for units, accounts, each year's form and the indicator library."""
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from wtforms import IntegerField, PasswordField, SelectField, StringField
from wtforms.fields import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, ValidationError

from ...domain import library, limits
from ...domain.formtemplates import TEMPLATES
from ...domain.frameworks import STANDARDS
from ...domain.models import LibraryEntry, Role, Unit, User
from ...extensions import db
from ..forms import BaseForm

MIN_PASSWORD = 8


def strip(text: str | None) -> str | None:
    return text.strip() if isinstance(text, str) else text


class UnitForm(BaseForm):
    name = StringField("单位名称", [DataRequired("请填写单位名称"), Length(max=limits.UNIT_NAME)], filters=[strip])

    def validate_name(self, field):
        if db.session.scalars(select(Unit).where(Unit.name == field.data)).first():
            raise ValidationError("已有这个单位")


PASSWORD_RULES = [DataRequired("请填写密码"), Length(min=MIN_PASSWORD, message=f"密码至少{MIN_PASSWORD}位")]


class PasswordForm(BaseForm):
    password = PasswordField("新密码", PASSWORD_RULES)


class UserForm(BaseForm):
    username = StringField("用户名", [DataRequired("请填写用户名"), Length(max=60)], filters=[strip])
    display_name = StringField("姓名", [Length(max=60)], filters=[strip])
    role = SelectField("角色", choices=[SelectChoice(role.value, role.value) for role in Role])
    unit = SelectField("单位（填报人必选）", coerce=int)
    password = PasswordField("初始密码", PASSWORD_RULES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = db.session.scalars(select(Unit).order_by(Unit.name)).all()
        self.unit.choices = [SelectChoice(0, "（无）")] + [SelectChoice(unit.id, unit.name) for unit in units]

    def validate_username(self, field):
        if db.session.scalars(select(User).where(User.username == field.data)).first():
            raise ValidationError("用户名已被使用")

    def validate_unit(self, field):
        if self.role.data == Role.FILLER and not field.data:
            raise ValidationError("填报人必须属于一个单位")


class YearTemplateForm(BaseForm):
    """The form the bureau hands its units for a budget year."""

    year = IntegerField("年度", [InputRequired("请填写年度"), NumberRange(limits.FIRST_YEAR, limits.LAST_YEAR,
                                                                     f"年度应在{limits.FIRST_YEAR}至{limits.LAST_YEAR}之间")])
    template = SelectField("表样", choices=[SelectChoice(code, template.name) for code, template in TEMPLATES.items()],
                           validators=[AnyOf(list(TEMPLATES), message="没有这个表样")], validate_choice=False)


CATEGORY_SEPARATOR = "／"  # between the levels in the category's value: "产出指标／数量指标"


class LibraryEntryForm(BaseForm):
    """One of the bureau's library entries; its rules are the import's (library.entry_problems)."""

    category = SelectField("指标类别", validate_choice=False)
    name = StringField("三级指标")
    value = StringField("指标值")
    standard = SelectField("绩效标准", choices=[SelectChoice("", "（不填）")] + [SelectChoice(s, s) for s in STANDARDS],
                           validate_choice=False)

    def __init__(self, *args, categories: list[tuple[str, str]], entry: LibraryEntry | None = None, **kwargs):
        if entry is not None:
            kwargs.setdefault("data", {"category": category_value(entry.level1, entry.level2), "name": entry.name,
                                       "value": entry.value, "standard": entry.standard})
        super().__init__(*args, **kwargs)
        self.entry = entry
        self.category.choices = [SelectChoice(category_value(*pair), f"{pair[0]} › {pair[1]}") for pair in categories]

    @property
    def levels(self) -> tuple[str, str]:
        level1, _, level2 = (self.category.data or "").partition(CATEGORY_SEPARATOR)
        return level1, level2

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        level1, level2 = self.levels
        problems = library.entry_problems(level1, level2, self.name.data or "", self.value.data or "", self.standard.data or "")
        for key, problem in problems.items():
            self["category" if key in ("level1", "level2") else key].errors.append(problem)
        same = library.entry_named(level1, level2, self.name.data or "") if not problems else None
        if same is not None and same is not self.entry:
            self.name.errors.append("这一类已有这个指标，请直接修改它")
        return valid and not problems and (same is None or same is self.entry)

    def populate(self, entry: LibraryEntry) -> None:
        entry.level1, entry.level2 = self.levels
        entry.name, entry.value, entry.standard = self.name.data, self.value.data or "", self.standard.data or ""


def category_value(level1: str, level2: str) -> str:
    return f"{level1}{CATEGORY_SEPARATOR}{level2}"


class LibraryImportForm(BaseForm):
    file = FileField("Excel 文件（.xlsx）", [FileRequired("请选择要导入的文件")])
