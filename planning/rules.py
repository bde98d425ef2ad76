from typing import Any

import rules

from organisations.membership import membership_of
from organisations.permissions import in_same_school, is_admin, is_leadership, leads_school


@rules.predicate
def heads_owner_unit(user: Any, task: Any) -> bool:
    """Unit heads write in their unit's subtree: the tasks of their units' own plans."""
    return (
        task is not None
        and task.owner_unit_id is not None
        and (membership_of(user).heads_unit(task.owner_unit_id))
    )


@rules.predicate
def heads_unit(user: Any, obj: Any) -> bool:
    """`obj` is a unit, or anything with a `unit` (a unit plan, a target's share)."""
    unit_id = getattr(obj, "unit_id", None) or getattr(obj, "pk", None)
    return obj is not None and membership_of(user).heads_unit(unit_id)


@rules.predicate
def heads_a_unit(user: Any) -> bool:
    return membership_of(user).is_unit_head


rules.add_perm("planning.view_plan", is_admin | in_same_school)
rules.add_perm("planning.add_plan", is_admin | is_leadership)
rules.add_perm("planning.change_plan", is_admin | leads_school)
rules.add_perm("planning.change_task", is_admin | leads_school | heads_owner_unit)
# The plan's "Đã lưu trữ" page: for those who may archive (and so restore) some of its rows.
rules.add_perm("planning.view_archived", is_admin | leads_school | (in_same_school & heads_a_unit))
rules.add_perm("planning.add_unit_task", is_admin | heads_unit)
rules.add_perm("planning.view_unit", is_admin | in_same_school)
rules.add_perm("planning.approve_unit_plan", is_admin | heads_unit)
rules.add_perm("planning.propose_allocation", heads_unit)
rules.add_perm("planning.decide_allocation", is_admin | leads_school)
