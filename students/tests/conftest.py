"""A school's students: two programmes (the faculty's and another), three intakes with quotas
and counts, two cohorts with students and changes of status, the student affairs office, a class
adviser, the faculty's head, and an officer of the Sở above the schools."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from conftest import World, make_person
from organisations.models import Organisation, Role
from students import services
from students.models import Cohort, Intake, Programme, Student

TODAY = dt.date(2025, 10, 1)
ROLES = [
    "anonymous", "outsider", "officer", "staff", "adviser", "faculty_head", "records",
    "leadership",
]  # fmt: skip


@dataclass
class Campus:
    world: World
    preschool: Programme  # managed by Khoa Tự nhiên (the world's faculty)
    primary: Programme  # no faculty
    intakes: list[Intake]
    k1: Cohort  # preschool, 2023, advised by `adviser`
    k2: Cohort  # primary, 2024
    students: list[Student]

    @property
    def users(self) -> dict[str, Any]:
        return self.world.users

    def client(self, role: str) -> Any:
        return self.world.client(role)


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    monkeypatch.setattr("students.views.today", lambda: TODAY)
    monkeypatch.setattr("students.api.today", lambda: TODAY)
    return TODAY


@pytest.fixture
def campus(world: World, frozen: dt.date) -> Campus:
    sgd = Organisation.objects.create(name="Sở Giáo dục và Đào tạo Mẫu", kind="department")
    world.people["officer"], world.users["officer"] = make_person(
        sgd, sgd, "Trần Văn Sở", "officer", "Giám đốc Sở", Role.LEADERSHIP
    )
    hssv = Organisation.objects.create(
        name="Phòng Công tác học sinh, sinh viên", kind="office", parent=world.school, code="hssv"
    )
    for key, unit, name, title, role in (
        ("adviser", world.group, "Lê Thị Bình", "Giảng viên", Role.MEMBER),
        ("faculty_head", world.faculty, "Vũ Thị Dung", "Trưởng khoa", Role.HEAD),
        ("records", hssv, "Đỗ Văn Hùng", "Chuyên viên", Role.MEMBER),
    ):
        world.people[key], world.users[key] = make_person(
            world.school, unit, name, key, title, role
        )
    by = world.users["leadership"]
    services.set_records_office(world.school, hssv, by=by)
    preschool = services.save_programme(
        Programme(school=world.school, code="51140201", name="Giáo dục Mầm non",
                  level="college", mode="full_time", faculty=world.faculty),
        by=by,
    )  # fmt: skip
    primary = services.save_programme(
        Programme(school=world.school, code="51140202", name="Giáo dục Tiểu học",
                  level="college", mode="full_time"),
        by=by,
    )  # fmt: skip
    intakes = []
    for year, quota, enrolled in ((2023, 100, 40), (2024, 100, 60), (2025, 100, 35)):
        intake = services.set_quota(preschool, year, quota, by=by)
        services.record_enrolment(
            intake, counted_on=dt.date(year, 9, 30), applications=enrolled * 2,
            admitted=enrolled + 5, enrolled=enrolled, by=by,
        )  # fmt: skip
        intakes.append(intake)
    k1 = services.save_cohort(
        Cohort(school=world.school, programme=preschool, code="CĐMN-K1", intake_year=2023,
               starts_on=dt.date(2023, 9, 5), terms=6, adviser=world.people["adviser"]),
        by=by,
    )  # fmt: skip
    k2 = services.save_cohort(
        Cohort(school=world.school, programme=primary, code="CĐTH-K2", intake_year=2024,
               starts_on=dt.date(2024, 9, 5), terms=6),
        by=by,
    )  # fmt: skip
    students = []
    for index in range(10):
        cohort = k1 if index < 6 else k2
        students.append(
            services.save_student(
                Student(school=world.school, cohort=cohort, code=f"SV{index:03d}",
                        full_name=f"Nguyễn Văn Học {index}", birth_date=dt.date(2005, 1, 1 + index),
                        entered_on=cohort.starts_on, address="Lạng Sơn", phone="0912000000"),
                by=by,
            )
        )  # fmt: skip
    services.record_change(
        students[0], kind="withdrawn", happened_on=dt.date(2024, 1, 10), reason="financial", by=by
    )
    services.record_change(
        students[1], kind="suspended", happened_on=dt.date(2024, 4, 1), reason="health", by=by
    )
    services.record_change(
        students[6], kind="expelled", happened_on=dt.date(2025, 2, 1), reason="academic", by=by
    )
    return Campus(world, preschool, primary, intakes, k1, k2, students)
