"""A conference's Biên bản (minutes) and Nghị quyết (resolution) in the official layout: the paper
kinds `conference_minutes` and `conference_resolution` (registered when the papers app imports
this module), and what their numbers mean for the conference (amendments after a reopening).

Written from the same data as the texts on the conference's pages (`conferences.texts.
paper_context`): time and place, attendance against the quorum rule, chair and secretary, agenda,
opinions and answers, votes, the emulation launch, the chair's conclusions. The minutes are signed
by the secretary and the chair side by side; the resolution "TM. ĐOÀN CHỦ TỊCH" (one chair:
"TM. HỘI NGHỊ / CHỦ TỌA").

One module of about 550 lines on purpose: the two kinds are built from the same sections
(attendance, opinions, votes, conclusions) and numbered by the same rules; split, each half would
import the other's helpers.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.http import HttpRequest

from conferences.models import Conference, ConferenceReopening
from conferences.texts import count_label, lcfirst, paper_context
from core.permissions import get_authorised
from core.text import format_date, format_number, paper_date
from papers.layout import ROMAN, Block, Heading, Paper, Para, Signature, Table, recipients
from papers.models import IssuedPaper
from papers.placeholders import common_context
from papers.registry import PaperKind, register

MINUTES_KIND = "conference_minutes"
RESOLUTION_KIND = "conference_resolution"


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?", ":", ";")) else f"{text}."


def issue_state(kind: str, conference: Conference) -> tuple[IssuedPaper | None, IssuedPaper | None]:
    """(the issued paper whose number this paper carries, the issued paper it amends).

    After the conference is reopened, the paper written from its data is the draft of an
    amendment of the last issued one: it has no number yet and amends that paper.
    """
    papers = list(
        IssuedPaper.objects.filter(kind=kind, object_id=conference.pk)
        .select_related("document")
        .order_by("pk")
    )
    if not papers:
        return None, None
    latest = papers[-1]
    if ConferenceReopening.objects.filter(
        conference=conference, reopened_at__gt=latest.issued_at
    ).exists():
        return None, latest
    return latest, latest.amends


def has_issued_papers(conference: Conference) -> bool:
    """Whether the conference's biên bản or nghị quyết has a number (then only the leadership
    may reopen it)."""
    return IssuedPaper.objects.filter(
        kind__in=[MINUTES_KIND, RESOLUTION_KIND], object_id=conference.pk
    ).exists()


def amendment_due(kind: str, conference: Conference) -> IssuedPaper | None:
    """The issued paper that a new number would amend (the conference was reopened since)."""
    issued, amends = issue_state(kind, conference)
    return amends if issued is None else None


def _number_line(kind: str, conference: Conference, code: str) -> str:
    issued, _amends = issue_state(kind, conference)
    if issued is not None:
        return f"Số: {issued.document.symbol}"
    return f"Số:        /{code}-{conference.school.abbreviation or '…'}"


def _as_amendment(paper: Paper, kind: str, conference: Conference) -> Paper:
    """An amendment says so in its summary and first paragraph, naming the paper it amends and
    why the conference was reopened."""
    _issued, amends = issue_state(kind, conference)
    if amends is None:
        return paper
    reopening = ConferenceReopening.objects.filter(
        conference=conference, reopened_at__gt=amends.issued_at
    ).last()
    text = (
        f"{paper.type_name} này sửa đổi, bổ sung {paper.type_name.lower()} số "
        f"{amends.document.symbol} ngày {format_date(amends.document.issued_on)}"
    )
    if reopening is not None and reopening.reason:
        text += f"; lý do mở lại hội nghị: {_sentence(reopening.reason)}"
    else:
        text += "."
    return replace(
        paper,
        summary=f"Sửa đổi, bổ sung {paper.type_name.lower()} {paper.summary}",
        blocks=[Para(text, italic=True), *paper.blocks],
    )


def _chairs(data: dict[str, Any]) -> list[str]:
    return [
        f"đồng chí {chair.person.full_name}" + (f" – {chair.capacity}" if chair.capacity else "")
        for chair in data["chairs"]
    ]


def _chair_signature(data: dict[str, Any]) -> Signature:
    chairs = data["chairs"]
    name = chairs[0].person.full_name if chairs else ""
    if len(chairs) > 1:
        return Signature("TM. ĐOÀN CHỦ TỊCH", "", name)
    return Signature("", "CHỦ TỌA", name)


def _method(label: str) -> str:
    """ "Biểu quyết giơ tay" → "Giơ tay" (the column already says what it is)."""
    label = label.removeprefix("Biểu quyết ").strip()
    return label[:1].upper() + label[1:]


def _vote_rows(data: dict[str, Any]) -> list[list[str]]:
    rows = []
    for index, vote in enumerate(data["votes"], start=1):
        base = vote.attendees_at_close or 0
        share = f" ({format_number(round(100 * (vote.yes_count or 0) / base, 2))}%)" if base else ""
        rows.append([
            str(index), vote.title, _method(vote.get_method_display()),
            f"{vote.yes_count or 0}{share}", str(vote.no_count or 0), str(vote.abstain_count or 0),
            str(base), "Thông qua" if vote.passed else "Không thông qua",
        ])  # fmt: skip
    return rows


VOTE_HEADER = [
    "TT",
    "Nội dung biểu quyết",
    "Hình thức",
    "Tán thành",
    "Không tán thành",
    "Không biểu quyết",
    "Có mặt",
    "Kết quả",
]
VOTE_WIDTHS: list[float] = [10, 37, 22, 22, 18, 18, 13, 25]
VOTE_KEYS = [
    "stt",
    "noi_dung",
    "hinh_thuc",
    "tan_thanh",
    "khong_tan_thanh",
    "khong_bieu_quyet",
    "co_mat",
    "ket_qua",
]


def _attendance(data: dict[str, Any]) -> list[Block]:
    conference: Conference = data["conference"]
    quorum = data["quorum"]
    chairs = _chairs(data)
    blocks: list[Block] = [
        Para(f"- Chủ tọa: {'; '.join(chairs) if chairs else '…'}.", indent=False),
        Para(
            "- Thư ký: "
            + (f"đồng chí {conference.secretary.full_name}." if conference.secretary else "…"),
            indent=False,
        ),
        Para(f"- Thành phần được triệu tập: {data['group_names'] or '…'}.", indent=False),
    ]
    counts = (
        f"- Tổng số người được triệu tập: {quorum.summoned}; có mặt: {quorum.present}; "
        f"vắng: {quorum.absent}"
    )
    if quorum.unmarked:
        counts += f"; chưa điểm danh: {quorum.unmarked}"
    if quorum.others_present:
        counts += f"; khách mời, đại biểu khác có mặt: {quorum.others_present}"
    blocks.append(Para(counts + ".", indent=False))
    for invitation in data["absent"]:
        reason = (
            f"lý do: {invitation.absence_reason}" if invitation.absence_reason else "không có lý do"
        )
        blocks.append(Para(f"+ Vắng: {invitation.display_name} ({reason}).", indent=False))
    verdict = (
        "đạt, Hội nghị đủ điều kiện tiến hành"
        if quorum.reached
        else "chưa đạt, Hội nghị chưa đủ điều kiện tiến hành"
    )
    blocks.append(
        Para(
            f"- Túc số theo quy định ({quorum.rule} số người được triệu tập, tức ít nhất "
            f"{quorum.needed} người): có mặt {quorum.present}/{quorum.summoned} "
            f"({quorum.percent}%), {verdict}. Căn cứ: {_sentence(conference.kind.legal_basis)}",
            indent=False,
        )
    )
    return blocks


def minutes_paper(conference: Conference) -> Paper:
    data = paper_context(conference)
    conference = data["conference"]
    school = data["school"]
    numerals = iter(ROMAN)
    time = ""
    if conference.starts_at:
        time = f"Vào hồi {conference.starts_at:%H} giờ {conference.starts_at:%M}, "
    opening = (
        f"{time or 'Vào '}{paper_date(conference.held_on)}, tại {conference.place or '…'}, "
        f"{school.name} tổ chức {lcfirst(conference.title)}."
    )
    blocks: list[Block] = [Para(opening[:1].upper() + opening[1:])]
    blocks.append(Heading(f"{next(numerals)}. THÀNH PHẦN THAM DỰ"))
    blocks.extend(_attendance(data))

    blocks.append(Heading(f"{next(numerals)}. NỘI DUNG HỘI NGHỊ"))
    for index, (item, who) in enumerate(data["agenda"], start=1):
        text = f"{who.label[:1].upper()}{who.label[1:]}: {_sentence(item.title)}"
        if item.summary:
            text += f" {_sentence(item.summary)}"
        blocks.append(Para(text, lead=f"{index}. "))

    blocks.append(Heading(f"{next(numerals)}. Ý KIẾN THAM GÓP VÀ TRẢ LỜI"))
    topics = f" về {data['topics']}" if data["topics"] else ""
    blocks.append(Para(f"Hội nghị nhận được {data['opinion_count']} ý kiến{topics}."))
    for opinion in data["main_opinions"]:
        who = (
            " (ẩn danh)"
            if opinion.is_anonymous
            else (f" (đồng chí {opinion.author.full_name})" if opinion.author else "")
        )
        merged = [str(d.number) for d in opinion.duplicates.all()]
        joined = f", gộp cùng ý kiến số {', '.join(merged)}" if merged else ""
        blocks.append(
            Para(
                f"{opinion.topic}: {_sentence(opinion.content)}",
                lead=f"- Ý kiến số {opinion.number or '…'}{who}{joined}: ",
                indent=False,
            )
        )
        answer = _sentence(opinion.answer) if opinion.answer else "chưa trả lời."
        kind = f" ({opinion.get_answer_kind_display().lower()})" if opinion.answer_kind else ""
        extra = ""
        if opinion.forwarded_to:
            extra += f" Chuyển {opinion.forwarded_to.name} giải quyết."
        if opinion.resulting_task:
            extra += f" Thành nhiệm vụ {opinion.resulting_task}."
        blocks.append(Para(f"Trả lời{kind}: {answer}{extra}", italic=True))

    blocks.append(Heading(f"{next(numerals)}. BIỂU QUYẾT"))
    if data["votes"]:
        blocks.append(
            Table(
                VOTE_HEADER, _vote_rows(data), VOTE_WIDTHS, centred=[0, 3, 4, 5, 6], keep_rows=True
            )
        )
    else:
        blocks.append(Para("Chưa có nội dung nào được biểu quyết."))

    launch = data["launch"]
    if launch or data["pledges"]:
        blocks.append(Heading(f"{next(numerals)}. PHÁT ĐỘNG THI ĐUA"))
        if launch:
            who = f"Đồng chí {launch.launched_by.full_name}"
            if launch.launcher_title:
                who += f" – {launch.launcher_title}"
            if launch.on_behalf_of:
                who += f" thay mặt {launch.on_behalf_of}"
            text = f"{who} phát động {launch.campaign} trong {launch.audience}."
            if launch.content:
                text += f" {_sentence(launch.content)}"
            blocks.append(Para(text))
        for pledge in data["pledges"]:
            blocks.append(
                Para(
                    f"Giao ước thi đua ký ngày {format_date(pledge.signed_on)} giữa đồng chí "
                    f"{pledge.head.full_name} và đồng chí {pledge.union_rep.full_name} "
                    f"({pledge.union.name}): {_sentence(pledge.content)}"
                )
            )

    blocks.append(Heading(f"{next(numerals)}. KẾT LUẬN CỦA CHỦ TỌA"))
    for index, conclusion in enumerate(data["conclusions"], start=1):
        text = _sentence(conclusion.text)
        if conclusion.is_directive and conclusion.lead_unit:
            text += f" Giao {conclusion.lead_unit.name} chủ trì"
            text += f", hạn {format_date(conclusion.due_date)}." if conclusion.due_date else "."
        if conclusion.is_directive and conclusion.task:
            text += f" Nhiệm vụ trong kế hoạch: {conclusion.task}."
        blocks.append(Para(text, lead=f"{index}. "))
    if not data["conclusions"]:
        blocks.append(Para("Chưa ghi kết luận."))
    blocks.append(Para("Biên bản được thông qua trước Hội nghị."))

    secretary = conference.secretary.full_name if conference.secretary else ""
    parent = school.parent
    paper = Paper(
        parent_body=(parent.short_name or parent.name) if parent else "",
        issuing_body=school.name,
        number_line=_number_line(MINUTES_KIND, conference, "BB"),
        place=data["place"] or "",
        date=conference.held_on,
        type_name="Biên bản",
        summary=conference.title,
        blocks=blocks,
        signatures=[Signature("", "THƯ KÝ", secretary), _chair_signature(data)],
    )
    return _as_amendment(paper, MINUTES_KIND, conference)


def resolution_paper(conference: Conference) -> Paper:
    data = paper_context(conference)
    conference = data["conference"]
    school = data["school"]
    blocks: list[Block] = [
        Para(f"Căn cứ {_sentence(conference.kind.legal_basis)}", italic=True),
        Para(
            f"Căn cứ kết quả {conference.title} {paper_date(conference.held_on)},",
            italic=True,
        ),
        Heading("QUYẾT NGHỊ:", center=True),
    ]
    articles: list[tuple[str, list[str]]] = []
    plan = data["plan"]
    if plan:
        articles.append((
            f"Thông qua {plan.title} với {data['main_task_count']} nhiệm vụ, giải pháp chủ yếu:",
            [f"{task.code}. {_sentence(task.title)}" for task in data["main_tasks"]],
        ))  # fmt: skip
    directives = []
    for conclusion in data["directives"]:
        line = f"- {conclusion.text.rstrip('.')}"
        if conclusion.lead_unit:
            line += f"; giao {conclusion.lead_unit.name} chủ trì"
            if conclusion.due_date:
                line += f", hoàn thành trước ngày {format_date(conclusion.due_date)}"
        if conclusion.task:
            line += f" (nhiệm vụ {conclusion.task.code} của kế hoạch)"
        directives.append(line + ".")
    articles.append((
        "Thực hiện kết luận của chủ tọa Hội nghị:",
        directives or ["(Chưa ghi nội dung giao việc.)"],
    ))  # fmt: skip
    accepted = []
    for opinion in data["main_opinions"]:
        if opinion.answer_kind == "accepted":
            line = f"- Ý kiến số {opinion.number or '…'} ({opinion.topic})"
            if opinion.resulting_task:
                line += f": thực hiện qua nhiệm vụ {opinion.resulting_task}"
            accepted.append(line + ".")
    if accepted:
        articles.append(("Tiếp thu ý kiến của cán bộ, viên chức và người lao động:", accepted))
    launch = data["launch"]
    if launch:
        text = (
            f"Hưởng ứng phong trào {launch.campaign} do "
            f"{launch.on_behalf_of or 'lãnh đạo nhà trường'} phát động trong {launch.audience}."
        )
        for pledge in data["pledges"]:
            text += (
                f" Thực hiện giao ước thi đua ký ngày {format_date(pledge.signed_on)} giữa "
                f"thủ trưởng và {pledge.union.name}."
            )
        articles.append((text, []))
    articles.append((
        "Các phòng, khoa, trung tâm, đoàn thể và toàn thể cán bộ, viên chức, người lao động "
        "trong nhà trường có trách nhiệm thực hiện Nghị quyết này.",
        [],
    ))  # fmt: skip
    for number, (text, lines) in enumerate(articles, start=1):
        blocks.append(Para(text, lead=f"Điều {number}. "))
        blocks.extend(Para(line, indent=False) for line in lines)

    vote = data["resolution_vote"]
    if vote:
        base = vote.attendees_at_close or 0
        share = format_number(round(100 * (vote.yes_count or 0) / base, 2)) if base else "0"
        outcome = (
            f"Nghị quyết được Hội nghị biểu quyết thông qua với {vote.yes_count}/{base} "
            f"người có mặt tán thành ({share}%)."
            if vote.passed
            else f"Nghị quyết có {vote.yes_count}/{base} người có mặt tán thành ({share}%), "
            "chưa đạt tỷ lệ quy định, chưa được thông qua."
        )
    else:
        outcome = "(Nghị quyết chưa được biểu quyết.)"
    blocks.append(Para(outcome, italic=True))

    chairs = data["chairs"]
    name = chairs[0].person.full_name if chairs else ""
    mark, title = ("TM. ĐOÀN CHỦ TỊCH", "") if len(chairs) > 1 else ("TM. HỘI NGHỊ", "CHỦ TỌA")
    abbreviation = school.abbreviation or "…"
    paper = Paper(
        parent_body=school.name,
        issuing_body=conference.kind.name,
        number_line=_number_line(RESOLUTION_KIND, conference, "NQ"),
        place=data["place"] or "",
        date=conference.held_on,
        type_name="Nghị quyết",
        summary=conference.title,
        blocks=blocks,
        signing_mark=mark,
        signer_title=title,
        signer_name=name,
        recipients=recipients(
            ["Đảng ủy, Ban Giám hiệu", "Công đoàn, Đoàn Thanh niên", "Các phòng, khoa, trung tâm"],
            report_to="Sở GD&ĐT",
            kept=f"VT, {abbreviation}",
        ),
    )
    return _as_amendment(paper, RESOLUTION_KIND, conference)


def _load(request: HttpRequest, pk: int) -> Conference:
    return get_authorised(
        request.user,
        Conference.objects.active().select_related("school__parent", "kind", "plan", "secretary"),
        "conferences.view_conference",
        pk=pk,
    )


def _latest(school: Any) -> Conference | None:
    return Conference.objects.active().filter(school=school).order_by("-held_on", "-pk").first()


def _filename(prefix: str) -> Any:
    return lambda conference: f"{prefix}-{conference.held_on:%Y-%m-%d}"


def minutes_context(conference: Conference) -> dict[str, Any]:
    data = paper_context(conference)
    quorum = data["quorum"]
    conference = data["conference"]
    return {
        **common_context(minutes_paper(conference)),
        "hoi_nghi": conference.title,
        "ngay_hop": format_date(conference.held_on),
        "gio_bat_dau": f"{conference.starts_at:%H} giờ {conference.starts_at:%M}"
        if conference.starts_at
        else "",
        "dia_diem": conference.place,
        "chu_toa": "; ".join(_chairs(data)),
        "thu_ky": conference.secretary.full_name if conference.secretary else "",
        "thanh_phan": data["group_names"],
        "so_trieu_tap": str(quorum.summoned),
        "so_co_mat": str(quorum.present),
        "so_vang": str(quorum.absent),
        "tuc_so_can": str(quorum.needed),
        "dat_tuc_so": "đạt" if quorum.reached else "chưa đạt",
        "vang": [
            {"ho_ten": i.display_name, "ly_do": i.absence_reason or "không có lý do"}
            for i in data["absent"]
        ],
        "chuong_trinh": [
            {"stt": str(n), "nguoi_trinh_bay": who.label, "noi_dung": item.title}
            for n, (item, who) in enumerate(data["agenda"], start=1)
        ],
        "so_y_kien": count_label(len(data["opinions"])),
        "y_kien": [
            {
                "so": str(o.number),
                "van_de": o.topic,
                "noi_dung": o.content,
                "tra_loi": o.answer or "",
            }
            for o in data["main_opinions"]
        ],
        "bieu_quyet": [dict(zip(VOTE_KEYS, row, strict=True)) for row in _vote_rows(data)],
        "ket_luan": [
            {
                "stt": str(n),
                "noi_dung": c.text,
                "don_vi_chu_tri": c.lead_unit.name if c.lead_unit else "",
                "han": format_date(c.due_date),
            }
            for n, c in enumerate(data["conclusions"], start=1)
        ],
        "thu_ky_ky": conference.secretary.full_name if conference.secretary else "",
    }


def resolution_context(conference: Conference) -> dict[str, Any]:
    paper = resolution_paper(conference)
    articles = [
        {"so": block.lead.removeprefix("Điều ").rstrip(". "), "noi_dung": block.text}
        for block in paper.blocks
        if isinstance(block, Para) and block.lead.startswith("Điều ")
    ]
    return {**common_context(paper), "hoi_nghi": conference.title, "dieu": articles}


COMMON_CONFERENCE = {
    "hoi_nghi": "Tên hội nghị",
}
MINUTES_PLACEHOLDERS = {
    **COMMON_CONFERENCE,
    "ngay_hop": "Ngày họp (dd/mm/yyyy)",
    "gio_bat_dau": "Giờ bắt đầu, ví dụ “07 giờ 30”",
    "dia_diem": "Địa điểm họp",
    "chu_toa": "Chủ tọa (các đồng chí, kèm chức vụ)",
    "thu_ky": "Thư ký hội nghị",
    "thanh_phan": "Thành phần được triệu tập",
    "so_trieu_tap": "Số người được triệu tập (tính túc số)",
    "so_co_mat": "Số người có mặt",
    "so_vang": "Số người vắng",
    "tuc_so_can": "Số người tối thiểu để đủ túc số",
    "dat_tuc_so": "“đạt” hoặc “chưa đạt”",
    "vang": "Danh sách vắng; mỗi dòng có ho_ten, ly_do",
    "chuong_trinh": "Chương trình; mỗi mục có stt, nguoi_trinh_bay, noi_dung",
    "so_y_kien": "Số ý kiến tham góp, ví dụ “07”",
    "y_kien": "Ý kiến; mỗi ý kiến có so, van_de, noi_dung, tra_loi",
    "bieu_quyet": "Biểu quyết; mỗi dòng có stt, noi_dung, hinh_thuc, tan_thanh, khong_tan_thanh, "
    "khong_bieu_quyet, co_mat, ket_qua",
    "ket_luan": "Kết luận của chủ tọa; mỗi dòng có stt, noi_dung, don_vi_chu_tri, han",
    "thu_ky_ky": "Họ tên thư ký ký biên bản",
}
RESOLUTION_PLACEHOLDERS = {
    **COMMON_CONFERENCE,
    "dieu": "Các điều của nghị quyết; mỗi điều có so, noi_dung",
}

register(
    PaperKind(
        code=MINUTES_KIND,
        label="Biên bản hội nghị",
        build=minutes_paper,
        context=minutes_context,
        load=_load,
        filename=_filename("bien-ban-hoi-nghi"),
        school_of=lambda conference: conference.school,
        placeholders=MINUTES_PLACEHOLDERS,
        latest=_latest,
    )
)
register(
    PaperKind(
        code=RESOLUTION_KIND,
        label="Nghị quyết hội nghị",
        build=resolution_paper,
        context=resolution_context,
        load=_load,
        filename=_filename("nghi-quyet-hoi-nghi"),
        school_of=lambda conference: conference.school,
        placeholders=RESOLUTION_PLACEHOLDERS,
        latest=_latest,
    )
)
