"""Who may report on, extend, pause and read the progress of a task.

The person in charge and the heads of the lead unit report for the task; heads of a coordinating
unit send that unit's contribution; leadership decides extensions and may do everything.
"""

from __future__ import annotations

from typing import Any

import rules

from organisations.membership import membership_of
from organisations.permissions import in_same_school, is_admin, leads_school
from tracking.services import lead_unit_id_of


@rules.predicate
def is_person_in_charge(user: Any, task: Any) -> bool:
    person = membership_of(user).person
    return (
        task is not None
        and person is not None
        and task.person_in_charge_id is not None
        and task.person_in_charge_id == person.pk
    )


@rules.predicate
def heads_lead_unit(user: Any, task: Any) -> bool:
    return task is not None and membership_of(user).heads_unit(task.lead_unit_id)


@rules.predicate
def heads_a_coordinating_unit(user: Any, task: Any) -> bool:
    if task is None:
        return False
    return bool(coordinating_units_headed(user, task))


def coordinating_units_headed(user: Any, task: Any) -> list[int]:
    """The task's coordinating units the user heads (one query per task, on detail pages only)."""
    membership = membership_of(user)
    if not membership.headed_unit_ids:
        return []
    return [
        unit_id
        for unit_id in task.coordinations.active().values_list("unit_id", flat=True)
        if unit_id in membership.headed_unit_ids
    ]


def reporting_unit_ids(user: Any, task: Any) -> set[int]:
    """The units the user may send a check-in for on this task (the page's choices, the API's
    check): the lead unit for those who report for the task; every coordinating unit for
    leadership and administrators, else the coordinating units the user heads."""
    ids: set[int] = set()
    if user.has_perm("tracking.report_task", task):
        ids.add(lead_unit_id_of(task))
    if membership_of(user).leads_school(task.plan.school_id) or user.is_superuser:
        ids.update(task.coordinations.active().values_list("unit_id", flat=True))
    else:
        ids.update(coordinating_units_headed(user, task))
    return ids


@rules.predicate
def heads_unit(user: Any, unit: Any) -> bool:
    """Heads and deputies of the unit, or of a unit above it."""
    return unit is not None and membership_of(user).heads_unit(unit.pk)


reports_for_task = is_person_in_charge | heads_lead_unit | leads_school

rules.add_perm("tracking.view_task", is_admin | in_same_school)
rules.add_perm("tracking.report_task", is_admin | (in_same_school & reports_for_task))
rules.add_perm(
    "tracking.checkin_task",
    is_admin | (in_same_school & (reports_for_task | heads_a_coordinating_unit)),
)
rules.add_perm(
    "tracking.request_extension", in_same_school & (is_person_in_charge | heads_lead_unit)
)
rules.add_perm("tracking.decide_extension", is_admin | leads_school)
rules.add_perm("tracking.change_tracking", is_admin | leads_school | heads_lead_unit)
rules.add_perm("tracking.view_evidence", is_admin | in_same_school)
rules.add_perm("tracking.view_dashboard", is_admin | in_same_school)
rules.add_perm("tracking.edit_policy", is_admin | leads_school)
# A unit's reporting sheet (tracking/excel_reporting.py): its heads (and leadership) report for
# it; staff do not.
rules.add_perm("tracking.report_unit", is_admin | leads_school | (in_same_school & heads_unit))
