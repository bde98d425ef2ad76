"""Who a signed-in user is inside a school: computed once per request, read by every rule."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from organisations.models import Organisation, Person, Position, Role

_CACHE_ATTR = "_trongtam_membership"


@dataclass(frozen=True)
class Membership:
    person: Person | None = None
    school_id: int | None = None
    is_admin: bool = False
    is_leadership: bool = False
    is_clerk: bool = False
    # Units the person belongs to, and the units (with their whole subtree) the person heads.
    unit_ids: frozenset[int] = field(default_factory=frozenset)
    headed_unit_ids: frozenset[int] = field(default_factory=frozenset)
    headed_root_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_member(self) -> bool:
        return self.school_id is not None

    @property
    def is_unit_head(self) -> bool:
        return bool(self.headed_root_ids)

    def in_school(self, school_id: int | None) -> bool:
        return self.school_id is not None and self.school_id == school_id

    def leads_school(self, school_id: int | None) -> bool:
        return self.is_leadership and self.in_school(school_id)

    def heads_unit(self, unit_id: int | None) -> bool:
        return unit_id is not None and unit_id in self.headed_unit_ids


def subtree_ids(root_ids: set[int], school_id: int) -> set[int]:
    """The given units and every unit below them in the school."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in Organisation.objects.filter(school_id=school_id).values_list(
        "pk", "parent_id"
    ):
        children[parent_id].append(pk)
    found: set[int] = set()
    stack = list(root_ids)
    while stack:
        pk = stack.pop()
        if pk in found:
            continue
        found.add(pk)
        stack.extend(children.get(pk, []))
    return found


def compute_membership(user: Any) -> Membership:
    if not getattr(user, "is_authenticated", False):
        return Membership()
    person = Person.objects.active().filter(user=user).select_related("school").first()
    if person is None:
        return Membership(is_admin=user.is_superuser)
    positions = list(Position.objects.current().filter(person=person))
    roles = {p.role for p in positions}
    head_roots = {p.organisation_id for p in positions if p.role in (Role.HEAD, Role.DEPUTY)}
    is_leadership = Role.LEADERSHIP in roles
    if is_leadership:
        # Leadership answers for the whole school.
        head_roots.add(person.school_id)
    headed = subtree_ids(head_roots, person.school_id) if head_roots else set()
    return Membership(
        person=person,
        school_id=person.school_id,
        is_admin=user.is_superuser,
        is_leadership=is_leadership,
        is_clerk=Role.CLERK in roles,
        unit_ids=frozenset(p.organisation_id for p in positions),
        headed_unit_ids=frozenset(headed),
        headed_root_ids=frozenset(head_roots - {person.school_id}),
    )


def membership_of(user: Any) -> Membership:
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = compute_membership(user)
        if getattr(user, "is_authenticated", False):
            setattr(user, _CACHE_ATTR, cached)
    return cached
