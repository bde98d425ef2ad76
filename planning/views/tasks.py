"""A task's page and form, with its coordinating units and its bases."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.audit import history_entries
from core.permissions import get_authorised, require
from core.query import id_param
from core.requests import SignedInRequest
from core.views import attempt, render_form
from organisations.models import Organisation
from planning import services
from planning.forms import CoordinationFormSet, TaskBasisForm, TaskForm
from planning.models import Plan, Task, TaskBasis
from planning.tree import build_tree, flatten, task_rows, tree_context
from planning.views.common import CHANGE, VIEW, authorised_plan


@login_required
def task_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    task = get_authorised(
        request.user,
        Task.objects.select_related(
            "plan__school",
            "parent",
            "area",
            "lead_unit",
            "person_in_charge",
            "target",
            "owner_unit",
            "serves",
            "carried_from__plan__school",
        ),
        VIEW,
        pk=pk,
    )
    can_change = request.user.has_perm("planning.change_task", task)
    # Carried into another school's plan by a merger (planning.handover): which school and year,
    # read across schools on purpose (the copy itself is the other school's).
    handed_to = [
        (plan.school.name, plan.year_label)
        for plan in Plan._base_manager.filter(tasks__carried_from=task)
        .exclude(school_id=task.plan.school_id)
        .select_related("school")
        .distinct()
    ]
    context = {
        "task": task,
        "plan": task.plan,
        "children": flatten(build_tree(task_rows(task.children.active()))),
        **tree_context(),
        "coordinations": task.coordinations.active().select_related("unit"),
        "bases": task.basis_links.active().select_related("document__doc_type"),
        "unit_tasks": task.unit_tasks.active().select_related("owner_unit", "lead_unit"),
        # Where the task came from when a conference opinion or conclusion created it.
        "from_opinions": task.from_opinions.select_related("conference"),
        "from_conclusions": task.from_conclusions.select_related("conference"),
        "handed_to": handed_to,
        "can_change": can_change,
        "basis_form": TaskBasisForm(school_id=task.plan.school_id) if can_change else None,
        "history": history_entries(task),
    }
    return render(request, "planning/task_detail.html", context)


@login_required
def task_form(
    request: SignedInRequest, plan_pk: int | None = None, pk: int | None = None
) -> HttpResponse:
    """Create or edit a task with its coordinating units, each with its own duty line."""
    if pk is not None:
        task = get_authorised(
            request.user,
            Task.objects.select_related("plan", "owner_unit"),
            VIEW,
            "planning.change_task",
            pk=pk,
        )
        plan = task.plan
        owner_unit = task.owner_unit
    else:
        plan = authorised_plan(request, plan_pk)  # type: ignore[arg-type]  # the URL without pk has plan_pk
        owner_unit = None
        unit_id = id_param(request.GET, "unit")
        if unit_id is not None:
            owner_unit = get_object_or_404(Organisation, pk=unit_id, school_id=plan.school_id)
            require(request.user, "planning.add_unit_task", owner_unit)
        else:
            require(request.user, CHANGE, plan)
        parent = plan.tasks.active().filter(pk=id_param(request.GET, "parent") or 0).first()
        task = Task(
            plan=plan,
            parent=parent,
            owner_unit=owner_unit,
            lead_unit=owner_unit,
            kind="solution"
            if parent and parent.kind == "task"
            else ("activity" if parent else "task"),
        )
    form = TaskForm(request.POST or None, instance=task, plan=plan, owner_unit=owner_unit)
    initial = (
        [{"unit": c.unit_id, "duty": c.duty} for c in task.coordinations.active()]
        if task.pk
        else []
    )
    formset = CoordinationFormSet(
        request.POST or None,
        initial=initial,
        prefix="coord",
        form_kwargs={"school_id": plan.school_id},
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = [
            (f.cleaned_data["unit"], f.cleaned_data.get("duty", ""))
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]

        @transaction.atomic
        def save() -> None:
            services.save_plan_object(
                form.instance, by=request.user, expected_version=form.expected_version
            )
            services.place_by_number(form.instance)
            services.set_coordinations(form.instance, rows, by=request.user)

        if attempt(request, save, form=form):
            return redirect("planning:task_detail", pk=form.instance.pk)
    back = (
        reverse("planning:task_detail", args=[pk])
        if pk
        else reverse("planning:plan_detail", args=[plan.pk])
    )
    return render_form(
        request,
        form,
        title=_("Sửa nhiệm vụ") if pk else _("Thêm nhiệm vụ"),
        back=back,
        extra={"formset": formset},
        template="planning/task_form.html",
    )


@login_required
@require_POST
def basis_add(request: SignedInRequest, pk: int) -> HttpResponse:
    task = get_authorised(
        request.user, Task.objects.select_related("plan"), VIEW, "planning.change_task", pk=pk
    )
    form = TaskBasisForm(request.POST, school_id=task.plan.school_id)
    if form.is_valid():
        document, clause = form.cleaned_data["document"], form.cleaned_data["clause"]
        attempt(
            request, lambda: services.link_basis(task, document, clause=clause, by=request.user)
        )
    else:
        messages.error(request, _("Hãy chọn một văn bản trong sổ văn bản."))
    return redirect("planning:task_detail", pk=task.pk)


@login_required
@require_POST
def basis_remove(request: SignedInRequest, pk: int) -> HttpResponse:
    link = get_authorised(
        request.user, TaskBasis.objects.select_related("task__plan"), VIEW, None, pk=pk
    )
    require(request.user, "planning.change_task", link.task)
    attempt(request, lambda: services.unlink_basis(link, by=request.user))
    return redirect("planning:task_detail", pk=link.task_id)
