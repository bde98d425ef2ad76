"""Who may see and send a body's directives: its own members (a Sở's officers); its leadership
and clerks send. A school's members see none of these pages: what reaches them is in their own
register (documents)."""

from __future__ import annotations

from typing import Any

import rules

from organisations.membership import membership_of
from organisations.permissions import in_same_school, is_clerk, is_leadership
from province.models import DIRECTING_KINDS


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
