"""The CP-SAT model of one component, stage by stage, and the call that solves it.

Stage 1 minimises the largest deviation ``D``, stage 2 the imbalance under ``D ≤ D*``, stages
3–4 the wishes and changes under the best imbalance (the order is ``workload.balancer.solve``'s;
the integer linearisation is explained in ``workload.balancer.prep``).

``ComponentModel`` stays one class of some 300 lines: its stages add to one ``CpModel`` and
share its variables, and its hint and extraction helpers must know every variable the stages
create — split up, each part would reach into the others' state.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from workload.balancer.prep import DEV_SCALE, Component, Prep

logger = logging.getLogger(__name__)


_OBJECTIVE_CEILING = 4.0e12
"""Largest stage-2 objective we allow: well below 2⁵³ so CP-SAT's double arithmetic on the
objective is exact."""

ProgressFn = Callable[[dict[str, Any]], None]


class Reporter(cp_model.CpSolverSolutionCallback):
    """Forwards each improving solution to the caller's progress function."""

    def __init__(
        self, progress: ProgressFn | None, base: dict[str, Any], convert: Callable[[float], float]
    ) -> None:
        super().__init__()
        self._progress = progress
        self._base = base
        self._convert = convert
        self._lock = threading.Lock()

    def on_solution_callback(self) -> None:
        if self._progress is None:
            return
        with self._lock:
            event = dict(self._base)
            event["objective"] = self._convert(self.objective_value)
            event["bound"] = self._convert(self.best_objective_bound)
            event["elapsed"] = round(self.wall_time, 3)
            try:
                self._progress(event)
            except Exception:  # a broken UI hook must not kill the solve
                logger.exception("progress callback failed")


_OUTSIDE = -1
"""Pseudo-lecturer of a restricted model: "taught by someone outside the subset"."""


