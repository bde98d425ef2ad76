"""Who may read, write and issue reports.

Leadership writes and issues the school's reports; a unit head those of the unit (and its
sub-units); everyone in the school reads them; another school sees nothing (404).
"""

from __future__ import annotations

from typing import Any

import rules

from organisations.membership import membership_of
from organisations.permissions import in_same_school, is_admin, leads_school


@rules.predicate
def is_unit_head(user: Any) -> bool:
    return membership_of(user).is_unit_head


@rules.predicate
def is_school_report(user: Any, report: Any) -> bool:
    return report is not None and report.unit_id is None


@rules.predicate
def heads_report_unit(user: Any, report: Any) -> bool:
    return report is not None and membership_of(user).heads_unit(report.unit_id)


def may_write_for(user: Any, plan: Any, unit: Any | None) -> bool:
    """May `user` create a report of `plan` for `unit` (None: the school's own report)?"""
    membership = membership_of(user)
    if user.is_superuser:
        return True
    if not membership.in_school(plan.school_id):
        return False
    if unit is None:
        return membership.is_leadership
    return membership.heads_unit(unit.pk)


rules.add_perm("reports.view_report", is_admin | in_same_school)
rules.add_perm(
    "reports.change_report",
    is_admin | (in_same_school & ((is_school_report & leads_school) | heads_report_unit)),
)
# On a plan: opening the list, and the "new report" page.
rules.add_perm("reports.view_reports", is_admin | in_same_school)
rules.add_perm("reports.add_report", is_admin | leads_school | (in_same_school & is_unit_head))
