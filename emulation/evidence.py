"""The year's evidence for thi đua (minh chứng), computed from the plan, its check-ins and the
teaching load: nobody types these numbers by hand.

`year_evidence(plan, people=…, units=…, on=…)` reads, in a fixed number of queries whatever the
number of people, units, tasks or check-ins (about sixteen: the unit tree, positions,
coordinations, tasks, check-ins, evidence files, the reporting period, targets, allocations,
readings, and the teaching load's terms, rules, norms, reductions, lecturers and sections):

- **Tasks.** A person answers for the tasks in their charge (`person_in_charge`) and, as head
  (Role.HEAD; a deputy's share of a unit is not recorded in the plan) of a unit during the year,
  for what that unit with its sub-units leads or owns, as the unit's dashboard counts it. A unit
  answers for what it (with its sub-units) leads or owns, and apart for what it coordinates.
  Counted as the dashboards' headline counts them (tracking.task_figures): *due* is a running
  task whose original deadline (`original_due_date`, else `due_date`: extensions do not count)
  has come; *on time* a due task done by that deadline; *ahead* (vượt tiến độ) a task done
  before it, due yet or not; *late* done after it; *overdue* still open past the deadline in
  force that day (planning.status).
- **Check-ins.** The lead unit reports on a running task every period of the school's reminder
  rules (ReminderPolicy) from its start until it is done or its deadline comes (after it, the
  reminders ask for the work, not for a report: tracking.reminders). A task *expects*
  ⌊days / period⌋ reports; its reports *owed* are the larger of that and those sent, so that
  extra reports on one task do not hide missing ones on another; the share on time is the
  reports sent on time (CheckIn.on_time) over those owed. A person answers for the lead reports
  of their tasks; a unit for those of the tasks it leads and for its contributions (coordinating
  reports) to those it coordinates, which count as sent, on time or not, but are never owed:
  the reminders ask the lead unit alone. Evidence files come with the reports.
- **Targets.** A unit's targets are those it (with its sub-units) is responsible for, met when
  the target is green (planning.status.target_rag), and those allocated to it, met when the
  unit's own last reading (a reading from its check-in) reaches the allocated value; a person's
  are those of the units they belong to (their units only, not the sub-units).
- **Teaching.** Giờ chuẩn assigned in both semesters of the year against the year's target, the
  norm of the lecturer's title times the teaching share left by their positions' reductions, as
  the teaching-load pages count it (workload.services.year_rows).

Months worked, leave and discipline come from the personnel records, not from here.

**The day.** Everything is read on `on`. Called with `past=True` (the pages do so for a day
before the plan's default day, planning.status.default_day, as the dashboards do) a task's
deadline and run state are read as they stood at the end of that day (tracking.task_figures.
as_of) and a target's value from the readings made by then; otherwise they are read as they are
now, completions and reports after `on` left out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.db import models
from django.db.models import Q

from emulation.evidence_figures import (
    CheckInFigures,
    EvidenceFile,
    Outcome,
    Reports,
    TargetFigures,
    TargetLine,
    TaskFigures,
    TaskLine,
    Teaching,
    checkin_figures,
    expected_checkins,
    outcome_of,
)
from emulation.evidence_teaching import teaching_of
from organisations.membership import descendants
from organisations.models import Organisation, Person, Position, Role
from planning.models import (
    Plan,
    PlanStatus,
    ProgressMode,
    Target,
    TargetAllocation,
    Task,
    TaskCoordination,
    TaskQuerySet,
)
from planning.status import RunState, compute_status, target_rag
from planning.tree import code_key
from tracking.models import CheckIn, CheckInRole, Evidence, ReminderPolicy, TargetReading
from tracking.task_figures import THEN_DUE, THEN_RUN_STATE, as_of


@dataclass(frozen=True)
class PersonEvidence:
    person: Person
    unit_ids: tuple[int, ...]  # the units they belong to in the year
    headed_unit_ids: tuple[int, ...]  # those they head (Role.HEAD)
    tasks: TaskFigures
    in_charge: frozenset[int]  # of the tasks, those in their charge (the rest: as head)
    checkins: CheckInFigures
    targets: TargetFigures
    teaching: Teaching | None


@dataclass(frozen=True)
class UnitEvidence:
    unit: Organisation
    unit_ids: frozenset[int]  # the unit with its sub-units
    led: TaskFigures
    coordinated: TaskFigures
    checkins: CheckInFigures
    targets: TargetFigures


@dataclass(frozen=True)
class YearEvidence:
    plan: Plan
    on: dt.date
    past: bool
    period_days: int
    people: dict[int, PersonEvidence]
    units: dict[int, UnitEvidence]
    unit_names: dict[int, str]


def year_evidence(
    plan: Plan,
    *,
    people: Iterable[Person] = (),
    units: Iterable[Organisation] = (),
    on: dt.date,
    past: bool = False,
) -> YearEvidence:
    """The evidence of `people` and `units` in the plan's year, read on `on` (see the module)."""
    people, units = list(people), list(units)
    tree = _tree(plan)
    positions = _positions(plan, [p.pk for p in people], on)
    member_units: dict[int, set[int]] = defaultdict(set)
    headed: dict[int, set[int]] = defaultdict(set)  # the units a person heads
    for row in positions:
        if row["organisation_id"] != plan.school_id:
            member_units[row["person_id"]].add(row["organisation_id"])
            if row["role"] == Role.HEAD:
                headed[row["person_id"]].add(row["organisation_id"])
    scopes = {
        pk: frozenset(_subtree(tree, pk)) for pk in {u.pk for u in units}.union(*headed.values())
    }
    scoped_units = set().union(*(scopes[unit.pk] for unit in units))
    leading = set().union(*scopes.values())
    period = _period_days(plan)

    coordinations = _coordinations(plan, scoped_units)
    conditions = [Q(person_in_charge__in=[p.pk for p in people])] if people else []
    if leading:
        conditions += [Q(lead_unit__in=leading), Q(owner_unit__in=leading)]
    if scoped_units:
        conditions.append(Q(pk__in=_coordination_rows(plan, scoped_units).values("task_id")))
    if not conditions:
        conditions.append(Q(pk__in=[]))
    tasks = Task.objects.filter(plan=plan, archived_at__isnull=True).filter(reduce(or_, conditions))
    lead_reports, unit_reports = _reports(tasks, on)
    lines = _lines(plan, tasks, on, past=past, period=period, reports=lead_reports, tree=tree)
    target_units = scoped_units.union(*member_units.values())
    targets = _targets(plan, target_units, on, past=past, names=tree.names)
    teaching = teaching_of(plan, people, positions)

    # Indexes, so that each person and unit costs what they hold, not the whole plan.
    by_person: dict[int | None, list[TaskLine]] = defaultdict(list)
    by_unit: dict[int, dict[int, TaskLine]] = defaultdict(dict)
    for line in lines.values():
        by_person[line.person_in_charge_id].append(line)
        for unit_id in (line.lead_unit_id, line.owner_unit_id):
            if unit_id is not None:
                by_unit[unit_id][line.pk] = line
    targets_of: dict[int, list[TargetLine]] = defaultdict(list)
    for target in targets:
        targets_of[target.unit_id].append(target)
    coordinated_by: dict[int, list[int]] = defaultdict(list)
    for task_id, unit_id in coordinations:
        coordinated_by[unit_id].append(task_id)

    def led_by(unit_ids: Iterable[int]) -> dict[int, TaskLine]:
        return {pk: line for unit_id in unit_ids for pk, line in by_unit[unit_id].items()}

    result_people = {}
    for person in people:
        mine = led_by(set().union(*(scopes[pk] for pk in headed[person.pk])))
        in_charge = {line.pk: line for line in by_person[person.pk]}
        chosen = _ordered((mine | in_charge).values())
        result_people[person.pk] = PersonEvidence(
            person=person,
            unit_ids=tuple(sorted(member_units[person.pk], key=tree.order_of)),
            headed_unit_ids=tuple(sorted(headed[person.pk], key=tree.order_of)),
            tasks=TaskFigures(chosen),
            in_charge=frozenset(in_charge),
            checkins=checkin_figures((line.expected, line.lead_reports) for line in chosen),
            targets=_target_figures(targets_of, member_units[person.pk]),
            teaching=teaching.get(person.pk),
        )

    result_units = {}
    for unit in units:
        scope = scopes[unit.pk]
        led = led_by(scope)
        # A contribution of each coordinating unit in the scope to a task it does not lead.
        pairs = [
            (task_id, unit_id)
            for unit_id in scope
            for task_id in coordinated_by[unit_id]
            if task_id in lines and task_id not in led
        ]
        parts = [(line.expected, line.lead_reports) for line in led.values()] + [
            (0, unit_reports.get((task_id, unit_id), Reports())) for task_id, unit_id in pairs
        ]
        result_units[unit.pk] = UnitEvidence(
            unit=unit,
            unit_ids=scope,
            led=TaskFigures(_ordered(led.values())),
            coordinated=TaskFigures(_ordered({pk: lines[pk] for pk, _unit in pairs}.values())),
            checkins=checkin_figures(parts),
            targets=_target_figures(targets_of, scope),
        )
    return YearEvidence(
        plan=plan,
        on=on,
        past=past,
        period_days=period,
        people=result_people,
        units=result_units,
        unit_names=tree.names,
    )


