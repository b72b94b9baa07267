"""The base of every form: Chinese messages, and no text the database cannot keep."""
from flask_wtf import FlaskForm

# Control characters (NUL above all: PostgreSQL refuses it) have no place in a form's text.
from .formreader import CONTROL


class BaseForm(FlaskForm):
    class Meta:
        locales = ("zh",)  # WTForms' own Chinese for its built-in messages

    def validate(self, extra_validators=None) -> bool:
        # First, before any validator that asks the database about the value.
        garbled = [field for field in self if isinstance(field.data, str) and CONTROL.search(field.data)]
        for field in garbled:
            field.errors = ["含有无法保存的控制字符，请删除后再试"]
        return not garbled and super().validate(extra_validators)
