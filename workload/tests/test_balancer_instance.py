"""The balancer's exchange format: round trip, malformed input, number format (no database)."""

from __future__ import annotations

from typing import Any

import pytest

from workload.balancer.instance import Instance, InstanceError, Lecturer, Section
from workload.balancer.result import format_vn
from workload.balancer.solve import balance
from workload.tests.balancer_cases import assert_valid, make, sec

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
