"""Questions a person asks of the plan on their home page ("Việc của tôi"): which plan is the
current one, which tasks are theirs, which unit proposals wait for leadership.

Each answer costs a fixed number of queries whatever the plan's size, and reads through the
request's scope (core/scopes.py): another school's rows are out of reach.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from organisations.membership import Membership, subtree_ids
from planning.models import (
    Plan,
    PlanStatus,
    ProposalStatus,
    TargetAllocation,
    Task,
    TaskQuerySet,
)
from planning.status import RunState, TaskStatus

# How far ahead "due soon" looks, and how many rows each list of the home page shows.
DUE_SOON_DAYS = 14
LIST_LIMIT = 8


def current_plan(school_id: int | None = None) -> Plan | None:
    """The plan the school is running: the latest issued one, else the latest draft. Of the
    school in scope, or of `school_id` (work across schools: a merger)."""
    plans = Plan.objects.active()
    if school_id is not None:
        plans = plans.filter(school_id=school_id)
    return plans.filter(status=PlanStatus.ISSUED).first() or plans.first()


def units_answered_for(membership: Membership) -> set[int]:
    """The units whose tasks the person reports for: those they head, with the units below.

    Leadership heads the whole school in the membership (it may do everything), but their own
    list is the tasks of the units they head besides (a party committee…), not every task.
    """
    if membership.school_id is None:
        return set()
    if membership.is_leadership:
        roots = set(membership.headed_root_ids)
        return subtree_ids(roots, membership.school_id) if roots else set()
    return set(membership.headed_unit_ids)


def my_tasks(plan: Plan, membership: Membership, unit_ids: set[int]) -> TaskQuerySet:
    """The plan's open tasks the person leads (in charge, or heading the lead unit) or reports
    on as the head of a coordinating unit."""
    person_id = membership.person.pk if membership.person is not None else None
    mine = Q(pk__in=[])
    if person_id is not None:
        mine |= Q(person_in_charge_id=person_id)
    if unit_ids:
        mine |= Q(lead_unit__in=unit_ids) | Q(lead_unit__isnull=True, owner_unit__in=unit_ids)
        coordinated = Task.objects.filter(
            coordinations__unit__in=unit_ids, coordinations__archived_at__isnull=True
        ).values("pk")
        mine |= Q(pk__in=coordinated)
    return (
        Task.objects.active()
        .filter(plan=plan, run_state=RunState.ACTIVE, completed_on__isnull=True)
        .filter(mine)
    )


@dataclass
class TaskList:
    """A short list (of tasks, proposals…) and how many there are in all."""

    rows: list[Any] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


@dataclass
class MyTasks:
    overdue: TaskList
    due_soon: TaskList
    on: dt.date


def tasks_needing_me(tasks: TaskQuerySet, *, on: dt.date, limit: int = LIST_LIMIT) -> MyTasks:
    """Overdue tasks (the longest overdue first), then those due within DUE_SOON_DAYS: three
    queries (the two counts in one)."""
    soon_q = Q(due_date__gte=on, due_date__lte=on + dt.timedelta(days=DUE_SOON_DAYS))
    overdue_q = Task.objects.status_q(TaskStatus.OVERDUE, on=on)
    counts = tasks.aggregate(
        overdue=_count(overdue_q),
        soon=_count(soon_q),
    )
    rows = tasks.select_related("lead_unit", "person_in_charge").order_by("due_date", "pk")
    overdue = list(rows.filter(overdue_q)[:limit])
    due_soon = list(rows.filter(soon_q)[:limit])
    for task in overdue:
        task.days_overdue = (on - task.due_date).days
    for task in due_soon:
        task.days_left = (task.due_date - on).days
    return MyTasks(
        overdue=TaskList(overdue, counts["overdue"] or 0),
        due_soon=TaskList(due_soon, counts["soon"] or 0),
        on=on,
    )


def _count(condition: Q) -> Count:
    return Count("pk", filter=condition, distinct=True)


def pending_proposals(plan: Plan, *, limit: int = LIST_LIMIT) -> TaskList:
    """Units' proposals of another target value, waiting for leadership (two queries)."""
    pending = TargetAllocation.objects.filter(
        target__plan=plan,
        target__archived_at__isnull=True,
        proposal_status=ProposalStatus.PENDING,
    )
    rows = list(pending.select_related("target", "unit").order_by("pk")[:limit])
    return TaskList(rows, pending.count())
