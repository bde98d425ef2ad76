"""Work areas of a plan and the school's strategic goals."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.permissions import get_authorised, require
from core.requests import SignedInRequest
from core.views import attempt, render_form
from organisations.membership import membership_of
from organisations.permissions import member_school_id
from planning import services
from planning.forms import StrategicGoalForm, WorkAreaForm
from planning.models import StrategicGoal, WorkArea
from planning.views.common import CHANGE, VIEW, authorised_plan


@login_required
def area_form(
    request: SignedInRequest, plan_pk: int | None = None, pk: int | None = None
) -> HttpResponse:
    if pk is not None:
        area = get_authorised(
            request.user, WorkArea.objects.select_related("plan"), VIEW, CHANGE, pk=pk
        )
        plan = area.plan
    else:
        plan = authorised_plan(request, plan_pk, CHANGE)  # type: ignore[arg-type]  # the URL without pk has plan_pk
        area = WorkArea(plan=plan, order=plan.areas.count() + 1)
    form = WorkAreaForm(request.POST or None, instance=area)
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            request,
            lambda: services.save_plan_object(
                form.instance, by=request.user, expected_version=form.expected_version
            ),
            form=form,
        )
        if saved:
            return redirect(reverse("planning:plan_detail", args=[plan.pk]) + "#muc-tieu")
    title = _("Sửa lĩnh vực công tác") if pk else _("Thêm lĩnh vực công tác")
    return render_form(
        request, form, title=title, back=reverse("planning:plan_detail", args=[plan.pk])
    )


@login_required
def goal_list(request: SignedInRequest) -> HttpResponse:
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
def goal_form(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    if pk is not None:
        goal = get_authorised(request.user, StrategicGoal, VIEW, CHANGE, pk=pk)
    else:
        require(request.user, "planning.add_plan")
        goal = StrategicGoal(school_id=member_school_id(request.user))
    form = StrategicGoalForm(request.POST or None, instance=goal, school_id=goal.school_id)
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            request,
            lambda: services.save_strategic_goal(
                form.instance, by=request.user, expected_version=form.expected_version
            ),
            form=form,
        )
        if saved:
            return redirect("planning:goal_list")
    title = _("Sửa mục tiêu chiến lược") if pk else _("Thêm mục tiêu chiến lược")
    return render_form(request, form, title=title, back=reverse("planning:goal_list"))
