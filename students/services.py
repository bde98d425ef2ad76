"""Every change of the students' data is a named, atomic action here: programmes and quotas,
enrolment counts, cohorts, students and their changes of status (views, imports, the demo and
tests alike). A rule that refuses raises StudentsError with the Vietnamese message the user sees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.audit import stamp
from core.errors import DomainError
from core.text import fold
from organisations import merging
from organisations.models import Organisation
from students import feeds, support, versions
from students.models import (
    STATUS_AFTER,
    ChangeKind,
    Cohort,
    EnrolmentCount,
    Intake,
    PersonalDataView,
    Programme,
    RecordsOffice,
    Status,
    StatusChange,
    Student,
    name_key,
)


class StudentsError(DomainError):
    pass


FINAL = frozenset(
    {
        Status.WITHDRAWN,
        Status.EXPELLED,
        Status.TRANSFERRED,
        Status.CHANGED_PROGRAMME,
        Status.GRADUATED,
        Status.MERGED,
    }
)
# The changes a person records (a merger writes its own, students.handover).
RECORDED_KINDS = tuple(kind for kind in ChangeKind.values if kind != ChangeKind.MERGED)
AWAY = frozenset({Status.SUSPENDED, Status.DEFERRED})


def ensure_open_school(school_id: int | None) -> None:
    """A school merged into another keeps its students' records as history: nothing is added or
    changed (organisations.merging)."""
    merging.ensure_open_school(school_id, what=_("hồ sơ người học"), error=StudentsError)


def _in_school(unit: Organisation | None, school_id: int, what: str) -> None:
    if unit is not None and unit.school_id != school_id and unit.pk != school_id:
        raise StudentsError(_("%(what)s không thuộc trường này.") % {"what": what})


@transaction.atomic
def save_programme(programme: Programme, *, by: User) -> Programme:
    ensure_open_school(programme.school_id)
    _in_school(programme.faculty, programme.school_id, _("Khoa quản lý"))
    clash = Programme.objects.active().filter(
        school_id=programme.school_id,
        code=programme.code,
        level=programme.level,
        mode=programme.mode,
    )
    if programme.pk:
        clash = clash.exclude(pk=programme.pk)
    if clash.exists():
        raise StudentsError(
            _("Đã có ngành/nghề mã %(code)s ở trình độ và hình thức này.")
            % {"code": programme.code}
        )
    stamp(programme, by)
    programme.save()
    versions.changed(programme.school_id)
    return programme


@transaction.atomic
def archive_programme(programme: Programme, *, by: User) -> None:
    ensure_open_school(programme.school_id)
    if Cohort.objects.active().filter(programme=programme).exists():
        raise StudentsError(_("Ngành/nghề còn lớp đang theo dõi: hãy lưu trữ các lớp trước."))
    stamp(programme, by, _("Lưu trữ"))
    programme.archive()
    versions.changed(programme.school_id)


@transaction.atomic
def set_quota(programme: Programme, year: int, quota: int, *, by: User) -> Intake:
    """The programme's quota for the year's intake (created or changed)."""
    ensure_open_school(programme.school_id)
    if programme.is_archived:
        raise StudentsError(_("Ngành/nghề đã lưu trữ."))
    if not 1990 <= year <= 2100:
        raise StudentsError(_("Năm tuyển sinh không hợp lệ."))
    if quota < 0:
        raise StudentsError(_("Chỉ tiêu không được âm."))
    intake = Intake.objects.filter(programme=programme, year=year).first()
    if intake is None:
        intake = Intake(programme=programme, year=year, quota=quota)
    elif intake.quota == quota:
        return intake
    intake.quota = quota
    stamp(intake, by)
    intake.save()
    feeds.refresh(programme.school_id, by=by)
    return intake


@transaction.atomic
def record_enrolment(
    intake: Intake,
    *,
    counted_on: dt.date,
    applications: int,
    admitted: int,
    enrolled: int,
    by: User,
) -> EnrolmentCount:
    """The intake's figures on a date (a second count on the same date replaces the first)."""
    ensure_open_school(intake.programme.school_id)
    if min(applications, admitted, enrolled) < 0:
        raise StudentsError(_("Số liệu không được âm."))
    if admitted > applications:
        raise StudentsError(_("Số trúng tuyển không thể nhiều hơn số hồ sơ đăng ký."))
    if enrolled > admitted:
        raise StudentsError(_("Số nhập học không thể nhiều hơn số trúng tuyển."))
    if counted_on.year < intake.year:
        raise StudentsError(_("Ngày thống kê phải trong hoặc sau năm tuyển sinh."))
    count = EnrolmentCount.objects.filter(intake=intake, counted_on=counted_on).first()
    if count is None:
        count = EnrolmentCount(intake=intake, counted_on=counted_on)
    count.applications, count.admitted, count.enrolled = applications, admitted, enrolled
    stamp(count, by)
    count.save()
    feeds.refresh(intake.programme.school_id, by=by)
    return count