class ComponentModel:
    """CP-SAT model of one component, or of a subset ``W`` of its lecturers.

    Identical sections (same hours, candidates, wishes and previous lecturer — typically the
    classes of one course) are merged into a class with integer counts ``y[k, i]`` instead of
    one Boolean per section: this removes the symmetry between interchangeable sections,
    which otherwise dominates the search when proving stage 1.

    With a subset ``W`` the model keeps only the sections some lecturer of ``W`` may teach; a
    section that also has candidates outside ``W`` may go to ``_OUTSIDE``, which carries no
    load and no constraint. Every load in ``W`` is still exactly the sum of its sections, so
    the restricted optimum of max deviation over ``W`` is a valid lower bound of the
    component's optimum (only the constraints of lecturers outside ``W`` are dropped), and a
    much smaller problem when ``W`` is the bottleneck group.
    """

    def __init__(
        self,
        prep: Prep,
        comp: Component,
        previous: Mapping[int, int],
        subset: set[int] | None = None,
    ) -> None:
        self.prep = prep
        self.comp = comp
        inside = set(comp.lecturers) if subset is None else subset & set(comp.lecturers)
        self.inside = inside
        self.lecturers = [i for i in comp.lecturers if i in inside]
        self.sections = [j for j in comp.sections if any(i in inside for i in prep.cands[j])]
        secs = prep.instance.sections
        model = cp_model.CpModel()
        self.model = model
        by_key: dict[tuple[Any, ...], int] = {}
        self.classes: list[list[int]] = []
        self.class_of: dict[int, int] = {}
        self.class_prefs: list[tuple[int, ...]] = []
        self.class_prev: list[int | None] = []
        self.class_slots: list[list[int]] = []
        for j in self.sections:
            cands = tuple(prep.cands[j])
            prefs = tuple(
                sorted({prep.lect_index[x] for x in secs[j].preferred if x in prep.lect_index})
            )
            prev = previous.get(j)
            key = (prep.hours_h[j], prep.hours_cap_h[j], cands, prefs, prev)
            k = by_key.get(key)
            if k is None:
                k = by_key[key] = len(self.classes)
                self.classes.append([])
                self.class_prefs.append(tuple(i for i in prefs if i in inside and i in cands))
                self.class_prev.append(prev if prev in inside and prev in cands else None)
                slots = [i for i in cands if i in inside]
                if len(slots) < len(cands):
                    slots.append(_OUTSIDE)
                self.class_slots.append(slots)
            self.classes[k].append(j)
            self.class_of[j] = k
        self.y: dict[tuple[int, int], cp_model.IntVar] = {}
        terms: dict[int, list[tuple[cp_model.IntVar, int]]] = {i: [] for i in self.lecturers}
        cap_terms: dict[int, list[tuple[cp_model.IntVar, int]]] = {i: [] for i in self.lecturers}
        most_load = {i: prep.fixed_load_h[i] for i in self.lecturers}
        for k, members in enumerate(self.classes):
            j0 = members[0]
            n = len(members)
            row = []
            for i in self.class_slots[k]:
                # Never more copies than fit under the lecturer's room.
                most = (
                    n if i == _OUTSIDE else min(n, prep.room_h[i] // max(1, prep.hours_cap_h[j0]))
                )
                if n == 1:
                    var = model.new_bool_var(f"x{k}_{i}")
                else:
                    var = model.new_int_var(0, most, f"y{k}_{i}")
                self.y[(k, i)] = var
                row.append(var)
                if i != _OUTSIDE:
                    terms[i].append((var, prep.hours_h[j0]))
                    cap_terms[i].append((var, prep.hours_cap_h[j0]))
                    most_load[i] += most * prep.hours_h[j0]
            if n == 1:
                model.add_exactly_one(row)
            else:
                model.add(sum(row) == n)
        self.load: dict[int, cp_model.IntVar] = {}
        self.load_lo: dict[int, int] = {}
        self.load_hi: dict[int, int] = {}
        for i in self.lecturers:
            fixed = prep.fixed_load_h[i]
            self.load_lo[i] = fixed
            self.load_hi[i] = max(fixed, min(most_load[i], prep.cap_h[i]))
            load = model.new_int_var(self.load_lo[i], self.load_hi[i], f"L{i}")
            model.add(load == fixed + sum(v * h for v, h in terms[i]))
            if not prep.exact:
                model.add(
                    prep.fixed_load_cap_h[i] + sum(v * h for v, h in cap_terms[i]) <= prep.cap_h[i]
                )
            self.load[i] = load
        self.dev: cp_model.IntVar | None = None
        # Stage 2's variables, kept so that a hint can give them values too: CP-SAT takes a
        # hint as its first solution only if it manages to complete it, which a starved
        # solve may not; a complete hint leaves nothing to that.
        self.centre: dict[int, int] = {}
        self.square: dict[int, tuple[cp_model.IntVar, cp_model.IntVar, int, int]] = {}

    # -- solution helpers -------------------------------------------------------------------

    def _slot(self, j: int, who: int | None) -> int | None:
        """Where section ``j`` sits in this model if taught by ``who`` (None: impossible)."""
        if who is None or who == _OUTSIDE or who not in self.prep.cands[j]:
            return None
        slot = who if who in self.inside else _OUTSIDE
        return slot if (self.class_of[j], slot) in self.y else None

    def add_hint(self, assignment: Mapping[int, int], floor: int = 0) -> None:
        """Hint every variable from ``assignment``. ``floor`` is the stage-1 floor ``run_solver``
        adds (``D ≥ floor``), so that the hinted ``D`` is feasible in that model too."""
        self.model.proto.clear_solution_hint()
        prep = self.prep
        loads = {i: prep.fixed_load_h[i] for i in self.lecturers}
        complete = True
        for k, members in enumerate(self.classes):
            counts: dict[int, int] = {}
            for j in members:
                slot = self._slot(j, assignment.get(j))
                if slot is None:
                    complete = False
                    continue
                counts[slot] = counts.get(slot, 0) + 1
                if slot != _OUTSIDE:
                    loads[slot] += prep.hours_h[j]
            if sum(counts.values()) != len(members):
                continue  # a partial hint is fine; an impossible one only confuses CP-SAT
            for i in self.class_slots[k]:
                self.model.add_hint(self.y[(k, i)], counts.get(i, 0))
        if not complete:
            return
        for i, load in loads.items():
            self.model.add_hint(self.load[i], load)
        if self.dev is not None:
            dev = max((prep.model_dev(i, load) for i, load in loads.items()), default=0)
            self.model.add_hint(self.dev, max(dev, floor))
        for i, (e, sq, _, _) in self.square.items():
            self.model.add_hint(e, loads[i] - self.centre[i])
            self.model.add_hint(sq, (loads[i] - self.centre[i]) ** 2)

    def extract(self, solver: cp_model.CpSolver, keep: Mapping[int, int]) -> dict[int, int]:
        """Turn class counts back into sections (``_OUTSIDE`` for sections a restricted
        model sends out of the subset). Where a class's count allows it, a section stays with
        the lecturer it had in ``keep`` (the hint), so stages do not reshuffle
        interchangeable sections for nothing."""
        out: dict[int, int] = {}
        for k, members in enumerate(self.classes):
            left = {i: solver.value(self.y[(k, i)]) for i in self.class_slots[k]}
            pending = []
            for j in members:
                who = self._slot(j, keep.get(j))
                if who is not None and left.get(who, 0) > 0:
                    out[j] = who
                    left[who] -= 1
                else:
                    pending.append(j)
            slots = [i for i, count in left.items() for _ in range(count)]
            for j, i in zip(pending, slots, strict=True):
                out[j] = i
        return out

    def model_dev(self, assignment: Mapping[int, int]) -> int | None:
        """Stage-1 objective of a (complete) assignment over this model's lecturers; None if
        incomplete or over a max_load."""
        prep = self.prep
        loads = {i: prep.fixed_load_h[i] for i in self.lecturers}
        cap_loads = {i: prep.fixed_load_cap_h[i] for i in self.lecturers}
        for j in self.sections:
            slot = self._slot(j, assignment.get(j))
            if slot is None:
                return None
            if slot != _OUTSIDE:
                loads[slot] += prep.hours_h[j]
                cap_loads[slot] += prep.hours_cap_h[j]
        if any(cap_loads[i] > prep.cap_h[i] for i in cap_loads):
            return None
        return max((prep.model_dev(i, load) for i, load in loads.items()), default=0)

    # -- stage 1: max deviation -------------------------------------------------------------

    def build_stage1(self, floor: int, upper: int) -> None:
        prep = self.prep
        model = self.model
        dev = model.new_int_var(floor, max(floor, upper), "D")
        for i in self.lecturers:
            t = prep.target_h[i]
            load = self.load[i]
            model.add(DEV_SCALE * load - t * dev <= prep.dev_up(i))
            model.add(DEV_SCALE * load + t * dev >= prep.dev_lo(i))
        self.dev = dev
        model.minimize(dev)

    def restrict_dev(self, d_star: int) -> None:
        """Freeze stage 1's result: every lecturer's deviation stays ≤ d_star, written as
        plain bounds on the loads (the proto is not edited: OR-Tools' Python proto views
        are fragile)."""
        assert self.dev is not None
        prep = self.prep
        self.model.add(self.dev <= d_star)
        for i in self.lecturers:
            t = prep.target_h[i]
            hi = min(self.load_hi[i], (d_star * t + prep.dev_up(i)) // DEV_SCALE)
            lo = max(self.load_lo[i], -((d_star * t - prep.dev_lo(i)) // DEV_SCALE))
            if lo > hi:  # cannot happen when a solution with d_star exists
                continue
            self.model.add(self.load[i] <= hi)
            self.model.add(self.load[i] >= lo)
            self.load_lo[i], self.load_hi[i] = lo, hi

    # -- stage 2: imbalance -----------------------------------------------------------------

    def build_stage2(self) -> tuple[cp_model.LinearExpr, Callable[[float], float]]:
        prep = self.prep
        model = self.model
        hs = prep.hs
        rho = prep.rho
        centre: dict[int, int] = {}
        frac: dict[int, float] = {}
        span: dict[int, int] = {}
        for i in self.lecturers:
            exact = rho * prep.target_h[i]
            centre[i] = round(exact)
            frac[i] = exact - centre[i]
            span[i] = max(abs(self.load_lo[i] - centre[i]), abs(self.load_hi[i] - centre[i]), 1)
        # Weights w_i = K / T_i: K as large as the objective ceiling allows, for precision.
        spread = sum(span[i] ** 2 / prep.target_h[i] for i in self.lecturers)
        k = max(1, min(10**9, int(_OBJECTIVE_CEILING / max(spread, 1.0))))
        terms = []
        constant = 0.0
        for i in self.lecturers:
            t = prep.target_h[i]
            weight = max(1, round(k / t))
            e = model.new_int_var(-span[i], span[i], f"e{i}")
            model.add(e == self.load[i] - centre[i])
            sq = model.new_int_var(0, span[i] ** 2, f"q{i}")
            model.add_multiplication_equality(sq, [e, e])
            terms.append(weight * sq)
            linear = round(2 * frac[i] * weight)
            if linear:
                terms.append(-linear * e)
            self.square[i] = (e, sq, weight, linear)
            constant += weight * frac[i] ** 2
        objective = cp_model.LinearExpr.Sum(terms)
        model.minimize(objective)
        self.centre = centre
        scale = k * hs

        def to_imbalance(value: float) -> float:
            return (value + constant) / scale

        return objective, to_imbalance

    def stage2_value(self, assignment: Mapping[int, int]) -> int:
        """Stage 2's objective for a complete assignment (after ``build_stage2``)."""
        loads = {i: self.prep.fixed_load_h[i] for i in self.lecturers}
        for j in self.sections:
            slot = self._slot(j, assignment.get(j))
            if slot is not None and slot != _OUTSIDE:
                loads[slot] += self.prep.hours_h[j]
        total = 0
        for i, (_, _, weight, linear) in self.square.items():
            e = loads[i] - self.centre[i]
            total += weight * e * e - linear * e
        return total

    # -- stage 3/4: preferences, then fewest changes ----------------------------------------

    def build_stage3(self, objective: cp_model.LinearExpr, best: int) -> bool:
        prefs: list[cp_model.IntVar] = []
        keeps: list[cp_model.IntVar] = []
        for k in range(len(self.classes)):
            prefs.extend(self.y[(k, i)] for i in self.class_prefs[k])
            prev = self.class_prev[k]
            if prev is not None:
                keeps.append(self.y[(k, prev)])
        if not prefs and not keeps:
            return False
        self.model.add(objective <= best)
        weight = sum(len(self.classes[k]) for k in range(len(self.classes))) + 1
        self.model.maximize(weight * sum(prefs) + sum(keeps))
        return True


_LOG_SEARCH = False
"""Set to True while debugging to see CP-SAT's search log on stderr."""
STAGE1_SUBSOLVERS = ("max_lp", "quick_restart_no_lp")
"""Stage 1's pair of CP-SAT subsolvers on two workers (see ``run_solver``)."""


@dataclass
class SolveOutcome:
    status: Any
    assignment: dict[int, int] | None
    objective: float | None
    bound: float | None
    seconds: float


def run_solver(
    cm: ComponentModel,
    time_limit: float,
    workers: int,
    reporter: Reporter,
    keep: Mapping[int, int],
    subsolvers: Sequence[str] = (),
    floor: int | None = None,
) -> SolveOutcome:
    model = cm.model
    if floor is not None and cm.dev is not None:
        # Stage 1 of one component minimises max(D_c, floor): going below what another
        # component already forces is useless, and CP-SAT stops as soon as it reaches the
        # floor. The floor changes between solves, so it goes on a copy of the model.
        model = cm.model.clone()
        model.add(model.get_int_var_from_proto_index(cm.dev.index) >= floor)
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = max(0.05, time_limit)
    params.num_workers = max(1, workers)
    params.random_seed = 1
    params.log_search_progress = _LOG_SEARCH
    if workers == 2 and subsolvers:
        # On two cores CP-SAT's default pair (default_lp + interleaved LNS) is weak on these
        # packing-like models; measured on the college instances, this pair proves stage 1
        # several times faster (see docs/PERFORMANCE.md).
        params.subsolvers.extend(subsolvers)
    started = time.perf_counter()
    status = solver.solve(model, reporter)
    seconds = time.perf_counter() - started
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return SolveOutcome(
            status,
            cm.extract(solver, keep),
            solver.objective_value,
            solver.best_objective_bound,
            seconds,
        )
    return SolveOutcome(status, None, None, None, seconds)
