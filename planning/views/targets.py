"""Targets of a plan and their allocation to units (with the units' proposals)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.audit import history_entries
from core.permissions import get_authorised
from core.query import id_param
from core.requests import SignedInRequest
from core.views import attempt, render_form
from planning import services
from planning.forms import AllocationForm, DecisionForm, ProposalForm, TargetForm
from planning.models import Target, TargetAllocation
from planning.views.common import CHANGE, VIEW, authorised_plan


@login_required
def target_detail(request: SignedInRequest, pk: int) -> HttpResponse:
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
    request: SignedInRequest, plan_pk: int | None = None, pk: int | None = None
) -> HttpResponse:
    if pk is not None:
        target = get_authorised(
            request.user, Target.objects.select_related("plan"), VIEW, CHANGE, pk=pk
        )
        plan = target.plan
    else:
        plan = authorised_plan(request, plan_pk, CHANGE)  # type: ignore[arg-type]  # the URL without pk has plan_pk
        target = Target(plan=plan, area_id=id_param(request.GET, "area"))
    form = TargetForm(request.POST or None, instance=target, plan=plan)
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            request,
            lambda: services.save_plan_object(
                form.instance, by=request.user, expected_version=form.expected_version
            ),
            form=form,
        )
        if saved:
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
def allocation_add(request: SignedInRequest, pk: int) -> HttpResponse:
    target = get_authorised(
        request.user, Target.objects.select_related("plan"), VIEW, CHANGE, pk=pk
    )
    form = AllocationForm(request.POST, school_id=target.plan.school_id)
    if form.is_valid():
        unit, value = form.cleaned_data["unit"], form.cleaned_data["value"]
        attempt(
            request,
            lambda: services.allocate_target(target, unit, value, by=request.user),
            success=_("Đã giao chỉ tiêu cho đơn vị."),
        )
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
def allocation_propose(request: SignedInRequest, pk: int) -> HttpResponse:
    allocation = _allocation(request, pk, "planning.propose_allocation")
    form = ProposalForm(request.POST or None, initial={"value": allocation.value})
    back = reverse("planning:unit_plan", args=[allocation.target.plan_id, allocation.unit_id])
    if request.method == "POST" and form.is_valid():
        proposed = attempt(
            request,
            lambda: services.propose_allocation(allocation, by=request.user, **form.cleaned_data),
            form=form,
            success=_("Đã gửi đề xuất tới Ban giám hiệu."),
        )
        if proposed:
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
def allocation_decide(request: SignedInRequest, pk: int) -> HttpResponse:
    allocation = _allocation(request, pk, "planning.decide_allocation")
    form = DecisionForm(request.POST or None)
    back = reverse("planning:target_detail", args=[allocation.target_id])
    if request.method == "POST" and form.is_valid():
        accept, note = form.cleaned_data["accept"], form.cleaned_data["note"]
        decided = attempt(
            request,
            lambda: services.decide_allocation(
                allocation, accept=accept, note=note, by=request.user
            ),
            form=form,
        )
        if decided:
            return redirect(back)
    intro = _("%(unit)s đề xuất %(value)s thay cho %(old)s. Lý do: %(reason)s") % {
        "unit": allocation.unit,
        "value": allocation.proposed_value,
        "old": allocation.value,
        "reason": allocation.proposal_reason,
    }
    return render_form(request, form, title=_("Xem xét đề xuất của đơn vị"), back=back, intro=intro)
