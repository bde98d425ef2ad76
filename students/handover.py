"""A merged school's students, moved to the new school (a step of organisations.merging).

Who: the old school's students still enrolled (studying, suspended or deferred). Each gets a
record at the new school, in the cohort of the same code there (a copy of the old cohort when the
new school has none: same code, intake, start, length; its programme the new school's of the same
code, level and mode, copied when missing; the adviser's and the managing faculty's new records
when the merger moved them). The new record keeps the code (left empty if the new school already
uses it), the day of entry and the changes of status so far, so the new school's figures for the
cohort read as before. The old record stays in the old school with a last change "Chuyển theo sáp
nhập trường" on the merger's day: not a dropout (students.models.LEAVING), and its term results,
warnings and support stay where they were recorded.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy

from core.audit import stamp
from organisations.merging import Handover, Step, register
from organisations.models import Organisation
from students import feeds, versions
from students.models import (
    ChangeKind,
    Cohort,
    Programme,
    Reason,
    Status,
    StatusChange,
    Student,
)

ENROLLED = (Status.STUDYING, Status.SUSPENDED, Status.DEFERRED)


def enrolled(school: Organisation) -> list[Student]:
    return list(
        Student.objects.active()
        .filter(school=school, status__in=ENROLLED)
        .select_related("cohort__programme")
        .order_by("cohort_id", "pk")
    )


def count_enrolled(old: Organisation, effective_on: dt.date) -> int:
    return Student.objects.active().filter(school=old, status__in=ENROLLED).count()


def move_students(handover: Handover) -> int:
    """Move the enrolled students into the new school's cohorts; how many moved."""
    students = enrolled(handover.old)
    if not students:
        return 0
    programmes: dict[int, Programme] = {}
    cohorts: dict[int, Cohort] = {}
    taken = set(
        Student.objects.active()
        .filter(school=handover.new)
        .exclude(code="")
        .values_list("code", flat=True)
    )
    for student in students:
        cohort = cohorts.get(student.cohort_id)
        if cohort is None:
            cohort = cohorts[student.cohort_id] = _cohort(student.cohort, handover, programmes)
        _move(student, cohort, handover, taken)
    # The new school's fed targets follow its new figures. The old school's are left as they
    # were: its plans are history, and a reading now would rewrite its year's actual values.
    feeds.refresh(handover.new.pk, by=handover.by)
    # The old school's pages show its students moved (without touching its fed targets).
    versions.changed(handover.old.pk)
    return len(students)


def _programme(
    programme: Programme, handover: Handover, programmes: dict[int, Programme]
) -> Programme:
    if programme.pk in programmes:
        return programmes[programme.pk]
    found = (
        Programme.objects.active()
        .filter(
            school=handover.new, code=programme.code, level=programme.level, mode=programme.mode
        )
        .first()
    )
    if found is None:
        found = Programme(
            school=handover.new,
            code=programme.code,
            name=programme.name,
            level=programme.level,
            mode=programme.mode,
            faculty=handover.units.get(programme.faculty_id) if programme.faculty_id else None,
            teacher_training=programme.teacher_training,
            is_sample=programme.is_sample,
        )
        stamp(found, handover.by, handover.reason)
        found.save()
    programmes[programme.pk] = found
    return found


def _cohort(cohort: Cohort, handover: Handover, programmes: dict[int, Programme]) -> Cohort:
    programme = _programme(cohort.programme, handover, programmes)
    found = Cohort.objects.active().filter(school=handover.new, code=cohort.code).first()
    if found is not None and found.programme_id == programme.pk:
        return found
    code = cohort.code
    if found is not None:  # the code names another class there: keep both, told apart
        suffix = handover.old.abbreviation or handover.old.short_name or str(handover.old.pk)
        code = f"{cohort.code} ({suffix})"[:50]
    adviser = handover.people.get(cohort.adviser_id) if cohort.adviser_id else None
    copy = Cohort(
        school=handover.new,
        programme=programme,
        code=code,
        intake_year=cohort.intake_year,
        starts_on=cohort.starts_on,
        terms=cohort.terms,
        adviser=adviser,
    )
    stamp(copy, handover.by, handover.reason)
    copy.save()
    return copy


def _move(student: Student, cohort: Cohort, handover: Handover, taken: set[str]) -> Student:
    by, reason = handover.by, handover.reason
    code = student.code if student.code and student.code not in taken else ""
    if code:
        taken.add(code)
    moved = Student(
        school=handover.new,
        cohort=cohort,
        code=code,
        full_name=student.full_name,
        birth_date=student.birth_date,
        gender=student.gender,
        address=student.address,
        phone=student.phone,
        entered_on=student.entered_on,
        status=student.status,
        is_sample=student.is_sample,
    )
    stamp(moved, by, reason)
    moved.save()
    for change in StatusChange.objects.filter(student=student).order_by("happened_on", "pk"):
        copy = StatusChange(
            student=moved,
            kind=change.kind,
            happened_on=change.happened_on,
            reason=change.reason,
            note=change.note,
        )
        stamp(copy, by, reason)
        copy.save()
    closing = StatusChange(
        student=student,
        kind=ChangeKind.MERGED,
        happened_on=handover.effective_on,
        reason=Reason.OTHER,
        note=reason[:500],
    )
    stamp(closing, by, reason)
    closing.save()
    student.status = Status.MERGED
    stamp(student, by, reason)
    student.save(update_fields=["status"])
    return moved


register(
    Step(
        key="students",
        label=gettext_lazy("Người học đang theo học"),
        order=30,
        count=count_enrolled,
        move=move_students,
    )
)
