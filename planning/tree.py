"""The task tree of a plan and a unit's share of it, rendered as HTML fragments.

Builders only (no request, no view): the plan page and the unit's plan page cache them under the
plan's figures version (planning/figures_cache.py). When that version moves (any change of the
plan), the page is assembled again from rows rendered earlier: each row is stored under a digest
of what it shows, read from plain values (no model instances), so a check-in re-renders the rows
whose content it changed (the task, the parents whose derived progress moved), not all 500.
The targets by work area are stored the same way, under a digest of the targets' values.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, TypeVar

from django.db.models import Prefetch
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.clock import today
from organisations.models import Organisation
from planning import figures_cache
from planning.figures_cache import columns, digest
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
from planning.numbering import baseline_label
from planning.status import default_day

Row = TypeVar("Row", Task, "RowFacts")


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


def code_key(task: Any) -> tuple[Any, ...]:
    """Natural order of task codes: 2 < 10, 1.2 < 1.10."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in task.code.split("."))


def flatten(roots: list[Row]) -> list[tuple[Row, int]]:
    """The tree in reading order, each task with its depth, for a single-loop template."""
    rows: list[tuple[Row, int]] = []
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


def build_tree(tasks: list[Row], *, by_code: bool = False) -> list[Row]:
    """Attach `tree_children` to each task (a Task or its RowFacts) and return the roots, in
    order."""
    by_parent: dict[int | None, list[Row]] = defaultdict(list)
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
    roots = build_tree(row_facts(plan.tasks.active().school_level()))
    return {
        "tree_html": render_rows(plan, "plan", flatten(roots), empty_label=_("Chưa có nhiệm vụ.")),
        "root_count": len(roots),
        **plan_targets(plan),
    }


def plan_targets(plan: Plan) -> dict[str, str]:
    """The plan page's targets by work area as HTML, for readers and for those who edit; stored
    under a digest of everything they show, so a change of a task does not render them again."""
    targets = plan.targets.active()
    facts = (
        # The baselines' column header names the year the plan was copied from.
        plan.copied_from_id,
        list(targets.values_list(*columns(Target))),
        list(plan.areas.active().values_list(*columns(WorkArea))),
        list(
            StrategicGoal.objects.filter(pk__in=targets.values("strategic_goal_id")).values_list(
                *columns(StrategicGoal)
            )
        ),
        list(
            Organisation.objects.filter(pk__in=targets.values("responsible_unit_id")).values_list(
                "pk", "name", "short_name"
            )
        ),
    )
    parts: dict[str, str] = figures_cache.by_content(
        f"plan-targets:{plan.pk}", facts, lambda: _render_targets(plan)
    )
    return parts


def _render_targets(plan: Plan) -> dict[str, str]:
    targets = list(
        plan.targets.active().select_related("area", "responsible_unit", "strategic_goal")
    )
    areas = list(plan.areas.active())
    shown = {area.pk for area in areas}
    targets_by_area: dict[int | None, list[Target]] = defaultdict(list)
    for target in targets:
        # A target of an archived area is "chưa xếp lĩnh vực" until the area comes back.
        targets_by_area[target.area_id if target.area_id in shown else None].append(target)
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
    led = row_facts(plan.tasks.active().school_level().filter(lead_unit=unit))
    own = row_facts(plan.tasks.active().filter(owner_unit=unit))
    coordinated = list(
        TaskCoordination.objects.active()
        .filter(unit=unit, task__plan=plan, task__archived_at__isnull=True)
        .select_related("task__lead_unit", "task__person_in_charge")
        .order_by("task__order", "task__pk")
    )
    return {
        "led_html": render_rows(
            plan,
            f"unit-led:{unit.pk}",
            flatten(build_tree(led, by_code=True)),
            empty_label=_("Không có."),
        ),
        "led_count": len(led),
        "coordinated_html": render_to_string(
            "planning/_unit_coordinated.html", {"coordinated": coordinated}
        ),
        "coordinated_count": len(coordinated),
        "own_html": render_rows(
            plan,
            f"unit-own:{unit.pk}",
            flatten(build_tree(own)),
            show_serves=True,
            empty_label=_("Đơn vị chưa có nhiệm vụ riêng."),
        ),
    }


# Rows stored under the digest of what they show ----------------------------------------------

