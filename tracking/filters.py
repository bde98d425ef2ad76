"""The task list's filters, shared by the page (tracking.views.task_list) and its Excel export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from organisations.membership import subtree_ids
from organisations.models import Organisation
from planning.models import Plan, Task, TaskQuerySet, WorkArea
from planning.status import MATRIX, TaskStatus
from tracking.forms import TaskFilterForm
from tracking.task_figures import as_of, status_then


@dataclass
class TaskFilter:
    tasks: TaskQuerySet
    status: str = ""
    cell: str = ""
    unit: Organisation | None = None
    lead: Organisation | None = None
    area: WorkArea | None = None
    q: str = ""


def filter_tasks(plan: Plan, params: Any, on: dt.date, *, past: bool = False) -> TaskFilter:
    """The plan's active tasks narrowed by status or matrix cell (as of `on`), unit (with its
    sub-units, leading or owning), lead unit (0: none), area (0: none) and a search.

    `past`: `on` is a past day asked for, read as it stood then (task_figures.as_of, as the
    dashboard of that day counts them); the tasks carry then_due and then_run_state."""
    form = TaskFilterForm(params)
    filters = form.cleaned_data if form.is_valid() else {}
    result = TaskFilter(tasks=Task.objects.active().filter(plan=plan))

    def status_q(value: str) -> Q:
        if past:
            return status_then(value, on)
        return Task.objects.status_q(value, on=on)

    if past:
        result.tasks = as_of(result.tasks, on)
    status = filters.get("status") or ""
    if status in TaskStatus.values:
        result.status = status
        result.tasks = result.tasks.filter(status_q(status))
    cell = filters.get("cell") or ""
    if cell in MATRIX:
        result.cell = cell
        condition = Q()
        for value in MATRIX[cell]:
            condition |= status_q(value)
        result.tasks = result.tasks.filter(condition)
    if filters.get("unit"):
        result.unit = Organisation.objects.filter(
            pk=filters["unit"], school_id=plan.school_id
        ).first()
        if result.unit is not None:
            ids = subtree_ids({result.unit.pk}, plan.school_id)
            result.tasks = result.tasks.filter(Q(lead_unit__in=ids) | Q(owner_unit__in=ids))
    if filters.get("lead") is not None:
        if filters["lead"] == 0:
            result.tasks = result.tasks.filter(lead_unit__isnull=True)
        else:
            result.lead = Organisation.objects.filter(
                pk=filters["lead"], school_id=plan.school_id
            ).first()
            result.tasks = result.tasks.filter(lead_unit=result.lead)
    if filters.get("area") is not None:
        if filters["area"] == 0:
            result.tasks = result.tasks.filter(area__isnull=True)
        else:
            result.area = WorkArea.objects.filter(pk=filters["area"], plan=plan).first()
            result.tasks = result.tasks.filter(area=result.area)
    if filters.get("q"):
        result.q = filters["q"]
        result.tasks = result.tasks.search(result.q)
    return result
