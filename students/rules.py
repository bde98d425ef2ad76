"""Who may see and change the students' data (django-rules permissions of the students app).

Figures without names are the school's (every member sees them). Names, dates of birth,
addresses and phones are personal data (NĐ 13/2023/NĐ-CP): the leadership and the student
affairs office see every student, the heads of a faculty the students of its programmes, a class
adviser their own class; nobody else, not the system's administrator nor another organisation.
"""

from __future__ import annotations

from typing import Any

import rules
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q
from django_scopes import scopes_disabled

from organisations.membership import membership_of
from organisations.permissions import in_same_school, is_admin, leads_school, school_id_of
from students.models import Cohort, RecordsOffice, Student

_OFFICE_ATTR = "_students_records_office"


def records_office_id(user: Any, school_id: int | None) -> int | None:
    """The school's student affairs office, read once per request (kept on the user)."""
    if school_id is None:
        return None
    cached: dict[int, int | None] = getattr(user, _OFFICE_ATTR, None) or {}
    if school_id not in cached:
        with scopes_disabled():
            cached[school_id] = (
                RecordsOffice.objects.filter(school_id=school_id)
                .values_list("office_id", flat=True)
                .first()
            )
        setattr(user, _OFFICE_ATTR, cached)
    return cached[school_id]


@rules.predicate
def in_records_office(user: User | AnonymousUser, obj: Any) -> bool:
    membership = membership_of(user)
    school_id = school_id_of(obj)
    if obj is None or not membership.in_school(school_id):
        return False
    office = records_office_id(user, school_id)
    return office is not None and (
        office in membership.unit_ids or office in membership.headed_unit_ids
    )


def _cohort(obj: Any) -> Cohort | None:
    if isinstance(obj, Student):
        return obj.cohort
    return obj if isinstance(obj, Cohort) else None


@rules.predicate
def heads_faculty(user: User | AnonymousUser, obj: Any) -> bool:
    cohort = _cohort(obj)
    if cohort is None:
        return False
    membership = membership_of(user)
    faculty_id = cohort.programme.faculty_id
    return membership.in_school(cohort.school_id) and membership.heads_unit(faculty_id)


@rules.predicate
def advises(user: User | AnonymousUser, obj: Any) -> bool:
    cohort = _cohort(obj)
    person = membership_of(user).person
    return (
        cohort is not None
        and person is not None
        and cohort.adviser_id == person.pk
        and membership_of(user).in_school(cohort.school_id)
    )


sees_every_name = leads_school | in_records_office

rules.add_perm("students.view_figures", is_admin | in_same_school)
rules.add_perm("students.manage", leads_school | in_records_office)
rules.add_perm("students.view_all_names", sees_every_name)
rules.add_perm("students.view_names", sees_every_name | heads_faculty | advises)


def named_cohorts(user: User, school_id: int) -> Q | None:
    """The cohorts whose students' names the user may see, as a filter on Cohort (an empty Q
    for all of them), or None for none."""
    membership = membership_of(user)
    if not membership.in_school(school_id):
        return None
    if membership.leads_school(school_id):
        return Q()
    office = records_office_id(user, school_id)
    if office is not None and (
        office in membership.unit_ids or office in membership.headed_unit_ids
    ):
        return Q()
    condition = Q(pk__in=[])
    found = False
    if membership.headed_unit_ids:
        condition |= Q(programme__faculty_id__in=membership.headed_unit_ids)
        found = True
    if membership.person is not None:
        condition |= Q(adviser_id=membership.person.pk)
        found = True
    return condition if found else None


rules.add_perm("students.feed_targets", leads_school)
rules.add_perm("students.follow_up_warning", sees_every_name | heads_faculty)
rules.add_perm("students.record_outcome", sees_every_name | heads_faculty | advises)
