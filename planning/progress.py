"""A task's progress derived from its sub-tasks (progress mode "derived"), kept up to date when a
sub-task reports progress (tracking), is archived or comes back (planning)."""

from __future__ import annotations

from planning import figures_cache
from planning.models import ProgressMode, Task
from planning.status import RunState, weighted_progress

# What a parent's progress is computed from; parent_id too: the related manager's rows carry it
# back to the parent (deferred, it was one more query for each sub-task).
_CHILD_FIELDS = (
    "parent_id",
    "weight",
    "completed_on",
    "progress",
    "progress_mode",
    "derived_progress",
)


def refresh_derived_progress(task_id: int | None) -> None:
    """Recompute the derived progress of a task and its ancestors from their sub-tasks.

    Only `derived_progress` is written: a progress the user entered is never overwritten.
    """
    while task_id is not None:
        task = Task.objects.select_for_update().filter(pk=task_id).first()
        if task is None:
            return
        children = task.children.active().exclude(run_state=RunState.CANCELLED)
        rows = [
            (
                child.weight,
                100
                if child.completed_on
                else (
                    child.derived_progress
                    if child.progress_mode == ProgressMode.DERIVED
                    else child.progress
                ),
            )
            for child in children.only(*_CHILD_FIELDS)
        ]
        value = weighted_progress(rows)
        if value != task.derived_progress:
            Task.objects.filter(pk=task.pk).update(derived_progress=value)
            # update() sends no signal: the plan's figures change all the same.
            figures_cache.changed(plan_id=task.plan_id, tasks=[task.pk])
        task_id = task.parent_id
