from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


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


def report_error(request: HttpRequest, error: Exception) -> None:
    messages.error(request, str(error))
