"""Who is told as a dossier goes up and comes back, and when the Sở launches a campaign:

- a dossier sent (or sent again) → the Sở's leadership and clerks;
- returned, accepted, decided → the school's leadership (and its clerks); decided → also each
  person awarded (or not) who has an account;
- a campaign of the Sở sent to schools → each school's leadership;
- a school answers the Sở's campaign → the officer who launched it;
- the Sở corrects or withdraws a campaign it sent → each recipient school's leadership and
  clerks, with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from emulation.models import DossierItem, ProvinceCampaign, UpwardDossier
from notifications.models import NotificationKind
from notifications.people import leadership_of
from notifications.services import notify
from organisations.models import Organisation, Person, Position, Role


def _officers(organisation_id: int) -> list[Any]:
    """The organisation's leadership and clerks with an account (a Sở's officers, a school's
    leaders and văn thư)."""
    # Read across scopes on purpose: the other side's officers are told.
    with scopes_disabled():
        positions = list(
            Position.objects.current()
            .filter(
                person__school_id=organisation_id,
                person__archived_at=None,
                person__user__isnull=False,
                person__user__is_active=True,
            )
            .filter(Q(role=Role.LEADERSHIP) | Q(role=Role.CLERK))
            .select_related("person__user")
            .order_by("pk")
        )
    users: list[Any] = []
    for position in positions:
        if position.person.user not in users:
            users.append(position.person.user)
    return users


def _name(organisation: Organisation) -> str:
    return organisation.short_name or organisation.name


def _url(dossier: UpwardDossier) -> str:
    return reverse("emulation:dossier", args=[dossier.pk])


def dossier_submitted(dossier: UpwardDossier, *, by: User) -> None:
    number = dossier.current.number if dossier.current else 1
    notify(
        _officers(dossier.body_id),
        kind=NotificationKind.EMULATION_DECISION,
        title=(
            _("%(school)s gửi hồ sơ đề nghị khen thưởng năm học %(year)s")
            if number == 1
            else _("%(school)s gửi lại hồ sơ đề nghị khen thưởng năm học %(year)s")
        )
        % {"school": _name(dossier.school), "year": dossier.year_label},
        body=_("Lần gửi %(n)d; chờ Sở tiếp nhận.") % {"n": number},
        url=_url(dossier),
        actor=by,
    )


def dossier_returned(dossier: UpwardDossier, reason: str, *, by: User) -> None:
    notify(
        _officers(dossier.school_id),
        kind=NotificationKind.EMULATION_DECISION,
        title=_("%(body)s trả lại hồ sơ đề nghị khen thưởng năm học %(year)s")
        % {"body": _name(dossier.body), "year": dossier.year_label},
        body=_("Lý do: %(reason)s") % {"reason": reason},
        url=_url(dossier),
        actor=by,
    )


def dossier_accepted(dossier: UpwardDossier, *, by: User) -> None:
    notify(
        _officers(dossier.school_id),
        kind=NotificationKind.EMULATION_DECISION,
        title=_("%(body)s đã tiếp nhận hồ sơ đề nghị khen thưởng năm học %(year)s")
        % {"body": _name(dossier.body), "year": dossier.year_label},
        body=_("Hồ sơ được đưa ra Hội đồng Thi đua – Khen thưởng cấp trên xét."),
        url=_url(dossier),
        actor=by,
    )


def dossier_decided(dossier: UpwardDossier, items: Sequence[DossierItem], *, by: User) -> None:
    awarded = sum(1 for item in items if item.awarded)
    notify(
        _officers(dossier.school_id),
        kind=NotificationKind.EMULATION_DECISION,
        title=_("Kết quả hồ sơ đề nghị khen thưởng năm học %(year)s")
        % {"year": dossier.year_label},
        body=_("%(decision)s: %(awarded)d/%(total)d đề nghị được khen thưởng.")
        % {"decision": dossier.decision_text, "awarded": awarded, "total": len(items)},
        url=_url(dossier),
        actor=by,
    )
    people = {
        person.pk: person.user
        for person in Person._base_manager.filter(
            pk__in=[item.person_id for item in items if item.person_id], user__isnull=False
        ).select_related("user")
    }
    for item in items:
        user = people.get(item.person_id or 0)
        if user is None:
            continue
        notify(
            [user],
            kind=NotificationKind.EMULATION_DECISION,
            title=(_("Bạn được tặng %(title)s") if item.awarded else _("Kết quả đề nghị %(title)s"))
            % {"title": item.title},
            body=dossier.decision_text + (f". {item.outcome_note}" if item.outcome_note else ""),
            url=reverse("emulation:titles"),
            actor=by,
        )


def campaign_sent(campaign: ProvinceCampaign, schools: Sequence[Organisation], *, by: User) -> None:
    for school in schools:
        notify(
            leadership_of(school.pk),
            kind=NotificationKind.EMULATION_CAMPAIGN,
            title=_("%(body)s phát động %(name)s")
            % {"body": _name(campaign.body), "name": campaign.name},
            body=_("Nhà trường hưởng ứng, lập phong trào của trường để cán bộ đăng ký thi đua."),
            url=reverse("emulation:province_campaign", args=[campaign.pk]),
            actor=by,
        )


def campaign_taken_up(campaign: ProvinceCampaign, school: Organisation, *, by: User) -> None:
    notify(
        [campaign.launched_by],
        kind=NotificationKind.EMULATION_CAMPAIGN,
        title=_("%(school)s hưởng ứng %(name)s") % {"school": _name(school), "name": campaign.name},
        body="",
        url=reverse("emulation:province_campaign", args=[campaign.pk]),
        actor=by,
    )


def campaign_changed(campaign: ProvinceCampaign, *, by: User, withdrawn: bool, reason: str) -> None:
    """A sent campaign corrected or withdrawn: each recipient school's leadership and clerks."""
    values = {"body": _name(campaign.body), "name": campaign.name}
    if withdrawn:
        title = _("%(body)s thu hồi %(name)s") % values
        body = _(
            "Lý do: %(reason)s. Phong trào được đánh dấu đã thu hồi; không đăng ký thi đua mới "
            "theo phong trào này, các đăng ký đã có được giữ nguyên."
        ) % {"reason": reason}
    else:
        title = _("%(body)s đính chính %(name)s") % values
        body = _("Lý do: %(reason)s. Xem nội dung hiện nay của phong trào.") % {"reason": reason}
    with scopes_disabled():
        school_ids = list(campaign.recipients.order_by("pk").values_list("school_id", flat=True))
    users: list[Any] = []
    for school_id in school_ids:
        users.extend(user for user in _officers(school_id) if user not in users)
    notify(
        users,
        kind=NotificationKind.EMULATION_CAMPAIGN,
        title=title,
        body=body,
        url=reverse("emulation:province_campaign", args=[campaign.pk]),
        actor=by,
    )
