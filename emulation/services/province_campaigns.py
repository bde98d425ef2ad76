"""Campaigns the Sở launches (phát động) and sends to its schools, and each school's answer.

The Sở sends a campaign as it sends a directive: to every school it directs, those of a level, or
a list (province.services.recipients). A school answers ("hưởng ứng") with its own campaign of
the year: the one it already has is linked to the Sở's, or a draft is made from the Sở's (its
name, targets as criteria, titles, the Sở as the level that launched it), which the leadership
completes and launches; its staff then register as for any campaign (services.registrations).

The Sở sees, per school, whether it has answered, its campaign's state and how many of its people
registered, and for which titles: counts only, never a name.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from core.audit import stamp
from core.clock import today
from core.versioning import claim_version
from emulation import notices_upward as notices
from emulation.engine import Title
from emulation.models import (
    Campaign,
    ProvinceCampaign,
    ProvinceCampaignRecipient,
    Registration,
)
from emulation.services.campaigns import new_campaign, save_campaign
from emulation.services.common import EmulationError, normalise_titles
from organisations.models import Organisation
from province.models import DIRECTING_KINDS, DirectedSchool, SchoolLevel
from province.services import recipients


def _check(campaign: ProvinceCampaign) -> None:
    if campaign.body.kind not in DIRECTING_KINDS:
        raise EmulationError(_("Chỉ cơ quan cấp trên của trường mới phát động phong trào."))
    if not campaign.name.strip():
        raise EmulationError(_("Hãy ghi tên phong trào."))
    if not campaign.target_lines:
        raise EmulationError(_("Hãy ghi ít nhất một mục tiêu, chỉ tiêu của phong trào."))
    campaign.titles = normalise_titles(campaign.titles or [], list(Title))
    if campaign.launched_on > today():
        raise EmulationError(_("Ngày phát động không được sau hôm nay."))
    if campaign.registration_closes is not None and (
        campaign.registration_closes < campaign.launched_on
    ):
        raise EmulationError(_("Hạn gửi đăng ký thi đua phải sau ngày phát động."))


def _send(
    campaign: ProvinceCampaign,
    audience: str,
    *,
    level: str,
    schools: Sequence[Organisation],
    by: User,
    at: dt.datetime | None = None,
) -> list[Organisation]:
    addressed = recipients(campaign.body, audience, level=level, schools=schools)
    already = set(
        ProvinceCampaignRecipient._base_manager.filter(campaign=campaign).values_list(
            "school_id", flat=True
        )
    )
    now = at or timezone.now()
    new = [school for school in addressed if school.pk not in already]
    for school in new:
        recipient = ProvinceCampaignRecipient(campaign=campaign, school=school, sent_at=now)
        recipient.sent_by = by
        stamp(recipient, by)
        recipient.save()
    notices.campaign_sent(campaign, new, by=by)
    return new


@transaction.atomic
def launch_province_campaign(
    campaign: ProvinceCampaign,
    audience: str,
    *,
    level: str = "",
    schools: Sequence[Organisation] = (),
    by: User,
    at: dt.datetime | None = None,
) -> ProvinceCampaign:
    """Phát động: the Sở's campaign saved and sent to the schools addressed, all or nothing."""
    campaign.launched_by = by
    _check(campaign)
    stamp(campaign, by, _("Phát động phong trào thi đua"))
    campaign.save()
    _send(campaign, audience, level=level, schools=schools, by=by, at=at)
    return campaign


@transaction.atomic
def send_province_campaign(
    campaign: ProvinceCampaign,
    audience: str,
    *,
    level: str = "",
    schools: Sequence[Organisation] = (),
    by: User,
) -> list[Organisation]:
    """Send the campaign to more schools (those it reached are left as they were)."""
    if campaign.is_archived:
        raise EmulationError(_("Phong trào đã được lưu trữ."))
    if ProvinceCampaign._base_manager.select_for_update().get(pk=campaign.pk).is_withdrawn:
        raise EmulationError(_("Phong trào đã được thu hồi, không gửi thêm được."))
    return _send(campaign, audience, level=level, schools=schools, by=by)


