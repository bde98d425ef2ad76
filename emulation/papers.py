"""The registration summary as a paper in the official layout (NĐ 30/2020/NĐ-CP): the school's
collective and individual registrations of the year, unit by unit, with the count per title.
The paper kind `emulation_registrations` (registered when the papers app imports this module);
the school's principal signs it, and it goes to the level above when the campaign came from it."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.http import HttpRequest

from core.permissions import get_authorised
from core.text import format_date
from emulation import decision_papers
from emulation.engine import Title
from emulation.models import Campaign, Registration
from emulation.services.decisions import DECISION_KIND, PROPOSAL_KIND
from organisations.models import Position, Role
from papers.layout import Heading, Paper, Para, Table, recipients
from papers.placeholders import common_context
from papers.registry import PaperKind, register

REGISTRATIONS_KIND = "emulation_registrations"


def _signer(campaign: Campaign) -> tuple[str, str, str]:
    """The principal signs (a vice-principal "KT. HIỆU TRƯỞNG" when nobody holds that title)."""
    positions = (
        Position.objects.current(campaign.launched_on)
        .filter(organisation_id=campaign.school_id, role=Role.LEADERSHIP)
        .select_related("person")
        .order_by("order", "pk")
    )
    chosen = next((p for p in positions if p.title.lower() == "hiệu trưởng"), None)
    chosen = chosen or next(iter(positions), None)
    if chosen is None:
        return "", "HIỆU TRƯỞNG", ""
    mark = "KT. HIỆU TRƯỞNG" if chosen.title.lower().startswith("phó") else ""
    return mark, chosen.title, chosen.person.full_name


def _rows(campaign: Campaign) -> tuple[list[list[str]], list[list[str]], Counter[str]]:
    registrations = (
        Registration.objects.active()
        .filter(campaign=campaign)
        .select_related("person", "unit")
        .order_by("unit__order", "unit__name", "person__sort_key", "pk")
    )
    collective: list[list[str]] = []
    individual: list[list[str]] = []
    counts: Counter[str] = Counter()
    for registration in registrations:
        counts.update(registration.titles)
        titles = ", ".join(registration.titles)
        if registration.person is None:
            collective.append(
                [str(len(collective) + 1), registration.unit.name, titles, registration.commitments]
            )
        else:
            individual.append(
                [
                    str(len(individual) + 1),
                    registration.person.full_name,
                    registration.unit.short_name or registration.unit.name,
                    titles,
                ]
            )
    return collective, individual, counts


def registrations_paper(campaign: Campaign) -> Paper:
    school = campaign.school
    collective, individual, counts = _rows(campaign)
    year = campaign.year_label
    blocks: list[Heading | Para | Table] = []
    if campaign.basis is not None:
        blocks.append(Para(f"Căn cứ {campaign.basis};"))
    launched = f" ngày {format_date(campaign.launched_on)}" if campaign.launched_on else ""
    source = (
        f"do {campaign.received_from.name} phát động"
        if campaign.received_from
        else "của nhà trường"
    )
    blocks.append(
        Para(
            f"Thực hiện {campaign.name} {source}{launched}, {school.name} tổng hợp đăng ký danh "
            f"hiệu thi đua năm học {year} của các tập thể, cá nhân như sau:"
        )
    )
    blocks.append(Heading("I. ĐĂNG KÝ DANH HIỆU TẬP THỂ"))
    if collective:
        blocks.append(
            Table(
                ["TT", "Đơn vị", "Danh hiệu đăng ký", "Nội dung cam kết"],
                collective,
                [12, 50, 30, 73],
                centred=[0],
                keep_rows=True,
            )
        )
    else:
        blocks.append(Para("Không có tập thể đăng ký."))
    blocks.append(Heading("II. ĐĂNG KÝ DANH HIỆU CÁ NHÂN"))
    if individual:
        blocks.append(
            Table(
                ["TT", "Họ và tên", "Đơn vị", "Danh hiệu đăng ký"],
                individual,
                [12, 55, 50, 48],
                centred=[0],
                keep_rows=True,
            )
        )
    else:
        blocks.append(Para("Không có cá nhân đăng ký."))
    blocks.append(Heading("III. TỔNG HỢP"))
    summary = [
        [str(index), title.label, str(counts[title.value])]
        for index, title in enumerate((title for title in Title if counts[title.value]), start=1)
    ]
    if summary:
        blocks.append(
            Table(["TT", "Danh hiệu", "Số đăng ký"], summary, [12, 118, 35], centred=[0, 2])
        )
    else:
        blocks.append(Para("Chưa có đăng ký nào."))
    mark, title, name = _signer(campaign)
    parent = school.parent
    above = campaign.received_from or parent
    abbreviation = school.abbreviation or "…"
    return Paper(
        parent_body=(parent.short_name or parent.name) if parent else "",
        issuing_body=school.name,
        number_line=f"Số:        /DS-{abbreviation}",
        place=school.place or "",
        date=campaign.registration_closes,
        type_name="Danh sách",
        summary=f"Đăng ký danh hiệu thi đua năm học {year}",
        blocks=blocks,
        signing_mark=mark,
        signer_title=title,
        signer_name=name,
        recipients=recipients(
            ["Hội đồng Thi đua – Khen thưởng trường", "Các đơn vị trong trường"],
            report_to=(above.short_name or above.name) if above else "",
            kept=f"VT, {abbreviation}",
        ),
    )


def registrations_context(campaign: Campaign) -> dict[str, Any]:
    """Placeholders for a school's own template of the registration list (docs/PAPERS.md)."""
    paper = registrations_paper(campaign)
    tables = [block for block in paper.blocks if isinstance(block, Table)]
    collective_keys = ["stt", "don_vi", "danh_hieu", "cam_ket"]
    individual_keys = ["stt", "ho_ten", "don_vi", "danh_hieu"]
    collective = next((t.rows for t in tables if t.header[1] == "Đơn vị"), [])
    individual = next((t.rows for t in tables if t.header[1] == "Họ và tên"), [])
    return {
        **common_context(paper),
        "nam_hoc": campaign.year_label,
        "phong_trao": campaign.name,
        "tap_the": [dict(zip(collective_keys, row, strict=True)) for row in collective],
        "ca_nhan": [dict(zip(individual_keys, row, strict=True)) for row in individual],
    }


