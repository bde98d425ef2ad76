"""The import page flow shared by every Excel import: upload → dry run → confirm.

::

    return run_import(
        request,
        purpose="plan-tasks",                 # one stash per purpose and user
        scope=plan.pk,                        # the confirm step must be for the same object
        read=lambda data: read_plan(plan, data),          # -> ReadResult, writes nothing
        write=lambda data: import_plan(plan, data, by=request.user),  # re-validates; all or none
        context={"title": ..., "back_url": ..., "back_label": ..., "columns": COLUMNS,
                 "sheet_name": ..., "template_url": ...},
        done_url=reverse(...),
    )

``read`` and ``write`` raise core.sheets.reading.BadWorkbook (or ValidationError) for a file-wide
problem; ``write`` must raise when the file has errors, so nothing is written. The page is
``core/import_preview.html`` unless ``template`` is given (extend it and override ``intro``, or
write a page of its own with the same context: error, result, token).

Options for a module with its own wording: ``done_message`` (the success message, formatted
with the counts, already translated), ``errors`` (more exception types whose message is shown as the file's
problem), and ``retry_url``: when given, a confirmation that cannot be carried out (an expired
or foreign token, a file that no longer passes) becomes an error message and a redirect there
instead of the preview page with status 400; ``expired_message`` then words the expired case.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.sheets.reading import BadWorkbook, ReadResult, read_bytes
from core.sheets.stash import (
    StoreUnavailable,
    drop_upload,
    peek_upload,
    stash_upload,
    take_upload,
)


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def run_import(
    request: HttpRequest,
    *,
    purpose: str,
    scope: Any,
    read: Callable[[bytes], ReadResult],
    write: Callable[[bytes], ReadResult],
    context: dict[str, Any],
    done_url: str,
    template: str = "core/import_preview.html",
    done_message: str | None = None,
    errors: tuple[type[Exception], ...] = (),
    retry_url: str | None = None,
    expired_message: str | None = None,
) -> HttpResponse:
    context = dict(context)
    # A service's refusal (a DomainError: e.g. a school merged into another) is the file's error too.
    refused: tuple[type[Exception], ...] = (BadWorkbook, ValidationError, DomainError, *errors)

    def not_confirmed(message: str) -> HttpResponse:
        if retry_url is not None:
            messages.error(request, message)
            return redirect(retry_url)
        context["error"] = message
        return render(request, template, context, status=400)

    if request.method == "POST" and "token" in request.POST:
        try:
            data = take_upload(request, purpose, request.POST.get("token", ""), scope)
        except StoreUnavailable as error:
            return not_confirmed(_message(error))
        except BadWorkbook as error:  # a wrong or stale token leaves a pending upload alone
            return not_confirmed(expired_message or _message(error))
        try:
            result = write(data)
        except refused as error:
            return not_confirmed(_message(error))
        finally:
            drop_upload(request, purpose)  # used once, whatever the outcome
        done = done_message or _(
            "Đã nhập: %(create)d mới, %(update)d cập nhật, %(unchanged)d không đổi."
        )
        messages.success(request, done % result.counts)
        return redirect(done_url)
    if request.method == "POST":
        try:
            data = read_bytes(request.FILES.get("file"))
            result = read(data)
        except refused as error:
            context["error"] = _message(error)
            return render(request, template, context, status=400)
        context["result"] = result
        if result.ok:
            title = str(context.get("title") or "")
            try:
                context["token"] = stash_upload(request, purpose, data, scope, title)
            except StoreUnavailable as error:
                context["error"] = _message(error)
                return render(request, template, context, status=503)
            return render(request, template, context)
        return render(request, template, context, status=400)
    if request.GET.get("resume"):
        # Back from the home page's "imports to confirm": the same check, the same file.
        pending = peek_upload(request, purpose, scope)
        if pending is not None:
            token, data = pending
            try:
                context["result"] = read(data)
            except refused as error:
                context["error"] = _message(error)
            else:
                context["token"] = token if context["result"].ok else None
    return render(request, template, context)
