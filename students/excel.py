"""Excel in and out for students: the student list and the changes of status come in from the
training-management program's exports through the shared import flow (core.sheets: dry run,
every error with its row and column, all rows or none, a second import of the same file changes
nothing); every list goes out.

A row names its student by code; without a code, by name and date of birth compared without
diacritics, case or spacing. Two students answering the same name and date is an ambiguity the
row reports (it asks for the code) instead of guessing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import stamp
from core.sheets.reading import ReadResult, value_key
from core.sheets.rows import Lookup, Row, check_unique
from core.sheets.sheet import Column, open_sheet
from core.sheets.writing import Out, SheetWriter
from core.text import format_date
from organisations import merging
from organisations.models import Organisation
from students import feeds, figures, services, support
from students.models import (
    ChangeKind,
    Cohort,
    Gender,
    Programme,
    Reason,
    StatusChange,
    Student,
    name_key,
)

MAX_ROWS = 40_000  # a university's whole list (30 000 students) in one file
STUDENTS_SHEET = "Người học"
CHANGES_SHEET = "Thay đổi tình trạng"

CODE = Column("code", "Mã người học", aliases=("Mã sinh viên", "Mã SV", "Mã HSSV", "Mã học sinh"))
NAME = Column("name", "Họ và tên", required=True, aliases=("Họ tên",))
BIRTH = Column("birth", "Ngày sinh", required=True)
STUDENT_COLUMNS = [
    CODE,
    NAME,
    BIRTH,
    Column("cohort", "Lớp", required=True, aliases=("Mã lớp",)),
    Column("entered", "Ngày nhập học"),
    Column("address", "Địa chỉ"),
    Column("phone", "Điện thoại", aliases=("Số điện thoại",)),
    Column("gender", "Giới tính", aliases=("Phái", "Nam/Nữ")),
]
CHANGE_COLUMNS = [
    CODE,
    Column("name", "Họ và tên", aliases=("Họ tên",)),
    Column("birth", "Ngày sinh"),
    Column("kind", "Loại thay đổi", required=True),
    Column("date", "Ngày", required=True, aliases=("Ngày thay đổi", "Ngày quyết định")),
    Column("reason", "Lý do", required=True),
    Column("note", "Ghi chú"),
    Column("new_programme", "Ngành chuyển đến", aliases=("Mã ngành chuyển đến",)),
]


class Directory:
    """The school's students, found by code or by name and date of birth."""

    def __init__(self, school_id: int) -> None:
        self.students = list(
            Student.objects.active().filter(school_id=school_id).select_related("cohort")
        )
        self.by_code = {value_key(s.code): s for s in self.students if s.code}
        self.by_name: dict[tuple[str, dt.date], list[Student]] = defaultdict(list)
        for student in self.students:
            self.by_name[(student.name_key, student.birth_date)].append(student)

    def find(
        self, row: Row, code: str, name: str, birth: dt.date | None
    ) -> tuple[Student | None, bool]:
        """(the student or None, whether the row's error was already given)."""
        if code and value_key(code) in self.by_code:
            return self.by_code[value_key(code)], False
        if not name or birth is None:
            return None, False
        same = self.by_name.get((name_key(name), birth), [])
        if code:
            # A new code for a student listed so far without one.
            same = [s for s in same if not s.code]
        if len(same) > 1:
            row.error(
                "name",
                _("Có %(n)d người học cùng họ tên và ngày sinh (%(codes)s): hãy ghi mã người học.")
                % {"n": len(same), "codes": ", ".join(s.code or s.cohort.code for s in same)},
            )
            return None, True
        return (same[0] if same else None), False


def _identity(row: Row, *, code_suffices: bool = False) -> tuple[str, str, dt.date | None]:
    """The row's code, name and date of birth (name and date may be left out when the code
    suffices to find the student)."""
    code = row.text("code", max_length=30) if row.sheet.has("code") else ""
    required = not (code_suffices and code)
    name = (
        row.text("name", required=required, max_length=150)
        if row.sheet.has("name") or required
        else ""
    )
    birth = row.date("birth", required=required) if row.sheet.has("birth") or required else None
    if birth is not None and not dt.date(1900, 1, 1) <= birth <= dt.date(2100, 1, 1):
        row.error("birth", _("Ngày sinh không hợp lệ."))
        birth = None
    return code, name, birth


