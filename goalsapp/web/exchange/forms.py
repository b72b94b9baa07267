"""Forms for uploading a file and confirming what it will create."""
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, IntegerField, SelectField, StringField
from wtforms.fields import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional

from ...domain import limits
from ...domain.formtemplates import TEMPLATES
from ..forms import BaseForm


class UploadForm(BaseForm):
    file = FileField("选择文件（.xlsx、.docx 或 Word 另存的 .txt）", [FileRequired("请选择要导入的文件")])
    # For one who belongs to no unit (an administrator): forms often leave 填报单位 blank.
    unit = StringField("文件没写填报单位时，算作哪个单位", [Optional(), Length(max=limits.UNIT_NAME)])


class ConfirmForm(BaseForm):
    """The upload to import; each sheet's duplicate choice comes as choice-N; template is the
    form the user chose to read it in ("" for the one each table fits best)."""

    token = HiddenField(validators=[DataRequired()])
    filename = HiddenField(validators=[DataRequired()])
    template = HiddenField(validators=[Optional(), AnyOf(list(TEMPLATES), message="没有这个模板")])
    unit = HiddenField(validators=[Optional(), Length(max=limits.UNIT_NAME)])


class RereadForm(BaseForm):
    """Read the same upload again in another form: the preview's correction of the guess."""

    token = HiddenField(validators=[DataRequired()])
    filename = HiddenField(validators=[DataRequired()])
    unit = HiddenField(validators=[Optional(), Length(max=limits.UNIT_NAME)])
    template = SelectField("按此模板重新读取", choices=[SelectChoice(code, t.name) for code, t in TEMPLATES.items()],
                           validators=[AnyOf(list(TEMPLATES), message="没有这个模板")], validate_choice=False)


class UnitYearForm(BaseForm):
    unit = StringField(validators=[DataRequired()])
    year = IntegerField(validators=[InputRequired(), NumberRange(1900, 9999)])
