"""Infeasible instances are explained: which sections, which lecturers, how many hours (no database)."""

from __future__ import annotations

import pytest

from workload.balancer.diagnosis import diagnose_infeasibility
from workload.balancer.solve import balance
from workload.tests.balancer_cases import make, sec

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
