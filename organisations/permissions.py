"""The predicates every rule is built from: over the user's membership in a school."""

from __future__ import annotations

from typing import Any

import rules
from django.core.exceptions import PermissionDenied

from organisations.membership import membership_of


def school_id_of(obj: Any) -> int | None:
    """The school an object belongs to, whatever its kind."""
    if obj is None:
        return None
    if hasattr(obj, "plan_id") and not hasattr(obj, "school_id"):
        return obj.plan.school_id
    if hasattr(obj, "target_id") and hasattr(obj, "unit_id"):  # a target's share
        return obj.target.plan.school_id
    if hasattr(obj, "task_id"):
        return obj.task.plan.school_id
    return getattr(obj, "school_id", None)


@rules.predicate
def is_admin(user: Any) -> bool:
    return membership_of(user).is_admin


@rules.predicate
def is_member(user: Any) -> bool:
    return membership_of(user).is_member


@rules.predicate
def is_leadership(user: Any) -> bool:
    return membership_of(user).is_leadership


@rules.predicate
def is_clerk(user: Any) -> bool:
    return membership_of(user).is_clerk


@rules.predicate
def in_same_school(user: Any, obj: Any) -> bool:
    return obj is not None and membership_of(user).in_school(school_id_of(obj))


@rules.predicate
def leads_school(user: Any, obj: Any) -> bool:
    return obj is not None and membership_of(user).leads_school(school_id_of(obj))


@rules.predicate
def clerk_of_school(user: Any, obj: Any) -> bool:
    membership = membership_of(user)
    return obj is not None and membership.is_clerk and membership.in_school(school_id_of(obj))


def member_school_id(user: Any) -> int:
    """The user's school; only members of a school create things in it."""
    school_id = membership_of(user).school_id
    if school_id is None:
        raise PermissionDenied
    return school_id
