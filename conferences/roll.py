"""The roll call: everyone summoned, searched without diacritics, sorted the Vietnamese way,
filtered by group and by how they are marked, in a fixed number of queries whatever its size."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from conferences.models import Attendance, Conference, Invitation, InviteeGroup
from core.text import fold, name_sort_key, search_terms

SORTS = {
    "group": _("Theo thành phần"),
    "name": _("Theo tên (A–Z)"),
}
STATES = {
    "": _("Mọi người"),
    "unmarked": _("Chưa điểm danh"),
    "present": _("Có mặt"),
    "self": _("Tự điểm danh"),
    "absent": _("Vắng"),
}


@dataclass(frozen=True)
class RollQuery:
    """What the secretary asked of the roll; anything unknown in the request is ignored."""

    q: str = ""
    group: int | None = None
    state: str = ""
    sort: str = "group"

    @classmethod
    def from_params(cls, params: dict[str, str]) -> RollQuery:
        group = params.get("group", "")
        state = params.get("state", "")
        sort = params.get("sort", "")
        return cls(
            q=params.get("q", "")[:100].strip(),
            group=int(group) if group.isdigit() and len(group) < 10 else None,
            state=state if state in STATES else "",
            sort=sort if sort in SORTS else "group",
        )

    @property
    def filtered(self) -> bool:
        return bool(self.q or self.group or self.state)


@dataclass
class RollSection:
    group: InviteeGroup | None  # None when the list is sorted by name across groups
    rows: list[Invitation] = field(default_factory=list)


@dataclass
class Roll:
    groups: list[InviteeGroup]
    sections: list[RollSection]
    total: int  # everyone summoned, before the filters
    shown: int

    @property
    def unmarked_shown_ids(self) -> list[int]:
        return [
            row.pk
            for section in self.sections
            for row in section.rows
            if row.attendance == Attendance.UNKNOWN
        ]


def _sort_key(invitation: Invitation) -> str:
    person = invitation.person
    return person.sort_key if person is not None else name_sort_key(invitation.name)


def _matches(invitation: Invitation, query: RollQuery, terms: list[str]) -> bool:
    if query.group and invitation.group_id != query.group:
        return False
    if query.state == "unmarked" and invitation.attendance != Attendance.UNKNOWN:
        return False
    if query.state == "present" and invitation.attendance != Attendance.PRESENT:
        return False
    if query.state == "absent" and invitation.attendance != Attendance.ABSENT:
        return False
    if query.state == "self" and not (
        invitation.self_marked and invitation.attendance == Attendance.PRESENT
    ):
        return False
    if terms:
        name = fold(invitation.display_name)
        return all(term in name for term in terms)
    return True


def read_roll(conference: Conference, query: RollQuery) -> Roll:
    """Two queries: the groups, and every invitation with its person."""
    groups = list(conference.groups.active().order_by("order", "pk"))
    group_ids = {g.pk for g in groups}
    invitations = [
        row
        for row in conference.invitations.active().select_related("person")
        if row.group_id in group_ids
    ]
    terms = search_terms(query.q)
    chosen = sorted((row for row in invitations if _matches(row, query, terms)), key=_sort_key)
    if query.sort == "name":
        sections = [RollSection(group=None, rows=chosen)] if chosen else []
    else:
        by_group: dict[int, RollSection] = {g.pk: RollSection(group=g) for g in groups}
        for row in chosen:
            by_group[row.group_id].rows.append(row)
        sections = [s for s in by_group.values() if s.rows]
    return Roll(groups=groups, sections=sections, total=len(invitations), shown=len(chosen))