# The queries ----------------------------------------------------------------------------------


@dataclass
class _Tree:
    children: dict[int | None, list[int]]
    names: dict[int, str]
    order: dict[int, tuple[int, str]]

    def order_of(self, pk: int) -> tuple[int, str]:
        return self.order.get(pk, (0, ""))


def _tree(plan: Plan) -> _Tree:
    tree = _Tree(defaultdict(list), {}, {})
    for pk, parent_id, name, order in Organisation.objects.filter(
        school_id=plan.school_id
    ).values_list("pk", "parent_id", "name", "order"):
        tree.children[parent_id].append(pk)
        tree.names[pk] = name
        tree.order[pk] = (order, name)
    return tree


def _subtree(tree: _Tree, root: int) -> set[int]:
    """The unit and every unit below it, on the tree read once."""
    return descendants(tree.children, [root])


def _positions(plan: Plan, person_ids: Sequence[int], on: dt.date) -> list[dict[str, Any]]:
    """The people's positions held at some time in the year up to `on`."""
    if not person_ids:
        return []
    return list(
        Position.objects.filter(person__in=person_ids)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=plan.starts_on))
        .order_by("order", "pk")
        .values("person_id", "organisation_id", "role", "title", "valid_from", "valid_to")
    )


def _period_days(plan: Plan) -> int:
    """The school's reporting period (the default one before the school set its rules)."""
    stored = (
        ReminderPolicy.objects.filter(school_id=plan.school_id)
        .values_list("checkin_period_days", flat=True)
        .first()
    )
    return int(stored if stored is not None else ReminderPolicy().checkin_period_days)


