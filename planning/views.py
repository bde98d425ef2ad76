"""Plan pages: thin views that parse, authorise, call a service and render."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.audit import history_entries
from core.permissions import get_authorised, require
from core.query import id_param
from core.versioning import EditConflict
from core.views import render_form, report_error
from organisations.membership import membership_of
from organisations.models import Organisation
from organisations.permissions import member_school_id
from planning import services
from planning.forms import (
    AllocationForm,
    AmendmentForm,
    CoordinationFormSet,
    CopyPlanForm,
    DecisionForm,
    PlanBasesForm,
    PlanForm,
    ProposalForm,
    StrategicGoalForm,
    TargetForm,
    TaskBasisForm,
    TaskForm,
    WorkAreaForm,
)
from planning.models import (
    Plan,
    StrategicGoal,
    Target,
    TargetAllocation,
    Task,
    TaskBasis,
    TaskCoordination,
    WorkArea,
)

VIEW = "planning.view_plan"
CHANGE = "planning.change_plan"


def _plan(request: HttpRequest, pk: int, perm: str | None = None) -> Plan:
    return get_authorised(request.user, Plan.objects.select_related("school"), VIEW, perm, pk=pk)


def _active_coordinations() -> Prefetch:
    return Prefetch(
        "coordinations",
        queryset=TaskCoordination.objects.active().select_related("unit"),
        to_attr="active_coordinations",
    )


def _active_bases() -> Prefetch:
    return Prefetch(
        "basis_links",
        queryset=TaskBasis.objects.active().select_related("document__doc_type"),
        to_attr="active_bases",
    )


def task_rows(tasks: Any) -> list[Task]:
    """The tasks with everything a list shows, in a fixed number of queries."""
    return list(
        tasks.select_related("lead_unit", "person_in_charge", "area", "owner_unit", "serves")
        .prefetch_related(_active_coordinations(), _active_bases())
        .order_by("order", "pk")
    )


def code_key(task: Task) -> tuple[Any, ...]:
    """Natural order of task codes: 2 < 10, 1.2 < 1.10."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in task.code.split("."))


def flatten(roots: list[Task]) -> list[tuple[Task, int]]:
    """The tree in reading order, each task with its depth, for a single-loop template."""
    rows: list[tuple[Task, int]] = []
    stack = [(task, 0) for task in reversed(roots)]
    while stack:
        task, depth = stack.pop()
        rows.append((task, depth))
        stack.extend((child, depth + 1) for child in reversed(getattr(task, "tree_children", [])))
    return rows


def tree_context() -> dict[str, str]:
    """URL prefixes for the task rows, reversed once per page instead of once per row."""
    return {
        "task_url_prefix": reverse("planning:task_detail", args=[0]).removesuffix("0/"),
        "document_url_prefix": reverse("documents:document_detail", args=[0]).removesuffix("0/"),
    }


def build_tree(tasks: list[Task], *, by_code: bool = False) -> list[Task]:
    """Attach `tree_children` to each task and return the roots, in order."""
    by_parent: dict[int | None, list[Task]] = defaultdict(list)
    ids = {task.pk for task in tasks}
    if by_code:
        tasks = sorted(tasks, key=code_key)
    for task in tasks:
        by_parent[task.parent_id if task.parent_id in ids else None].append(task)
    for task in tasks:
        task.tree_children = by_parent.get(task.pk, [])  # type: ignore[attr-defined]
    return by_parent.get(None, [])


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request.user)
    plans = (
        Plan.objects.active().filter(school_id=membership.school_id).select_related("copied_from")
    )
    return render(
        request,
        "planning/plan_list.html",
        {"plans": plans, "can_add": request.user.has_perm("planning.add_plan")},
    )


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "planning.add_plan")
    school = get_object_or_404(Organisation, pk=member_school_id(request.user))
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(school=school, by=request.user, **form.cleaned_data)
        except services.PlanningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã tạo dự thảo kế hoạch."))
            return redirect("planning:plan_detail", pk=plan.pk)
    return render_form(
        request, form, title=_("Kế hoạch năm học mới"), back=reverse("planning:plan_list")
    )


