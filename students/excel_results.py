"""Term results summaries from the training-management program, per student and semester, through
the shared import flow (dry run, every error by row and column, all rows or none); the warnings
of those semesters follow (students.alerts)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import stamp
from core.sheets.reading import ReadResult
from core.sheets.rows import Row
from core.sheets.sheet import Column, open_sheet
from core.sheets.writing import SheetWriter
from organisations import merging
from organisations.models import Organisation
from students import alerts
from students.excel import CODE, MAX_ROWS, Directory, _identity, _label
from students.models import TermResult

RESULTS_SHEET = "Kết quả học kỳ"
RESULT_COLUMNS = [
    CODE,
    Column("name", "Họ và tên", aliases=("Họ tên",)),
    Column("birth", "Ngày sinh"),
    Column("year", "Năm học", required=True),
    Column("semester", "Học kỳ", required=True),
    Column("term_average", "Điểm TB học kỳ", aliases=("ĐTB học kỳ", "Điểm trung bình học kỳ")),
    Column("cumulative_average", "Điểm TB tích lũy", aliases=("ĐTB tích lũy", "Điểm trung bình tích lũy")),
    Column("credits_registered", "Số TC đăng ký", aliases=("Tín chỉ đăng ký",)),
    Column("credits_failed", "Số TC không đạt", aliases=("Tín chỉ không đạt",)),
    Column("credits_outstanding", "Số TC nợ tồn đọng", aliases=("Tín chỉ nợ",)),
    Column("absences", "Số buổi nghỉ", aliases=("Nghỉ học (buổi)",)),
    Column("fees_unpaid", "Học phí còn nợ", aliases=("Nợ học phí",)),
    Column("conduct_score", "Điểm rèn luyện", aliases=("Rèn luyện",)),
]  # fmt: skip
FIELDS = [c.key for c in RESULT_COLUMNS[5:]]
_YEAR = re.compile(r"^\s*(\d{4})\s*(?:[-–/]\s*(\d{4}))?\s*$")


def _school_year(row: Row) -> int | None:
    raw = row.raw.get("year")
    text = (
        str(int(raw))
        if isinstance(raw, int | float) and not isinstance(raw, bool)
        else str(raw or "")
    )
    match = _YEAR.match(text)
    if not match or (match.group(2) and int(match.group(2)) != int(match.group(1)) + 1):
        row.error("year", _("Năm học viết 2024–2025 hoặc 2024."))
        return None
    year = int(match.group(1))
    if not 1990 <= year <= 2100:
        row.error("year", _("Năm học không hợp lệ."))
        return None
    return year


def _numbers(row: Row) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key in ("term_average", "cumulative_average"):
        number = row.number(key, minimum=0, maximum=4)
        values[key] = None if number is None else number.quantize(Decimal("0.01"))
    for key in ("credits_registered", "credits_failed", "credits_outstanding", "absences"):
        count = row.integer(key, minimum=0)
        if count is not None and count > 1000:
            row.error(key, _("Phải không quá %(n)s.") % {"n": 1000})
        values[key] = count
    fees = row.number("fees_unpaid", minimum=0)
    values["fees_unpaid"] = None if fees is None else fees.quantize(Decimal("1"))
    conduct = row.integer("conduct_score", minimum=0)
    if conduct is not None and conduct > 100:
        row.error("conduct_score", _("Điểm rèn luyện từ 0 đến 100."))
    values["conduct_score"] = conduct
    registered, failed = values["credits_registered"], values["credits_failed"]
    if registered is not None and failed is not None and failed > registered:
        row.error("credits_failed", _("Số tín chỉ không đạt nhiều hơn số tín chỉ đăng ký."))
    return values


def read_results(school: Organisation, data: bytes) -> ReadResult:
    """Check every row against the school's students; writes nothing."""
    merging.ensure_open_school(school.pk, what=_("hồ sơ người học"))
    sheet = open_sheet(data, RESULT_COLUMNS, sheet=RESULTS_SHEET, max_rows=MAX_ROWS)
    directory = Directory(school.pk)
    existing = {
        (r.student_id, r.school_year, r.semester): r
        for r in TermResult.objects.filter(school=school)
    }
    result = ReadResult(title=_("Kết quả học kỳ"))
    seen: dict[tuple[int, int, int], int] = {}
    for row in sheet.rows():
        result.add(row.result)
        code, name, birth = _identity(row, code_suffices=True)
        year = _school_year(row)
        semester = row.integer("semester", required=True, minimum=1)
        if semester is not None and semester > 3:
            row.error("semester", _("Học kỳ là 1, 2 hoặc 3 (học kỳ hè)."))
            semester = None
        values = _numbers(row)
        student, reported = directory.find(row, code, name, birth)
        if student is None and not reported and (code or (name and birth)):
            row.error(
                "code" if code else "name",
                _("Không có người học “%(who)s” trong danh sách của trường.")
                % {"who": _label(code, name, birth)},
            )
        who = f"{student.code or '—'} {student.full_name}" if student else _label(code, name, birth)
        row.result.label = f"{who}: HK{semester or '?'} {year or '?'}"
        if student is not None and year is not None and year < student.cohort.intake_year:
            row.error("year", _("Năm học trước khóa của người học."))
        if row.result.errors or student is None or year is None or semester is None:
            continue
        key = (student.pk, year, semester)
        if key in seen:
            row.error("semester", _("Trùng với dòng %(row)d.") % {"row": seen[key]})
            continue
        seen[key] = row.row
        row.result.values = {
            "student": student,
            "school_year": year,
            "semester": semester,
            **values,
        }
        current = existing.get(key)
        if current is None:
            row.result.action = "create"
        else:
            changes = [
                (
                    f,
                    str(getattr(current, f) if getattr(current, f) is not None else ""),
                    str(values[f] if values[f] is not None else ""),
                )
                for f in FIELDS
                if getattr(current, f) != values[f]
            ]
            row.result.changes = changes
            row.result.action = "update" if changes else "unchanged"
    if not result.rows:
        result.problems.append(_("Trang tính không có dòng dữ liệu nào."))
    for line in result.rows:
        if line.errors:
            line.action = ""
    return result


@transaction.atomic
def import_results(school: Organisation, data: bytes, *, by: User) -> ReadResult:
    """Write every result, or nothing when any row has an error; then the warnings."""
    result = read_results(school, data)
    result.refuse_unless_ok()
    written = []
    for line in result.rows:
        values = dict(line.values)
        student = values.pop("student")
        item = TermResult.objects.filter(
            student=student, school_year=values["school_year"], semester=values["semester"]
        ).first() or TermResult(school=school, student=student)
        if line.action in ("create", "update"):
            for key, value in values.items():
                setattr(item, key, value)
            stamp(item, by, _("Nhập từ Excel"))
            item.save()
        item.student = student
        written.append(item)
    alerts.refresh_warnings(school, written, by=by)
    return result


def template_workbook() -> bytes:
    workbook = SheetWriter(write_only=False)
    workbook.sheet(RESULTS_SHEET, [c.header for c in RESULT_COLUMNS], [])
    return workbook.to_bytes()
