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

from core.audit import stamp
from core.clock import today
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
