"""Who the emulation cycle tells, and what (notifications.services.notify, e-mailed after commit):

- a campaign launched → everyone in the school; self-assessment opened → everyone put on the
  list;
- a person registers → the heads of their unit; a registration returned → the person;
  a unit's list sent → the leadership;
- a self-assessment → the first reviewer (the subject group's heads, else the unit's; the
  leadership too for a manager); a review → the person and the next reviewer; a unit's reviews
  sent → the leadership;
- the council's list of cases made → the council; its ballot opened → the members present;
  counted → the council and the leadership; the results published → everyone in the school;
- an appeal filed → the leadership and the council's chair; answered → the person;
- the decision issued → everyone in the school; the tờ trình → the people it proposes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext as _

from core.text import format_date
from emulation.models import (
    Appeal,
    Campaign,
    CampaignUnit,
    CouncilMember,
    CouncilRole,
    CouncilVote,
    Decision,
    Evaluation,
    Registration,
    ReviewStep,
)
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


# The council, the results, the decision ---------------------------------------------------------


def _council_users(campaign_id: int, *, roles: Sequence[str] | None = None) -> list[Any]:
    members = CouncilMember._base_manager.filter(
        campaign_id=campaign_id, archived_at=None, person__user__isnull=False
    ).select_related("person__user")
    if roles is not None:
        members = members.filter(role__in=list(roles))
    return [member.person.user for member in members.order_by("order", "pk")]


def _ballot_url(vote: CouncilVote) -> str:
    return reverse("emulation:council_vote", args=[vote.campaign_id])


def council_vote_prepared(vote: CouncilVote, *, by: User) -> None:
    notify(
        _council_users(vote.campaign_id),
        kind=NotificationKind.EMULATION_COUNCIL,
        title=_("Danh sách bỏ phiếu của Hội đồng thi đua – khen thưởng (họp ngày %(day)s)")
        % {"day": format_date(vote.held_on)},
        url=_ballot_url(vote),
        actor=by,
    )


def council_vote_opened(vote: CouncilVote, present: Sequence[CouncilMember], *, by: User) -> None:
    notify(
        [member.person.user for member in present if member.person.user_id],
        kind=NotificationKind.EMULATION_COUNCIL,
        title=_("Mời bỏ phiếu kín: Hội đồng thi đua – khen thưởng"),
        body=_("Phiếu kín: không ai biết bạn chọn gì; bạn không bỏ phiếu cho chính mình."),
        url=_ballot_url(vote),
        actor=by,
    )


def council_vote_counted(vote: CouncilVote, *, by: User) -> None:
    notify(
        _council_users(vote.campaign_id) + leadership_of(vote.campaign.school_id),
        kind=NotificationKind.EMULATION_COUNCIL,
        title=_("Đã kiểm phiếu: %(n)s thành viên bỏ phiếu") % {"n": vote.voters_count},
        url=_ballot_url(vote),
        actor=by,
    )


def results_published(vote: CouncilVote, *, by: User) -> None:
    campaign = vote.campaign
    notify(
        _school_users(campaign.school_id),
        kind=NotificationKind.EMULATION_COUNCIL,
        title=_("Công khai kết quả bình xét thi đua năm học %(year)s")
        % {"year": campaign.year_label},
        body=_(
            "Xem kết quả, số phiếu và quy tắc áp dụng; kiến nghị về kết quả của mình đến ngày %(day)s."
        )
        % {"day": format_date(campaign.appeals_close)},
        url=reverse("emulation:results", args=[campaign.pk]),
        actor=by,
    )


def appeal_filed(appeal: Appeal, *, by: User) -> None:
    campaign = appeal.campaign
    notify(
        leadership_of(campaign.school_id) + _council_users(campaign.pk, roles=[CouncilRole.CHAIR]),
        kind=NotificationKind.EMULATION_APPEAL,
        title=_("%(name)s kiến nghị về kết quả thi đua")
        % {"name": appeal.evaluation.person.full_name},
        body=appeal.text,
        url=reverse("emulation:results", args=[campaign.pk]) + "#kien-nghi",
        actor=by,
    )


def appeal_answered(appeal: Appeal, *, by: User) -> None:
    notify(
        [user_of(appeal.evaluation.person)],
        kind=NotificationKind.EMULATION_APPEAL,
        title=_("Kiến nghị của bạn đã được trả lời: %(s)s") % {"s": appeal.get_status_display()},
        body=appeal.answer,
        url=reverse("emulation:results", args=[appeal.campaign_id]) + "#cua-toi",
        actor=by,
    )


def decision_issued(decision: Decision, symbol: str, *, by: User) -> None:
    campaign = decision.campaign
    notify(
        _school_users(campaign.school_id),
        kind=NotificationKind.EMULATION_DECISION,
        title=_("Quyết định số %(n)s công nhận danh hiệu thi đua năm học %(year)s")
        % {"n": symbol, "year": campaign.year_label},
        body=_("Xem kết quả của bạn và tải giấy khen (nếu có)."),
        url=reverse("emulation:results", args=[campaign.pk]) + "#cua-toi",
        actor=by,
    )


def proposal_issued(decision: Decision, *, by: User) -> None:
    campaign = decision.campaign
    proposed = [row["person"] for row in decision.people if row["proposed"]]
    people = Person._base_manager.filter(pk__in=proposed, user__isnull=False).select_related("user")
    notify(
        [person.user for person in people.order_by("pk")],
        kind=NotificationKind.EMULATION_DECISION,
        title=_("Nhà trường trình cấp trên đề nghị khen thưởng bạn (năm học %(year)s)")
        % {"year": campaign.year_label},
        url=reverse("emulation:results", args=[campaign.pk]) + "#cua-toi",
        actor=by,
    )
