"""What the balancer answers: the ``Result``, its statuses and its explanation in Vietnamese."""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from workload.balancer.instance import Lecturer, Metrics, Section
from workload.balancer.prep import Prep

STATUS_OPTIMAL = "OPTIMAL"
STATUS_FEASIBLE = "FEASIBLE"
STATUS_INFEASIBLE = "INFEASIBLE"


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


def format_vn(value: float, decimals: int = 1) -> str:
    """``1234.5 → "1.234,5"``: Vietnamese thousands dot and decimal comma."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def id_preview(ids: Sequence[str], limit: int = 6) -> str:
    shown = ", ".join(ids[:limit])
    return f"{shown}, …" if len(ids) > limit else shown


def group_labels(items: Iterable[Lecturer | Section]) -> list[str]:
    """Subject-group names when the instance carries them (optional extra keys)."""
    labels: dict[str, None] = {}
    for item in items:
        for key in ("group", "subject_group", "bo_mon"):
            value = item.extra.get(key)
            if value:
                labels[str(value)] = None
                break
    return list(labels)


def round_metric(value: float) -> float:
    return round(value, 6)


def floor_metric(value: float) -> float:
    return math.floor(value * 1e6) / 1e6


def timeout_result(prep: Prep, started: float) -> Result:
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


def feasible_explanation(
    prep: Prep,
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
            "max_deviation": round_metric(greedy_metrics.max_deviation),
            "imbalance": round(greedy_metrics.imbalance, 4),
            "complete": greedy_metrics.feasible,
        },
        "preferences_honoured": metrics.preferences_honoured,
        "preferences_possible": metrics.preferences_possible,
        "changes": metrics.changes if prep.instance.previous_assignment is not None else None,
        "message": " ".join(parts),
    }
