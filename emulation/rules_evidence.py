"""Who sees the year's evidence (emulation.evidence): a person their own; the head of a unit the
unit's and its people's; leadership everyone's in the school. Loaded by the app's ready()."""

from __future__ import annotations

from typing import Any

import rules

from organisations.membership import membership_of
from organisations.models import Position
from organisations.permissions import in_same_school, is_admin, is_member, leads_school


@rules.predicate
def is_the_person(user: Any, person: Any) -> bool:
    own = membership_of(user).person
    return person is not None and own is not None and own.pk == person.pk


@rules.predicate
def heads_a_unit_of(user: Any, person: Any) -> bool:
    """The user heads (or is deputy of) a unit the person holds or held a position in."""
    headed = membership_of(user).headed_unit_ids
    if person is None or not headed:
        return False
    return Position.objects.filter(person=person, organisation__in=headed).exists()


@rules.predicate
def heads_unit(user: Any, unit: Any) -> bool:
    """Heads and deputies of the unit or of a unit above it."""
    return unit is not None and membership_of(user).heads_unit(unit.pk)


rules.add_perm("emulation.view_evidence", is_admin | is_member)
rules.add_perm(
    "emulation.view_person_evidence",
    is_admin | leads_school | (in_same_school & (is_the_person | heads_a_unit_of)),
)
rules.add_perm(
    "emulation.view_unit_evidence", is_admin | leads_school | (in_same_school & heads_unit)
)
