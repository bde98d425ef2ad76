"""Excel in and out for training: a course's participants come in through the shared import
flow (core.sheets: dry run, errors by row and column, all rows or none, a second import of the
same file changes nothing); every list goes out.

A participant is found on the course by their code, else by name (diacritics, case and spaces
ignored) and date of birth.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from core.sheets.reading import ReadResult
from core.sheets.sheet import Column, open_sheet
from core.sheets.writing import Out, SheetWriter
from core.text import format_date, school_year_label
from students import feeds
from training import services
from training.figures import YearFigures, participants_of
from training.models import (
    FINISHED,
    Course,
    CourseKind,
    Dossier,
    DossierStep,
    Participant,
    Partner,
    name_key,
)

MAX_ROWS = 5_000
PARTICIPANTS_SHEET = "Danh sách học viên"
PARTICIPANT_COLUMNS = [
    Column("code", "Mã học viên", aliases=("Mã", "Mã HV")),
    Column("name", "Họ và tên", required=True, aliases=("Họ tên",)),
    Column("birth", "Ngày sinh"),
    Column("workplace", "Đơn vị công tác", aliases=("Nơi công tác", "Đơn vị")),
    Column("certificate_no", "Số chứng chỉ", aliases=("Số hiệu chứng chỉ",)),
    Column("certificate_on", "Ngày cấp chứng chỉ", aliases=("Ngày cấp",)),
]
FIELDS = [
    ("code", "Mã học viên"),
    ("full_name", "Họ và tên"),
    ("birth_date", "Ngày sinh"),
    ("workplace", "Đơn vị công tác"),
    ("certificate_no", "Số chứng chỉ"),
    ("certificate_on", "Ngày cấp chứng chỉ"),
]


def _shown(value: Any) -> str:
    if isinstance(value, dt.date):
        return format_date(value)
    return str(value or "")


def read_participants(course: Course, data: bytes) -> ReadResult:
    """Check every row of the file against the course's list; writes nothing."""
    services.ensure_open_school(course.school_id)
    sheet = open_sheet(data, PARTICIPANT_COLUMNS, sheet=PARTICIPANTS_SHEET, max_rows=MAX_ROWS)
    existing = list(Participant.objects.active().filter(course=course))
    by_code = {p.code.casefold(): p for p in existing if p.code}
    by_name = {(p.name_key, p.birth_date): p for p in existing}
    result = ReadResult(title=_("Danh sách học viên của khóa"))
    seen: dict[Any, int] = {}
    for row in sheet.rows():
        result.add(row.result)
        code = row.text("code", max_length=30) if sheet.has("code") else ""
        full_name = row.text("name", required=True, max_length=150)
        birth = row.date("birth") if sheet.has("birth") else None
        workplace = row.text("workplace", max_length=255) if sheet.has("workplace") else ""
        number = row.text("certificate_no", max_length=50) if sheet.has("certificate_no") else ""
        issued = row.date("certificate_on") if sheet.has("certificate_on") else None
        row.result.label = full_name or code
        if issued is not None and not number:
            row.error("certificate_no", _("Có ngày cấp thì cần số chứng chỉ."))
        if issued is not None and issued < course.starts_on:
            row.error("certificate_on", _("Ngày cấp trước ngày khai giảng của khóa."))
        if birth is not None and not dt.date(1900, 1, 1) <= birth <= course.starts_on:
            row.error("birth", _("Ngày sinh không hợp lý."))
        key: Any = ("code", code.casefold()) if code else ("name", name_key(full_name), birth)
        if full_name and key in seen:
            row.error(
                "code" if code else "name",
                _("Trùng với dòng %(row)d: mỗi người một dòng.") % {"row": seen[key]},
            )
        if row.result.errors or not full_name:
            continue
        seen[key] = row.row
        found = by_code.get(code.casefold()) if code else by_name.get((name_key(full_name), birth))
        values = {
            "code": code,
            "full_name": full_name,
            "birth_date": birth,
            "workplace": workplace,
            "certificate_no": number,
            "certificate_on": issued,
        }
        if found is not None and not code:
            # Found by the name: its spelling on the list stays (the file may lack diacritics).
            values["full_name"] = found.full_name
        row.result.values = {**values, "participant": found}
        if found is None:
            row.result.action = "create"
            continue
        changes = [
            (header, _shown(getattr(found, name)), _shown(values[name]))
            for name, header in FIELDS
            if getattr(found, name) != values[name]
        ]
        row.result.changes = changes
        row.result.action = "update" if changes else "unchanged"
    if not result.rows:
        result.problems.append(_("Trang tính không có dòng dữ liệu nào."))
    return result


@transaction.atomic
def import_participants(course: Course, data: bytes, *, by: User) -> ReadResult:
    result = read_participants(course, data)
    result.refuse_unless_ok()
    with feeds.batch(by=by):  # the fed targets once, after every row
        for line in result.rows:
            if line.action not in ("create", "update"):
                continue
            values = dict(line.values)
            participant = values.pop("participant") or Participant(course=course)
            for name, value in values.items():
                setattr(participant, name, value)
            services.save_participant(participant, by=by)
    return result


