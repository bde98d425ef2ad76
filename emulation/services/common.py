"""What every emulation action shares: the error type, the acting person, where a person stands in
the school for the campaign (unit, subject group, group of similar tasks, manager or not), and
the titles a form or a sheet names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from core.errors import DomainError
from emulation.engine import Title
from emulation.models import Campaign, CampaignStatus
from organisations import merging
from organisations.models import Organisation, OrganisationKind, Person, Position, Role


class EmulationError(DomainError):
    """A rule of the emulation cycle was broken; the message is shown to the user as is."""


def ensure_open_school(school_id: int | None) -> None:
    """A school merged into another keeps its emulation records as history: nothing is added or
    changed (organisations.merging)."""
    merging.ensure_open_school(
        school_id, what=_("hồ sơ thi đua, khen thưởng"), error=EmulationError
    )


def ensure_open(campaign: Campaign) -> None:
    ensure_open_school(campaign.school_id)
    if campaign.is_archived:
        raise EmulationError(_("Phong trào thi đua đã được lưu trữ."))
    if campaign.status == CampaignStatus.DRAFT:
        raise EmulationError(_("Phong trào thi đua chưa được phát động."))
    if campaign.status == CampaignStatus.CLOSED:
        raise EmulationError(_("Phong trào thi đua đã kết thúc."))


def person_of(user: User, school_id: int) -> Person | None:
    """The user's staff record in the school (None: the user does not work there)."""
    return Person._base_manager.filter(user=user, school_id=school_id, archived_at=None).first()


def acting_person(user: User, campaign: Campaign) -> Person:
    person = person_of(user, campaign.school_id)
    if person is None:
        raise EmulationError(_("Bạn không có hồ sơ cán bộ trong trường này."), status=403)
    return person


# Titles ---------------------------------------------------------------------------------------

# Registering a higher title registers the ones it stands on (CSTĐCS needs LĐTT…).
_IMPLIED = {
    Title.CSTDCS: (Title.LDTT,),
    Title.CSTD_PROVINCE: (Title.CSTDCS, Title.LDTT),
    Title.CSTD_MINISTRY: (Title.CSTDCS, Title.LDTT),
}


def normalise_titles(values: Iterable[str], allowed: Iterable[Title]) -> list[str]:
    """The titles named, with those they stand on, in the order of `Title`; EmulationError for a
    title that is not open (or not one of `allowed`)."""
    allowed_set = set(allowed)
    chosen: set[Title] = set()
    for value in values:
        try:
            title = Title(value)
        except ValueError as error:
            raise EmulationError(_("Không có danh hiệu “%(v)s”.") % {"v": value}) from error
        if title not in allowed_set:
            raise EmulationError(
                _("Danh hiệu %(title)s không được xét trong phong trào này.")
                % {"title": title.label}
            )
        chosen.add(title)
        chosen.update(implied for implied in _IMPLIED.get(title, ()) if implied in allowed_set)
    return [title.value for title in Title if title in chosen]


# Where people stand ---------------------------------------------------------------------------

MANAGER_GROUP = "Viên chức quản lý"
DEFAULT_GROUP = "Viên chức, người lao động"
_MANAGER_ROLES = {Role.LEADERSHIP, Role.HEAD, Role.DEPUTY}


@dataclass(frozen=True)
class Placement:
    """Where a person is evaluated: the unit right under the school (khoa, phòng, Ban giám
    hiệu…), the subject group under it whose head reviews first (or None), their group of
    similar tasks and whether they manage (reviewed by the leadership too)."""

    unit_id: int
    subunit_id: int | None
    task_group: str
    is_manager: bool


# The school's working units (tập thể lao động of its own emulation): TTLĐTT and TTLĐXS in the
# principal's decision go to these only (a library or a dormitory is "other").
COLLECTIVE_KINDS = frozenset(
    {
        OrganisationKind.OFFICE,
        OrganisationKind.FACULTY,
        OrganisationKind.CENTRE,
        OrganisationKind.SUBJECT_GROUP,
        OrganisationKind.OTHER,
    }
)
# Posts there do not place a person: the Party organisation and the mass organisations (trade
# union, youth union) are evaluated in their own systems, and their officers are the school's
# staff in the unit where they work.
OUTSIDE_EMULATION_KINDS = frozenset(
    {OrganisationKind.PARTY_COMMITTEE, OrganisationKind.MASS_ORGANISATION}
)


