"""Keep the figures of a plan's pages warm: after each committed change of plan data a job
recomputes them in the worker, so that the next request finds them ready.

A burst of changes (one check-in saves a check-in, a task and maybe a target; a plan import saves
hundreds of rows) enqueues one job per plan: a `FiguresRefresh` row per plan is the pending flag,
claimed by one UPDATE; the job clears it before it starts computing, so a change made while it
runs enqueues the next one. Correctness never depends on the job: a request still compares the
plan's change stamp with the stamp the figures were computed at (`tracking.dashboard.cached`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone, translation
from simple_history.signals import post_create_historical_record

from documents.models import Document
from organisations.models import Organisation, Person
from planning.models import (
    Plan,
    StrategicGoal,
    Target,
    Task,
    TaskBasis,
    TaskCoordination,
    WorkArea,
)
from planning.tree import plan_tree, unit_tree, unit_tree_key
from tracking import dashboard as figures
from tracking.models import CheckIn, Extension, FiguresRefresh, StoredFigures

# A job that died without clearing its flag does not block the plan longer than this.
PENDING_TIMEOUT = dt.timedelta(minutes=10)
# Figures of past days that nobody asked for again are dropped after this.
KEEP_STORED = dt.timedelta(days=7)


@dataclass(frozen=True)
class Refresh:
    """An on-commit callback; equal callbacks in one transaction are queued once."""

    plan_id: int | None = None
    task_id: int | None = None
    school_id: int | None = None

    def plan_ids(self) -> list[int]:
        if self.plan_id is not None:
            return [self.plan_id]
        if self.task_id is not None:
            return list(Task.objects.filter(pk=self.task_id).values_list("plan_id", flat=True))
        return list(
            Plan.objects.active().filter(school_id=self.school_id).values_list("pk", flat=True)
        )

    def __call__(self) -> None:
        for plan_id in self.plan_ids():
            request_refresh(plan_id)


def schedule(**ids: int | None) -> None:
    """Refresh the figures of a plan (given directly, by a task or by a school) once the current
    transaction commits; nothing happens if it rolls back."""
    if all(value is None for value in ids.values()):
        return
    callback = Refresh(**ids)
    if connection.in_atomic_block and any(
        entry[1] == callback for entry in connection.run_on_commit
    ):
        return
    # robust: the change is committed whatever happens here; a failure is logged, not raised.
    transaction.on_commit(callback, robust=True)


def request_refresh(plan_id: int) -> bool:
    """Enqueue the refresh job unless one is already pending for the plan."""
    from tracking.jobs import refresh_figures_job

    now = timezone.now()
    claimed = (
        FiguresRefresh.objects.filter(plan_id=plan_id)
        .filter(Q(pending=False) | Q(requested_at__lt=now - PENDING_TIMEOUT))
        .update(pending=True, requested_at=now)
    )
    if not claimed:
        _row, created = FiguresRefresh.objects.get_or_create(
            plan_id=plan_id, defaults={"pending": True, "requested_at": now}
        )
        if not created:
            return False
    refresh_figures_job.enqueue(plan_id)
    return True


def refresh(plan_id: int, today: dt.date) -> list[str]:
    """Recompute and store what today's requests will ask for: the leadership dashboard, the
    unit dashboards and unit plan pages someone has opened today, and the plan page's task
    tree. Returns the keys."""
    FiguresRefresh.objects.filter(plan_id=plan_id).update(pending=False)
    plan = Plan.objects.select_related("school").filter(pk=plan_id).first()
    if plan is None:
        return []
    with translation.override(settings.LANGUAGE_CODE):
        # The stamp is read before anything is computed: figures that already include a later
        # change are then stored under an older stamp, and a request recomputes them.
        stamp = figures.stamp_text(figures.change_stamp(plan))
        on = figures.default_day(plan, today)
        jobs: dict[str, Any] = {
            figures.dashboard_key(None, on): lambda: figures.dashboard_body(plan, on, None),
            f"plan-tree:{today.isoformat()}": lambda: plan_tree(plan),
        }
        for unit in _units_viewed(plan, "dashboard:", on):
            jobs[figures.dashboard_key(unit.pk, on)] = lambda unit=unit: figures.dashboard_body(
                plan, on, unit
            )
        # Units' plan pages opened today (planning.views.unit_plan, built by planning.tree) are kept warm too.
        for unit in _units_viewed(plan, "unit-plan:", today):
            jobs[unit_tree_key(unit.pk, today)] = lambda unit=unit: unit_tree(plan, unit)
        for key, compute in jobs.items():
            figures.store(plan_id, figures.stored_key(key), stamp, compute())
        StoredFigures.objects.filter(
            plan_id=plan_id, computed_at__lt=timezone.now() - KEEP_STORED
        ).delete()
        return [figures.stored_key(key) for key in jobs]


def _units_viewed(plan: Plan, kind: str, day: dt.date) -> Any:
    """The units whose `kind` page (stored under "<kind><unit id>:<day>") someone opened for
    `day`: their stored figures are the ones worth recomputing. Unit 0 is the whole school."""
    prefix = figures.stored_key(kind)
    suffix = f":{day.isoformat()}"
    keys = StoredFigures.objects.filter(
        plan_id=plan.pk, key__startswith=prefix, key__endswith=suffix
    ).values_list("key", flat=True)
    unit_ids = {int(key[len(prefix) : -len(suffix)]) for key in keys} - {0}
    return Organisation.objects.filter(pk__in=unit_ids, school_id=plan.school_id)


# What the change stamp covers, and how each change finds its plan ----------------------------


@receiver(post_create_historical_record)
def history_written(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, Task | Target | WorkArea):
        schedule(plan_id=instance.plan_id)
    elif isinstance(instance, Extension | TaskCoordination | TaskBasis):
        schedule(task_id=instance.task_id)
    elif isinstance(instance, Organisation):
        schedule(school_id=instance.school_id or instance.pk)
    elif isinstance(instance, Person | Document | StrategicGoal):
        schedule(school_id=instance.school_id)


def checkin_saved(sender: Any, instance: CheckIn, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # rows loaded as they are (manage.py restore, loaddata): nothing changed
    schedule(task_id=instance.task_id)