# The changes a sheet may record: a merger's own change (students.handover) is never typed.
RECORDED_CHANGES = [(v, label) for v, label in ChangeKind.choices if v != ChangeKind.MERGED]


def _choices(choices: Sequence[tuple[str, Any]]) -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in choices]


def _label(code: str, name: str, birth: dt.date | None) -> str:
    return f"{code or '—'} · {name} · {format_date(birth)}"


# The student list ----------------------------------------------------------------------------


def read_students(school: Organisation, data: bytes) -> ReadResult:
    """Check every row of the student list against the school; writes nothing."""
    merging.ensure_open_school(school.pk, what=_("hồ sơ người học"))
    sheet = open_sheet(data, STUDENT_COLUMNS, sheet=STUDENTS_SHEET, max_rows=MAX_ROWS)
    directory = Directory(school.pk)
    cohorts = Lookup(Cohort.objects.active().filter(school=school), ["code"], _("lớp"))
    result = ReadResult(title=_("Danh sách người học"))
    codes: list[tuple[Row, str]] = []
    seen_names: dict[tuple[str, dt.date], int] = {}
    matched: dict[int, int] = {}
    for row in sheet.rows():
        result.add(row.result)
        code, name, birth = _identity(row)
        row.result.label = _label(code, name, birth)
        codes.append((row, code))
        cohort = row.lookup("cohort", cohorts, required=True)
        entered = row.date("entered") if row.present("entered") else None
        address = row.text("address", max_length=255)
        phone = row.text("phone", max_length=30)
        gender = row.choice("gender", _choices(Gender.choices)) if row.sheet.has("gender") else None
        if not code and name and birth is not None:
            key = (name_key(name), birth)
            if key in seen_names:
                row.error(
                    "name",
                    _("Trùng họ tên và ngày sinh với dòng %(row)d: hãy ghi mã người học.")
                    % {"row": seen_names[key]},
                )
            seen_names.setdefault(key, row.row)
        student, _reported = directory.find(row, code, name, birth)
        if student is not None:
            if student.pk in matched:
                row.error(
                    "name",
                    _("Dòng %(row)d đã là người học này.") % {"row": matched[student.pk]},
                )
            matched.setdefault(student.pk, row.row)
        if row.result.errors or birth is None or cohort is None:
            continue
        values = {
            "code": code or (student.code if student else ""),
            "full_name": name,
            "birth_date": birth,
            "cohort": cohort,
            "entered_on": entered or (student.entered_on if student else cohort.starts_on),
            "address": address,
            "phone": phone,
            # A list without the column leaves what is known alone.
            "gender": gender or ""
            if row.sheet.has("gender")
            else (student.gender if student else ""),
        }
        row.result.values = {**values, "student": student}
        if student is None:
            row.result.action = "create"
            continue
        changes = _student_changes(student, values)
        row.result.changes = changes
        row.result.action = "update" if changes else "unchanged"
    check_unique(((r, c) for r, c in codes if c), "code")
    for row, _code in codes:
        if row.result.errors:
            row.result.action = ""
    if not result.rows:
        result.problems.append(_("Trang tính không có dòng dữ liệu nào."))
    return result


HEADERS = {
    "code": "Mã người học",
    "full_name": "Họ và tên",
    "birth_date": "Ngày sinh",
    "cohort": "Lớp",
    "entered_on": "Ngày nhập học",
    "address": "Địa chỉ",
    "phone": "Điện thoại",
    "gender": "Giới tính",
}


def _shown(value: Any) -> str:
    if isinstance(value, dt.date):
        return format_date(value)
    if value in Gender.values:
        return str(Gender(value).label)
    return str(value or "")


def _student_changes(student: Student, values: dict[str, Any]) -> list[tuple[str, str, str]]:
    changes = []
    for key, header in HEADERS.items():
        old = student.cohort if key == "cohort" else getattr(student, key)
        new = values[key]
        if key == "cohort":
            if student.cohort_id != new.pk:
                changes.append((header, str(old), str(new)))
        elif (old or "") != (new or ""):
            changes.append((header, _shown(old), _shown(new)))
    return changes


