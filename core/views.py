"""What the pages of every domain share: one form page, and one way to run a service for a view
and tell the user how it went."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.versioning import EditConflict, VersionedFormMixin

T = TypeVar("T")


def render_form(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    back: str,
    submit: str | None = None,
    intro: str = "",
    extra: dict[str, Any] | None = None,
    template: str = "core/form_page.html",
) -> HttpResponse:
    """One page layout for every create/edit form."""
    context = {
        "form": form,
        "title": title,
        "back": back,
        "submit": submit or _("Lưu"),
        "intro": intro,
        **(extra or {}),
    }
    if getattr(form, "conflicted", None) is not None:
        status = 409  # core.versioning: someone saved in between; nothing was written
    else:
        status = 400 if form.is_bound and form.errors else 200
    return render(request, template, context, status=status)


@dataclass(frozen=True)
class Done(Generic[T]):
    """A service call that went through, with what the service returned."""

    value: T


def attempt(
    request: HttpRequest,
    action: Callable[[], T],
    *,
    form: forms.BaseForm | None = None,
    field: str | None = None,
    success: str | Callable[[T], str] | None = None,
    refused: Callable[[DomainError], object] | None = None,
) -> Done[T] | None:
    """Runs `action` (a service call) for a view and tells the user how it went.

    When it goes through: flashes `success` (a text, or made from what the service returned) and
    returns `Done(result)`, so that the view redirects. When a rule refuses it (a DomainError):
    the message goes on `form` (on `field`, or on the whole form), or without a form into a flash
    message, and None is returned: the view shows the form again, or redirects all the same. An
    edit conflict on a versioned form is shown by `form.conflict`, which arms the form for a
    deliberate second save. `refused`, when given, is then called with the error, for a page that
    shows more than its message (tracking's forms: the latest progress of a task updated in
    between).
    """
    try:
        value = action()
    except DomainError as error:
        if form is None:
            messages.error(request, str(error))
        elif isinstance(error, EditConflict) and isinstance(form, VersionedFormMixin):
            form.conflict(error)
        else:
            form.add_error(field, str(error))
        if refused is not None:
            refused(error)
        return None
    if success is not None:
        messages.success(request, success(value) if callable(success) else success)
    return Done(value)
