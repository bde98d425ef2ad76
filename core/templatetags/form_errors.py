"""What the shared form templates need to tell a person about a form sent back with errors."""

from __future__ import annotations

from typing import Any

from django import forms, template

register = template.Library()


@register.filter
def chosen_file_names(field: forms.BoundField) -> list[str]:
    """The names of the files the person chose in a file field of a form sent back with errors.

    A browser never lets a page put a file back into a file input, so these files are lost: the
    page names them and asks for them again.
    """
    if not isinstance(field.field, forms.FileField) or not field.form.is_bound:
        return []
    if not field.form.errors:
        return []
    value: Any = field.data
    files = value if isinstance(value, list | tuple) else [value]
    return [str(getattr(f, "name", "")) for f in files if getattr(f, "name", "")]


@register.filter
def first_input_id(field: forms.BoundField) -> str:
    """The id of the element a link to the field should focus (the first radio of a group)."""
    if field.widget_type in ("radioselect", "checkboxselectmultiple"):
        return f"{field.auto_id}_0"
    return str(field.auto_id)
