"""Fair teaching-load balancer (phân công giảng dạy công bằng).

Pure module: no Django import, so the management command, the web app's background task and
the benchmark all call the same code.

Problem
-------
Every section (lớp học phần) goes to exactly one lecturer. ``ρ = total hours / total targets``
(over lecturers with ``target > 0``) is the load ratio everyone would have in a perfectly even
world. Objectives, lexicographically:

1. minimise ``max_deviation = max_i |load_i / target_i − ρ|``;
2. keeping that, minimise ``imbalance = Σ_i (load_i − ρ·target_i)² / target_i``;
3. then maximise the number of honoured ``preferred`` wishes;
4. then, when ``previous_assignment`` is given, minimise the number of changed sections.

Rules that are decisions rather than obvious consequences of the statement:

* ``locked_to`` overrides everything: a section locked to a lecturer who is not in its
  ``eligible`` list, or who has ``target == 0``, is still assigned to that lecturer (the head of
  department decided explicitly). A lock to an unknown lecturer id, or locks whose total
  exceeds the lecturer's ``max_load``, make the instance infeasible.
* Lecturers with ``target == 0`` (on leave) get no unlocked section; they are left out of
  ``ρ``, ``max_deviation`` and ``imbalance``. Hours of sections locked to them still count in
  the total hours used for ``ρ`` (the statement defines ρ over *total* hours).
* Unknown ids in ``eligible``/``preferred`` are ignored.

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

* ``_improve``, a local search (moves and swaps that raise neither the largest deviation nor
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
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ortools.graph.python import max_flow
from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

logger = logging.getLogger(__name__)

DEV_SCALE = 100_000
"""Integer units per 1.0 of deviation in the CP-SAT model (resolution 0.00001)."""

_HOUR_SCALES = (10, 100, 1000)
_LP_SAFETY = 1e-6
"""Subtracted from GLOP's LP optimum: GLOP works in floating point with ~1e-9 tolerances, so
the reported LP value is shaved a little to stay a proven bound."""
_OBJECTIVE_CEILING = 4.0e12
"""Largest stage-2 objective we allow: well below 2⁵³ so CP-SAT's double arithmetic on the
objective is exact."""

ProgressFn = Callable[[dict[str, Any]], None]

STATUS_OPTIMAL = "OPTIMAL"
STATUS_FEASIBLE = "FEASIBLE"
STATUS_INFEASIBLE = "INFEASIBLE"


class InstanceError(ValueError):
    """The instance JSON is malformed (message in Vietnamese, shown to the user)."""


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------


def _as_float(value: Any, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise InstanceError(f"{what} phải là số, nhận được {value!r}") from exc
    if not math.isfinite(number) or number < 0:
        raise InstanceError(f"{what} phải là số không âm, nhận được {value!r}")
    return number


def _id_list(value: Any, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InstanceError(f"{what} phải là danh sách mã giảng viên")
    return tuple(dict.fromkeys(str(item) for item in value))


@dataclass
class Lecturer:
    id: str
    target: float
    max_load: float
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Lecturer:
        if "id" not in data:
            raise InstanceError("Giảng viên thiếu trường 'id'")
        lid = str(data["id"])
        for key in ("target", "max_load"):
            if key not in data:
                raise InstanceError(f"Giảng viên {lid} thiếu trường '{key}'")
        extra = {k: v for k, v in data.items() if k not in ("id", "target", "max_load")}
        return cls(
            id=lid,
            target=_as_float(data["target"], f"target của giảng viên {lid}"),
            max_load=_as_float(data["max_load"], f"max_load của giảng viên {lid}"),
            extra=extra,
        )

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "target": self.target, "max_load": self.max_load, **self.extra}


@dataclass
class Section:
    id: str
    hours: float
    eligible: tuple[str, ...] = ()
    locked_to: str | None = None
    preferred: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Section:
        if "id" not in data:
            raise InstanceError("Học phần thiếu trường 'id'")
        sid = str(data["id"])
        if "hours" not in data:
            raise InstanceError(f"Học phần {sid} thiếu trường 'hours'")
        locked = data.get("locked_to")
        known = ("id", "hours", "eligible", "locked_to", "preferred")
        return cls(
            id=sid,
            hours=_as_float(data["hours"], f"hours của học phần {sid}"),
            eligible=_id_list(data.get("eligible"), f"eligible của học phần {sid}"),
            locked_to=None if locked in (None, "") else str(locked),
            preferred=_id_list(data.get("preferred"), f"preferred của học phần {sid}"),
            extra={k: v for k, v in data.items() if k not in known},
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "hours": self.hours,
            "eligible": list(self.eligible),
            "locked_to": self.locked_to,
        }
        if self.preferred:
            out["preferred"] = list(self.preferred)
        out.update(self.extra)
        return out


@dataclass
class Instance:
    lecturers: list[Lecturer]
    sections: list[Section]
    previous_assignment: dict[str, str] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for kind, items in (("giảng viên", self.lecturers), ("học phần", self.sections)):
            seen: set[str] = set()
            for item in items:
                if item.id in seen:
                    raise InstanceError(f"Mã {kind} {item.id} bị trùng")
                seen.add(item.id)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Instance:
        if not isinstance(data, Mapping):
            raise InstanceError("Dữ liệu phân công phải là một đối tượng JSON")
        lecturers = data.get("lecturers")
        sections = data.get("sections")
        if not isinstance(lecturers, list) or not isinstance(sections, list):
            raise InstanceError("Dữ liệu phải có danh sách 'lecturers' và 'sections'")
        previous = data.get("previous_assignment")
        if previous is not None and not isinstance(previous, Mapping):
            raise InstanceError("'previous_assignment' phải là ánh xạ học phần → giảng viên")
        return cls(
            lecturers=[Lecturer.from_dict(item) for item in lecturers],
            sections=[Section.from_dict(item) for item in sections],
            previous_assignment=(
                {str(k): str(v) for k, v in previous.items() if v is not None}
                if previous is not None
                else None
            ),
            extra={
                k: v
                for k, v in data.items()
                if k not in ("lecturers", "sections", "previous_assignment")
            },
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "lecturers": [lecturer.to_dict() for lecturer in self.lecturers],
            "sections": [section.to_dict() for section in self.sections],
        }
        if self.previous_assignment is not None:
            out["previous_assignment"] = dict(self.previous_assignment)
        out.update(self.extra)
        return out

    @property
    def rho(self) -> float:
        total_target = sum(lect.target for lect in self.lecturers if lect.target > 0)
        if total_target <= 0:
            return 0.0
        return sum(section.hours for section in self.sections) / total_target


@dataclass
class Metrics:
    """What an assignment achieves, computed in plain floats from the original data."""

    loads: dict[str, float]
    rho: float
    max_deviation: float
    imbalance: float
    preferences_honoured: int
    preferences_possible: int
    changes: int
    unassigned: list[str]
    unknown_lecturer: list[str]
    ineligible: list[str]
    over_max_load: list[str]

    @property
    def feasible(self) -> bool:
        return not (
            self.unassigned or self.unknown_lecturer or self.ineligible or self.over_max_load
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "loads": self.loads,
            "rho": self.rho,
            "max_deviation": self.max_deviation,
            "imbalance": self.imbalance,
            "preferences_honoured": self.preferences_honoured,
            "preferences_possible": self.preferences_possible,
            "changes": self.changes,
            "unassigned": self.unassigned,
            "unknown_lecturer": self.unknown_lecturer,
            "ineligible": self.ineligible,
            "over_max_load": self.over_max_load,
            "feasible": self.feasible,
        }


@dataclass
class Result:
    status: str
    assignment: dict[str, str]
    loads: dict[str, float]
    max_deviation: float | None
    lower_bound: float | None
    imbalance: float | None
    seconds: float
    explanation: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "assignment": self.assignment,
            "loads": self.loads,
            "max_deviation": self.max_deviation,
            "lower_bound": self.lower_bound,
            "imbalance": self.imbalance,
            "seconds": self.seconds,
            "explanation": self.explanation,
        }


# --------------------------------------------------------------------------------------------
# Formatting helpers (Vietnamese number style: 1.234,5)
# --------------------------------------------------------------------------------------------


def format_vn(value: float, decimals: int = 1) -> str:
    """``1234.5 → "1.234,5"``: Vietnamese thousands dot and decimal comma."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _id_preview(ids: Sequence[str], limit: int = 6) -> str:
    shown = ", ".join(ids[:limit])
    return f"{shown}, …" if len(ids) > limit else shown


