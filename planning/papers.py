"""The year plan as a Kế hoạch in the official layout, written from the plan's data: the paper
kind `plan` (registered when the papers app imports this module), and the plan's amendments."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.http import HttpRequest

from core.permissions import get_authorised
from core.text import format_date, format_number
from organisations.models import Person, Position, Role
from papers.layout import Block, Heading, Paper, Para, Table, recipients
from papers.models import IssuedPaper
from papers.placeholders import common_context
from papers.registry import PaperKind, register
from planning.models import Plan, Target, Task, TaskCoordination
from planning.numbering import baseline_label, target_reading_key

PLAN_KIND = "plan"


def _basis_line(link: object) -> str:
    document = link.document  # type: ignore[attr-defined]
    parts = [
        f"Căn cứ {document.doc_type.name} số {document.symbol}"
        if document.doc_type
        else f"Căn cứ {document.symbol}"
    ]
    if document.issued_on:
        parts.append(
            f", ngày {document.issued_on.day}/{document.issued_on.month}/{document.issued_on.year}"
        )
    if document.issuer_name:
        parts.append(f" của {document.issuer_name}")
    if document.summary:
        parts.append(f" về {document.summary[:1].lower()}{document.summary[1:]}")
    return "".join(parts) + ";"


def _target_value(target: Target) -> str:
    if target.direction == "range":
        return f"{format_number(target.range_min or 0)}–{format_number(target.range_max or 0)}"
    if target.direction == "boolean":
        return "Đạt"
    return format_number(target.target_value) if target.target_value is not None else ""


def _period(task: Task) -> str:
    if task.start_date and task.due_date:
        return f"{format_date(task.start_date)} – {format_date(task.due_date)}"
    return format_date(task.due_date) if task.due_date else "Cả năm học"


def signer_of(plan: Plan) -> tuple[str, str, str]:
    """(signing mark, title, name): the principal signs, or a vice-principal "KT. HIỆU TRƯỞNG"."""
    person = (
        Person.objects.filter(user=plan.issued_by, school=plan.school_id).first()
        if plan.issued_by_id
        else None
    )
    positions = Position.objects.current(plan.issued_on).filter(
        organisation=plan.school, role=Role.LEADERSHIP
    )
    position = positions.filter(person=person).first() if person else None
    if position is None:
        position = positions.filter(title__iexact="Hiệu trưởng").select_related("person").first()
    if position is None:
        return "", "HIỆU TRƯỞNG", ""
    if position.title.lower().startswith("phó"):
        return "KT. HIỆU TRƯỞNG", position.title, position.person.full_name
    return "", position.title, position.person.full_name


def plan_paper(plan: Plan) -> Paper:
    school = plan.school
    # The latest number: an amendment's paper is made after its number is taken.
    issued = (
        IssuedPaper.objects.filter(kind=PLAN_KIND, object_id=plan.pk)
        .select_related("document", "amends__document")
        .order_by("-pk")
        .first()
    )
    abbreviation = school.abbreviation or "…"
    number_line = f"Số: {issued.document.symbol}" if issued else f"Số:        /KH-{abbreviation}"
    summary = plan.title.removeprefix("Kế hoạch ").strip()
    summary = summary[:1].upper() + summary[1:]

    blocks: list[Block] = []
    if issued is not None and issued.amends is not None:
        original = issued.amends.document
        reasons = "; ".join(
            plan.amendments.exclude(closed_at=None)
            .filter(closed_at__gt=issued.amends.issued_at)
            .values_list("reason", flat=True)
        )
        blocks.append(
            Para(
                f"Kế hoạch này sửa đổi, bổ sung Kế hoạch số {original.symbol} ngày "
                f"{format_date(original.issued_on)}" + (f" (lý do: {reasons})." if reasons else ".")
            )
        )
    blocks.extend(
        Para(_basis_line(link)) for link in plan.basis_links.select_related("document__doc_type")
    )
    blocks.append(
        Para(f"{school.name} xây dựng Kế hoạch {summary[:1].lower()}{summary[1:]} như sau:")
    )
    blocks.append(Heading("I. MỤC ĐÍCH, YÊU CẦU"))
    for paragraph in (plan.theme or "").split("\n"):
        if paragraph.strip():
            blocks.append(Para(paragraph.strip()))

    blocks.append(Heading("II. MỤC TIÊU, CHỈ TIÊU"))
    # Numbered and ordered as on the page and in Excel (planning/numbering.py).
    targets = sorted(
        plan.targets.active().select_related("area", "responsible_unit"),
        key=target_reading_key,
    )
    rows = []
    for target in targets:
        rows.append([
            target.code, target.name, target.unit_of_measure,
            format_number(target.baseline) if target.baseline is not None else "",
            _target_value(target), str(target.responsible_unit or ""),
        ])  # fmt: skip
    blocks.append(
        Table(
            [
                "TT",
                "Chỉ tiêu",
                "Đơn vị tính",
                baseline_label(plan),
                "Năm học này",
                "Đơn vị chịu trách nhiệm",
            ],
            rows,
            [14, 58, 20, 20, 20, 33],
            centred=[0, 2, 3, 4],
            keep_rows=True,
        )
    )

    blocks.append(Heading("III. NHIỆM VỤ VÀ GIẢI PHÁP"))
    tasks = list(
        plan.tasks.active().school_level().select_related("lead_unit").order_by("order", "pk")
    )
    coordinating: dict[int, list[str]] = defaultdict(list)
    for task_id, unit in (
        TaskCoordination.objects.active()
        .filter(task__plan=plan)
        .select_related("unit")
        .values_list("task_id", "unit__short_name")
    ):
        coordinating[task_id].append(unit)
    children: dict[int | None, list[Task]] = defaultdict(list)
    for task in tasks:
        children[task.parent_id].append(task)
    task_rows: list[list[str]] = []

    def walk(parent: int | None) -> None:
        for task in children.get(parent, []):
            task_rows.append([
                task.code, task.title, str(task.lead_unit.short_name or task.lead_unit.name) if task.lead_unit else "",
                ", ".join(coordinating.get(task.pk, [])), _period(task),
            ])  # fmt: skip
            walk(task.pk)

    walk(None)
    blocks.append(
        Table(
            ["TT", "Nhiệm vụ, giải pháp", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian"],
            task_rows,
            [13, 53, 34, 32, 33],
            keep_rows=True,
        )
    )

    blocks.append(Heading("IV. TỔ CHỨC THỰC HIỆN"))
    blocks.extend([
        Para("1. Các phòng, khoa, trung tâm, đoàn thể căn cứ Kế hoạch này xây dựng kế hoạch của đơn vị, cụ thể hóa nhiệm vụ, chỉ tiêu được giao; người đứng đầu đơn vị chịu trách nhiệm trước Hiệu trưởng về kết quả thực hiện."),
        Para("2. Đơn vị chủ trì tổ chức thực hiện, tổng hợp ý kiến của đơn vị phối hợp và báo cáo kết quả hằng tháng trên hệ thống Trọng Tâm; đơn vị phối hợp thực hiện phần việc được giao."),
        Para("3. Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các đơn vị báo cáo Ban Giám hiệu (qua Phòng Tổ chức – Hành chính) để xem xét, điều chỉnh."),
    ])  # fmt: skip
    mark, title, name = signer_of(plan)
    parent = (school.parent.short_name or school.parent.name) if school.parent else ""
    return Paper(
        parent_body=parent,
        issuing_body=school.name,
        number_line=number_line,
        place=school.place or "",
        date=issued.document.issued_on if issued and issued.amends_id else plan.issued_on,
        type_name="Kế hoạch",
        summary=summary,
        blocks=blocks,
        signing_mark=mark,
        signer_title=title,
        signer_name=name,
        recipients=recipients(
            ["Đảng ủy, Ban Giám hiệu", "Các phòng, khoa, trung tâm, đoàn thể"],
            report_to="Sở GD&ĐT",
            kept=f"VT, {abbreviation}",
        ),
    )


def _load_plan(request: HttpRequest, pk: int) -> Plan:
    return get_authorised(
        request.user, Plan.objects.select_related("school__parent"), "planning.view_plan", pk=pk
    )


def plan_context(plan: Plan) -> dict[str, Any]:
    """Placeholders for a school's own Kế hoạch template (see docs/PAPERS.md)."""
    paper = plan_paper(plan)
    tables = [block for block in paper.blocks if isinstance(block, Table)]
    targets = tables[0].rows if tables else []
    tasks = tables[1].rows if len(tables) > 1 else []
    target_keys = ["stt", "ten", "don_vi_tinh", "nam_truoc", "nam_nay", "don_vi_chiu_trach_nhiem"]
    task_keys = ["ma", "ten", "don_vi_chu_tri", "don_vi_phoi_hop", "thoi_gian"]
    return {
        **common_context(paper),
        "nam_hoc": f"{plan.start_year}–{plan.start_year + 1}",
        "can_cu": [
            block.text
            for block in paper.blocks
            if isinstance(block, Para) and block.text.startswith("Căn cứ")
        ],
        "muc_dich": [line.strip() for line in (plan.theme or "").split("\n") if line.strip()],
        "chi_tieu": [dict(zip(target_keys, row, strict=True)) for row in targets],
        "nhiem_vu": [dict(zip(task_keys, row, strict=True)) for row in tasks],
    }


