"""The initiative register and the titles of past years: kept by the leadership or the clerk."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import stamp
from core.versioning import claim_version
from emulation.engine import Title
from emulation.models import Initiative, InitiativeAuthor, TitleHistory
from emulation.services.common import EmulationError
from organisations.models import Person


@transaction.atomic
def save_initiative(
    initiative: Initiative,
    *,
    authors: Sequence[Person],
    by: User,
    expected_version: int | None = None,
) -> Initiative:
    """Create or edit an initiative or research with its authors (in the order given)."""
    claim_version(initiative, expected_version)
    if initiative.is_archived:
        raise EmulationError(_("Sáng kiến này đã được lưu trữ."))
    if not authors:
        raise EmulationError(_("Hãy chọn ít nhất một tác giả."))
    if any(person.school_id != initiative.school_id for person in authors):
        raise EmulationError(_("Tác giả phải là cán bộ, viên chức của trường."))
    if initiative.recognised_on is not None and not initiative.recognised_by.strip():
        raise EmulationError(_("Hãy ghi cơ quan, hội đồng đã công nhận."))
    stamp(initiative, by)
    initiative.save()
    wanted = list(dict.fromkeys(person.pk for person in authors))
    links = {
        link.person_id: link for link in InitiativeAuthor.objects.filter(initiative=initiative)
    }
    for person_id, link in links.items():
        if person_id not in wanted:
            stamp(link, by, _("Bỏ tác giả"))
            link.delete()  # a link row, kept in its own history; the initiative is never deleted
    for order, person_id in enumerate(wanted, start=1):
        link = links.get(person_id) or InitiativeAuthor(initiative=initiative, person_id=person_id)
        if link.pk is None or link.order != order:
            link.order = order
            stamp(link, by)
            link.save()
    return initiative


@transaction.atomic
def archive_initiative(initiative: Initiative, *, by: User) -> None:
    stamp(initiative, by, _("Lưu trữ"))
    initiative.archive()


@transaction.atomic
def save_title_history(row: TitleHistory, *, by: User, reason: str | None = None) -> TitleHistory:
    """One person's or unit's titles in a past year."""
    known = [title.value for title in Title]
    if any(value not in known for value in row.titles):
        raise EmulationError(_("Có danh hiệu không hợp lệ."))
    if row.person_id is None and row.unit_id is None:
        raise EmulationError(_("Hãy ghi cá nhân hoặc đơn vị."))
    individual = [Title(value) for value in row.titles if Title(value).is_individual]
    if row.person_id is None and individual:
        raise EmulationError(_("Đơn vị chỉ nhận danh hiệu tập thể."))
    if row.person_id is not None and len(individual) != len(row.titles):
        raise EmulationError(_("Cá nhân chỉ nhận danh hiệu cá nhân."))
    stamp(row, by, reason)
    row.save()
    return row
