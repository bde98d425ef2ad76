"""Proven lower bounds of max_deviation: the LP relaxation per component, single sections."""

from __future__ import annotations

import math
from typing import Any

from ortools.linear_solver import pywraplp

from workload.balancer.instance import Instance
from workload.balancer.prep import Component, Prep

LP_SAFETY = 1e-6
"""Subtracted from GLOP's LP optimum: GLOP works in floating point with ~1e-9 tolerances, so
the reported LP value is shaved a little to stay a proven bound."""


def component_lp_bound(prep: Prep, comp: Component) -> float:
    """Min over fractional assignments of the component's max deviation (GLOP)."""
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:  # pragma: no cover - GLOP ships with OR-Tools
        return 0.0
    inf = solver.infinity()
    hs = prep.hs
    rho = prep.rho
    dev = solver.NumVar(0.0, inf, "D")
    load_terms: dict[int, list[tuple[Any, float]]] = {i: [] for i in comp.lecturers}
    for j in comp.sections:
        hours = prep.hours_h[j] / hs
        xs = []
        for i in prep.cands[j]:
            x = solver.NumVar(0.0, 1.0, "")
            xs.append(x)
            load_terms[i].append((x, hours))
        solver.Add(solver.Sum(xs) == 1.0)
    for i in comp.lecturers:
        target = prep.target_h[i] / hs
        fixed = prep.fixed_load_h[i] / hs
        load = solver.Sum([x * h for x, h in load_terms[i]]) + fixed
        solver.Add(load <= prep.cap_h[i] / hs)
        solver.Add(load - rho * target <= dev * target)
        solver.Add(rho * target - load <= dev * target)
    solver.Minimize(dev)
    status = solver.Solve()
    if status == pywraplp.Solver.INFEASIBLE:
        return math.inf
    if status != pywraplp.Solver.OPTIMAL:  # pragma: no cover - defensive
        return 0.0
    return max(0.0, float(dev.solution_value()) - LP_SAFETY)


def isolated_deviation(prep: Prep, i: int) -> float:
    lect = prep.instance.lecturers[i]
    return abs(prep.fixed_load_h[i] / prep.hs / lect.target - prep.rho)


def lp_bound(instance: Instance) -> float:
    """Lower bound on max_deviation from the LP relaxation (sections may be split).

    Solved per connected component with GLOP; lecturers no free section can reach contribute
    their fixed deviation exactly. ``math.inf`` when even the relaxation is infeasible.
    """
    prep = Prep(instance)
    bound = max((isolated_deviation(prep, i) for i in prep.isolated_active()), default=0.0)
    for comp in prep.components():
        bound = max(bound, component_lp_bound(prep, comp))
    return bound


def section_bound(prep: Prep) -> tuple[float, int | None]:
    """max over free sections of min over its candidates of the over-deviation the section
    alone causes: a proven lower bound of max_deviation (whoever takes it is at least there)."""
    secs = prep.instance.sections
    lects = prep.instance.lecturers
    best = 0.0
    culprit: int | None = None
    for j in prep.free:
        cands = prep.cands[j]
        if not cands:
            continue
        forced = min(
            max(0.0, (prep.fixed_load[i] + secs[j].hours) / lects[i].target - prep.rho)
            for i in cands
        )
        if forced > best:
            best, culprit = forced, j
    return best, culprit
