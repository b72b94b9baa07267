"""The base of every form: Chinese messages, every text normalised before it is checked, and
boxes drawn without WTForms' slow attribute writer."""
import copy

from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import PasswordField, StringField, TextAreaField, widgets
from wtforms.validators import Length

from ..domain import limits
from ..domain.text import normalize


class BaseForm(FlaskForm):
    class Meta:
        locales = ("zh",)  # WTForms' own Chinese for its built-in messages

        def bind_field(self, form, unbound_field, options):
            """Every text field goes through text.normalize first (a missing one reads as ""),
            so no form can let in what another part of the app cannot keep; and every box is
            drawn by a widget that writes its attributes quickly (QuickAttributes)."""
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                first = normalized_text(multiline=issubclass(field_class, TextAreaField))
                options["filters"] = [first, *unbound_field.kwargs.get("filters", ())]
            widget = unbound_field.kwargs.get("widget") or getattr(field_class, "widget", None)
            if type(widget) in QUICK:
                options.setdefault("widget", quick(widget))
            return unbound_field.bind(form=form, **options)


class QuickAttributes:
    """WTForms' html_params, the same attributes in the same order and escaping, without
    Markup.format: its string formatter was two thirds of drawing an input (the editor draws ten)."""

    @staticmethod
    def html_params(**attributes) -> Markup:
        params = []
        for key, value in sorted(attributes.items()):
            key = widgets.core.clean_key(key)
            if value is True:
                params.append(key)
            elif value is not False:
                params.append(f'{escape(key)}="{escape(value)}"')
        return Markup(" ".join(params))


# The inputs (a textarea writes its attributes through the module's function, not its own).
QUICK = {kind: type(kind.__name__, (QuickAttributes, kind), {})
         for kind in (widgets.TextInput, widgets.HiddenInput, widgets.PasswordInput, widgets.NumberInput)}


def quick(widget):
    """The same widget (its settings kept), drawing with QuickAttributes."""
    faster = copy.copy(widget)
    faster.__class__ = QUICK[type(widget)]
    return faster


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
