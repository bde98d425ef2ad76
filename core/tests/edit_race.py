"""Two editors racing on one edit form: shared by the apps' lost-update tests (core.versioning)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.test import Client


def form_data(response: Any, **changes: Any) -> dict[str, Any]:
    """What the browser would post back from the rendered form (and formset), with `changes`."""
    data: dict[str, Any] = {}
    bound = [response.context["form"]]
    formset = response.context.get("formset")
    if formset is not None:
        bound.append(formset.management_form)
        bound.extend(formset.forms)
    for form in bound:
        for field in form:
            value = field.value()
            widget = field.field.widget
            if isinstance(widget, forms.CheckboxInput):
                if value:
                    data[field.html_name] = "on"
                continue
            if value is None:
                continue
            if isinstance(widget, forms.SelectMultiple):
                data[field.html_name] = [str(v) for v in value]
                continue
            if isinstance(widget, forms.FileInput):
                continue
            formatted = widget.format_value(value)
            if isinstance(formatted, list):
                formatted = formatted[0] if formatted else ""
            data[field.html_name] = "" if formatted is None else formatted
    data.update({key: str(value) for key, value in changes.items()})
    return data


@dataclass
class Race:
    first: Any  # the first editor's response to their save
    second: Any  # the second editor's response: the conflict page


def race(url: str, first: Client, second: Client, mine: dict, theirs: dict) -> Race:
    """Both open the form, the first saves `mine`, then the second saves `theirs`."""
    first_page = first.get(url)
    second_page = second.get(url)
    assert first_page.status_code == 200
    assert second_page.status_code == 200
    return Race(
        first=first.post(url, form_data(first_page, **mine)),
        second=second.post(url, form_data(second_page, **theirs)),
    )


def conflict_message(response: Any) -> str:
    return " ".join(response.context["form"].non_field_errors())