@transaction.atomic
def import_students(school: Organisation, data: bytes, *, by: User) -> ReadResult:
    """Write every row of the student list, or nothing when any row has an error."""
    result = read_students(school, data)
    result.refuse_unless_ok()
    students = []
    for line in result.rows:
        if line.action not in ("create", "update"):
            continue
        values = dict(line.values)
        student = values.pop("student") or Student(school=school)
        for key, value in values.items():
            setattr(student, key, value)
        students.append(student)
    # One bulk write with the history of each row: 30 000 rows in seconds, not minutes.
    services.save_students(school, students, by=by, reason=_("Nhập từ Excel"))
    return result


# The changes of status -----------------------------------------------------------------------


def read_changes(school: Organisation, data: bytes) -> ReadResult:
    """Check every change of status against the school's students; writes nothing."""
    merging.ensure_open_school(school.pk, what=_("hồ sơ người học"))
    sheet = open_sheet(data, CHANGE_COLUMNS, sheet=CHANGES_SHEET, max_rows=MAX_ROWS)
    directory = Directory(school.pk)
    existing: dict[tuple[int, str, dt.date], StatusChange] = {}
    history: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    for change in StatusChange.objects.filter(
        student__school=school, student__archived_at__isnull=True
    ):
        existing[(change.student_id, change.kind, change.happened_on)] = change
        history[change.student_id].append((change.happened_on, change.kind))
    programmes = Lookup(
        Programme.objects.active().filter(school=school), ["code", "name"], _("ngành/nghề")
    )
    result = ReadResult(title=_("Thay đổi tình trạng người học"))
    seen: dict[tuple[int, str, dt.date], int] = {}
    by_student: dict[int, list[Row]] = defaultdict(list)
    students: dict[int, Student] = {}
    for row in sheet.rows():
        result.add(row.result)
        code, name, birth = _identity(row, code_suffices=True)
        kind = row.choice("kind", _choices(RECORDED_CHANGES), required=True)
        day = row.date("date", required=True)
        reason = row.choice("reason", _choices(Reason.choices), required=True)
        note = row.text("note", max_length=500)
        new_programme = (
            row.lookup("new_programme", programmes) if row.present("new_programme") else None
        )
        if new_programme is not None and kind != ChangeKind.CHANGED_PROGRAMME:
            row.error("new_programme", _("Chỉ ghi ngành chuyển đến khi chuyển ngành."))
        student, reported = directory.find(row, code, name, birth)
        if student is None and not reported and (code or (name and birth)):
            row.error(
                "code" if code else "name",
                _("Không có người học “%(who)s” trong danh sách của trường.")
                % {"who": _label(code, name, birth)},
            )
        who = f"{student.code or '—'} {student.full_name}" if student else _label(code, name, birth)
        row.result.label = f"{who}: {ChangeKind(kind).label if kind else '?'} {format_date(day)}"
        if row.result.errors or student is None or kind is None or day is None or reason is None:
            continue
        key = (student.pk, kind, day)
        if key in seen:
            row.error("kind", _("Trùng với dòng %(row)d.") % {"row": seen[key]})
            continue
        seen[key] = row.row
        students[student.pk] = student
        by_student[student.pk].append(row)
        row.result.values = {
            "student": student,
            "kind": kind,
            "happened_on": day,
            "reason": reason,
            "note": note,
            "new_programme": new_programme,
        }
        current = existing.get(key)
        if current is None:
            row.result.action = "create"
        else:
            changes = []
            if current.reason != reason:
                changes.append(("Lý do", current.get_reason_display(), str(Reason(reason).label)))
            if current.note != note:
                changes.append(("Ghi chú", current.note, note))
            if current.new_programme_id != (new_programme.pk if new_programme else None):
                changes.append(
                    ("Ngành chuyển đến", str(current.new_programme or ""), str(new_programme or ""))
                )
            row.result.changes = changes
            row.result.action = "update" if changes else "unchanged"
    for student_id, rows in by_student.items():
        student = students[student_id]
        new = [
            (r.result.values["happened_on"], r.result.values["kind"])
            for r in rows
            if r.result.action == "create"
        ]
        try:
            status = services.check_sequence(student.entered_on, [*history[student_id], *new])
        except services.StudentsError as error:
            rows[0].error("kind", str(error))
            for r in rows:
                r.result.action = ""
            continue
        for r in rows:
            r.result.values["status"] = status
    if not result.rows:
        result.problems.append(_("Trang tính không có dòng dữ liệu nào."))
    return result


