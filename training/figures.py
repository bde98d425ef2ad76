"""The year's figures of partnership and in-service training, by school year (1/9 to 31/8) and
kind: courses begun, their participants, and the certificates issued.

A course's participants are the people on its list when a list was imported, else the number
typed on the course. Certificates are the batches recorded (đợt cấp) in the year; a course with
no batch counts the people on its list whose certificate is dated in the year. Cancelled and
archived courses count nowhere.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from training.models import (
    CertificateIssue,
    Course,
    CourseKind,
    CourseStatus,
    Participant,
    school_year_of,
)


@dataclass
class YearFigures:
    year: int
    courses: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    participants: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    certificates: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def total(self, what: str) -> int:
        values: dict[str, int] = getattr(self, what)
        return sum(values.values())

    def row(self) -> list[int]:
        """Courses, participants, certificates: each by kind, then in all."""
        line = []
        for what in ("courses", "participants", "certificates"):
            values: dict[str, int] = getattr(self, what)
            line += [values.get(kind, 0) for kind in CourseKind.values] + [self.total(what)]
        return line


def counted_courses(school_id: int) -> list[Course]:
    """The school's courses that count, each with `listed` (people on its list)."""
    return list(
        Course.objects.active()
        .filter(school_id=school_id)
        .exclude(status=CourseStatus.CANCELLED)
        .annotate(listed=Count("people", filter=Q(people__archived_at__isnull=True)))
        .select_related("partner")
    )


def participants_of(course: Course) -> int:
    listed = getattr(course, "listed", None)
    if listed is None:
        listed = Participant.objects.active().filter(course=course).count()
    return int(listed) or course.participants


def by_year(school_id: int) -> dict[int, YearFigures]:
    courses = counted_courses(school_id)
    years: dict[int, YearFigures] = {}

    def year(number: int) -> YearFigures:
        return years.setdefault(number, YearFigures(number))

    for course in courses:
        figures = year(course.school_year)
        figures.courses[course.kind] += 1
        figures.participants[course.kind] += participants_of(course)
    kinds = {course.pk: course.kind for course in courses}
    issued = set()
    for issue in CertificateIssue.objects.active().filter(course_id__in=kinds):
        year(school_year_of(issue.issued_on)).certificates[kinds[issue.course_id]] += issue.count
        issued.add(issue.course_id)
    listed = (
        Participant.objects.active()
        .filter(course_id__in=set(kinds) - issued, certificate_on__isnull=False)
        .exclude(certificate_no="")
        .values_list("course_id", "certificate_on")
    )
    for course_id, day in listed:
        if day is not None:  # filtered above; the type does not know it
            year(school_year_of(day)).certificates[kinds[course_id]] += 1
    return dict(sorted(years.items(), reverse=True))


def for_year(school_id: int, school_year: int) -> YearFigures:
    return by_year(school_id).get(school_year) or YearFigures(school_year)


def current_school_year(day: dt.date) -> int:
    return school_year_of(day)