def _group_labels(items: Iterable[Lecturer | Section]) -> list[str]:
    """Subject-group names when the instance carries them (optional extra keys)."""
    labels: dict[str, None] = {}
    for item in items:
        for key in ("group", "subject_group", "bo_mon"):
            value = item.extra.get(key)
            if value:
                labels[str(value)] = None
                break
    return list(labels)


# --------------------------------------------------------------------------------------------
# Metrics and greedy
# --------------------------------------------------------------------------------------------


def evaluate(instance: Instance, assignment: Mapping[str, str]) -> Metrics:
    """Compute loads, max_deviation, imbalance and rule violations of ``assignment``.

    Partial assignments are allowed (missing sections are listed in ``unassigned``); lecturers
    with ``target == 0`` are left out of max_deviation and imbalance.
    """
    lecturers = {lect.id: lect for lect in instance.lecturers}
    loads = {lect.id: 0.0 for lect in instance.lecturers}
    unassigned: list[str] = []
    unknown: list[str] = []
    ineligible: list[str] = []
    honoured = possible = changes = 0
    previous = instance.previous_assignment or {}
    for section in instance.sections:
        who = assignment.get(section.id)
        if section.preferred:
            possible += 1
        if section.id in previous and previous[section.id] != who:
            changes += 1
        if who is None:
            unassigned.append(section.id)
            continue
        if who not in lecturers:
            unknown.append(section.id)
            continue
        loads[who] += section.hours
        if section.locked_to is not None:
            if who != section.locked_to:
                ineligible.append(section.id)
        elif who not in section.eligible or lecturers[who].target <= 0:
            ineligible.append(section.id)
        if who in section.preferred:
            honoured += 1
    rho = instance.rho
    max_dev = 0.0
    imbalance = 0.0
    over: list[str] = []
    for lect in instance.lecturers:
        load = loads[lect.id]
        if load > lect.max_load + 1e-9:
            over.append(lect.id)
        if lect.target > 0:
            max_dev = max(max_dev, abs(load / lect.target - rho))
            imbalance += (load - rho * lect.target) ** 2 / lect.target
    return Metrics(
        loads={k: round(v, 6) for k, v in loads.items()},
        rho=rho,
        max_deviation=max_dev,
        imbalance=imbalance,
        preferences_honoured=honoured,
        preferences_possible=possible,
        changes=changes,
        unassigned=unassigned,
        unknown_lecturer=unknown,
        ineligible=ineligible,
        over_max_load=over,
    )


