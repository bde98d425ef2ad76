from typing import Any

import rules

from organisations.membership import membership_of
from organisations.permissions import in_same_school, is_admin, leads_school


@rules.predicate
def heads_section_group(user: Any, section: Any) -> bool:
    """Heads of a faculty or subject group fix the lecturers of their own sections."""
    return section is not None and membership_of(user).heads_unit(section.group_id)


@rules.predicate
def is_unit_head_in_school(user: Any, obj: Any) -> bool:
    membership = membership_of(user)
    return obj is not None and membership.is_unit_head and in_same_school(user, obj)


@rules.predicate
def is_the_lecturer(user: Any, lecturer: Any) -> bool:
    person = membership_of(user).person
    return lecturer is not None and person is not None and lecturer.person_id == person.pk


# The semester's assignment is public inside the school (transparency, grassroots democracy).
rules.add_perm("workload.view_term", is_admin | in_same_school)
rules.add_perm("workload.manage_term", is_admin | leads_school)
rules.add_perm("workload.lock_section", is_admin | leads_school | heads_section_group)
# A lecturer's own statement of hours (bản kê giờ chuẩn): the lecturer too.
rules.add_perm(
    "workload.view_statement", is_admin | leads_school | is_unit_head_in_school | is_the_lecturer
)
