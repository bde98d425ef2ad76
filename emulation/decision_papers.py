"""The decision's papers in the official layout (NĐ 30/2020/NĐ-CP): the principal's Quyết định
công nhận danh hiệu thi đua with its lists attached, the tờ trình to the level above, and the
certificates (giấy khen) of a person and of a unit. Registered by `emulation.papers`.

Everything comes from the decision's frozen lists (`Decision.snapshot`), so the paper, its lists
and the Excel sheets say the same; before the decision is issued the paper is a draft written
from the data as it stands (no number, no date).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from core.clock import today
from core.permissions import get_authorised
from core.text import format_date, format_number, paper_date
from emulation.engine import Title
from emulation.models import Campaign, CampaignUnit, Decision, Evaluation
from emulation.services.council import active_vote
from emulation.services.decisions import (
    DECISION_KIND,
    PROPOSAL_KIND,
    build_snapshot,
    decision_of,
    signer_choices,
    signing_block,
)
from organisations.models import Organisation
from papers.layout import Block, Heading, Paper, Para, Table, recipients
from papers.models import IssuedPaper
from papers.placeholders import common_context

CERTIFICATE_KIND = "emulation_certificate"
UNIT_CERTIFICATE_KIND = "emulation_unit_certificate"
_NAMES = {title.value: title.label.split(" (")[0] for title in Title}


def title_name(value: str) -> str:
    """ "CSTĐCS" → "Chiến sĩ thi đua cơ sở"."""
    return _NAMES.get(value, value)


def money(amount: int | None) -> str:
    return format_number(amount) if amount is not None else ""


def snapshot_of(campaign: Campaign) -> dict[str, Any]:
    """The decision's frozen lists, or (a draft) the lists as they would be issued today."""
    decision = decision_of(campaign)
    if decision is not None:
        frozen: dict[str, Any] = decision.snapshot
        return frozen
    return build_snapshot(campaign, active_vote(campaign), today())


def _issued(kind: str, campaign: Campaign) -> IssuedPaper | None:
    return (
        IssuedPaper.objects.filter(kind=kind, object_id=campaign.pk, amends=None)
        .select_related("document")
        .first()
    )


def _signer(campaign: Campaign, decision: Decision | None) -> tuple[str, str, str]:
    if decision is not None:
        return decision.signing_mark, decision.signer_title, decision.signer_name
    choices = signer_choices(campaign)
    if not choices:
        return "", "HIỆU TRƯỞNG", ""
    mark, title, _name = signing_block(choices[0])
    return mark, title, ""  # a draft is not signed yet


def _above(campaign: Campaign) -> Organisation | None:
    return campaign.received_from or campaign.school.parent


# Rows of the lists, shared by the papers, their placeholders and the Excel sheets --------------


def individual_rows(snapshot: dict[str, Any], title: str) -> list[list[str]]:
    """TT, họ và tên, đơn vị, hệ số, tiền thưởng of everyone decided `title`; a person paid for a
    higher title is marked so (one achievement, one award)."""
    rows: list[list[str]] = []
    for row in snapshot.get("people", []):
        if title not in row["titles"]:
            continue
        paid_here = row["award_title"] == title
        rows.append(
            [
                str(len(rows) + 1),
                row["name"],
                row["unit"],
                (row["coefficient"] or "").replace(".", ",") if paid_here else "",
                money(row["amount"]) if paid_here else f"(thưởng {row['award_title']})",
            ]
        )
    return rows


def unit_rows(snapshot: dict[str, Any]) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in snapshot.get("units", []):
        if not row["title"]:
            continue
        rows.append(
            [
                str(len(rows) + 1),
                row["name"],
                (row["coefficient"] or "").replace(".", ","),
                money(row["amount"]),
            ]
        )
    return rows


def proposal_rows(snapshot: dict[str, Any]) -> list[list[str]]:
    return [
        [
            str(index),
            row["name"] or f"Tập thể {row['unit']}",
            row["unit"],
            row["title"],
            row["tally"],
            row["grounds"],
        ]
        for index, row in enumerate(snapshot.get("proposals", []), start=1)
    ]


# Quyết định công nhận danh hiệu thi đua ----------------------------------------------------------


def _number_line(issued: IssuedPaper | None, code: str, school: Organisation) -> str:
    if issued is not None:
        return f"Số: {issued.document.symbol}"
    return f"Số:        /{code}-{school.abbreviation or '…'}"