def _coordination_rows(plan: Plan, unit_ids: set[int]) -> models.QuerySet[TaskCoordination]:
    return TaskCoordination.objects.filter(
        task__plan=plan,
        task__archived_at__isnull=True,
        archived_at__isnull=True,
        unit__in=unit_ids,
    )


def _coordinations(plan: Plan, unit_ids: set[int]) -> list[tuple[int, int]]:
    if not unit_ids:
        return []
    return list(_coordination_rows(plan, unit_ids).values_list("task_id", "unit_id"))


def _reports(
    tasks: TaskQuerySet, on: dt.date
) -> tuple[dict[int, Reports], dict[tuple[int, int], Reports]]:
    """The reports sent by `on` on the tasks with their evidence files: the lead role's per task,
    the coordinating units' per (task, unit)."""
    lead: dict[int, Reports] = defaultdict(Reports)
    coordinating: dict[tuple[int, int], Reports] = defaultdict(Reports)
    where: dict[int, Reports] = {}
    for pk, task_id, unit_id, role, on_time in (
        CheckIn.objects.filter(task__in=tasks.values("pk"), reported_on__lte=on)
        .order_by("reported_on", "pk")
        .values_list("pk", "task_id", "unit_id", "role", "on_time")
    ):
        reports = lead[task_id] if role == CheckInRole.LEAD else coordinating[(task_id, unit_id)]
        reports.sent.append(pk)
        if on_time:
            reports.on_time.append(pk)
        where[pk] = reports
    for pk, name, checkin_id, task_id, code, title, day in (
        Evidence.objects.filter(checkin__task__in=tasks.values("pk"), checkin__reported_on__lte=on)
        .order_by("pk")
        .values_list(
            "pk",
            "original_name",
            "checkin_id",
            "checkin__task_id",
            "checkin__task__code",
            "checkin__task__title",
            "checkin__reported_on",
        )
    ):
        if checkin_id in where:
            label = f"{code}. {title}" if code else title
            where[checkin_id].files.append(EvidenceFile(pk, name, task_id, label, day))
    return lead, coordinating


