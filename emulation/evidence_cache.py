"""The year's evidence kept in Django's cache under the plan's figures version, so that a page
view reads what an earlier view computed instead of computing it again.

`year_evidence` (emulation.evidence) reads the plan's units, tasks, coordinations, check-ins and
their files, targets, allocations and readings, the reminder rules, the people's positions and
the teaching load. The plan's figures version (planning/figures_cache.py) moves after each
committed change of the plan's own rows, its check-ins, extensions, readings, units and people;
`connect` (called by the app) makes it move as well after a change of the rest: positions,
evidence files, allocations, reminder rules, and the teaching load's terms, rules, norms,
reductions, lecturers and sections. A key holds the plan, that version, the day read and the
people and units asked for, so what a page shows is never older than the data.

Inside a transaction that has changed any of it, the evidence is computed, not read from the
cache: the change has not moved the version yet (it moves once the transaction commits).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from django.db import connection
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from emulation.evidence import YearEvidence, year_evidence
from organisations.models import Organisation, Person, Position
from planning import figures_cache
from planning.models import Plan, TargetAllocation
from tracking.models import CheckIn, Evidence, ReminderPolicy
from workload.models import Lecturer, Norm, Reduction, Section, Term
from workload.models import RuleSet as WorkloadRules


def cached_year_evidence(
    plan: Plan,
    *,
    people: Iterable[Person] = (),
    units: Iterable[Organisation] = (),
    on: dt.date,
    past: bool = False,
) -> YearEvidence:
    """`year_evidence(plan, people=…, units=…, on=…, past=…)`, computed once per figures
    version of the plan: one read of the cache when it is there."""
    people, units = list(people), list(units)

    def compute() -> YearEvidence:
        return year_evidence(plan, people=people, units=units, on=on, past=past)

    if _changed_here():
        return compute()
    ids = (sorted({p.pk for p in people}), sorted({u.pk for u in units}))
    key = f"evidence:{on.isoformat()}:{int(past)}:{figures_cache.digest(ids)}"
    found: YearEvidence = figures_cache.cached(plan, key, compute)
    # The caller's own rows, as fresh as the request: what the cache kept of them is equal
    # (a change of a person or unit moves the version) but the caller may have more at hand.
    by_pk = {p.pk: p for p in people}
    units_by_pk = {u.pk: u for u in units}
    return replace(
        found,
        plan=plan,
        people={
            pk: replace(ev, person=by_pk.get(pk, ev.person)) for pk, ev in found.people.items()
        },
        units={
            pk: replace(ev, unit=units_by_pk.get(pk, ev.unit)) for pk, ev in found.units.items()
        },
    )


def _changed_here() -> bool:
    """Whether the current transaction has changed something a plan's figures show (a version
    bump waits for its commit)."""
    return connection.in_atomic_block and any(
        isinstance(entry[1], figures_cache.Bump) for entry in connection.run_on_commit
    )


# What else the evidence reads, and how each change finds its school or plan -------------------


def _school_of(instance: Model) -> int | None:
    """The school whose plans read `instance`: from the row it hangs from when that is at hand
    (the usual case), else one small query."""
    if isinstance(instance, Position | Lecturer):
        if type(instance).person.is_cached(instance):
            return _int(instance.person.school_id)
        return _value(Person, instance.person_id, "school_id")
    if isinstance(instance, Section):
        if Section.term.is_cached(instance):
            return _int(instance.term.school_id)
        return _value(Term, instance.term_id, "school_id")
    if isinstance(instance, Norm | Reduction):
        if type(instance).rules.is_cached(instance):
            return _int(instance.rules.school_id)
        return _value(WorkloadRules, instance.rules_id, "school_id")
    return _int(getattr(instance, "school_id", None))  # a term, rules, reminder rules


def _as_default(instance: Model) -> bool:
    """Every field that has a default holds it."""
    return all(
        getattr(instance, field.attname) == field.get_default()
        for field in instance._meta.concrete_fields
        if field.has_default()
    )


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _value(model: type[Model], pk: int, column: str) -> int | None:
    # Bookkeeping, not a read for anyone: whatever the scope the change was made in.
    return _int(model._base_manager.filter(pk=pk).values_list(column, flat=True).first())


def evidence_input_saved(sender: Any, instance: Model, **kwargs: Any) -> None:
    """A row the evidence reads beside the plan's own: the figures of the plans it touches
    change once the transaction commits."""
    if kwargs.get("raw"):
        return  # rows loaded as they are (manage.py restore, loaddata): nothing changed
    if isinstance(instance, ReminderPolicy) and kwargs.get("created") and _as_default(instance):
        return  # made on first use with the defaults a school without one already reads
    if isinstance(instance, Evidence):
        if Evidence.checkin.is_cached(instance):
            figures_cache.changed(task_id=instance.checkin.task_id)
        else:
            task_id = _value(CheckIn, instance.checkin_id, "task_id")
            if task_id is not None:
                figures_cache.changed(task_id=task_id)
        return
    if isinstance(instance, TargetAllocation):
        figures_cache.changed(target_id=instance.target_id)
        return
    school_id = _school_of(instance)
    if school_id is not None:
        figures_cache.changed(school_id=school_id)


INPUTS: tuple[type[Model], ...] = (
    Position,
    Evidence,
    TargetAllocation,
    ReminderPolicy,
    Term,
    WorkloadRules,
    Norm,
    Reduction,
    Lecturer,
    Section,
)


def connect() -> None:
    for model in INPUTS:
        uid = f"emulation-evidence-{model._meta.label_lower}"
        post_save.connect(evidence_input_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(evidence_input_saved, sender=model, dispatch_uid=uid)
