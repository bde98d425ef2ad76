"""The national reference figures the students pages compare against, as dated data with their
source (loaded by a data migration, and again by the demo and the tests after a flush)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

BENCHMARKS: list[dict[str, Any]] = [
    {
        "key": "enrolment_fill",
        "name": "Tỷ lệ nhập học so với chỉ tiêu, trung bình 3 năm gần nhất",
        "minimum": Decimal("50"),
        "years": 3,
        "valid_from": dt.date(2024, 3, 16),
        "source": "TT 01/2024/TT-BGDĐT (Chuẩn cơ sở giáo dục đại học), tiêu chí tuyển sinh",
    },
]


def sync_benchmarks(model: Any) -> None:
    """Create the national benchmarks that are missing (keyed by indicator and start date)."""
    for entry in BENCHMARKS:
        model.objects.get_or_create(
            school=None,
            key=entry["key"],
            valid_from=entry["valid_from"],
            defaults={k: v for k, v in entry.items() if k not in ("key", "valid_from")},
        )


# TT 08/2021/TT-BGDĐT (Quy chế đào tạo trình độ đại học, also for cao đẳng sư phạm), Art. 11(2),
# in force from 03/5/2021; averages on the 4-point scale. "Year of study" in the circular is by
# credits accumulated; here it is read as the semester of the course (2 a year), a school whose
# regulation differs enters its own conditions (they replace the national ones of that key).
_TT08 = "TT 08/2021/TT-BGDĐT, Điều 11 khoản 2"
_TT08_FROM = dt.date(2021, 5, 3)
WARNING_RULES: list[dict[str, Any]] = [
    {"key": "term_average", "threshold": Decimal("0.8"), "from_term": 1, "to_term": 1},
    {"key": "term_average", "threshold": Decimal("1.0"), "from_term": 2, "to_term": None},
    {"key": "cumulative_average", "threshold": Decimal("1.2"), "from_term": 1, "to_term": 2},
    {"key": "cumulative_average", "threshold": Decimal("1.4"), "from_term": 3, "to_term": 4},
    {"key": "cumulative_average", "threshold": Decimal("1.6"), "from_term": 5, "to_term": 6},
    {"key": "cumulative_average", "threshold": Decimal("1.8"), "from_term": 7, "to_term": None},
    {"key": "failed_share", "threshold": Decimal("50"), "from_term": 1, "to_term": None},
    {"key": "outstanding", "threshold": Decimal("24"), "from_term": 1, "to_term": None},
]


def sync_warning_rules(model: Any) -> None:
    """Create the national warning conditions that are missing."""
    for entry in WARNING_RULES:
        model.objects.get_or_create(
            school=None,
            key=entry["key"],
            from_term=entry["from_term"],
            valid_from=_TT08_FROM,
            defaults={
                "threshold": entry["threshold"],
                "to_term": entry["to_term"],
                "source": _TT08,
            },
        )
