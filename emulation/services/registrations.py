"""Đăng ký thi đua: each person and each unit registers the titles it aims for, with its
commitments; the unit's head consolidates the list (returns a registration to be redone if
needed) and sends it to the leadership, which locks it until the head reopens it."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import stamp
from core.clock import today
from core.text import format_date
from core.versioning import claim_version
from emulation import notices
from emulation.models import Campaign, CampaignUnit, Registration, RegistrationStatus
from emulation.services.common import (
    EmulationError,
    acting_person,
    collective_exclusion,
    ensure_open,
    normalise_titles,
    placements,
)
from organisations.models import Organisation, Person


def campaign_unit(campaign: Campaign, unit: Organisation) -> CampaignUnit:
    """The unit's part in the campaign, made the first time it is needed."""
    found, _created = CampaignUnit._base_manager.get_or_create(campaign=campaign, unit=unit)
    return found


def _check_window(campaign: Campaign) -> None:
    ensure_open(campaign)
    above = campaign.province_campaign
    if above is not None and above.is_withdrawn:
        raise EmulationError(
            _("%(body)s đã thu hồi phong trào “%(name)s” (lý do: %(reason)s): không đăng ký mới.")
            % {
                "body": above.body.short_name or above.body.name,
                "name": above.name,
                "reason": above.withdrawal_reason,
            }
        )
    day = today()
    if not campaign.registration_opens <= day <= campaign.registration_closes:
        raise EmulationError(
            _("Thời hạn đăng ký thi đua là từ %(start)s đến %(end)s.")
            % {
                "start": format_date(campaign.registration_opens),
                "end": format_date(campaign.registration_closes),
            }
        )


def _check_list_open(campaign: Campaign, unit_id: int) -> None:
    part = CampaignUnit._base_manager.filter(campaign=campaign, unit_id=unit_id).first()
    if part is not None and part.registrations_submitted:
        raise EmulationError(
            _(
                "Danh sách đăng ký của đơn vị đã gửi Ban giám hiệu; hãy đề nghị trưởng đơn vị "
                "mở lại danh sách nếu cần sửa."
            )
        )


def unit_of(campaign: Campaign, person: Person) -> int:
    """The unit the person registers and is evaluated in."""
    placement = placements(campaign.school_id, [person.pk], on=today()).get(person.pk)
    if placement is None:
        raise EmulationError(
            _("%(name)s chưa có chức vụ hiện hành trong một đơn vị của trường.")
            % {"name": person.full_name}
        )
    return placement.unit_id


@transaction.atomic
def register(
    campaign: Campaign,
    *,
    titles: list[str],
    commitments: str,
    by: User,
    expected_version: int | None = None,
) -> Registration:
    """The signed-in person's own registration: made, or changed while the window is open and
    the unit's list is not sent."""
    _check_window(campaign)
    person = acting_person(by, campaign)
    chosen = normalise_titles(titles, campaign.individual_titles)
    if not chosen:
        raise EmulationError(_("Hãy chọn ít nhất một danh hiệu đăng ký."))
    registration = Registration.objects.active().filter(
        campaign=campaign, person=person
    ).first() or Registration(campaign=campaign, person=person, unit_id=unit_of(campaign, person))
    claim_version(registration, expected_version)
    _check_list_open(campaign, registration.unit_id)
    created = registration.pk is None
    again = registration.status == RegistrationStatus.RETURNED
    registration.titles = chosen
    registration.commitments = commitments.strip()
    registration.status = RegistrationStatus.REGISTERED
    registration.registered_by = by
    stamp(registration, by, _("Đăng ký thi đua") if created else _("Sửa đăng ký thi đua"))
    registration.save()
    if created or again:
        notices.registered(registration, by=by)
    return registration