def greedy(instance: Instance) -> dict[str, str]:
    """What a careful head of department does in a spreadsheet.

    Locked sections first; then the largest section first, to the eligible lecturer (target > 0)
    with the lowest current load/target ratio who still has room under ``max_load``. Sections
    that fit nobody are left out of the returned dict (the caller sees them as unassigned).
    """
    lecturers = {lect.id: lect for lect in instance.lecturers}
    loads = {lect.id: 0.0 for lect in instance.lecturers}
    assignment: dict[str, str] = {}
    for section in instance.sections:
        if section.locked_to is not None and section.locked_to in lecturers:
            assignment[section.id] = section.locked_to
            loads[section.locked_to] += section.hours
    free = [s for s in instance.sections if s.locked_to is None]
    free.sort(key=lambda s: (-s.hours, s.id))
    for section in free:
        best: tuple[float, float, str] | None = None
        for lid in section.eligible:
            lect = lecturers.get(lid)
            if lect is None or lect.target <= 0:
                continue
            if loads[lid] + section.hours > lect.max_load + 1e-9:
                continue
            key = (loads[lid] / lect.target, loads[lid], lid)
            if best is None or key < best:
                best = key
        if best is not None:
            assignment[section.id] = best[2]
            loads[best[2]] += section.hours
    return assignment


# --------------------------------------------------------------------------------------------
# Preparation: integer data, candidates, components
# --------------------------------------------------------------------------------------------


def _choose_hour_scale(values: Iterable[float]) -> tuple[int, bool]:
    values = list(values)
    for scale in _HOUR_SCALES:
        if all(abs(v * scale - round(v * scale)) <= 1e-6 * max(1.0, v * scale) for v in values):
            return scale, True
    return _HOUR_SCALES[-1], False


@dataclass
class _Component:
    lecturers: list[int]
    sections: list[int]  # indices of free sections

    @property
    def size(self) -> int:
        return len(self.sections) + len(self.lecturers)


class _Prep:
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
        self._components: list[_Component] | None = None

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

    def components(self) -> list[_Component]:
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
        groups: dict[int, _Component] = {}
        in_some = set()
        for j in self.free:
            if not self.cands[j]:
                continue
            root = find(self.cands[j][0])
            groups.setdefault(root, _Component([], [])).sections.append(j)
            in_some.update(self.cands[j])
        for i in sorted(in_some):
            groups[find(i)].lecturers.append(i)
        self._components = list(groups.values())
        return self._components

    def isolated_active(self) -> list[int]:
        """Active lecturers no free section can go to: their load is fixed."""
        covered = {i for comp in self.components() for i in comp.lecturers}
        return [i for i, a in enumerate(self.active) if a and i not in covered]


# --------------------------------------------------------------------------------------------
# Infeasibility diagnosis
# --------------------------------------------------------------------------------------------


def _diagnose(prep: _Prep) -> list[dict[str, Any]]:
    inst = prep.instance
    lects = inst.lecturers
    secs = inst.sections
    hs = prep.hs
    issues: list[dict[str, Any]] = []

    for j in prep.unknown_locks:
        sec = secs[j]
        issues.append(
            {
                "kind": "unknown_locked_lecturer",
                "section": sec.id,
                "lecturer": sec.locked_to,
                "message": (
                    f"Học phần {sec.id} được khoá cho giảng viên {sec.locked_to} nhưng không có "
                    "giảng viên này trong danh sách: sửa mã giảng viên hoặc gỡ khoá"
                ),
            }
        )

    for i, lect in enumerate(lects):
        if prep.fixed_load_cap_h[i] > prep.cap_h[i]:
            locked_ids = [secs[j].id for j, who in prep.locked.items() if who == i]
            hours = prep.fixed_load_h[i] / hs
            excess = hours - lect.max_load
            issues.append(
                {
                    "kind": "locked_over_max_load",
                    "lecturer": lect.id,
                    "sections": locked_ids,
                    "locked_hours": round(hours, 6),
                    "max_load": lect.max_load,
                    "shortfall": round(excess, 6),
                    "message": (
                        f"Các học phần khoá cho giảng viên {lect.id} "
                        f"({_id_preview(locked_ids)}) tổng {format_vn(hours)} giờ chuẩn, vượt "
                        f"mức tối đa {format_vn(lect.max_load)} giờ: cần gỡ khoá bớt hoặc tăng "
                        f"giờ vượt định mức thêm {format_vn(excess)} giờ chuẩn"
                    ),
                }
            )

    blocked: set[int] = set()
    for j in prep.free:
        if prep.cands[j]:
            continue
        sec = secs[j]
        blocked.add(j)
        listed = prep.listed[j]
        active = [i for i in listed if prep.active[i]]
        if not listed:
            reason = "no_eligible_lecturer"
            detail = ""
            if sec.eligible:
                detail = (
                    f" (các mã trong danh sách {_id_preview(list(sec.eligible))} không có trong "
                    "danh sách giảng viên)"
                )
            message = f"Học phần {sec.id} không có giảng viên nào đủ điều kiện dạy{detail}"
            fix = "bổ sung giảng viên đủ điều kiện hoặc mời giảng viên thỉnh giảng"
        elif not active:
            reason = "only_on_leave"
            message = (
                f"Học phần {sec.id} không có giảng viên nào đủ điều kiện dạy: "
                f"{_id_preview([lects[i].id for i in listed])} đều có định mức 0 (đang nghỉ)"
            )
            fix = "khoá học phần cho một người trong số đó hoặc mời giảng viên thỉnh giảng"
        else:
            reason = "section_too_large"
            best_room = max(prep.room_h[i] for i in active) / hs
            message = (
                f"Học phần {sec.id} ({format_vn(sec.hours)} giờ chuẩn) lớn hơn số giờ còn trống "
                f"của mọi giảng viên dạy được (nhiều nhất {format_vn(max(best_room, 0.0))} giờ)"
            )
            fix = "tăng giờ vượt định mức, gỡ bớt học phần khoá hoặc mời giảng viên thỉnh giảng"
        issues.append(
            {
                "kind": reason,
                "section": sec.id,
                "hours": sec.hours,
                "listed": [lects[i].id for i in listed],
                "message": f"{message}: {fix}",
            }
        )

    issues.extend(_capacity_shortfalls(prep, blocked))
    return issues


