"""The demo school's students: programmes, three intakes, cohorts whose headcount falls."""

from __future__ import annotations

from typing import Any

from students import figures
from students.models import Cohort, Intake, Programme


def test_demo_has_programmes_intakes_and_falling_cohorts(demo_plan: Any, db: Any) -> None:
    school = demo_plan.school
    names = set(Programme.objects.filter(school=school).values_list("name", flat=True))
    assert {"Giáo dục Mầm non", "Giáo dục Tiểu học"} <= names
    assert set(Intake.objects.filter(programme__school=school).values_list("year", flat=True)) == {
        2023,
        2024,
        2025,
    }
    cohort = Cohort.objects.get(school=school, code="51140201-K23")
    _terms, (line,) = figures.retention_matrix([cohort], figures.dt.date(2025, 10, 1))
    firsts = [c.studying for c in line.cells if c is not None]
    assert firsts[0] > firsts[-1] and line.retention_now is not None