@transaction.atomic
def register_unit(
    campaign: Campaign,
    unit: Organisation,
    *,
    titles: list[str],
    commitments: str,
    by: User,
    expected_version: int | None = None,
) -> Registration:
    """A unit's collective registration (Tập thể lao động tiên tiến, xuất sắc), by its head."""
    _check_window(campaign)
    if unit.school_id != campaign.school_id or unit.pk == campaign.school_id:
        raise EmulationError(_("Chỉ các đơn vị thuộc trường đăng ký danh hiệu tập thể."))
    excluded = collective_exclusion(unit, campaign.school_id)
    if excluded:
        raise EmulationError(
            _("%(unit)s không đăng ký danh hiệu tập thể trong phong trào của trường: %(why)s.")
            % {"unit": unit.name, "why": excluded}
        )
    chosen = normalise_titles(titles, campaign.collective_titles)
    if not chosen:
        raise EmulationError(_("Hãy chọn danh hiệu tập thể đăng ký."))
    if len(chosen) > 1:
        raise EmulationError(_("Một đơn vị chỉ đăng ký một danh hiệu tập thể."))
    _check_list_open(campaign, unit.pk)
    registration = Registration.objects.active().filter(
        campaign=campaign, unit=unit, person=None
    ).first() or Registration(campaign=campaign, unit=unit)
    claim_version(registration, expected_version)
    created = registration.pk is None
    registration.titles = chosen
    registration.commitments = commitments.strip()
    registration.status = RegistrationStatus.REGISTERED
    registration.registered_by = by
    stamp(registration, by, _("Đăng ký danh hiệu tập thể") if created else None)
    registration.save()
    return registration


@transaction.atomic
def return_registration(registration: Registration, *, note: str, by: User) -> Registration:
    """The unit's head asks the person to redo their registration, saying why."""
    ensure_open(registration.campaign)
    if registration.is_collective:
        raise EmulationError(_("Đăng ký tập thể do trưởng đơn vị tự sửa."))
    if not note.strip():
        raise EmulationError(_("Hãy ghi lý do đề nghị sửa lại."))
    _check_list_open(registration.campaign, registration.unit_id)
    registration.status = RegistrationStatus.RETURNED
    registration.head_note = note.strip()
    stamp(registration, by, _("Đề nghị sửa lại: %(note)s") % {"note": note.strip()})
    registration.save()
    notices.registration_returned(registration, by=by)
    return registration


@transaction.atomic
def withdraw_registration(registration: Registration, *, by: User) -> None:
    """Rút đăng ký: the registration is archived (kept in the history)."""
    ensure_open(registration.campaign)
    _check_list_open(registration.campaign, registration.unit_id)
    stamp(registration, by, _("Rút đăng ký"))
    registration.archive()


@transaction.atomic
def submit_unit_list(
    campaign: Campaign, unit: Organisation, *, note: str, by: User
) -> CampaignUnit:
    """The head sends the unit's consolidated list to the leadership: every registration in it
    is confirmed, and the list is locked until reopened."""
    ensure_open(campaign)
    part = campaign_unit(campaign, unit)
    if part.registrations_submitted:
        raise EmulationError(_("Danh sách của đơn vị đã được gửi."))
    registrations = Registration.objects.active().filter(campaign=campaign, unit=unit)
    returned = registrations.filter(status=RegistrationStatus.RETURNED).count()
    if returned:
        raise EmulationError(
            _("Còn %(n)d đăng ký đang chờ cá nhân sửa lại; hãy chờ họ sửa hoặc rút đăng ký.")
            % {"n": returned}
        )
    for registration in registrations.filter(status=RegistrationStatus.REGISTERED):
        registration.status = RegistrationStatus.CONFIRMED
        stamp(registration, by, _("Đơn vị tổng hợp, gửi Ban giám hiệu"))
        registration.save(update_fields=["status"])
    part.registrations_submitted_at = timezone.now()
    part.registrations_submitted_by = by
    part.registrations_note = note.strip()
    stamp(part, by, _("Gửi danh sách đăng ký thi đua"))
    part.save()
    notices.unit_list_submitted(part, count=registrations.count(), by=by)
    return part


@transaction.atomic
def reopen_unit_list(part: CampaignUnit, *, reason: str, by: User) -> CampaignUnit:
    ensure_open(part.campaign)
    if not part.registrations_submitted:
        raise EmulationError(_("Danh sách của đơn vị chưa gửi."))
    if not reason.strip():
        raise EmulationError(_("Hãy ghi lý do mở lại danh sách."))
    part.registrations_submitted_at = None
    part.registrations_submitted_by = None
    stamp(part, by, _("Mở lại danh sách đăng ký: %(why)s") % {"why": reason.strip()})
    part.save()
    return part
