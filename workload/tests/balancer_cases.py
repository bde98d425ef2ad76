"""Small-instance helpers shared by the balancer's tests: building, checking, brute force."""

from __future__ import annotations

import itertools
from typing import Any

from workload.balancer.instance import Instance, evaluate


def make(
    lecturers: list[tuple[str, float, float]],
    sections: list[dict[str, Any]],
    previous: dict[str, str] | None = None,
) -> Instance:
    return Instance.from_dict(
        {
            "lecturers": [{"id": i, "target": t, "max_load": m} for i, t, m in lecturers],
            "sections": sections,
            **({"previous_assignment": previous} if previous is not None else {}),
        }
    )


def sec(sid: str, hours: float, eligible: list[str], **extra: Any) -> dict[str, Any]:
    return {"id": sid, "hours": hours, "eligible": eligible, "locked_to": None, **extra}


def assert_valid(instance: Instance, assignment: dict[str, str]) -> None:
    """Every section exactly once, to an eligible (or its locked) lecturer, under max_load."""
    assert set(assignment) == {s.id for s in instance.sections}
    metrics = evaluate(instance, assignment)
    assert metrics.feasible, metrics.to_dict()
    active = {lect.id for lect in instance.lecturers if lect.target > 0}
    for section in instance.sections:
        who = assignment[section.id]
        if section.locked_to is not None:
            assert who == section.locked_to
        else:
            assert who in section.eligible and who in active


def brute_force(instance: Instance) -> list[tuple[float, float, int, int, dict[str, str]]]:
    """All complete valid assignments with (max_deviation, imbalance, -prefs, changes)."""
    active = {lect.id for lect in instance.lecturers if lect.target > 0}
    choices = []
    for section in instance.sections:
        if section.locked_to is not None:
            choices.append([section.locked_to])
        else:
            choices.append([x for x in section.eligible if x in active])
    out = []
    for combo in itertools.product(*choices):
        assignment = {s.id: who for s, who in zip(instance.sections, combo, strict=True)}
        metrics = evaluate(instance, assignment)
        if metrics.feasible:
            out.append(
                (
                    metrics.max_deviation,
                    metrics.imbalance,
                    -metrics.preferences_honoured,
                    metrics.changes,
                    assignment,
                )
            )
    return out
