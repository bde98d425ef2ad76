"""Where a task and a target stand: pure functions, no database.

The SQL twin of `compute_status` is `planning.models.TaskQuerySet.status_q`; a property test
checks that both agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunState(models.TextChoices):
    ACTIVE = "active", _("Đang triển khai")
    PAUSED = "paused", _("Tạm dừng")
    CANCELLED = "cancelled", _("Hủy bỏ")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa triển khai")
    IN_PROGRESS = "in_progress", _("Đang thực hiện trong hạn")
    OVERDUE = "overdue", _("Quá hạn chưa hoàn thành")
    DONE_ON_TIME = "done_on_time", _("Hoàn thành đúng hạn")
    DONE_LATE = "done_late", _("Hoàn thành quá hạn")
    PAUSED = "paused", _("Tạm dừng")
    CANCELLED = "cancelled", _("Hủy bỏ")


# The 2×2 matrix of government task tracking (VPCP 1270/BC-TCTTTg): the four cells, and which
# statuses fall in each. Paused and cancelled tasks stay outside it.
OPEN_IN_TIME = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)
MATRIX = {
    "done_on_time": (TaskStatus.DONE_ON_TIME,),
    "done_late": (TaskStatus.DONE_LATE,),
    "open_in_time": OPEN_IN_TIME,
    "open_overdue": (TaskStatus.OVERDUE,),
}

STATUS_COLOURS = {
    TaskStatus.NOT_STARTED: "secondary",
    TaskStatus.IN_PROGRESS: "primary",
    TaskStatus.OVERDUE: "danger",
    TaskStatus.DONE_ON_TIME: "success",
    TaskStatus.DONE_LATE: "warning",
    TaskStatus.PAUSED: "dark",
    TaskStatus.CANCELLED: "light",
}


@dataclass(frozen=True)
class StatusInfo:
    status: TaskStatus
    # Days past the deadline: still open (overdue) or when it was done (done late); else 0.
    days_late: int = 0

    @property
    def label(self) -> str:
        return str(self.status.label)

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[self.status]


def compute_status(
    *,
    run_state: str,
    due_date: dt.date | None,
    completed_on: dt.date | None,
    progress: int,
    start_date: dt.date | None = None,
    on: dt.date,
    issued: bool = True,
) -> StatusInfo:
    """The status of a task on a given day, measured against its current deadline.

    Deadlines count from the plan's issuing: a task of a draft (next year's plan being prepared,
    its dates not yet in force) is never overdue."""
    if run_state == RunState.CANCELLED:
        return StatusInfo(TaskStatus.CANCELLED)
    if run_state == RunState.PAUSED:
        return StatusInfo(TaskStatus.PAUSED)
    # Read "as of" a day: a task completed after it was still open then.
    if completed_on is not None and completed_on <= on:
        if due_date is not None and completed_on > due_date:
            return StatusInfo(TaskStatus.DONE_LATE, (completed_on - due_date).days)
        return StatusInfo(TaskStatus.DONE_ON_TIME)
    if issued and due_date is not None and due_date < on:
        return StatusInfo(TaskStatus.OVERDUE, (on - due_date).days)
    if progress == 0 or (start_date is not None and start_date > on):
        return StatusInfo(TaskStatus.NOT_STARTED)
    return StatusInfo(TaskStatus.IN_PROGRESS)


def task_status(task: Any, on: dt.date) -> StatusInfo:
    """compute_status for a planning Task (its effective progress: entered or derived).

    A draft plan's task is never overdue. The plan is read only when it came with the task (the
    plan's own lists load it with `plan.tasks` or `select_related("plan")`), never one query per
    task; without it the task is taken as issued."""
    plan = task._state.fields_cache.get("plan")
    return compute_status(
        issued=plan is None or plan.is_issued,
        run_state=task.run_state,
        due_date=task.due_date,
        completed_on=task.completed_on,
        progress=task.effective_progress,
        start_date=task.start_date,
        on=on,
    )


def default_day(plan: Any, today: dt.date) -> dt.date:
    """The day a plan's pages read it on: today, and a finished year as it stood on its last day."""
    return min(today, plan.ends_on)


def done_on_time_against(baseline_due: dt.date | None, completed_on: dt.date | None) -> bool:
    """On time against the original deadline (extensions do not count): the punctuality measure."""
    return completed_on is not None and (baseline_due is None or completed_on <= baseline_due)


def weighted_progress(children: Iterable[tuple[Decimal, int]]) -> int:
    """Progress of a task from its sub-tasks' (weight, progress), rounded to a whole percent.

    Sub-tasks of weight zero count only when all weigh zero (then each counts the same).
    """
    rows = list(children)
    if not rows:
        return 0
    total = sum((weight for weight, _p in rows), Decimal(0))
    if total <= 0:
        rows = [(Decimal(1), progress) for _w, progress in rows]
        total = Decimal(len(rows))
    value = sum((weight * progress for weight, progress in rows), Decimal(0)) / total
    return int(value.quantize(Decimal(1), rounding="ROUND_HALF_UP"))


class Rag(models.TextChoices):
    GREEN = "green", _("Đạt")
    AMBER = "amber", _("Cần chú ý")
    RED = "red", _("Chưa đạt")


RAG_COLOURS = {Rag.GREEN: "success", Rag.AMBER: "warning", Rag.RED: "danger"}


def target_rag(
    direction: str,
    actual: Decimal | None,
    *,
    target_value: Decimal | None = None,
    range_min: Decimal | None = None,
    range_max: Decimal | None = None,
    amber_threshold: Decimal | None = None,
    red_threshold: Decimal | None = None,
) -> Rag | None:
    """Red/amber/green of a target's actual value, respecting its direction; None if unmeasured.

    higher: ≥ amber threshold (default: the target) green, ≥ red threshold amber, else red;
    lower: the mirror; range: inside [min, max] green, within the red threshold's distance
    outside amber, else red; boolean: 1 green, else red.
    """
    if actual is None:
        return None
    if direction == "boolean":
        return Rag.GREEN if actual == 1 else Rag.RED
    if direction == "range":
        if range_min is None or range_max is None:
            return None
        if range_min <= actual <= range_max:
            return Rag.GREEN
        distance = range_min - actual if actual < range_min else actual - range_max
        if red_threshold is not None and distance <= red_threshold:
            return Rag.AMBER
        return Rag.RED
    green_line = amber_threshold if amber_threshold is not None else target_value
    if green_line is None:
        return None
    if direction == "lower":
        if actual <= green_line:
            return Rag.GREEN
        if red_threshold is not None and actual <= red_threshold:
            return Rag.AMBER
        return Rag.RED
    if actual >= green_line:
        return Rag.GREEN
    if red_threshold is not None and actual >= red_threshold:
        return Rag.AMBER
    return Rag.RED