def _capacity_shortfalls(prep: _Prep, blocked: set[int]) -> list[dict[str, Any]]:
    """Hall-type check: a set of sections whose candidates cannot carry their hours even when
    sections could be split. Max-flow from sections to lecturers; the source side of the
    minimum cut is the largest deficient set, split here into connected groups."""
    secs = prep.instance.sections
    lects = prep.instance.lecturers
    hs = prep.hs
    free = [j for j in prep.free if j not in blocked and prep.cands[j]]
    if not free:
        return []
    lect_nodes = sorted({i for j in free for i in prep.cands[j]})
    n_sec = len(free)
    source, sink = 0, 1
    sec_node = {j: 2 + k for k, j in enumerate(free)}
    lect_node = {i: 2 + n_sec + k for k, i in enumerate(lect_nodes)}
    flow = max_flow.SimpleMaxFlow()
    total = 0
    big = sum(prep.hours_cap_h[j] for j in free) + 1
    for j in free:
        flow.add_arc_with_capacity(source, sec_node[j], prep.hours_cap_h[j])
        total += prep.hours_cap_h[j]
        for i in prep.cands[j]:
            flow.add_arc_with_capacity(sec_node[j], lect_node[i], big)
    for i in lect_nodes:
        flow.add_arc_with_capacity(lect_node[i], sink, max(0, prep.room_h[i]))
    if flow.solve(source, sink) != flow.OPTIMAL:  # pragma: no cover - defensive
        return []
    if flow.optimal_flow() >= total:
        return []
    source_side = set(flow.get_source_side_min_cut())
    deficient_secs = [j for j in free if sec_node[j] in source_side]
    # Connected groups of the deficient sections (through shared candidates).
    parent = {j: j for j in deficient_secs}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    owner: dict[int, int] = {}
    for j in deficient_secs:
        for i in prep.cands[j]:
            if i in owner:
                a, b = find(owner[i]), find(j)
                if a != b:
                    parent[b] = a
            else:
                owner[i] = j
    groups: dict[int, list[int]] = {}
    for j in deficient_secs:
        groups.setdefault(find(j), []).append(j)
    issues = []
    for members in groups.values():
        who = sorted({i for j in members for i in prep.cands[j]})
        demand = sum(prep.hours_cap_h[j] for j in members) / hs
        capacity = sum(max(0, prep.room_h[i]) for i in who) / hs
        shortfall = demand - capacity
        if shortfall <= 0:
            continue
        sec_ids = [secs[j].id for j in members]
        lect_ids = [lects[i].id for i in who]
        labels = _group_labels([secs[j] for j in members])
        where = f"nhóm {', '.join(labels)} " if labels else "nhóm "
        issues.append(
            {
                "kind": "capacity_shortfall",
                "sections": sec_ids,
                "lecturers": lect_ids,
                "groups": labels,
                "hours": round(demand, 6),
                "capacity": round(capacity, 6),
                "shortfall": round(shortfall, 6),
                "message": (
                    f"Thiếu {format_vn(shortfall)} giờ chuẩn ở {where}gồm {len(sec_ids)} học phần "
                    f"({_id_preview(sec_ids)}; tổng {format_vn(demand)} giờ) mà chỉ "
                    f"{len(lect_ids)} giảng viên ({_id_preview(lect_ids)}) dạy được, năng lực "
                    f"tối đa còn {format_vn(capacity)} giờ: cần mời giảng viên thỉnh giảng "
                    f"{format_vn(shortfall)} giờ chuẩn hoặc tăng giờ vượt định mức tương ứng"
                ),
            }
        )
    issues.sort(key=lambda issue: -issue["shortfall"])  # type: ignore[operator]
    return issues


def _explanation_from_issues(issues: list[dict[str, Any]]) -> dict[str, Any]:
    needed = sum(
        issue.get("shortfall", 0.0)
        for issue in issues
        if issue["kind"] in ("capacity_shortfall", "locked_over_max_load")
    )
    lines = [issue["message"] for issue in issues]
    head = (
        "Không thể phân công: "
        if len(issues) == 1
        else f"Không thể phân công ({len(issues)} vấn đề):\n- "
    )
    message = head + ("\n- ".join(lines) if len(issues) > 1 else lines[0]) + "."
    return {
        "code": "INFEASIBLE",
        "issues": issues,
        "extra_hours_needed": round(needed, 6),
        "message": message,
    }


