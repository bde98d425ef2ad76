"""Pure tests of the teaching-load balancer (no database).

Small instances have hand-computed answers (worked out in the comments); random ones are
checked against brute force. Time limits are small: the whole file runs in well under a
minute on two cores.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from workload.balancer import solve
from workload.balancer.bounds import lp_bound
from workload.balancer.diagnosis import diagnose_infeasibility
from workload.balancer.greedy import greedy
from workload.balancer.instance import Instance, InstanceError, Lecturer, Section, evaluate
from workload.balancer.result import format_vn
from workload.balancer.solve import balance
from workload.instances import generate


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


# ---------------------------------------------------------------------------------------------
# Hand-computed optima
# ---------------------------------------------------------------------------------------------


def test_two_lecturers_hand_computed() -> None:
    # A: target 100, B: target 50; sections 60, 50, 30 → ρ = 140/150 = 0.9333.
    # A={60,30}=90 (0.9, dev 1/30), B={50} (1.0, dev 1/15): the best of the 8 splits
    # (A={50,30}: devs 0.133/0.267; A={60,50}: 0.167/0.333; …).
    # imbalance = (90 − 93.33)²/100 + (50 − 46.67)²/50 = 1/9 + 2/9 = 1/3.
    inst = make(
        [("A", 100, 150), ("B", 50, 100)],
        [sec("S1", 60, ["A", "B"]), sec("S2", 50, ["A", "B"]), sec("S3", 30, ["A", "B"])],
    )
    result = balance(inst, time_limit=5)
    assert result.status == "OPTIMAL"
    assert result.assignment == {"S1": "A", "S2": "B", "S3": "A"}
    assert result.loads == {"A": 90.0, "B": 50.0}
    assert result.max_deviation == pytest.approx(1 / 15, abs=1e-6)
    assert result.imbalance == pytest.approx(1 / 3, abs=1e-4)
    assert result.lower_bound is not None
    assert result.lower_bound <= result.max_deviation
    assert result.lower_bound == pytest.approx(1 / 15, abs=2e-5)


def test_perfect_split_has_zero_deviation() -> None:
    inst = make(
        [("A", 100, 200), ("B", 100, 200)],
        [sec(f"S{k}", h, ["A", "B"]) for k, h in enumerate([60, 40, 50, 50])],
    )
    result = balance(inst, time_limit=5)
    assert result.status == "OPTIMAL"
    assert result.max_deviation == pytest.approx(0.0, abs=1e-9)
    assert result.imbalance == pytest.approx(0.0, abs=1e-9)
    assert result.loads == {"A": 100.0, "B": 100.0}


def test_imbalance_is_the_tie_break_after_max_deviation() -> None:
    # C can only teach its 180 h section: ρ = 430/300 = 1.4333, C's deviation 0.3667 is
    # forced. A and B share 80, 70, 60, 40 (250 h); splits keeping both within 0.3667 of ρ
    # (loads in [106.7, 180]): 140/110 and 130/120. Imbalance: C 13.444 plus 11.222 for
    # 140/110 or 7.222 for 130/120 → the balancer must pick 120/130, imbalance 20.667.
    inst = make(
        [("A", 100, 200), ("B", 100, 200), ("C", 100, 200)],
        [
            sec("S1", 80, ["A", "B"]),
            sec("S2", 70, ["A", "B"]),
            sec("S3", 60, ["A", "B"]),
            sec("S4", 40, ["A", "B"]),
            sec("S5", 180, ["C"]),
        ],
    )
    result = balance(inst, time_limit=5)
    assert result.status == "OPTIMAL"
    assert result.max_deviation == pytest.approx(0.366667, abs=1e-6)
    assert sorted([result.loads["A"], result.loads["B"]]) == [120.0, 130.0]
    assert result.loads["C"] == 180.0
    assert result.imbalance == pytest.approx(20.6667, abs=1e-3)


def test_locked_section_is_kept_even_when_not_eligible() -> None:
    # S1 locked to B although only A is listed: the lock wins (documented decision).
    inst = make(
        [("A", 100, 200), ("B", 100, 200)],
        [
            {"id": "S1", "hours": 90, "eligible": ["A"], "locked_to": "B"},
            sec("S2", 60, ["A", "B"]),
            sec("S3", 50, ["A", "B"]),
        ],
    )
    result = balance(inst, time_limit=5)
    assert result.assignment["S1"] == "B"
    assert_valid(inst, result.assignment)
    # Best possible: B = 90 + 0 or 90 + 50/60; A gets the rest → A 110, B 90 (dev 0.1).
    assert result.max_deviation == pytest.approx(0.1, abs=1e-6)


def test_on_leave_lecturer_gets_nothing_unless_locked() -> None:
    inst = make(
        [("A", 100, 200), ("B", 100, 200), ("L", 0, 100)],
        [
            sec("S1", 50, ["A", "B", "L"]),
            sec("S2", 50, ["A", "B", "L"]),
            {"id": "S3", "hours": 30, "eligible": ["A"], "locked_to": "L"},
        ],
    )
    result = balance(inst, time_limit=5)
    assert result.assignment["S3"] == "L"
    assert result.assignment["S1"] != "L" and result.assignment["S2"] != "L"
    # ρ counts all hours (130) over targets > 0 (200): 0.65; A and B get 50 each.
    assert result.max_deviation == pytest.approx(0.15, abs=1e-6)
    assert result.loads["L"] == 30.0


def test_max_load_is_respected_even_if_it_hurts_evenness() -> None:
    # Evenness would want A at 100 h, but A may not go above 60.
    inst = make(
        [("A", 100, 60), ("B", 100, 300)],
        [sec(f"S{k}", 30, ["A", "B"]) for k in range(6)],
    )
    result = balance(inst, time_limit=5)
    assert result.loads["A"] <= 60.0
    assert result.loads == {"A": 60.0, "B": 120.0}
    assert_valid(inst, result.assignment)


def test_preferences_are_honoured_when_free() -> None:
    inst = make(
        [("A", 50, 100), ("B", 50, 100)],
        [
            sec("S1", 50, ["A", "B"], preferred=["B"]),
            sec("S2", 50, ["A", "B"], preferred=["A"]),
        ],
    )
    result = balance(inst, time_limit=5)
    assert result.assignment == {"S1": "B", "S2": "A"}
    assert result.explanation["preferences_honoured"] == 2


def test_preferences_never_beat_evenness() -> None:
    # Both wish for A, but giving A both sections would double its load.
    inst = make(
        [("A", 50, 200), ("B", 50, 200)],
        [
            sec("S1", 50, ["A", "B"], preferred=["A"]),
            sec("S2", 50, ["A", "B"], preferred=["A"]),
        ],
    )
    result = balance(inst, time_limit=5)
    assert result.loads == {"A": 50.0, "B": 50.0}
    assert result.explanation["preferences_honoured"] == 1


def test_reoptimisation_changes_the_fewest_assignments() -> None:
    # Previous term: A had S1, S2; B had S3, S4 (all 40 h). A new 40 h section S5 and a new
    # lecturer C arrive. Any assignment giving everyone 40–80 h is equally even only if it is
    # 80/80/40: one old section must move to C? No — C takes S5 and nobody changes.
    lecturers = [("A", 80, 200), ("B", 80, 200), ("C", 40, 200)]
    sections = [sec(f"S{k}", 40, ["A", "B", "C"]) for k in range(1, 6)]
    previous = {"S1": "A", "S2": "A", "S3": "B", "S4": "B"}
    inst = make(lecturers, sections, previous)
    result = balance(inst, time_limit=5)
    assert result.explanation["changes"] == 0
    assert result.assignment["S5"] == "C"
    # Now A goes half-time: evenness forces exactly one of A's sections to move.
    inst2 = make([("A", 40, 200), ("B", 80, 200), ("C", 80, 200)], sections, previous)
    result2 = balance(inst2, time_limit=5)
    assert result2.loads == {"A": 40.0, "B": 80.0, "C": 80.0}
    assert result2.explanation["changes"] == 1
    best = min(row[3] for row in brute_force(inst2) if row[0] <= result2.max_deviation + 1e-9)
    assert result2.explanation["changes"] == best


def test_lexicographic_order_matches_brute_force() -> None:
    inst = make(
        [("A", 120, 200), ("B", 90, 150), ("C", 60, 120)],
        [
            sec("S1", 45, ["A", "B"], preferred=["B"]),
            sec("S2", 45, ["A", "B", "C"], preferred=["C"]),
            sec("S3", 30, ["B", "C"]),
            sec("S4", 60, ["A", "C"], preferred=["A"]),
            sec("S5", 54, ["A", "B"]),
            sec("S6", 15, ["A", "B", "C"]),
        ],
        previous={"S1": "A", "S2": "A", "S3": "B"},
    )
    rows = brute_force(inst)
    best_dev = min(r[0] for r in rows)
    rows = [r for r in rows if r[0] <= best_dev + 1e-7]
    best_imb = min(r[1] for r in rows)
    rows = [r for r in rows if r[1] <= best_imb + 1e-6]
    best_pref = min(r[2] for r in rows)
    rows = [r for r in rows if r[2] == best_pref]
    best_changes = min(r[3] for r in rows)
    result = balance(inst, time_limit=5)
    assert result.status == "OPTIMAL"
    assert result.max_deviation == pytest.approx(best_dev, abs=1e-6)
    assert result.imbalance == pytest.approx(best_imb, abs=1e-3)
    assert -result.explanation["preferences_honoured"] == best_pref
    assert result.explanation["changes"] == best_changes


# ---------------------------------------------------------------------------------------------
# Infeasibility explained
# ---------------------------------------------------------------------------------------------


def test_section_without_eligible_lecturer() -> None:
    inst = make(
        [("A", 100, 200)],
        [sec("S1", 40, ["A"]), sec("S7", 30, []), sec("S8", 30, ["ZZZ"])],
    )
    result = balance(inst, time_limit=5)
    assert result.status == "INFEASIBLE"
    kinds = {(i["kind"], i["section"]) for i in result.explanation["issues"]}
    assert ("no_eligible_lecturer", "S7") in kinds
    assert ("no_eligible_lecturer", "S8") in kinds
    assert "Học phần S7 không có giảng viên nào đủ điều kiện dạy" in result.explanation["message"]
    assert result.assignment == {}


def test_section_only_for_lecturer_on_leave() -> None:
    inst = make([("A", 100, 200), ("L", 0, 0)], [sec("S1", 40, ["L"])])
    explanation = diagnose_infeasibility(inst)
    assert explanation["code"] == "INFEASIBLE"
    assert explanation["issues"][0]["kind"] == "only_on_leave"
    assert "đang nghỉ" in explanation["message"]


def test_capacity_shortfall_reports_missing_hours() -> None:
    # A and B (max 100 each) are the only ones for 320 h of sections: 120 h missing.
    # C has plenty of room but may not teach them; C's own section is fine.
    inst = make(
        [("A", 80, 100), ("B", 80, 100), ("C", 100, 300)],
        [sec(f"S{k}", 40, ["A", "B"], group="Bộ môn Cơ khí") for k in range(8)]
        + [sec("S9", 60, ["C"])],
    )
    result = balance(inst, time_limit=5)
    assert result.status == "INFEASIBLE"
    issues = [i for i in result.explanation["issues"] if i["kind"] == "capacity_shortfall"]
    assert len(issues) == 1
    issue = issues[0]
    assert issue["shortfall"] == pytest.approx(120.0)
    assert sorted(issue["lecturers"]) == ["A", "B"]
    assert len(issue["sections"]) == 8 and "S9" not in issue["sections"]
    assert result.explanation["extra_hours_needed"] == pytest.approx(120.0)
    message = result.explanation["message"]
    assert "Thiếu 120,0 giờ chuẩn" in message
    assert "Bộ môn Cơ khí" in message
    assert "thỉnh giảng" in message


def test_shortfalls_in_two_groups_are_reported_separately() -> None:
    inst = make(
        [("A", 80, 100), ("B", 80, 100), ("C", 80, 50)],
        [sec(f"X{k}", 60, ["A", "B"]) for k in range(4)]  # 240 h for 200 h: −40
        + [sec(f"Y{k}", 35, ["C"]) for k in range(2)],  # 70 h for 50 h: −20
    )
    explanation = diagnose_infeasibility(inst)
    shortfalls = sorted(
        i["shortfall"] for i in explanation["issues"] if i["kind"] == "capacity_shortfall"
    )
    assert shortfalls == [pytest.approx(20.0), pytest.approx(40.0)]
    assert explanation["extra_hours_needed"] == pytest.approx(60.0)


def test_locked_sections_over_max_load() -> None:
    inst = make(
        [("A", 100, 120), ("B", 100, 200)],
        [
            {"id": "S1", "hours": 90, "eligible": ["A"], "locked_to": "A"},
            {"id": "S2", "hours": 45, "eligible": ["A"], "locked_to": "A"},
            sec("S3", 30, ["B"]),
        ],
    )
    result = balance(inst, time_limit=5)
    assert result.status == "INFEASIBLE"
    issue = result.explanation["issues"][0]
    assert issue["kind"] == "locked_over_max_load"
    assert issue["shortfall"] == pytest.approx(15.0)
    assert "135,0 giờ chuẩn" in issue["message"]


def test_lock_to_unknown_lecturer() -> None:
    inst = make([("A", 100, 200)], [{"id": "S1", "hours": 30, "locked_to": "GV999"}])
    result = balance(inst, time_limit=5)
    assert result.status == "INFEASIBLE"
    assert result.explanation["issues"][0]["kind"] == "unknown_locked_lecturer"


def test_indivisible_sections_are_explained() -> None:
    # Fractionally fine (2 × 60 h of room for 2 × 50 h + a 15 h one)... but each lecturer can
    # only take one 50 h section and nobody has 15 h left over besides.
    inst = make(
        [("A", 50, 60), ("B", 50, 60)],
        [sec("S1", 50, ["A", "B"]), sec("S2", 50, ["A", "B"]), sec("S3", 15, ["A", "B"])],
    )
    assert diagnose_infeasibility(inst)["code"] == "NO_ISSUE_FOUND"
    result = balance(inst, time_limit=5)
    assert result.status == "INFEASIBLE"
    assert result.explanation["issues"][0]["kind"] == "indivisible_sections"


# ---------------------------------------------------------------------------------------------
# Data handling
# ---------------------------------------------------------------------------------------------


def test_instance_round_trip_keeps_unknown_keys() -> None:
    data = {
        "lecturers": [{"id": "GV001", "target": 135.0, "max_load": 235.0, "name": "Lê Văn An"}],
        "sections": [
            {
                "id": "S0001",
                "hours": 45.0,
                "eligible": ["GV001"],
                "locked_to": None,
                "course": "Toán cao cấp",
            }
        ],
        "semester": "HK1 2025-2026",
    }
    inst = Instance.from_dict(data)
    assert inst.to_dict() == data
    assert inst.lecturers[0] == Lecturer("GV001", 135.0, 235.0, {"name": "Lê Văn An"})
    assert isinstance(inst.sections[0], Section)


@pytest.mark.parametrize(
    "data",
    [
        {"lecturers": [], "sections": "x"},
        {"lecturers": [{"id": "A", "target": -1, "max_load": 5}], "sections": []},
        {"lecturers": [{"id": "A", "target": 1}], "sections": []},
        {
            "lecturers": [
                {"id": "A", "target": 1, "max_load": 2},
                {"id": "A", "target": 1, "max_load": 2},
            ],
            "sections": [],
        },
        {"lecturers": [], "sections": [{"id": "S", "hours": "nhiều"}]},
    ],
)
def test_malformed_instances_are_rejected(data: dict[str, Any]) -> None:
    with pytest.raises(InstanceError):
        Instance.from_dict(data)


def test_format_vn() -> None:
    assert format_vn(1234.5) == "1.234,5"
    assert format_vn(120) == "120,0"
    assert format_vn(0.27164, 4) == "0,2716"


def test_non_integral_hours_never_exceed_max_load() -> None:
    # 1/3-hour multiples cannot be scaled exactly: capacities are checked with hours rounded up.
    inst = make(
        [("A", 100, 100.0), ("B", 100, 300)],
        [sec(f"S{k}", 33.3333333, ["A", "B"]) for k in range(6)],
    )
    result = balance(inst, time_limit=5)
    assert_valid(inst, result.assignment)
    assert result.loads["A"] <= 100.0


def test_empty_instance() -> None:
    result = balance(make([("A", 100, 200)], []), time_limit=2)
    assert result.status == "OPTIMAL"
    assert result.assignment == {}
    assert result.max_deviation == 0.0


# ---------------------------------------------------------------------------------------------
# Generated instances: validity, bounds, never worse than greedy, progress
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2])
def test_generated_instance_is_valid_and_beats_greedy(seed: int) -> None:
    inst = generate(30, 85, seed)
    events: list[dict[str, Any]] = []
    result = balance(inst, time_limit=6, progress=events.append)
    assert result.status in ("OPTIMAL", "FEASIBLE")
    assert_valid(inst, result.assignment)
    lects = {lect.id: lect for lect in inst.lecturers}
    for lid, load in result.loads.items():
        assert load <= lects[lid].max_load + 1e-9
    assert result.lower_bound is not None and result.max_deviation is not None
    assert result.lower_bound <= result.max_deviation + 1e-12
    assert lp_bound(inst) <= result.max_deviation + 1e-9
    g = evaluate(inst, greedy(inst))
    if g.feasible:
        assert result.max_deviation <= g.max_deviation + 1e-9
        assert result.imbalance is not None
        assert result.imbalance <= g.imbalance * (1 + 1e-6) + 1e-6
    stages = {e["stage"] for e in events}
    assert {"greedy", "lp_bound", "done"} <= stages
    # Locked sections kept.
    for section in inst.sections:
        if section.locked_to is not None:
            assert result.assignment[section.id] == section.locked_to


def test_generator_is_deterministic_and_realistic() -> None:
    a = generate(120, 340, 7)
    b = generate(120, 340, 7)
    assert a.to_dict() == b.to_dict()
    assert len(a.lecturers) == 120 and len(a.sections) == 340
    assert diagnose_infeasibility(a)["code"] == "NO_ISSUE_FOUND"
    hours = [s.hours for s in a.sections]
    assert min(hours) >= 15 and max(hours) <= 90
    targets = [lect.target for lect in a.lecturers if lect.target > 0]
    assert max(targets) <= 210 and min(targets) >= 135 * 0.5 - 1
    locked = sum(1 for s in a.sections if s.locked_to)
    assert 1 <= locked <= 0.03 * len(a.sections)


# ---------------------------------------------------------------------------------------------
# Property: max_deviation equals brute force on small random instances
# ---------------------------------------------------------------------------------------------


@st.composite
def small_instances(draw: st.DrawFn) -> Instance:
    n_lect = draw(st.integers(2, 3))
    n_sec = draw(st.integers(1, 6))
    ids = [f"G{k}" for k in range(n_lect)]
    lecturers = []
    for lid in ids:
        target = draw(st.sampled_from([0.0, 40.0, 60.0, 90.0, 135.0]))
        extra = draw(st.sampled_from([0.0, 30.0, 100.0]))
        lecturers.append((lid, target, target + extra))
    if all(t == 0 for _, t, _ in lecturers):
        lecturers[0] = (ids[0], 60.0, 160.0)
    sections = []
    for k in range(n_sec):
        hours = draw(st.sampled_from([15.0, 22.5, 30.0, 45.0, 49.5, 60.0, 90.0]))
        eligible = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=n_lect, unique=True))
        locked = draw(st.sampled_from([None, None, None, None, ids[0]]))
        sections.append({"id": f"S{k}", "hours": hours, "eligible": eligible, "locked_to": locked})
    return make(lecturers, sections)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(small_instances())
def test_max_deviation_matches_brute_force(inst: Instance) -> None:
    rows = brute_force(inst)
    result = balance(inst, time_limit=3, workers=1)
    if not rows:
        assert result.status == "INFEASIBLE"
        assert result.explanation["message"]
        return
    best = min(r[0] for r in rows)
    assert result.status == "OPTIMAL"
    assert result.max_deviation is not None and result.lower_bound is not None
    assert result.max_deviation == pytest.approx(best, abs=1e-6)
    assert result.lower_bound <= best + 1e-9
    assert math.isclose(result.lower_bound, best, abs_tol=2e-5)
    assert_valid(inst, result.assignment)


def test_deviation_forced_by_one_big_section_is_explained() -> None:
    # S1 (90 h) can only go to A or B, both at target 60: ρ = 210/220 ≈ 0.9545, so whoever
    # takes it sits at 1.5 → deviation ≥ 0.5455 whatever else happens.
    inst = make(
        [("A", 60, 200), ("B", 60, 200), ("C", 100, 200)],
        [sec("S1", 90, ["A", "B"]), sec("S2", 60, ["A", "B", "C"]), sec("S3", 60, ["C"])],
    )
    result = balance(inst, time_limit=5)
    assert result.status == "OPTIMAL"
    assert result.max_deviation == pytest.approx(1.5 - 210 / 220, abs=1e-6)
    forced = result.explanation["forced_by_section"]
    assert forced["section"] == "S1"
    assert "Độ lệch này là bắt buộc: học phần S1" in result.explanation["message"]


# ---------------------------------------------------------------------------------------------
# A starved solver (busy machine): never worse than greedy, hints complete and feasible
# ---------------------------------------------------------------------------------------------


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
