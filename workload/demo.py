"""Teaching-load demo: rules, lecturers and two semesters of sections (all sample data).

The head's manual plan is deliberately what a busy head does in Excel (the first lecturers of the
group take most sections), so the optimiser has something to even out.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model

from core.audit import stamp
from core.text import fold
from organisations.models import Organisation, Person, Position, Role
from workload import norms
from workload.models import (
    ActivityKind,
    Availability,
    ClassSizeBand,
    Lecturer,
    Norm,
    Reduction,
    RuleSet,
    Section,
)
from workload.services import ensure_term, size_bands

DATA_FILE = Path(__file__).resolve().parent / "data" / "demo.json"


def load_workload_demo(
    school: Organisation, people: dict[str, Person], units: dict[str, Organisation], by: Any
) -> None:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    spec = data["rules"]
    rules = RuleSet(
        school=school, name=spec["name"], valid_from=dt.date.fromisoformat(spec["valid_from"]),
        source=spec["source"], overtime_cap_year=Decimal(spec["overtime_cap_year"]),
        school_overtime_cap=Decimal(spec["school_overtime_cap"]), is_sample=spec["sample"],
    )  # fmt: skip
    stamp(rules, by)
    rules.save()
    for title, hours in spec["norms"]:
        Norm.objects.create(rules=rules, title=title, hours_per_year=Decimal(hours))
    for title, share in spec["reductions"]:
        Reduction.objects.create(rules=rules, position_title=title, teaching_share=Decimal(share))
    kinds = {}
    for code, name, unit, rate, sized in spec["activities"]:
        kinds[code] = ActivityKind.objects.create(
            rules=rules,
            code=code,
            name=name,
            unit_label=unit,
            hours_per_unit=Decimal(str(rate)),
            applies_class_size=sized,
        )
    for low, high, coefficient in spec["bands"]:
        ClassSizeBand.objects.create(
            rules=rules, min_size=low, max_size=high, coefficient=Decimal(str(coefficient))
        )

    lecturers: dict[str, list[Lecturer]] = {key: [] for key in data["courses"]}
    by_name: dict[str, Lecturer] = {}
    number = 0

    def add(person: Person, group_key: str, title: str) -> None:
        nonlocal number
        number += 1
        lecturer = Lecturer.objects.create(
            person=person, code=f"GV{number:03d}", group=units[group_key], title=title
        )
        lecturers[group_key].append(lecturer)
        by_name[person.full_name] = lecturer

    for key, group_key, title in data["lecturers_from_staff"]:
        add(people[key], group_key, title)
    for group_key, names in data["sample_lecturers"].items():
        for name in names:
            person = Person.objects.create(full_name=name, school=school, is_sample=True)
            Position.objects.create(
                person=person, organisation=units[group_key], title="Giảng viên", role=Role.MEMBER
            )
            add(person, group_key, "Giảng viên")
    _ = get_user_model  # lecturers of the demo sign in only through the staff accounts

    terms = [ensure_term(school.pk, 2023, 1), ensure_term(school.pk, 2023, 2)]
    for name, semester, share, reason in data["on_leave"]:
        Availability.objects.create(
            term=terms[semester - 1],
            lecturer=by_name[name],
            share=Decimal(str(share)),
            reason=reason,
        )
    _sections(data, terms, lecturers, units, kinds, rules, by)


def _sections(
    data: dict[str, Any],
    terms: list[Any],
    lecturers: dict[str, list[Lecturer]],
    units: dict[str, Organisation],
    kinds: dict[str, ActivityKind],
    rules: RuleSet,
    by: Any,
) -> None:
    rng = random.Random(data["seed"])
    bands = size_bands(rules)
    reductions = {r.position_title: r.teaching_share for r in rules.reductions.all()}
    norm_of = {n.title: n.hours_per_year for n in rules.norms.all()}
    titles: dict[int, list[str]] = {}
    for person_id, title in Position.objects.current(dt.date(2023, 9, 1)).values_list(
        "person_id", "title"
    ):
        titles.setdefault(person_id, []).append(title)
    for term in terms:
        for group_key, courses in data["courses"].items():
            group_lecturers = lecturers[group_key]
            capacity = sum(
                norm_of[lec.title]
                * norms.teaching_share(titles.get(lec.person_id, []), reductions)
                / 100
                / 2
                for lec in group_lecturers
            )
            demand = capacity * Decimal(str(data["demand_factor"][group_key]))
            hours = Decimal(0)
            index = 0
            while hours < demand:
                index += 1
                course = courses[(index - 1) % len(courses)]
                kind = kinds["TH"] if index % 7 == 0 else kinds["LT"]
                units_count = Decimal(rng.choice([30, 30, 45, 45, 60]))
                size = rng.randint(22, 78)
                if index % 17 == 0:
                    kind, units_count, size = kinds["KL"], Decimal(rng.randint(2, 4)), 1
                section = Section(
                    term=term, code=f"{fold(units[group_key].code).upper()}-{term.semester}{index:02d}",
                    course=course, group=units[group_key], kind=kind, units=units_count, class_size=size,
                )  # fmt: skip
                section.hours = norms.section_hours(
                    units_count,
                    kind.hours_per_unit,
                    size,
                    bands,
                    applies_class_size=kind.applies_class_size,
                )
                # The manual plan: the first lecturers of the group take most of the sections.
                regular = [
                    lec
                    for lec in group_lecturers
                    if not titles.get(lec.person_id)
                    or norms.teaching_share(titles[lec.person_id], reductions) == 100
                ]
                favourites = regular[: max(2, len(regular) * 2 // 3)]
                manual = favourites[(index * 7) % len(favourites)] if term.semester == 1 else None
                section.manual_to = manual
                section.assigned_to = manual
                stamp(section, by, "Dữ liệu mẫu")
                section.save()
                hours += section.hours
                if index % 5 == 0 and group_key in data["neighbours"]:
                    section.open_to_groups.add(units[data["neighbours"][group_key]])
                if index % 11 == 0:
                    section.only_lecturers.set(rng.sample(group_lecturers, 2))
                if index % 9 == 0 and manual is not None:
                    section.locked_to = manual
                    section.save(update_fields=["locked_to"])


def load_demo(plan: Any, loader: Any) -> None:
    """The demo school's teaching load (demo/loader.py calls every domain's `load_demo`)."""
    load_workload_demo(plan.school, loader.people, loader.orgs, loader.by)