def diagnose_infeasibility(instance: Instance) -> dict[str, Any]:
    """Explain why no assignment exists (and what would fix it).

    Returns ``{"code": "INFEASIBLE" | "NO_ISSUE_FOUND", "issues": [...], "message": ...}``. Each
    issue has a ``kind`` (``no_eligible_lecturer``, ``only_on_leave``, ``section_too_large``,
    ``unknown_locked_lecturer``, ``locked_over_max_load``, ``capacity_shortfall``), the ids
    concerned, hours where relevant (``shortfall`` = hours of visiting lecturers or extra
    overtime needed) and a Vietnamese ``message``. ``NO_ISSUE_FOUND`` means every check passed:
    the instance is feasible when sections may be split; indivisible sections can still fail.
    """
    issues = _diagnose(_Prep(instance))
    if issues:
        return _explanation_from_issues(issues)
    return {
        "code": "NO_ISSUE_FOUND",
        "issues": [],
        "extra_hours_needed": 0.0,
        "message": "Không phát hiện thiếu hụt năng lực giảng dạy.",
    }


# --------------------------------------------------------------------------------------------
# LP relaxation bound
# --------------------------------------------------------------------------------------------


def _component_lp_bound(prep: _Prep, comp: _Component) -> float:
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
    return max(0.0, float(dev.solution_value()) - _LP_SAFETY)


def _isolated_deviation(prep: _Prep, i: int) -> float:
    lect = prep.instance.lecturers[i]
    return abs(prep.fixed_load_h[i] / prep.hs / lect.target - prep.rho)


def lp_bound(instance: Instance) -> float:
    """Lower bound on max_deviation from the LP relaxation (sections may be split).

    Solved per connected component with GLOP; lecturers no free section can reach contribute
    their fixed deviation exactly. ``math.inf`` when even the relaxation is infeasible.
    """
    prep = _Prep(instance)
    bound = max((_isolated_deviation(prep, i) for i in prep.isolated_active()), default=0.0)
    for comp in prep.components():
        bound = max(bound, _component_lp_bound(prep, comp))
    return bound


# --------------------------------------------------------------------------------------------
# CP-SAT model per component
# --------------------------------------------------------------------------------------------


class _Reporter(cp_model.CpSolverSolutionCallback):
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


class _ComponentModel:
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
        prep: _Prep,
        comp: _Component,
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
        """Hint every variable from ``assignment``. ``floor`` is the stage-1 floor ``_solve``
        adds (``D ≥ floor``), so that the hinted ``D`` is feasible in that model too."""
        self.model.clear_hints()
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


@dataclass
class _SolveOutcome:
    status: Any
    assignment: dict[int, int] | None
    objective: float | None
    bound: float | None
    seconds: float


def _solve(
    cm: _ComponentModel,
    time_limit: float,
    workers: int,
    reporter: _Reporter,
    keep: Mapping[int, int],
    subsolvers: Sequence[str] = (),
    floor: int | None = None,
) -> _SolveOutcome:
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
        return _SolveOutcome(
            status,
            cm.extract(solver, keep),
            solver.objective_value,
            solver.best_objective_bound,
            seconds,
        )
    return _SolveOutcome(status, None, None, None, seconds)


_LOG_SEARCH = False
_STAGE1_SUBSOLVERS = ("max_lp", "quick_restart_no_lp")
"""Set to True while debugging to see CP-SAT's search log on stderr."""


# --------------------------------------------------------------------------------------------
# The balancer
# --------------------------------------------------------------------------------------------


def _round_metric(value: float) -> float:
    return round(value, 6)


def _floor_metric(value: float) -> float:
    return math.floor(value * 1e6) / 1e6


