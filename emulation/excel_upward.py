"""The dossiers a Sở received, in Excel (core.sheets): one row per proposal of each dossier's
current version, with the school, the year, the status, the achievements and the outcome."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _

from core.sheets.writing import Out, SheetWriter
from emulation.models import DossierItem, UpwardDossier

HEADERS = [
    Out("STT", 6),
    Out("Trường", 32),
    Out("Năm học", 11),
    Out("Trạng thái", 16),
    Out("Lần gửi", 8),
    Out("Cá nhân, tập thể", 28),
    Out("Đơn vị", 24),
    Out("Hình thức đề nghị", 30),
    Out("Kết quả bỏ phiếu của trường", 18),
    Out("Thành tích", 60),
    Out("Kết quả", 16),
    Out("Quyết định", 36),
    Out("Ghi chú", 30),
]


def _outcome(item: DossierItem) -> str:
    if item.awarded is None:
        return ""
    return _("Được khen thưởng") if item.awarded else _("Không khen thưởng")


def dossiers_workbook(dossiers: Sequence[UpwardDossier], items: Iterable[DossierItem]) -> bytes:
    by_version: dict[int, list[DossierItem]] = {}
    for item in items:
        by_version.setdefault(item.version_id, []).append(item)
    rows: list[list[object]] = []
    for dossier in dossiers:
        for item in by_version.get(dossier.current_id or 0, []):
            rows.append(
                [
                    len(rows) + 1,
                    dossier.school.name,
                    dossier.year_label,
                    dossier.get_status_display(),
                    dossier.current.number if dossier.current else "",
                    item.who,
                    item.unit_name,
                    item.title,
                    item.tally,
                    item.achievements,
                    _outcome(item),
                    dossier.decision_text,
                    item.outcome_note,
                ]
            )
    book = SheetWriter()
    book.sheet(_("Hồ sơ đề nghị khen thưởng"), HEADERS, rows)
    return book.to_bytes()
