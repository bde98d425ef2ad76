"""The yearly report to the province on the teacher-training support (NĐ 116/2020/NĐ-CP as amended
by NĐ 60/2025/NĐ-CP) as a paper in the official layout (NĐ 30/2020/NĐ-CP): the kind
`students_support_report`, registered when the papers app imports this module. It names students:
only those who see every student's name download it, and each download is logged."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest

from core.permissions import get_authorised
from core.text import format_date, format_number
from organisations.models import Organisation, Position, Role
from papers.layout import ROMAN, Block, Heading, Paper, Para, Table, recipients
from papers.placeholders import common_context
from papers.registry import PaperKind, register
from students.models_support import SupportReport
from students.services import log_personal_view
from students.support_report import ReportData, report_data

SUPPORT_REPORT_KIND = "students_support_report"
TITLE = "Kết quả thực hiện chính sách hỗ trợ tiền đóng học phí, chi phí sinh hoạt đối với sinh viên sư phạm"  # fmt: skip
LIST_HEADER = ["TT", "Họ và tên", "Mã SV", "Lớp", "Hưởng từ", "Số tháng", "ĐTB tích lũy", "Rèn luyện", "Tình trạng"]  # fmt: skip
CASE_HEADER = ["TT", "Họ và tên", "Mã SV", "Lớp", "Lý do", "Ngày", "Số tháng", "Số tiền (đồng)", "Tình trạng"]  # fmt: skip


def _signer(school: Organisation, day: dt.date) -> tuple[str, str, str]:
    """The principal signs (a vice-principal "KT. HIỆU TRƯỞNG" when nobody holds that title)."""
    positions = list(
        Position.objects.current(day)
        .filter(organisation_id=school.pk, role=Role.LEADERSHIP)
        .select_related("person")
        .order_by("order", "pk")
    )
    chosen = next((p for p in positions if p.title.lower() == "hiệu trưởng"), None)
    chosen = chosen or next(iter(positions), None)
    if chosen is None:
        return "", "HIỆU TRƯỞNG", ""
    mark = "KT. HIỆU TRƯỞNG" if chosen.title.lower().startswith("phó") else ""
    return mark, chosen.title, chosen.person.full_name


def _amount(value: Any) -> str:
    return format_number(value) if value is not None else ""


def list_rows(data: ReportData) -> list[list[str]]:
    rows = []
    for index, line in enumerate(data.lines, start=1):
        student, result = line.grant.student, line.result
        rows.append(
            [
                str(index), student.full_name, student.code, student.cohort.code,
                format_date(line.grant.starts_on), str(line.months),
                format_number(result.cumulative_average)
                if result and result.cumulative_average is not None else "",
                str(result.conduct_score) if result and result.conduct_score is not None else "",
                student.get_status_display(),
            ]
        )  # fmt: skip
    return rows


def case_rows(data: ReportData) -> list[list[str]]:
    return [
        [
            str(index), case.student.full_name, case.student.code, case.student.cohort.code,
            case.get_ground_display(), format_date(case.happened_on),
            "" if case.months is None else str(case.months), _amount(case.amount),
            case.get_status_display(),
        ]
        for index, case in enumerate(data.cases, start=1)
    ]  # fmt: skip


def programme_rows(data: ReportData) -> list[list[str]]:
    rows = [
        [str(index), line.programme.name, str(line.supported), str(line.stopped), str(line.cases)]
        for index, line in enumerate(data.programmes, start=1)
    ]
    rows.append(
        [
            "", "Cộng", str(sum(p.supported for p in data.programmes)),
            str(sum(p.stopped for p in data.programmes)),
            str(sum(p.cases for p in data.programmes)),
        ]
    )  # fmt: skip
    return rows


def support_paper(report: SupportReport) -> Paper:
    data = report_data(report)
    school = report.school
    parent = school.parent
    abbreviation = school.abbreviation or "…"
    blocks: list[Block] = []
    if report.recipient:
        blocks.append(Heading(f"Kính gửi: {report.recipient}", center=True))
    for rule in data.rules:
        blocks.append(Para(f"Căn cứ {rule.source};", italic=True))
    blocks.append(
        Para(
            f"{school.name} báo cáo kết quả thực hiện chính sách hỗ trợ tiền đóng học phí, chi "
            f"phí sinh hoạt đối với sinh viên sư phạm năm học {data.year_label} (số liệu đến "
            f"ngày {format_date(min(report.dated, data.ends_on))}) như sau:"
        )
    )
    blocks.append(Heading(f"{ROMAN[0]}. TÌNH HÌNH CHUNG"))
    blocks.append(
        Table(
            [
                "TT",
                "Ngành đào tạo",
                "Số sinh viên được hưởng",
                "Thôi hưởng trong năm",
                "Thuộc diện bồi hoàn",
            ],
            programme_rows(data),
            [10, 65, 30, 30, 30],
            centred=[0, 2, 3, 4],
            bold_last=True,
        )
    )
    blocks.append(
        Heading(
            f"{ROMAN[1]}. DANH SÁCH SINH VIÊN ĐƯỢC HƯỞNG CHÍNH SÁCH VÀ KẾT QUẢ HỌC TẬP, RÈN LUYỆN"
        )
    )
    rows = list_rows(data)
    if rows:
        blocks.append(
            Table(
                LIST_HEADER,
                rows,
                [9, 36, 20, 22, 20, 14, 16, 14, 14],
                centred=[0, 4, 5, 6, 7],
                keep_rows=True,
            )
        )
    else:
        blocks.append(Para("Trong năm học không có sinh viên được hưởng chính sách."))
    blocks.append(Heading(f"{ROMAN[2]}. DANH SÁCH SINH VIÊN THUỘC DIỆN PHẢI BỒI HOÀN KINH PHÍ"))
    cases = case_rows(data)
    if cases:
        blocks.append(
            Table(
                CASE_HEADER,
                cases,
                [8, 32, 18, 18, 26, 19, 12, 18, 14],
                centred=[0, 5, 6],
                keep_rows=True,
            )
        )
        total = data.total_amount
        if total is not None:
            blocks.append(
                Para(
                    f"Tổng số tiền đã hưởng của các trường hợp đã xác định: {_amount(total)} đồng."
                )
            )
    else:
        blocks.append(Para("Trong năm học không có sinh viên thuộc diện phải bồi hoàn."))
    blocks.append(Heading(f"{ROMAN[3]}. ĐỀ XUẤT, KIẾN NGHỊ"))
    if cases and report.recipient:
        blocks.append(
            Para(
                f"Đề nghị {report.recipient} thông báo thu hồi kinh phí đã hỗ trợ đối với các "
                f"sinh viên tại mục {ROMAN[2]} theo quy định."
            )
        )
    else:
        blocks.append(Para("…"))
    blocks.append(Para(f"Trên đây là báo cáo của {school.name}./."))
    mark, title, name = _signer(school, report.dated)
    return Paper(
        parent_body=(parent.short_name or parent.name) if parent else "",
        issuing_body=school.name,
        number_line=f"Số:        /BC-{abbreviation}",
        place=school.place or "",
        date=report.dated,
        type_name="Báo cáo",
        summary=f"{TITLE} năm học {data.year_label}",
        blocks=blocks,
        signing_mark=mark,
        signer_title=title,
        signer_name=name,
        recipients=recipients(["Như trên", "Ban Giám hiệu"], kept=f"VT, {abbreviation}"),
    )


LIST_KEYS = ["stt", "ho_ten", "ma", "lop", "tu_ngay", "so_thang", "diem_tich_luy", "ren_luyen", "tinh_trang"]  # fmt: skip
CASE_KEYS = ["stt", "ho_ten", "ma", "lop", "ly_do", "ngay", "so_thang", "so_tien", "tinh_trang"]


def support_context(report: SupportReport) -> dict[str, Any]:
    """Placeholders for a school's own template of the report (docs/PAPERS.md)."""
    paper = support_paper(report)
    data = report_data(report)
    return {
        **common_context(paper),
        "nam_hoc": data.year_label,
        "kinh_gui": report.recipient,
        "sinh_vien": [dict(zip(LIST_KEYS, row, strict=True)) for row in list_rows(data)],
        "boi_hoan": [dict(zip(CASE_KEYS, row, strict=True)) for row in case_rows(data)],
    }


