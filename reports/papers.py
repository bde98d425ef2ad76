"""A report as a BÁO CÁO in the official layout (NĐ 30/2020/NĐ-CP), with its figures: the paper
kinds `report_semester`, `report_year` and `report_unit` (registered when the papers app imports
this module).

The figures come from `reports.figures`: live for a draft, the frozen snapshot once issued.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from core.permissions import get_authorised
from papers.layout import ROMAN, Block, Heading, Paper, Para, Table, recipients
from papers.models import IssuedPaper
from papers.placeholders import common_context
from papers.registry import PaperKind, register
from reports import figures
from reports.models import Report, ReportKind, ReportPeriod

COUNT_HEADER = [
    "Tổng số",
    "Hoàn thành đúng hạn",
    "Hoàn thành quá hạn",
    "Đang thực hiện trong hạn",
    "Quá hạn chưa hoàn thành",
]
COUNT_KEYS = ["total", "done_on_time", "done_late", "open_in_time", "open_overdue"]


def figures_of(report: Report) -> dict[str, Any]:
    """The frozen figures of an issued report, the live ones of a draft."""
    if report.is_issued and report.snapshot is not None:
        return report.snapshot
    return figures.compute(report)


def _paras(text: str) -> list[Block]:
    """One paragraph a line; a line that introduces a group ("Đào tạo:") in italics."""
    blocks: list[Block] = []
    for line in (text or "").split("\n"):
        line = line.strip()
        if line:
            group = line.endswith(":") and not line.startswith(("-", "+")) and len(line) < 200
            blocks.append(Para(line, italic=group))
    return blocks


def target_rows(data: dict[str, Any]) -> list[list[str]]:
    return [
        [
            str(index),
            row["name"],
            row["unit_of_measure"],
            row["target"],
            row["actual"],
            row["state"],
        ]
        for index, row in enumerate(data["targets"], start=1)
    ]


def count_rows(rows: list[dict[str, Any]], totals: dict[str, int] | None = None) -> list[list[str]]:
    result = [
        [str(index), row["name"], *(str(row[key]) for key in COUNT_KEYS)]
        for index, row in enumerate(rows, start=1)
    ]
    if totals is not None:
        result.append(["", "Cộng", *(str(totals[key]) for key in COUNT_KEYS)])
    return result


def _sentence_tasks(data: dict[str, Any], who: str) -> str:
    totals = data["totals"]
    text = (
        f"Tính đến ngày {data['cutoff']}, {who} theo dõi {totals['total']} nhiệm vụ, giải pháp: "
        f"{totals['done_on_time']} hoàn thành đúng hạn, {totals['done_late']} hoàn thành quá hạn, "
        f"{totals['open_in_time']} đang thực hiện trong hạn, {totals['open_overdue']} quá hạn chưa "
        "hoàn thành (đúng hạn, quá hạn tính theo hạn ban đầu, không tính gia hạn)."
    )
    if data["due"]:
        text += (
            f" Trong {data['due']} nhiệm vụ đã đến hạn ban đầu, {data['due_done']} đã hoàn thành "
            f"(tỷ lệ {data['done_rate']}%), {data['due_on_time']} hoàn thành đúng hạn "
            f"(tỷ lệ {data['on_time_rate']}%)."
        )
    if data["paused_or_cancelled"]:
        text += (
            f" Có {data['paused_or_cancelled']} nhiệm vụ tạm dừng hoặc hủy bỏ, không tính ở trên."
        )
    return text


def _sentence_targets(data: dict[str, Any]) -> str:
    states = data["target_states"]
    return (
        f"Có {len(data['targets'])} chỉ tiêu: {states['green']} đạt, {states['amber']} cần chú ý, "
        f"{states['red']} chưa đạt, {states['none']} chưa có số liệu "
        f"(giá trị thực hiện là số liệu đo gần nhất đến ngày {data['cutoff']})."
    )


def report_paper(report: Report) -> Paper:
    plan = report.plan
    school = plan.school
    data = figures_of(report)
    unit = report.unit
    issued = (
        IssuedPaper.objects.filter(kind=report.paper_kind, object_id=report.pk)
        .select_related("document")
        .first()
    )
    issuer = unit or school
    abbreviation = issuer.abbreviation or "…"
    number_line = f"Số: {issued.document.symbol}" if issued else f"Số:        /BC-{abbreviation}"
    who = unit.name if unit else school.name

    blocks: list[Block] = []
    if unit is not None:
        blocks.append(Heading(f"Kính gửi: Ban Giám hiệu {school.name}", center=True))
    blocks.append(Heading(f"{ROMAN[0]}. TÌNH HÌNH CHUNG"))
    blocks.extend(_paras(report.situation))

    blocks.append(Heading(f"{ROMAN[1]}. KẾT QUẢ THỰC HIỆN NHIỆM VỤ"))
    blocks.append(Heading("1. Kết quả thực hiện các chỉ tiêu"))
    if data["targets"]:
        blocks.append(Para(_sentence_targets(data)))
        blocks.append(
            Table(
                ["TT", "Chỉ tiêu", "Đơn vị tính", "Chỉ tiêu năm học", f"Thực hiện đến {data['cutoff']}", "Đánh giá"],
                target_rows(data),
                [10, 57, 24, 22, 27, 25],
                centred=(0, 2, 3, 4, 5),
                keep_rows=True,
            )
        )  # fmt: skip
    else:
        blocks.append(Para("Không có chỉ tiêu được giao."))

    blocks.append(Heading("2. Tiến độ thực hiện nhiệm vụ"))
    blocks.append(Para(_sentence_tasks(data, who)))
    widths: list[float] = [10, 56, 15, 21, 21, 21, 21]

    def counts_table(label: str, rows: list[dict[str, Any]]) -> Table:
        return Table(
            ["TT", label, *COUNT_HEADER],
            count_rows(rows, data["totals"]),
            widths,
            centred=(0, 2, 3, 4, 5, 6),
            bold_last=True,
            keep_rows=True,
        )

    blocks.append(counts_table("Lĩnh vực", data["by_area"]))
    if unit is None:
        blocks.append(counts_table("Đơn vị chủ trì", data["by_unit"]))

    blocks.append(Heading("3. Kết quả theo lĩnh vực công tác"))
    areas = {str(row["id"]): row for row in data["by_area"] if row["id"] is not None}
    number = 0
    for area in plan.areas.active().order_by("order", "pk"):
        comment = (report.area_comments or {}).get(str(area.pk), "")
        row = areas.get(str(area.pk))
        if not comment and row is None:
            continue
        number += 1
        blocks.append(Heading(f"3.{number}. {area.name}"))
        if row is not None:
            blocks.append(
                Para(
                    f"Số nhiệm vụ: {row['total']} (hoàn thành đúng hạn {row['done_on_time']}, "
                    f"quá hạn chưa hoàn thành {row['open_overdue']}).",
                    italic=True,
                )
            )
        blocks.extend(_paras(comment))

    if unit is None:
        blocks.append(Heading("4. Tính đúng hạn của các đơn vị"))
        blocks.append(
            Para(
                "Tỷ lệ đúng hạn tính trên số nhiệm vụ đến hạn hoàn thành đúng hạn ban đầu và số "
                "báo cáo tiến độ gửi đúng kỳ."
            )
        )
        blocks.append(
            Table(
                ["TT", "Đơn vị", "Nhiệm vụ đến hạn", "Hoàn thành đúng hạn", "Báo cáo tiến độ", "Báo cáo đúng kỳ", "Tỷ lệ đúng hạn (%)"],
                [
                    [str(i), p["unit"], str(p["tasks_due"]), str(p["tasks_on_time"]), str(p["checkins"]), str(p["checkins_on_time"]), p["score"]]
                    for i, p in enumerate(data["punctuality"], start=1)
                ],
                [10, 55, 20, 20, 20, 20, 20],
                centred=(0, 2, 3, 4, 5, 6),
                keep_rows=True,
            )
        )  # fmt: skip
    else:
        blocks.append(Heading("4. Các nhiệm vụ của đơn vị"))
        blocks.append(
            Table(
                ["TT", "Nhiệm vụ", "Hạn", "Tiến độ", "Tình trạng"],
                [
                    [t["code"] or str(i), t["title"], t["due"], t["progress"], t["state"]]
                    for i, t in enumerate(data["tasks"], start=1)
                ],
                [13, 72, 24, 18, 38],
                centred=(0, 2, 3),
                keep_rows=True,
            )
        )  # fmt: skip

    blocks.append(Heading(f"{ROMAN[2]}. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN"))
    blocks.extend(_paras(report.shortcomings))
    if data["overdue"]:
        blocks.append(
            Para(f"Các nhiệm vụ quá hạn chưa hoàn thành đến ngày {data['cutoff']}:", italic=True)
        )
        blocks.append(
            Table(
                ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Hạn ban đầu", "Tiến độ"],
                [
                    [t["code"] or str(i), t["title"], t["unit"], t["due"], t["progress"]]
                    for i, t in enumerate(data["overdue"], start=1)
                ],
                [13, 75, 32, 25, 20],
                centred=(0, 3, 4),
                keep_rows=True,
            )
        )  # fmt: skip

    next_period = "HỌC KỲ II" if report.period == ReportPeriod.SEMESTER else "NĂM HỌC TỚI"
    blocks.append(Heading(f"{ROMAN[3]}. PHƯƠNG HƯỚNG, NHIỆM VỤ {next_period}"))
    blocks.extend(_paras(report.direction))
    blocks.append(Heading(f"{ROMAN[4]}. ĐỀ XUẤT, KIẾN NGHỊ"))
    blocks.extend(_paras(report.proposals))
    blocks.append(
        Para(f"Trên đây là báo cáo {report.summary[:1].lower()}{report.summary[1:]} của {who}./.")
    )

    if unit is None:
        sent_to = recipients(
            ["Đảng ủy, Ban Giám hiệu", "Các phòng, khoa, trung tâm, đoàn thể"],
            report_to=school.parent.name if school.parent else "",
            kept=f"VT, {abbreviation}",
        )
        parent_body = (school.parent.short_name or school.parent.name) if school.parent else ""
    else:
        sent_to = recipients(report_to="Ban Giám hiệu", kept=unit.short_name or unit.name)
        parent_body = school.name
    return Paper(
        parent_body=parent_body,
        issuing_body=issuer.name,
        number_line=number_line,
        place=school.place or "",
        date=report.issued_on,
        type_name="Báo cáo",
        summary=report.summary,
        blocks=blocks,
        signing_mark=report.signing_mark,
        signer_title=report.signer_title or ("Hiệu trưởng" if unit is None else "Trưởng đơn vị"),
        signer_name=report.signer_name,
        recipients=sent_to,
    )


PLACEHOLDERS = {
    "ky_bao_cao": "Kỳ báo cáo, ví dụ “học kỳ I năm học 2023–2024”",
    "ngay_so_lieu": "Ngày tính số liệu, ví dụ “05/01/2024”",
    "tinh_hinh_chung": "Tình hình chung (mỗi phần tử một đoạn)",
    "ton_tai_han_che": "Tồn tại, hạn chế và nguyên nhân (mỗi phần tử một đoạn)",
    "phuong_huong": "Phương hướng, nhiệm vụ kỳ tới (mỗi phần tử một đoạn)",
    "de_xuat": "Đề xuất, kiến nghị (mỗi phần tử một đoạn)",
    "chi_tieu": "Bảng chỉ tiêu: {%tr for c in chi_tieu %} với c.tt, c.ten, c.don_vi_tinh, "
    "c.chi_tieu, c.thuc_hien, c.danh_gia",
    "theo_linh_vuc": "Số nhiệm vụ theo lĩnh vực: t.ten, t.tong, t.dung_han, t.qua_han_xong, "
    "t.trong_han, t.qua_han",
    "theo_don_vi": "Số nhiệm vụ theo đơn vị chủ trì (cùng các cột như theo_linh_vuc)",
    "nhiem_vu_qua_han": "Nhiệm vụ quá hạn: t.ma, t.ten, t.don_vi, t.han, t.tien_do",
    "nhan_xet_linh_vuc": "Nhận xét theo lĩnh vực: a.ten, a.noi_dung",
}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").split("\n") if line.strip()]


def _count_dicts(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [
        {"ten": row["name"], "tong": str(row["total"]), "dung_han": str(row["done_on_time"]),
         "qua_han_xong": str(row["done_late"]), "trong_han": str(row["open_in_time"]),
         "qua_han": str(row["open_overdue"])}
        for row in rows
    ]  # fmt: skip


def report_context(report: Report) -> dict[str, Any]:
    """Placeholders for a school's own report template (documented in docs/PAPERS.md)."""
    data = figures_of(report)
    areas = {str(a.pk): a.name for a in report.plan.areas.all()}
    return {
        **common_context(report_paper(report)),
        "ky_bao_cao": report.period_label,
        "ngay_so_lieu": data["cutoff"],
        "tinh_hinh_chung": _lines(report.situation),
        "ton_tai_han_che": _lines(report.shortcomings),
        "phuong_huong": _lines(report.direction),
        "de_xuat": _lines(report.proposals),
        "chi_tieu": [
            {
                "tt": str(i),
                "ten": r["name"],
                "don_vi_tinh": r["unit_of_measure"],
                "chi_tieu": r["target"],
                "thuc_hien": r["actual"],
                "danh_gia": r["state"],
            }
            for i, r in enumerate(data["targets"], start=1)
        ],
        "theo_linh_vuc": _count_dicts(data["by_area"]),
        "theo_don_vi": _count_dicts(data["by_unit"]),
        "nhiem_vu_qua_han": [
            {
                "ma": t["code"],
                "ten": t["title"],
                "don_vi": t["unit"],
                "han": t["due"],
                "tien_do": t["progress"],
            }
            for t in data["overdue"]
        ],
        "nhan_xet_linh_vuc": [
            {"ten": areas.get(key, ""), "noi_dung": text}
            for key, text in (report.area_comments or {}).items()
        ],
    }


