"""Target figures of a plan: each target's red/amber/green, their counts, and the roll-up to the
strategic goals they serve."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from organisations.membership import subtree_ids
from organisations.models import Organisation
from planning.models import Plan, Target
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
