"""The figures of the dashboards, each in a fixed number of queries whatever the plan's size."""

from __future__ import annotations

import datetime as dt
import json
import zlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import BinaryField, Count, F, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from documents.models import Document
from organisations.membership import subtree_ids
from organisations.models import Organisation, Person
from planning.models import (
    Plan,
    StrategicGoal,
    Target,
    Task,
    TaskBasis,
    TaskCoordination,
    TaskQuerySet,
    WorkArea,
)
from tracking.models import CheckIn, Extension, ExtensionStatus, StoredFigures
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


def _stamp_annotations() -> dict[str, Any]:
    """What changes whenever a figure of the plan's pages may change, as one row of subqueries.

    Every save of a task, target, extension or unit leaves a history row; check-ins only add
    rows; derived progress is written by update() and summed.
    """

    # Built at import, outside any scope: subqueries bound to the (scoped) plan row, so the base
    # manager, which is never scoped (core.scopes).
    def latest(model: Any, **lookup: Any) -> Subquery:
        rows = model._base_manager.filter(**lookup).order_by().values(*lookup.keys())
        return Subquery(rows.annotate(m=Max("pk")).values("m")[:1])

    return {
        "stamp_tasks": latest(Task.history.model, plan_id=OuterRef("pk")),
        "stamp_targets": latest(Target.history.model, plan_id=OuterRef("pk")),
        "stamp_checkins": latest(CheckIn, task__plan_id=OuterRef("pk")),
        "stamp_extensions": latest(Extension.history.model, task__plan_id=OuterRef("pk")),
        "stamp_units": latest(Organisation.history.model, school_id=OuterRef("school_id")),
        # The plan page's task tree also shows coordinating units, bases and people.
        "stamp_coordinations": latest(TaskCoordination.history.model, task__plan_id=OuterRef("pk")),
        "stamp_bases": latest(TaskBasis.history.model, task__plan_id=OuterRef("pk")),
        "stamp_people": latest(Person.history.model, school_id=OuterRef("school_id")),
        "stamp_documents": latest(Document.history.model, school_id=OuterRef("school_id")),
        # Area names (dashboards, the plan page's targets) and the goals targets serve.
        "stamp_areas": latest(WorkArea.history.model, plan_id=OuterRef("pk")),
        "stamp_goals": latest(StrategicGoal.history.model, school_id=OuterRef("school_id")),
        "stamp_derived": Subquery(
            Task._base_manager.filter(plan_id=OuterRef("pk"))
            .order_by()
            .values("plan_id")
            .annotate(s=Sum("derived_progress"))
            .values("s")[:1]
        ),
    }


STAMP_FIELDS = tuple(_stamp_annotations())
# Part of every stored key: bump it when the shape of stored figures changes.
FIGURES_VERSION = 4


# Building the stamp query (ten subqueries) costs more Python than running it: it is compiled
# once per database and run with the plan's id (and the stored key) as parameters.
_PLAN_MARK = -917_263_001
_KEY_MARK = "\x00tracking-figures-key\x00"
_COMPILED: dict[tuple[str, bool], tuple[str, tuple[Any, ...]]] = {}


def _stamp_sql(with_stored: bool) -> tuple[str, tuple[Any, ...]]:
    cache_key = (connection.alias, with_stored)
    if cache_key not in _COMPILED:
        # Compiled once per process, for every school: the base manager, never scoped (the
        # plan was authorised, in the request's scope, before its figures are asked for).
        rows = Plan._base_manager.filter(pk=_PLAN_MARK).annotate(**_stamp_annotations())
        fields: tuple[str, ...] = STAMP_FIELDS
        if with_stored:
            stored = StoredFigures.objects.filter(plan_id=OuterRef("pk"), key=_KEY_MARK)
            rows = rows.annotate(
                stored_stamp=Subquery(stored.values("stamp")[:1]),
                stored_value=Subquery(stored.values("value")[:1], output_field=BinaryField()),
            )
            fields += ("stored_stamp", "stored_value")
        sql, params = rows.values_list(*fields).query.sql_with_params()
        assert params.count(_PLAN_MARK) == 1 and params.count(_KEY_MARK) == 2 * with_stored
        _COMPILED[cache_key] = (sql, tuple(params))
    return _COMPILED[cache_key]


def _stamp_row(plan_id: int, key: str | None = None) -> tuple[Any, ...]:
    sql, marked = _stamp_sql(key is not None)
    params = [plan_id if p == _PLAN_MARK else key if p == _KEY_MARK else p for p in marked]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        raise Plan.DoesNotExist
    return tuple(row)


def change_stamp(plan: Plan) -> tuple[Any, ...]:
    """The plan's change stamp, in one query."""
    return _stamp_row(plan.pk)


def stamp_text(parts: tuple[Any, ...]) -> str:
    return "-".join(str(part) for part in parts)