@transaction.atomic
def import_changes(school: Organisation, data: bytes, *, by: User) -> ReadResult:
    """Write every change of status, or nothing when any row has an error."""
    result = read_changes(school, data)
    result.refuse_unless_ok()
    statuses: dict[int, tuple[Student, str]] = {}
    written: list[StatusChange] = []
    for line in result.rows:
        values = line.values
        student = values["student"]
        statuses[student.pk] = (student, values["status"])
        if line.action not in ("create", "update"):
            continue
        change = StatusChange.objects.filter(
            student=student, kind=values["kind"], happened_on=values["happened_on"]
        ).first() or StatusChange(
            student=student, kind=values["kind"], happened_on=values["happened_on"]
        )
        change.reason, change.note = values["reason"], values["note"]
        change.new_programme = values["new_programme"]
        stamp(change, by, _("Nhập từ Excel"))
        change.save()
        written.append(change)
    for student, status in statuses.values():
        if student.status != status:
            student.status = status
            stamp(student, by, _("Nhập từ Excel"))
            student.save(update_fields=["status"])
    # A supported student's change that the support's rules name: onto the repayment list.
    for change in written:
        support.on_status_change(change, by=by)
    feeds.refresh(school.pk, by=by)
    return result


# Export --------------------------------------------------------------------------------------


def template_workbook(kind: str) -> bytes:
    """An empty sheet with the expected headers (kind: "students" or "changes")."""
    workbook = SheetWriter(write_only=False)
    if kind == "students":
        workbook.sheet(STUDENTS_SHEET, [c.header for c in STUDENT_COLUMNS], [])
    else:
        workbook.sheet(CHANGES_SHEET, [c.header for c in CHANGE_COLUMNS], [])
        workbook.sheet(
            "Danh mục",
            ["Loại thay đổi", "Lý do"],
            [
                [kind_label, reason_label]
                for kind_label, reason_label in _zip_longest(
                    [str(label) for _v, label in RECORDED_CHANGES],
                    [str(label) for _v, label in Reason.choices],
                )
            ],
        )
    return workbook.to_bytes()


def _zip_longest(a: Sequence[str], b: Sequence[str]) -> list[tuple[str, str]]:
    size = max(len(a), len(b))
    return [(a[i] if i < len(a) else "", b[i] if i < len(b) else "") for i in range(size)]


def programmes_workbook(school_id: int) -> bytes:
    programmes = list(
        Programme.objects.active().filter(school_id=school_id).select_related("faculty")
    )
    workbook = SheetWriter()
    workbook.sheet(
        "Ngành nghề",
        ["Mã", "Tên ngành/nghề", "Trình độ", "Hình thức", "Khoa quản lý"],
        [
            [p.code, p.name, p.get_level_display(), p.get_mode_display(), str(p.faculty or "")]
            for p in programmes
        ],
    )
    return workbook.to_bytes()


