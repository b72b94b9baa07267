"""Forms for units and accounts."""
from sqlalchemy import select
from wtforms import IntegerField, PasswordField, SelectField, StringField
from wtforms.fields import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, ValidationError

from ...domain import limits
from ...domain.formtemplates import TEMPLATES
from ...domain.models import Role, Unit, User
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
