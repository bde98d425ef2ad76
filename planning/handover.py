"""A merged school's open tasks, carried into the new school's plan (a step of
organisations.merging).

Which: the tasks of the old school's current plan (its latest plan not archived) that are not
done, not cancelled and not archived. A done task is not carried; an open sub-task of it becomes a
root of its branch in the new plan.

How: copied, not moved. The old tasks stay in the old plan exactly as they were on the merger's
day, with their check-ins and history (the old school's record); each copy names the task it came
from (`carried_from`, shown as "Chuyển từ" with the old school's name). A copy keeps what is still
to be done: title, content, level, start date, deadline (the original one too), weight, the
progress reached, paused or running; the lead and coordinating units and the person in charge are
those the merger matched in the new school; the work area is the receiving plan's area of the same
name (created when missing); the documents it cites come along, a document of the old register
being handed to the new school's register as a received, read-only document. Targets are not
carried: the new school's targets are its own.

Where: the new school's plan for the receiving school year (a draft made for it when the school
has none), numbered after the plan's own tasks. An issued plan changes only inside an amendment:
the merger opens one with the decision as reason and closes it, unless one is open already.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import stamp
from core.text import school_year_label
from documents.services import in_register, send_document
from organisations.merging import Handover, Step, register
from organisations.models import Organisation
from planning import numbering, services
from planning.models import Plan, Task, TaskBasis, TaskCoordination, WorkArea
from planning.progress import refresh_derived_progress
from planning.queries import current_plan
from planning.status import RunState


def open_tasks(plan: Plan) -> list[Task]:
    return list(
        plan.tasks.active()
        .filter(completed_on__isnull=True)
        .exclude(run_state=RunState.CANCELLED)
        .select_related("owner_unit")
    )


def count_open_tasks(old: Organisation, effective_on: dt.date) -> int:
    plan = current_plan(old.pk)
    return len(open_tasks(plan)) if plan is not None else 0


def receiving_plan(handover: Handover) -> Plan:
    """The new school's plan for the receiving year, made as a draft when it has none."""
    plan = (
        Plan.objects.active()
        .filter(school=handover.new, start_year=handover.receiving_year)
        .first()
    )
    if plan is not None:
        return plan
    return services.create_plan(
        school=handover.new,
        start_year=handover.receiving_year,
        title=_("Kế hoạch nhiệm vụ năm học %(year)s")
        % {"year": school_year_label(handover.receiving_year)},
        by=handover.by,
    )


def carry_open_tasks(handover: Handover) -> int:
    """Copy the old school's open tasks into the new school's plan; how many were copied."""
    source = current_plan(handover.old.pk)
    if source is None:
        return 0
    tasks = open_tasks(source)
    if not tasks:
        return 0
    plan = receiving_plan(handover)
    opened = None
    if plan.is_issued and services.open_amendment_of(plan) is None:
        opened = services.open_amendment(plan, reason=handover.reason, by=handover.by)
    areas = {area.name.casefold(): area for area in plan.areas.active()}
    copied: dict[int, Task] = {}
    carried = {task.pk for task in tasks}
    derived_parents: set[int] = set()
    for task in numbering.tree_order(tasks):
        copy = _copy(task, plan, handover, copied, carried, areas)
        copied[task.pk] = copy
        if copy.parent_id is not None:
            derived_parents.add(copy.parent_id)
    for parent_id in derived_parents:
        refresh_derived_progress(parent_id)
    if opened is not None:
        services.close_amendment(opened, by=handover.by)
    return len(copied)


def _copy(
    task: Task,
    plan: Plan,
    handover: Handover,
    copied: dict[int, Task],
    carried: set[int],
    areas: dict[str, WorkArea],
) -> Task:
    by, reason = handover.by, handover.reason
    units = handover.units
    lead = units.get(task.lead_unit_id) if task.lead_unit_id else None
    person = handover.people.get(task.person_in_charge_id) if task.person_in_charge_id else None
    copy = Task(
        plan=plan,
        parent=copied.get(task.parent_id) if task.parent_id in carried else None,
        kind=task.kind,
        title=task.title,
        description=task.description,
        area=_area(task, plan, areas, handover),
        lead_unit=lead,
        person_in_charge=person,
        start_date=task.start_date,
        due_date=task.due_date,
        original_due_date=task.original_due_date,
        weight=task.weight,
        owner_unit=units.get(task.owner_unit_id) if task.owner_unit_id else None,
        serves=copied.get(task.serves_id) if task.serves_id else None,
        carried_from=task,
        run_state=task.run_state,
        progress=task.progress,
        progress_mode=task.progress_mode,
    )
    services.save_plan_object(copy, by=by, reason=reason)
    seen = {lead.pk} if lead is not None else set()
    for order, coordination in enumerate(task.coordinations.active()):
        unit = units.get(coordination.unit_id)
        if unit is None or unit.pk in seen:
            continue
        seen.add(unit.pk)
        row = TaskCoordination(task=copy, unit=unit, duty=coordination.duty, order=order)
        stamp(row, by, reason)
        row.save()
    for basis in task.basis_links.active().select_related("document"):
        document = basis.document
        if not in_register(document, handover.new.pk):
            send_document(document, [handover.new], by=by)
        link = TaskBasis(task=copy, document=document, clause=basis.clause)
        stamp(link, by, reason)
        link.save()
    return copy


def _area(
    task: Task, plan: Plan, areas: dict[str, WorkArea], handover: Handover
) -> WorkArea | None:
    if task.area is None:
        return None
    key = task.area.name.casefold()
    if key not in areas:
        area = WorkArea(plan=plan, code=task.area.code, name=task.area.name, order=len(areas))
        areas[key] = services.save_plan_object(area, by=handover.by, reason=handover.reason)
    return areas[key]


register(
    Step(
        key="tasks",
        label=gettext_lazy("Nhiệm vụ chưa hoàn thành của kế hoạch hiện hành"),
        order=20,
        count=count_open_tasks,
        move=carry_open_tasks,
    )
)
