"""Target figures of a plan: each target's red/amber/green, their counts, and the roll-up to the
strategic goals they serve."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.template.loader import render_to_string

from organisations.membership import subtree_ids
from organisations.models import Organisation
from planning import figures_cache
from planning.models import Plan, Target
from planning.status import RAG_COLOURS, Rag, target_rag
from tracking.models import TargetReading
from tracking.sources import Source, sources_for


@dataclass
class TargetState:
    target: Target
    rag: Rag | None
    source: Source | None = None

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


def target_states(
    plan: Plan, unit: Organisation | None = None, *, on: dt.date | None = None
) -> list[TargetState]:
    """Each target's state; `on`: as measured by the end of that past day (its last reading
    by then; none when its readings all came later), not by a reading made after it."""
    targets = _targets(plan, unit)
    if on is None:
        return [TargetState(t, rag_of(t)) for t in targets]
    rows = list(targets)
    last: dict[int, tuple[Decimal | None, dt.date | None]] = {}
    for target_id, value, day in _readings(rows):
        if day <= on or target_id not in last:
            last[target_id] = (value, day) if day <= on else (None, None)
    for target in rows:
        if target.pk in last:
            target.actual_value, target.actual_on = last[target.pk]
        elif target.actual_on is not None and target.actual_on > on:
            target.actual_value, target.actual_on = None, None
    return [TargetState(t, rag_of(t)) for t in rows]


def _targets(plan: Plan, unit: Organisation | None) -> QuerySet[Target]:
    targets = plan.targets.active().select_related("area", "strategic_goal", "responsible_unit")
    if unit is not None:
        targets = targets.filter(responsible_unit__in=subtree_ids({unit.pk}, plan.school_id))
    return targets


def _readings(targets: Any) -> list[tuple[int, Decimal | None, dt.date]]:
    return list(
        TargetReading.objects.filter(target__in=targets)
        .order_by("target_id", "measured_on", "pk")
        .values_list("target_id", "value", "measured_on")
    )


def targets_section(
    plan: Plan, unit: Organisation | None = None, *, on: dt.date | None = None
) -> dict[str, Any]:
    """The dashboard's targets (each one's red/amber/green, their counts, the roll-up to the
    strategic goals) as HTML with the counts for the chart. Stored under a digest of what they
    are computed from (the targets' and goals' values, and for a past day `on` the readings and
    the day): a check-in, or another day of the same readings, does not render them again.
    Today's show nothing of the tasks: kept while only tasks change, their values not even read
    (figures_cache.beside_tasks)."""
    key = f"dashboard-targets:{plan.pk}:{unit.pk if unit is not None else 0}"
    if on is None:
        section: dict[str, Any] = figures_cache.beside_tasks(
            plan, key, lambda: _by_content(key, plan, unit, on)
        )
        return section
    return _by_content(key, plan, unit, on)


def _by_content(
    key: str, plan: Plan, unit: Organisation | None, on: dt.date | None
) -> dict[str, Any]:
    targets = _targets(plan, unit)
    fed = sources_for(targets.values_list("pk", flat=True))
    facts = (
        *figures_cache.target_facts(targets),
        None if on is None else (on, _readings(targets.values("pk"))),
        sorted((pk, s.label, s.url) for pk, s in fed.items()),
    )

    def compute() -> dict[str, Any]:
        states = target_states(plan, unit, on=on)
        for state in states:
            state.source = fed.get(state.target.pk)
        counts = rag_counts(states)
        context = {"states": states, "rag_counts": counts, "goals": goal_rollup(states)}
        return {
            "html": render_to_string("tracking/_dashboard_targets.html", context),
            "rag_counts": counts,
        }

    section: dict[str, Any] = figures_cache.by_content(key, facts, compute)
    return section


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
