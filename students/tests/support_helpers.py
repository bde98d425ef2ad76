"""A campus whose two programmes train teachers, a third that does not, five supported students
(three of class K1, two of K2) with the amounts the school records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from students import services, support
from students.models import Programme
from students.models_support import SupportGrant
from students.tests.conftest import TODAY, Campus

TUITION, LIVING = Decimal("1000000"), Decimal("3630000")
MARKED = [2, 3, 4, 7, 8]


@pytest.fixture
def supported(campus: Campus, monkeypatch: pytest.MonkeyPatch) -> Campus:
    monkeypatch.setattr("students.views_support.today", lambda: TODAY)
    by = campus.users["leadership"]
    for programme in (campus.preschool, campus.primary):
        programme.teacher_training = True
        services.save_programme(programme, by=by)
    services.save_programme(
        Programme(school=campus.world.school, code="6760101", name="Công tác xã hội",
                  level="college", mode="full_time"),
        by=by,
    )  # fmt: skip
    for index in MARKED:
        student = campus.students[index]
        support.mark_supported(
            student, starts_on=student.entered_on, commitment_on=student.entered_on,
            commitment="Cam kết số " + str(index), funding="assigned",
            tuition_per_month=TUITION, living_per_month=LIVING, by=by,
        )  # fmt: skip
    return campus


def social_work() -> Programme:
    return Programme.objects.get(code="6760101")


def grant_of(campus: Campus, index: int) -> SupportGrant:
    return SupportGrant.objects.active().get(student=campus.students[index])


def day(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d/%m/%Y").date()