def decision_paper(campaign: Campaign) -> Paper:
    school = campaign.school
    decision = decision_of(campaign)
    snapshot = snapshot_of(campaign)
    issued = _issued(DECISION_KIND, campaign)
    year = campaign.year_label
    counts = snapshot.get("counts", {})
    held = snapshot.get("vote_held_on")
    salary = snapshot.get("base_salary", {})
    scale = snapshot.get("scale", {})
    blocks: list[Block] = [
        Heading(f"HIỆU TRƯỞNG {school.name.upper()}", center=True),
        Para("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;", italic=True),
    ]
    if scale.get("basis"):
        blocks.append(Para(f"Căn cứ {scale['basis']};", italic=True))
    if campaign.council_decision:
        blocks.append(
            Para(
                f"Căn cứ {campaign.council_decision} về việc thành lập Hội đồng Thi đua – "
                "Khen thưởng;",
                italic=True,
            )
        )
    if held:
        blocks.append(
            Para(
                "Căn cứ kết quả bình xét và bỏ phiếu kín của Hội đồng Thi đua – Khen thưởng "
                f"ngày {format_date(_date(held))};",
                italic=True,
            )
        )
    blocks.append(Para("Theo đề nghị của Thường trực Hội đồng Thi đua – Khen thưởng.", italic=True))
    blocks.append(Heading("QUYẾT ĐỊNH:", center=True))
    parts = [
        f"{counts.get(Title.CSTDCS.value, 0)} cá nhân đạt danh hiệu “Chiến sĩ thi đua cơ sở”",
        f"{counts.get(Title.LDTT.value, 0)} cá nhân đạt danh hiệu “Lao động tiên tiến”",
        f"{counts.get(Title.TTLDTT.value, 0)} tập thể đạt danh hiệu “Tập thể lao động tiên tiến”",
    ]
    blocks.append(
        Para(
            f"Công nhận danh hiệu thi đua năm học {year} cho các cá nhân, tập thể có tên trong "
            f"danh sách kèm theo Quyết định này, gồm: {'; '.join(parts)}.",
            lead="Điều 1. ",
        )
    )
    amount = salary.get("amount")
    blocks.append(
        Para(
            "Các cá nhân, tập thể có tên tại Điều 1 được thưởng theo hệ số của mức lương cơ sở "
            f"({money(amount)} đồng/tháng, từ ngày {format_date(_date(salary.get('valid_from')))}"
            f"), mỗi thành tích một mức thưởng cao nhất, theo danh sách kèm theo; tổng số tiền "
            f"thưởng: {money(snapshot.get('total', 0))} đồng, chi từ quỹ thi đua, khen thưởng của "
            "nhà trường.",
            lead="Điều 2. ",
        )
    )
    blocks.append(
        Para(
            "Quyết định có hiệu lực kể từ ngày ký. Trưởng các đơn vị có liên quan và các cá nhân, "
            "tập thể có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.",
            lead="Điều 3. ",
        )
    )
    mark, title, name = _signer(campaign, decision)
    abbreviation = school.abbreviation or "…"
    symbol = issued.document.symbol if issued else f"     /QĐ-{abbreviation}"
    on = decision.decided_on if decision else None
    parent = school.parent
    return Paper(
        parent_body=(parent.short_name or parent.name) if parent else "",
        issuing_body=school.name,
        number_line=_number_line(issued, "QĐ", school),
        place=school.place or "",
        date=on,
        type_name="Quyết định",
        summary=f"Về việc công nhận danh hiệu thi đua năm học {year}",
        blocks=blocks,
        signing_mark=mark,
        signer_title=title,
        signer_name=name,
        recipients=recipients(["Như Điều 3"], kept=f"VT, {abbreviation}"),
        annex=_decision_annex(snapshot, year, symbol, on, school),
    )


