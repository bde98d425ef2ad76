"""Who may see and send a body's directives: its own members (a Sở's officers); its leadership
and clerks send. A school's members see none of these pages: what reaches them is in their own
register (documents)."""

from __future__ import annotations

from typing import Any

import rules

from organisations.membership import membership_of
from organisations.permissions import in_same_school, is_admin, is_clerk, is_leadership
from province.models import DIRECTING_KINDS, DirectedSchool


@rules.predicate
def works_above_schools(user: Any) -> bool:
    """The active membership is in a body that directs schools (Sở, UBND tỉnh, Bộ…)."""
    person = membership_of(user).person
    return person is not None and person.school.kind in DIRECTING_KINDS


rules.add_perm("province.view", works_above_schools)
rules.add_perm("province.issue", works_above_schools & (is_leadership | is_clerk))
rules.add_perm("province.view_directive", works_above_schools & in_same_school)
rules.add_perm(
    "province.send_directive", works_above_schools & in_same_school & (is_leadership | is_clerk)
)


@rules.predicate
def directs_school(user: Any, school: Any) -> bool:
    """The active membership's body directs the school, or did until the school merged (the
    Sở's list of its schools, archived entries included: the merger's page stays the Sở's; the
    service refuses to merge a school the body no longer directs)."""
    body_id = membership_of(user).school_id
    return (
        school is not None
        and body_id is not None
        and DirectedSchool._base_manager.filter(
            body_id=body_id, school_id=getattr(school, "pk", None)
        ).exists()
    )


# Merging a school into another, or moving it under another body: decided above the school, so
# recorded by the officer (leadership or clerk) of a body that directs it, or by the site's
# administrator; never by the school itself.
rules.add_perm(
    "province.merge_school",
    is_admin | (works_above_schools & (is_leadership | is_clerk) & directs_school),
)
rules.add_perm("province.view_mergers", is_admin | works_above_schools)
