"""``balance``: the fairest assignment within a time limit, stage after stage.

``balance`` stays one function of some 360 lines: its stages share a dozen pieces of state
(per-component solutions, bounds, fallbacks, the time left) and the order of the steps is
the algorithm; the pieces it calls live in the sibling modules.

Stages and time
---------------
Greedy (hint and baseline), the LP bound per component (GLOP) and the max-flow infeasibility
check run first, in well under a second even at 1 500 lecturers. Stage 1 then gets 70–80 % of
the remaining time, bottleneck component first; stage 2 gets what stage 1 leaves (75 % of it
when there are wishes or a previous assignment, the rest going to stages 3–4). Every stage is
hinted with the previous stage's solution, so a stage that runs out of time still returns the
previous one. With ``workers=2`` stage 1 runs CP-SAT's ``max_lp`` and
``quick_restart_no_lp`` subsolvers (plus its interleaved LNS) instead of the default pair:
measured on the college instances, that proves the optimum several times faster.

Never worse than greedy, whatever the machine's load
------------------------------------------------------
Wall-clock limits mean a loaded machine gives CP-SAT less work in the same seconds. What it
may cost is the proof (status ``FEASIBLE`` with the proven bound), never the promise that the
answer is no worse than greedy on max_deviation *and* imbalance:

* ``improve``, a local search (moves and swaps that raise neither the largest deviation nor
  the imbalance), turns greedy into a solution no worse on either figure, pushed down to
  stage 1's D* when it can — the fallback;
* stage 2 starts from the more even of stage 1's solution and that one (both polished), and
  a stage-2 solve that finds nothing better (in plain floats) keeps its start;
* every hint sets every variable (including ``D``, ``e_i``, ``q_i``) and is feasible, so
  CP-SAT need not complete it before it can start from it;
* last resort: if the assembled answer is still worse than greedy on a figure, components go
  back to the improved greedy (then the status is ``FEASIBLE`` if D* is lost, and
  ``explanation["greedy_fallback"]`` counts them).

If no assignment at all is found in time (not proven impossible), the status is
``INFEASIBLE`` with ``explanation.code == "NO_SOLUTION_IN_TIME"``: the statement's three
statuses have no "unknown".

Decomposition
-------------
ρ is a constant of the instance, so lecturers who share no section (connected components of
the lecturer–section eligibility graph) interact only through the ``max`` in objective 1:
``max_deviation* = max_c D*_c``. Components are solved one by one, highest LP bound first;
once a component has set the global value, every other component only has to stay *below* it
(the stage-1 model of later components gets ``D ≥ floor``, which makes them stop as soon as
they reach the floor). Objectives 2–4 are sums over components, so they decompose exactly.
"""

from __future__ import annotations

import logging
import math
import time
from typing import Any

from ortools.sat.python import cp_model

from workload.balancer.bounds import (
    LP_SAFETY,
    component_lp_bound,
    isolated_deviation,
    section_bound,
)
from workload.balancer.diagnosis import diagnose, explanation_from_issues, infeasible_packing
from workload.balancer.greedy import greedy, improve
from workload.balancer.instance import Instance, evaluate
from workload.balancer.model import (
    STAGE1_SUBSOLVERS,
    ComponentModel,
    ProgressFn,
    Reporter,
    run_solver,
)
from workload.balancer.prep import DEV_SCALE, Prep, component_deviation, dev_upper, imbalance_of
from workload.balancer.result import (
    STATUS_FEASIBLE,
    STATUS_INFEASIBLE,
    STATUS_OPTIMAL,
    Result,
    feasible_explanation,
    floor_metric,
    format_vn,
    id_preview,
    round_metric,
    timeout_result,
)

logger = logging.getLogger(__name__)