def enrolment_workbook(table: figures.EnrolmentTable) -> bytes:
    rows = []
    for entry in table.rows:
        for year, line in sorted(entry.years.items()):
            rows.append(
                [
                    entry.programme.code, entry.programme.name, entry.programme.get_level_display(),
                    entry.programme.get_mode_display(), year, line.intake.quota, line.applications,
                    line.admitted, line.enrolled, line.filled, line.counted_on,
                ]
            )  # fmt: skip
    averages = [
        [
            e.programme.code, e.programme.name,
            ", ".join(str(y) for y in e.averaged_years), e.average, "x" if e.below else "",
        ]
        for e in table.rows
    ]  # fmt: skip
    benchmark = table.benchmark
    workbook = SheetWriter()
    workbook.sheet(
        "Tuyển sinh",
        ["Mã", "Ngành/nghề", "Trình độ", "Hình thức", "Năm", "Chỉ tiêu", "Hồ sơ", "Trúng tuyển",
         "Nhập học", Out("Tỷ lệ so với chỉ tiêu (%)", kind="number"), Out("Ngày thống kê", kind="date")],
        rows,
    )  # fmt: skip
    workbook.sheet(
        "Trung bình 3 năm",
        ["Mã", "Ngành/nghề", "Các năm tính", "Tỷ lệ trung bình (%)", "Dưới ngưỡng"],
        [
            *averages,
            ["", "Toàn trường", ", ".join(str(y) for y in table.averaged_years), table.average,
             "x" if table.below else ""],
            [],
            ["", "Ngưỡng tham chiếu", "", benchmark.minimum if benchmark else None,
             benchmark.source if benchmark else ""],
        ],
    )  # fmt: skip
    return workbook.to_bytes()


def retention_workbook(terms: list[int], lines: list[figures.CohortLine]) -> bytes:
    header: list[str | Out] = ["Lớp", "Ngành/nghề", "Khóa", "Nhập học"]
    for term in terms:
        header += [f"{figures.term_label(term)}: sĩ số", f"{figures.term_label(term)}: duy trì (%)"]
    header += ["Duy trì hiện nay (%)"]
    rows = []
    for line in lines:
        row: list[Any] = [
            line.cohort.code,
            str(line.cohort.programme),
            line.cohort.intake_year,
            line.entered,
        ]
        for cell in line.cells:
            row += [cell.studying, cell.retention] if cell else [None, None]
        rows.append([*row, line.retention_now])
    workbook = SheetWriter()
    workbook.sheet("Duy trì sĩ số", header, rows)
    return workbook.to_bytes()


def dropout_workbook(result: figures.Dropout) -> bytes:
    reasons = [(value, label) for value, label in Reason.choices]
    rows = []
    for programme in result.programmes:
        rows.append(
            [str(programme), result.entered.get(programme.pk, 0)]
            + [result.by_reason.get((programme.pk, value), 0) for value, _l in reasons]
            + [
                sum(result.by_reason.get((programme.pk, v), 0) for v, _l in reasons),
                result.rate(programme.pk),
            ]
        )
    by_year = [
        [str(p)] + [result.by_year.get((p.pk, year), 0) for year in result.years]
        for p in result.programmes
    ]
    workbook = SheetWriter()
    workbook.sheet(
        "Bỏ học theo lý do",
        ["Ngành/nghề", "Nhập học"] + [str(label) for _v, label in reasons] + ["Cộng", "Tỷ lệ (%)"],
        rows,
    )
    workbook.sheet(
        "Bỏ học theo năm học",
        ["Ngành/nghề"] + [f"Năm thứ {year}" for year in result.years],
        by_year,
    )
    return workbook.to_bytes()


def students_workbook(students: Any) -> bytes:
    """The named list (personal data: the view logs who exported it)."""
    workbook = SheetWriter()
    workbook.sheet(
        STUDENTS_SHEET,
        [*(c.header for c in STUDENT_COLUMNS), "Tình trạng"],
        (
            [s.code, s.full_name, s.birth_date, s.cohort.code, s.entered_on, s.address, s.phone,
             s.get_gender_display(), s.get_status_display()]
            for s in students.iterator(chunk_size=2000)
        ),
    )  # fmt: skip
    return workbook.to_bytes()


def changes_workbook(changes: Any) -> bytes:
    workbook = SheetWriter()
    workbook.sheet(
        CHANGES_SHEET,
        [c.header for c in CHANGE_COLUMNS],
        (
            [c.student.code, c.student.full_name, c.student.birth_date, c.get_kind_display(),
             c.happened_on, c.get_reason_display(), c.note,
             c.new_programme.code if c.new_programme else ""]
            for c in changes.iterator(chunk_size=2000)
        ),
    )  # fmt: skip
    return workbook.to_bytes()
