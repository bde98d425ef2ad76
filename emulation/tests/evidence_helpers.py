"""A school year with known outcomes for the evidence tests (emulation.evidence), on the `world`
school of conftest: tasks done ahead, on time, late against their original deadline, overdue,
open, paused and cancelled; check-ins on time and late with an evidence file; targets met and
not; a teaching load against the norm. The expected figures are worked out in the tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from conftest import World, make_person
from organisations.models import Organisation, Role
from planning.models import Plan, PlanStatus, Target, TargetAllocation, Task
from tracking.models import CheckIn, Evidence, TargetReading
from workload.models import ActivityKind, Lecturer, Norm, Reduction, RuleSet, Section, Term

ON = dt.date(2024, 6, 14)
JAN = dt.date(2024, 1, 1)


@dataclass
class Year:
    world: World
    tasks: dict[str, Task]
    targets: dict[str, Target]
    checkins: dict[str, CheckIn]
    evidence: dict[str, Evidence]


def task(world: World, code: str, **values: Any) -> Task:
    values.setdefault("lead_unit", world.group)
    values.setdefault("person_in_charge", world.people["staff"])
    values.setdefault("start_date", JAN)
    return Task.objects.create(plan=world.plan, code=code, title=f"Việc {code}", **values)


def report(task: Task, unit: Organisation, day: dt.date, *, on_time: bool, **values: Any) -> Any:
    values.setdefault("role", "lead")
    return CheckIn.objects.create(
        task=task, unit=unit, reported_on=day, progress=50, done="Đã làm",
        confidence="medium", on_time=on_time, **values,
    )  # fmt: skip


def evidence_file(checkin: CheckIn, name: str) -> Evidence:
    return Evidence.objects.create(
        checkin=checkin, file="evidence/ab/test.bin", original_name=name,
        content_type="application/pdf", size=10, sha256="0" * 64,
    )  # fmt: skip


def build_year(world: World) -> Year:
    Plan.objects.filter(pk=world.plan.pk).update(status=PlanStatus.ISSUED)
    world.plan.refresh_from_db()
    office, faculty, group = world.office, world.faculty, world.group
    tasks = {
        "A": task(world, "A", due_date=dt.date(2024, 3, 1), completed_on=dt.date(2024, 2, 20)),
        "B": task(world, "B", due_date=dt.date(2024, 3, 1), completed_on=dt.date(2024, 3, 1)),
        "D": task(world, "D", due_date=dt.date(2024, 4, 1)),
        "E": task(world, "E", due_date=dt.date(2024, 12, 31)),
        "F": task(world, "F", due_date=dt.date(2024, 3, 1), run_state="paused"),
        "G": task(world, "G", due_date=dt.date(2024, 3, 1), run_state="cancelled"),
    }
    # Extended from 1/2 to 1/3 and done on 25/2: in time for the new deadline, late for the
    # original one, which is what emulation counts.
    tasks["C"] = task(
        world, "C", due_date=dt.date(2024, 3, 1), original_due_date=dt.date(2024, 2, 1),
        completed_on=dt.date(2024, 2, 25),
    )  # fmt: skip
    # The office's, in the clerk's charge: done five days ahead.
    tasks["H"] = task(
        world, "H", lead_unit=office, person_in_charge=world.people["clerk"],
        due_date=dt.date(2024, 1, 15), completed_on=dt.date(2024, 1, 10),
    )  # fmt: skip
    # Done after the day the figures are read on: still open then.
    tasks["I"] = task(
        world, "I", lead_unit=faculty, person_in_charge=None,
        due_date=dt.date(2024, 6, 30), completed_on=dt.date(2024, 6, 20),
    )  # fmt: skip
    # An archived task counts for nobody.
    gone = task(world, "Z", due_date=dt.date(2024, 3, 1))
    gone.archive()

    checkins = {
        "task-1": report(world.task, faculty, dt.date(2023, 10, 1), on_time=True),
        "task-2": report(world.task, faculty, dt.date(2023, 11, 20), on_time=False),
        "task-3": report(world.task, faculty, dt.date(2023, 12, 15), on_time=True),
        "task-late": report(world.task, faculty, dt.date(2024, 6, 20), on_time=True),
        "A-1": report(tasks["A"], group, dt.date(2024, 2, 20), on_time=True),
        "D-1": report(tasks["D"], group, dt.date(2024, 1, 20), on_time=True),
        "D-2": report(tasks["D"], group, dt.date(2024, 3, 1), on_time=False),
        "D-3": report(tasks["D"], group, dt.date(2024, 4, 20), on_time=False),
        "D-4": report(tasks["D"], group, dt.date(2024, 5, 30), on_time=False),
        "office-coord": report(
            world.task, office, dt.date(2024, 2, 1), on_time=True, role="coordinating"
        ),
    }
    evidence = {
        "minutes": evidence_file(checkins["task-1"], "bien-ban-tu-van.pdf"),
        "office": evidence_file(checkins["office-coord"], "so-lieu-tuyen-sinh.xlsx"),
        "later": evidence_file(checkins["task-late"], "sau-ngay-xem.pdf"),
    }

    t2 = Target.objects.create(
        plan=world.plan, code="CT02", name="Tỷ lệ sinh viên khá giỏi", unit_of_measure="%",
        target_value=80, actual_value=85, actual_on=dt.date(2024, 3, 1), responsible_unit=faculty,
    )  # fmt: skip
    TargetReading.objects.create(target=t2, value=85, measured_on=dt.date(2024, 3, 1))
    t3 = Target.objects.create(
        plan=world.plan, code="CT03", name="Số đề tài nghiên cứu", unit_of_measure="đề tài",
        target_value=50,
    )  # fmt: skip
    TargetAllocation.objects.create(target=t3, unit=group, value=10)
    TargetReading.objects.create(
        target=t3, value=12, measured_on=dt.date(2024, 4, 1), checkin=checkins["A-1"]
    )
    # The faculty's own reading does not count for the group's share.
    faculty_report = report(world.task, faculty, dt.date(2024, 4, 2), on_time=True)
    TargetReading.objects.create(
        target=t3, value=5, measured_on=dt.date(2024, 4, 2), checkin=faculty_report
    )
    checkins["task-4"] = faculty_report
    t4 = Target.objects.create(
        plan=world.plan, code="CT04", name="Số bài báo", unit_of_measure="bài", target_value=40
    )
    TargetAllocation.objects.create(target=t4, unit=group, value=20)

    teaching_load(world)
    return Year(
        world=world,
        tasks=tasks,
        targets={"CT01": world.target, "CT02": t2, "CT03": t3, "CT04": t4},
        checkins=checkins,
        evidence=evidence,
    )


def teaching_load(world: World) -> None:
    """Norm 270 giờ chuẩn for a lecturer; a head of office teaches 25 % of it."""
    rules = RuleSet.objects.create(
        school=world.school, name="Quy định 2023", valid_from=dt.date(2023, 8, 1),
        source="TT 36/2020/TT-BGDĐT", overtime_cap_year=150,
    )  # fmt: skip
    Norm.objects.create(rules=rules, title="Giảng viên", hours_per_year=270)
    Reduction.objects.create(rules=rules, position_title="Trưởng phòng", teaching_share=25)
    kind = ActivityKind.objects.create(rules=rules, code="LT", name="Lý thuyết", hours_per_unit=1)
    first = Term.objects.create(
        school=world.school, start_year=2023, semester=1, starts_on=dt.date(2023, 9, 5)
    )
    second = Term.objects.create(
        school=world.school, start_year=2023, semester=2, starts_on=dt.date(2024, 1, 15)
    )
    lecturer = Lecturer.objects.create(
        person=world.people["staff"], code="GV01", group=world.group, title="Giảng viên"
    )
    head = Lecturer.objects.create(
        person=world.people["unit_head"], code="GV02", group=world.group, title="Giảng viên"
    )

    def section(term: Term, code: str, hours: str, to: Lecturer) -> Section:
        return Section.objects.create(
            term=term, code=code, course="Giải tích", group=world.group, kind=kind,
            units=Decimal(hours), class_size=40, hours=Decimal(hours), assigned_to=to,
        )  # fmt: skip

    section(first, "GT1", "100", lecturer)
    section(second, "GT2", "150.5", lecturer)
    section(second, "GT3", "40", lecturer).archive()
    section(second, "GT4", "30", head)


def more_people(world: World, n: int, unit: Organisation) -> list[Any]:
    """n more members of a unit, each with tasks, reports and a lecturer's record."""
    people = []
    first = Lecturer.objects.count()
    for i in range(first, first + n):
        person, _user = make_person(
            world.school, unit, f"Người Thứ {i}", f"user-{unit.pk}-{i}", "Giảng viên", Role.MEMBER
        )
        for code, due, done in [("x", dt.date(2024, 3, 1), dt.date(2024, 2, 1)),
                                ("y", dt.date(2024, 4, 1), None)]:  # fmt: skip
            made = task(world, f"{i}{code}", person_in_charge=person, lead_unit=unit,
                        due_date=due, completed_on=done)  # fmt: skip
            evidence_file(report(made, unit, dt.date(2024, 1, 20), on_time=True), "bc.pdf")
        Lecturer.objects.create(person=person, code=f"N{unit.pk}-{i}", group=unit)
        people.append(person)
    return people
