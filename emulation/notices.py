"""Who the emulation cycle tells, and what (notifications.services.notify, e-mailed after commit):

- a campaign launched → everyone in the school; self-assessment opened → everyone put on the
  list;
- a person registers → the heads of their unit; a registration returned → the person;
  a unit's list sent → the leadership;
- a self-assessment → the first reviewer (the subject group's heads, else the unit's; the
  leadership too for a manager); a review → the person and the next reviewer; a unit's reviews
  sent → the leadership.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext as _

from core.text import format_date
from emulation.models import Campaign, CampaignUnit, Evaluation, Registration, ReviewStep
from notifications.models import NotificationKind
from notifications.people import heads_of, leadership_of, user_of
from notifications.services import notify
from organisations.models import Person


def _school_users(school_id: int) -> list[Any]:
    return [
        person.user
        for person in Person._base_manager.filter(
            school_id=school_id, archived_at=None, user__isnull=False, user__is_active=True
        )
        .select_related("user")
        .order_by("pk")
    ]


def campaign_launched(campaign: Campaign, *, by: User) -> None:
    notify(
        _school_users(campaign.school_id),
        kind=NotificationKind.EMULATION_CAMPAIGN,
        title=_("Phát động %(name)s") % {"name": campaign.name},
        body=_("Đăng ký thi đua từ %(start)s đến %(end)s.")
        % {
            "start": format_date(campaign.registration_opens),
            "end": format_date(campaign.registration_closes),
        },
        url=reverse("emulation:campaign", args=[campaign.pk]),
        actor=by,
    )


def self_assessment_opened(
    campaign: Campaign, evaluations: Sequence[Evaluation], *, by: User
) -> None:
    """The people whose evaluations were just made are told to assess themselves."""
    people = Person._base_manager.filter(
        pk__in=[evaluation.person_id for evaluation in evaluations], user__isnull=False
    ).select_related("user")
    notify(
        [person.user for person in people.order_by("pk")],
        kind=NotificationKind.EMULATION_CAMPAIGN,
        title=_("Tự đánh giá, xếp loại năm học %(year)s") % {"year": campaign.year_label},
        body=_("Hãy tự đánh giá từ %(start)s đến %(end)s.")
        % {
            "start": format_date(campaign.self_assessment_opens),
            "end": format_date(campaign.self_assessment_closes),
        },
        url=reverse("emulation:my_evaluation", args=[campaign.pk]),
        actor=by,
    )


def registered(registration: Registration, *, by: User) -> None:
    campaign = registration.campaign
    notify(
        heads_of(registration.unit_id),
        kind=NotificationKind.EMULATION_REGISTRATION,
        title=_("%(name)s đăng ký thi đua: %(titles)s")
        % {
            "name": registration.person.full_name if registration.person else "",
            "titles": ", ".join(registration.titles),
        },
        body=registration.commitments,
        url=reverse("emulation:unit_registrations", args=[campaign.pk, registration.unit_id]),
        actor=by,
    )


def registration_returned(registration: Registration, *, by: User) -> None:
    notify(
        [user_of(registration.person)],
        kind=NotificationKind.EMULATION_REGISTRATION,
        title=_("Đăng ký thi đua của bạn cần sửa lại"),
        body=registration.head_note,
        url=reverse("emulation:register", args=[registration.campaign_id]),
        actor=by,
    )


def unit_list_submitted(part: CampaignUnit, *, count: int, by: User) -> None:
    notify(
        leadership_of(part.campaign.school_id),
        kind=NotificationKind.EMULATION_REGISTRATION,
        title=_("%(unit)s gửi danh sách đăng ký thi đua (%(n)d đăng ký)")
        % {"unit": part.unit.name, "n": count},
        body=part.registrations_note,
        url=reverse("emulation:unit_registrations", args=[part.campaign_id, part.unit_id]),
        actor=by,
    )


def _evaluation_url(evaluation: Evaluation) -> str:
    return reverse("emulation:evaluation", args=[evaluation.pk])


def _first_reviewers(evaluation: Evaluation) -> list[Any]:
    reviewers = heads_of(evaluation.subunit_id or evaluation.unit_id)
    if evaluation.is_manager:
        reviewers += leadership_of(evaluation.campaign.school_id)
    return reviewers


def self_assessed(evaluation: Evaluation, *, by: User) -> None:
    notify(
        _first_reviewers(evaluation),
        kind=NotificationKind.EMULATION_REVIEW,
        title=_("%(name)s đã tự đánh giá: %(level)s")
        % {"name": evaluation.person.full_name, "level": evaluation.self_level},
        url=_evaluation_url(evaluation),
        actor=by,
    )


def reviewed(evaluation: Evaluation, step: ReviewStep, *, by: User) -> None:
    level = getattr(evaluation, f"{step.value}_level")
    comment = getattr(evaluation, f"{step.value}_comment")
    notify(
        [user_of(evaluation.person)],
        kind=NotificationKind.EMULATION_REVIEW,
        title=_("%(step)s đã nhận xét phiếu đánh giá của bạn: %(level)s")
        % {"step": step.label, "level": level},
        body=comment,
        url=_evaluation_url(evaluation),
        actor=by,
    )
    if step == ReviewStep.GROUP:
        following = heads_of(evaluation.unit_id)
    elif step == ReviewStep.UNIT and evaluation.is_manager:
        following = leadership_of(evaluation.campaign.school_id)
    else:
        return
    notify(
        following,
        kind=NotificationKind.EMULATION_REVIEW,
        title=_("%(name)s chờ %(next)s xét (%(step)s đề nghị %(level)s)")
        % {
            "name": evaluation.person.full_name,
            "next": _("Ban giám hiệu") if step == ReviewStep.UNIT else _("đơn vị"),
            "step": step.label,
            "level": level,
        },
        url=_evaluation_url(evaluation),
        actor=by,
    )


def unit_reviews_submitted(part: CampaignUnit, *, by: User) -> None:
    notify(
        leadership_of(part.campaign.school_id),
        kind=NotificationKind.EMULATION_REVIEW,
        title=_("%(unit)s gửi kết quả xét thi đua") % {"unit": part.unit.name},
        url=reverse("emulation:unit_review", args=[part.campaign_id, part.unit_id]),
        actor=by,
    )