PLAN_PLACEHOLDERS = {
    "nam_hoc": "Năm học, ví dụ “2023–2024”",
    "can_cu": "Danh sách các căn cứ (mỗi phần tử một đoạn “Căn cứ …;”)",
    "muc_dich": "Danh sách các đoạn mục đích, yêu cầu (chủ đề năm học)",
    "chi_tieu": "Bảng chỉ tiêu; mỗi dòng có stt, ten, don_vi_tinh, nam_truoc, nam_nay, don_vi_chiu_trach_nhiem",
    "nhiem_vu": "Bảng nhiệm vụ, giải pháp; mỗi dòng có ma, ten, don_vi_chu_tri, don_vi_phoi_hop, thoi_gian",
}


def _latest_plan(school: Any) -> Plan | None:
    return Plan.objects.active().filter(school=school).order_by("-start_year", "-pk").first()


register(
    PaperKind(
        code=PLAN_KIND,
        label="Kế hoạch năm học",
        build=plan_paper,
        context=plan_context,
        load=_load_plan,
        filename=lambda plan: f"ke-hoach-{plan.start_year}-{plan.start_year + 1}",
        school_of=lambda plan: plan.school,
        placeholders=PLAN_PLACEHOLDERS,
        latest=_latest_plan,
    )
)


def plan_amendment_due(plan: Plan) -> IssuedPaper | None:
    """The plan's latest numbered paper, which a new number would amend: an amendment of the plan
    was closed after that paper was numbered (as a conference's reopening does for its papers)."""
    latest = (
        IssuedPaper.objects.filter(kind=PLAN_KIND, object_id=plan.pk)
        .exclude(file="")
        .order_by("-pk")
        .first()
    )
    if latest is None:
        return None
    changed = plan.amendments.exclude(closed_at=None).filter(closed_at__gt=latest.issued_at)
    return latest if changed.exists() else None
