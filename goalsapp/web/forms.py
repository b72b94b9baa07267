"""The base of every form: Chinese messages, and every text normalised before it is checked."""
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, TextAreaField
from wtforms.validators import Length

from ..domain import limits
from ..domain.text import normalize


class BaseForm(FlaskForm):
    class Meta:
        locales = ("zh",)  # WTForms' own Chinese for its built-in messages

        def bind_field(self, form, unbound_field, options):
            """Every text field goes through text.normalize first (a missing one reads as ""),
            so no form can let in what another part of the app cannot keep."""
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                first = normalized_text(multiline=issubclass(field_class, TextAreaField))
                options["filters"] = [first, *unbound_field.kwargs.get("filters", ())]
            return unbound_field.bind(form=form, **options)


def normalized_text(multiline: bool):
    """A filter for typed text; other values (a version number from the object) pass as they are."""
    def normalized(value):
        return normalize(value, multiline) if value is None or isinstance(value, str) else value
    return normalized


def at_most(characters: int, what: str) -> Length:
    return Length(max=characters, message=f"{what}不能超过{characters}个字")


class CommentForm(BaseForm):
    """财政部门审核意见, given when approving or returning a reviewed document."""

    comment = TextAreaField("财政部门审核意见", [at_most(limits.COMMENT, "审核意见")])