@transaction.atomic
def save_cohort(cohort: Cohort, *, by: User) -> Cohort:
    ensure_open_school(cohort.school_id)
    if cohort.programme.school_id != cohort.school_id:
        raise StudentsError(_("Ngành/nghề không thuộc trường này."))
    if cohort.adviser is not None and cohort.adviser.school_id != cohort.school_id:
        raise StudentsError(_("Giáo viên chủ nhiệm không thuộc trường này."))
    clash = Cohort.objects.active().filter(school_id=cohort.school_id, code=cohort.code)
    if cohort.pk:
        clash = clash.exclude(pk=cohort.pk)
    if clash.exists():
        raise StudentsError(_("Đã có lớp mã %(code)s.") % {"code": cohort.code})
    stamp(cohort, by)
    cohort.save()
    versions.changed(cohort.school_id)
    return cohort


@transaction.atomic
def save_student(student: Student, *, by: User, reason: str | None = None) -> Student:
    ensure_open_school(student.school_id)
    if student.cohort.school_id != student.school_id:
        raise StudentsError(_("Lớp không thuộc trường này."))
    if student.code:
        clash = Student.objects.active().filter(school_id=student.school_id, code=student.code)
        if student.pk:
            clash = clash.exclude(pk=student.pk)
        if clash.exists():
            raise StudentsError(_("Đã có người học mã %(code)s.") % {"code": student.code})
    stamp(student, by, reason)
    student.save()
    feeds.refresh(student.school_id, by=by)
    return student


# The fields an import writes on a student (students.excel's columns).
IMPORTED_FIELDS = [
    "code", "full_name", "birth_date", "cohort", "entered_on", "address", "phone", "gender",
]  # fmt: skip


@transaction.atomic
def save_students(
    school: Organisation, students: list[Student], *, by: User, reason: str | None = None
) -> int:
    """Write many students of the school at once (a list imported from the training-management
    program): new ones created, known ones updated, each with its history row, in a few queries
    whatever their number; the same checks as `save_student`. How many were written."""
    ensure_open_school(school.pk)
    if not students:
        return 0
    cohort_ids = {s.cohort_id for s in students}
    owned = set(
        Cohort.objects.filter(pk__in=cohort_ids, school=school).values_list("pk", flat=True)
    )
    if any(s.school_id != school.pk for s in students) or cohort_ids - owned:
        raise StudentsError(_("Lớp không thuộc trường này."))
    codes: dict[str, int] = {}
    for student in students:
        if student.code:
            if student.code in codes:
                raise StudentsError(_("Đã có người học mã %(code)s.") % {"code": student.code})
            codes[student.code] = student.pk or 0
    if codes:
        # Compared in chunks: a university's whole list is 30 000 codes.
        listed = list(codes)
        for start in range(0, len(listed), 5000):
            chunk = listed[start : start + 5000]
            for pk, code in (
                Student.objects.active()
                .filter(school=school, code__in=chunk)
                .values_list("pk", "code")
            ):
                if codes[code] != pk:
                    raise StudentsError(_("Đã có người học mã %(code)s.") % {"code": code})
    for student in students:
        # What Student.save and Archivable.save compute, which bulk writes skip.
        student.name_key = name_key(student.full_name)
        student.search_text = fold(" ".join(p for p in student.search_source() if p))
    user = by if getattr(by, "is_authenticated", False) else None
    new = [s for s in students if s.pk is None]
    known = [s for s in students if s.pk is not None]
    try:
        if new:
            bulk_create_with_history(
                new, Student, batch_size=1000, default_user=user, default_change_reason=reason
            )
        if known:
            bulk_update_with_history(
                known,
                Student,
                [*IMPORTED_FIELDS, "name_key", "search_text"],
                batch_size=1000,
                default_user=user,
                default_change_reason=reason,
            )
    except IntegrityError as error:  # a code given meanwhile by someone else
        raise StudentsError(
            _("Mã người học vừa được dùng cho người khác: hãy nhập lại.")
        ) from error
    feeds.refresh(school.pk, by=by)
    return len(students)