_TASK_COLUMNS = (
    "pk", "code", "title", "lead_unit_id", "owner_unit_id", "person_in_charge_id", "run_state",
    "start_date", "due_date", "original_due_date", "completed_on", "progress", "progress_mode",
    "derived_progress",
)  # fmt: skip


def _lines(
    plan: Plan,
    tasks: TaskQuerySet,
    on: dt.date,
    *,
    past: bool,
    period: int,
    reports: Mapping[int, Reports],
    tree: _Tree,
) -> dict[int, TaskLine]:
    columns: tuple[str, ...] = _TASK_COLUMNS
    rows = tasks
    if past:
        rows = as_of(tasks, on)
        columns += (THEN_DUE, THEN_RUN_STATE)
    lines: dict[int, TaskLine] = {}
    issued = plan.status == PlanStatus.ISSUED
    for row in rows.order_by().values(*columns):
        due = row[THEN_DUE] if past else row["due_date"]
        run_state = row[THEN_RUN_STATE] if past else row["run_state"]
        derived = row["progress_mode"] == ProgressMode.DERIVED
        completed = (
            row["completed_on"] if row["completed_on"] and row["completed_on"] <= on else None
        )
        baseline = row["original_due_date"] or row["due_date"]
        state = compute_status(
            run_state=run_state,
            due_date=due,
            completed_on=completed,
            progress=row["derived_progress"] if derived else row["progress"],
            start_date=row["start_date"],
            on=on,
            issued=issued,
        )
        outcome = outcome_of(status=state.status, baseline_due=baseline, completed_on=completed)
        days_late = state.days_late if outcome == Outcome.OVERDUE else 0
        if outcome == Outcome.LATE and completed is not None and baseline is not None:
            days_late = (completed - baseline).days
        start = row["start_date"] or plan.starts_on
        lines[row["pk"]] = TaskLine(
            pk=row["pk"],
            code=row["code"],
            title=row["title"],
            lead_unit_id=row["lead_unit_id"],
            owner_unit_id=row["owner_unit_id"],
            unit_name=tree.names.get(row["lead_unit_id"] or row["owner_unit_id"], ""),
            person_in_charge_id=row["person_in_charge_id"],
            run_state=run_state,
            start=start,
            baseline_due=baseline,
            due=due,
            completed_on=completed,
            status=state.status,
            outcome=outcome,
            days_late=days_late,
            is_due=run_state == RunState.ACTIVE and baseline is not None and baseline <= on,
            lead_reports=reports.get(row["pk"]) or Reports(),
            expected=expected_checkins(
                run_state=run_state,
                start=start,
                due=due,
                completed_on=completed,
                on=on,
                period_days=period,
            ),
        )
    return lines


def _code_key(line: TaskLine) -> tuple[Any, ...]:
    """Natural order of task codes (planning.tree.code_key), then the task."""
    return (code_key(line), line.pk)


def _ordered(lines: Iterable[TaskLine]) -> tuple[TaskLine, ...]:
    return tuple(sorted(lines, key=_code_key))


