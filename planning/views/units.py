"""The units' share of a plan: my units, a unit's plan page and its approval."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.clock import today
from core.permissions import require
from core.requests import SignedInRequest
from core.views import attempt
from organisations.membership import membership_of
from organisations.models import Organisation
from planning import figures_cache, services
from planning.models import Plan, TargetAllocation
from planning.tree import unit_tree
from planning.views.common import authorised_plan


@login_required
def my_units(request: SignedInRequest) -> HttpResponse:
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
def unit_plan(request: SignedInRequest, plan_pk: int, unit_pk: int) -> HttpResponse:
    """A unit's share of the plan: what it leads, coordinates, owns, and its allocated targets."""
    plan = authorised_plan(request, plan_pk)
    unit = get_object_or_404(Organisation, pk=unit_pk, school_id=plan.school_id)
    # Kept under the plan's figures version (its tasks it coordinates are rendered with it); on
    # a new version its lists are assembled from rows stored by what they show (planning/tree.py).
    tasks = figures_cache.cached(
        plan, f"unit-plan:{unit.pk}:{today().isoformat()}", lambda: unit_tree(plan, unit)
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
def unit_plan_approve(request: SignedInRequest, plan_pk: int, unit_pk: int) -> HttpResponse:
    plan = authorised_plan(request, plan_pk)
    unit = get_object_or_404(Organisation, pk=unit_pk, school_id=plan.school_id)
    require(request.user, "planning.approve_unit_plan", unit)
    unit_plan_row = services.unit_plan_for(plan, unit)
    attempt(
        request,
        lambda: services.approve_unit_plan(unit_plan_row, by=request.user),
        success=_("Đã duyệt kế hoạch của đơn vị."),
    )
    return redirect("planning:unit_plan", plan_pk=plan.pk, unit_pk=unit.pk)
