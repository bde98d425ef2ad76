"""Form helpers shared by every app: Vietnamese date inputs, Bootstrap classes, school scoping."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _


class DateInput(forms.DateInput):
    """A date typed as dd/mm/yyyy.

    Native date pickers follow the browser's own language, so an English browser would show
    mm/dd/yyyy; a text box keeps the Vietnamese order everywhere.
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")


class StyledFormMixin:
    """Bootstrap classes on every widget, so templates render fields plainly."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)
            _name_empty_choice(field)
            if isinstance(field, forms.DecimalField):
                # Vietnamese users type "1.234,5": a text box that the localised field parses.
                field.localize = True
                field.widget = forms.TextInput(attrs={"class": css, "inputmode": "decimal"})
                field.widget.is_localized = True


def empty_choice_label(field: forms.Field) -> str:
    """What a list shows before anything is chosen, in words instead of Django's "---------":
    "— Chọn đơn vị chủ trì —" where a choice is needed, "— Không chọn —" where none is."""
    if field.required:
        label = str(field.label or "").strip().rstrip(":")
        label = label[:1].lower() + label[1:]  # "Đơn vị chủ trì" → "đơn vị chủ trì", "CSDL" stays
        return _("— Chọn %(what)s —") % {"what": label} if label else _("— Chọn —")
    return _("— Không chọn —")


def set_required(field: forms.Field, required: bool = True) -> None:
    """Make a field required (or optional) after the form's ``__init__`` styled it, naming its
    empty choice again: a list the form makes required says "— Chọn … —", not "— Không chọn —"."""
    field.required = required
    _name_empty_choice(field)


def _name_empty_choice(field: forms.Field) -> None:
    if isinstance(field, forms.ModelMultipleChoiceField):
        return
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label is not None:
            field.empty_label = empty_choice_label(field)
    elif isinstance(field, forms.ChoiceField) and not isinstance(field.widget, forms.RadioSelect):
        label = empty_choice_label(field)
        choices: Any = field.choices  # normalised by Django to (value, text) pairs
        field.choices = [(value, label if value in ("", None) else text) for value, text in choices]
