"""Students in the JSON API, with the pages' permissions: programmes, intakes with their counts
and the share of the quota filled, cohorts with headcount and retention, the classes' headcounts
at each count date as imported (beside the student list's), and the early warnings:
their figures by class for every member of the school, the warned students by name only for
those the pages show them to (the adviser their class, the faculty's heads its programmes, the
student affairs office and the leadership every class), each call logged as a page view is
(NĐ 13/2023/NĐ-CP). Mounted by the `api` app, see core.endpoints."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from core.clock import today
from core.endpoints import (
    FAILS,
    FAILS_INPUT,
    ErrorOut,
    Id,
    LazyPage,
    Page,
    refuse_unknown,
    register,
)
from core.requests import ApiRequest
from organisations.membership import membership_of
from organisations.models import Organisation
from students import figures, services
from students.models import AcademicWarning, Cohort, Programme, WarningStatus
from students.models_counts import CohortCount
from students.rules import named_cohorts


class ProgrammeOut(Schema):
    id: int
    code: str
    name: str
    level: str
    mode: str
    faculty_id: int | None


class IntakeOut(Schema):
    id: int
    programme_id: int
    year: int
    quota: int
    counted_on: dt.date | None
    applications: int | None
    admitted: int | None
    enrolled: int | None
    filled_percent: Decimal | None


class EnrolmentOut(Schema):
    intakes: list[IntakeOut]
    benchmark_percent: Decimal | None
    benchmark_source: str
    school_average_percent: Decimal | None


class TermOut(Schema):
    term: int
    day: dt.date
    studying: int
    retained: int
    retention_percent: Decimal | None


class CohortOut(Schema):
    id: int
    code: str
    programme_id: int
    intake_year: int
    entered: int
    studying_now: int
    retention_percent: Decimal | None
    terms: list[TermOut]


class WarningTermIn(Schema):
    """A semester; a part left out: the latest semester with warnings matching the rest."""

    school_year: int | None = Field(
        None, ge=1990, le=2100, description="Năm học, theo năm bắt đầu (2024 = 2024–2025)."
    )
    semester: int | None = Field(None, ge=1, le=3, description="Học kỳ (1, 2, 3).")


class WarningFilterIn(WarningTermIn):
    cohort: Id | None = Field(None, description="Chỉ một lớp.")
    status: WarningStatus | None = Field(None, description="Chỉ một tình trạng xử lý.")


class WarningCountOut(Schema):
    cohort_id: int
    cohort_code: str
    programme_id: int
    warned: int
    open: int
    following: int
    closed: int
    lifted: int


class WarningSummaryOut(Schema):
    school_year: int | None
    semester: int | None
    terms: list[str]
    warned: int
    cohorts: list[WarningCountOut]


class WarningOut(Schema):
    id: int
    school_year: int
    semester: int
    student_id: int
    student_code: str
    full_name: str
    cohort_id: int
    cohort_code: str
    reasons: list[str]
    status: str
    lifted: bool
    task_id: int | None
    outcome: str
    outcome_on: dt.date | None


class HeadcountFilterIn(Schema):
    cohort: Id | None = Field(None, description="Chỉ một lớp.")


class HeadcountOut(Schema):
    id: int
    cohort_id: int
    cohort_code: str
    counted_on: dt.date
    headcount: int
    listed: int
    note: str


router = register("/students", Router(tags=["người học"]))


def _school(request: ApiRequest) -> Organisation:
    school_id = membership_of(request.auth).school_id
    school = Organisation.objects.filter(pk=school_id).first() if school_id else None
    if school is None or not request.auth.has_perm("students.view_figures", school):
        raise PermissionDenied
    return school


@router.get("/programmes", response={200: list[ProgrammeOut], **FAILS})
def programmes(request: ApiRequest) -> Any:
    school = _school(request)
    return list(Programme.objects.active().filter(school=school))


@router.get("/enrolment", response={200: EnrolmentOut, **FAILS})
def enrolment(request: ApiRequest) -> Any:
    school = _school(request)
    table = figures.enrolment_table(school.pk, today())
    intakes = [
        {
            "id": row.intake.pk, "programme_id": entry.programme.pk, "year": year,
            "quota": row.intake.quota, "counted_on": row.counted_on,
            "applications": row.applications, "admitted": row.admitted, "enrolled": row.enrolled,
            "filled_percent": row.filled,
        }
        for entry in table.rows
        for year, row in sorted(entry.years.items())
    ]  # fmt: skip
    return {
        "intakes": intakes,
        "benchmark_percent": table.benchmark.minimum if table.benchmark else None,
        "benchmark_source": table.benchmark.source if table.benchmark else "",
        "school_average_percent": table.average,
    }


@router.get("/cohorts", response={200: list[CohortOut], **FAILS})
def cohorts(request: ApiRequest) -> Any:
    school = _school(request)
    rows = list(Cohort.objects.active().filter(school=school).select_related("programme"))
    _terms, lines = figures.retention_matrix(rows, today())
    return [
        {
            "id": line.cohort.pk, "code": line.cohort.code,
            "programme_id": line.cohort.programme_id, "intake_year": line.cohort.intake_year,
            "entered": line.entered, "studying_now": line.now["studying"],
            "retention_percent": line.retention_now,
            "terms": [
                {"term": c.term, "day": c.day, "studying": c.studying, "retained": c.retained,
                 "retention_percent": c.retention}
                for c in line.cells if c is not None
            ],
        }
        for line in lines
    ]  # fmt: skip


def _term(school: Organisation, asked: WarningTermIn) -> tuple[int, int] | None:
    """The semester asked for; a part left out: the latest semester with warnings that matches
    the part given (None when there is none)."""
    if asked.school_year is not None and asked.semester is not None:
        return asked.school_year, asked.semester
    rows = AcademicWarning.objects.filter(school=school)
    if asked.school_year is not None:
        rows = rows.filter(school_year=asked.school_year)
    if asked.semester is not None:
        rows = rows.filter(semester=asked.semester)
    return rows.order_by("-school_year", "-semester").values_list("school_year", "semester").first()


@router.get("/warnings/summary", response={200: WarningSummaryOut, **FAILS_INPUT})
def warnings_summary(request: ApiRequest, term: Query[WarningTermIn]) -> Any:
    """How many students of each class a semester's warnings name, by where the follow-up stands:
    figures, for every member of the school. Only the semester is read: any other parameter (a
    class, a state, a page) is refused, not ignored."""
    refuse_unknown(request, WarningTermIn)
    school = _school(request)
    chosen = _term(school, term)
    terms = [
        f"{y}-{s}"
        for y, s in AcademicWarning.objects.filter(school=school)
        .values_list("school_year", "semester")
        .distinct()
        .order_by("-school_year", "-semester")
    ]
    rows: list[dict[str, Any]] = []
    if chosen is not None:
        rows = list(
            AcademicWarning.objects.filter(
                school=school, school_year=chosen[0], semester=chosen[1],
                student__archived_at__isnull=True,
            )
            .values("student__cohort_id", "student__cohort__code", "student__cohort__programme_id")
            .annotate(
                warned=Count("pk"),
                open=Count("pk", filter=Q(status=WarningStatus.OPEN)),
                following=Count("pk", filter=Q(status=WarningStatus.FOLLOWING)),
                closed=Count("pk", filter=Q(status=WarningStatus.CLOSED)),
                lifted=Count("pk", filter=Q(lifted=True)),
            )
            .order_by("student__cohort__code")
        )  # fmt: skip
    cohorts = [
        {
            "cohort_id": r["student__cohort_id"], "cohort_code": r["student__cohort__code"],
            "programme_id": r["student__cohort__programme_id"], "warned": r["warned"],
            "open": r["open"], "following": r["following"], "closed": r["closed"],
            "lifted": r["lifted"],
        }
        for r in rows
    ]  # fmt: skip
    return {
        "school_year": chosen[0] if chosen else None,
        "semester": chosen[1] if chosen else None,
        "terms": terms,
        "warned": sum(c["warned"] for c in cohorts),
        "cohorts": cohorts,
    }


def _warning_out(warning: AcademicWarning) -> dict[str, Any]:
    student = warning.student
    return {
        "id": warning.pk, "school_year": warning.school_year, "semester": warning.semester,
        "student_id": student.pk, "student_code": student.code, "full_name": student.full_name,
        "cohort_id": student.cohort_id, "cohort_code": student.cohort.code,
        "reasons": [str(r) for r in warning.reasons], "status": warning.status,
        "lifted": warning.lifted, "task_id": warning.task_id, "outcome": warning.outcome,
        "outcome_on": warning.outcome_on,
    }  # fmt: skip


class _LoggedPage(LazyPage):
    """The page of warned students, written to the personal-data log once it is read."""

    def __init__(self, rows: Any, user: Any, school_id: int) -> None:
        super().__init__(rows, _warning_out)
        self.user, self.school_id = user, school_id

    def __getitem__(self, key: slice) -> list[dict[str, Any]]:
        page = super().__getitem__(key)
        services.log_personal_view(
            self.user, self.school_id, what=_("Xem danh sách cảnh báo người học (API)"),
            rows=len(page),
        )  # fmt: skip
        return page


@router.get("/warnings", response={200: list[WarningOut], 403: ErrorOut, **FAILS_INPUT})
@paginate(Page)
def warnings(request: ApiRequest, filters: Query[WarningFilterIn]) -> Any:
    """A semester's warned students by name, with why and where the follow-up stands: only the
    classes whose names the pages show the caller (403 when none)."""
    refuse_unknown(request, WarningFilterIn, Page.Input)
    school = _school(request)
    condition = named_cohorts(request.auth, school.pk)
    if condition is None or not school.is_school:
        raise PermissionDenied
    named = Cohort.objects.active().filter(condition, school=school)
    if not named.exists():
        raise PermissionDenied
    chosen = _term(school, filters)
    rows = AcademicWarning.objects.none()
    if chosen is not None:
        rows = AcademicWarning.objects.filter(
            school=school, school_year=chosen[0], semester=chosen[1], student__cohort__in=named,
            student__archived_at__isnull=True,
        )  # fmt: skip
        if filters.cohort is not None:
            rows = rows.filter(student__cohort_id=filters.cohort)
        if filters.status is not None:
            rows = rows.filter(status=filters.status)
        rows = rows.select_related("student__cohort").order_by(
            "student__cohort__code", "student__name_key", "pk"
        )
    return _LoggedPage(rows, request.auth, school.pk)


class _HeadcountPage(LazyPage):
    """A page of counts, each with the headcount the student list gives on its day, the page's
    classes read at once (figures.Roll)."""

    def __getitem__(self, key: slice) -> list[dict[str, Any]]:
        counts: list[CohortCount] = list(self.rows[key])
        roll = figures.Roll({c.cohort_id: c.cohort for c in counts}.values())
        out = []
        for count in counts:
            listed = roll.counts(count.cohort_id, count.counted_on)["studying"]
            out.append(
                {
                    "id": count.pk, "cohort_id": count.cohort_id,
                    "cohort_code": count.cohort.code, "counted_on": count.counted_on,
                    "headcount": count.headcount, "listed": listed, "note": count.note,
                }
            )  # fmt: skip
        return out


@router.get("/headcounts", response={200: list[HeadcountOut], **FAILS_INPUT})
@paginate(Page)
def headcounts(request: ApiRequest, filters: Query[HeadcountFilterIn]) -> Any:
    """Classes' headcounts at each count date as imported, with the headcount the student list
    gives that day: figures, for every member of the school."""
    refuse_unknown(request, HeadcountFilterIn, Page.Input)
    school = _school(request)
    rows = CohortCount.objects.filter(school=school, cohort__archived_at__isnull=True)
    if filters.cohort is not None:
        rows = rows.filter(cohort_id=filters.cohort)
    rows = rows.select_related("cohort").order_by("cohort__code", "-counted_on", "pk")
    return _HeadcountPage(rows, dict)
