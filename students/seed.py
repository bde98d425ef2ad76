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


# The teacher-training student support (hỗ trợ tiền đóng học phí, chi phí sinh hoạt đối với sinh
# viên sư phạm), one row per version of the decree, checked against public copies and summaries
# (12/2025): NĐ 116/2020/NĐ-CP of 25/9/2020, in force 15/11/2020 (for intakes from 2021–2022):
# Art. 4 tuition at the school's rate plus 3,630,000 đồng a month for living costs, at most 10
# months a school year; Art. 6(1) repayment by (a) not working in education within 02 years of
# the graduation decision, (b) working in it for less than the required time, (c) during the
# course: moving to another programme, leaving of one's own accord, not completing the
# programme or being expelled. NĐ 60/2025/NĐ-CP of 03/3/2025, in force 20/4/2025 (from school
# year 2025–2026), keeps those grounds and has the school send, each year, the list of supported
# students who moved programme, left, did not complete or were expelled to the provincial
# People's Committee where they live, or to the body that assigned or ordered their training,
# which notifies the recovery. "Another programme" is read as one that does not train teachers
# (`programme_change_outside_only`); a school that reads it otherwise edits the row.
_GROUNDS_BY_HAND = [
    "Không công tác trong ngành giáo dục sau 02 năm kể từ ngày có quyết định công nhận tốt "
    "nghiệp (Điều 6 khoản 1 điểm a)",
    "Công tác trong ngành giáo dục nhưng không đủ thời gian theo quy định (Điều 6 khoản 1 điểm b)",
    "Không hoàn thành chương trình đào tạo (Điều 6 khoản 1 điểm c)",
]
SUPPORT_RULES: list[dict[str, Any]] = [
    {
        "name": "Hỗ trợ tiền đóng học phí, chi phí sinh hoạt đối với sinh viên sư phạm",
        "source": "NĐ 116/2020/NĐ-CP ngày 25/9/2020, Điều 4, Điều 6",
        "valid_from": dt.date(2020, 11, 15),
        "valid_to": dt.date(2025, 4, 19),
        "triggers": ["withdrawn", "expelled", "changed_programme"],
        "programme_change_outside_only": True,
        "other_grounds": _GROUNDS_BY_HAND,
        "living_allowance": Decimal("3630000"),
        "max_months_per_year": 10,
        "report_to": "",
    },
    {
        "name": "Hỗ trợ tiền đóng học phí, chi phí sinh hoạt đối với sinh viên sư phạm "
        "(sửa đổi, bổ sung)",
        "source": "NĐ 116/2020/NĐ-CP, sửa đổi, bổ sung bởi NĐ 60/2025/NĐ-CP ngày 03/3/2025",
        "valid_from": dt.date(2025, 4, 20),
        "valid_to": None,
        "triggers": ["withdrawn", "expelled", "changed_programme"],
        "programme_change_outside_only": True,
        "other_grounds": _GROUNDS_BY_HAND,
        "living_allowance": Decimal("3630000"),
        "max_months_per_year": 10,
        "report_to": "Ủy ban nhân dân cấp tỉnh nơi sinh viên thường trú hoặc cơ quan giao "
        "nhiệm vụ, đặt hàng",
    },
]


def sync_support_rules(model: Any) -> None:
    """Create the national versions of the support's rules that are missing."""
    for entry in SUPPORT_RULES:
        model.objects.get_or_create(
            school=None,
            source=entry["source"],
            valid_from=entry["valid_from"],
            defaults={k: v for k, v in entry.items() if k not in ("source", "valid_from")},
        )
