"""Who may see and change the teaching load (django-rules permissions of the workload app)."""

from __future__ import annotations

import rules
from django.contrib.auth.models import AnonymousUser, User

from organisations.membership import membership_of
from organisations.permissions import in_same_school, is_admin, leads_school
from workload.models import Lecturer, Section


@rules.predicate
def heads_section_group(user: User | AnonymousUser, section: Section | None) -> bool:
    """Heads of a faculty or subject group fix the lecturers of their own sections."""
    return section is not None and membership_of(user).heads_unit(section.group_id)


@rules.predicate
def is_unit_head_in_school(user: User | AnonymousUser, lecturer: Lecturer | None) -> bool:
    membership = membership_of(user)
    return lecturer is not None and membership.is_unit_head and in_same_school(user, lecturer)


@rules.predicate
def is_the_lecturer(user: User | AnonymousUser, lecturer: Lecturer | None) -> bool:
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