def stored_key(key: str) -> str:
    return f"v{FIGURES_VERSION}:{get_language()}:{key}"


def _dump(value: Any) -> bytes:
    """JSON, not pickle: what is stored is rendered HTML and counts, and reading it back must not
    run code whoever wrote the row. HTML comes back as a plain string: callers mark it safe."""
    return zlib.compress(json.dumps(value, ensure_ascii=False).encode(), 1)


def _load(data: Any) -> Any:
    return json.loads(zlib.decompress(bytes(data)))


def store(plan_id: int, key: str, stamp: str, value: Any) -> None:
    """Keep figures computed at `stamp` (one upsert)."""
    StoredFigures.objects.bulk_create(
        [
            StoredFigures(
                plan_id=plan_id, key=key, stamp=stamp, value=_dump(value),
                computed_at=timezone.now(),
            )
        ],
        update_conflicts=True,
        unique_fields=["plan", "key"],
        update_fields=["stamp", "value", "computed_at"],
    )  # fmt: skip


def cached(plan: Plan, key: str, compute: Callable[[], Any]) -> Any:
    """The figures computed by `compute()`, reused while nothing of the plan changes.

    One query reads the plan's change stamp together with the stored figures and the stamp they
    were computed at: when the two stamps agree (the worker has refreshed them after the last
    change, or an earlier request computed them), they are used; otherwise they are computed
    here and stored. Figures are therefore never older than the data.
    """
    full_key = stored_key(key)
    *parts, stored_stamp, stored_value = _stamp_row(plan.pk, full_key)
    stamp = stamp_text(tuple(parts))
    if stored_value is not None and stored_stamp == stamp:
        try:
            return _load(stored_value)
        except Exception:  # stored by an older version of the code: recompute
            pass
    value = compute()
    store(plan.pk, full_key, stamp, value)
    return value


def dashboard_key(unit_id: int | None, on: dt.date) -> str:
    return f"dashboard:{unit_id or 0}:{on.isoformat()}"


def default_day(plan: Plan, today: dt.date) -> dt.date:
    """A finished year is read as it stood on its last day."""
    return min(today, plan.ends_on)


def dashboard_figures(plan: Plan, on: dt.date, unit: Organisation | None, *, today: dt.date) -> Any:
    """The dashboard's body as of `on`, for the whole plan or a unit.

    Only the default day's figures (the one the worker keeps warm) are stored. Any other day can
    be asked (?on=…): storing each would let any reader fill the store one row per day asked,
    so those are computed for the request and not kept.
    """

    def compute() -> Any:
        return dashboard_body(plan, on, unit)

    if on != default_day(plan, today):
        return compute()
    return cached(plan, dashboard_key(unit.pk if unit is not None else None, on), compute)


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


STATUS_KEYS = tuple(str(status) for status in TaskStatus)


def task_rows(tasks: TaskQuerySet, on: dt.date) -> list[dict[str, Any]]:
    """Status counts and deadline counts per (area, lead unit), in one query.

    The matrix, both breakdowns, the headline and the tasks' half of punctuality are sums of
    these rows (a few hundred at most), so the seven status conditions are compiled and the
    tasks scanned once rather than five times.
    """
    active = Q(run_state=RunState.ACTIVE)
    due = active & Q(baseline__lte=on)
    annotations = {
        str(status): Count("pk", filter=Task.objects.status_q(status, on=on))
        for status in TaskStatus
    }
    return list(
        tasks.alias(baseline=Coalesce("original_due_date", "due_date"))
        .order_by()
        .values("area_id", "lead_unit_id")
        .annotate(
            **annotations,
            due=Count("pk", filter=due),
            due_done=Count("pk", filter=due & Q(completed_on__lte=on)),
            due_on_time=Count("pk", filter=due & Q(completed_on__lte=F("baseline"))),
            extended=Count("pk", filter=active & Q(original_due_date__isnull=False)),
        )
    )


