"""The instance prepared for the solvers: integer units, candidates, connected components.

``Prep`` is the integer view shared by the LP bound, the max-flow check and CP-SAT; the
helpers below measure a component's solution in plain floats, as ``evaluate`` does.

Integer scaling (CP-SAT only takes integers)
---------------------------------------------
* Hours, targets and max loads are multiplied by the smallest ``HS`` in (10, 100, 1000) that
  represents all of them exactly (1 decimal → HS = 10). If none does, hours are rounded to
  1/1000 h and the ``max_load`` check uses hours rounded *up*, so it is never violated.
* The deviation is linearised as ``|L − ρ·T| ≤ D·T`` with ``D`` an integer equal to
  ``max_deviation × DEV_SCALE`` (DEV_SCALE = 100 000). Multiplying by DEV_SCALE:
  ``DEV_SCALE·L − ⌈DEV_SCALE·ρ·T⌉ ≤ D·T`` and ``⌊DEV_SCALE·ρ·T⌋ − DEV_SCALE·L ≤ D·T``: rounding
  the constant outwards makes the model a relaxation, so a CP-SAT bound ``B`` proves
  ``max_deviation > (B − 1) / DEV_SCALE`` (the −1 pays for ``D`` being an integer).
* Imbalance is ``Σ w_i (e_i² − 2 f_i e_i)`` with ``e_i = L_i − round(ρ·T_i)`` and
  ``f_i`` the rounding remainder — exact up to the integer weights ``w_i ≈ K / T_i``; ``K`` is
  chosen so the objective stays far below 2⁵³. ``e_i²`` uses ``AddMultiplicationEquality``:
  one variable per lecturer, with CP-SAT's own square cuts, which scales to 1 500 lecturers
  where a piecewise-linear table per lecturer would not.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from workload.balancer.instance import Instance

DEV_SCALE = 100_000
"""Integer units per 1.0 of deviation in the CP-SAT model (resolution 0.00001)."""


_HOUR_SCALES = (10, 100, 1000)


def _choose_hour_scale(values: Iterable[float]) -> tuple[int, bool]:
    values = list(values)
    for scale in _HOUR_SCALES:
        if all(abs(v * scale - round(v * scale)) <= 1e-6 * max(1.0, v * scale) for v in values):
            return scale, True
    return _HOUR_SCALES[-1], False


@dataclass
class Component:
    """Lecturers and free sections joined by eligibility: solved apart from the others."""

    lecturers: list[int]
    sections: list[int]  # indices of free sections

    @property
    def size(self) -> int:
        return len(self.sections) + len(self.lecturers)


class Prep:
    """Integer view of the instance shared by the LP, the flow check and CP-SAT."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        lects = instance.lecturers
        secs = instance.sections
        self.lect_index = {lect.id: i for i, lect in enumerate(lects)}
        self.sec_index = {sec.id: j for j, sec in enumerate(secs)}
        values = [s.hours for s in secs]
        values += [lect.target for lect in lects] + [lect.max_load for lect in lects]
        self.hs, self.exact = _choose_hour_scale(values)
        hs = self.hs
        self.rho = instance.rho
        self.active = [lect.target > 0 for lect in lects]
        # An active lecturer keeps a positive integer target even if it rounds to 0 units.
        self.target_h = [
            max(1, round(lect.target * hs)) if lect.target > 0 else 0 for lect in lects
        ]
        # max_load rounded down and (if inexact) hours rounded up: never exceed a real max.
        self.cap_h = [math.floor(lect.max_load * hs + 1e-6) for lect in lects]
        self.hours_h = [round(s.hours * hs) for s in secs]
        self.hours_cap_h = (
            self.hours_h if self.exact else [math.ceil(s.hours * hs - 1e-6) for s in secs]
        )
        n = len(lects)
        self.fixed_load_h = [0] * n
        self.fixed_load_cap_h = [0] * n
        self.fixed_load = [0.0] * n  # exact floats, for proven bounds
        self.locked: dict[int, int] = {}
        self.unknown_locks: list[int] = []
        self.free: list[int] = []
        for j, sec in enumerate(secs):
            if sec.locked_to is None:
                self.free.append(j)
            elif sec.locked_to in self.lect_index:
                i = self.lect_index[sec.locked_to]
                self.locked[j] = i
                self.fixed_load_h[i] += self.hours_h[j]
                self.fixed_load_cap_h[i] += self.hours_cap_h[j]
                self.fixed_load[i] += sec.hours
            else:
                self.unknown_locks.append(j)
        self.room_h = [self.cap_h[i] - self.fixed_load_cap_h[i] for i in range(n)]
        # Candidates: eligible, known, active, and with room for the section on its own.
        self.listed: dict[int, list[int]] = {}
        self.cands: dict[int, list[int]] = {}
        for j in self.free:
            listed = [self.lect_index[x] for x in secs[j].eligible if x in self.lect_index]
            self.listed[j] = listed
            self.cands[j] = [
                i for i in listed if self.active[i] and self.hours_cap_h[j] <= self.room_h[i]
            ]
        self._components: list[Component] | None = None

    # Deviation constants, see the module docstring.
    def dev_up(self, i: int) -> int:
        return math.ceil(DEV_SCALE * self.rho * self.target_h[i] - 1e-9)

    def dev_lo(self, i: int) -> int:
        return math.floor(DEV_SCALE * self.rho * self.target_h[i] + 1e-9)

    def model_dev(self, i: int, load_h: int) -> int:
        """Smallest integer D that the stage-1 model allows for lecturer ``i`` at ``load_h``."""
        t = self.target_h[i]
        over = DEV_SCALE * load_h - self.dev_up(i)
        under = self.dev_lo(i) - DEV_SCALE * load_h
        return max(0, -(-over // t), -(-under // t))

    def components(self) -> list[Component]:
        if self._components is not None:
            return self._components
        parent = list(range(len(self.instance.lecturers)))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for j in self.free:
            cands = self.cands[j]
            for i in cands[1:]:
                a, b = find(cands[0]), find(i)
                if a != b:
                    parent[b] = a
        groups: dict[int, Component] = {}
        in_some = set()
        for j in self.free:
            if not self.cands[j]:
                continue
            root = find(self.cands[j][0])
            groups.setdefault(root, Component([], [])).sections.append(j)
            in_some.update(self.cands[j])
        for i in sorted(in_some):
            groups[find(i)].lecturers.append(i)
        self._components = list(groups.values())
        return self._components

    def isolated_active(self) -> list[int]:
        """Active lecturers no free section can go to: their load is fixed."""
        covered = {i for comp in self.components() for i in comp.lecturers}
        return [i for i, a in enumerate(self.active) if a and i not in covered]


def imbalance_of(prep: Prep, comp: Component, solution: Mapping[int, int]) -> float:
    """Imbalance of a component's (complete) solution, in hours, as evaluate() computes it."""
    loads = {i: float(prep.fixed_load_h[i]) for i in comp.lecturers}
    for j, i in solution.items():
        loads[i] += prep.hours_h[j]
    total = 0.0
    for i, load in loads.items():
        target = prep.instance.lecturers[i].target
        total += (load / prep.hs - prep.rho * target) ** 2 / target
    return total


def component_deviation(prep: Prep, comp: Component, solution: Mapping[int, int]) -> float:
    """Largest |load/target − ρ| of a component's (complete) solution, as evaluate() has it."""
    loads = {i: float(prep.fixed_load_h[i]) for i in comp.lecturers}
    for j, i in solution.items():
        loads[i] += prep.hours_h[j]
    lects = prep.instance.lecturers
    return max(
        (abs(load / prep.hs / lects[i].target - prep.rho) for i, load in loads.items()),
        default=0.0,
    )


def dev_upper(prep: Prep, comp: Component) -> int:
    """A safe upper bound for D when no greedy solution is known: every lecturer between
    empty and full."""
    worst = 0
    for i in comp.lecturers:
        worst = max(worst, prep.model_dev(i, 0), prep.model_dev(i, prep.cap_h[i]))
    return worst
