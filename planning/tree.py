"""The task tree of a plan and a unit's share of it, rendered as HTML fragments.

Builders only (no request, no view): the plan page and the unit's plan page cache them under the
plan's figures version (planning/figures_cache.py).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from organisations.models import Organisation
from planning.models import Plan, Target, Task, TaskBasis, TaskCoordination, WorkArea
from planning.numbering import baseline_label


def _active_coordinations() -> Prefetch:
    return Prefetch(
        "coordinations",
        queryset=TaskCoordination.objects.active().select_related("unit"),
        to_attr="active_coordinations",
    )


def _active_bases() -> Prefetch:
    return Prefetch(
        "basis_links",
        queryset=TaskBasis.objects.active().select_related("document__doc_type"),
        to_attr="active_bases",
    )


def task_rows(tasks: Any) -> list[Task]:
    """The tasks with everything a list shows, in a fixed number of queries."""
    return list(
        tasks.select_related("lead_unit", "person_in_charge", "area", "owner_unit", "serves")
        .prefetch_related(_active_coordinations(), _active_bases())
        .order_by("order", "pk")
    )


def code_key(task: Task) -> tuple[Any, ...]:
    """Natural order of task codes: 2 < 10, 1.2 < 1.10."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in task.code.split("."))


def flatten(roots: list[Task]) -> list[tuple[Task, int]]:
    """The tree in reading order, each task with its depth, for a single-loop template."""
    rows: list[tuple[Task, int]] = []
    stack = [(task, 0) for task in reversed(roots)]
    while stack:
        task, depth = stack.pop()
        rows.append((task, depth))
        stack.extend((child, depth + 1) for child in reversed(getattr(task, "tree_children", [])))
    return rows


def tree_context() -> dict[str, str]:
    """URL prefixes for the task rows, reversed once per page instead of once per row."""
    return {
        "task_url_prefix": reverse("planning:task_detail", args=[0]).removesuffix("0/"),
        "document_url_prefix": reverse("documents:document_detail", args=[0]).removesuffix("0/"),
    }


def build_tree(tasks: list[Task], *, by_code: bool = False) -> list[Task]:
    """Attach `tree_children` to each task and return the roots, in order."""
    by_parent: dict[int | None, list[Task]] = defaultdict(list)
    ids = {task.pk for task in tasks}
    if by_code:
        tasks = sorted(tasks, key=code_key)
    for task in tasks:
        by_parent[task.parent_id if task.parent_id in ids else None].append(task)
    for task in tasks:
        task.tree_children = by_parent.get(task.pk, [])  # type: ignore[attr-defined]
    return by_parent.get(None, [])


def plan_tree(plan: Plan) -> dict[str, Any]:
    """The plan page's data-heavy parts as HTML: the task tree (with the number of root tasks)
    and the targets by work area, with and without the editing links."""
    roots = build_tree(task_rows(plan.tasks.active().school_level()))
    context = {
        "rows": flatten(roots),
        "plan": plan,
        "empty_label": _("Chưa có nhiệm vụ."),
        **tree_context(),
    }
    return {
        "tree_html": render_to_string("planning/_task_rows.html", context),
        "root_count": len(roots),
        **plan_targets(plan),
    }


def plan_targets(plan: Plan) -> dict[str, str]:
    """The plan page's targets by work area as HTML, for readers and for those who edit."""
    targets = list(
        plan.targets.active().select_related("area", "responsible_unit", "strategic_goal")
    )
    areas = list(plan.areas.active())
    targets_by_area: dict[int | None, list[Target]] = defaultdict(list)
    for target in targets:
        targets_by_area[target.area_id].append(target)
    area_rows: list[tuple[WorkArea | None, list[Target]]] = [
        (area, targets_by_area.get(area.pk, [])) for area in areas
    ]
    if targets_by_area.get(None):
        area_rows.append((None, targets_by_area[None]))
    goals = {t.strategic_goal for t in targets if t.strategic_goal}
    context = {
        "plan": plan,
        "area_rows": area_rows,
        "goals": sorted(goals, key=lambda g: (g.code, g.pk)),
        "baseline_label": baseline_label(plan),
    }
    return {
        f"targets_html_{int(can_change)}": render_to_string(
            "planning/_plan_targets.html", {**context, "can_change": can_change}
        )
        for can_change in (False, True)
    }


def unit_tree_key(unit_id: int, day: dt.date) -> str:
    return f"unit-plan:{unit_id}:{day.isoformat()}"


def unit_tree(plan: Plan, unit: Organisation) -> dict[str, Any]:
    """A unit's share of the plan's tasks (led, coordinated, its own) as HTML with the counts:
    like the plan's tree, rendered once and reused until anything it shows changes."""
    led = task_rows(plan.tasks.active().school_level().filter(lead_unit=unit))
    own = task_rows(plan.tasks.active().filter(owner_unit=unit))
    coordinated = list(
        TaskCoordination.objects.active()
        .filter(unit=unit, task__plan=plan, task__archived_at__isnull=True)
        .select_related("task__lead_unit", "task__person_in_charge")
        .order_by("task__order", "task__pk")
    )
    rows = {"plan": plan, **tree_context()}
    return {
        "led_html": render_to_string(
            "planning/_task_rows.html",
            {**rows, "rows": flatten(build_tree(led, by_code=True)), "empty_label": _("Không có.")},
        ),
        "led_count": len(led),
        "coordinated_html": render_to_string(
            "planning/_unit_coordinated.html", {"coordinated": coordinated}
        ),
        "coordinated_count": len(coordinated),
        "own_html": render_to_string(
            "planning/_task_rows.html",
            {
                **rows,
                "rows": flatten(build_tree(own)),
                "show_serves": True,
                "empty_label": _("Đơn vị chưa có nhiệm vụ riêng."),
            },
        ),
    }