def balance(
    instance: Instance,
    time_limit: float,
    progress: ProgressFn | None = None,
    workers: int = 2,
) -> Result:
    """Compute the fairest assignment within ``time_limit`` seconds (wall clock, whole call).

    ``progress`` (optional) receives dicts such as ``{"stage": "max_deviation", "component": 1,
    "components": 3, "objective": 0.27, "bound": 0.25, "elapsed": 1.2}``; it may be called from
    a solver thread. See the module docstring for the model.
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

    prep = _Prep(instance)
    lects = instance.lecturers
    secs = instance.sections

    issues = _diagnose(prep)
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
            explanation=_explanation_from_issues(issues),
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
            "objective": _round_metric(greedy_metrics.max_deviation),
            "imbalance": _round_metric(greedy_metrics.imbalance),
            "complete": greedy_metrics.feasible,
        }
    )

    # Fixed parts: isolated lecturers' deviation is known exactly.
    isolated = prep.isolated_active()
    fixed_dev = max((prep.model_dev(i, prep.fixed_load_h[i]) for i in isolated), default=0)
    true_bound = max((_isolated_deviation(prep, i) for i in isolated), default=0.0)
    # A single big section whose candidates all have small targets forces a deviation the LP
    # cannot see (it splits the section); CP-SAT finds it too, but this names the culprit.
    section_bound, section_culprit = _section_bound(prep)
    true_bound = max(true_bound, section_bound - _LP_SAFETY)

    # LP bound per component (cheap, and orders the components: bottleneck first).
    lp: list[float] = []
    for comp in components:
        value = _component_lp_bound(prep, comp)
        lp.append(value)
        if math.isfinite(value):
            true_bound = max(true_bound, value)
    notify({"stage": "lp_bound", "bound": _round_metric(true_bound)})

    previous = {
        prep.sec_index[s]: prep.lect_index[lid]
        for s, lid in (instance.previous_assignment or {}).items()
        if s in prep.sec_index and lid in prep.lect_index
    }
    models = [_ComponentModel(prep, comp, previous) for comp in components]
    order = sorted(range(len(components)), key=lambda c: (-lp[c], -components[c].size))
    sizes = {c: len(models[c].y) + len(components[c].lecturers) for c in order}

    needs_stage3 = any(secs[j].preferred for j in prep.free) or bool(previous)

    # ---- stage 1: minimise max deviation, component by component ---------------------------
    # Stage 1 is what the product promises (the proven fairest maximum), so it gets most of
    # the time; stage 2 and 3 work with whatever stage 1 leaves (often most of it, because
    # stage 1 usually closes in seconds).
    # Per component: ub = stage-1 value of the best known solution, lb = proven lower bound
    # (model units). The LP gives lb ≥ ⌈DEV_SCALE·lp⌉ − 1 (the −1 pays for the rounding of
    # the model's constants, see the module docstring).
    solutions: dict[int, dict[int, int]] = {}
    ub: dict[int, float] = {}
    lb: dict[int, int] = {}
    upper_of: dict[int, int] = {}
    for c in order:
        upper_of[c] = _dev_upper(prep, components[c])
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
        fallback[c] = _improve(prep, components[c], part, global_lb(), search_deadline)
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
        reporter = _Reporter(
            progress,
            {
                "stage": "max_deviation",
                "component": order.index(target) + 1,
                "components": len(order),
                "solve": solves,
            },
            lambda v: v / DEV_SCALE,
        )
        outcome = _solve(
            cm,
            share,
            workers,
            reporter,
            solutions.get(target, greedy_idx),
            _STAGE1_SUBSOLVERS,
            floor,
        )
        if outcome.assignment is None:
            if outcome.status == cp_model.INFEASIBLE:
                return _infeasible_packing(prep, components[target], started)
            if target not in solutions:
                return _timeout(prep, started)
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
        return _timeout(prep, started)
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
            "bound": _floor_metric(true_bound),
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
        solutions[c] = _improve(prep, comp, solutions[c], d_star, search_deadline)
        fallback[c] = _improve(prep, comp, fallback[c], d_star, search_deadline)
        fallback_dev = models[c].model_dev(fallback[c])
        if (
            fallback_dev is not None
            and fallback_dev <= d_star
            and _imbalance_of(prep, comp, fallback[c]) < _imbalance_of(prep, comp, solutions[c])
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
        reporter = _Reporter(
            progress,
            {"stage": "imbalance", "component": rank + 1, "components": len(order2)},
            to_imbalance,
        )
        outcome = _solve(cm, share, workers, reporter, start)
        if outcome.status != cp_model.OPTIMAL:
            imbalance_proven = False
        if outcome.assignment is not None and _imbalance_of(
            prep, components[c], outcome.assignment
        ) <= _imbalance_of(prep, components[c], start):
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
        reporter = _Reporter(
            progress,
            {"stage": "preferences", "component": rank + 1, "components": len(order2)},
            float,
        )
        outcome = _solve(cm, share, workers, reporter, solutions[c])
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
            if _component_deviation(prep, comp, solutions[c]) > greedy_metrics.max_deviation:
                solutions[c] = fallback[c]
                fell_back.append(c)
        gains = {
            c: _imbalance_of(prep, components[c], solutions[c])
            - _imbalance_of(prep, components[c], fallback[c])
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
    lower = min(_floor_metric(true_bound), _round_metric(metrics.max_deviation))
    status = STATUS_OPTIMAL if all_proven else STATUS_FEASIBLE
    seconds = round(time.perf_counter() - started, 3)
    explanation = _feasible_explanation(
        prep, metrics, greedy_metrics, lower, status, imbalance_proven, len(components)
    )
    if fell_back:
        explanation["greedy_fallback"] = len(fell_back)
        explanation["message"] += (
            f" Bộ giải chưa đủ thời gian để vượt cách chia tham lam ở {len(fell_back)} nhóm "
            "giảng viên: các nhóm đó giữ cách chia tham lam đã được cải thiện; hãy tăng thời "
            "gian chạy (hoặc chạy lúc máy rảnh) để có kết quả tốt hơn."
        )
    if section_culprit is not None and section_bound >= metrics.max_deviation - 1e-4:
        sec = secs[section_culprit]
        names = [lects[i].id for i in prep.cands[section_culprit]]
        explanation["forced_by_section"] = {
            "section": sec.id,
            "hours": sec.hours,
            "lecturers": names,
            "deviation": _round_metric(section_bound),
        }
        explanation["message"] += (
            f" Độ lệch này là bắt buộc: học phần {sec.id} ({format_vn(sec.hours)} giờ chuẩn) "
            f"chỉ có {_id_preview(names)} dạy được, ai nhận cũng lệch ít nhất "
            f"{format_vn(section_bound, 4)}; muốn giảm cần mở thêm giảng viên đủ điều kiện "
            "hoặc tách lớp."
        )
    notify({"stage": "done", "objective": _round_metric(metrics.max_deviation), "bound": lower})
    return Result(
        status=status,
        assignment=ordered,
        loads={k: round(v, 4) for k, v in metrics.loads.items()},
        max_deviation=_round_metric(metrics.max_deviation),
        lower_bound=lower,
        imbalance=round(metrics.imbalance, 4),
        seconds=seconds,
        explanation=explanation,
    )


def _section_bound(prep: _Prep) -> tuple[float, int | None]:
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


def _imbalance_of(prep: _Prep, comp: _Component, solution: Mapping[int, int]) -> float:
    """Imbalance of a component's (complete) solution, in hours, as evaluate() computes it."""
    loads = {i: float(prep.fixed_load_h[i]) for i in comp.lecturers}
    for j, i in solution.items():
        loads[i] += prep.hours_h[j]
    total = 0.0
    for i, load in loads.items():
        target = prep.instance.lecturers[i].target
        total += (load / prep.hs - prep.rho * target) ** 2 / target
    return total