def _date(value: Any) -> Any:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _decision_annex(
    snapshot: dict[str, Any], year: str, symbol: str, on: Any, school: Organisation
) -> list[Block]:
    day = paper_date(on) if on else "ngày      tháng      năm"
    annex: list[Block] = [
        Heading("DANH SÁCH CÁ NHÂN, TẬP THỂ ĐƯỢC CÔNG NHẬN DANH HIỆU THI ĐUA", center=True),
        Heading(f"NĂM HỌC {year}", center=True),
        Para(
            f"(Kèm theo Quyết định số {symbol} {day} của Hiệu trưởng {school.name})",
            italic=True,
            indent=False,
        ),
    ]
    header = ["TT", "Họ và tên", "Đơn vị", "Hệ số", "Tiền thưởng (đồng)"]
    widths: list[float] = [12, 55, 50, 18, 30]
    for number, title in (("I", Title.CSTDCS.value), ("II", Title.LDTT.value)):
        annex.append(Heading(f"{number}. CÁ NHÂN ĐẠT DANH HIỆU “{title_name(title).upper()}”"))
        rows = individual_rows(snapshot, title)
        if rows:
            annex.append(Table(header, rows, widths, centred=[0, 3, 4], keep_rows=True))
        else:
            annex.append(Para("Không có.", indent=False))
    annex.append(Heading("III. TẬP THỂ ĐẠT DANH HIỆU “TẬP THỂ LAO ĐỘNG TIÊN TIẾN”"))
    rows = unit_rows(snapshot)
    if rows:
        annex.append(
            Table(
                ["TT", "Đơn vị", "Hệ số", "Tiền thưởng (đồng)"],
                rows,
                [12, 105, 18, 30],
                centred=[0, 2, 3],
                keep_rows=True,
            )
        )
    else:
        annex.append(Para("Không có.", indent=False))
    annex.append(
        Para(
            f"Tổng số tiền thưởng: {money(snapshot.get('total', 0))} đồng.", bold=True, indent=False
        )
    )
    return annex


# Tờ trình đề nghị cấp trên khen thưởng -------------------------------------------------------


def proposal_paper(campaign: Campaign) -> Paper:
    school = campaign.school
    decision = decision_of(campaign)
    snapshot = snapshot_of(campaign)
    issued = _issued(PROPOSAL_KIND, campaign)
    decided = _issued(DECISION_KIND, campaign)
    above = _above(campaign)
    year = campaign.year_label
    blocks: list[Block] = []
    if above is not None:
        blocks.append(Heading(f"Kính gửi: {above.name}", center=True))
    blocks.append(Para("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"))
    scale = snapshot.get("scale", {})
    if scale.get("basis"):
        blocks.append(Para(f"Căn cứ {scale['basis']};"))
    if decided is not None and decision is not None:
        blocks.append(
            Para(
                f"Căn cứ Quyết định số {decided.document.symbol} {paper_date(decision.decided_on)} "
                f"của Hiệu trưởng {school.name} về việc công nhận danh hiệu thi đua năm học {year};"
            )
        )
    held = snapshot.get("vote_held_on")
    if held:
        blocks.append(
            Para(
                "Căn cứ kết quả bình xét và bỏ phiếu kín của Hội đồng Thi đua – Khen thưởng "
                f"ngày {format_date(_date(held))} (một trường hợp được đề nghị khi số phiếu đồng ý "
                f"{snapshot.get('rule', '')}),"
            )
        )
    rows = proposal_rows(snapshot)
    blocks.append(
        Para(
            f"{school.name} kính trình {above.name if above else 'cấp trên'} xem xét, khen thưởng "
            f"{len(rows)} trường hợp có thành tích trong năm học {year} như sau:"
        )
    )
    if rows:
        blocks.append(
            Table(
                ["TT", "Cá nhân, tập thể", "Đơn vị", "Hình thức đề nghị", "Kết quả bỏ phiếu", "Thành tích, căn cứ"],
                rows,
                [10, 35, 28, 30, 22, 40],
                centred=[0],
                keep_rows=True,
            )
        )  # fmt: skip
    blocks.append(
        Para(
            "Hồ sơ kèm theo: báo cáo thành tích của từng cá nhân, tập thể; biên bản họp và kết quả "
            "bỏ phiếu kín của Hội đồng Thi đua – Khen thưởng; quyết định công nhận sáng kiến."
        )
    )
    blocks.append(
        Para(f"Kính đề nghị {above.name if above else 'cấp trên'} xem xét, quyết định./.")
    )
    mark, title, name = _signer(campaign, decision)
    abbreviation = school.abbreviation or "…"
    parent = school.parent
    return Paper(
        parent_body=(parent.short_name or parent.name) if parent else "",
        issuing_body=school.name,
        number_line=_number_line(issued, "TTr", school),
        place=school.place or "",
        date=decision.proposal_on if decision and issued else None,
        type_name="Tờ trình",
        summary=f"Về việc đề nghị khen thưởng năm học {year}",
        blocks=blocks,
        signing_mark=mark,
        signer_title=title,
        signer_name=name if issued else "",
        recipients=recipients([above.name] if above else [], kept=f"VT, {abbreviation}"),
    )