PLACEHOLDERS = {
    "nam_hoc": "Năm học, ví dụ “2024–2025”",
    "kinh_gui": "Nơi nhận báo cáo, ví dụ “Ủy ban nhân dân tỉnh Lạng Sơn”",
    "sinh_vien": "Danh sách sinh viên được hưởng; mỗi dòng có stt, ho_ten, ma, lop, tu_ngay, "
    "so_thang, diem_tich_luy, ren_luyen, tinh_trang",
    "boi_hoan": "Danh sách phải bồi hoàn; mỗi dòng có stt, ho_ten, ma, lop, ly_do, ngay, "
    "so_thang, so_tien, tinh_trang",
}


def load_report(request: HttpRequest, pk: int) -> SupportReport:
    """The report of the request's school (another school's: 404), for those who see every
    student's name (other members: 403); the download is logged as a view of personal data."""
    report = get_authorised(
        request.user,
        SupportReport.objects.select_related("school__parent"),
        "students.view_figures",
        "students.view_all_names",
        pk=pk,
    )
    log_personal_view(
        request.user,  # type: ignore[arg-type]
        report.school_id,
        what="Tải báo cáo hỗ trợ sinh viên sư phạm",
        rows=max(1, len(report_data(report).lines)),
    )
    return report


register(
    PaperKind(
        code=SUPPORT_REPORT_KIND,
        label="Báo cáo hỗ trợ sinh viên sư phạm (NĐ 116/2020)",
        build=support_paper,
        context=support_context,
        load=load_report,
        filename=lambda report: (
            f"bao-cao-ho-tro-su-pham-{report.school_year}-{report.school_year + 1}"
        ),
        school_of=lambda report: report.school,
        placeholders=PLACEHOLDERS,
        latest=lambda school: SupportReport.objects.filter(school=school).first(),
    )
)