def plan_tree(plan: Plan) -> dict[str, Any]:
    """The plan page's data-heavy parts as HTML: the task tree (with the number of root tasks)
    and the targets by work area, with and without the editing links."""
    roots = build_tree(task_rows(plan.tasks.active().school_level()))
    context = {
        "rows": flatten(roots),
        "plan": plan,
        "empty_label": _("Chưa có nhiệm vụ."),
        **tree_context(),
    }
    return {
        "tree_html": render_to_string("planning/_task_rows.html", context),
        "root_count": len(roots),
        **plan_targets(plan),
    }


def plan_targets(plan: Plan) -> dict[str, str]:
    """The plan page's targets by work area as HTML, for readers and for those who edit."""
    targets = list(
        plan.targets.active().select_related("area", "responsible_unit", "strategic_goal")
    )
    areas = list(plan.areas.active())
    targets_by_area: dict[int | None, list[Target]] = defaultdict(list)
    for target in targets:
        targets_by_area[target.area_id].append(target)
    area_rows = [(area, targets_by_area.get(area.pk, [])) for area in areas]
    if targets_by_area.get(None):
        area_rows.append((None, targets_by_area[None]))
    goals = {t.strategic_goal for t in targets if t.strategic_goal}
    context = {
        "plan": plan,
        "area_rows": area_rows,
        "goals": sorted(goals, key=lambda g: (g.code, g.pk)),
    }
    return {
        f"targets_html_{int(can_change)}": render_to_string(
            "planning/_plan_targets.html", {**context, "can_change": can_change}
        )
        for can_change in (False, True)
    }


def unit_tree_key(unit_id: int, day: dt.date) -> str:
    return f"unit-plan:{unit_id}:{day.isoformat()}"


def unit_tree(plan: Plan, unit: Organisation) -> dict[str, Any]:
    """A unit's share of the plan's tasks (led, coordinated, its own) as HTML with the counts:
    like the plan's tree, rendered once and reused until anything it shows changes."""
    led = task_rows(plan.tasks.active().school_level().filter(lead_unit=unit))
    own = task_rows(plan.tasks.active().filter(owner_unit=unit))
    coordinated = list(
        TaskCoordination.objects.active()
        .filter(unit=unit, task__plan=plan, task__archived_at__isnull=True)
        .select_related("task__lead_unit", "task__person_in_charge")
        .order_by("task__order", "task__pk")
    )
    rows = {"plan": plan, **tree_context()}
    return {
        "led_html": render_to_string(
            "planning/_task_rows.html",
            {**rows, "rows": flatten(build_tree(led, by_code=True)), "empty_label": _("Không có.")},
        ),
        "led_count": len(led),
        "coordinated_html": render_to_string(
            "planning/_unit_coordinated.html", {"coordinated": coordinated}
        ),
        "coordinated_count": len(coordinated),
        "own_html": render_to_string(
            "planning/_task_rows.html",
            {
                **rows,
                "rows": flatten(build_tree(own)),
                "show_serves": True,
                "empty_label": _("Đơn vị chưa có nhiệm vụ riêng."),
            },
        ),
    }


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    # The tree is the page's heaviest part (hundreds of tasks): it is rendered once and reused
    # until anything it shows changes (the worker re-renders it after each change, see
    # tracking/refresh.py); statuses depend on the day, so the day is in the key.
    from core.clock import today
    from tracking.dashboard import cached

    # The same day as the worker's refresh (tracking.services.today), so it fills these keys.
    parts = cached(plan, f"plan-tree:{today().isoformat()}", lambda: plan_tree(plan))
    can_change = request.user.has_perm(CHANGE, plan)
    bases = plan.basis_links.select_related("document__doc_type", "document__issuer")
    context = {
        "plan": plan,
        # Rendered by our own templates (autoescaped) and stored as text: safe to insert.
        "tree_html": mark_safe(parts["tree_html"]),
        "root_count": parts["root_count"],
        "targets_html": mark_safe(parts[f"targets_html_{int(can_change)}"]),
        "bases": bases,
        "amendment": services.open_amendment_of(plan),
        "amendments": plan.amendments.select_related("opened_by"),
        "can_change": can_change,
        "history": history_entries(plan),
    }
    return render(request, "planning/plan_detail.html", context)


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, CHANGE)
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_plan_object(
                form.instance, by=request.user, expected_version=form.expected_version
            )
        except EditConflict as conflict:
            form.conflict(conflict)
        except services.PlanningError as error:
            form.add_error(None, str(error))
        else:
            return redirect("planning:plan_detail", pk=plan.pk)
    return render_form(
        request, form, title=_("Sửa kế hoạch"), back=reverse("planning:plan_detail", args=[pk])
    )


