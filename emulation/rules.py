"""Who may see and do what in the emulation cycle (django-rules permissions).

The campaign, its council and timetable, the initiative register and past titles are public in
the school (transparency). A person's evaluation is seen by the person, by those who review it
(the heads of their subject group and unit, the leadership) and nobody else: a colleague never
sees another's draft. Nobody reviews their own evaluation.
"""

from __future__ import annotations

from typing import Any

import rules

from emulation.models import Campaign, CouncilMember, CouncilRole
from organisations.membership import membership_of
from organisations.permissions import is_admin


def school_of(obj: Any) -> int | None:
    """The school an emulation object belongs to: its own, or its campaign's."""
    if obj is None:
        return None
    if isinstance(obj, Campaign):
        return obj.school_id
    if getattr(obj, "campaign_id", None) is not None:
        campaign: Campaign = obj.campaign
        return campaign.school_id
    school_id: int | None = getattr(obj, "school_id", None)
    return school_id


@rules.predicate
def in_school(user: Any, obj: Any) -> bool:
    return obj is not None and membership_of(user).in_school(school_of(obj))


@rules.predicate
def leads(user: Any, obj: Any) -> bool:
    return obj is not None and membership_of(user).leads_school(school_of(obj))


@rules.predicate
def clerk(user: Any, obj: Any) -> bool:
    membership = membership_of(user)
    return obj is not None and membership.is_clerk and membership.in_school(school_of(obj))


@rules.predicate
def has_record(user: Any, obj: Any) -> bool:
    """A staff member of the school (not only an account)."""
    return in_school(user, obj) and membership_of(user).person is not None


@rules.predicate
def heads_its_unit(user: Any, obj: Any) -> bool:
    """Heads the unit of a unit's part, a registration or an evaluation (leadership heads all)."""
    unit_id = getattr(obj, "unit_id", None)
    return in_school(user, obj) and membership_of(user).heads_unit(unit_id)


@rules.predicate
def heads_its_subunit(user: Any, evaluation: Any) -> bool:
    """Heads the subject group itself (a post in it): the head of the faculty above reviews at
    the unit's step, not at the group's."""
    unit_id = getattr(evaluation, "subunit_id", None)
    membership = membership_of(user)
    return (
        in_school(user, evaluation)
        and unit_id in membership.unit_ids
        and membership.heads_unit(unit_id)
    )


@rules.predicate
def is_own(user: Any, obj: Any) -> bool:
    person = membership_of(user).person
    return (
        obj is not None
        and person is not None
        and in_school(user, obj)
        and getattr(obj, "person_id", None) == person.pk
    )


@rules.predicate
def heads_a_unit(user: Any, obj: Any) -> bool:
    return in_school(user, obj) and membership_of(user).is_unit_head


# The campaign and its timetable, the council, the titles: public in the school.
rules.add_perm("emulation.view_campaign", is_admin | in_school)
rules.add_perm("emulation.manage_campaign", is_admin | leads)
# Registration: every staff member for themselves; a unit's list by its head and the leadership
# (the clerk reads the lists to prepare the papers).
rules.add_perm("emulation.register", has_record)
rules.add_perm("emulation.view_unit", is_admin | leads | clerk | heads_its_unit)
rules.add_perm("emulation.consolidate_unit", is_admin | leads | heads_its_unit)
rules.add_perm("emulation.view_all_registrations", is_admin | leads | clerk)
# A campaign page's links to the unit pages.
rules.add_perm("emulation.see_unit_pages", is_admin | leads | clerk | heads_a_unit)
# Evaluations: the person and their reviewers only.
rules.add_perm(
    "emulation.view_evaluation", is_admin | is_own | leads | heads_its_unit | heads_its_subunit
)
rules.add_perm("emulation.self_assess", is_own)
rules.add_perm("emulation.review_group", heads_its_subunit & ~is_own)
rules.add_perm("emulation.review_unit", heads_its_unit & ~is_own)
rules.add_perm("emulation.review_leadership", leads & ~is_own)
# Months worked, discipline, the group of similar tasks: the leadership (and its office).
rules.add_perm("emulation.record_facts", (is_admin | leads | clerk) & ~is_own)
# The classification preview and the council's ranking.
rules.add_perm("emulation.classify", is_admin | leads)
# The register of initiatives and the titles of past years: public; kept by leadership, clerk.
rules.add_perm("emulation.view_records", is_admin | in_school)
rules.add_perm("emulation.manage_records", is_admin | leads | clerk)


# The council's ballot, the published results, appeals and the decision -------------------------


def _campaign_id(obj: Any) -> int | None:
    if isinstance(obj, Campaign):
        return obj.pk
    campaign_id: int | None = getattr(obj, "campaign_id", None)
    return campaign_id


def _council_roles(user: Any, obj: Any) -> set[str]:
    """The user's roles in the council of obj's campaign (none: not a member)."""
    person = membership_of(user).person
    campaign_id = _campaign_id(obj)
    if person is None or campaign_id is None or not in_school(user, obj):
        return set()
    return set(
        CouncilMember._base_manager.filter(
            campaign_id=campaign_id, person=person, archived_at=None
        ).values_list("role", flat=True)
    )


@rules.predicate
def on_council(user: Any, obj: Any) -> bool:
    return bool(_council_roles(user, obj))


@rules.predicate
def runs_council(user: Any, obj: Any) -> bool:
    """The council's chair or secretary."""
    return bool(_council_roles(user, obj) & {CouncilRole.CHAIR, CouncilRole.SECRETARY})


# The ballot's page (the cases, and after the count the tally) before it is published: the
# council and the leadership; running it: the leadership, the chair and the secretary; voting:
# the members (the service checks who is present and leaves out their own case).
rules.add_perm("emulation.view_council_vote", is_admin | leads | on_council)
rules.add_perm("emulation.run_council", is_admin | leads | runs_council)
rules.add_perm("emulation.cast_council_ballot", on_council)
# The published results: everyone in the school (the page shows nothing before publication
# but to the council and the leadership); an appeal on one's own result; answered by leaders.
rules.add_perm("emulation.view_results", is_admin | in_school)
rules.add_perm("emulation.see_unpublished_results", is_admin | leads | on_council)
rules.add_perm("emulation.appeal", has_record)
rules.add_perm("emulation.answer_appeal", is_admin | leads)
# The decision: prepared with the clerk, issued by the leadership; once issued the Quyết định is
# public in the school. Certificates: one's own, a unit's heads for the unit's, leaders, clerk.
rules.add_perm("emulation.view_decision", is_admin | leads | clerk)
rules.add_perm("emulation.decide", is_admin | leads)
rules.add_perm("emulation.print_certificate", is_admin | leads | clerk | is_own | heads_its_unit)