def _component_deviation(prep: _Prep, comp: _Component, solution: Mapping[int, int]) -> float:
    """Largest |load/target − ρ| of a component's (complete) solution, as evaluate() has it."""
    loads = {i: float(prep.fixed_load_h[i]) for i in comp.lecturers}
    for j, i in solution.items():
        loads[i] += prep.hours_h[j]
    lects = prep.instance.lecturers
    return max(
        (abs(load / prep.hs / lects[i].target - prep.rho) for i, load in loads.items()),
        default=0.0,
    )


def _improve(
    prep: _Prep,
    comp: _Component,
    solution: Mapping[int, int],
    cap: int | None,
    deadline: float,
) -> dict[int, int]:
    """Local search that never makes a component's solution worse on either figure.

    Moves one section to another candidate, or swaps two sections between two lecturers,
    when neither lecturer then deviates more than the component's current largest deviation
    (in plain floats and in the model's integer units), the imbalance does not grow, and the
    move lowers (first) the total excess of the lecturers' model deviations over ``cap`` or
    (then) the imbalance. Starting from greedy this gives a solution no worse than greedy on
    max_deviation and imbalance, usually much better (0.1 s at college size, about 1 s at
    1 500 lecturers) — what is returned when the solver is starved, and a hint for it
    otherwise. Stops at ``deadline``.
    """
    if any(j not in solution for j in comp.sections):
        return dict(solution)  # incomplete (greedy could not place a section): nothing to do
    lects = prep.instance.lecturers
    hs, rho = prep.hs, prep.rho
    hours, hours_cap = prep.hours_h, prep.hours_cap_h
    target = {i: lects[i].target for i in comp.lecturers}
    load = {i: prep.fixed_load_h[i] for i in comp.lecturers}
    cap_load = {i: prep.fixed_load_cap_h[i] for i in comp.lecturers}
    held: dict[int, set[int]] = {i: set() for i in comp.lecturers}
    owner = {j: solution[j] for j in comp.sections}
    for j, i in owner.items():
        load[i] += hours[j]
        cap_load[i] += hours_cap[j]
        held[i].add(j)

    def fdev(i: int, value: int) -> float:
        return abs(value / hs / target[i] - rho)

    def term(i: int, value: int) -> float:
        return (value / hs - rho * target[i]) ** 2 / target[i]

    def excess(i: int, value: int) -> int:
        return 0 if cap is None else max(0, prep.model_dev(i, value) - cap)

    def peaks() -> tuple[float, int]:
        return (
            max(fdev(i, load[i]) for i in comp.lecturers),
            max(prep.model_dev(i, load[i]) for i in comp.lecturers),
        )

    fmax, mmax = peaks()

    def better(a: int, b: int, delta: int, delta_cap: int) -> bool:
        """Whether ``a`` giving ``delta`` hours (negative: receiving) to ``b`` is an
        improvement that keeps both figures."""
        la, lb = load[a] - delta, load[b] + delta
        if cap_load[a] - delta_cap > prep.cap_h[a] or cap_load[b] + delta_cap > prep.cap_h[b]:
            return False
        if fdev(a, la) > fmax or fdev(b, lb) > fmax:
            return False
        if prep.model_dev(a, la) > mmax or prep.model_dev(b, lb) > mmax:
            return False
        d_imb = term(a, la) + term(b, lb) - term(a, load[a]) - term(b, load[b])
        if d_imb > 0:
            return False
        d_exc = excess(a, la) + excess(b, lb) - excess(a, load[a]) - excess(b, load[b])
        return d_exc < 0 or (d_exc == 0 and d_imb < -1e-9)

    def shift(j: int, a: int, b: int) -> None:
        owner[j] = b
        held[a].discard(j)
        held[b].add(j)
        load[a] -= hours[j]
        load[b] += hours[j]
        cap_load[a] -= hours_cap[j]
        cap_load[b] += hours_cap[j]

    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        # Most deviating lecturers first: their sections are the ones worth moving.
        for a in sorted(comp.lecturers, key=lambda i: -fdev(i, load[i])):
            if time.perf_counter() >= deadline:
                break
            for j in sorted(held[a]):
                if owner[j] != a:
                    continue
                done = False
                for b in prep.cands[j]:
                    if b == a:
                        continue
                    if better(a, b, hours[j], hours_cap[j]):
                        shift(j, a, b)
                        done = True
                        break
                    for k in sorted(held[b]):
                        if a not in prep.cands[k] or hours[k] == hours[j]:
                            continue
                        if better(a, b, hours[j] - hours[k], hours_cap[j] - hours_cap[k]):
                            shift(j, a, b)
                            shift(k, b, a)
                            done = True
                            break
                    if done:
                        break
                if done:
                    improved = True
                    fmax, mmax = peaks()
    return owner


