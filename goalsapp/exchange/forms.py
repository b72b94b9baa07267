"""Forms for uploading a file and confirming what it will create."""
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, NumberRange

from ..forms import BaseForm


class UploadForm(BaseForm):
    file = FileField("选择文件（.xlsx、.docx 或 Word 另存的 .txt）", [FileRequired("请选择要导入的文件")])


class ConfirmForm(BaseForm):
    """The upload to import; each sheet's duplicate choice comes as choice-N."""

    token = HiddenField(validators=[DataRequired()])
    filename = HiddenField(validators=[DataRequired()])


class UnitYearForm(BaseForm):
    unit = StringField(validators=[DataRequired()])
    year = IntegerField(validators=[InputRequired(), NumberRange(1900, 9999)])
