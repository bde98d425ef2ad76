"""The figures of a report, computed from the data as of its cut-off date.

Every figure is read as it stood on the cut-off: a task is done if it was completed by then, and
on time or late against its original deadline (an extension granted later does not rewrite the
past); a target's actual value is its latest reading on or before the cut-off; a task's progress
is the lead unit's latest check-in on or before the cut-off. The result is plain JSON (strings,
integers, lists, dicts) so that issuing a report can freeze it as it is.

A fixed number of queries, whatever the size of the plan.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from core.text import format_date, format_number
from organisations.membership import subtree_ids
from organisations.models import Organisation
from planning.models import Target, Task, TaskQuerySet, WorkArea
from planning.status import RunState, target_rag
from tracking import task_figures
from tracking.models import CheckIn, CheckInRole, TargetReading

CELLS = ("done_on_time", "done_late", "open_in_time", "open_overdue")


def cell_q(cell: str, on: dt.date) -> Q:
    """The cells of the 2×2 matrix as of `on`, measured against the original deadline
    (`baseline`: the first deadline set, before any extension)."""
    done = Q(completed_on__isnull=False, completed_on__lte=on)
    late = Q(baseline__isnull=False, completed_on__gt=F("baseline"))
    overdue = Q(baseline__isnull=False, baseline__lt=on)
    return {
        "done_on_time": done & ~late,
        "done_late": done & late,
        "open_in_time": ~done & ~overdue,
        "open_overdue": ~done & overdue,
    }[cell]


def report_tasks(report: Any) -> TaskQuerySet:
    """The tasks a report counts, as they stood on the cut-off: the school plan's tasks (all
    levels) for a school report; those the unit (with its sub-units) leads or owns for a unit
    report. A task archived after the cut-off still counted then."""
    tasks = Task.objects.filter(plan_id=report.plan_id).filter(
        Q(archived_at__isnull=True) | Q(archived_at__date__gt=report.cutoff)
    )
    if report.unit_id is not None:
        ids = subtree_ids({report.unit_id}, report.plan.school_id)
        tasks = tasks.filter(Q(lead_unit__in=ids) | Q(owner_unit__in=ids))
    else:
        tasks = tasks.school_level()
    return tasks


def _counts(tasks: TaskQuerySet, by: str, on: dt.date) -> dict[Any, dict[str, int]]:
    rows = (
        tasks.filter(run_state=RunState.ACTIVE)
        .annotate(baseline=Coalesce("original_due_date", "due_date"))
        .order_by()
        .values(by)
        .annotate(**{cell: Count("pk", filter=cell_q(cell, on)) for cell in CELLS})
    )
    result: dict[Any, dict[str, int]] = {}
    for row in rows:
        key = row.pop(by)
        counts = {cell: int(row[cell]) for cell in CELLS}
        counts["total"] = sum(counts.values())
        result[key] = counts
    return result


def _sum(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {key: sum(int(row[key]) for row in rows) for key in (*CELLS, "total")}


def _number(value: Decimal | None) -> str:
    return format_number(value) if value is not None else ""


def target_value_text(target: Target) -> str:
    if target.direction == "range":
        return f"{_number(target.range_min)}–{_number(target.range_max)}"
    if target.direction == "boolean":
        return _("Đạt")
    return _number(target.target_value)


def _actual_text(target: Target, value: Decimal | None) -> str:
    if value is None:
        return ""
    if target.direction == "boolean":
        return _("Đạt") if value == 1 else _("Chưa đạt")
    return format_number(value)


def _targets(report: Any, unit_ids: set[int] | None) -> list[dict[str, Any]]:
    reading = TargetReading.objects.filter(
        target=OuterRef("pk"), measured_on__lte=report.cutoff
    ).order_by("-measured_on", "-pk")
    targets = (
        Target.objects.active()
        .filter(plan_id=report.plan_id)
        .select_related("area", "responsible_unit")
        .annotate(
            value_then=Subquery(reading.values("value")[:1]),
            measured_then=Subquery(reading.values("measured_on")[:1]),
        )
        .order_by(F("area__order").asc(nulls_last=True), "area_id", "order", "pk")
    )
    if unit_ids is not None:
        targets = targets.filter(responsible_unit__in=unit_ids)
    rows = []
    for target in targets:
        value = target.value_then
        rag = target_rag(
            target.direction,
            value,
            target_value=target.target_value,
            range_min=target.range_min,
            range_max=target.range_max,
            amber_threshold=target.amber_threshold,
            red_threshold=target.red_threshold,
        )
        rows.append({
            "id": target.pk,
            "area_id": target.area_id,
            "area": target.area.name if target.area else "",
            "code": target.code,
            "name": target.name,
            "unit_of_measure": target.unit_of_measure,
            "target": target_value_text(target),
            "actual": _actual_text(target, value),
            "measured_on": format_date(target.measured_then),
            "rag": str(rag) if rag else "",
            "state": str(rag.label) if rag else _("Chưa có số liệu"),
            "unit": str(target.responsible_unit or ""),
        })  # fmt: skip
    return rows


def _task_list(tasks: TaskQuerySet, on: dt.date, *, only_overdue: bool) -> list[dict[str, Any]]:
    """Tasks with their progress as of `on` (the lead unit's latest check-in by then)."""
    latest = CheckIn.objects.filter(
        task=OuterRef("pk"), role=CheckInRole.LEAD, reported_on__lte=on
    ).order_by("-reported_on", "-pk")
    rows = (
        tasks.filter(run_state=RunState.ACTIVE)
        .annotate(
            baseline=Coalesce("original_due_date", "due_date"),
            progress_then=Subquery(latest.values("progress")[:1]),
            reported_then=Subquery(latest.values("reported_on")[:1]),
        )
        .select_related("lead_unit", "area")
    )
    if only_overdue:
        rows = rows.filter(cell_q("open_overdue", on))
    result = []
    for task in rows.order_by("baseline", "pk") if only_overdue else rows.order_by("order", "pk"):
        baseline = task.baseline
        done = task.completed_on is not None and task.completed_on <= on
        if done:
            cell = "done_late" if baseline and task.completed_on > baseline else "done_on_time"
        else:
            cell = "open_overdue" if baseline and baseline < on else "open_in_time"
        progress = 100 if done else task.progress_then
        result.append({
            "id": task.pk,
            "code": task.code,
            "title": task.title,
            "area": task.area.name if task.area else "",
            "unit": str(task.lead_unit or ""),
            "due": format_date(baseline),
            "days_late": (on - baseline).days if cell == "open_overdue" else 0,
            "progress": "" if progress is None else f"{progress}%",
            "reported_on": format_date(task.reported_then),
            "state": str(task_figures.MATRIX_LABELS[cell]),
        })  # fmt: skip
    return result


def compute(report: Any) -> dict[str, Any]:
    """Everything a report shows as a figure, as JSON-ready data."""
    on = report.cutoff
    plan = report.plan
    unit_ids = subtree_ids({report.unit_id}, plan.school_id) if report.unit_id else None
    tasks = report_tasks(report)

    areas = list(WorkArea.objects.filter(plan=plan).order_by("order", "pk").values("pk", "code", "name"))  # fmt: skip
    names = dict(Organisation.objects.filter(school_id=plan.school_id).values_list("pk", "name"))
    by_area_counts = _counts(tasks, "area_id", on)
    by_area = []
    for area in areas:
        if area["pk"] in by_area_counts:
            by_area.append({"id": area["pk"], "name": area["name"], **by_area_counts[area["pk"]]})
    if None in by_area_counts:
        by_area.append({"id": None, "name": _("Chưa xếp lĩnh vực"), **by_area_counts[None]})
    by_unit = [
        {"id": pk, "name": names.get(pk, "—") if pk else _("Chưa giao đơn vị chủ trì"), **counts}
        for pk, counts in _counts(tasks, "lead_unit_id", on).items()
    ]
    by_unit.sort(key=lambda row: (row["id"] is None, row["name"]))
    totals = _sum(by_area)
    done = totals["done_on_time"] + totals["done_late"]
    # The headline rates count the tasks whose original deadline has come (VPCP 1270/BC-TCTTTg).
    due = (
        tasks.filter(run_state=RunState.ACTIVE)
        .annotate(baseline=Coalesce("original_due_date", "due_date"))
        .aggregate(
            due=Count("pk", filter=Q(baseline__lte=on)),
            due_done=Count("pk", filter=Q(baseline__lte=on, completed_on__lte=on)),
            due_on_time=Count("pk", filter=Q(baseline__lte=on, completed_on__lte=F("baseline"))),
        )
    )
    paused = tasks.exclude(run_state=RunState.ACTIVE).count()

    period = CheckIn.objects.filter(
        task__in=tasks, reported_on__gte=report.period_start, reported_on__lte=on
    ).aggregate(checkins=Count("pk"), tasks=Count("task", distinct=True))

    punctuality = [
        {
            "unit": p.unit.name,
            "tasks_due": p.tasks_due,
            "tasks_on_time": p.tasks_on_time,
            "checkins": p.checkins,
            "checkins_on_time": p.checkins_on_time,
            "score": format_number(Decimal(str(p.score))) if p.score is not None else "",
        }
        for p in task_figures.punctuality(plan, tasks, on)
    ]
    targets = _targets(report, unit_ids)
    states = {"green": 0, "amber": 0, "red": 0, "none": 0}
    for row in targets:
        states[row["rag"] or "none"] += 1

    figures = {
        "cutoff": format_date(on),
        "totals": totals,
        "done": done,
        "due": int(due["due"]),
        "due_done": int(due["due_done"]),
        "due_on_time": int(due["due_on_time"]),
        "done_rate": _rate(int(due["due_done"]), int(due["due"])),
        "on_time_rate": _rate(int(due["due_on_time"]), int(due["due"])),
        "paused_or_cancelled": paused,
        "checkins": int(period["checkins"]),
        "tasks_reported": int(period["tasks"]),
        "by_area": by_area,
        "by_unit": by_unit,
        "punctuality": punctuality,
        "targets": targets,
        "target_states": states,
        "overdue": _task_list(tasks, on, only_overdue=True),
        # A unit's report lists each of its tasks; the school's only the overdue ones.
        "tasks": _task_list(tasks, on, only_overdue=False) if report.unit_id else [],
    }
    # Exactly what JSON gives back, so a live computation compares equal to a frozen one.
    return json.loads(json.dumps(figures))


def _rate(part: int, whole: int) -> str:
    return format_number(Decimal(100 * part / whole).quantize(Decimal("0.1"))) if whole else ""


SECTIONS = {
    "targets": "kết quả các chỉ tiêu",
    "by_area": "số nhiệm vụ theo lĩnh vực",
    "by_unit": "số nhiệm vụ theo đơn vị",
    "punctuality": "tính đúng hạn của các đơn vị",
    "overdue": "nhiệm vụ quá hạn",
    "tasks": "nhiệm vụ của đơn vị",
}


def differences(frozen: dict[str, Any], live: dict[str, Any]) -> list[str]:
    """What of the frozen figures the live data no longer matches, in words."""
    changed = [label for key, label in SECTIONS.items() if frozen.get(key) != live.get(key)]
    if frozen.get("totals") != live.get("totals") and SECTIONS["by_area"] not in changed:
        changed.append(SECTIONS["by_area"])
    return changed