def template_workbook() -> bytes:
    book = SheetWriter(write_only=False)
    book.sheet(PARTICIPANTS_SHEET, [c.header for c in PARTICIPANT_COLUMNS], [])
    return book.to_bytes()


# Lists out ---------------------------------------------------------------------------------


def participants_workbook(course: Course, people: Iterable[Participant]) -> bytes:
    book = SheetWriter()
    book.sheet(
        PARTICIPANTS_SHEET,
        [
            Out("Mã học viên", 14), Out("Họ và tên", 28), Out("Ngày sinh", kind="date"),
            Out("Đơn vị công tác", 36), Out("Số chứng chỉ", 18),
            Out("Ngày cấp chứng chỉ", kind="date"),
        ],
        [
            [p.code, p.full_name, p.birth_date, p.workplace, p.certificate_no, p.certificate_on]
            for p in people
        ],
    )  # fmt: skip
    return book.to_bytes()


def dossiers_workbook(rows: Iterable[tuple[Dossier, list[DossierStep]]]) -> bytes:
    book = SheetWriter()
    book.sheet(
        "Hồ sơ mở ngành",
        [
            Out("Mã ngành/nghề", 14), Out("Tên ngành/nghề", 32), "Trình độ", "Hình thức",
            Out("Khoa chủ trì", 24), Out("Ngày bắt đầu", kind="date"), Out("Số bước", kind="number"),
            Out("Đã xong", kind="number"), Out("Bước đang làm", 40), Out("Hạn bước đang làm", kind="date"),
            "Tình trạng", Out("Quyết định mở ngành", 22),
        ],
        [_dossier_row(dossier, steps) for dossier, steps in rows],
    )  # fmt: skip
    return book.to_bytes()


def _dossier_row(dossier: Dossier, steps: list[DossierStep]) -> list[Any]:
    done = [s for s in steps if s.status in FINISHED]
    current = next((s for s in steps if s.status not in FINISHED), None)
    return [
        dossier.code, dossier.name, dossier.get_level_display(), dossier.get_mode_display(),
        str(dossier.faculty or ""), dossier.started_on, len(steps), len(done),
        str(current) if current else "", current.due_on if current else None,
        dossier.get_status_display(), dossier.decision.symbol if dossier.decision else "",
    ]  # fmt: skip


def steps_workbook(dossier: Dossier, steps: Iterable[DossierStep]) -> bytes:
    book = SheetWriter()
    book.sheet(
        "Các bước",
        [
            Out("TT", 5, kind="number"), Out("Bước", 48), Out("Đơn vị thực hiện", 30),
            Out("Đơn vị chủ trì", 24), Out("Hạn", kind="date"), "Tình trạng",
            Out("Ngày hoàn thành", kind="date"), Out("Văn bản", 48),
        ],
        [
            [
                s.order, s.title, s.responsible, str(s.unit or ""), s.due_on,
                s.get_status_display(), s.done_on,
                "; ".join(link.document.symbol for link in s.documents.all()),
            ]
            for s in steps
        ],
    )  # fmt: skip
    return book.to_bytes()


def courses_workbook(courses: Iterable[Course]) -> bytes:
    book = SheetWriter()
    book.sheet(
        "Liên kết, bồi dưỡng",
        [
            "Loại", Out("Tên khóa, lớp", 40), Out("Đơn vị đối tác", 32), Out("Năm học", 11),
            Out("Khai giảng", kind="date"), Out("Kết thúc", kind="date"),
            Out("Văn bản liên kết", 22), Out("Số người học", kind="number"),
            Out("Số chứng chỉ đã cấp", kind="number"), "Tình trạng",
        ],
        [
            [
                c.get_kind_display(), c.title, c.partner.name, school_year_label(c.school_year),
                c.starts_on, c.ends_on, c.agreement.symbol if c.agreement else "",
                participants_of(c), getattr(c, "issued", 0), c.get_status_display(),
            ]
            for c in courses
        ],
    )  # fmt: skip
    return book.to_bytes()


def partners_workbook(partners: Iterable[Partner]) -> bytes:
    book = SheetWriter()
    book.sheet(
        "Đơn vị đối tác",
        [Out("Tên đơn vị", 40), Out("Loại", 30), Out("Địa chỉ", 36), Out("Liên hệ", 30),
         Out("Số khóa", kind="number")],
        [[p.name, p.get_kind_display(), p.address, p.contact, getattr(p, "course_count", 0)]
         for p in partners],
    )  # fmt: skip
    return book.to_bytes()


def figures_workbook(years: Iterable[YearFigures]) -> bytes:
    kinds = [str(label) for _value, label in CourseKind.choices]
    headers: list[str | Out] = [Out("Năm học", 11)]
    for what in ("Số khóa", "Số người học", "Số chứng chỉ"):
        headers += [Out(f"{what}: {kind}", kind="number") for kind in kinds]
        headers.append(Out(f"{what}: tổng", kind="number"))
    book = SheetWriter()
    book.sheet(
        "Số liệu theo năm học",
        headers,
        [[school_year_label(y.year), *y.row()] for y in years],
    )
    return book.to_bytes()
