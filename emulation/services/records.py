"""The initiative register and the titles of past years: kept by the leadership or the clerk.

A past year's title is imported from Excel (`emulation.excel`) or entered by hand here: added,
corrected with a reason, withdrawn with a reason (archived, never deleted; each change in its
history). The eligibility for CSTĐ cấp tỉnh/bộ reads the rows in force
(`emulation.services.classification`)."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import stamp
from core.clock import today
from core.text import school_year_label
from core.versioning import claim_version
from emulation.engine import INDIVIDUAL_TITLES, Level, Title
from emulation.models import (
    BY_DECISION,
    Campaign,
    Initiative,
    InitiativeAuthor,
    TitleHistory,
    TitleSource,
)
from emulation.services.campaigns import school_year_of
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


# A past year's title, by hand ------------------------------------------------------------------


def first_open_year(school_id: int) -> int:
    """The first school year whose titles are not a past year's: the school's latest campaign's
    (its titles come from its decision), else the school year running today."""
    campaign = (
        Campaign._base_manager.filter(school_id=school_id, archived_at=None)
        .order_by("-start_year")
        .first()
    )
    return campaign.start_year if campaign is not None else school_year_of(today())


def _check_past_title(row: TitleHistory) -> None:
    if row.source in BY_DECISION:
        raise EmulationError(
            _(
                "Danh hiệu này ghi theo quyết định trên hệ thống: không sửa, thu hồi bằng tay; "
                "hãy điều chỉnh bằng quyết định."
            )
        )
    if row.person_id is None:
        raise EmulationError(_("Hãy chọn cá nhân."))
    person = Person._base_manager.filter(pk=row.person_id).first()
    if person is None or person.school_id != row.school_id:
        raise EmulationError(_("Cá nhân phải là cán bộ, viên chức của trường."))
    first_open = first_open_year(row.school_id)
    if row.start_year >= first_open:
        raise EmulationError(
            _(
                "Năm học %(year)s không phải năm trước năm học %(open)s của phong trào thi đua: "
                "chỉ nhập danh hiệu của các năm học trước (danh hiệu năm đang xét ghi theo "
                "quyết định)."
            )
            % {"year": school_year_label(row.start_year), "open": school_year_label(first_open)}
        )
    individual = [title.value for title in Title if title in INDIVIDUAL_TITLES]
    for value in row.titles:
        if value not in individual:
            raise EmulationError(
                _("“%(title)s” không phải danh hiệu cá nhân (%(known)s).")
                % {"title": value, "known": ", ".join(individual)}
            )
    if row.level and row.level not in Level._value2member_map_:
        raise EmulationError(_("Mức xếp loại không hợp lệ."))
    if not row.titles and not row.level:
        raise EmulationError(_("Hãy chọn ít nhất một danh hiệu hoặc mức xếp loại."))
    row.titles = [title.value for title in Title if title.value in row.titles]  # in order
    clash = (
        TitleHistory._base_manager.filter(
            person_id=row.person_id, start_year=row.start_year, archived_at=None
        )
        .exclude(pk=row.pk)
        .first()
    )
    if clash is not None:
        raise EmulationError(
            _(
                "%(name)s đã có danh hiệu năm học %(year)s (%(titles)s): hãy sửa dòng đó thay "
                "vì thêm dòng mới."
            )
            % {
                "name": person.full_name,
                "year": school_year_label(row.start_year),
                "titles": ", ".join(clash.titles) or clash.level or "",
            }
        )


@transaction.atomic
def enter_past_title(row: TitleHistory, *, by: User) -> TitleHistory:
    """Add a person's titles (and level) of a year before the campaign's, by hand."""
    if row.pk is not None:
        raise EmulationError(_("Dòng danh hiệu này đã có: hãy sửa, kèm lý do."))
    row.source = TitleSource.ENTERED
    _check_past_title(row)
    stamp(row, by, _("Nhập tay danh hiệu năm trước"))
    row.save()
    return row


@transaction.atomic
def correct_past_title(
    row: TitleHistory, *, reason: str, by: User, expected_version: int | None = None
) -> TitleHistory:
    """Correct a past year's titles, imported or entered, with the reason kept in its history;
    `expected_version`: the version the editor's form was opened at (core.versioning)."""
    if row.pk is None:
        raise EmulationError(_("Chưa có dòng danh hiệu này."))
    claim_version(row, expected_version)
    if TitleHistory._base_manager.filter(pk=row.pk, archived_at__isnull=False).exists():
        raise EmulationError(_("Danh hiệu này đã bị thu hồi, không sửa được."))
    stored = TitleHistory._base_manager.filter(pk=row.pk).values_list("source", flat=True).first()
    if stored in BY_DECISION:
        row.source = stored  # what the page sends does not change where it came from
    if not reason.strip():
        raise EmulationError(_("Hãy ghi lý do sửa (ví dụ: số quyết định công nhận đúng)."))
    _check_past_title(row)
    stamp(row, by, _("Sửa: %(reason)s") % {"reason": reason.strip()[:400]})
    row.save()
    return row


@transaction.atomic
def withdraw_past_title(
    row: TitleHistory, *, reason: str, by: User, expected_version: int | None = None
) -> None:
    """Withdraw a past year's titles (entered by mistake, or revoked): archived with the
    reason, no longer read by the eligibility; never deleted. Refused with `EditConflict` when
    someone saved the row after the withdrawing form was opened at `expected_version`."""
    claim_version(row, expected_version)
    if row.is_archived:
        raise EmulationError(_("Danh hiệu này đã bị thu hồi."))
    if row.source in BY_DECISION:
        raise EmulationError(
            _("Danh hiệu này ghi theo quyết định trên hệ thống: hãy điều chỉnh bằng quyết định.")
        )
    if not reason.strip():
        raise EmulationError(_("Hãy ghi lý do thu hồi."))
    stamp(row, by, _("Thu hồi: %(reason)s") % {"reason": reason.strip()[:400]})
    row.archive()
