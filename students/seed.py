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
