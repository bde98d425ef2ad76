"""Who may do what with a conference. Checked against the conference itself (its school)."""

import rules

from organisations.permissions import (
    clerk_of_school,
    in_same_school,
    is_admin,
    is_clerk,
    is_leadership,
    leads_school,
)

rules.add_perm("conferences.view_conference", is_admin | in_same_school)
rules.add_perm("conferences.add_conference", is_admin | is_leadership | is_clerk)
# The secretary (văn thư, thư ký) or the leadership prepare and run the conference.
rules.add_perm("conferences.manage_conference", is_admin | leads_school | clerk_of_school)
# Every member of the school may give opinions and, when present, vote.
rules.add_perm("conferences.submit_opinion", in_same_school)
rules.add_perm("conferences.vote", in_same_school)
# Only the leadership answers opinions and turns conclusions into tasks of the plan.
rules.add_perm("conferences.answer_opinion", is_admin | leads_school)
rules.add_perm("conferences.assign_task", is_admin | leads_school)
# Reopening a finished conference whose biên bản or nghị quyết already carries a number.
rules.add_perm("conferences.reopen_issued", is_admin | leads_school)
