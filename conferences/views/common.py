"""Fetch-and-authorise helpers: every conference page checks against the conference itself."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from conferences.models import Conference
from core.permissions import get_authorised
from core.views import render_form

VIEW = "conferences.view_conference"
MANAGE = "conferences.manage_conference"
ANSWER = "conferences.answer_opinion"
ASSIGN = "conferences.assign_task"

M = TypeVar("M", bound=models.Model)


def get_conference(request: HttpRequest, pk: int, perm: str | None = None) -> Conference:
    return get_authorised(
        request.user,
        Conference.objects.select_related("school", "kind", "plan", "secretary"),
        VIEW,
        perm,
        pk=pk,
    )


def get_part(
    request: HttpRequest, queryset: models.QuerySet[M], pk: int, perm: str | None = None
) -> M:
    """A row of a conference: 404 to outsiders, 403 to members without the right."""
    obj = get_object_or_404(
        queryset.select_related("conference__school", "conference__kind"), pk=pk
    )
    conference: Any = obj.conference  # type: ignore[attr-defined]
    if not request.user.has_perm(VIEW, conference):
        raise Http404
    if perm and not request.user.has_perm(perm, conference):
        raise PermissionDenied
    return obj


def form_page(request: HttpRequest, form: Any, **kwargs: Any) -> HttpResponse:
    """core's form page, laid out for phones first (conferences are run from a phone)."""
    kwargs.setdefault("template", "conferences/form_page.html")
    return render_form(request, form, **kwargs)
