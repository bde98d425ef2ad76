from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from conftest import World
from organisations.models import Person, Position, Role
from workload.models import (
    ActivityKind,
    ClassSizeBand,
    Lecturer,
    Norm,
    Reduction,
    RuleSet,
    Section,
    Term,
)


@dataclass
class Teaching:
    world: World
    rules: RuleSet
    term: Term
    lecture: ActivityKind
    lecturers: list[Lecturer]  # staff (Tổ Toán), two more in Tổ Toán, one in Khoa Tự nhiên
    sections: list[Section]


@pytest.fixture
def teaching(world: World) -> Teaching:
    rules = RuleSet.objects.create(
        school=world.school,
        name="Quy định 2023",
        valid_from=dt.date(2023, 8, 1),
        source="TT 36/2020/TT-BGDĐT",
        overtime_cap_year=Decimal(200),
    )
    Norm.objects.create(rules=rules, title="Giảng viên", hours_per_year=Decimal(300))
    Reduction.objects.create(rules=rules, position_title="Trưởng khoa", teaching_share=Decimal(70))
    lecture = ActivityKind.objects.create(
        rules=rules, code="LT", name="Lý thuyết", hours_per_unit=Decimal(1)
    )
    ClassSizeBand.objects.create(
        rules=rules, min_size=41, max_size=None, coefficient=Decimal("1.5")
    )
    term = Term.objects.create(
        school=world.school, start_year=2023, semester=1, starts_on=dt.date(2023, 8, 15)
    )
    lecturers = [
        Lecturer.objects.create(person=world.people["staff"], code="GV001", group=world.group)
    ]
    for index, name in enumerate(["Lò Văn Bình", "Hà Thị Cúc"], start=2):
        person = Person.objects.create(full_name=name, school=world.school)
        Position.objects.create(
            person=person, organisation=world.group, title="Giảng viên", role=Role.MEMBER
        )
        lecturers.append(
            Lecturer.objects.create(person=person, code=f"GV00{index}", group=world.group)
        )
    head = Person.objects.create(full_name="Đàm Văn Khoa", school=world.school)
    Position.objects.create(
        person=head, organisation=world.faculty, title="Trưởng khoa Tự nhiên", role=Role.HEAD
    )
    lecturers.append(Lecturer.objects.create(person=head, code="GV004", group=world.faculty))
    sections = []
    for index, periods in enumerate([45, 45, 60, 30, 30, 45, 60, 45, 30, 15], start=1):
        section = Section(
            term=term,
            code=f"TT-{index:02d}",
            course=f"Học phần {index}",
            group=world.group,
            kind=lecture,
            units=Decimal(periods),
            class_size=35,
        )
        section.hours = Decimal(periods)
        section.manual_to = lecturers[0]
        section.assigned_to = lecturers[0]
        section.save()
        sections.append(section)
    sections[-1].open_to_groups.add(world.faculty)
    return Teaching(
        world=world, rules=rules, term=term, lecture=lecture, lecturers=lecturers, sections=sections
    )