# Part of every row's digest: bump it when _task_row.html or what it reads changes.
ROW_SHAPE = 1
# A list's rows are kept a week; a list nobody opens in that time is rendered again in full.
ROWS_TIMEOUT = 7 * 24 * 60 * 60


class RowFacts:
    """What a task row shows, as plain values: the task's columns, the names of its lead unit,
    person in charge and the task it serves, its active coordinations and bases. Enough to build
    the tree (`pk`, `parent_id`, `code`) and to tell whether a stored row is still right."""

    __slots__ = ("code", "facts", "parent_id", "pk", "tree_children")

    def __init__(self, pk: int, parent_id: int | None, code: str, facts: tuple[Any, ...]):
        self.pk = pk
        self.parent_id = parent_id
        self.code = code
        self.facts = facts


def row_facts(tasks: TaskQuerySet) -> list[RowFacts]:
    """The facts of every row of a list, in list order, in three queries."""
    task_columns = columns(Task)
    related = ("lead_unit__name", "lead_unit__short_name", "person_in_charge__full_name")
    rows = list(tasks.order_by("order", "pk").values_list(*task_columns, *related, "serves__code"))
    ids = tasks.values("pk")
    extras: dict[int, list[Any]] = defaultdict(list)
    for coordination in (
        TaskCoordination.objects.active()
        .filter(task__in=ids)
        .values_list("task_id", "pk", "duty", "unit__name", "unit__short_name")
    ):
        extras[coordination[0]].append(coordination)
    for basis in (
        TaskBasis.objects.active()
        .filter(task__in=ids)
        .values_list(
            "task_id", "pk", "clause", "document_id", "document__symbol", "document__summary"
        )
    ):
        extras[basis[0]].append(basis)
    pk_at, parent_at, code_at = (task_columns.index(name) for name in ("id", "parent_id", "code"))
    return [
        RowFacts(row[pk_at], row[parent_at], row[code_at], (row, tuple(extras[row[pk_at]])))
        for row in rows
    ]


def render_rows(
    plan: Plan,
    name: str,
    rows: list[tuple[Any, int]],
    *,
    show_serves: bool = False,
    empty_label: str,
) -> str:
    """A task list of the plan (its tree, a unit's share) as HTML, from the rows stored for the
    list `name`; the rows whose facts changed, and only those, are rendered again.

    The store of a list is one cache entry (digest → HTML) holding the rows of its last version:
    one read and at most one write per list, whatever its length. Two requests rendering the same
    list at once may each write it; both are right, the later wins.
    """
    if not rows:
        return f'<ul class="tt-tree tt-flat"><li class="small text-body-secondary">{escape(empty_label)}</li></ul>'
    urls = tree_context()
    # What every row of the list depends on besides its facts: the day its status is read on,
    # the plan's state, the language and where its links point.
    common = (ROW_SHAPE, get_language(), default_day(plan, today()), plan.status, show_serves, urls)
    keys = [digest((common, depth, facts.facts)) for facts, depth in rows]
    store_key = f"task-rows:{plan.pk}:{name}"
    found = figures_cache.get(store_key)
    stored: dict[str, str] = {} if found is figures_cache.MISSING else found
    missing = {
        facts.pk for (facts, _depth), key in zip(rows, keys, strict=True) if key not in stored
    }
    fresh: dict[str, str] = {}
    if missing:
        tasks = {task.pk: task for task in task_rows(Task.objects.filter(pk__in=missing))}
        template = get_template("planning/_task_row.html")
        context = {"plan": plan, "show_serves": show_serves, **urls}
        for (facts, depth), key in zip(rows, keys, strict=True):
            if key not in stored and key not in fresh and facts.pk in tasks:
                task = tasks[facts.pk]
                task.plan = plan  # its status reads the plan's (a draft's tasks are not overdue)
                fresh[key] = template.render({**context, "task": task, "depth": depth})
    html = {**stored, **fresh}
    if fresh or len(stored) != len(set(keys)):
        kept = {key: html[key] for key in keys if key in html}
        figures_cache.put(store_key, kept, ROWS_TIMEOUT)
    body = "".join(html.get(key, "") for key in keys)
    return f'<ul class="tt-tree tt-flat">{body}\n</ul>'
