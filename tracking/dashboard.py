"""The dashboard page's body (the whole plan or a unit's share): its figures and charts, cached
under the plan's figures version for the default day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from organisations.models import Organisation
from planning import figures_cache
from planning.models import Plan, Task, WorkArea
from planning.status import Rag, TaskStatus, default_day
from tracking.rows import breakdown_rows
from tracking.target_figures import targets_section
from tracking.task_figures import (
    PastDay,
    attention,
    breakdown_of,
    counts_of,
    headline_of,
    matrix,
    punctuality,
    scope_q,
    task_rows,
    unit_ids_of,
)


def dashboard_key(unit_id: int | None, on: dt.date) -> str:
    return f"dashboard:{unit_id or 0}:{on.isoformat()}"


def dashboard_figures(plan: Plan, on: dt.date, unit: Organisation | None, *, today: dt.date) -> Any:
    """The dashboard's body as of `on`, for the whole plan or a unit.

    Cached per figures version of the plan (planning/figures_cache.py) for the default day and
    for any day of the plan's year (a conference reads the figures as of its report day many
    times); a day outside the year (?on=…) is computed for the request, so no reader can fill
    the cache beyond the year's 366 days per unit.
    """

    # A past day asked for is read as it stood then: a decision made after it does not rewrite
    # it. The default day (today, or a finished year's last day) reads the tasks as they are,
    # as the task's and the plan's pages do.
    past = on < default_day(plan, today)

    def compute() -> Any:
        return dashboard_body(plan, on, unit, past=past)

    if on != default_day(plan, today) and not plan.starts_on <= on <= plan.ends_on:
        return compute()
    return figures_cache.cached(
        plan, dashboard_key(unit.pk if unit is not None else None, on), compute
    )


def dashboard_body(
    plan: Plan, on: dt.date, unit: Organisation | None, *, past: bool = False
) -> str:
    """The dashboard's figures as HTML: what is cached (nothing in it depends on the viewer)."""
    return render_to_string(
        "tracking/_dashboard_body.html", dashboard_context(plan, on, unit, past=past)
    )


def dashboard_context(
    plan: Plan, on: dt.date, unit: Organisation | None, *, past: bool = False
) -> dict[str, Any]:
    """The figures as of `on`; `past`: a past day, read as it stood then (task_figures.as_of,
    target_figures.target_states)."""
    unit_ids = unit_ids_of(plan, unit)
    tasks = Task.objects.filter(scope_q(plan, unit_ids))
    through = scope_q(plan, unit_ids, through="task__")
    then = PastDay(tasks, on) if past else None
    rows = then.rows if then is not None else task_rows(tasks, on)
    counts = counts_of(rows)
    areas = {a.pk: a.name for a in WorkArea.objects.filter(plan=plan)}
    by_area = breakdown_of(rows, "area_id", areas, none_label=_("Chưa xếp lĩnh vực"))
    units = {org.pk: org for org in Organisation.objects.filter(school_id=plan.school_id)}
    unit_names = {pk: org.name for pk, org in units.items()}
    by_unit = breakdown_of(
        rows, "lead_unit_id", unit_names, none_label=_("Chưa giao đơn vị chủ trì")
    )
    targets = targets_section(plan, unit, on=on if past else None)
    ranking = punctuality(plan, tasks, on, rows, through=through, units=units)
    cells = matrix(counts)
    task_list = reverse("tracking:task_list", args=[plan.pk])
    # What every link to the task list carries: the unit, and a past day (that list then counts
    # as this page does: tracking.filters.filter_tasks).
    day_query = f"&on={on:%d/%m/%Y}" if past else ""
    unit_query = (f"&unit={unit.pk}" if unit else "") + day_query
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
            "values": [targets["rag_counts"][k] for k in ("green", "amber", "red", "none")],
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
    built = {
        "list_url": task_list,
        "unit_dashboard_prefix": reverse("tracking:unit_dashboard", args=[plan.pk, 0]).removesuffix(
            "0/"
        ),
        "unit_query": unit_query,
        "day_query": day_query,
    }
    return {
        "plan": plan,
        "on": on,
        "unit": unit,
        "counts": counts,
        "area_rows": breakdown_rows(by_area, "area", **built),
        "unit_rows": breakdown_rows(by_unit, "unit", **built),
        "cells": cells,
        "headline": headline_of(rows),
        "by_area": by_area,
        "by_unit": by_unit,
        # Rendered by our own template (autoescaped) and stored as text: safe to insert.
        "targets_html": mark_safe(targets["html"]),
        "ranking": ranking,
        "attention": attention(tasks, on, through=through, past=past, then=then),
        "charts": charts,
        "statuses": list(TaskStatus),
        "unit_query": unit_query,
        "day_query": day_query,
        "matrix_total": sum(c.count for c in cells),
        "can_edit_policy": False,
    }