def _targets(
    plan: Plan, unit_ids: set[int], on: dt.date, *, past: bool, names: Mapping[int, str]
) -> list[TargetLine]:
    """The targets the units are responsible for and those allocated to them, each with whether
    it is met on the day."""
    if not unit_ids:
        return []
    responsible = list(
        Target.objects.filter(plan=plan, archived_at__isnull=True, responsible_unit__in=unit_ids)
    )
    allocations = list(
        TargetAllocation.objects.filter(
            target__plan=plan, target__archived_at__isnull=True, unit__in=unit_ids
        ).select_related("target")
    )
    targets = {t.pk: t for t in responsible} | {a.target_id: a.target for a in allocations}
    if not targets:
        return []
    # Every reading, those after the day too: a target whose readings all came later was not
    # measured yet on the day (tracking.target_figures.target_states).
    last: dict[int, tuple[Decimal, dt.date] | None] = {}
    by_unit: dict[tuple[int, int], tuple[Decimal, dt.date]] = {}
    for target_id, value, day, unit_id in (
        TargetReading.objects.filter(target__in=list(targets))
        .order_by("target_id", "measured_on", "pk")
        .values_list("target_id", "value", "measured_on", "checkin__unit_id")
    ):
        if day <= on:
            last[target_id] = (value, day)
            if unit_id is not None:
                by_unit[(target_id, unit_id)] = (value, day)
        else:
            last.setdefault(target_id, None)

    def whole(target: Target) -> tuple[Decimal | None, dt.date | None]:
        if not past:
            return target.actual_value, target.actual_on
        if target.pk in last:
            return last[target.pk] or (None, None)
        if target.actual_on is not None and target.actual_on > on:
            return None, None
        return target.actual_value, target.actual_on

    lines = []
    for target in responsible:
        assert target.responsible_unit_id is not None
        unit_id = target.responsible_unit_id
        lines.append(_target_line(target, unit_id, names.get(unit_id, ""), None, *whole(target)))
    seen = {(line.pk, line.unit_id) for line in lines}
    for allocation in allocations:
        if (allocation.target_id, allocation.unit_id) not in seen:
            own: tuple[Decimal | None, dt.date | None] = by_unit.get(
                (allocation.target_id, allocation.unit_id), (None, None)
            )
            unit_id = allocation.unit_id
            lines.append(
                _target_line(allocation.target, unit_id, names.get(unit_id, ""), allocation, *own)
            )
    lines.sort(key=lambda line: (line.code, line.pk, line.unit_id))
    return lines


def _target_figures(
    targets_of: Mapping[int, list[TargetLine]], unit_ids: Iterable[int]
) -> TargetFigures:
    lines = [line for pk in unit_ids for line in targets_of.get(pk, ())]
    return TargetFigures(tuple(sorted(lines, key=lambda line: (line.code, line.pk, line.unit_id))))


def _target_line(
    target: Target,
    unit_id: int,
    unit_name: str,
    allocation: TargetAllocation | None,
    actual: Decimal | None,
    day: dt.date | None,
) -> TargetLine:
    """A target as a unit answers for it: the whole target with its thresholds, or the share
    allocated to the unit, met when the unit's own value reaches it."""
    goal = allocation.value if allocation is not None else target.target_value
    thresholds = {} if allocation is not None else {
        "amber_threshold": target.amber_threshold, "red_threshold": target.red_threshold,
    }  # fmt: skip
    rag = target_rag(
        target.direction, actual, target_value=goal, range_min=target.range_min,
        range_max=target.range_max, **thresholds,
    )  # fmt: skip
    return TargetLine(
        pk=target.pk, code=target.code, name=target.name, unit_of_measure=target.unit_of_measure,
        unit_id=unit_id, unit_name=unit_name, allocated=allocation is not None, goal=goal, actual=actual,
        measured_on=day, rag=rag,
    )  # fmt: skip


def members_of(plan: Plan, unit_ids: Iterable[int], on: dt.date) -> list[Person]:
    """The people holding a position in the units at some time in the year up to `on`, in the
    order of their names (one query)."""
    return list(
        Person.objects.active()
        .filter(
            Q(positions__valid_from__isnull=True) | Q(positions__valid_from__lte=on),
            Q(positions__valid_to__isnull=True) | Q(positions__valid_to__gte=plan.starts_on),
            positions__organisation__in=list(unit_ids),
            school_id=plan.school_id,
        )
        .distinct()
        .order_by("sort_key", "pk")
    )
