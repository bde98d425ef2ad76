"""Who a signed-in user is inside an organisation: computed once per request, read by every rule.

A user may work in several organisations at once (two schools; a school and the Sở GD&ĐT): each
is a membership, one staff record (Person) per organisation. One membership is active at a time:
the one chosen in the session (the switcher in the navigation, organisations.views.switch_organisation), else
the first in a stable order (the oldest record). What a user sees and may do is decided by the
active membership alone; `school_id` is its organisation (a school, or a Sở…: the top of a tree).

A school merged into another (organisations.merging) stays readable: its former staff keep their
records there (with no current position: plain members, reading), and the new school's leadership
may open it too, read-only (`history_access_of`: a membership without a staff record,
`reads_history`). A user's records at merged schools come after the others, so that by default
they work in the school that is open.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch
from django_scopes import scopes_disabled

from organisations.models import (
    Organisation,
    OrganisationKind,
    Person,
    Position,
    Role,
    Succession,
    SuccessionKind,
)

_CACHE_ATTR = "_trongtam_membership"
_RECORDS_ATTR = "_trongtam_memberships"
_HISTORY_ATTR = "_trongtam_history_access"
# The session's choice of organisation (its id), set by the switcher.
ACTIVE_ORGANISATION_KEY = "trongtam_active_organisation"
# Where a list's prefetch (staff_records) leaves each user's staff records.
_PREFETCHED_ATTR = "staff_records"


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
    # The organisation was merged into another: kept as history, read-only (organisations.merging).
    is_absorbed: bool = False
    # Opened by the leadership of the school it merged into, without a staff record of its own.
    reads_history: bool = False

    @property
    def is_member(self) -> bool:
        return self.school_id is not None

    @property
    def in_a_school(self) -> bool:
        """The active organisation is a school, not a body above the schools (a Sở, a UBND…):
        the school's own pages (strategy, students' residence, evidence, paper templates)."""
        if self.person is not None:
            return bool(self.person.school.kind == OrganisationKind.SCHOOL)
        # Without a staff record: the leadership reading a school merged into theirs.
        return self.reads_history

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
    return descendants(children, root_ids)


def descendants(children: Mapping[int | None, Iterable[int]], root_ids: Iterable[int]) -> set[int]:
    """The given units and every unit below them, on a tree already read (parent → children)."""
    found: set[int] = set()
    stack = list(root_ids)
    while stack:
        pk = stack.pop()
        if pk in found:
            continue
        found.add(pk)
        stack.extend(children.get(pk, []))
    return found


def memberships_of(user: Any) -> list[Person]:
    """The user's staff records, one per organisation, oldest first (computed once per user
    object: a request's)."""
    if not getattr(user, "is_authenticated", False):
        return []
    records = getattr(user, _RECORDS_ATTR, None)
    if records is None:
        # Across every organisation: this is what decides the scope, so it cannot be inside one.
        with scopes_disabled():
            records = list(
                Person.objects.active()
                .filter(user=user)
                .select_related("school")
                .annotate(
                    school_absorbed=Exists(
                        _carried_out().filter(predecessor=OuterRef("school_id"))
                    ),
                    school_absorbs=Exists(_carried_out().filter(successor=OuterRef("school_id"))),
                )
                .order_by("school_absorbed", "pk")
            )
        setattr(user, _RECORDS_ATTR, records)
    return records


def _carried_out() -> Any:
    return Succession.objects.filter(kind=SuccessionKind.MERGED, carried_out_at__isnull=False)


@dataclass(frozen=True)
class HistoryAccess:
    """A merged school the user may read as leadership of the school it merged into (listed in
    the switcher like a staff record)."""

    school: Organisation
    reads_history: bool = True

    @property
    def school_id(self) -> int:
        return self.school.pk


def history_access_of(user: Any) -> list[HistoryAccess]:
    """The merged schools whose history the user may read: those merged into a school the user
    leads now, where the user has no staff record of their own."""
    records = memberships_of(user)
    leading = [p.school_id for p in records if getattr(p, "school_absorbs", False)]
    if not leading:  # the usual case: no query at all
        return []
    cached = getattr(user, _HISTORY_ATTR, None)
    if cached is not None:
        return cached
    with scopes_disabled():
        led = set(
            Position.objects.current()
            .filter(person__in=[p for p in records if p.school_id in leading])
            .filter(role=Role.LEADERSHIP)
            .values_list("person__school_id", flat=True)
        )
        own = {p.school_id for p in records}
        found = [
            HistoryAccess(school=succession.predecessor)
            for succession in _carried_out()
            .filter(successor_id__in=led)
            .select_related("predecessor")
            .order_by("effective_on", "pk")
            if succession.predecessor_id not in own
        ]
    setattr(user, _HISTORY_ATTR, found)
    return found


def compute_membership(user: Any, organisation_id: int | None = None) -> Membership:
    """The user's membership in the given organisation, or in their first one when they are not
    a member of it (or none is given)."""
    if not getattr(user, "is_authenticated", False):
        return Membership()
    records = memberships_of(user)
    person = next((p for p in records if p.school_id == organisation_id), None)
    if person is None and organisation_id is not None:
        access = next((a for a in history_access_of(user) if a.school_id == organisation_id), None)
        if access is not None:
            return Membership(
                school_id=access.school_id,
                is_admin=user.is_superuser,
                is_absorbed=True,
                reads_history=True,
            )
    if person is None:
        person = records[0] if records else None
    if person is None:
        return Membership(is_admin=user.is_superuser)
    with scopes_disabled():
        return _membership(user, person)


def _membership(user: Any, person: Person) -> Membership:
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
        is_absorbed=bool(getattr(person, "school_absorbed", False)),
    )


def activate_membership(user: Any, organisation_id: int | None) -> Membership:
    """Make the user's membership in `organisation_id` (the session's or a token's choice) the
    one every rule reads for the rest of the request."""
    membership = compute_membership(user, organisation_id)
    if getattr(user, "is_authenticated", False):
        setattr(user, _CACHE_ATTR, membership)
    return membership


def membership_of(user: Any) -> Membership:
    """The active membership (see activate_membership); the first one when none was chosen."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = compute_membership(user)
        if getattr(user, "is_authenticated", False):
            setattr(user, _CACHE_ATTR, cached)
    return cached


def person_record(user: Any) -> Person | None:
    """The staff record to name a user by (their oldest, archived or not: a user's records in
    several organisations are one human being), or None. Lists prefetch them (staff_records)."""
    if user is None or user.pk is None:
        return None
    prefetched = getattr(user, _PREFETCHED_ATTR, None)
    if prefetched is not None:
        return prefetched[0] if prefetched else None
    with scopes_disabled():
        return Person.objects.filter(user=user).order_by("pk").first()


def staff_records(user_path: str) -> Prefetch:
    """Prefetch the staff records of the users at `user_path` (e.g. "answered_by"), so that a
    list names each of them (person_record, the person_name filter) without a query per row."""
    return Prefetch(
        f"{user_path}__people",
        # The base manager: a user is named by their oldest record, in whichever organisation.
        queryset=Person._base_manager.order_by("pk"),
        to_attr=_PREFETCHED_ATTR,
    )
