"""A starved solver (busy machine): never worse than greedy, hints complete and feasible."""

from __future__ import annotations

from typing import Any

import pytest
from ortools.sat.python import cp_model

from workload.balancer import solve
from workload.balancer.greedy import greedy
from workload.balancer.instance import evaluate
from workload.balancer.solve import balance
from workload.instances import generate
from workload.tests.balancer_cases import assert_valid

_CpSolver = cp_model.CpSolver  # the real one, before a test swaps it


class _StarvedSolver(_CpSolver):
    """CP-SAT with a tiny deterministic budget per solve: what a loaded machine leaves it.

    Deterministic time does not depend on the machine's load, so the starvation is the same
    on every run (one worker, fixed seed)."""

    budget = 0.3

    def solve(self, model: cp_model.CpModel, *args: Any, **kwargs: Any) -> Any:
        self.parameters.max_deterministic_time = self.budget
        return super().solve(model, *args, **kwargs)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 8])
def test_starved_solver_is_never_worse_than_greedy(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before the fix, several of these seeds ended with an imbalance above greedy's (which
    # ones depends on the machine's load, as the whole call also has a wall-clock limit):
    # e.g. seed 2: 2 087.8 vs 291.9, seed 4: 657.6 vs 395.7, seed 5: 298.5 vs 233.3. Stage 2
    # started from stage 1's uneven solution and had no time to beat greedy.
    monkeypatch.setattr(cp_model, "CpSolver", _StarvedSolver)
    inst = generate(60, 170, seed)
    g = evaluate(inst, greedy(inst))
    assert g.feasible
    result = balance(inst, time_limit=2.0, workers=1)
    assert result.status in ("OPTIMAL", "FEASIBLE")
    assert_valid(inst, result.assignment)
    got = evaluate(inst, result.assignment)
    assert got.max_deviation <= g.max_deviation + 1e-9
    assert got.imbalance <= g.imbalance + 1e-9
    # The reported figures are those of the assignment, and never read worse than greedy's.
    assert result.max_deviation is not None and result.imbalance is not None
    assert result.max_deviation <= result.explanation["greedy"]["max_deviation"]
    assert result.imbalance <= result.explanation["greedy"]["imbalance"]


@pytest.mark.parametrize("seed", [1, 2, 8])
def test_last_resort_fallback_to_greedy_keeps_the_promise(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without the local search, a starved stage 2 ends above greedy's imbalance on these
    # seeds (as before the fix); the final check must then hand components back to greedy.
    monkeypatch.setattr(cp_model, "CpSolver", _StarvedSolver)
    monkeypatch.setattr(solve, "improve", lambda prep, comp, sol, cap, deadline: dict(sol))
    inst = generate(60, 170, seed)
    g = evaluate(inst, greedy(inst))
    result = balance(inst, time_limit=2.0, workers=1)
    assert_valid(inst, result.assignment)
    got = evaluate(inst, result.assignment)
    assert got.max_deviation <= g.max_deviation + 1e-9
    assert got.imbalance <= g.imbalance + 1e-9
    if result.explanation.get("greedy_fallback"):
        assert "tham lam" in result.explanation["message"]
        assert result.explanation["imbalance_proven"] is False


def test_tiny_time_limit_is_never_worse_than_greedy() -> None:
    # College size, one worker, a second or less: before the fix 1 s gave imbalance 778.1
    # against greedy's 638.5.
    inst = generate(120, 340, 2)
    g = evaluate(inst, greedy(inst))
    for limit in (0.05, 0.3, 1.0):
        result = balance(inst, time_limit=limit, workers=1)
        got = evaluate(inst, result.assignment)
        assert got.max_deviation <= g.max_deviation + 1e-9
        assert got.imbalance <= g.imbalance + 1e-9


class _HintCheckingSolver(_CpSolver):
    """Before each solve, checks that the model's hint gives every variable a value and that
    the hinted values satisfy every constraint (CP-SAT fixed to the hint must find it)."""

    checked = 0

    def solve(self, model: cp_model.CpModel, *args: Any, **kwargs: Any) -> Any:
        proto = model.proto
        hinted = set(proto.solution_hint.vars)
        missing = [proto.variables[v].name for v in range(len(proto.variables)) if v not in hinted]
        assert not missing, f"hint leaves {len(missing)} variables out: {missing[:5]}"
        probe = _CpSolver()
        probe.parameters.fix_variables_to_their_hinted_value = True
        probe.parameters.num_workers = 1
        probe.parameters.max_time_in_seconds = 10
        status = probe.solve(model)
        assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE), probe.status_name(status)
        type(self).checked += 1
        return super().solve(model, *args, **kwargs)


@pytest.mark.parametrize("with_wishes", [False, True])
def test_every_stage_gets_a_complete_feasible_hint(
    with_wishes: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cp_model, "CpSolver", _HintCheckingSolver)
    _HintCheckingSolver.checked = 0
    inst = generate(30, 85, 2)
    if with_wishes:
        # A previous assignment (greedy's) adds stage 4 on top of the wishes' stage 3.
        inst.previous_assignment = greedy(inst)
    result = balance(inst, time_limit=4, workers=1)
    assert result.status in ("OPTIMAL", "FEASIBLE")
    assert _HintCheckingSolver.checked >= 3
