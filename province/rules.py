"""Who may see and do what of a body's directives and report requests.

The body's own members (a Sở's officers) see its pages; its leadership and clerks send directives,
ask for reports and return a submission. A school's members see none of these pages: what reaches
them is in their own register (documents) and their own list of requests (the inbox), where the
school's leadership and clerks submit and the leadership grants the body the lists behind its
figures.
"""

from __future__ import annotations

from typing import Any

import rules

from organisations.membership import membership_of
from organisations.models import OrganisationKind
from organisations.permissions import in_same_school, is_admin, is_clerk, is_leadership
from province.models import DIRECTING_KINDS, DirectedSchool


@rules.predicate
def works_above_schools(user: Any) -> bool:
    """The active membership is in a body that directs schools (Sở, UBND tỉnh, Bộ…)."""
    person = membership_of(user).person
    return person is not None and person.school.kind in DIRECTING_KINDS


@rules.predicate
def works_in_a_school(user: Any) -> bool:
    person = membership_of(user).person
    return person is not None and person.school.kind == OrganisationKind.SCHOOL


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


@rules.predicate
def asked_by_own_body(user: Any, obj: Any) -> bool:
    """A report request (or one of its submissions) of the user's own body."""
    request = getattr(obj, "request", obj)
    return obj is not None and membership_of(user).in_school(getattr(request, "body_id", None))


rules.add_perm("province.view", works_above_schools)
rules.add_perm("province.issue", works_above_schools & (is_leadership | is_clerk))
rules.add_perm("province.view_directive", works_above_schools & in_same_school)
rules.add_perm(
    "province.send_directive", works_above_schools & in_same_school & (is_leadership | is_clerk)
)


# The body's own list of its schools: added to, names corrected, an entry stopped; by its
# leadership and clerks, and only the body's own entries.
@rules.predicate
def own_list_entry(user: Any, entry: Any) -> bool:
    return entry is not None and membership_of(user).in_school(getattr(entry, "body_id", None))


rules.add_perm("province.view_school_entry", works_above_schools & own_list_entry)
rules.add_perm("province.manage_schools", works_above_schools & (is_leadership | is_clerk))
rules.add_perm(
    "province.edit_school_entry",
    works_above_schools & own_list_entry & (is_leadership | is_clerk),
)
rules.add_perm("province.view_request", works_above_schools & asked_by_own_body)
rules.add_perm(
    "province.manage_request", works_above_schools & asked_by_own_body & (is_leadership | is_clerk)
)
# A school's side: its members read the requests it received; its leadership and clerks submit;
# its leadership grants the body the lists behind its figures.
rules.add_perm("province.inbox", works_in_a_school)
rules.add_perm("province.submit", works_in_a_school & (is_leadership | is_clerk))
rules.add_perm("province.share", works_in_a_school & is_leadership)
