"""A plan's or a task's bases read from a text: the register's import page, linked here."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import reverse

from core.permissions import get_authorised
from core.requests import SignedInRequest
from documents.models import Document
from documents.views import ImportTarget, import_page
from planning import services
from planning.models import Plan, Task


@login_required
def plan_bases_import(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = get_authorised(request.user, Plan, "planning.view_plan", "planning.change_plan", pk=pk)

    def link(documents: list[Document]) -> None:
        services.add_plan_bases(plan, documents, by=request.user)

    back = reverse("planning:plan_detail", args=[plan.pk])
    return import_page(request, ImportTarget(back=back, link=link, context={"plan": plan}))


@login_required
def task_bases_import(request: SignedInRequest, pk: int) -> HttpResponse:
    task = get_authorised(
        request.user,
        Task.objects.select_related("plan"),
        "planning.view_plan",
        "planning.change_task",
        pk=pk,
    )

    def link(documents: list[Document]) -> None:
        services.add_task_bases(task, documents, by=request.user)

    back = reverse("planning:task_detail", args=[task.pk])
    return import_page(request, ImportTarget(back=back, link=link, context={"task": task}))
