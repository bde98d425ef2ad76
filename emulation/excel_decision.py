"""The decision's lists in Excel (core.sheets): every person with their level, the titles the
school recognises, what it proposes above and the bonus; the units; the proposals. Written from
the same snapshot as the Quyết định, so the sheet and the paper list the same people with the
same amounts (before the decision: the lists as they would be issued today)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from core.sheets.writing import Out, SheetWriter

PEOPLE_HEADERS = [
    Out("STT", 6),
    Out("Họ và tên", 28),
    Out("Đơn vị", 26),
    Out("Xếp loại", 10),
    Out("Danh hiệu công nhận", 22),
    Out("Đề nghị cấp trên", 30),
    Out("Danh hiệu tính thưởng", 20),
    Out("Hệ số", 8),
    Out("Tiền thưởng (đồng)", 16),
]
UNIT_HEADERS = [
    Out("STT", 6),
    Out("Đơn vị", 36),
    Out("Danh hiệu công nhận", 22),
    Out("Đề nghị cấp trên", 22),
    Out("Hệ số", 8),
    Out("Tiền thưởng (đồng)", 16),
]
PROPOSAL_HEADERS = [
    Out("STT", 6),
    Out("Cá nhân, tập thể", 28),
    Out("Đơn vị", 26),
    Out("Hình thức đề nghị", 30),
    Out("Kết quả bỏ phiếu", 20),
    Out("Thành tích, căn cứ", 60),
]


def _coefficient(value: str | None) -> Any:
    return float(value) if value else ""


def decision_workbook(snapshot: dict[str, Any]) -> bytes:
    book = SheetWriter()
    book.sheet(
        _("Cá nhân"),
        PEOPLE_HEADERS,
        [
            [
                number,
                row["name"],
                row["unit"],
                row["level"] or _("Không xếp loại"),
                ", ".join(row["titles"]),
                ", ".join(row["proposed"]),
                row["award_title"] or "",
                _coefficient(row["coefficient"]),
                row["amount"] if row["amount"] is not None else "",
            ]
            for number, row in enumerate(snapshot.get("people", []), start=1)
        ],
    )
    book.sheet(
        _("Tập thể"),
        UNIT_HEADERS,
        [
            [
                number,
                row["name"],
                row["title"] or "",
                row["proposed"] or "",
                _coefficient(row["coefficient"]),
                row["amount"] if row["amount"] is not None else "",
            ]
            for number, row in enumerate(snapshot.get("units", []), start=1)
        ],
    )
    book.sheet(
        _("Đề nghị cấp trên"),
        PROPOSAL_HEADERS,
        [
            [
                number,
                row["name"] or _("Tập thể %(unit)s") % {"unit": row["unit"]},
                row["unit"],
                row["title"],
                row["tally"],
                row["grounds"],
            ]
            for number, row in enumerate(snapshot.get("proposals", []), start=1)
        ],
    )
    return book.to_bytes()