# Certificates (giấy khen) -----------------------------------------------------------------------


def _certificate(
    campaign: Campaign, *, who: str, where: str, title: str, symbol: str, on: Any
) -> Paper:
    school = campaign.school
    decision = decision_of(campaign)
    mark, signer_title, name = _signer(campaign, decision)
    parent = school.parent
    return Paper(
        parent_body=(parent.short_name or parent.name) if parent else "",
        issuing_body=school.name,
        number_line=f"Quyết định số {symbol}" if symbol else "",
        place=school.place or "",
        date=on,
        type_name="Giấy khen",
        summary=f"HIỆU TRƯỞNG {school.name.upper()} TẶNG",
        blocks=[
            Heading(who, center=True),
            Para(where, indent=False),
            Para(
                f"Đã đạt danh hiệu “{title_name(title)}” năm học {campaign.year_label}.",
                bold=True,
                indent=False,
            ),
        ],
        signing_mark=mark,
        signer_title=signer_title,
        signer_name=name,
        recipients=[],
        landscape=True,
    )


def _best(titles: list[str]) -> str:
    """The highest title decided, the one a certificate names."""
    order = [Title.CSTDCS.value, Title.LDTT.value, Title.TTLDTT.value]
    return next((title for title in order if title in titles), titles[0] if titles else "")


def _decided(campaign: Campaign) -> tuple[str, Any]:
    decision = decision_of(campaign)
    issued = _issued(DECISION_KIND, campaign)
    return (issued.document.symbol if issued else ""), (decision.decided_on if decision else None)


def certificate_paper(evaluation: Evaluation) -> Paper:
    campaign = evaluation.campaign
    symbol, on = _decided(campaign)
    person = evaluation.person
    who = f"{person.honorific} {person.full_name}".strip()
    return _certificate(
        campaign,
        who=who,
        where=f"{evaluation.unit.name}",
        title=_best(list(evaluation.final_titles or [])),
        symbol=symbol,
        on=on,
    )


def _unit_title(part: CampaignUnit) -> str:
    decision = decision_of(part.campaign)
    rows = decision.units if decision is not None else []
    row = next((row for row in rows if row["unit"] == part.unit_id), None)
    return row["title"] if row and row["title"] else ""


def unit_certificate_paper(part: CampaignUnit) -> Paper:
    campaign = part.campaign
    symbol, on = _decided(campaign)
    return _certificate(
        campaign,
        who=f"Tập thể {part.unit.name}",
        where=campaign.school.name,
        title=_unit_title(part),
        symbol=symbol,
        on=on,
    )


# Placeholders for schools' own templates --------------------------------------------------------


def _rows_as_dicts(rows: list[list[str]], keys: list[str]) -> list[dict[str, str]]:
    return [dict(zip(keys, row, strict=True)) for row in rows]


PERSON_KEYS = ["stt", "ho_ten", "don_vi", "he_so", "tien_thuong"]


def decision_context(campaign: Campaign) -> dict[str, Any]:
    snapshot = snapshot_of(campaign)
    return {
        **common_context(decision_paper(campaign)),
        "nam_hoc": campaign.year_label,
        "cstdcs": _rows_as_dicts(individual_rows(snapshot, Title.CSTDCS.value), PERSON_KEYS),
        "ldtt": _rows_as_dicts(individual_rows(snapshot, Title.LDTT.value), PERSON_KEYS),
        "ttldtt": _rows_as_dicts(unit_rows(snapshot), ["stt", "don_vi", "he_so", "tien_thuong"]),
        "luong_co_so": money(snapshot.get("base_salary", {}).get("amount")),
        "tong_tien_thuong": money(snapshot.get("total", 0)),
    }


def proposal_context(campaign: Campaign) -> dict[str, Any]:
    snapshot = snapshot_of(campaign)
    return {
        **common_context(proposal_paper(campaign)),
        "nam_hoc": campaign.year_label,
        "de_nghi": _rows_as_dicts(
            proposal_rows(snapshot),
            ["stt", "doi_tuong", "don_vi", "hinh_thuc", "ket_qua_bo_phieu", "can_cu"],
        ),
    }


def _certificate_context(
    paper: Paper, who: str, where: str, title: str, year: str
) -> dict[str, Any]:
    return {
        **common_context(paper),
        "ho_ten": who,
        "don_vi": where,
        "danh_hieu": title_name(title) if title else "",
        "nam_hoc": year,
    }