def balance(
    instance: Instance,
    time_limit: float,
    progress: ProgressFn | None = None,
    workers: int = 2,
) -> Result:
    """Compute the fairest assignment within ``time_limit`` seconds (wall clock, whole call).

    ``progress`` (optional) receives dicts such as ``{"stage": "max_deviation", "component": 1,
    "components": 3, "objective": 0.27, "bound": 0.25, "elapsed": 1.2}``; it may be called from
    a solver thread. The package docstring states the problem; ``model`` holds the CP-SAT model.
    """
    started = time.perf_counter()
    deadline = started + max(0.1, time_limit)

    def remaining() -> float:
        return max(0.0, deadline - time.perf_counter())

    def notify(event: dict[str, Any]) -> None:
        if progress is None:
            return
        try:
            progress(event)
        except Exception:
            logger.exception("progress callback failed")

    prep = Prep(instance)
    lects = instance.lecturers
    secs = instance.sections

    issues = diagnose(prep)
    if issues:
        notify({"stage": "infeasible", "issues": len(issues)})
        return Result(
            status=STATUS_INFEASIBLE,
            assignment={},
            loads={},
            max_deviation=None,
            lower_bound=None,
            imbalance=None,
            seconds=round(time.perf_counter() - started, 3),
            explanation=explanation_from_issues(issues),
        )

    components = prep.components()
    greedy_ids = greedy(instance)
    greedy_metrics = evaluate(instance, greedy_ids)
    greedy_idx = {
        prep.sec_index[s]: prep.lect_index[lid]
        for s, lid in greedy_ids.items()
        if prep.sec_index[s] not in prep.locked
    }
    notify(
        {
            "stage": "greedy",
            "objective": round_metric(greedy_metrics.max_deviation),
            "imbalance": round_metric(greedy_metrics.imbalance),
            "complete": greedy_metrics.feasible,
        }
    )

    # Fixed parts: isolated lecturers' deviation is known exactly.
    isolated = prep.isolated_active()
    fixed_dev = max((prep.model_dev(i, prep.fixed_load_h[i]) for i in isolated), default=0)
    true_bound = max((isolated_deviation(prep, i) for i in isolated), default=0.0)
    # A single big section whose candidates all have small targets forces a deviation the LP
    # cannot see (it splits the section); CP-SAT finds it too, but this names the culprit.
    forced_bound, section_culprit = section_bound(prep)
    true_bound = max(true_bound, forced_bound - LP_SAFETY)

    # LP bound per component (cheap, and orders the components: bottleneck first).
    lp: list[float] = []
    for comp in components:
        value = component_lp_bound(prep, comp)
        lp.append(value)
        if math.isfinite(value):
            true_bound = max(true_bound, value)
    notify({"stage": "lp_bound", "bound": round_metric(true_bound)})

    previous = {
        prep.sec_index[s]: prep.lect_index[lid]
        for s, lid in (instance.previous_assignment or {}).items()
        if s in prep.sec_index and lid in prep.lect_index
    }
    models = [ComponentModel(prep, comp, previous) for comp in components]
    order = sorted(range(len(components)), key=lambda c: (-lp[c], -components[c].size))
    sizes = {c: len(models[c].y) + len(components[c].lecturers) for c in order}

    needs_stage3 = any(secs[j].preferred for j in prep.free) or bool(previous)

    # ---- stage 1: minimise max deviation, component by component ---------------------------
    # Stage 1 is what the product promises (the proven fairest maximum), so it gets most of
    # the time; stage 2 and 3 work with whatever stage 1 leaves (often most of it, because
    # stage 1 usually closes in seconds).
    # Per component: ub = stage-1 value of the best known solution, lb = proven lower bound
    # (model units). The LP gives lb ≥ ⌈DEV_SCALE·lp⌉ − 1 (the −1 pays for the rounding of
    # the model's constants, see ``workload.balancer.prep``).
    solutions: dict[int, dict[int, int]] = {}
    ub: dict[int, float] = {}
    lb: dict[int, int] = {}
    upper_of: dict[int, int] = {}
    for c in order:
        upper_of[c] = dev_upper(prep, components[c])
        models[c].build_stage1(0, upper_of[c])
        lb[c] = max(0, math.ceil(lp[c] * DEV_SCALE) - 1) if math.isfinite(lp[c]) else 0

    def global_lb() -> int:
        return max([fixed_dev, *lb.values()])

    # Greedy improved by a local search that keeps it no worse on either figure (pushed
    # towards the proven bound) is the fallback that keeps the promise "never worse than
    # greedy" when the solver gets too little of the machine to beat it (see the end). It is
    # computed now, while there is time, but stage 1 starts from plain greedy: started from
    # the improved one, stage 1 missed its proof on college seed 2 under load in 2 runs of 3,
    # against 0 of 5 from plain greedy (docs/PERFORMANCE.md).
    search_deadline = time.perf_counter() + remaining() * 0.05
    fallback: dict[int, dict[int, int]] = {}
    for c in order:
        part = {j: greedy_idx[j] for j in components[c].sections if j in greedy_idx}
        fallback[c] = improve(prep, components[c], part, global_lb(), search_deadline)
        greedy_dev = models[c].model_dev(part)
        if greedy_dev is not None:
            solutions[c] = part
            ub[c] = greedy_dev
        else:
            ub[c] = math.inf

    stage1_budget = remaining() * (0.7 if needs_stage3 else 0.8)
    stage1_deadline = time.perf_counter() + stage1_budget

    # Work on the component that currently sets the maximum (ties: highest LP bound first),
    # with a floor at what the others already force; stop when the maximum is proven.
    solves = 0
    while True:
        left = stage1_deadline - time.perf_counter()
        proven = global_lb()
        open_ = [c for c in order if ub[c] > proven]
        if not open_ or left <= 0.05:
            break
        target = max(open_, key=lambda c: (ub[c], -order.index(c)))
        others = max([fixed_dev, *(ub[o] for o in order if o != target)])
        floor = proven if not math.isfinite(others) or others >= ub[target] else int(others)
        floor = min(max(floor, proven), upper_of[target])
        share = left if len(open_) == 1 else max(min(left, 1.0), 0.6 * left)
        cm = models[target]
        cm.add_hint(solutions.get(target, greedy_idx), floor)
        solves += 1
        reporter = Reporter(
            progress,
            {
                "stage": "max_deviation",
                "component": order.index(target) + 1,
                "components": len(order),
                "solve": solves,
            },
            lambda v: v / DEV_SCALE,
        )
        outcome = run_solver(
            cm,
            share,
            workers,
            reporter,
            solutions.get(target, greedy_idx),
            STAGE1_SUBSOLVERS,
            floor,
        )
        if outcome.assignment is None:
            if outcome.status == cp_model.INFEASIBLE:
                return infeasible_packing(prep, components[target], started)
            if target not in solutions:
                return timeout_result(prep, started)
            continue  # no better solution in this slice; the loop ends at the deadline
        value = round(outcome.objective or 0)
        bound = math.ceil((outcome.bound or 0) - 1e-6)
        if value < ub[target]:
            solutions[target] = outcome.assignment
            ub[target] = value
        # The solve minimised max(D_c, floor): it tells about D*_c only above the floor.
        if outcome.status == cp_model.OPTIMAL:
            if value > floor:
                lb[target] = max(lb[target], value)
            else:
                ub[target] = min(ub[target], floor)
        elif bound > floor:
            lb[target] = max(lb[target], bound)

    if any(c not in solutions for c in order):
        return timeout_result(prep, started)
    floor = max([fixed_dev, *(int(ub[c]) for c in order)])
    proven_bound = global_lb()

    d_star = floor
    # proven_bound is a valid lower bound of the global model optimum and d_star is achieved.
    all_proven = d_star <= proven_bound
    true_bound = max(true_bound, (proven_bound - 1) / DEV_SCALE)
    notify(
        {
            "stage": "max_deviation_done",
            "objective": d_star / DEV_SCALE,
            "bound": floor_metric(true_bound),
            "proven": all_proven,
        }
    )

    # ---- stage 2: minimise imbalance under max deviation ≤ D* ------------------------------
    # Each component starts from the more even of two solutions that meet D*: stage 1's,
    # polished by the local search, and the improved greedy pushed down to D* (when the
    # search gets there). CP-SAT then only has to improve on a good incumbent, so a starved
    # solve costs evenness gained, never evenness greedy already had. The searches stop at a
    # local optimum long before their cap (0.1 s at college size): the cap only matters on a
    # starved machine, where they are a better use of the time than CP-SAT.
    stage2_objective: dict[int, tuple[cp_model.LinearExpr, int]] = {}
    order2 = sorted(order, key=lambda c: -sizes[c])
    search_deadline = time.perf_counter() + remaining() * 0.25
    for c in order:  # bottleneck first: the component where the push down to D* matters
        comp = components[c]
        solutions[c] = improve(prep, comp, solutions[c], d_star, search_deadline)
        fallback[c] = improve(prep, comp, fallback[c], d_star, search_deadline)
        fallback_dev = models[c].model_dev(fallback[c])
        if (
            fallback_dev is not None
            and fallback_dev <= d_star
            and imbalance_of(prep, comp, fallback[c]) < imbalance_of(prep, comp, solutions[c])
        ):
            solutions[c] = dict(fallback[c])
    stage2_deadline = time.perf_counter() + remaining() * (0.75 if needs_stage3 else 1.0)
    imbalance_proven = True
    for rank, c in enumerate(order2):
        cm = models[c]
        cm.restrict_dev(d_star)
        objective, to_imbalance = cm.build_stage2()
        start = solutions[c]
        cm.add_hint(start)
        later = sum(sizes[o] for o in order2[rank:])
        share = max(0.0, stage2_deadline - time.perf_counter()) * sizes[c] / max(1, later)
        reporter = Reporter(
            progress,
            {"stage": "imbalance", "component": rank + 1, "components": len(order2)},
            to_imbalance,
        )
        outcome = run_solver(cm, share, workers, reporter, start)
        if outcome.status != cp_model.OPTIMAL:
            imbalance_proven = False
        if outcome.assignment is not None and imbalance_of(
            prep, components[c], outcome.assignment
        ) <= imbalance_of(prep, components[c], start):
            solutions[c] = outcome.assignment
            stage2_objective[c] = (objective, round(outcome.objective or 0))
        else:
            # No solution in time, or one only the integer weights call better: keep the start.
            stage2_objective[c] = (objective, cm.stage2_value(start))

    # ---- stage 3/4: preferences, then fewest changes ---------------------------------------
    for rank, c in enumerate(order2):
        if c not in stage2_objective or remaining() <= 0.05:
            continue
        cm = models[c]
        objective, best = stage2_objective[c]
        if not cm.build_stage3(objective, best):
            continue
        cm.add_hint(solutions[c])
        later = sum(sizes[o] for o in order2[rank:])
        share = remaining() * sizes[c] / max(1, later)
        reporter = Reporter(
            progress,
            {"stage": "preferences", "component": rank + 1, "components": len(order2)},
            float,
        )
        outcome = run_solver(cm, share, workers, reporter, solutions[c])
        if outcome.assignment is not None:
            solutions[c] = outcome.assignment

    # ---- assemble --------------------------------------------------------------------------
    def assemble() -> dict[str, str]:
        assignment = {secs[j].id: lects[i].id for j, i in prep.locked.items()}
        for sol in solutions.values():
            for j, i in sol.items():
                assignment[secs[j].id] = lects[i].id
        return {s.id: assignment[s.id] for s in secs if s.id in assignment}

    ordered = assemble()
    metrics = evaluate(instance, ordered)
    # The promise "never worse than greedy on either figure" must not depend on how much of
    # the machine the solver got. If it does not hold (a starved stage 2 still above greedy's
    # imbalance, or D* only equal to greedy's in the model's rounded units), components go
    # back to the improved greedy — no worse than greedy on both figures by construction —
    # those breaking max_deviation first, then by imbalance gained, keeping D* while possible.
    fell_back: list[int] = []
    if greedy_metrics.feasible and (
        metrics.max_deviation > greedy_metrics.max_deviation + 1e-9
        or metrics.imbalance > greedy_metrics.imbalance + 1e-9
    ):
        for c in order:
            comp = components[c]
            if component_deviation(prep, comp, solutions[c]) > greedy_metrics.max_deviation:
                solutions[c] = fallback[c]
                fell_back.append(c)
        gains = {
            c: imbalance_of(prep, components[c], solutions[c])
            - imbalance_of(prep, components[c], fallback[c])
            for c in order
            if c not in fell_back
        }
        for c in sorted(
            (c for c, gain in gains.items() if gain > 0),
            key=lambda c: ((models[c].model_dev(fallback[c]) or 0) > d_star, -gains[c]),
        ):
            if evaluate(instance, assemble()).imbalance <= greedy_metrics.imbalance:
                break
            solutions[c] = fallback[c]
            fell_back.append(c)
        ordered = assemble()
        metrics = evaluate(instance, ordered)
        d_final = max([fixed_dev, *((models[c].model_dev(solutions[c]) or 0) for c in order)])
        if d_final > d_star:
            all_proven = False
        if fell_back:
            imbalance_proven = False
            notify({"stage": "greedy_fallback", "fallback_components": len(fell_back)})
    lower = min(floor_metric(true_bound), round_metric(metrics.max_deviation))
    status = STATUS_OPTIMAL if all_proven else STATUS_FEASIBLE
    seconds = round(time.perf_counter() - started, 3)
    explanation = feasible_explanation(
        prep, metrics, greedy_metrics, lower, status, imbalance_proven, len(components)
    )
    if fell_back:
        explanation["greedy_fallback"] = len(fell_back)
        explanation["message"] += (
            f" Bộ giải chưa đủ thời gian để vượt cách chia tham lam ở {len(fell_back)} nhóm "
            "giảng viên: các nhóm đó giữ cách chia tham lam đã được cải thiện; hãy tăng thời "
            "gian chạy (hoặc chạy lúc máy rảnh) để có kết quả tốt hơn."
        )
    if section_culprit is not None and forced_bound >= metrics.max_deviation - 1e-4:
        sec = secs[section_culprit]
        names = [lects[i].id for i in prep.cands[section_culprit]]
        explanation["forced_by_section"] = {
            "section": sec.id,
            "hours": sec.hours,
            "lecturers": names,
            "deviation": round_metric(forced_bound),
        }
        explanation["message"] += (
            f" Độ lệch này là bắt buộc: học phần {sec.id} ({format_vn(sec.hours)} giờ chuẩn) "
            f"chỉ có {id_preview(names)} dạy được, ai nhận cũng lệch ít nhất "
            f"{format_vn(forced_bound, 4)}; muốn giảm cần mở thêm giảng viên đủ điều kiện "
            "hoặc tách lớp."
        )
    notify({"stage": "done", "objective": round_metric(metrics.max_deviation), "bound": lower})
    return Result(
        status=status,
        assignment=ordered,
        loads={k: round(v, 4) for k, v in metrics.loads.items()},
        max_deviation=round_metric(metrics.max_deviation),
        lower_bound=lower,
        imbalance=round(metrics.imbalance, 4),
        seconds=seconds,
        explanation=explanation,
    )
