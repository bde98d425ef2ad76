"""What every plan page shares: the permissions it checks, the plan it loads, and the
confirmation page of an action that is not undone in one click."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.permissions import get_authorised
from core.views import attempt
from planning.forms import ConfirmForm
from planning.models import Plan
from planning.review import Review

VIEW = "planning.view_plan"
CHANGE = "planning.change_plan"


def authorised_plan(request: HttpRequest, pk: int, perm: str | None = None) -> Plan:
    """The plan the user may see (and act on with `perm`), or 404 / 403."""
    return get_authorised(request.user, Plan.objects.select_related("school"), VIEW, perm, pk=pk)


def confirm_page(
    request: HttpRequest,
    make_review: Callable[[], Review],
    *,
    seen: int,
    act: Callable[[], Any],
    success: str | Callable[[Any], str],
    done: str,
) -> HttpResponse:
    """The confirmation page of an action that is not undone in one click: GET shows the
    review; POST acts only when confirmed against what the user saw, else shows the review
    again."""
    form = ConfirmForm(request.POST or None, initial={"seen": seen})
    stale = ""
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["seen"] != seen:
            stale = _("Nội dung đã thay đổi kể từ khi trang này được mở. Hãy xem lại rồi xác nhận.")
            form = ConfirmForm(initial={"seen": seen})
        elif attempt(request, act, form=form, success=success):
            return redirect(done)
    data = make_review()
    if data.refusal:
        form = ConfirmForm(initial={"seen": seen})
    return render(request, "planning/confirm.html", {"review": data, "form": form, "stale": stale})
