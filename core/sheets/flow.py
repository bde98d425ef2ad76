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
``core/import_preview.html`` unless ``template`` is given (extend it and override ``intro``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.sheets.reading import BadWorkbook, ReadResult, read_bytes
from core.sheets.stash import drop_upload, stash_upload, take_upload


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
) -> HttpResponse:
    context = dict(context)
    if request.method == "POST" and "token" in request.POST:
        try:
            data = take_upload(request, purpose, request.POST.get("token", ""), scope)
        except BadWorkbook as error:  # a wrong or stale token leaves a pending upload alone
            context["error"] = _message(error)
            return render(request, template, context, status=400)
        try:
            result = write(data)
        except (BadWorkbook, ValidationError) as error:
            context["error"] = _message(error)
            return render(request, template, context, status=400)
        finally:
            drop_upload(request, purpose)  # used once, whatever the outcome
        counts = result.counts
        messages.success(
            request,
            _("Đã nhập: %(create)d mới, %(update)d cập nhật, %(unchanged)d không đổi.") % counts,
        )
        return redirect(done_url)
    if request.method == "POST":
        try:
            data = read_bytes(request.FILES.get("file"))
            result = read(data)
        except (BadWorkbook, ValidationError) as error:
            context["error"] = _message(error)
            return render(request, template, context, status=400)
        context["result"] = result
        if result.ok:
            context["token"] = stash_upload(request, purpose, data, scope)
            return render(request, template, context)
        return render(request, template, context, status=400)
    return render(request, template, context)
