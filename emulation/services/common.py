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
from organisations.models import Organisation, Person, Position, Role


class EmulationError(DomainError):
    """A rule of the emulation cycle was broken; the message is shown to the user as is."""


def ensure_open(campaign: Campaign) -> None:
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


def placements(
    school_id: int, person_ids: Iterable[int] | None = None, *, on: dt.date
) -> dict[int, Placement]:
    """The placement of every current staff member of the school (or of the given people): two
    queries whatever their number. People without a current position are left out."""
    parents: dict[int, int | None] = dict(
        Organisation.objects.filter(school_id=school_id).values_list("pk", "parent_id")
    )
    positions = Position.objects.current(on).filter(
        person__school_id=school_id, person__archived_at=None
    )
    if person_ids is not None:
        positions = positions.filter(person_id__in=list(person_ids))
    by_person: dict[int, list[tuple[bool, int, int, int, str, str]]] = {}
    for person_id, organisation_id, role, title, order, pk in positions.values_list(
        "person_id", "organisation_id", "role", "title", "order", "pk"
    ):
        if organisation_id not in parents:
            continue  # a post outside the school's tree
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
        group = MANAGER_GROUP if is_manager else (title.strip()[:1].upper() + title.strip()[1:])
        found[person_id] = Placement(
            unit_id=unit_id,
            subunit_id=organisation_id if organisation_id != unit_id else None,
            task_group=(group or DEFAULT_GROUP)[:100],
            is_manager=is_manager,
        )
    return found


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
