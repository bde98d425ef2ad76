"""The province dashboard: for each school a body directs, its summary figures — the share of its
due tasks done and done on time, its overdue tasks, its targets by state (red: not met), its
punctuality in answering the body's report requests, and what the domains above the plan count
about it (tracking.summaries: enrolment against quota and retention from students, the year's
titles from emulation).

Read across the body's schools on purpose, and only figures: from each school's issued plan of
the year (never a draft), counted in a fixed number of queries whatever the number of schools
(one per distinct day the plans are read on, a day per school year). The lists behind the
figures (which tasks are overdue, which targets are not met) only for a school that shares them
(DirectedSchool.shares_details).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django_scopes import scopes_disabled

from core.clock import school_year_of
from planning.models import Plan, PlanStatus, Target, Task
from planning.status import Rag, TaskStatus, default_day
from province import reporting
from province.models import DirectedSchool
from province.services import directed_schools
from tracking.summaries import Figure, Summary, compute_all, summaries
from tracking.target_figures import rag_of
from tracking.task_figures import headline_of, matrix, percent, rows_in_sql


def school_year(on: dt.date) -> int:
    """The school year a day falls in (by its first year: 1/9 to 31/8)."""
    return school_year_of(on)


@dataclass
class SchoolRow:
    """One school's summary figures."""

    entry: DirectedSchool
    plan: Plan | None = None
    on: dt.date | None = None
    counts: dict[str, int] = field(default_factory=dict)
    headline: dict[str, Any] = field(default_factory=dict)
    targets: dict[str, int] = field(default_factory=lambda: {str(r): 0 for r in Rag} | {"none": 0})
    reports_due: int = 0
    reports_on_time: int = 0
    figures: dict[str, Figure] = field(default_factory=dict)
    # Each registered summary with this school's figure (None: nothing counted), in order.
    summary_cells: list[tuple[Summary, Figure | None]] = field(default_factory=list)

    @property
    def school(self) -> Any:
        return self.entry.school

    @property
    def task_total(self) -> int:
        return sum(self.counts.values())

    @property
    def overdue(self) -> int:
        return self.counts.get(str(TaskStatus.OVERDUE), 0)

    @property
    def reports_rate(self) -> float | None:
        return percent(self.reports_on_time, self.reports_due)

    @property
    def cells(self) -> list[Any]:
        return matrix(self.counts)

    @property
    def target_total(self) -> int:
        return sum(self.targets.values())


def _plans(school_ids: Sequence[int], today: dt.date) -> dict[int, Plan]:
    """Each school's issued plan of the year, or its latest issued one before it."""
    chosen: dict[int, Plan] = {}
    for plan in (
        Plan.objects.active()
        .filter(
            school_id__in=list(school_ids),
            status=PlanStatus.ISSUED,
            start_year__lte=school_year(today),
        )
        .order_by("school_id", "-start_year", "-pk")
        .only("pk", "school_id", "start_year", "title", "status")
    ):
        chosen.setdefault(plan.school_id, plan)
    return chosen


def rows(body_id: int, today: dt.date, *, school_id: int | None = None) -> list[SchoolRow]:
    """Every school the body directs (or the one asked for), with its summary figures."""
    directed = directed_schools(body_id)
    if school_id is not None:
        directed = directed.filter(school_id=school_id)
    entries = list(directed)
    ids = [entry.school_id for entry in entries]
    result = {entry.school_id: SchoolRow(entry) for entry in entries}
    with scopes_disabled():  # the body's schools only: every query below is filtered by `ids`
        plans = _plans(ids, today)
        by_day: dict[dt.date, list[Plan]] = defaultdict(list)
        for plan in plans.values():
            row = result[plan.school_id]
            row.plan, row.on = plan, default_day(plan, today)
            by_day[row.on].append(plan)
        school_of_plan = {plan.pk: plan.school_id for plan in plans.values()}
        for day, day_plans in by_day.items():
            tasks = Task.objects.filter(
                plan__in=[p.pk for p in day_plans], archived_at__isnull=True
            )
            grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
            for counted in rows_in_sql(tasks, day, group=("plan_id",)):
                grouped[counted["plan_id"]].append(counted)
            for plan_id, counted_rows in grouped.items():
                row = result[school_of_plan[plan_id]]
                row.counts = {
                    str(s): sum(int(r[str(s)] or 0) for r in counted_rows) for s in TaskStatus
                }
                row.headline = headline_of(counted_rows)
        for target in Target.objects.filter(
            plan__in=list(school_of_plan), archived_at__isnull=True
        ).only(*TARGET_FIELDS):
            rag = rag_of(target)
            result[school_of_plan[target.plan_id]].targets[str(rag) if rag else "none"] += 1
        for school_id, (due, kept) in reporting.punctuality(body_id, ids, today).items():
            result[school_id].reports_due, result[school_id].reports_on_time = due, kept
        for key, by_school in compute_all(ids, today).items():
            for school_id, figure in by_school.items():
                if school_id in result:
                    result[school_id].figures[key] = figure
    shown = summaries()
    for row in result.values():
        row.summary_cells = [(summary, row.figures.get(summary.key)) for summary in shown]
    return [result[entry.school_id] for entry in entries]


# What the state of a target is computed from (planning.status.target_rag), and its plan.
TARGET_FIELDS = (
    "pk", "plan_id", "direction", "actual_value", "target_value", "range_min", "range_max",
    "amber_threshold", "red_threshold",
)  # fmt: skip


@dataclass
class SharedLists:
    """What a school that shares them lets the body read behind its figures."""

    overdue: list[Task]
    red_targets: list[Target]


def shared_lists(row: SchoolRow, limit: int = 50) -> SharedLists | None:
    """The school's overdue tasks (longest overdue first) and its targets not met, by name; None
    unless the school shares them."""
    if not row.entry.shares_details or row.plan is None or row.on is None:
        return None
    on = row.on
    with scopes_disabled():  # one school, which chose to share these lists
        overdue = list(
            Task.objects.filter(plan=row.plan)
            .active()
            .overdue(on=on)
            .select_related("lead_unit")
            .only("code", "title", "due_date", "plan_id", "lead_unit__name")
            .order_by("due_date", "pk")[:limit]
        )
        for task in overdue:
            vars(task)["days_overdue"] = (on - (task.due_date or on)).days
        red = [
            target
            for target in Target.objects.filter(plan=row.plan, archived_at__isnull=True).order_by(
                "order", "pk"
            )
            if rag_of(target) == Rag.RED
        ]
    return SharedLists(overdue=overdue, red_targets=red)
