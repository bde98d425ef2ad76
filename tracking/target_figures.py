"""Target figures of a plan: each target's red/amber/green, their counts, and the roll-up to the
strategic goals they serve."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.template.loader import render_to_string

from organisations.membership import subtree_ids
from organisations.models import Organisation
from planning import figures_cache
from planning.models import Plan, StrategicGoal, Target
from planning.status import RAG_COLOURS, Rag, target_rag


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
    return [TargetState(t, rag_of(t)) for t in _targets(plan, unit)]


def _targets(plan: Plan, unit: Organisation | None) -> QuerySet[Target]:
    targets = plan.targets.active().select_related("area", "strategic_goal", "responsible_unit")
    if unit is not None:
        targets = targets.filter(responsible_unit__in=subtree_ids({unit.pk}, plan.school_id))
    return targets


def targets_section(plan: Plan, unit: Organisation | None = None) -> dict[str, Any]:
    """The dashboard's targets (each one's red/amber/green, their counts, the roll-up to the
    strategic goals) as HTML with the counts for the chart. They do not depend on the day asked,
    so they are stored under a digest of the targets' and goals' values: a check-in, or another
    day, does not render them again."""
    targets = _targets(plan, unit)
    facts = (
        list(targets.values_list(*figures_cache.columns(Target))),
        list(
            StrategicGoal.objects.filter(pk__in=targets.values("strategic_goal_id")).values_list(
                *figures_cache.columns(StrategicGoal)
            )
        ),
    )

    def compute() -> dict[str, Any]:
        states = target_states(plan, unit)
        counts = rag_counts(states)
        context = {"states": states, "rag_counts": counts, "goals": goal_rollup(states)}
        return {
            "html": render_to_string("tracking/_dashboard_targets.html", context),
            "rag_counts": counts,
        }

    key = f"dashboard-targets:{plan.pk}:{unit.pk if unit is not None else 0}"
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
