"""Who may read, write, submit, return and issue reports.

Leadership writes and issues the school's reports; a unit head those of the unit (and its
sub-units); everyone in the school reads them; another school sees nothing (404).

The review step: whoever may write a draft submits it for signature (trình ký); whoever may sign
returns it to be revised or issues it. Today both are the same people (a vice-principal drafts,
the principal signs; a deputy head drafts, the head signs), named apart so that either may grow.
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


# Writes the draft: leadership the school's report, a unit head the unit's (and sub-units').
drafts_report = is_admin | (
    in_same_school & ((is_school_report & leads_school) | heads_report_unit)
)
# Signs it (returns it or issues it): today the same people; who is named on the paper is chosen
# among the positions that sign it (services.signer_choices).
signs_report = drafts_report

rules.add_perm("reports.view_report", is_admin | in_same_school)
rules.add_perm("reports.change_report", drafts_report)
rules.add_perm("reports.submit_report", drafts_report)
rules.add_perm("reports.return_report", signs_report)
rules.add_perm("reports.issue_report", signs_report)
# On a plan: opening the list, and the "new report" page.
rules.add_perm("reports.view_reports", is_admin | in_same_school)
rules.add_perm("reports.add_report", is_admin | leads_school | (in_same_school & is_unit_head))
