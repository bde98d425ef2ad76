"""The demo school's training: a dossier half way, two courses with participants and
certificates, and the yearly figures they give."""

from __future__ import annotations

from typing import Any

from training import figures
from training.models import Course, Dossier, DossierStep, StepDocument, StepStatus


def test_the_demo_has_a_dossier_in_progress_and_two_courses(demo_plan: Any, db: Any) -> None:
    school = demo_plan.school
    dossier = Dossier.objects.get(school=school, code="51140206")
    steps = DossierStep.objects.filter(dossier=dossier)
    assert steps.filter(status=StepStatus.DONE).count() == 4
    assert steps.filter(status=StepStatus.DOING).count() == 1
    assert StepDocument.objects.filter(step__dossier=dossier).count() == 4
    courses = Course.objects.filter(school=school)
    assert {c.kind for c in courses} == {"continuing", "partnership"}
    assert all(c.agreement is not None for c in courses)
    year = figures.by_year(school.pk)[2023]
    assert year.participants["continuing"] == 12 and year.certificates["continuing"] == 11
    assert figures.by_year(school.pk)[2024].participants["partnership"] == 42
