"""Appeals (kiến nghị) against the published results: a person files one on their own result
within the window on the campaign; the leadership answers, and an accepted appeal may set the
person's level again (as the leadership's review, with the answer as its reason). Nothing is
decided while an appeal waits (NĐ 152/2025: no award while a complaint is pending)."""

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
from emulation.engine import Level
from emulation.models import (
    Appeal,
    AppealStatus,
    Campaign,
    Decision,
    Evaluation,
    Stage,
    VoteStatus,
)
from emulation.services.common import EmulationError, acting_person, ensure_open_school
from emulation.services.council import active_vote


def _not_decided(campaign: Campaign) -> None:
    ensure_open_school(campaign.school_id)
    if Decision.objects.filter(campaign=campaign).exists():
        raise EmulationError(_("Đã có quyết định công nhận; không nhận kiến nghị nữa."))


@transaction.atomic
def file_appeal(campaign: Campaign, *, text: str, by: User) -> Appeal:
    """The person's appeal on their own published result, within the window."""
    person = acting_person(by, campaign)
    evaluation = Evaluation.objects.active().filter(campaign=campaign, person=person).first()
    if evaluation is None:
        raise EmulationError(_("Bạn không có phiếu đánh giá trong phong trào này."), status=403)
    vote = active_vote(campaign)
    if vote is None or vote.status != VoteStatus.PUBLISHED:
        raise EmulationError(_("Kết quả bình xét chưa được công khai."))
    _not_decided(campaign)
    if not campaign.appeals_open_on(today()):
        raise EmulationError(
            _("Thời hạn kiến nghị là từ %(start)s đến %(end)s.")
            % {
                "start": format_date(campaign.appeals_open),
                "end": format_date(campaign.appeals_close),
            }
        )
    if not text.strip():
        raise EmulationError(_("Hãy ghi nội dung kiến nghị."))
    if Appeal.objects.active().filter(campaign=campaign, evaluation=evaluation).exists():
        raise EmulationError(_("Bạn đã gửi kiến nghị; mỗi người gửi một kiến nghị."))
    appeal = Appeal(
        campaign=campaign,
        evaluation=evaluation,
        text=text.strip(),
        filed_by=by,
        filed_at=timezone.now(),
    )
    stamp(appeal, by, _("Gửi kiến nghị về kết quả"))
    appeal.save()
    notices.appeal_filed(appeal, by=by)
    return appeal


@transaction.atomic
def answer_appeal(
    appeal: Appeal,
    *,
    accepted: bool,
    answer: str,
    by: User,
    level: str | None = None,
    expected_version: int | None = None,
) -> Appeal:
    """The leadership's answer. Accepted with a level: the person's level is set again as the
    leadership's review (nobody answers their own appeal)."""
    claim_version(appeal, expected_version)
    campaign = appeal.campaign
    _not_decided(campaign)
    answerer = acting_person(by, campaign)
    evaluation = Evaluation.objects.select_for_update().get(pk=appeal.evaluation_id)
    if answerer.pk == evaluation.person_id:
        raise EmulationError(_("Không ai tự trả lời kiến nghị của chính mình."), status=403)
    if not answer.strip():
        raise EmulationError(_("Hãy ghi nội dung trả lời."))
    if level and not accepted:
        raise EmulationError(_("Chỉ xếp lại mức khi chấp nhận kiến nghị."))
    appeal.status = AppealStatus.ACCEPTED if accepted else AppealStatus.REJECTED
    appeal.answer = answer.strip()
    appeal.answered_by = by
    appeal.answered_at = timezone.now()
    stamp(appeal, by, _("Trả lời kiến nghị: %(s)s") % {"s": appeal.get_status_display()})
    appeal.save()
    if level:
        try:
            chosen = Level(level).value
        except ValueError as error:
            raise EmulationError(_("Mức xếp loại không hợp lệ.")) from error
        evaluation.leadership_level = chosen
        evaluation.leadership_comment = answer.strip()
        evaluation.leadership_reviewed_by = answerer
        evaluation.leadership_reviewed_at = timezone.now()
        evaluation.proposed_level = chosen
        if evaluation.stage != Stage.DECIDED:
            evaluation.stage = Stage.LEADERSHIP_REVIEWED
        stamp(
            evaluation,
            by,
            _("Xếp lại %(level)s sau kiến nghị: %(answer)s")
            % {"level": chosen, "answer": answer.strip()[:200]},
        )
        evaluation.save()
    notices.appeal_answered(appeal, by=by)
    return appeal