def collective_exclusion(unit: Organisation, school_id: int) -> str | None:
    """Why the school's own decision gives `unit` no collective title (None: it may get one).

    The school does not recognise itself (its TTLĐTT or TTLĐXS is decided by the level above,
    proposed in the tờ trình), nor its leadership as a collective (Ban giám hiệu: the
    leadership belong to the school's collective); the Party organisation and the mass
    organisations are not collectives of the school's emulation."""
    if unit.pk == school_id or unit.kind == OrganisationKind.SCHOOL:
        return _(
            "trường không tự công nhận danh hiệu tập thể của mình; danh hiệu của trường do cấp "
            "trên xét theo tờ trình của trường"
        )
    if unit.kind == OrganisationKind.BOARD:
        return _(
            "Ban giám hiệu không phải tập thể lao động xét trong phong trào của trường; lãnh đạo "
            "trường thuộc tập thể trường, do cấp trên xét"
        )
    if unit.kind in OUTSIDE_EMULATION_KINDS:
        return _("tổ chức Đảng, đoàn thể được đánh giá, khen thưởng trong hệ thống của mình")
    if unit.kind not in COLLECTIVE_KINDS:
        return _("không phải đơn vị chuyên môn, phòng, khoa, trung tâm của trường")
    return None


def placements(
    school_id: int, person_ids: Iterable[int] | None = None, *, on: dt.date
) -> dict[int, Placement]:
    """The placement of every current staff member of the school (or of the given people): two
    queries whatever their number. People without a current position are left out.

    A post in the Party organisation or a mass organisation (or under one) does not place a
    person: their unit is that of their other posts, or the school itself when they have no
    other; such a post does not make them a manager either."""
    tree = {
        pk: (parent_id, kind)
        for pk, parent_id, kind in Organisation.objects.filter(school_id=school_id).values_list(
            "pk", "parent_id", "kind"
        )
    }
    parents: dict[int, int | None] = {pk: parent for pk, (parent, _kind) in tree.items()}
    positions = Position.objects.current(on).filter(
        person__school_id=school_id, person__archived_at=None
    )
    if person_ids is not None:
        positions = positions.filter(person_id__in=list(person_ids))
    by_person: dict[int, list[tuple[bool, int, int, int, str, str]]] = {}
    outside_only: dict[int, list[tuple[int, int, str]]] = {}
    for person_id, organisation_id, role, title, order, pk in positions.values_list(
        "person_id", "organisation_id", "role", "title", "order", "pk"
    ):
        if organisation_id not in parents:
            continue  # a post outside the school's tree
        if _outside_emulation(organisation_id, school_id, tree):
            outside_only.setdefault(person_id, []).append((order, pk, title))
            continue
        at_school = organisation_id == school_id
        by_person.setdefault(person_id, []).append(
            (at_school, order, pk, organisation_id, role, title)
        )
    found: dict[int, Placement] = {}
    for person_id, posts in by_person.items():
        posts.sort()
        _at_school, _order, _pk, organisation_id, _role, title = posts[0]
        unit_id = _top_unit(organisation_id, school_id, parents)
        is_manager = any(role in _MANAGER_ROLES for *_rest, role, _title in posts)
        group = MANAGER_GROUP if is_manager else _capitalised(title)
        found[person_id] = Placement(
            unit_id=unit_id,
            subunit_id=organisation_id if organisation_id != unit_id else None,
            task_group=(group or DEFAULT_GROUP)[:100],
            is_manager=is_manager,
        )
    for person_id, outside in outside_only.items():
        if person_id in found:
            continue
        title = sorted(outside)[0][2]
        found[person_id] = Placement(
            unit_id=school_id,
            subunit_id=None,
            task_group=(_capitalised(title) or DEFAULT_GROUP)[:100],
            is_manager=False,
        )
    return found


def _capitalised(title: str) -> str:
    return title.strip()[:1].upper() + title.strip()[1:]


def _outside_emulation(
    organisation_id: int, school_id: int, tree: dict[int, tuple[int | None, str]]
) -> bool:
    """Whether the post's unit is, or lies under, the Party organisation or a mass
    organisation of the school."""
    current: int | None = organisation_id
    seen: set[int] = set()
    while current is not None and current != school_id and current not in seen:
        seen.add(current)
        parent, kind = tree.get(current, (None, ""))
        if kind in OUTSIDE_EMULATION_KINDS:
            return True
        current = parent
    return False


def _top_unit(organisation_id: int, school_id: int, parents: dict[int, int | None]) -> int:
    """The unit right under the school that holds `organisation_id` (the school itself when the
    post is at the school)."""
    current = organisation_id
    seen: set[int] = set()
    while current != school_id and current not in seen:
        seen.add(current)
        parent = parents.get(current)
        if parent is None or parent == school_id:
            return current
        current = parent
    return current