def _dev_upper(prep: _Prep, comp: _Component) -> int:
    """A safe upper bound for D when no greedy solution is known: every lecturer between
    empty and full."""
    worst = 0
    for i in comp.lecturers:
        worst = max(worst, prep.model_dev(i, 0), prep.model_dev(i, prep.cap_h[i]))
    return worst


def _infeasible_packing(prep: _Prep, comp: _Component, started: float) -> Result:
    secs = prep.instance.sections
    lects = prep.instance.lecturers
    sec_ids = [secs[j].id for j in comp.sections]
    lect_ids = [lects[i].id for i in comp.lecturers]
    issue = {
        "kind": "indivisible_sections",
        "sections": sec_ids,
        "lecturers": lect_ids,
        "message": (
            f"Nhóm {len(sec_ids)} học phần ({_id_preview(sec_ids)}) và {len(lect_ids)} giảng "
            f"viên ({_id_preview(lect_ids)}) đủ tổng giờ nhưng không thể xếp trọn từng học phần "
            "mà không vượt giờ tối đa của ai đó: cần tăng giờ vượt định mức, tách lớp học phần "
            "hoặc mời giảng viên thỉnh giảng"
        ),
    }
    return Result(
        status=STATUS_INFEASIBLE,
        assignment={},
        loads={},
        max_deviation=None,
        lower_bound=None,
        imbalance=None,
        seconds=round(time.perf_counter() - started, 3),
        explanation=_explanation_from_issues([issue]),
    )


def _timeout(prep: _Prep, started: float) -> Result:
    return Result(
        status=STATUS_INFEASIBLE,
        assignment={},
        loads={},
        max_deviation=None,
        lower_bound=None,
        imbalance=None,
        seconds=round(time.perf_counter() - started, 3),
        explanation={
            "code": "NO_SOLUTION_IN_TIME",
            "issues": [],
            "extra_hours_needed": 0.0,
            "message": (
                "Chưa tìm được phương án phân công trong thời gian cho phép (chưa chứng minh là "
                "không thể): hãy tăng thời gian chạy."
            ),
        },
    )


def _feasible_explanation(
    prep: _Prep,
    metrics: Metrics,
    greedy_metrics: Metrics,
    lower: float,
    status: str,
    imbalance_proven: bool,
    n_components: int,
) -> dict[str, Any]:
    lects = prep.instance.lecturers
    rho = metrics.rho
    worst = [
        lect
        for lect in lects
        if lect.target > 0
        and abs(metrics.loads[lect.id] / lect.target - rho) >= metrics.max_deviation - 1e-9
    ]
    worst_info = [
        {
            "lecturer": lect.id,
            "load": metrics.loads[lect.id],
            "target": lect.target,
            "ratio": round(metrics.loads[lect.id] / lect.target, 4),
        }
        for lect in worst[:10]
    ]
    proof = (
        "đã chứng minh là nhỏ nhất có thể"
        if status == STATUS_OPTIMAL
        else f"cận dưới chứng minh được là {format_vn(lower, 4)}"
    )
    parts = [
        f"Tỉ lệ tải trung bình ρ = {format_vn(rho, 4)}.",
        f"Độ lệch lớn nhất |tải/định mức − ρ| = {format_vn(metrics.max_deviation, 4)} ({proof}).",
        f"Tổng bình phương lệch chuẩn hoá = {format_vn(metrics.imbalance, 1)}.",
    ]
    if greedy_metrics.feasible:
        parts.append(
            "Cách chia tham lam (lớp lớn trước, cho người đang nhẹ tải nhất) cho độ lệch lớn nhất "
            f"{format_vn(greedy_metrics.max_deviation, 4)} và tổng bình phương "
            f"{format_vn(greedy_metrics.imbalance, 1)}."
        )
    if worst:
        lect = worst[0]
        ratio = metrics.loads[lect.id] / lect.target
        parts.append(
            f"Lệch nhiều nhất: giảng viên {lect.id} với {format_vn(metrics.loads[lect.id])} giờ "
            f"trên định mức {format_vn(lect.target)} (tỉ lệ {format_vn(ratio, 3)})."
        )
    if metrics.preferences_possible:
        parts.append(
            f"Đáp ứng {metrics.preferences_honoured}/{metrics.preferences_possible} nguyện vọng."
        )
    if prep.instance.previous_assignment is not None:
        parts.append(f"Thay đổi {metrics.changes} học phần so với phân công trước.")
    return {
        "code": "OK",
        "rho": round(rho, 6),
        "max_deviation_proven": status == STATUS_OPTIMAL,
        "imbalance_proven": imbalance_proven,
        "components": n_components,
        "most_deviating": worst_info,
        "greedy": {
            "max_deviation": _round_metric(greedy_metrics.max_deviation),
            "imbalance": round(greedy_metrics.imbalance, 4),
            "complete": greedy_metrics.feasible,
        },
        "preferences_honoured": metrics.preferences_honoured,
        "preferences_possible": metrics.preferences_possible,
        "changes": metrics.changes if prep.instance.previous_assignment is not None else None,
        "message": " ".join(parts),
    }