def received_by(campaign: ProvinceCampaign, school_id: int) -> bool:
    return ProvinceCampaignRecipient._base_manager.filter(
        campaign=campaign, school_id=school_id
    ).exists()


@transaction.atomic
def take_up(campaign: ProvinceCampaign, school: Organisation, *, by: User) -> Campaign:
    """The school answers the Sở's campaign with its own of the year: linked if it has one,
    else a draft made from the Sở's, which the leadership completes and launches."""
    if not received_by(campaign, school.pk):
        raise EmulationError(_("Phong trào này không được gửi đến trường."), status=404)
    if campaign.is_archived:
        raise EmulationError(_("Phong trào đã được lưu trữ."))
    if campaign.is_withdrawn:
        raise EmulationError(_("Phong trào đã được thu hồi, không hưởng ứng được."))
    own = (
        Campaign._base_manager.select_for_update()
        .filter(school=school, start_year=campaign.start_year, archived_at=None)
        .first()
    )
    if own is not None:
        if own.province_campaign_id == campaign.pk:
            raise EmulationError(_("Trường đã hưởng ứng phong trào này."))
        if own.province_campaign_id is not None:
            raise EmulationError(
                _("Phong trào “%(name)s” của trường đã hưởng ứng một phong trào khác của cấp trên.")
                % {"name": own.name}
            )
        own.province_campaign = campaign
        stamp(own, by, _("Hưởng ứng %(name)s") % {"name": campaign.name})
        own.save(update_fields=["province_campaign"])
    else:
        own = new_campaign(school, start_year=campaign.start_year)
        own.name = campaign.name[:500]
        own.slogan = campaign.slogan
        own.criteria = campaign.targets
        own.received_from = campaign.body
        own.province_campaign = campaign
        if campaign.titles:
            own.titles = list(campaign.titles)
        save_campaign(own, by=by)
    notices.campaign_taken_up(campaign, school, by=by)
    return own


# Corrected or withdrawn after sending ------------------------------------------------------------


def registered_under(campaign: ProvinceCampaign) -> int:
    """How many registrations (people and units) the schools have made under the campaign."""
    # Across the schools on purpose: a count, never a name.
    return Registration._base_manager.filter(
        campaign__province_campaign=campaign,
        campaign__archived_at=None,
        archived_at=None,
    ).count()


def correctable(campaign: ProvinceCampaign) -> bool:
    """Corrected in place only while no school's staff has registered under it (they registered
    against its text) and it is not withdrawn: past that, it is withdrawn and a new one launched.
    A school that only took it up keeps the draft it copied, and is told of the correction."""
    return not campaign.is_withdrawn and registered_under(campaign) == 0


@transaction.atomic
def correct_province_campaign(
    campaign: ProvinceCampaign, *, reason: str, by: User, expected_version: int | None = None
) -> ProvinceCampaign:
    """Save a correction (đính chính) of a sent campaign's slogan, targets or registration
    deadline, as typed on the form (`campaign` carries the new values): versioned, kept in its
    history with the reason, the recipients' leadership and clerks told. A form opened before
    another save is refused (EditConflict, 409) and writes nothing."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise EmulationError(_("Hãy ghi lý do đính chính."))
    # Locked: a withdrawal or a sending waits for the correction, and the other way round.
    current = ProvinceCampaign._base_manager.select_for_update().get(pk=campaign.pk)
    if current.is_archived:
        raise EmulationError(_("Phong trào đã được lưu trữ."))
    if current.is_withdrawn:
        raise EmulationError(_("Phong trào đã được thu hồi, không đính chính được."))
    if registered_under(current):
        raise EmulationError(
            _(
                "Đã có cán bộ các trường đăng ký thi đua theo phong trào này: không đính chính "
                "được nữa. Hãy thu hồi phong trào và phát động phong trào mới."
            )
        )
    claim_version(campaign, expected_version)
    _check(campaign)
    stamp(campaign, by)
    campaign.save()
    update_change_reason(campaign, _("Đính chính: %(reason)s") % {"reason": reason})
    notices.campaign_changed(campaign, by=by, withdrawn=False, reason=reason)
    return campaign


@transaction.atomic
def withdraw_province_campaign(
    campaign: ProvinceCampaign, *, reason: str, by: User
) -> ProvinceCampaign:
    """Withdraw (thu hồi) a sent campaign: nothing deleted; every school it reached sees it
    marked with the reason (on its page, in its lists, on the school campaign answering it); no
    school takes it up, no new registration is made under it, it is sent no further; what was
    registered stays. The recipients' leadership and clerks are told."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise EmulationError(_("Hãy ghi lý do thu hồi phong trào."))
    # Read afresh under a lock: of two withdrawals at once the second is refused.
    current = ProvinceCampaign._base_manager.select_for_update().get(pk=campaign.pk)
    if current.is_withdrawn:
        raise EmulationError(_("Phong trào đã được thu hồi."))
    current.withdrawn_at = timezone.now()
    current.withdrawn_by = by
    current.withdrawal_reason = reason
    stamp(current, by, _("Thu hồi: %(reason)s") % {"reason": reason})
    current.save()
    notices.campaign_changed(current, by=by, withdrawn=True, reason=reason)
    return current