REGISTRATIONS_PLACEHOLDERS = {
    "nam_hoc": "Năm học, ví dụ “2023–2024”",
    "phong_trao": "Tên phong trào thi đua",
    "tap_the": "Bảng đăng ký tập thể; mỗi dòng có stt, don_vi, danh_hieu, cam_ket",
    "ca_nhan": "Bảng đăng ký cá nhân; mỗi dòng có stt, ho_ten, don_vi, danh_hieu",
}


def _load(request: HttpRequest, pk: int) -> Campaign:
    return get_authorised(
        request.user,
        Campaign.objects.active().select_related(
            "school__parent", "received_from", "basis__doc_type"
        ),
        "emulation.view_campaign",
        "emulation.view_all_registrations",
        pk=pk,
    )


def _latest(school: Any) -> Campaign | None:
    return Campaign.objects.active().filter(school=school).order_by("-start_year", "-pk").first()


register(
    PaperKind(
        code=REGISTRATIONS_KIND,
        label="Danh sách đăng ký thi đua",
        build=registrations_paper,
        context=registrations_context,
        load=_load,
        filename=lambda campaign: (
            f"dang-ky-thi-dua-{campaign.start_year}-{campaign.start_year + 1}"
        ),
        school_of=lambda campaign: campaign.school,
        placeholders=REGISTRATIONS_PLACEHOLDERS,
        latest=_latest,
    )
)


for kind in (
    PaperKind(
        code=DECISION_KIND,
        label="Quyết định công nhận danh hiệu thi đua",
        build=decision_papers.decision_paper,
        context=decision_papers.decision_context,
        load=decision_papers.load_decision,
        filename=lambda campaign: (
            f"quyet-dinh-cong-nhan-danh-hieu-{campaign.start_year}-{campaign.start_year + 1}"
        ),
        school_of=lambda campaign: campaign.school,
        placeholders=decision_papers.DECISION_PLACEHOLDERS,
        latest=decision_papers.latest_decided,
    ),
    PaperKind(
        code=PROPOSAL_KIND,
        label="Tờ trình đề nghị cấp trên khen thưởng",
        build=decision_papers.proposal_paper,
        context=decision_papers.proposal_context,
        load=decision_papers.load_proposal,
        filename=lambda campaign: (
            f"to-trinh-de-nghi-khen-thuong-{campaign.start_year}-{campaign.start_year + 1}"
        ),
        school_of=lambda campaign: campaign.school,
        placeholders=decision_papers.PROPOSAL_PLACEHOLDERS,
        latest=decision_papers.latest_decided,
    ),
    PaperKind(
        code=decision_papers.CERTIFICATE_KIND,
        label="Giấy khen cá nhân",
        build=decision_papers.certificate_paper,
        context=decision_papers.certificate_context,
        load=decision_papers.load_certificate,
        filename=lambda evaluation: f"giay-khen-{evaluation.campaign.start_year}-{evaluation.pk}",
        school_of=lambda evaluation: evaluation.campaign.school,
        placeholders=decision_papers.CERTIFICATE_PLACEHOLDERS,
        latest=decision_papers.latest_certificate,
    ),
    PaperKind(
        code=decision_papers.UNIT_CERTIFICATE_KIND,
        label="Giấy khen tập thể",
        build=decision_papers.unit_certificate_paper,
        context=decision_papers.unit_certificate_context,
        load=decision_papers.load_unit_certificate,
        filename=lambda part: f"giay-khen-tap-the-{part.campaign.start_year}-{part.unit_id}",
        school_of=lambda part: part.campaign.school,
        placeholders=decision_papers.CERTIFICATE_PLACEHOLDERS,
        latest=decision_papers.latest_unit_certificate,
    ),
):
    register(kind)