def check_sequence(entered_on: dt.date, changes: Iterable[tuple[dt.date, str]]) -> str | None:
    """The status the changes leave the student in, or raise when they do not follow each
    other (a return without a leave, anything after leaving or graduating)."""
    status: str = Status.STUDYING
    for day, kind in sorted(changes):
        if day < entered_on:
            raise StudentsError(_("Ngày thay đổi trước ngày nhập học."))
        if status in FINAL:
            raise StudentsError(
                _("Người học đã ở tình trạng “%(s)s”: không ghi thêm thay đổi sau đó.")
                % {"s": Status(status).label}
            )
        if kind == ChangeKind.RETURNED and status not in AWAY:
            raise StudentsError(_("Chỉ trở lại học sau khi nghỉ học tạm thời hoặc bảo lưu."))
        if kind in (ChangeKind.SUSPENDED, ChangeKind.DEFERRED) and status in AWAY:
            raise StudentsError(_("Người học đang nghỉ: hãy ghi “Trở lại học” trước."))
        status = STATUS_AFTER[kind]
    return status


@transaction.atomic
def record_change(
    student: Student,
    *,
    kind: str,
    happened_on: dt.date,
    reason: str,
    note: str = "",
    new_programme: Programme | None = None,
    by: User,
) -> StatusChange:
    """A change of status on a date; the student's current status follows the latest change. A
    supported student whose change the support's rules name goes onto the repayment list."""
    ensure_open_school(student.school_id)
    if kind not in RECORDED_KINDS:
        raise StudentsError(_("Loại thay đổi không hợp lệ."))
    if new_programme is not None and (
        kind != ChangeKind.CHANGED_PROGRAMME or new_programme.school_id != student.school_id
    ):
        raise StudentsError(_("Ngành chuyển đến chỉ ghi cho thay đổi “Chuyển ngành” trong trường."))
    existing = StatusChange.objects.filter(student=student, kind=kind, happened_on=happened_on)
    change = existing.first()
    others = [
        (c.happened_on, c.kind)
        for c in StatusChange.objects.filter(student=student)
        if change is None or c.pk != change.pk
    ]
    status = check_sequence(student.entered_on, [*others, (happened_on, kind)])
    if change is None:
        change = StatusChange(student=student, kind=kind, happened_on=happened_on)
    change.reason, change.note, change.new_programme = reason, note, new_programme
    stamp(change, by)
    change.save()
    if student.status != status:
        student.status = status or Status.STUDYING
        stamp(student, by, _("Thay đổi tình trạng"))
        student.save(update_fields=["status"])
    support.on_status_change(change, by=by)
    feeds.refresh(student.school_id, by=by)
    return change


@transaction.atomic
def set_records_office(school: Organisation, office: Organisation, *, by: User) -> RecordsOffice:
    ensure_open_school(school.pk)
    _in_school(office, school.pk, _("Phòng"))
    record = RecordsOffice.objects.filter(school=school).first() or RecordsOffice(school=school)
    record.office = office
    stamp(record, by)
    record.save()
    return record


def log_personal_view(
    user: User,
    school_id: int,
    *,
    what: str,
    student: Student | None = None,
    cohort: Cohort | None = None,
    rows: int = 1,
) -> None:
    """Write down that `user` saw personal details (one row per page or export, whatever its
    length)."""
    PersonalDataView.objects.create(
        school_id=school_id, user=user, student=student, cohort=cohort, what=what, rows=rows
    )