# What the Sở sees -------------------------------------------------------------------------------


def launched(body_id: int) -> QuerySet[ProvinceCampaign]:
    """The body's campaigns, newest first, with how many schools received and answered each."""
    return (
        ProvinceCampaign._base_manager.filter(body_id=body_id, archived_at=None)
        .annotate(
            recipient_count=Count("recipients", distinct=True),
            answered_count=Count(
                "school_campaigns",
                filter=Q(school_campaigns__archived_at=None),
                distinct=True,
            ),
        )
        .order_by("-start_year", "-launched_on", "-pk")
    )


def received(school_id: int) -> QuerySet[ProvinceCampaign]:
    """The campaigns sent to the school, newest first."""
    return (
        ProvinceCampaign._base_manager.filter(recipients__school_id=school_id, archived_at=None)
        .select_related("body")
        .order_by("-start_year", "-launched_on", "-pk")
    )


@dataclass
class SchoolAnswer:
    """One recipient school's answer: counts only."""

    school: Organisation
    level: str
    sent_at: dt.datetime
    campaign: Campaign | None
    people: int = 0
    units: int = 0
    titles: Counter[str] = field(default_factory=Counter)

    @property
    def level_label(self) -> str:
        return str(dict(SchoolLevel.choices).get(self.level, ""))

    @property
    def title_counts(self) -> list[tuple[str, int]]:
        # A list for the template: a Counter would answer `.items` with a count of 0.
        return sorted(self.titles.items())


def answers(campaign: ProvinceCampaign) -> list[SchoolAnswer]:
    """Every school the campaign was sent to, with its campaign and its registrations counted
    by title (four queries whatever the number of schools and people)."""
    rows = list(
        ProvinceCampaignRecipient._base_manager.filter(campaign=campaign).select_related("school")
    )
    levels = dict(
        DirectedSchool._base_manager.filter(body_id=campaign.body_id).values_list(
            "school_id", "level"
        )
    )
    own = {
        entry.school_id: entry
        for entry in Campaign._base_manager.filter(province_campaign=campaign, archived_at=None)
    }
    found = {
        row.school_id: SchoolAnswer(
            school=row.school,
            level=levels.get(row.school_id, ""),
            sent_at=row.sent_at,
            campaign=own.get(row.school_id),
        )
        for row in rows
    }
    # Across the schools on purpose: counted, never listed by name.
    for school_id, person_id, titles in Registration._base_manager.filter(
        campaign__in=list(own.values()), archived_at=None
    ).values_list("campaign__school_id", "person_id", "titles"):
        answer = found.get(school_id) if school_id is not None else None
        if answer is None:
            continue
        if person_id is None:
            answer.units += 1
        else:
            answer.people += 1
        answer.titles.update(titles or [])
    return sorted(found.values(), key=lambda a: (a.level, a.school.order, a.school.name))
