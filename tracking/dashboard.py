"""The figures of the dashboards, each in a fixed number of queries whatever the plan's size."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from documents.models import Document
from organisations.membership import subtree_ids
from organisations.models import Organisation, Person
from planning.models import Plan, Target, Task, TaskBasis, TaskCoordination, TaskQuerySet
from tracking.models import CheckIn, Extension, ExtensionStatus
from tracking.status import MATRIX, RAG_COLOURS, Rag, RunState, TaskStatus, target_rag

MATRIX_LABELS = {
    "done_on_time": TaskStatus.DONE_ON_TIME.label,
    "done_late": TaskStatus.DONE_LATE.label,
    "open_in_time": TaskStatus.IN_PROGRESS.label,
    "open_overdue": TaskStatus.OVERDUE.label,
}
MATRIX_COLOURS = {
    "done_on_time": "#198754",
    "done_late": "#fd7e14",
    "open_in_time": "#0d6efd",
    "open_overdue": "#dc3545",
}


def change_stamp(plan: Plan) -> tuple[Any, ...]:
    """What changes whenever a figure of the plan's dashboards may change, in one query.

    Every save of a task, target, extension or unit leaves a history row; check-ins only add
    rows; derived progress is written by update() and summed.
    """

    def latest(model: Any, **lookup: Any) -> Subquery:
        rows = model.objects.filter(**lookup).order_by().values(*lookup.keys())
        return Subquery(rows.annotate(m=Max("pk")).values("m")[:1])

    return tuple(
        Plan.objects.filter(pk=plan.pk)
        .annotate(
            stamp_tasks=latest(Task.history.model, plan_id=OuterRef("pk")),
            stamp_targets=latest(Target.history.model, plan_id=OuterRef("pk")),
            stamp_checkins=latest(CheckIn, task__plan_id=OuterRef("pk")),
            stamp_extensions=latest(Extension.history.model, task__plan_id=OuterRef("pk")),
            stamp_units=latest(Organisation.history.model, school_id=OuterRef("school_id")),
            # The plan page's task tree also shows coordinating units, bases and people.
            stamp_coordinations=latest(
                TaskCoordination.history.model, task__plan_id=OuterRef("pk")
            ),
            stamp_bases=latest(TaskBasis.history.model, task__plan_id=OuterRef("pk")),
            stamp_people=latest(Person.history.model, school_id=OuterRef("school_id")),
            stamp_documents=latest(Document.history.model, school_id=OuterRef("school_id")),
            stamp_derived=Subquery(
                Task.objects.filter(plan_id=OuterRef("pk"))
                .order_by()
                .values("plan_id")
                .annotate(s=Sum("derived_progress"))
                .values("s")[:1]
            ),
        )
        .values_list(
            "stamp_tasks",
            "stamp_targets",
            "stamp_checkins",
            "stamp_extensions",
            "stamp_units",
            "stamp_coordinations",
            "stamp_bases",
            "stamp_people",
            "stamp_documents",
            "stamp_derived",
        )
        .get()
    )


def cached(plan: Plan, key: str, compute: Any, timeout: int = 600) -> Any:
    """The figures computed by `compute()`, reused until something of the plan changes."""
    stamp = "-".join(str(part) for part in change_stamp(plan))
    full_key = f"tracking:{plan.pk}:{get_language()}:{key}:{stamp}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout)
    return value


def default_day(plan: Plan, today: dt.date) -> dt.date:
    """A finished year is read as it stood on its last day."""
    return min(today, plan.ends_on)


def scope(plan: Plan, unit: Organisation | None = None) -> TaskQuerySet:
    """The tasks a dashboard counts: the whole plan, or those a unit (with its sub-units) leads
    or owns."""
    tasks = Task.objects.active().filter(plan=plan)
    if unit is not None:
        ids = subtree_ids({unit.pk}, plan.school_id)
        tasks = tasks.filter(Q(lead_unit__in=ids) | Q(owner_unit__in=ids))
    return tasks


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Cell:
    key: str
    label: str
    count: int
    share: float | None
    colour: str


def matrix(counts: dict[str, int]) -> list[Cell]:
    total = sum(counts.get(s, 0) for statuses in MATRIX.values() for s in statuses)
    cells = []
    for key, statuses in MATRIX.items():
        count = sum(counts.get(s, 0) for s in statuses)
        cells.append(
            Cell(key, str(MATRIX_LABELS[key]), count, percent(count, total), MATRIX_COLOURS[key])
        )
    return cells


def headline(tasks: TaskQuerySet, on: dt.date) -> dict[str, Any]:
    """The share of due tasks done, done on time against the original deadline, and overdue."""
    row = (
        tasks.filter(run_state=RunState.ACTIVE)
        .annotate(baseline=Coalesce("original_due_date", "due_date"))
        .aggregate(
            due=Count("pk", filter=Q(baseline__lte=on)),
            due_done=Count("pk", filter=Q(baseline__lte=on, completed_on__lte=on)),
            due_on_time=Count("pk", filter=Q(baseline__lte=on, completed_on__lte=F("baseline"))),
            extended=Count("pk", filter=Q(original_due_date__isnull=False)),
        )
    )
    return {
        **row,
        "done_rate": percent(row["due_done"], row["due"]),
        "on_time_rate": percent(row["due_on_time"], row["due"]),
    }


@dataclass
class BreakdownRow:
    pk: int | None
    name: str
    counts: dict[str, int]
    total: int
    cells: list[Cell] = field(default_factory=list)


def breakdown(
    tasks: TaskQuerySet, by: str, names: dict[int, str], on: dt.date, *, none_label: str = "—"
) -> list[BreakdownRow]:
    """Status counts grouped by a field (area, lead unit), in one query."""
    annotations = {
        str(status): Count("pk", filter=Task.objects.status_q(status, on=on))
        for status in TaskStatus
    }
    rows = []
    for values in tasks.order_by().values(by).annotate(**annotations):
        key = values.pop(by)
        counts = {k: int(v) for k, v in values.items()}
        rows.append(
            BreakdownRow(
                pk=key,
                name=names.get(key, "—") if key is not None else none_label,
                counts=counts,
                total=sum(counts.values()),
                cells=matrix(counts),
            )
        )
    rows.sort(key=lambda r: (r.pk is None, r.name))
    return rows


@dataclass
class Punctuality:
    unit: Organisation
    tasks_due: int
    tasks_on_time: int
    checkins: int
    checkins_on_time: int

    @property
    def score(self) -> float | None:
        return percent(self.tasks_on_time + self.checkins_on_time, self.tasks_due + self.checkins)


def punctuality(plan: Plan, tasks: TaskQuerySet, on: dt.date) -> list[Punctuality]:
    """Units ranked by administrative discipline: tasks done by their original deadline and
    check-ins sent within their period."""
    by_unit: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row in (
        tasks.filter(run_state=RunState.ACTIVE, lead_unit__isnull=False)
        .annotate(baseline=Coalesce("original_due_date", "due_date"))
        .filter(baseline__lte=on)
        .order_by()
        .values("lead_unit_id")
        .annotate(due=Count("pk"), on_time=Count("pk", filter=Q(completed_on__lte=F("baseline"))))
    ):
        by_unit[row["lead_unit_id"]][0:2] = [row["due"], row["on_time"]]
    for row in (
        CheckIn.objects.filter(task__in=tasks, reported_on__lte=on)
        .order_by()
        .values("unit_id")
        .annotate(total=Count("pk"), on_time=Count("pk", filter=Q(on_time=True)))
    ):
        by_unit[row["unit_id"]][2:4] = [row["total"], row["on_time"]]
    units = Organisation.objects.in_bulk(list(by_unit))
    ranking = [Punctuality(units[pk], *values) for pk, values in by_unit.items() if pk in units]
    ranking.sort(key=lambda p: (-(p.score or 0), p.unit.name))
    return ranking


@dataclass
class TargetState:
    target: Target
    rag: Rag | None

    @property
    def colour(self) -> str:
        return RAG_COLOURS.get(self.rag, "secondary") if self.rag else "secondary"


def rag_of(target: Target) -> Rag | None:
    return target_rag(
        target.direction,
        target.actual_value,
        target_value=target.target_value,
        range_min=target.range_min,
        range_max=target.range_max,
        amber_threshold=target.amber_threshold,
        red_threshold=target.red_threshold,
    )


def target_states(plan: Plan, unit: Organisation | None = None) -> list[TargetState]:
    targets = plan.targets.active().select_related("area", "strategic_goal", "responsible_unit")
    if unit is not None:
        targets = targets.filter(responsible_unit__in=subtree_ids({unit.pk}, plan.school_id))
    return [TargetState(t, rag_of(t)) for t in targets]


def rag_counts(states: list[TargetState]) -> dict[str, int]:
    counts = {str(r): 0 for r in Rag} | {"none": 0}
    for state in states:
        counts[str(state.rag) if state.rag else "none"] += 1
    return counts


@dataclass
class GoalRollup:
    goal: Any
    counts: dict[str, int]
    total: int


def goal_rollup(states: list[TargetState]) -> list[GoalRollup]:
    """Targets rolled up to the strategic goal they serve."""
    grouped: dict[Any, list[TargetState]] = defaultdict(list)
    for state in states:
        if state.target.strategic_goal is not None:
            grouped[state.target.strategic_goal].append(state)
    return [
        GoalRollup(goal, rag_counts(items), len(items))
        for goal, items in sorted(grouped.items(), key=lambda kv: (kv[0].code, kv[0].pk))
    ]


def attention(tasks: TaskQuerySet, on: dt.date, limit: int = 10) -> dict[str, Any]:
    """What needs attention: the most overdue tasks, the latest low-confidence reports, pending
    extensions."""
    overdue = list(
        tasks.overdue(on=on)
        .select_related("lead_unit", "person_in_charge")
        .order_by("due_date", "pk")[:limit]
    )
    for task in overdue:
        task.days_overdue = (on - task.due_date).days
    worried = list(
        CheckIn.objects.filter(task__in=tasks, confidence="low", reported_on__lte=on)
        .filter(task__completed_on__isnull=True)
        .select_related("task", "unit")
        .order_by("-reported_on", "-pk")[:limit]
    )
    extensions = list(
        Extension.objects.filter(task__in=tasks, status=ExtensionStatus.PENDING)
        .select_related("task", "requested_by__person")
        .order_by("requested_at")[:limit]
    )
    return {"overdue": overdue, "worried": worried, "extensions": extensions}