@login_required
def plan_bases(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, CHANGE)
    initial = {"documents": [link.document_id for link in plan.basis_links.all()]}
    form = PlanBasesForm(request.POST or None, initial=initial, school_id=plan.school_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_plan_bases(plan, list(form.cleaned_data["documents"]), by=request.user)
        except services.PlanningError as error:
            form.add_error(None, str(error))
        else:
            return redirect("planning:plan_detail", pk=plan.pk)
    return render_form(
        request,
        form,
        title=_("Văn bản căn cứ của kế hoạch"),
        back=reverse("planning:plan_detail", args=[pk]),
        intro=_("Giữ Ctrl (hoặc chạm giữ trên điện thoại) để chọn nhiều văn bản."),
    )


@login_required
@require_POST
def plan_issue(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, CHANGE)
    try:
        services.issue_plan(plan, by=request.user)
        messages.success(
            request, _("Đã ban hành kế hoạch. Từ nay mọi thay đổi cần một đợt sửa đổi, bổ sung.")
        )
    except services.PlanningError as error:
        report_error(request, error)
    return redirect("planning:plan_detail", pk=plan.pk)


@login_required
def amendment_open(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, CHANGE)
    form = AmendmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.open_amendment(plan, reason=form.cleaned_data["reason"], by=request.user)
        except services.PlanningError as error:
            form.add_error(None, str(error))
        else:
            return redirect("planning:plan_detail", pk=plan.pk)
    return render_form(
        request,
        form,
        title=_("Mở đợt sửa đổi, bổ sung kế hoạch"),
        back=reverse("planning:plan_detail", args=[pk]),
    )


@login_required
@require_POST
def amendment_close(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, CHANGE)
    amendment = services.open_amendment_of(plan)
    if amendment is not None:
        services.close_amendment(amendment, by=request.user)
        messages.success(request, _("Đã kết thúc đợt sửa đổi; kế hoạch được khóa lại."))
    return redirect("planning:plan_detail", pk=plan.pk)


@login_required
def plan_copy(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, CHANGE)
    form = CopyPlanForm(request.POST or None, initial={"start_year": plan.start_year + 1})
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.copy_plan(
                plan, start_year=form.cleaned_data["start_year"], by=request.user
            )
        except services.PlanningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã tạo dự thảo kế hoạch năm học mới từ kế hoạch này."))
            return redirect("planning:plan_detail", pk=copy.pk)
    return render_form(
        request,
        form,
        title=_("Sao kế hoạch sang năm học mới"),
        back=reverse("planning:plan_detail", args=[pk]),
        intro=_(
            "Lĩnh vực, chỉ tiêu thường niên và các nhiệm vụ chưa hoàn thành được chuyển sang dự thảo "
            "mới, kèm liên kết về nơi xuất xứ."
        ),
        submit=_("Tạo dự thảo"),
    )


@login_required
@require_POST
def archive(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Archive a plan, area, target or task (never a hard delete)."""
    models: dict[str, Any] = {"plan": Plan, "area": WorkArea, "target": Target, "task": Task}
    model = models.get(kind)
    if model is None:
        raise PermissionDenied
    queryset = (
        model.objects.select_related() if model is Plan else model.objects.select_related("plan")
    )
    obj = get_authorised(
        request.user, queryset, VIEW, "planning.change_task" if model is Task else CHANGE, pk=pk
    )
    plan = obj if isinstance(obj, Plan) else obj.plan
    try:
        services.archive_plan_object(obj, by=request.user)
        messages.success(request, _("Đã lưu trữ."))
    except services.PlanningError as error:
        report_error(request, error)
        return redirect(_detail_url(obj))
    if isinstance(obj, Plan):
        return redirect("planning:plan_list")
    return redirect("planning:plan_detail", pk=plan.pk)


def _detail_url(obj: Any) -> str:
    if isinstance(obj, Task):
        return reverse("planning:task_detail", args=[obj.pk])
    if isinstance(obj, Target):
        return reverse("planning:target_detail", args=[obj.pk])
    plan = obj if isinstance(obj, Plan) else obj.plan
    return reverse("planning:plan_detail", args=[plan.pk])


# Work areas -----------------------------------------------------------------------------------


@login_required
def area_form(
    request: HttpRequest, plan_pk: int | None = None, pk: int | None = None
) -> HttpResponse:
    if pk is not None:
        area = get_authorised(
            request.user, WorkArea.objects.select_related("plan"), VIEW, CHANGE, pk=pk
        )
        plan = area.plan
    else:
        plan = _plan(request, plan_pk, CHANGE)  # type: ignore[arg-type]
        area = WorkArea(plan=plan, order=plan.areas.count() + 1)
    form = WorkAreaForm(request.POST or None, instance=area)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_plan_object(
                form.instance, by=request.user, expected_version=form.expected_version
            )
        except EditConflict as conflict:
            form.conflict(conflict)
        except services.PlanningError as error:
            form.add_error(None, str(error))
        else:
            return redirect(reverse("planning:plan_detail", args=[plan.pk]) + "#muc-tieu")
    title = _("Sửa lĩnh vực công tác") if pk else _("Thêm lĩnh vực công tác")
    return render_form(
        request, form, title=title, back=reverse("planning:plan_detail", args=[plan.pk])
    )


# Strategic goals ------------------------------------------------------------------------------


@login_required
def goal_list(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request.user)
    goals = (
        StrategicGoal.objects.active()
        .filter(school_id=membership.school_id)
        .select_related("basis__doc_type")
    )
    return render(
        request,
        "planning/goal_list.html",
        {"goals": goals, "can_change": request.user.has_perm("planning.add_plan")},
    )


@login_required
def goal_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if pk is not None:
        goal = get_authorised(request.user, StrategicGoal, VIEW, CHANGE, pk=pk)
    else:
        require(request.user, "planning.add_plan")
        goal = StrategicGoal(school_id=member_school_id(request.user))
    form = StrategicGoalForm(request.POST or None, instance=goal, school_id=goal.school_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_strategic_goal(
                form.instance, by=request.user, expected_version=form.expected_version
            )
        except EditConflict as conflict:
            form.conflict(conflict)
        else:
            return redirect("planning:goal_list")
    title = _("Sửa mục tiêu chiến lược") if pk else _("Thêm mục tiêu chiến lược")
    return render_form(request, form, title=title, back=reverse("planning:goal_list"))


# Targets --------------------------------------------------------------------------------------


@login_required
def target_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_authorised(
        request.user,
        Target.objects.select_related(
            "plan__school", "area", "responsible_unit", "strategic_goal", "carried_from__plan"
        ),
        VIEW,
        pk=pk,
    )
    allocations = target.allocations.select_related("unit", "decided_by")
    can_change = request.user.has_perm(CHANGE, target)
    context = {
        "target": target,
        "plan": target.plan,
        "allocations": allocations,
        "tasks": target.tasks.active().select_related("lead_unit"),
        "can_change": can_change,
        "allocation_form": AllocationForm(school_id=target.plan.school_id) if can_change else None,
        "history": history_entries(target),
    }
    return render(request, "planning/target_detail.html", context)


@login_required
def target_form(
    request: HttpRequest, plan_pk: int | None = None, pk: int | None = None
) -> HttpResponse:
    if pk is not None:
        target = get_authorised(
            request.user, Target.objects.select_related("plan"), VIEW, CHANGE, pk=pk
        )
        plan = target.plan
    else:
        plan = _plan(request, plan_pk, CHANGE)  # type: ignore[arg-type]
        target = Target(plan=plan, area_id=id_param(request.GET, "area"))
    form = TargetForm(request.POST or None, instance=target, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_plan_object(
                form.instance, by=request.user, expected_version=form.expected_version
            )
        except EditConflict as conflict:
            form.conflict(conflict)
        except services.PlanningError as error:
            form.add_error(None, str(error))
        else:
            return redirect("planning:target_detail", pk=form.instance.pk)
    back = (
        reverse("planning:target_detail", args=[pk])
        if pk
        else reverse("planning:plan_detail", args=[plan.pk])
    )
    return render_form(
        request, form, title=_("Sửa chỉ tiêu") if pk else _("Thêm chỉ tiêu"), back=back
    )


@login_required
@require_POST
def allocation_add(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_authorised(
        request.user, Target.objects.select_related("plan"), VIEW, CHANGE, pk=pk
    )
    form = AllocationForm(request.POST, school_id=target.plan.school_id)
    if form.is_valid():
        try:
            services.allocate_target(
                target, form.cleaned_data["unit"], form.cleaned_data["value"], by=request.user
            )
            messages.success(request, _("Đã giao chỉ tiêu cho đơn vị."))
        except services.PlanningError as error:
            report_error(request, error)
    else:
        messages.error(
            request, _("Dữ liệu chưa hợp lệ: %(errors)s") % {"errors": form.errors.as_text()}
        )
    return redirect("planning:target_detail", pk=target.pk)


def _allocation(request: HttpRequest, pk: int, perm: str) -> TargetAllocation:
    return get_authorised(
        request.user,
        TargetAllocation.objects.select_related("target__plan", "unit"),
        VIEW,
        perm,
        pk=pk,
    )


@login_required
def allocation_propose(request: HttpRequest, pk: int) -> HttpResponse:
    allocation = _allocation(request, pk, "planning.propose_allocation")
    form = ProposalForm(request.POST or None, initial={"value": allocation.value})
    back = reverse("planning:unit_plan", args=[allocation.target.plan_id, allocation.unit_id])
    if request.method == "POST" and form.is_valid():
        try:
            services.propose_allocation(allocation, by=request.user, **form.cleaned_data)
        except services.PlanningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã gửi đề xuất tới Ban giám hiệu."))
            return redirect(back)
    return render_form(
        request,
        form,
        title=_("Đề xuất điều chỉnh chỉ tiêu: %(name)s") % {"name": allocation.target.name},
        back=back,
        intro=_("Giá trị đang giao cho %(unit)s: %(value)s %(uom)s")
        % {
            "unit": allocation.unit,
            "value": allocation.value,
            "uom": allocation.target.unit_of_measure,
        },
        submit=_("Gửi đề xuất"),
    )


@login_required
def allocation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    allocation = _allocation(request, pk, "planning.decide_allocation")
    form = DecisionForm(request.POST or None)
    back = reverse("planning:target_detail", args=[allocation.target_id])
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_allocation(
                allocation,
                accept=form.cleaned_data["accept"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except services.PlanningError as error:
            form.add_error(None, str(error))
        else:
            return redirect(back)
    intro = _("%(unit)s đề xuất %(value)s thay cho %(old)s. Lý do: %(reason)s") % {
        "unit": allocation.unit,
        "value": allocation.proposed_value,
        "old": allocation.value,
        "reason": allocation.proposal_reason,
    }
    return render_form(request, form, title=_("Xem xét đề xuất của đơn vị"), back=back, intro=intro)


# Tasks ----------------------------------------------------------------------------------------


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
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
            "carried_from__plan",
        ),
        VIEW,
        pk=pk,
    )
    can_change = request.user.has_perm("planning.change_task", task)
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
        "can_change": can_change,
        "basis_form": TaskBasisForm(school_id=task.plan.school_id) if can_change else None,
        "history": history_entries(task),
    }
    return render(request, "planning/task_detail.html", context)


@login_required
def task_form(
    request: HttpRequest, plan_pk: int | None = None, pk: int | None = None
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
        plan = _plan(request, plan_pk)  # type: ignore[arg-type]
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
        try:
            with transaction.atomic():
                services.save_plan_object(
                    form.instance, by=request.user, expected_version=form.expected_version
                )
                services.set_coordinations(form.instance, rows, by=request.user)
        except EditConflict as conflict:
            form.conflict(conflict)
        except services.PlanningError as error:
            form.add_error(None, str(error))
        else:
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
        extra={"formset": formset, "formset_title": _("Đơn vị phối hợp")},
    )


@login_required
@require_POST
def basis_add(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_authorised(
        request.user, Task.objects.select_related("plan"), VIEW, "planning.change_task", pk=pk
    )
    form = TaskBasisForm(request.POST, school_id=task.plan.school_id)
    if form.is_valid():
        try:
            services.link_basis(
                task,
                form.cleaned_data["document"],
                clause=form.cleaned_data["clause"],
                by=request.user,
            )
        except services.PlanningError as error:
            report_error(request, error)
    else:
        messages.error(request, _("Hãy chọn một văn bản trong sổ văn bản."))
    return redirect("planning:task_detail", pk=task.pk)


@login_required
@require_POST
def basis_remove(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_authorised(
        request.user, TaskBasis.objects.select_related("task__plan"), VIEW, None, pk=pk
    )
    require(request.user, "planning.change_task", link.task)
    try:
        services.unlink_basis(link, by=request.user)
    except services.PlanningError as error:
        report_error(request, error)
    return redirect("planning:task_detail", pk=link.task_id)


# Units ----------------------------------------------------------------------------------------


@login_required
def my_units(request: HttpRequest) -> HttpResponse:
    """The units the user heads or belongs to, with the current plan's share of each."""
    membership = membership_of(request.user)
    plan = Plan.objects.active().filter(school_id=membership.school_id).first()
    unit_ids = set(membership.unit_ids) | set(membership.headed_root_ids)
    units = Organisation.objects.active().filter(pk__in=unit_ids).exclude(kind="school")
    all_units = (
        Organisation.objects.active().units_of(Organisation(pk=membership.school_id))
        if membership.is_member
        else Organisation.objects.none()
    )
    return render(
        request,
        "planning/my_units.html",
        {"plan": plan, "units": units, "all_units": all_units},
    )


@login_required
def unit_plan(request: HttpRequest, plan_pk: int, unit_pk: int) -> HttpResponse:
    """A unit's share of the plan: what it leads, coordinates, owns, and its allocated targets."""
    plan = _plan(request, plan_pk)
    unit = get_object_or_404(Organisation, pk=unit_pk, school_id=plan.school_id)
    from core.clock import today
    from tracking.dashboard import cached

    tasks = cached(
        plan,
        unit_tree_key(unit.pk, today()),
        lambda: unit_tree(plan, unit),
    )
    allocations = list(
        TargetAllocation.objects.filter(
            target__plan=plan, unit=unit, target__archived_at__isnull=True
        ).select_related("target", "decided_by")
    )
    unit_plan_row = plan.unit_plans.filter(unit=unit).select_related("approved_by").first()
    context = {
        "plan": plan,
        "unit": unit,
        # Rendered by our own templates (autoescaped) and stored as text: safe to insert.
        **{
            key: mark_safe(value) if key.endswith("_html") else value
            for key, value in tasks.items()
        },
        "allocations": allocations,
        "unit_plan": unit_plan_row,
        "can_write": request.user.has_perm("planning.add_unit_task", unit),
    }
    return render(request, "planning/unit_plan.html", context)


@login_required
@require_POST
def unit_plan_approve(request: HttpRequest, plan_pk: int, unit_pk: int) -> HttpResponse:
    plan = _plan(request, plan_pk)
    unit = get_object_or_404(Organisation, pk=unit_pk, school_id=plan.school_id)
    require(request.user, "planning.approve_unit_plan", unit)
    services.approve_unit_plan(services.unit_plan_for(plan, unit), by=request.user)
    messages.success(request, _("Đã duyệt kế hoạch của đơn vị."))
    return redirect("planning:unit_plan", plan_pk=plan.pk, unit_pk=unit.pk)


def units_with_tasks(plan: Plan) -> Any:
    """Units that lead or coordinate something in the plan."""
    return (
        Organisation.objects.active()
        .filter(
            Q(led_tasks__plan=plan) | Q(coordinations__task__plan=plan) | Q(own_tasks__plan=plan)
        )
        .distinct()
    )
