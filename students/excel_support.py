"""Excel for the teacher-training support: the list of supported students comes in through the
shared import flow (dry run, every error with its row and column, all rows or none, a second
import of the same file changes nothing), matched as every students sheet is (students.excel);
the yearly report's lists go out (text always written as text, never as a formula)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from core.sheets.reading import ReadResult
from core.sheets.sheet import Column, open_sheet
from core.sheets.writing import Out, SheetWriter
from core.text import format_date
from organisations import merging
from organisations.models import Organisation
from students import support
from students.excel import CODE, MAX_ROWS, Directory, _choices, _identity, _label
from students.models_support import Funding, SupportGrant
from students.support_report import ReportData

GRANTS_SHEET = "Hưởng hỗ trợ sư phạm"
GRANT_COLUMNS = [
    CODE,
    Column("name", "Họ và tên", aliases=("Họ tên",)),
    Column("birth", "Ngày sinh"),
    Column("starts_on", "Hưởng từ ngày", required=True, aliases=("Từ ngày",)),
    Column("ends_on", "Đến ngày"),
    Column("commitment_on", "Ngày ký cam kết"),
    Column("commitment", "Cam kết", aliases=("Số cam kết",)),
    Column("funding", "Hình thức"),
    Column("sponsor", "Cơ quan giao nhiệm vụ, đặt hàng", aliases=("Cơ quan đặt hàng",)),
    Column("tuition", "Học phí (đồng/tháng)", aliases=("Tiền đóng học phí",)),
    Column("living", "Sinh hoạt phí (đồng/tháng)", aliases=("Chi phí sinh hoạt",)),
    Column("note", "Ghi chú"),
]
FIELDS = {
    "starts_on": "Hưởng từ ngày",
    "ends_on": "Đến ngày",
    "commitment_on": "Ngày ký cam kết",
    "commitment": "Cam kết",
    "funding": "Hình thức",
    "sponsor": "Cơ quan giao nhiệm vụ, đặt hàng",
    "tuition_per_month": "Học phí (đồng/tháng)",
    "living_per_month": "Sinh hoạt phí (đồng/tháng)",
    "note": "Ghi chú",
}


def _shown(value: Any) -> str:
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal(1)))
    return "" if value is None else str(value)


def read_grants(school: Organisation, data: bytes) -> ReadResult:
    """Check every row against the school's students in teacher-training programmes; writes
    nothing."""
    merging.ensure_open_school(school.pk, what=_("hồ sơ người học"))
    sheet = open_sheet(data, GRANT_COLUMNS, sheet=GRANTS_SHEET, max_rows=MAX_ROWS)
    directory = Directory(school.pk)
    existing = {g.student_id: g for g in SupportGrant.objects.active().filter(school=school)}
    ended = support.case_ends(list(existing))
    result = ReadResult(title=_("Người học hưởng hỗ trợ sư phạm"))
    seen: dict[int, int] = {}
    for row in sheet.rows():
        result.add(row.result)
        code, name, birth = _identity(row, code_suffices=True)
        starts_on = row.date("starts_on", required=True)
        ends_on = row.date("ends_on") if row.present("ends_on") else None
        commitment_on = row.date("commitment_on") if row.present("commitment_on") else None
        commitment = row.text("commitment", max_length=255)
        funding = row.choice("funding", _choices(Funding.choices)) or ""
        sponsor = row.text("sponsor", max_length=255)
        tuition = row.number("tuition", minimum=0, maximum=support.MAX_AMOUNT)
        living = row.number("living", minimum=0, maximum=support.MAX_AMOUNT)
        note = row.text("note", max_length=500)
        student, reported = directory.find(row, code, name, birth)
        if student is None and not reported and (code or (name and birth)):
            row.error(
                "code" if code else "name",
                _("Không có người học “%(who)s” trong danh sách của trường.")
                % {"who": _label(code, name, birth)},
            )
        who = f"{student.code or '—'} {student.full_name}" if student else _label(code, name, birth)
        row.result.label = f"{who}: {format_date(starts_on)}"
        if student is not None and starts_on is not None:
            for key, message in support.grant_problems(
                student, starts_on=starts_on, ends_on=ends_on, funding=funding
            ):
                row.error(("code" if code else "name") if key == "student" else key, message)
        if student is not None and student.pk in seen:
            row.error("code", _("Trùng với dòng %(row)d.") % {"row": seen[student.pk]})
        if row.result.errors or student is None or starts_on is None:
            continue
        seen[student.pk] = row.row
        values = {
            "starts_on": starts_on, "ends_on": support.kept_end(ends_on, ended.get(student.pk)),
            "commitment_on": commitment_on,
            "commitment": commitment, "funding": funding, "sponsor": sponsor,
            "tuition_per_month": None if tuition is None else tuition.quantize(Decimal(1)),
            "living_per_month": None if living is None else living.quantize(Decimal(1)),
            "note": note,
        }  # fmt: skip
        row.result.values = {"student": student, **values}
        current = existing.get(student.pk)
        if current is None:
            row.result.action = "create"
            continue
        changes = [
            (header, _shown(getattr(current, key)), _shown(values[key]))
            for key, header in FIELDS.items()
            if getattr(current, key) != values[key]
        ]
        row.result.changes = changes
        row.result.action = "update" if changes else "unchanged"
    for line in result.rows:
        if line.errors:
            line.action = ""
    if not result.rows:
        result.problems.append(_("Trang tính không có dòng dữ liệu nào."))
    return result


@transaction.atomic
def import_grants(school: Organisation, data: bytes, *, by: User) -> ReadResult:
    """Write every mark, or nothing when any row has an error."""
    result = read_grants(school, data)
    result.refuse_unless_ok()
    for line in result.rows:
        if line.action not in ("create", "update"):
            continue
        values = dict(line.values)
        student = values.pop("student")
        support.mark_supported(student, by=by, reason=_("Nhập từ Excel"), **values)
    return result


def template_workbook() -> bytes:
    workbook = SheetWriter(write_only=False)
    workbook.sheet(GRANTS_SHEET, [c.header for c in GRANT_COLUMNS], [])
    workbook.sheet("Danh mục", ["Hình thức"], [[str(label)] for _v, label in Funding.choices])
    return workbook.to_bytes()


def report_workbook(data: ReportData) -> bytes:
    """The yearly report's lists: the students supported in the year with their results, those
    on the repayment list, and the figures by programme."""
    workbook = SheetWriter()
    workbook.sheet(
        "Sinh viên được hưởng",
        ["TT", "Mã người học", "Họ và tên", Out("Ngày sinh", kind="date"), "Lớp", "Ngành",
         Out("Hưởng từ ngày", kind="date"), Out("Đến ngày", kind="date"), "Hình thức",
         Out("Số tháng trong năm học", kind="number"), Out("ĐTB tích lũy", kind="number"),
         Out("Điểm rèn luyện", kind="number"), "Tình trạng"],
        [
            [index, line.grant.student.code, line.grant.student.full_name,
             line.grant.student.birth_date, line.grant.student.cohort.code,
             line.grant.student.cohort.programme.name, line.grant.starts_on, line.grant.ends_on,
             line.grant.get_funding_display(), line.months,
             line.result.cumulative_average if line.result else None,
             line.result.conduct_score if line.result else None,
             line.grant.student.get_status_display()]
            for index, line in enumerate(data.lines, start=1)
        ],
    )  # fmt: skip
    workbook.sheet(
        "Phải bồi hoàn",
        ["TT", "Mã người học", "Họ và tên", "Lớp", "Lý do", Out("Ngày", kind="date"),
         Out("Số tháng đã hưởng", kind="number"), Out("Số tiền đã hưởng (đồng)", kind="number"),
         "Tình trạng", "Căn cứ", "Ghi chú"],
        [
            [index, case.student.code, case.student.full_name, case.student.cohort.code,
             case.get_ground_display(), case.happened_on, case.months, case.amount,
             case.get_status_display(), case.rule.source if case.rule else "", case.note]
            for index, case in enumerate(data.cases, start=1)
        ],
    )  # fmt: skip
    workbook.sheet(
        "Theo ngành",
        ["Ngành", Out("Được hưởng", kind="number"), Out("Thôi hưởng trong năm", kind="number"),
         Out("Thuộc diện bồi hoàn", kind="number")],
        [[p.programme.name, p.supported, p.stopped, p.cases] for p in data.programmes],
    )  # fmt: skip
    return workbook.to_bytes()