def counts_of(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {key: sum(int(row[key] or 0) for row in rows) for key in STATUS_KEYS}


def headline_of(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The share of due tasks done, done on time against the original deadline, and overdue."""
    row = {
        key: sum(int(r[key] or 0) for r in rows)
        for key in ("due", "due_done", "due_on_time", "extended")
    }
    return {
        **row,
        "done_rate": percent(row["due_done"], row["due"]),
        "on_time_rate": percent(row["due_on_time"], row["due"]),
    }


def headline(tasks: TaskQuerySet, on: dt.date) -> dict[str, Any]:
    return headline_of(task_rows(tasks, on))


@dataclass
class BreakdownRow:
    pk: int | None
    name: str
    counts: dict[str, int]
    total: int
    cells: list[Cell] = field(default_factory=list)


def breakdown_of(
    rows: list[dict[str, Any]], by: str, names: dict[int, str], *, none_label: str = "—"
) -> list[BreakdownRow]:
    """Status counts grouped by a field of the rows (area_id, lead_unit_id)."""
    grouped: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row[by]].append(row)
    result = []
    for key, items in grouped.items():
        counts = counts_of(items)
        result.append(
            BreakdownRow(
                pk=key,
                name=names.get(key, "—") if key is not None else none_label,
                counts=counts,
                total=sum(counts.values()),
                cells=matrix(counts),
            )
        )
    result.sort(key=lambda r: (r.pk is None, r.name))
    return result


def breakdown(
    tasks: TaskQuerySet, by: str, names: dict[int, str], on: dt.date, *, none_label: str = "—"
) -> list[BreakdownRow]:
    """Status counts grouped by a field (area_id, lead_unit_id), in one query."""
    return breakdown_of(task_rows(tasks, on), by, names, none_label=none_label)


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


def punctuality(
    plan: Plan, tasks: TaskQuerySet, on: dt.date, rows: list[dict[str, Any]] | None = None
) -> list[Punctuality]:
    """Units ranked by administrative discipline: tasks done by their original deadline and
    check-ins sent within their period. `rows`: `task_rows(tasks, on)` if already read."""
    by_unit: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row in task_rows(tasks, on) if rows is None else rows:
        if row["lead_unit_id"] is not None and row["due"]:
            counts = by_unit[row["lead_unit_id"]]
            counts[0] += row["due"]
            counts[1] += row["due_on_time"]
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
        .select_related("task", "requested_by")
        .order_by("requested_at")[:limit]
    )
    return {"overdue": overdue, "worried": worried, "extensions": extensions}


def dashboard_body(plan: Plan, on: dt.date, unit: Organisation | None) -> str:
    """The dashboard's figures as HTML: what is stored (nothing in it depends on the viewer)."""
    return render_to_string("tracking/_dashboard_body.html", dashboard_context(plan, on, unit))


def dashboard_context(plan: Plan, on: dt.date, unit: Organisation | None) -> dict[str, Any]:
    tasks = scope(plan, unit)
    rows = task_rows(tasks, on)
    counts = counts_of(rows)
    areas = {a.pk: a.name for a in WorkArea.objects.filter(plan=plan)}
    by_area = breakdown_of(rows, "area_id", areas, none_label=_("Chưa xếp lĩnh vực"))
    unit_names = dict(
        Organisation.objects.filter(school_id=plan.school_id).values_list("pk", "name")
    )
    by_unit = breakdown_of(
        rows, "lead_unit_id", unit_names, none_label=_("Chưa giao đơn vị chủ trì")
    )
    states = target_states(plan, unit)
    ranking = punctuality(plan, tasks, on, rows)
    cells = matrix(counts)
    task_list = reverse("tracking:task_list", args=[plan.pk])
    unit_query = f"&unit={unit.pk}" if unit else ""
    charts = {
        "matrix": {
            "labels": [c.label for c in cells],
            "values": [c.count for c in cells],
            "colours": [c.colour for c in cells],
            "links": [f"{task_list}?cell={c.key}{unit_query}" for c in cells],
        },
        "areas": {
            "labels": [r.name if len(r.name) <= 28 else r.name[:27] + "…" for r in by_area],
            "series": [
                {
                    "label": c.label,
                    "colour": c.colour,
                    "values": [r.cells[i].count for r in by_area],
                }
                for i, c in enumerate(cells)
            ],
            "links": [f"{task_list}?area={r.pk or ''}{unit_query}" for r in by_area],
        },
        "rag": {
            "labels": [
                str(Rag.GREEN.label),
                str(Rag.AMBER.label),
                str(Rag.RED.label),
                _("Chưa có số liệu"),
            ],
            "values": [rag_counts(states)[k] for k in ("green", "amber", "red", "none")],
            "colours": ["#198754", "#ffc107", "#dc3545", "#adb5bd"],
            "links": ["#rag-green", "#rag-amber", "#rag-red", "#rag-none"],
        },
        "punctuality": {
            "labels": [p.unit.short_name or p.unit.name for p in ranking],
            "values": [p.score or 0 for p in ranking],
            "links": [
                reverse("tracking:unit_dashboard", args=[plan.pk, p.unit.pk]) for p in ranking
            ],
        },
    }
    return {
        "plan": plan,
        "on": on,
        "unit": unit,
        "counts": counts,
        "cells": cells,
        "headline": headline_of(rows),
        "by_area": by_area,
        "by_unit": by_unit,
        "states": states,
        "rag_counts": rag_counts(states),
        "goals": goal_rollup(states),
        "ranking": ranking,
        "attention": attention(tasks, on),
        "charts": charts,
        "statuses": list(TaskStatus),
        "unit_query": unit_query,
        "matrix_total": sum(c.count for c in cells),
        "can_edit_policy": False,
    }
