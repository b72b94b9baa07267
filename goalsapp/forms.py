"""The base of every form: Chinese messages, and no text the database cannot keep."""
from flask_wtf import FlaskForm

# Control characters (NUL above all: PostgreSQL refuses it) have no place in a form's text.
from .formreader import CONTROL


class BaseForm(FlaskForm):
    class Meta:
        locales = ("zh",)  # WTForms' own Chinese for its built-in messages

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field.data, str) and CONTROL.search(field.data):
                field.errors = [*field.errors, "含有无法保存的控制字符，请删除后再试"]
                valid = False
        return valid
