"""A load index for everyone from the plan: who carries too many tasks, and how evenly per unit.

A task counts its weight times its duration in months (at least one): fully for the person in
charge and the lead unit, and at `COORDINATION_SHARE` for each coordinating unit. This is a
reading aid for leadership, not a rule of law, so the share is a documented constant.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from organisations.models import Organisation, Person, Position
from planning.models import Plan, TaskCoordination
from workload.norms import gini

COORDINATION_SHARE = Decimal("0.5")


def task_load(weight: Decimal, start: object, due: object) -> Decimal:
    months = Decimal(1)
    if start is not None and due is not None:
        days = (due - start).days  # type: ignore[operator]
        months = max(Decimal(1), Decimal(days) / Decimal(30))
    return (weight * months).quantize(Decimal("0.1"))


@dataclass
class UnitLoad:
    unit: Organisation
    led: Decimal = Decimal(0)
    coordinated: Decimal = Decimal(0)
    people: list[tuple[Person, Decimal]] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return self.led + self.coordinated

    @property
    def gini(self) -> float:
        return gini([float(load) for _person, load in self.people])


@dataclass
class LoadReport:
    people: list[tuple[Person, Decimal]]
    units: list[UnitLoad]

    @property
    def gini(self) -> float:
        return gini([float(load) for _person, load in self.people])


def load_index(plan: Plan) -> LoadReport:
    tasks = list(
        plan.tasks.active().values_list(
            "pk", "weight", "start_date", "due_date", "person_in_charge_id", "lead_unit_id"
        )
    )
    load_of = {pk: task_load(weight, start, due) for pk, weight, start, due, _p, _u in tasks}
    person_load: dict[int, Decimal] = defaultdict(Decimal)
    unit_led: dict[int, Decimal] = defaultdict(Decimal)
    unit_coordinated: dict[int, Decimal] = defaultdict(Decimal)
    for pk, _w, _s, _d, person_id, unit_id in tasks:
        if person_id:
            person_load[person_id] += load_of[pk]
        if unit_id:
            unit_led[unit_id] += load_of[pk]
    for task_id, unit_id in (
        TaskCoordination.objects.active()
        .filter(task__plan=plan, task__archived_at__isnull=True)
        .values_list("task_id", "unit_id")
    ):
        unit_coordinated[unit_id] += load_of.get(task_id, Decimal(0)) * COORDINATION_SHARE
    people = {p.pk: p for p in Person.objects.active().filter(school_id=plan.school_id)}
    members: dict[int, set[int]] = defaultdict(set)
    for person_id, unit_id in (
        Position.objects.current(plan.starts_on)
        .filter(person__school_id=plan.school_id)
        .values_list("person_id", "organisation_id")
    ):
        members[unit_id].add(person_id)
    units = []
    for unit in Organisation.objects.active().units_of(plan.school).order_by("order", "name"):
        row = UnitLoad(
            unit=unit,
            led=unit_led.get(unit.pk, Decimal(0)),
            coordinated=unit_coordinated.get(unit.pk, Decimal(0)),
        )
        row.people = sorted(
            (
                (people[pid], person_load.get(pid, Decimal(0)))
                for pid in members.get(unit.pk, ())
                if pid in people
            ),
            key=lambda item: -item[1],
        )
        if row.total or row.people:
            units.append(row)
    ranked = sorted(
        ((person, person_load.get(pk, Decimal(0))) for pk, person in people.items()),
        key=lambda item: (-item[1], item[0].sort_key),
    )
    return LoadReport(people=ranked, units=sorted(units, key=lambda u: -u.total))
