"""Students in the JSON API, with the pages' permissions: programmes, intakes with their counts
and the share of the quota filled, cohorts with headcount and retention. Figures only: no
student's name leaves through the API (mounted by the `api` app, see core.endpoints)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema

from core.clock import today
from core.endpoints import FAILS, register
from core.requests import ApiRequest
from organisations.membership import membership_of
from organisations.models import Organisation
from students import figures
from students.models import Cohort, Programme


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
