"""The students' campus (students/tests/conftest.py) with the training office (the world's
Phòng Đào tạo, headed by `unit_head`, with the clerk as a member), a dossier made from the
national steps, a partner and an in-service course with two participants."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from students.tests.conftest import TODAY, Campus, campus, frozen  # noqa: F401
from training import services
from training.models import Course, Dossier, Participant, Partner, StepTemplate
from training.seed import sync_steps

# anonymous, another school's leader, the Sở's officer, staff, the training office's head and
# member, the leadership
ROLES = ["anonymous", "outsider", "officer", "staff", "unit_head", "clerk", "leadership"]


@dataclass
class Training:
    campus: Campus
    dossier: Dossier
    partner: Partner
    course: Course

    @property
    def world(self) -> Any:
        return self.campus.world

    @property
    def users(self) -> dict[str, Any]:
        return self.campus.users

    def client(self, role: str) -> Any:
        return self.campus.client(role)


@pytest.fixture
def today_is(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    for module in ("training.views", "training.views_dossiers", "training.views_courses"):
        monkeypatch.setattr(f"{module}.today", lambda: TODAY)
    return TODAY


@pytest.fixture
def training(campus: Campus, today_is: dt.date) -> Training:  # noqa: F811
    sync_steps(StepTemplate)
    world = campus.world
    by = campus.users["leadership"]
    services.set_training_office(world.school, world.office, by=by)
    dossier = services.create_dossier(
        Dossier(school=world.school, code="51140206", name="Giáo dục Thể chất", level="college",
                mode="full_time", faculty=world.faculty, started_on=dt.date(2025, 1, 10)),
        by=by,
    )  # fmt: skip
    partner = services.save_partner(
        Partner(school=world.school, name="Sở Giáo dục và Đào tạo Đối tác", kind="authority"), by=by
    )
    course = services.save_course(
        Course(school=world.school, kind="continuing", partner=partner,
               title="Bồi dưỡng giáo viên mầm non", starts_on=dt.date(2024, 10, 1),
               participants=30, status="running", agreement=world.document),
        by=by,
    )  # fmt: skip
    for name in ("Hoàng Thị Mai", "Nông Thị Lan"):
        services.save_participant(
            Participant(course=course, full_name=name, birth_date=dt.date(1990, 1, 2)), by=by
        )
    return Training(campus, dossier, partner, course)
