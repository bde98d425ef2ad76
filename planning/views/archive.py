"""Archiving and restoring a plan, a work area, a target or a task, each after a confirmation
page, and the plan's "Đã lưu trữ" page listing what can be restored.

Who may restore is who may archive (planning/rules.py): leadership for the plan, its areas and
targets and every task; a unit's heads for the tasks of their units' own plans.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.permissions import get_authorised
from core.requests import SignedInRequest
from organisations.membership import membership_of
from planning import restoring, review, services
from planning.models import Plan, Target, Task
from planning.restore_review import KINDS, restore_review, seen_of
from planning.views.common import CHANGE, VIEW, authorised_plan, confirm_page

CHANGE_TASK = "planning.change_task"
VIEW_ARCHIVED = "planning.view_archived"


def _authorised(request: SignedInRequest, kind: str, pk: int) -> Any:
    """The plan, area, target or task the user may archive or restore, or 404 / 403."""
    model = KINDS.get(kind)
    if model is None:
        raise Http404
    queryset = (
        model.objects.select_related("copied_from", "school")
        if model is Plan
        else model.objects.select_related("plan__school")
    )
    return get_authorised(
        request.user, queryset, VIEW, CHANGE_TASK if model is Task else CHANGE, pk=pk
    )


@login_required
def archive(request: SignedInRequest, kind: str, pk: int) -> HttpResponse:
    """Archive a plan, area, target or task (never a hard delete), after a confirmation page."""
    obj = _authorised(request, kind, pk)
    done = (
        reverse("planning:plan_list")
        if isinstance(obj, Plan)
        else reverse("planning:plan_detail", args=[obj.plan_id])
    )
    return confirm_page(
        request,
        lambda: review.archive_review(obj),
        seen=obj.version,
        act=lambda: services.archive_plan_object(obj, by=request.user),
        success=_("Đã lưu trữ."),
        done=done,
    )


def _done_url(obj: Any) -> str:
    """Where a restored object is seen again."""
    if isinstance(obj, Plan):
        return reverse("planning:plan_detail", args=[obj.pk])
    if isinstance(obj, Task):
        return reverse("planning:task_detail", args=[obj.pk])
    if isinstance(obj, Target):
        return reverse("planning:target_detail", args=[obj.pk])
    return reverse("planning:plan_detail", args=[obj.plan_id]) + "#muc-tieu"


def _restored(renumbered: list[restoring.Renumbered]) -> str:
    return " ".join([_("Đã khôi phục."), *(str(r) for r in renumbered)])


@login_required
def restore(request: SignedInRequest, kind: str, pk: int) -> HttpResponse:
    """Restore an archived plan, area, target or task (with the archived tasks above it), after
    a confirmation page that says what comes back and under which numbers."""
    obj = _authorised(request, kind, pk)

    def may_restore(task: Task) -> bool:
        return bool(request.user.has_perm(CHANGE_TASK, task))

    return confirm_page(
        request,
        lambda: restore_review(obj, may_restore=may_restore),
        seen=seen_of(obj),
        act=lambda: restoring.restore_object(obj, by=request.user, may_restore=may_restore),
        success=_restored,
        done=_done_url(obj),
    )


def archive_reach(request: SignedInRequest, plan: Plan) -> tuple[bool, frozenset[int] | None]:
    """What of the plan's archive the user may restore: (its areas and targets, the units whose
    own tasks only — None for every task)."""
    if request.user.has_perm(CHANGE, plan):
        return True, None
    return False, membership_of(request.user).headed_unit_ids


def archived_count(request: SignedInRequest, plan: Plan) -> int:
    """How many archived rows of the plan the user may restore (0 for those who may restore
    none, without a query): the plan page links to them only when there are some."""
    if not request.user.has_perm(VIEW_ARCHIVED, plan):
        return 0
    areas_and_targets, unit_ids = archive_reach(request, plan)
    return restoring.archived_count(plan, areas_and_targets=areas_and_targets, unit_ids=unit_ids)


@login_required
def archived(request: SignedInRequest, pk: int) -> HttpResponse:
    """The plan's archived areas, targets and tasks the user may restore, with when and by whom
    each was archived."""
    plan = authorised_plan(request, pk, VIEW_ARCHIVED)
    areas_and_targets, unit_ids = archive_reach(request, plan)
    rows = restoring.archived_of(plan, areas_and_targets=areas_and_targets, unit_ids=unit_ids)
    context = {
        "plan": plan,
        "archived": rows,
        "areas_and_targets": areas_and_targets,
        "can_restore_plan": plan.is_archived and request.user.has_perm(CHANGE, plan),
    }
    return render(request, "planning/archived.html", context)
