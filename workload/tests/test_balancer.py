"""The balancer's answers (no database): hand-computed optima, brute force, generated instances.

Small instances have hand-computed answers (worked out in the comments); random ones are
checked against brute force. Time limits are small: the whole file runs in well under a
minute on two cores.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workload.balancer.bounds import lp_bound
from workload.balancer.diagnosis import diagnose_infeasibility
from workload.balancer.greedy import greedy
from workload.balancer.instance import Instance, evaluate
from workload.balancer.solve import balance
from workload.instances import generate
from workload.tests.balancer_cases import assert_valid, brute_force, make, sec

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