def _loader(kind: str) -> Any:
    def load(request: HttpRequest, pk: int) -> Report:
        return get_authorised(
            request.user,
            Report.objects.select_related("plan__school__parent", "unit").filter(kind=kind),
            "reports.view_report",
            pk=pk,
        )

    return load


def _filename(report: Report) -> str:
    year = f"{report.plan.start_year}-{report.plan.start_year + 1}"
    if report.kind == ReportKind.SEMESTER:
        return f"bao-cao-so-ket-hk1-{year}"
    if report.kind == ReportKind.YEAR:
        return f"bao-cao-tong-ket-{year}"
    code = report.unit.code if report.unit and report.unit.code else f"don-vi-{report.unit_id}"
    return f"bao-cao-{code}-{report.period}-{year}"


def _latest(kind: str) -> Any:
    def latest(school: Any) -> Report | None:
        return (
            Report.objects.active()
            .filter(kind=kind, plan__school=school)
            .select_related("plan__school__parent", "unit")
            .order_by("-cutoff", "-pk")
            .first()
        )

    return latest


def headline(report: Report) -> dict[str, str]:
    """The report's headline figures (frozen once issued), for the body above the school that
    asked for it: the tasks followed, the rates of due tasks done and done on time, the targets
    by state."""
    data = figures_of(report)
    totals = data["totals"]
    states = data["target_states"]

    def rate(value: str) -> str:
        return f"{value}%" if value else ""

    return {
        "Số liệu tính đến ngày": data["cutoff"],
        "Nhiệm vụ theo dõi": str(totals["total"]),
        "Hoàn thành đúng hạn": str(totals["done_on_time"]),
        "Quá hạn chưa hoàn thành": str(totals["open_overdue"]),
        "Tỷ lệ hoàn thành (nhiệm vụ đến hạn)": rate(data["done_rate"]),
        "Tỷ lệ hoàn thành đúng hạn": rate(data["on_time_rate"]),
        "Chỉ tiêu đạt": str(states["green"]),
        "Chỉ tiêu chưa đạt": str(states["red"]),
        "Chỉ tiêu chưa có số liệu": str(states["none"]),
    }


LABELS = {
    ReportKind.SEMESTER: "Báo cáo sơ kết học kỳ I",
    ReportKind.YEAR: "Báo cáo tổng kết năm học",
    ReportKind.UNIT: "Báo cáo của đơn vị",
}


for _kind, _label in LABELS.items():
    register(
        PaperKind(
            code=f"report_{_kind}",
            label=_label,
            build=report_paper,
            context=report_context,
            load=_loader(_kind),
            filename=_filename,
            school_of=lambda report: report.plan.school,
            placeholders=PLACEHOLDERS,
            latest=_latest(_kind),
            headline=headline,
        )
    )
