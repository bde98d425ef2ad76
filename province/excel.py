"""The province's sheets: a school's target figures as submitted (attached to its submission), and
the body's table of a request (each school's state, dates and figures side by side)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from core.sheets.writing import Out, SheetWriter
from core.text import school_year_label
from organisations.models import Organisation
from planning.models import Plan
from province.models import ReportRequest

TARGET_COLUMNS = [
    Out("STT", 6),
    Out("Chỉ tiêu yêu cầu", 40),
    Out("Mã trong kế hoạch của trường", 14),
    Out("Chỉ tiêu trong kế hoạch của trường", 50),
    Out("Đơn vị tính", 12),
    Out("Chỉ tiêu", 12),
    Out("Thực hiện", 12),
    Out("Ngày đo", 12, kind="date"),
    Out("Đánh giá", 18),
]


def target_sheet(
    request: ReportRequest, school: Organisation, plan: Plan, lines: Sequence[Any]
) -> bytes:
    """The requested targets as the school's plan has them (`lines`: reporting.TargetLine)."""
    book = SheetWriter()
    book.sheet(
        "Số liệu chỉ tiêu",
        TARGET_COLUMNS,
        [[index, *line.cells()] for index, line in enumerate(lines, start=1)],
    )
    book.sheet(
        "Thông tin",
        [Out("Mục", 20), Out("Nội dung", 70)],
        [
            ["Trường", school.name],
            ["Yêu cầu", f"{request.body.name}: {request.title}"],
            ["Năm học", school_year_label(request.start_year)],
            ["Kế hoạch", plan.title],
            ["Lập lúc", timezone.localtime()],
        ],
    )
    return book.to_bytes()


def request_sheet(request: ReportRequest, rows: Sequence[Any], labels: Sequence[str]) -> bytes:
    """Every school asked: state, submission (number, time, source), days late, and the
    figures side by side (`rows`: reporting.Standing)."""
    columns = [
        Out("STT", 6),
        Out("Trường", 40),
        Out("Cấp học, loại trường", 18),
        Out("Tình trạng", 14),
        Out("Lần nộp", 8, kind="number"),
        Out("Nộp lúc", 16, kind="date"),
        Out("Số ngày muộn", 10, kind="number"),
        Out("Nguồn số liệu", 30),
        Out("Lý do trả lại", 30),
        *(Out(label, 16) for label in labels),
    ]
    lines = []
    for index, row in enumerate(rows, start=1):
        current = row.current
        figures = row.figures
        lines.append(
            [
                index,
                row.school.name,
                row.level_label,
                row.state_label,
                current.number if current else None,
                current.submitted_at if current else None,
                row.days_late or None,
                current.source if current else "",
                current.return_reason if current else "",
                *(figures.get(label, "") for label in labels),
            ]
        )
    book = SheetWriter()
    book.sheet(request.title[:31] or "Báo cáo", columns, lines)
    return book.to_bytes()