def certificate_context(evaluation: Evaluation) -> dict[str, Any]:
    paper = certificate_paper(evaluation)
    person = evaluation.person
    return _certificate_context(
        paper,
        f"{person.honorific} {person.full_name}".strip(),
        evaluation.unit.name,
        _best(list(evaluation.final_titles or [])),
        evaluation.campaign.year_label,
    )


def unit_certificate_context(part: CampaignUnit) -> dict[str, Any]:
    paper = unit_certificate_paper(part)
    return _certificate_context(
        paper,
        f"Tập thể {part.unit.name}",
        part.campaign.school.name,
        _unit_title(part),
        part.campaign.year_label,
    )


DECISION_PLACEHOLDERS = {
    "nam_hoc": "Năm học, ví dụ “2023–2024”",
    "cstdcs": "Danh sách CSTĐCS; mỗi dòng có stt, ho_ten, don_vi, he_so, tien_thuong",
    "ldtt": "Danh sách LĐTT; mỗi dòng có stt, ho_ten, don_vi, he_so, tien_thuong",
    "ttldtt": "Danh sách TTLĐTT; mỗi dòng có stt, don_vi, he_so, tien_thuong",
    "luong_co_so": "Mức lương cơ sở áp dụng, ví dụ “2.340.000”",
    "tong_tien_thuong": "Tổng số tiền thưởng, ví dụ “12.870.000”",
}
PROPOSAL_PLACEHOLDERS = {
    "nam_hoc": "Năm học, ví dụ “2023–2024”",
    "de_nghi": "Danh sách đề nghị; mỗi dòng có stt, doi_tuong, don_vi, hinh_thuc, "
    "ket_qua_bo_phieu, can_cu",
}
CERTIFICATE_PLACEHOLDERS = {
    "ho_ten": "Người (hoặc tập thể) được khen, ví dụ “ThS. Hoàng Văn An”",
    "don_vi": "Đơn vị",
    "danh_hieu": "Danh hiệu, ví dụ “Chiến sĩ thi đua cơ sở”",
    "nam_hoc": "Năm học, ví dụ “2023–2024”",
}


# Loading with the pages' permissions ------------------------------------------------------------


def load_decision(request: HttpRequest, pk: int) -> Campaign:
    """The Quyết định: public in the school once issued; before, a draft for those preparing it."""
    campaign = get_authorised(
        request.user,
        Campaign.objects.active().select_related("school__parent", "received_from"),
        "emulation.view_campaign",
        pk=pk,
    )
    if decision_of(campaign) is None and not request.user.has_perm(
        "emulation.view_decision", campaign
    ):
        raise PermissionDenied
    return campaign


def load_proposal(request: HttpRequest, pk: int) -> Campaign:
    return get_authorised(
        request.user,
        Campaign.objects.active().select_related("school__parent", "received_from"),
        "emulation.view_campaign",
        "emulation.view_decision",
        pk=pk,
    )


def load_certificate(request: HttpRequest, pk: int) -> Evaluation:
    evaluation = get_authorised(
        request.user,
        Evaluation.objects.active().select_related("campaign__school__parent", "person", "unit"),
        "emulation.view_campaign",
        "emulation.print_certificate",
        pk=pk,
    )
    if not evaluation.final_titles:
        raise Http404
    return evaluation


def load_unit_certificate(request: HttpRequest, pk: int) -> CampaignUnit:
    part = get_authorised(
        request.user,
        CampaignUnit.objects.select_related("campaign__school__parent", "unit"),
        "emulation.view_campaign",
        "emulation.print_certificate",
        pk=pk,
    )
    if not _unit_title(part):
        raise Http404
    return part


def latest_decided(school: Any) -> Campaign | None:
    return (
        Campaign.objects.active()
        .filter(school=school, decision__isnull=False)
        .order_by("-start_year")
        .first()
    )


def latest_certificate(school: Any) -> Evaluation | None:
    return (
        Evaluation.objects.active()
        .filter(campaign__school=school, decided_on__isnull=False)
        .exclude(final_titles=[])
        .select_related("campaign__school__parent", "person", "unit")
        .order_by("-decided_on", "-pk")
        .first()
    )


def latest_unit_certificate(school: Any) -> CampaignUnit | None:
    campaign = latest_decided(school)
    if campaign is None:
        return None
    titled = [row["unit"] for row in campaign.decision.units if row["title"]]
    return (
        CampaignUnit.objects.filter(campaign=campaign, unit_id__in=titled)
        .select_related("campaign__school__parent", "unit")
        .first()
    )
